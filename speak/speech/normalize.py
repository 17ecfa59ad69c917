"""Text for speech: written Chinese → what a voice should say, in the text's own script.

``normalize(text, script)`` rewrites numbers, units, currencies, dates, times, ranges, ratios,
codes, Latin acronyms, quotes and brackets, and keeps a map from every spoken character back to
the offset of the source character it came from.

Numbers are read by WeTextProcessing's runtime (PyPI ``wetext``: the field's Chinese text
normaliser, prebuilt FSTs): cardinals, decimals, percentages, fractions, years, dates, times,
currencies (¥ $ € £ 元 美元), units (℃ km kg m² …), 兩 before measure words. Each number is
handed to it as a short *chunk* (the number, its symbols and up to two following characters,
which decide 兩 and years) in Simplified form, and its output is aligned back: characters it
keeps at either end map to themselves, the rest to the number (decimal digits and years one to
one), and what it adds is converted to ``script`` (Traditional stays Traditional).

The rules kept here are the ones it lacks or gets wrong, each small and tested:
- ranges (``-`` ``~`` ``—`` … between numbers) say 至: 1-10月 → 一至十月, 10萬-20萬元 →
  十萬至二十萬元 (it says 負), year spans stay digit by digit: 2020-21賽季 → 二〇二〇至二一;
- ratios and scores say 比: 3:1, and 1:10 after 比/比例/比分/為/以 (it says a time);
- signs: +5% → 正百分之五, -3% → 負百分之三 (it says 百分之正五); ‰ → 千分之;
- ordinals keep 二: 第2名 → 第二名; a single 2 before a measure word it misses is 兩
  (2次 → 兩次), a day stays 二 (2日);
- digit strings read digit by digit with 一 (yī), never 幺: phone shapes, 0-led codes and
  part numbers (9600-0019), 11+ digits, and any number after 熱線/電話/撥打/郵編/編號…;
  a hyphen becomes a short gap;
- Latin: capitals and lone lower-case letters are spelled, separated by spaces (``APP`` →
  ``A P P``, ``IPv6`` → ``I P v六``); 2+ lower-case letters stay words. Digits in such a
  token: leading ones as a number (``5G`` → 五G), after letters up to two digits as a number
  and longer runs digit by digit (``G20`` → G二十, ``A380`` → A三八零), decimals with 點
  (``PM2.5`` → P M二點五, ``V2.0`` → V二點零). Units (``5km``) are left to wetext;
- years written with 〇 (二〇二一年), as they are printed; three-digit years said digit by
  digit where they are years, not counts (（368年） → 三六八年, 961年—1017年 → 九六一年至…);
- quotes and book-title marks are dropped; brackets become a comma pause (，) unless a pause is
  already there. ASCII ``, : ; ! ?`` (and a free-standing ``.``) become Chinese punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from speak.model import Script
from speak.zh.script import to_simplified, to_traditional

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
    script: str


WORDS: dict[str, Words] = {
    "Hant": Words(wan="萬", yi="億", dian="點", liang="兩", fu="負", script="Hant"),
    "Hans": Words(wan="万", yi="亿", dian="点", liang="两", fu="负", script="Hans"),
}
DIGITS = "零一二三四五六七八九"
YEAR_ZERO = "〇"

# Measure words after which a single 2 is said 兩 (both scripts). Multi-character ones are
# matched as prefixes; EXCEPT_AFTER_TWO lists words that start like one but take 二.
MEASURE_WORDS = (
    *"個个位名家種种項项條条次年天倍件人戶户批類类台臺輛辆艘架所座隻只本張张份場场輪轮塊块歲岁屆届週周",
    *"億亿萬万千百",
    *("小時", "小时", "分鐘", "分钟"),
)
EXCEPT_AFTER_TWO = ("年級", "年级", "年代")
DAY_MARKS = "日號号月"  # 2日, 2號: a date says 二

PAUSE_CHARS = frozenset("，。、；：！？…—,.;:!?")
_PAUSE_MARK = "\x00"  # a bracket: becomes ， or nothing once its neighbours are known

PUNCTUATION = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", ".": "。"}
DROPPED = frozenset('“”‘’「」『』"《》〈〉')
BRACKETS = frozenset("()（）【】[]〔〕")
DIGITS_AFTER = ("熱線", "热线", "電話", "电话", "撥打", "拨打", "專線", "专线", "號碼", "号码")
DIGITS_AFTER += ("郵編", "邮编", "編號", "编号", "代碼", "代码", "客服", "傳真", "传真")
RATIO_AFTER = ("比", "比例", "比分", "比值", "比為", "比为", "為", "为", "以", "按")

# Full-width digits, letters and signs are matched as ASCII (one character each).
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FOLD |= {c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)}
_FOLD |= {c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)}
_FOLD |= {ord("−"): "-", ord("＋"): "+", ord("％"): "%", ord("＄"): "$", ord("￥"): "¥"}


# --- number words (for the rules wetext lacks) --------------------------------------------


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


def _takes_liang(text: str, start: int, end: int) -> bool:
    after = text[end : end + 2]
    if start > 0 and text[start - 1] == "第":
        return False
    return after.startswith(MEASURE_WORDS) and not after.startswith(EXCEPT_AFTER_TWO)


# --- wetext: numbers, units, currencies, dates, times -------------------------------------


@cache
def _wetext():
    from wetext import Normalizer

    return Normalizer(lang="zh", operator="tn")


@cache
def wetext_says(chunk: str) -> str:
    """wetext's reading of a short Simplified ``chunk`` (cached: numbers recur)."""
    return _wetext().normalize(chunk)


def _common_ends(a: str, b: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix of ``a`` and ``b`` (not overlapping)."""
    most = min(len(a), len(b))
    head = 0
    while head < most and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < most - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _said_pieces(said: str, written: str, start: int) -> list[Piece]:
    """wetext's words for ``written`` (at ``start``): as fine a map as the words allow.

    Years and decimals' fraction digits map digit to digit, 點 to the point; the rest to
    the start of the number.
    """
    digits = re.fullmatch(r"[-+]?[0-9]+(?:\.([0-9]+))?", written)
    if digits is None:
        return [(said, start)]
    if len(said) == len(written) and all(c in DIGITS + YEAR_ZERO for c in said):
        return [(c, start + i) for i, c in enumerate(said)]
    frac = digits.group(1) or ""
    point = said[-len(frac) - 1] if frac and len(said) > len(frac) else ""
    if point in ("點", "点") and said.endswith(digit_by_digit(frac)):
        dot = start + written.index(".")
        whole = said[: -len(frac) - 1]
        return [
            (whole, start),
            (point, dot),
            *[(c, dot + 1 + i) for i, c in enumerate(said[-len(frac) :])],
        ]
    return [(said, start)]


def _wetext_chunk(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """A number with its symbols and context, read by wetext, fixed and mapped back."""
    written = m.group()
    plain = re.sub(r"(?<=[0-9]),(?=[0-9]{3})", "", written)  # 5,000 (wetext: 五,零零零)
    simple = to_simplified(plain)
    said = wetext_says(simple)
    head, tail = _common_ends(simple, said)
    middle = said[head : len(said) - tail].replace("幺", "一")
    number = re.match(r"[-+]?[0-9][0-9,.]*", written[head:])
    number_text = number.group() if number else ""
    after = text[m.start() + head + len(number_text) :]
    if (
        number_text == "2"
        and middle == "二"
        and _takes_liang(text, m.start() + head, m.start() + head + 1)
    ):
        middle = "两"  # 2次, 2項, 2倍
    if number_text == "2" and middle == "两" and after[:1] in DAY_MARKS:
        middle = "二"  # 2日, 2號
    year = re.match(r"(?:[12][0-9]{3}|0[0-9])(?=年|[-/.][0-9])", written)
    if year and middle[: year.end()].strip(DIGITS) == "":
        middle = middle[: year.end()].replace("零", YEAR_ZERO) + middle[year.end() :]  # 二〇二一年
    if w.script == "Hant":
        middle = to_traditional(middle)
    pieces = [(c, m.start() + i) for i, c in enumerate(written[:head])]
    if middle:
        pieces += _said_pieces(middle, number_text, m.start() + head)
    end = len(written)
    pieces += [(written[end - tail + i], m.start() + end - tail + i) for i in range(tail)]
    return pieces


# --- the rules wetext lacks or gets wrong ---------------------------------------------------

NUM = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
PERCENT = "%‰"
RANGE_SEP = "-－~～〜—–"
UNITS = r"(?:km|cm|mm|kg|mg|kW|ml|mL|min|m|g|L|h|s)[²³]?"
DATE = (
    r"[12][0-9]{3}(?:([-/])(?:1[0-2]|0?[1-9])(?:\1(?:3[01]|[12][0-9]|0?[1-9]))?"
    r"|\.(?:1[0-2]|0?[1-9])\.(?:3[01]|[12][0-9]|0?[1-9]))(?![0-9])"
)
TIME = r"(?:[01]?[0-9]|2[0-4]):[0-5][0-9](?::[0-5][0-9])?(?![0-9])"
HAN = r"[\u3007\u3400-\u4dbf\u4e00-\u9fff]"

Render = Callable[[re.Match[str], str, Words], list[Piece]]
Applies = Callable[[re.Match[str], str], bool]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    render: Render
    applies: Applies | None = None  # context the pattern cannot see


def _percent_word(sign: str) -> str:
    return "千分之" if sign == "‰" else "百分之"


def _phone(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """Digit by digit (一, never 幺); a hyphen becomes a space (a short gap)."""
    return [(" " if c == "-" else DIGITS[int(c)], m.start() + i) for i, c in enumerate(m.group())]


def _after_a_digits_word(m: re.Match[str], text: str) -> bool:
    before = text[max(0, m.start() - 3) : m.start()].rstrip(":：是為为 ")
    return before.endswith(DIGITS_AFTER)


def _ratio(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """3:1 → 三比一 (a score, a ratio)."""
    return [*_number(m[1], m.start(1), w), ("比", m.start(2) - 1), *_number(m[2], m.start(2), w)]


def _is_ratio(m: re.Match[str], text: str) -> bool:
    if not re.fullmatch(TIME, m.group()):
        return True
    before = text[max(0, m.start() - 2) : m.start()]
    return before.endswith(RATIO_AFTER)


def _year_range(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """2021-2025 → 二〇二一至二〇二五, 2020-21 → 二〇二〇至二一 (years said digit by digit)."""
    return [
        *_digit_pieces(m[1], m.start(1), YEAR_ZERO),
        ("至", m.start(2)),
        *_digit_pieces(m[3], m.start(3), YEAR_ZERO),
    ]


def _is_year_range(m: re.Match[str], text: str) -> bool:
    left, right = m[1], m[3]
    if len(right) == 2:
        return int(right) > int(left[2:])
    return int(left) < int(right) and (
        text.startswith("年", m.end()) or (int(left) >= 1900 and int(right) <= 2099)
    )


def _year_span(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """961年—1017年 → 九六一年至… (the right year is read as usual)."""
    return [*_digit_pieces(m[1], m.start(1), YEAR_ZERO), ("年", m.end(1)), ("至", m.start(2))]


def _old_year(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """（368年） → 三六八年: a year of three digits, said digit by digit."""
    return _digit_pieces(m.group(), m.start(), YEAR_ZERO)


def _is_old_year(m: re.Match[str], text: str) -> bool:
    """A three-digit number before 年 is a year (not a count of years) in brackets, before
    a month, or in a span: （368年）, 943年5月, 961年—."""
    before = text[m.start() - 1 : m.start()]
    after = text[m.end() + 1 : m.end() + 4]
    return before in ("（", "(") or re.match(r"[）)—–~～-]|[0-9]{1,2}月", after) is not None


def _range(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """The left side and the separator: 1-10月 → 一至 (the right side is read as usual).

    10萬-20萬 → 十萬至…; 10%-20% and 10-20% → 百分之十至…; 2-3個 → 兩至….
    """
    left, unit, sign = m[1], m[2], m[3]
    right = re.match(rf"(?:{NUM})([{PERCENT}]?)", text[m.end() :])
    sign = sign or (right[1] if right else "")
    pieces: list[Piece] = [(_percent_word(sign), m.start(1))] if sign else []
    if left == "2" and not unit and right and _takes_liang(text, m.end(), m.end() + right.end()):
        pieces.append((w.liang, m.start(1)))
    else:
        pieces += _number(left, m.start(1), w)
    if unit:
        pieces.append((unit, m.start(2)))
    return [*pieces, ("至", m.start(4))]


def _signed(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """+5% → 正百分之五, -3% → 負百分之三, +5 → 正五."""
    pieces: list[Piece] = [("正" if m[1] == "+" else w.fu, m.start(1))]
    if m[3]:
        pieces.append((_percent_word(m[3]), m.start(2)))
    return pieces + _number(m[2], m.start(2), w)


def _permille(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """5‰ → 千分之五."""
    return [("千分之", m.start()), *_number(m[1], m.start(1), w)]


def _ordinal(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """第2名 → 第二名 (an ordinal never says 兩)."""
    pieces = _number(m.group(), m.start(), w)
    return [
        (said.replace(w.liang, "二"), at) if i == 0 and said == w.liang else (said, at)
        for i, (said, at) in enumerate(pieces)
    ]


_ALNUM_PART = re.compile(r"[A-Z][a-z]{2,}|[a-z]{2,}|[A-Za-z]|[0-9]+(?:\.[0-9]+)?")


def _alnum(m: re.Match[str], text: str, w: Words) -> list[Piece]:
    """5G → 五G, IPv6 → I P v六, APP → A P P, PM2.5 → P M二點五, COVID-19 → C O V I D十九."""
    pieces: list[Piece] = []
    after_latin = False
    for k, part in enumerate(_ALNUM_PART.finditer(m.group())):
        token, at = part.group(), m.start() + part.start()
        if token[0].isdigit():
            whole = token.partition(".")[0]
            if "." in token or k == 0 or len(whole) <= 2:
                pieces += _number(token, at, w)
            else:
                pieces.append((digit_by_digit(token), at))
            after_latin = False
        else:
            if after_latin:
                pieces.append((" ", at))
            pieces.append((token, at))
            after_latin = True
    return pieces


def _not_a_unit(m: re.Match[str], text: str) -> bool:
    return re.fullmatch(rf"(?:{NUM}){UNITS}", m.group()) is None


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


_CHUNK = (
    rf"(?:(?<![0-9A-Za-z])-)?(?:[¥$€£])?(?:{DATE}|{TIME}|(?:{NUM})(?:/[0-9]+(?![0-9/]))?)"
    rf"(?:°C|[%℃°²]|{UNITS}(?![A-Za-z]))?{HAN}{{0,2}}"
)

# Tried in order at each position; the first that matches (and applies) wins.
RULES: tuple[Rule, ...] = (
    Rule(
        "digits",
        _c(
            r"(?:[0-9]{3,4}-[0-9]{7,8}|[0-9]{3}-[0-9]{3,4}-[0-9]{4}|[0-9]{2,}-0[0-9]{2,}"
            r"|0[0-9]{2,}|[0-9]{11,})"
            r"(?![0-9.,])"
        ),
        _phone,
    ),
    Rule(
        "digits-after-word", _c(r"[0-9]{3,}(?:-[0-9]+)*(?![0-9.,])"), _phone, _after_a_digits_word
    ),
    Rule("ratio", _c(r"([0-9]+(?:\.[0-9]+)?):([0-9]+(?:\.[0-9]+)?)(?![0-9:])"), _ratio, _is_ratio),
    Rule("date", _c(DATE), _wetext_chunk),
    Rule(
        "year-span",
        _c(rf"([0-9]{{3,4}})年[ \t]*([{RANGE_SEP}])[ \t]*(?=[0-9]{{3,4}}年)"),
        _year_span,
    ),
    Rule("old-year", _c(r"[0-9]{3}(?=年)"), _old_year, _is_old_year),
    Rule(
        "year-range",
        _c(rf"([12][0-9]{{3}})[ \t]*([{RANGE_SEP}])[ \t]*([0-9]{{4}}|[0-9]{{2}})(?![0-9])"),
        _year_range,
        _is_year_range,
    ),
    Rule(
        "range",
        _c(rf"({NUM})([萬万億亿千百]?)([{PERCENT}]?)[ \t]*([{RANGE_SEP}])[ \t]*(?=[0-9])"),
        _range,
    ),
    Rule(
        "signed",
        _c(rf"(?<![0-9A-Za-z])(\+|-(?=(?:{NUM})[{PERCENT}]))({NUM})([{PERCENT}]?)"),
        _signed,
    ),
    Rule("permille", _c(rf"({NUM})‰"), _permille),
    Rule("ordinal", _c(rf"(?<=第)(?:{NUM})"), _ordinal),
    Rule("latin", _c(r"[0-9]*[A-Za-z][A-Za-z0-9]*(?:[-.][A-Za-z0-9]+)*"), _alnum, _not_a_unit),
    Rule("number", _c(_CHUNK), _wetext_chunk),
    Rule("punctuation", _c(r"[,:;!?]|(?<!\.)\.(?![A-Za-z0-9.])"), _punctuation),
    Rule("quote", _c("[" + re.escape("".join(sorted(DROPPED))) + "]"), _dropped),
    Rule("bracket", _c("[" + re.escape("".join(sorted(BRACKETS))) + "]"), _bracket),
)

# A rule can only start at one of these characters; everything else passes straight through.
_TRIGGERS = frozenset(
    "0123456789+-¥$€£"
    + "".join(map(chr, range(65, 91)))
    + "".join(map(chr, range(97, 123)))
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
                if m and m.end() > pos and (rule.applies is None or rule.applies(m, folded)):
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
