"""Document + readings → Utterances: forced readings, offsets, pauses, lexicon homophones."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from pypinyin import Style, pinyin

from speak.model import Document, Paragraph, Reading, Section, Sentence
from speak.readings import Reader
from speak.speech.script import (
    PARAGRAPH_PAUSE,
    SENTENCE_PAUSE,
    apply_homophones,
    homophones,
    utterances,
)

PARAGRAPHS = [
    ["工信部表示:實現“十四五”良好開局。", "1-10月利潤同比增長42.2%。"],
    ["推進APP專項整治,加大IPv6應用。"],
    ["1-10月利潤同比增長42.2%。"],  # a repeat: the sections stage leaves it out
]


def _document(script: str = "Hant") -> Document:
    """A small Document built by hand, as parse + sections would build it."""
    text_parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    n = 0
    for index, sentences in enumerate(PARAGRAPHS):
        start = offset
        built = []
        for s in sentences:
            built.append(Sentence(number=n, start=offset, end=offset + len(s)))
            n += 1
            offset += len(s)
        text_parts.append("".join(sentences))
        paragraphs.append(
            Paragraph(
                index=index,
                start=start,
                end=offset,
                line=index + 1,
                sentences=tuple(built),
                repeat_of=0 if index == 2 else None,
            )
        )
        offset += 1  # the "\n" between paragraphs
    text = "\n".join(text_parts)
    sections = (
        Section(index=0, title="開頭", paragraphs=(paragraphs[0],)),
        Section(index=1, title="一", paragraphs=(paragraphs[1],)),
    )
    return Document(
        source="test.txt",
        encoding="utf-8",
        text=text,
        annotations=(),
        paragraphs=tuple(paragraphs),
        sections=sections,
        script=script,  # type: ignore[arg-type]
    )


def _readings(doc: Document) -> dict[int, Reading]:
    """A reading for every Han char (pypinyin), with 長 checked as zhang3 as in 增長."""
    result: dict[int, Reading] = {}
    for offset, char in enumerate(doc.text):
        if "\u4e00" <= char <= "\u9fff":
            (syllable,) = pinyin(char, style=Style.TONE3, neutral_tone_with_five=True)[0]
            result[offset] = Reading(offset=offset, char=char, pinyin=syllable, source="default")
    for offset, char in enumerate(doc.text):
        if char == "長":
            result[offset] = Reading(offset, char, "zhang3", "phrase", 1.0, ("chang2", "zhang3"))
    return result


@dataclass(frozen=True)
class Entry:
    pinyin: tuple[str, ...]
    say: str | None = None


@dataclass
class Lexicon:
    entries: dict[str, Entry] = field(default_factory=dict)


def test_one_utterance_per_spoken_sentence_keyed_by_section() -> None:
    doc = _document()
    result = utterances(doc, _readings(doc))
    assert sorted(result) == [0, 1]
    assert [u.sentence_id for u in result[0]] == ["s000", "s001"]
    assert [u.sentence_id for u in result[1]] == ["s002"]  # the repeat (s003) is not spoken


def test_checked_reading_of_zhang_lands_on_its_spoken_position() -> None:
    doc = _document()
    (_, second) = utterances(doc, _readings(doc))[0]
    assert second.text == "一至十月利潤同比增長百分之四十二點二。"
    at = second.text.index("長")
    assert second.readings[at] == "zhang3"
    assert doc.text[second.source_offsets[at]] == "長"
    assert second.readings[second.text.index("增")] == "zeng1"


def test_number_words_made_from_digits_are_read_by_the_chain_with_spoken_tones() -> None:
    doc = _document()
    first, second = utterances(doc, _readings(doc))[0]
    for said, read in (
        ("一至十", "yi1 zhi4 shi2"),  # a number for itself: 一 stays yi1
        ("百分之四十二點二", "bai3 fen1 zhi1 si4 shi2 er4 dian3 er4"),
    ):
        at = second.text.index(said)
        assert " ".join(second.readings[at : at + len(said)]) == read  # type: ignore[arg-type]
    # 十 written as 十 (in “十四五”) keeps its checked reading
    assert first.readings[first.text.index("十四五")] == "shi2"
    han = [
        r for c, r in zip(second.text, second.readings, strict=True) if "\u4e00" <= c <= "\u9fff"
    ]
    assert None not in han  # every spoken Han character carries a reading


def test_yi_and_bu_are_sent_with_their_spoken_tones() -> None:
    doc = _document()
    text = "一是不要一個一個進一步統一,二〇二一年第一。"
    doc = replace(
        doc,
        text=text,
        paragraphs=(Paragraph(0, 0, len(text), 1, (Sentence(1, 0, len(text)),)),),
        sections=(
            Section(0, "一", (Paragraph(0, 0, len(text), 1, (Sentence(1, 0, len(text)),)),)),
        ),
    )
    (u,) = utterances(doc, _readings(doc))[0]
    said = {i: r for i, r in enumerate(u.readings) if u.text[i] in "一不"}
    assert [said[i] for i in sorted(said)] == [
        "yi1",  # 一是: an enumeration
        "bu2",  # 不要
        "yi2",  # 一個
        "yi2",
        "yi2",  # 進一步
        "yi1",  # 統一: the end of a word
        "yi1",  # 二〇二一
        "yi1",  # 第一
    ]


def test_offsets_are_absolute_and_inside_the_sentence() -> None:
    doc = _document()
    for spoken in utterances(doc, _readings(doc)).values():
        for u in spoken:
            sentence = next(s for s in doc.sentences if s.id == u.sentence_id)
            assert len(u.source_offsets) == len(u.text) == len(u.readings)
            assert list(u.source_offsets) == sorted(u.source_offsets)
            assert all(sentence.start <= o < sentence.end for o in u.source_offsets)
    second = utterances(doc, _readings(doc))[0][1]
    percent = doc.text.index("42.2%")
    assert second.source_offsets[second.text.index("百分之")] == percent


def test_latin_and_punctuation_are_spoken_forms() -> None:
    doc = _document()
    (u,) = utterances(doc, _readings(doc))[1]
    assert u.text == "推進A P P專項整治，加大I P v六應用。"
    assert u.readings[u.text.index("A")] is None


def test_pauses_are_longer_at_paragraph_ends() -> None:
    doc = _document()
    result = utterances(doc, _readings(doc))
    assert [u.pause_after for u in result[0]] == [SENTENCE_PAUSE, PARAGRAPH_PAUSE]
    assert [u.pause_after for u in result[1]] == [PARAGRAPH_PAUSE]
    assert PARAGRAPH_PAUSE > SENTENCE_PAUSE > 0


def test_say_equals_text_without_a_lexicon() -> None:
    doc = _document()
    for spoken in utterances(doc, _readings(doc)).values():
        assert all(u.say == u.text for u in spoken)


def test_lexicon_say_replaces_its_phrase_only_in_say() -> None:
    doc = _document()
    lexicon = Lexicon(
        {"增長": Entry(("zeng1", "zhang3"), say="增掌"), "開局": Entry(("kai1", "ju2"))}
    )
    second = utterances(doc, _readings(doc), lexicon, Reader())[0][1]
    assert second.say == "一至十月利潤同比增掌百分之四十二點二。"
    assert "增長" in second.text
    first = utterances(doc, _readings(doc), lexicon, Reader())[0][0]
    assert first.say == first.text  # 開局 has no say


def test_lexicon_phrase_in_the_other_script_still_matches() -> None:
    doc = _document("Hant")
    lexicon = Lexicon({"增长": Entry(("zeng1", "zhang3"), say="增掌")})
    second = utterances(doc, _readings(doc), lexicon, Reader())[0][1]
    assert "增掌" in second.say


def test_lexicon_phrase_with_digits_matches_the_spoken_form() -> None:
    doc = _document()
    lexicon = Lexicon({"IPv6": Entry(("ai4",), say="愛皮威六")})
    (u,) = utterances(doc, _readings(doc), lexicon, Reader())[1]
    assert u.say == "推進A P P專項整治，加大愛皮威六應用。"


@pytest.mark.parametrize(
    ("text", "table", "said"),
    [
        ("銀行行長", {"行長": "航掌", "銀行行長": "銀航航掌"}, "銀航航掌"),  # longest first
        ("行長行長", {"行長": "航掌"}, "航掌航掌"),
        ("沒有", {"行長": "航掌"}, "沒有"),
        ("沒有", {}, "沒有"),
    ],
)
def test_apply_homophones(text: str, table: dict[str, str], said: str) -> None:
    assert apply_homophones(text, table) == said


def test_homophones_skip_entries_without_say() -> None:
    lexicon = Lexicon(
        {"行長": Entry(("hang2", "zhang3")), "重慶": Entry(("chong2", "qing4"), "崇慶")}
    )
    table = homophones(lexicon, "Hant")
    assert "行長" not in table
    assert table["重慶"] == "崇慶"
    assert homophones(None, "Hant") == {}
