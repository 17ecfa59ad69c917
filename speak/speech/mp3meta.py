"""What goes before the audio frames of an MP3: an ID3v2.4 tag with its frames in a fixed
order, and a Xing/LAME "Info" frame.

The Info frame (the format LAME writes, http://gabriel.mp3-tech.org/mp3infotag.html) is a
silent first frame that carries the number of audio frames and bytes, a seek table, and the
encoder delay and padding. With it players show the exact duration (ffmpeg, mutagen and
LAME-aware decoders compute ``frames * 576 - delay - padding``) instead of estimating it
from the bitrate, and gapless decoders drop the delay and padding, so what is heard is
exactly the PCM that was encoded. lameenc cannot return LAME's own tag frame, so it is
written here.

ID3 frames are written in the order given (mutagen sorts frames by size, which put CHAP
frames out of reading order; players built on ffmpeg list chapters as stored).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

import numpy as np

SAMPLES_PER_FRAME = 576  # MPEG-2/2.5 layer III
LAME_ENCODER_DELAY = 576  # what LAME's tag records; decoders add their own 529
DECODER_DELAY = 529
_BITRATES_MPEG2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
_RATES_MPEG2 = (22050, 24000, 16000)


def id3_tag(frames: Iterable[object]) -> bytes:
    """An ID3v2.4 tag (no padding) holding mutagen frames in the order given."""
    from mutagen.id3._tags import save_frame
    from mutagen.id3._util import ID3SaveConfig

    config = ID3SaveConfig(4, None)
    body = b"".join(save_frame(frame, config=config) for frame in frames)
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x04\x00\x00" + syncsafe + body


def _crc16_table() -> np.ndarray:
    table = np.zeros(256, dtype=np.uint32)
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table[byte] = crc
    return table


_CRC_TABLE = _crc16_table()
_CRC_BLOCK = 1024


def crc16(data: bytes, crc: int = 0) -> int:
    """CRC-16/ARC (polynomial 0x8005 reflected, initial 0): the CRC of LAME's tag.

    Long data is cut into blocks whose CRCs are computed side by side with numpy, then
    chained: the CRC is linear, so a block's CRC from a running value ``c`` is its CRC from
    0 XOR ``c`` carried through the block's length of zero bytes.
    """
    table = _CRC_TABLE
    head = len(data) % _CRC_BLOCK
    for byte in data[:head]:
        crc = int(table[(crc ^ byte) & 0xFF]) ^ (crc >> 8)
    rest = np.frombuffer(data, dtype=np.uint8, offset=head)
    if not len(rest):
        return crc
    blocks = rest.reshape(-1, _CRC_BLOCK).astype(np.uint32)
    block_crcs = np.zeros(len(blocks), dtype=np.uint32)
    for column in range(_CRC_BLOCK):
        block_crcs = table[(block_crcs ^ blocks[:, column]) & 0xFF] ^ (block_crcs >> 8)
    carry = _zero_block_map()
    for value in block_crcs.tolist():
        crc = int(carry[crc]) ^ value
    return crc


_ZERO_MAP: list[np.ndarray] = []


def _zero_block_map() -> np.ndarray:
    """For every 16-bit CRC value, the value after ``_CRC_BLOCK`` zero bytes.

    The step is linear over GF(2): carry each of the 16 one-bit values through the block,
    then any value's image is the XOR of its bits' images.
    """
    if not _ZERO_MAP:
        basis = np.array([1 << bit for bit in range(16)], dtype=np.uint32)
        for _ in range(_CRC_BLOCK):
            basis = _CRC_TABLE[basis & 0xFF] ^ (basis >> 8)
        values = np.arange(1 << 16, dtype=np.uint32)
        image = np.zeros(1 << 16, dtype=np.uint32)
        for bit in range(16):
            image ^= np.where(values >> bit & 1, basis[bit], 0).astype(np.uint32)
        _ZERO_MAP.append(image)
    return _ZERO_MAP[0]


def frame_header(sample_rate: int, bitrate: int) -> bytes:
    """The 4-byte header of an MPEG-2 layer III mono frame without CRC or padding."""
    if sample_rate not in _RATES_MPEG2 or bitrate not in _BITRATES_MPEG2:
        raise ValueError(f"no MPEG-2 layer III frame for {sample_rate} Hz at {bitrate} kbps")
    rate_index = _RATES_MPEG2.index(sample_rate)
    bitrate_index = _BITRATES_MPEG2.index(bitrate)
    # sync (11 bits), MPEG-2 (10), layer III (01), no CRC (1); bitrate, rate, no padding;
    # mono (11), original.
    return bytes((0xFF, 0xF3, (bitrate_index << 4) | (rate_index << 2), 0xC4))


def frame_format(header: bytes) -> tuple[int, int]:
    """(sample rate, kbps) of an MPEG-2 layer III frame header."""
    return _RATES_MPEG2[(header[2] >> 2) & 3], _BITRATES_MPEG2[header[2] >> 4]


def frame_length(sample_rate: int, bitrate: int) -> int:
    """Bytes in one unpadded MPEG-2 layer III frame."""
    return 72 * bitrate * 1000 // sample_rate


def info_frame(
    *,
    sample_rate: int,
    bitrate: int,
    audio_frames: int,
    audio_bytes: int,
    padding: int,
    music_crc: int,
    lowpass: int = 0,
    quality: int = 5,
) -> bytes:
    """The Xing "Info" (constant bitrate) frame with its LAME extension.

    ``audio_frames``/``audio_bytes`` count the audio after this frame; the tag's byte count
    and music length include this frame, as LAME writes them. ``padding`` is the number of
    samples the encoder added at the end (after ``LAME_ENCODER_DELAY`` at the start).
    """
    length = frame_length(sample_rate, bitrate)
    total_bytes = audio_bytes + length
    frame = bytearray(length)
    frame[:4] = frame_header(sample_rate, bitrate)
    pos = 4 + 9  # after the header and the side information of an MPEG-2 mono frame
    toc = bytes(i * 256 // 100 for i in range(100))  # constant bitrate: bytes grow evenly
    xing = b"Info" + struct.pack(">III", 0x0F, audio_frames, total_bytes)
    xing += toc + struct.pack(">I", 100 - quality)
    lame = bytearray(b"LAME3.100")
    lame.append(0x01)  # tag revision 0, method 1: constant bitrate
    lame.append(min(255, lowpass // 100))
    lame += bytes(4)  # peak amplitude: not stored
    lame += bytes(4)  # replay gain (track, album): not stored; loudness is normalized instead
    lame.append(0)  # encoding flags and ATH type
    lame.append(min(255, bitrate))
    if not (0 <= padding < 4096):
        raise ValueError(f"padding {padding} does not fit the LAME tag")
    lame += (LAME_ENCODER_DELAY << 12 | padding).to_bytes(3, "big")
    lame.append(0)  # source rate up to 32 kHz (0), mono (0), no noise shaping
    lame.append(0)  # MP3 gain
    lame += bytes(2)  # surround and preset: none
    lame += struct.pack(">I", total_bytes)
    lame += struct.pack(">H", music_crc)
    frame[pos : pos + len(xing)] = xing
    pos += len(xing)
    frame[pos : pos + len(lame)] = lame
    pos += len(lame)
    frame[pos : pos + 2] = struct.pack(">H", crc16(bytes(frame[:pos])))
    return bytes(frame)


def is_info_frame(frame: bytes) -> bool:
    """Whether an MPEG-2 mono frame is a Xing/Info header rather than audio."""
    return frame[13:17] in (b"Info", b"Xing")
