"""Text for speech: written Chinese → what a voice should say, in the text's own script.

``normalize(text, script)`` rewrites numbers, percentages, years, dates, ranges, times,
phone-like digit strings, Latin acronyms, quotes and brackets, and keeps a map from every
spoken character back to the offset of the source character it came from.

Offset map: each rule emits *pieces* (spoken text, source offset); every character of a piece
maps to that offset. Pieces point at the part of the match they say (``42.2%`` →
百分之四十二 at ``4``, 點 at ``.``, 二 at ``2``), so the map is never coarser than one token
and is monotone non-decreasing. Removed characters (quotes) simply have no spoken character.

Choices (documented here because a reader of the audio will hear them):
- Cardinals read in 萬/億 groups with 零 for gaps: 10005 → 一萬零五, 110 → 一百一十,
  a leading 10-19 as 十…; ≥10¹² reads 萬億 (not 兆, whose meaning differs by region).
- 兩 (两) where speech uses it: a thousands digit 2 (2000 → 兩千, 12000 → 一萬兩千), a group
  of exactly 2 before 萬/億 (20000 → 兩萬), a plain 2 before a measure word (2個 → 兩個,
  2億 → 兩億) unless ordinal (第2個). Everywhere else 二 (2月, 2日, 20, 200 → 二百).
- Years (a 4-digit number starting 1/2, or 0x, before 年) are read digit by digit with 〇;
  other digit-by-digit readings (phone numbers, decimals' fraction) use 零.
- Digit strings read digit by digit: a number with a leading 0 and 3+ digits, 11+ digits
  with no separators, and ``ddd(d)-ddddddd(d)`` / ``ddd-ddd(d)-dddd`` phone shapes. Write large
  amounts with thousands separators (1,234,567) to have them read as numbers.
- Latin: capitals and lone lower-case letters are spelled, separated by spaces (``APP`` →
  ``A P P``, ``IPv6`` → ``I P v六``); 2+ lower-case letters, or a capital and 2+, stay words
  (``Python``, ``iPhone`` → ``i Phone``). Digits in such a token are Chinese: up to two digits
  as a number (``5G`` → 五G, ``G20`` → G二十), longer runs digit by digit (``A380`` → A三八零).
- Dates and times: 2022-12-20 / 2022/12/20 / 2022.12.20 → 二〇二二年十二月二十日, 2021-12 →
  二〇二一年十二月, 10:30 → 十點三十分; fractions 1/3 → 三分之一.
- Ranges (``-`` ``－`` ``~`` ``～`` ``〜`` ``—`` ``–`` between numbers) say 至.
- Negative numbers say 負 (负); a negative percentage says 負百分之….
- Quotes and book-title marks are dropped; brackets become a comma pause (，) unless a pause is
  already there. ASCII ``, : ; ! ?`` (and a free-standing ``.``) become Chinese punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from speak.model import Script

Piece = tuple[str, int]  # spoken text, offset (in the input) of the source it says


@dataclass(frozen=True)
class Spoken:
    """Spoken text and, per character of it, the offset of its source character."""

    text: str
    source_offsets: tuple[int, ...]


class Words(NamedTuple):
    """The number words that differ between the scripts."""

    wan: str
    yi: str
    dian: str
    liang: str
    fu: str


WORDS: dict[str, Words] = {
    "Hant": Words(wan="萬", yi="億", dian="點", liang="兩", fu="負"),
    "Hans": Words(wan="万", yi="亿", dian="点", liang="两", fu="负"),
}
DIGITS = "零一二三四五六七八九"
YEAR_ZERO = "〇"

# Measure words after which a plain 2 is said 兩 (both scripts). Multi-character ones are
# matched as prefixes; EXCEPT_AFTER_TWO lists words that start like one but take 二.
MEASURE_WORDS = (
    *"個个位名家種种項项條条次年天倍件人戶户批類类台臺輛辆艘架所座隻只本張张份場场輪轮塊块歲岁屆届週周",
    *"億亿萬万千百點点",
    *("小時", "小时", "分鐘", "分钟"),
)
EXCEPT_AFTER_TWO = ("年級", "年级", "年代")

PAUSE_CHARS = frozenset("，。、；：！？…—,.;:!?")
_PAUSE_MARK = "\x00"  # a bracket: becomes ， or nothing once its neighbours are known

PUNCTUATION = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", ".": "。"}
DROPPED = frozenset('“”‘’「」『』"《》〈〉')
BRACKETS = frozenset("()（）【】[]〔〕")

# Full-width digits and letters are matched as ASCII (one character each, offsets unchanged).
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FOLD |= {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)}
_FOLD |= {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)}


# --- number words -------------------------------------------------------------------------


def _below_10000(n: int, w: Words, leading: bool) -> str:
    """1..9999; ``leading``: this group starts the number (so 10-19 say 十…)."""
    out: list[str] = []
    gap = False
    for place, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // place % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append("零")
            gap = False
        if place == 10 and d == 1 and leading and not out:
            out.append("十")
        elif place == 1000 and d == 2:
            out.append(w.liang + unit)
        else:
            out.append(DIGITS[d] + unit)
    return "".join(out)


def _cardinal(n: int, w: Words, leading: bool = True) -> str:
    for base, unit in ((10**8, w.yi), (10**4, w.wan)):
        if n >= base:
            high, low = divmod(n, base)
            head = w.liang if high == 2 else _cardinal(high, w, leading)
            if low == 0:
                return head + unit
            gap = "零" if low < base // 10 else ""
            return head + unit + gap + _cardinal(low, w, leading=False)
    return _below_10000(n, w, leading)


def cardinal(n: int, script: Script = "Hant") -> str:
    """An integer in words: 1990 → 一千九百九十, 10000 → 一萬 (一万), -5 → 負五."""
    w = WORDS[script]
    if n < 0:
        return w.fu + cardinal(-n, script)
    return "零" if n == 0 else _cardinal(n, w)


def digit_by_digit(digits: str, zero: str = "零") -> str:
    """``2022`` → 二〇二二 (with zero="〇"); ``010`` → 零一零."""
    return "".join(zero if d == "0" else DIGITS[int(d)] for d in digits)


def _int_words(n: int, w: Words) -> str:
    return "零" if n == 0 else _cardinal(n, w)


def _digit_pieces(digits: str, start: int, zero: str = "零") -> list[Piece]:
    return [(digit_by_digit(d, zero), start + i) for i, d in enumerate(digits) if d.isdigit()]


def _number(s: str, start: int, w: Words) -> list[Piece]:
    """``1,234.56`` at ``start`` → 一千二百三十四 點 五 六 (one piece per fraction digit)."""
    whole, _, frac = s.partition(".")
    pieces = [(_int_words(int(whole.replace(",", "")), w), start)]
    if frac:
        dot = start + len(whole)
        pieces.append((w.dian, dot))
        pieces += _digit_pieces(frac, dot + 1)
    return pieces


def _is_year(s: str) -> bool:
    return len(s) == 4 and s[0] in "12" and s.isdigit()


# --- rules ----------------------------------------------------------------------------------

NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
PERCENT = "%％‰"
MINUS = "-−－"
RANGE_SEP = "-－~～〜—–"

Render = Callable[[re.Match[str], str, Words], list[Piece]]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    render: Render


def _iso_date(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """2022-12-20 → 二〇二二年十二月二十日."""
    y, mo, d = m.start(1), m.start(3), m.start(4)
    return [
        *_digit_pieces(m[1], y, YEAR_ZERO),
        ("年", m.start(2)),
        (_cardinal(int(m[3]), w), mo),
        ("月", m.end(3)),
        (_cardinal(int(m[4]), w), d),
        ("日", m.end(4) - 1),
    ]


def _year_month(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """2022-12 → 二〇二二年十二月."""
    return [
        *_digit_pieces(m[1], m.start(1), YEAR_ZERO),
        ("年", m.start(2)),
        (_cardinal(int(m[3]), w), m.start(3)),
        ("月", m.end(3) - 1),
    ]


def _time(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """10:30 → 十點三十分, 9:05 → 九點零五分, 2:00 → 兩點."""
    hour = int(m[1])
    pieces = [(w.liang if hour == 2 else _int_words(hour, w), m.start(1))]
    pieces.append((w.dian, m.start(2) - 1))
    minute = int(m[2])
    if minute:
        pieces.append((("零" if minute < 10 else "") + _cardinal(minute, w), m.start(2)))
        pieces.append(("分", m.end(2) - 1))
    return pieces


def _phone(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """Digit by digit; a hyphen becomes a space (a short gap)."""
    return [(" " if c == "-" else DIGITS[int(c)], m.start() + i) for i, c in enumerate(m.group())]


def _range(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """1-10月 → 一至十月; 10%-20% → 百分之十至百分之二十; 10-20% → 百分之十至二十."""
    left, lpct, right, rpct = m[1], m[2], m[4], m[5]
    years = _is_year(left) and _is_year(right)
    years = years and (text.startswith("年", m.end()) or 1900 <= int(left) < int(right) <= 2099)

    def side(num: str, start: int) -> list[Piece]:
        return _digit_pieces(num, start, YEAR_ZERO) if years else _number(num, start, w)

    pieces: list[Piece] = []
    if lpct or rpct:
        pieces.append((_percent_word(lpct or rpct), m.start(1)))
    pieces += side(left, m.start(1))
    pieces.append(("至", m.start(3)))
    if lpct and rpct:
        pieces.append((_percent_word(rpct), m.start(4)))
    pieces += side(right, m.start(4))
    return pieces


def _percent_word(sign: str) -> str:
    return "千分之" if sign == "‰" else "百分之"


def _percent(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """42.2% → 百分之四十二點二; -3% → 負百分之三; 5‰ → 千分之五."""
    pieces: list[Piece] = [(w.fu, m.start(1))] if m[1] else []
    pieces.append((_percent_word(m[3]), m.start(2)))
    return pieces + _number(m[2], m.start(2), w)


def _fraction(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """1/3 → 三分之一 (all at the numerator: the order of saying is reversed)."""
    return [(_int_words(int(m[2]), w) + "分之" + _int_words(int(m[1]), w), m.start())]


def _year(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """2022年 → 二〇二二年 (the 年 passes through)."""
    return _digit_pieces(m.group(), m.start(), YEAR_ZERO)


def _negative(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """-5 → 負五."""
    return [(w.fu, m.start()), *_number(m[1], m.start(1), w)]


_ALNUM_PART = re.compile(r"[A-Z][a-z]{2,}|[a-z]{2,}|[A-Za-z]|[0-9]+")


def _alnum(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """5G → 五G, IPv6 → I P v六, APP → A P P, COVID-19 → C O V I D十九."""
    pieces: list[Piece] = []
    after_latin = False
    for part in _ALNUM_PART.finditer(m.group()):
        token, at = part.group(), m.start() + part.start()
        if token.isdigit():
            words = _int_words(int(token), w) if len(token) <= 2 else digit_by_digit(token)
            pieces.append((words, at))
            after_latin = False
        else:
            if after_latin:
                pieces.append((" ", at))
            pieces.append((token, at))
            after_latin = True
    return pieces


def _takes_liang(text: str, start: int, end: int) -> bool:
    after = text[end : end + 2]
    if start > 0 and text[start - 1] == "第":
        return False
    return after.startswith(MEASURE_WORDS) and not after.startswith(EXCEPT_AFTER_TWO)


def _plain_number(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """1990 → 一千九百九十, 42.2 → 四十二點二, 1,234 → 一千二百三十四, 2個 → 兩個."""
    if m.group() == "2" and _takes_liang(text, m.start(), m.end()):
        return [(w.liang, m.start())]
    return _number(m.group(), m.start(), w)


def _punctuation(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """ASCII , : ; ! ? . used in Chinese text → ，：；！？。"""
    return [(PUNCTUATION[m.group()], m.start())]


def _dropped(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """Quotes and book-title marks are not spoken."""
    return []


def _bracket(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """Brackets become a pause (resolved by _resolve_pauses)."""
    return [(_PAUSE_MARK, m.start())]


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# Tried in order at each position; the first that matches wins.
RULES: tuple[Rule, ...] = (
    Rule(
        "iso-date",
        _c(r"([12][0-9]{3})([-/.])(0?[1-9]|1[0-2])\2(0?[1-9]|[12][0-9]|3[01])(?![0-9])"),
        _iso_date,
    ),
    Rule("year-month", _c(r"([12][0-9]{3})([-/])(0?[1-9]|1[0-2])(?![0-9.%％])"), _year_month),
    Rule("time", _c(r"([01]?[0-9]|2[0-4]):([0-5][0-9])(?![0-9])"), _time),
    Rule(
        "phone",
        _c(
            r"(?:[0-9]{3,4}-[0-9]{7,8}|[0-9]{3}-[0-9]{3,4}-[0-9]{4}|0[0-9]{2,}|[0-9]{11,})"
            r"(?![0-9.,])"
        ),
        _phone,
    ),
    Rule(
        "range",
        _c(rf"({NUM})([{PERCENT}]?)[ \t]*([{RANGE_SEP}])[ \t]*({NUM})([{PERCENT}]?)"),
        _range,
    ),
    Rule("percent", _c(rf"(?:(?<![0-9A-Za-z])([{MINUS}]))?({NUM})([{PERCENT}])"), _percent),
    Rule("fraction", _c(r"([0-9]{1,3})/([0-9]{1,3})(?![0-9/])"), _fraction),
    Rule("year", _c(r"(?:[12][0-9]{3}|0[0-9])(?=年)"), _year),
    Rule("negative", _c(rf"(?<![0-9A-Za-z])[{MINUS}]({NUM})"), _negative),
    Rule("latin", _c(r"[0-9]*[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"), _alnum),
    Rule("number", _c(NUM), _plain_number),
    Rule("punctuation", _c(r"[,:;!?]|(?<!\.)\.(?![A-Za-z0-9.])"), _punctuation),
    Rule("quote", _c("[" + re.escape("".join(sorted(DROPPED))) + "]"), _dropped),
    Rule("bracket", _c("[" + re.escape("".join(sorted(BRACKETS))) + "]"), _bracket),
)

# A rule can only start at one of these characters; everything else passes straight through.
_TRIGGERS = frozenset(
    "0123456789"
    + "".join(map(chr, range(65, 91)))
    + "".join(map(chr, range(97, 123)))
    + MINUS
    + "".join(PUNCTUATION)
    + "".join(DROPPED)
    + "".join(BRACKETS)
)


def _resolve_pauses(chars: list[str], offsets: list[int]) -> Spoken:
    """Brackets: one ， where none is already heard; nothing at the start or the end."""
    out: list[str] = []
    out_offsets: list[int] = []
    for i, (ch, off) in enumerate(zip(chars, offsets, strict=True)):
        if ch != _PAUSE_MARK:
            out.append(ch)
            out_offsets.append(off)
            continue
        following = next((c for c in chars[i + 1 :] if c != _PAUSE_MARK), None)
        if not out or out[-1] in PAUSE_CHARS or following is None or following in PAUSE_CHARS:
            continue
        out.append("，")
        out_offsets.append(off)
    return Spoken("".join(out), tuple(out_offsets))


def normalize(text: str, script: Script = "Hant") -> Spoken:
    """What to say for ``text``, in ``script`` ("Hant" or "Hans"), with the offset map."""
    if script not in WORDS:
        raise ValueError(f"unknown script {script!r}: use 'Hant' or 'Hans'")
    w = WORDS[script]
    folded = text.translate(_FOLD)
    chars: list[str] = []
    offsets: list[int] = []
    pos = 0
    while pos < len(text):
        if folded[pos] in _TRIGGERS:
            for rule in RULES:
                m = rule.pattern.match(folded, pos)
                if m and m.end() > pos:
                    for spoken, offset in rule.render(m, folded, w):
                        chars.extend(spoken)
                        offsets.extend([offset] * len(spoken))
                    pos = m.end()
                    break
            else:
                chars.append(text[pos])
                offsets.append(pos)
                pos += 1
        else:
            chars.append(text[pos])
            offsets.append(pos)
            pos += 1
    return _resolve_pauses(chars, offsets)
