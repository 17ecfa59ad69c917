"""The everyday heteronym set (tests/data/everyday*.tsv): its integrity, speak's accuracy on
it, and the everyday misreadings of issue 14 and the constructions that decide them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from speak.readings import Reader, readings_of
from speak.readings.patterns import pattern_reading
from speak.zh.script import simplified_char

DATA = Path(__file__).resolve().parent / "data"
FILES = ("everyday.tsv", "everyday_trad.tsv")
HOLDOUT = ("everyday_holdout.tsv", "everyday_holdout_trad.tsv")
FRESH = ("everyday_fresh.tsv", "everyday_fresh_trad.tsv")
SECOND = ("everyday_second.tsv", "everyday_second_trad.tsv")
SANDHI_ONLY = frozenset("一不")


def rows_of(name: str) -> list[tuple[str, int, str, str, str]]:
    lines = (DATA / name).read_text("utf-8").splitlines()[1:]
    return [(s, int(i), c, g, half) for s, i, c, g, half, _ in (line.split("\t") for line in lines)]


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader()


def reading(reader: Reader, text: str, offset: int) -> str:
    (found,) = [r for r in reader.read(text) if r.offset == offset]
    return found.pinyin


# --- the set ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_every_row_names_a_reading_of_its_character(name):
    rows = rows_of(name)
    assert len(rows) >= 450
    for sentence, idx, char, gold, half in rows:
        assert sentence[idx] == char, sentence
        assert gold in readings_of(char), (sentence, gold)
        assert half in ("dev", "test")


def test_both_scripts_hold_the_same_rows():
    simplified, traditional = rows_of(FILES[0]), rows_of(FILES[1])
    assert len(simplified) == len(traditional)
    for s, t in zip(simplified, traditional, strict=True):
        assert (s[1], s[3], s[4]) == (t[1], t[3], t[4])
        assert len(s[0]) == len(t[0])
        # the Traditional heteronym is a form of the Simplified one (乾/幹 of 干, 噁 of 恶, 著)
        assert s[2] == t[2] or simplified_char(t[2]) == s[2] or t[2] in "噁乾瞭著", (s, t)
    assert sum(s[0] != t[0] for s, t in zip(simplified, traditional, strict=True)) > 300


@pytest.mark.parametrize("name", FILES)
def test_every_reading_has_two_rows_and_one_in_each_half(name):
    rows = rows_of(name)
    # a heteronym by its Simplified form (乾 and 幹 are both 干), as the Simplified file has it
    heteronym = [r[2] for r in rows_of(FILES[0])]
    counts = Counter((h, g) for h, (_, _, _, g, _) in zip(heteronym, rows, strict=True))
    assert len({c for c, _ in counts}) >= 80
    assert min(counts.values()) >= 2
    halves = {(h, g, half) for h, (_, _, _, g, half) in zip(heteronym, rows, strict=True)}
    assert all((c, g, half) in halves for c, g in counts for half in ("dev", "test"))


def test_traditional_forms_where_one_simplified_char_is_several():
    forms = {(s[0], t[2]) for s, t in zip(rows_of(FILES[0]), rows_of(FILES[1]), strict=True)}
    assert ("他很着急。", "著") in forms
    assert ("衣服已经干了。", "乾") in forms and ("我们一起干活吧。", "幹") in forms
    assert ("我给你冲杯茶。", "沖") in forms and ("他冲我笑了笑。", "衝") in forms
    assert ("请系好安全带。", "繫") in forms and ("我们是朋友关系。", "係") in forms


# --- speak on it -----------------------------------------------------------------------------


def wrong_rows(reader: Reader, rows) -> list[tuple[str, str, str, str]]:
    found = reader.read_many([r[0] for r in rows])
    wrong = []
    for (sentence, idx, char, gold, _), readings in zip(rows, found, strict=True):
        got = next(r.pinyin for r in readings if r.offset == idx)
        same = got.rstrip("12345") == gold.rstrip("12345") if char in SANDHI_ONLY else got == gold
        if not same:
            wrong.append((sentence, char, gold, got))
    return wrong


@pytest.mark.parametrize("name", FILES)
def test_speak_reads_the_everyday_set_right(reader, name):
    rows = rows_of(name)
    wrong = wrong_rows(reader, rows)
    # Issue 14 asks for 99%; speak reads 99.2/99.1% (was 85%, then 93.5%, 97.4%, 98.5%): the
    # rest are senses no word or construction names (看孩子 kān, 衣服干了 gān, 和药 huò,
    # 树叶落了一地 luò against pypinyin's word 落了 là) and a jieba name tag (和稀泥).
    assert len(wrong) <= len(rows) * 0.01, wrong


# The blind sets, each written after the model it was first measured on was fixed: the file,
# its split, its least size and the share of rows speak may read wrong.
BLIND_SETS = [
    # hold-out: 94.8% in both scripts (92.2% before the usual readings and the everyday
    # common-word weights); its errors have been seen since, and once decided against a change
    *((name, "holdout", 250, 0.055) for name in HOLDOUT),
    # fresh: measured once at 92.3% (the model before it read 91.4%); its errors were seen
    # after that, and the fixed common-word weight and the cut margin then read 94.1%
    *((name, "fresh", 330, 0.06) for name in FRESH),
    # second: written after the fixed common-word weight, the cut margin and the 落 pattern
    # were set and the model retrained; measured once: 94.7% in both scripts (pypinyin 86.9%).
    # The clean measure of what a new text can expect.
    *((name, "second", 390, 0.06) for name in SECOND),
]


@pytest.mark.parametrize(("name", "split", "at_least", "wrong_share"), BLIND_SETS)
def test_speak_reads_the_blind_sets(reader, name, split, at_least, wrong_share):
    rows = rows_of(name)
    assert len(rows) >= at_least and {r[4] for r in rows} == {split}
    for sentence, idx, char, gold, _ in rows:
        assert sentence[idx] == char and gold in readings_of(char), sentence
    wrong = wrong_rows(reader, rows)
    assert len(wrong) <= len(rows) * wrong_share, wrong


@pytest.mark.parametrize(
    ("text", "offsets", "gold"),
    [
        ("他很著急", (2,), "zhao2"),
        ("他得了第一名", (1,), "de2"),
        ("他得了第一名", (4,), "yi1"),
        ("你得去看看", (1,), "dei3"),
        ("為人民服務", (0,), "wei4"),
        ("为人民服务", (0,), "wei4"),
        ("你數一數", (1, 3), "shu3"),
        ("量一量", (0, 2), "liang2"),
        ("有多長", (2,), "chang2"),
    ],
)
def test_the_everyday_misreadings_of_issue_14(reader, text, offsets, gold):
    assert [reading(reader, text, i) for i in offsets] == [gold] * len(offsets)


@pytest.mark.parametrize(
    ("text", "word", "gold"),
    [
        ("我去过重庆。", "重", "chong2"),  # jieba's cut: 去过|重庆, not 去|过重|庆
        ("企业加快5G在垂直行業的应用。", "行", "hang2"),
        ("他跑得很快。", "得", "de5"),
        ("孩子一天天长大了。", "长", "zhang3"),
        ("我认为这个办法很好。", "为", "wei2"),
    ],
)
def test_dictionary_words_and_constructions(reader, text, word, gold):
    assert reading(reader, text, text.index(word)) == gold


# --- the patterns alone ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "char", "gold"),
    [
        ("你数一数", "数", "shu3"),
        ("你数数看", "数", "shu3"),
        ("你得去看看", "得", "dei3"),
        ("他得了冠军", "得", "de2"),
        ("昨晚睡不着。", "着", "zhao2"),
        ("我们都为你高兴", "为", "wei4"),
        ("这条河有多长？", "长", "chang2"),
        ("绳子长三米", "长", "chang2"),
        ("他写了三行字", "行", "hang2"),
        ("这么多菜我吃不了。", "了", "liao3"),
        # verb frames
        ("他终于弄清楚了", "弄", "nong4"),
        ("把衣服弄干", "弄", "nong4"),
        ("小狗在地上刨坑", "刨", "pao2"),
        ("我们坐的士去", "的", "di1"),
        ("我们打的去机场", "的", "di1"),
        ("鱼刺卡在喉咙里", "卡", "qia3"),
        ("门卡住了", "卡", "qia3"),
        ("你说得倒容易", "倒", "dao4"),
        ("我把书包落在教室里了", "落", "la4"),
        ("他把钥匙落在出租车上了。", "落", "la4"),
    ],
)
def test_a_pattern_names_the_reading(text, char, gold):
    assert pattern_reading(text, text.index(char)) == gold


@pytest.mark.parametrize(
    ("text", "char"),
    [
        ("他跑得很快", "得"),  # the complement: no rule
        ("他成为医生", "为"),  # 成为: wéi
        ("为人所知", "为"),  # passive 为…所
        ("孩子长大了", "长"),  # zhǎng
        ("他晓得了。", "了"),  # 晓得 is a word: 了 is the particle
        ("这种花很香", "种"),  # a kind of flower, not planting
        ("代表团一行", "行"),  # 一行 "a party"
        ("他住在弄堂里", "弄"),  # lòng, the lane
        ("木匠用刨子", "刨"),  # bào, the plane
        ("我们的士兵很勇敢", "的"),  # 的 + 士兵
        ("这是他打的球", "的"),  # 打的 + a noun: de
        ("我的银行卡在钱包里", "卡"),  # the card
        ("这棵树打得倒吗", "倒"),  # dǎo
        ("石磨磨豆腐", "磨"),  # the first 磨 ends the noun 石磨
        ("要把责任落在实处", "落"),  # no closing 了: luò
        ("他把目光落在我身上。", "落"),  # luò
        ("树叶落在地上了。", "落"),  # no 把: luò
    ],
)
def test_no_pattern_outside_its_construction(text, char):
    assert pattern_reading(text, text.index(char)) is None


# --- common words, and what the context model never learned ----------------------------------


@pytest.mark.parametrize(
    ("text", "word", "gold"),
    [
        ("妈妈是一名会计。", "会", "kuai4"),  # g2pM: hui4, sure by 50 nats
        ("这双鞋很结实。", "结", "jie1"),
        ("屋子里很暖和。", "和", "huo5"),
        ("大家都在随声附和。", "和", "he4"),
        ("这类事情数见不鲜。", "数", "shuo4"),  # the context model only learned shù and shǔ
        ("他献过三次血，献血光荣。", "血", "xue4"),  # 审音表: xuè in compounds
        ("师傅正在和面做馒头。", "和", "huo2"),  # a word jieba's corpus does not list
        ("这块布落色吗？", "落", "lao4"),  # nor this one
        ("他们在工地上和泥。", "和", "huo2"),  # jieba cuts 和|泥: 和泥 breaks no word of it
        ("他笑得像个傻瓜似的。", "似", "shi4"),  # shì is pypinyin's first reading of 似 …
        ("她冻得发抖似的。", "似", "shi4"),  # … but sì is its usual one (似乎, 相似)
        ("这本传记写得很生动。", "传", "zhuan4"),  # the models: chuán
        ("批评要有的放矢。", "的", "di4"),  # the models: de
    ],
)
def test_a_common_word_gives_its_own_reading(reader, text, word, gold):
    assert reading(reader, text, text.rindex(word)) == gold


@pytest.mark.parametrize(
    ("text", "word", "gold"),
    [
        ("我们开会计划明年的工作。", "会", "hui4"),  # 开会|计划: no 会计 here
        ("这是一家大银行。", "行", "hang2"),
        ("他很会计算。", "会", "hui4"),  # 会|计算
        ("我喜欢牛奶和面包。", "和", "he2"),  # 和|面包, though pypinyin's cut makes 和面|包
        ("他和泥瓦匠聊天。", "和", "he2"),  # 和|泥瓦匠
    ],
)
def test_a_word_the_cut_does_not_make_gives_no_reading(reader, text, word, gold):
    assert reading(reader, text, text.index(word)) == gold


@pytest.mark.parametrize(
    ("text", "word", "gold"),
    [
        ("编辑部我校对过三遍了。", "校", "jiao4"),  # jieba: 我校|对, 1.6 nats from 我|校对
        ("孩子们飞也似的奔向操场。", "似", "shi4"),  # jieba: 飞也似|的
        ("我校对面就是公园。", "校", "xiao4"),  # jieba: 我校|对面, far from 我|校对|面
        ("我校对外开放。", "校", "xiao4"),  # 我校|对外
    ],
)
def test_the_cuts_agree_on_a_word_jieba_nearly_keeps(reader, text, word, gold):
    assert reading(reader, text, text.index(word)) == gold


def test_the_usual_reading_is_the_one_running_text_has_most():
    from speak.zh.chars import default_reading, usual_reading

    assert (default_reading("似"), usual_reading("似")) == ("shi4", "si4")  # 似乎, 相似, 类似
    assert usual_reading("累") == "lei3"  # 积累, 累计
    # a character alone counts at pypinyin's first reading: function words keep theirs,
    # though most of their words read otherwise (首都 dū, 作为 wéi)
    assert (usual_reading("都"), usual_reading("为"), usual_reading("的")) == (
        "dou1",
        "wei4",
        "de5",
    )
    assert usual_reading("會") == "hui4"  # a Traditional character, by its Simplified form


def test_names_are_not_common_words():
    from speak.readings.wordcut import CheckedWords
    from speak.zh.words import segment

    for text, char, common in (("湖北黄陂区", "陂", False), ("她是会计", "会", True)):
        words = CheckedWords(text, segment(text))
        assert words.common_word(text.index(char))[2] is common, text


def test_decide_scores_the_evidence_the_combiner_was_trained_on():
    """combine.decide has its own fast loop; it must pick what feature_rows · weights picks
    (the evidence tools/train_polyphone.py fits), or the shipped weights mean something else."""
    from speak.readings import combine
    from speak.readings.context import context_model
    from speak.readings.experts import collect_votes
    from speak.zh.script import to_simplified
    from speak.zh.words import segment

    rows = rows_of(FILES[1])
    texts = [r[0] for r in rows]
    simple = [to_simplified(t) for t in texts]
    votes = collect_votes(
        texts,
        simple,
        [segment(s) for s in simple],
        [[r[1]] for r in rows],
        context_model(),
        combine.priors(),
    )
    checked = common = 0
    for (vote,) in votes:
        if vote.g2pm is None and vote.context is None:
            continue
        weights = (
            combine._char_weights(vote.char)
            if vote.context is not None
            else combine._weights("plain")
        )
        evidence = combine.feature_rows(vote)
        scores = [sum(x * w for x, w in zip(row, weights, strict=True)) for row in evidence]
        assert combine.decide(vote)[0] == vote.candidates[scores.index(max(scores))], vote
        checked += 1
        common += vote.common
    assert checked > 500 and common > 50
