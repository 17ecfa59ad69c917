"""Checked readings → the neural voice's phones (speak.speech.neural.phones)."""

from __future__ import annotations

import json

import pytest

from speak.speech.neural.fetch import model_dir
from speak.speech.neural.phones import (
    MAX_SYLLABLES,
    NotPinyin,
    is_approximated,
    phone_string,
    split_syllable,
    syllabify,
    syllable_phones,
)
from speak.zh.pinyin import inventory


@pytest.fixture(scope="module")
def mapper(neural_voice) -> dict:
    return json.loads((model_dir(neural_voice) / "baker_mapper.json").read_text("utf-8"))


def test_every_syllable_the_voice_knows_maps_as_it_was_trained(mapper) -> None:
    known = [s for s in sorted(inventory()) if s in mapper["pinyin_dict"]]
    assert len(known) > 400
    for syllable in known:
        assert split_syllable(syllable) == tuple(mapper["pinyin_dict"][syllable]), syllable


def test_syllables_the_voice_does_not_list_still_map_to_its_phones(mapper) -> None:
    unknown = sorted(inventory() - set(mapper["pinyin_dict"]))
    assert "hm" in unknown and "ê" in unknown
    symbols = mapper["symbol_to_id"]
    for syllable in unknown:
        for tone in "12345":
            phones = syllable_phones(syllable + tone)
            assert all(p in symbols for p in phones), (syllable, phones)
    assert {s for s in unknown if is_approximated(s)} == {"m", "hm", "hng", "ê"}


def test_tone_and_spelling_forms() -> None:
    assert syllable_phones("zhang3") == ("zh", "ang3")
    assert syllable_phones("lu:4") == syllable_phones("lü4") == ("l", "v4")
    assert syllable_phones("jun1") == ("j", "vn1")
    assert syllable_phones("shi4") == ("sh", "iii4")
    assert syllable_phones("si1") == ("s", "ii1")
    assert syllable_phones("de") == ("d", "e5")  # no tone: neutral
    assert syllable_phones("huar1") == ("h", "ua1", "er5")  # erhua written on the syllable
    assert syllable_phones("er2") == ("^", "er2")
    for bad in ("zhang9", "xyz1", "", "i1"):
        with pytest.raises(NotPinyin):
            syllable_phones(bad)


def test_words_commas_and_enumeration_commas_make_the_breaks() -> None:
    script = syllabify("增長很快，收入、利潤", (None,) * 10)
    assert phone_string(script) == (
        "sil z eng1 #0 zh ang3 #1 h en3 #0 k uai4 #3 sh ou1 #0 r u4 #2 l i4 #0 r uen4 sil"
    )
    assert script.notes == ()


def test_checked_readings_win_over_defaults() -> None:
    script = syllabify("增長", ("zeng1", "zhang3"))
    assert [s.reading for s in script.syllables] == ["zeng1", "zhang3"]
    assert syllabify("長", ("chang2",)).chunks[0].phones == ("sil", "ch", "ang2", "sil")


def test_erhua_char_joins_the_syllable_before() -> None:
    script = syllabify("一點兒", ("yi4", "dian3", "r5"))
    assert phone_string(script) == "sil ^ i4 #0 d ian3 er5 sil"
    assert script.syllables[-1].joined


def test_letters_are_spelled_and_symbols_reported_never_dropped_silently() -> None:
    script = syllabify("五G網絡@", (None,) * 5)
    assert "j i4" in phone_string(script)
    assert script.notes == (
        "Latin letters spelled by name: G",
        "'@' cannot be said by the voice: left out",
    )


def test_a_long_sentence_is_cut_at_its_strongest_breaks() -> None:
    clause = "工業經濟平穩運行" * 2  # 16 syllables
    text = "，".join([clause] * 5)
    script = syllabify(text, (None,) * len(text))
    assert len(script.chunks) > 1
    assert all(c.phones.count("sil") == 2 for c in script.chunks)
    for chunk in script.chunks:
        syllables = {o for o in chunk.owners if o >= 0}
        assert len(syllables) <= MAX_SYLLABLES
        assert "#3" in phone_string(script)
    assert all(c.pause_after > 0 for c in script.chunks[:-1]) and script.chunks[-1].pause_after == 0
    assert sum(len({o for o in c.owners if o >= 0}) for c in script.chunks) == 80


def test_the_sample_sends_zeng1_zhang3(sample_analysis) -> None:
    """What the engine receives for 增長 in the sample: the checked zhang3, never chang."""
    from speak.speech.script import utterances

    by_section = utterances(sample_analysis.doc, sample_analysis.readings)
    found = 0
    for spoken in by_section.values():
        for u in spoken:
            script = syllabify(u.text, u.readings)
            for k, s in enumerate(script.syllables[:-1]):
                if u.text[s.start : s.end + 1] == "增長":
                    found += 1
                    assert (s.reading, script.syllables[k + 1].reading) == ("zeng1", "zhang3")
                    assert script.syllables[k + 1].phones == ("zh", "ang3")
    assert found == 2  # both 增(zeng)長(chang) of line 3


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("展覽館", ["zhan2", "lan2", "guan3"]),  # inside a word: every 3 before a 3
        ("很好", ["hen2", "hao3"]),  # across words, one of them a single syllable
        ("總理，我很好", ["zong2", "li3", "wo2", "hen2", "hao3"]),  # never across a comma
        ("增長", ["zeng1", "zhang3"]),
    ],
)
def test_third_tones_are_sent_as_spoken(text, said) -> None:
    """The voice learned tones as spoken (its corpus labels 卡尔普 ka2 er2 pu3)."""
    script = syllabify(text, (None,) * len(text))
    assert [s.reading for s in script.syllables] == said
    assert all(s.phones[-1].endswith(r[-1]) for s, r in zip(script.syllables, said, strict=True))


def test_a_neutral_tone_word_leans_on_the_word_before() -> None:
    script = syllabify("發展的", ("fa1", "zhan3", "de5"))
    assert phone_string(script) == "sil f a1 #0 zh an3 #0 d e5 sil"
    assert "#1" in phone_string(syllabify("發展工業", (None,) * 4))
