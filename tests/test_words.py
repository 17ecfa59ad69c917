"""The word cut braille uses to write words apart."""

from __future__ import annotations

from speak.zh.words import word_ids


def words(text: str) -> list[str]:
    ids = word_ids(text)
    out: list[str] = []
    for k, char in enumerate(text):
        if k and ids[k] == ids[k - 1]:
            out[-1] += char
        else:
            out.append(char)
    return out


def test_report_text_is_cut_into_words() -> None:
    assert words("全国工业和信息化工作会议在北京召开") == [
        *["全国", "工业", "和", "信息化", "工作", "会议", "在", "北京", "召开"]
    ]


def test_traditional_text_is_cut_as_its_simplified_form() -> None:
    assert words("全國工業和信息化工作會議") == ["全國", "工業", "和", "信息化", "工作", "會議"]


def test_every_other_character_is_a_word_alone() -> None:
    assert words("增长42.2%，规模") == ["增长", "4", "2", ".", "2", "%", "，", "规模"]


def test_words_the_list_lacks_are_found_by_the_hmm() -> None:
    from speak.zh.words import is_listed

    assert is_listed("工业") and not is_listed("提振") and not is_listed("低碳")
    assert words("著力提振工業經濟") == ["著力", "提振", "工業", "經濟"]
    assert words("推進產業綠色低碳轉型") == ["推進", "產業", "綠色", "低碳", "轉型"]


def test_the_cut_is_jiebas_own() -> None:
    """jieba (the oracle, a test extra) cuts 400 g2pL train sentences the same way."""
    import csv
    import logging

    import jieba

    from speak.zh.han import is_han
    from tests.conftest import FIXTURES

    jieba.setLogLevel(logging.WARNING)
    with open(FIXTURES / "g2pl-six" / "train.tsv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    sentences = [row[0] for row in rows[::4]][:400]
    same = 0
    for sentence in sentences:
        ours = [w for w in words(sentence) if all(map(is_han, w))]
        theirs = [w for w in jieba.cut(sentence) if all(map(is_han, w))]
        same += ours == theirs
    assert len(sentences) == 400 and same >= 396  # the rest: characters outside jieba's range


def test_cut_cost_says_how_far_a_word_is_from_the_best_cut() -> None:
    from speak.zh.words import cut_cost

    assert cut_cost("我去过重庆", 3, 5) == 0  # 重庆 is in jieba's best cut
    assert 1 < cut_cost("请帮我校对一下", 3, 5) < 2  # 我校|对 wins, but only just
    assert cut_cost("我去过重庆", 2, 4) > 7  # 过重 would break 重庆
    assert cut_cost("我校对面", 1, 3) > cut_cost("请帮我校对一下", 3, 5)
    assert cut_cost("我去过重庆", 0, 2) is None  # 我去 is not in the list
