"""The reading table: how a Mandarin listener expects numbers, units and codes to be said.

Written from GB/T 15835-2011 (numbers in publications: which forms are numbers, years, ranges,
codes) and the Xinhua/CCTV reading conventions (years and codes digit by digit, 兩 before
measure words, 至 for ranges, 比 for ratios and scores, 百分之 before the number, 負/正 for
signs, units and currencies said in Chinese, Latin acronyms spelled as letters). Each case is
checked in Traditional text (spoken in Traditional) and, converted with OpenCC, in Simplified
text (spoken in Simplified).
"""

from __future__ import annotations

import pytest

from speak.speech.normalize import normalize
from speak.zh.script import to_simplified

# (category, written, spoken)
TABLE = [
    # years: digit by digit, 〇 as printed
    ("year", "2021年", "二〇二一年"),
    ("year", "2022年", "二〇二二年"),
    ("year", "2000年", "二〇〇〇年"),
    ("year", "1999年", "一九九九年"),
    ("year", "1949年", "一九四九年"),
    ("year", "2035年遠景目標", "二〇三五年遠景目標"),
    ("year", "到2025年底", "到二〇二五年底"),
    ("year", "08年", "〇八年"),
    ("year", "1000年前", "一千年前"),
    ("year", "3年", "三年"),
    ("year", "50年代", "五十年代"),
    ("year", "建元四年（368年）", "建元四年，三六八年"),
    ("year", "943年5月", "九四三年五月"),
    ("year", "300年", "三百年"),
    ("range", "961年—1017年", "九六一年至一〇一七年"),
    ("range", "1975年-1979年", "一九七五年至一九七九年"),
    # dates
    ("date", "12月20日", "十二月二十日"),
    ("date", "1月1日", "一月一日"),
    ("date", "10月1日", "十月一日"),
    ("date", "2月2日", "二月二日"),
    ("date", "12月2日", "十二月二日"),
    ("date", "2022年12月20日", "二〇二二年十二月二十日"),
    ("date", "1949年10月1日", "一九四九年十月一日"),
    ("date", "2022-12-20", "二〇二二年十二月二十日"),
    ("date", "2022/1/5", "二〇二二年一月五日"),
    ("date", "2022.12.20", "二〇二二年十二月二十日"),
    ("date", "2021-12", "二〇二一年十二月"),
    ("date", "5日", "五日"),
    ("date", "2號", "二號"),
    # times
    ("time", "10:30", "十點三十分"),
    ("time", "9:05", "九點零五分"),
    ("time", "凌晨2:00", "凌晨兩點"),
    ("time", "23:59:59", "二十三點五十九分五十九秒"),
    ("time", "會議於14:30開始", "會議於十四點三十分開始"),
    ("time", "5:30左右", "五點三十分左右"),
    # ranges: 至, units on either side
    ("range", "1-10月", "一至十月"),
    ("range", "1～10", "一至十"),
    ("range", "1~10", "一至十"),
    ("range", "1—10", "一至十"),
    ("range", "3-5年", "三至五年"),
    ("range", "1-2個", "一至兩個"),
    ("range", "2-3個", "兩至三個"),
    ("range", "10萬-20萬元", "十萬至二十萬元"),
    ("range", "10-20萬元", "十至二十萬元"),
    ("range", "3億-5億", "三億至五億"),
    ("range", "10%-20%", "百分之十至百分之二十"),
    ("range", "10-20%", "百分之十至百分之二十"),
    ("range", "5%—10%", "百分之五至百分之十"),
    ("range", "1.5-2.5", "一點五至二點五"),
    ("range", "2021-2025年", "二〇二一至二〇二五年"),
    ("range", "2021—2025年", "二〇二一至二〇二五年"),
    ("range", "2020-21賽季", "二〇二〇至二一賽季"),
    ("range", "1998-2000", "一九九八至二〇〇〇"),
    ("range", "30-40℃", "三十至四十攝氏度"),
    ("range", "5-10公里", "五至十公里"),
    # ratios and scores: 比
    ("ratio", "3:1", "三比一"),
    ("ratio", "比例為1:10", "比例為一比十"),
    ("ratio", "比分3:2", "比分三比二"),
    ("ratio", "以2:0獲勝", "以二比零獲勝"),
    ("ratio", "1:1.5", "一比一點五"),
    ("ratio", "按1:1配套", "按一比一配套"),
    ("ratio", "16:9", "十六比九"),
    # percentages
    ("percent", "42.2%", "百分之四十二點二"),
    ("percent", "42.2％", "百分之四十二點二"),
    ("percent", "21.5%和30.4%", "百分之二十一點五和百分之三十點四"),
    ("percent", "100%", "百分之一百"),
    ("percent", "0.3%", "百分之零點三"),
    ("percent", "50%以上", "百分之五十以上"),
    ("percent", "99.9%", "百分之九十九點九"),
    ("percent", "5‰", "千分之五"),
    ("percent", "增長42.2%,規上", "增長百分之四十二點二，規上"),
    # decimals
    ("decimal", "42.2", "四十二點二"),
    ("decimal", "0.25", "零點二五"),
    ("decimal", "3.05", "三點零五"),
    ("decimal", "3.1415", "三點一四一五"),
    ("decimal", "1.5倍", "一點五倍"),
    ("decimal", "增長5.2.", "增長五點二。"),
    ("decimal", "8.5折", "八點五折"),
    # fractions
    ("fraction", "1/3", "三分之一"),
    ("fraction", "3/4", "四分之三"),
    ("fraction", "1/2", "二分之一"),
    ("fraction", "2/3的企業", "三分之二的企業"),
    # signed numbers
    ("signed", "-5", "負五"),
    ("signed", "-5℃", "負五攝氏度"),
    ("signed", "-3%", "負百分之三"),
    ("signed", "下降-3.5%", "下降負百分之三點五"),
    ("signed", "溫度−2", "溫度負二"),
    ("signed", "+5%", "正百分之五"),
    ("signed", "+5", "正五"),
    ("signed", "同比+12.3%", "同比正百分之十二點三"),
    ("signed", "-0.5", "負零點五"),
    # currency
    ("currency", "¥30", "三十元"),
    ("currency", "￥1.5", "一點五元"),
    ("currency", "$5", "五美元"),
    ("currency", "€20", "二十歐元"),
    ("currency", "£5", "五英鎊"),
    ("currency", "100元", "一百元"),
    ("currency", "30美元", "三十美元"),
    ("currency", "3000億美元", "三千億美元"),
    ("currency", "5,000元", "五千元"),
    ("currency", "1,234,567元", "一百二十三萬四千五百六十七元"),
    ("currency", "12.5億元", "十二點五億元"),
    # units
    ("unit", "25℃", "二十五攝氏度"),
    ("unit", "5°C", "五攝氏度"),
    ("unit", "5km", "五公里"),
    ("unit", "5kg", "五千克"),
    ("unit", "100m²", "一百平方米"),
    ("unit", "3km²", "三平方千米"),
    ("unit", "10cm", "十釐米"),
    ("unit", "5mm", "五毫米"),
    ("unit", "5m", "五米"),
    ("unit", "20ml", "二十毫升"),
    ("unit", "5L", "五升"),
    ("unit", "10kW", "十千瓦"),
    ("unit", "3h", "三小時"),
    ("unit", "5min", "五分鐘"),
    ("unit", "100平方公里", "一百平方公里"),
    # 萬 and 億
    ("wan-yi", "10萬元", "十萬元"),
    ("wan-yi", "2.5萬", "二點五萬"),
    ("wan-yi", "28.6萬人", "二十八點六萬人"),
    ("wan-yi", "4億戶", "四億戶"),
    ("wan-yi", "3.5億", "三點五億"),
    ("wan-yi", "10000", "一萬"),
    ("wan-yi", "10005", "一萬零五"),
    ("wan-yi", "100010000", "一億零一萬"),
    ("wan-yi", "20000", "兩萬"),
    ("wan-yi", "30萬千瓦", "三十萬千瓦"),
    # integers
    ("integer", "1990", "一千九百九十"),
    ("integer", "15", "十五"),
    ("integer", "1010", "一千零一十"),
    ("integer", "2000", "兩千"),
    ("integer", "150家", "一百五十家"),
    ("integer", "110家企業", "一百一十家企業"),
    ("integer", "101", "一百零一"),
    ("integer", "0", "零"),
    ("integer", "約5000", "約五千"),
    ("integer", "20餘家", "二十餘家"),
    # 兩 before a measure word, 二 otherwise
    ("liang", "2個", "兩個"),
    ("liang", "2個月", "兩個月"),
    ("liang", "2斤", "兩斤"),
    ("liang", "2米", "兩米"),
    ("liang", "2公里", "兩公里"),
    ("liang", "2小時", "兩小時"),
    ("liang", "2次", "兩次"),
    ("liang", "2項", "兩項"),
    ("liang", "2倍", "兩倍"),
    ("liang", "2人", "兩人"),
    ("liang", "2家", "兩家"),
    ("liang", "2億", "兩億"),
    ("liang", "約2個", "約兩個"),
    ("liang", "第2個", "第二個"),
    ("liang", "第2名", "第二名"),
    ("liang", "2年級", "二年級"),
    ("liang", "2月", "二月"),
    ("liang", "12個", "十二個"),
    ("liang", "22個", "二十二個"),
    ("liang", "2000個", "兩千個"),
    # phone numbers, hotlines, codes: digit by digit, 一 not 幺
    ("digits", "13812345678", "一三八一二三四五六七八"),
    ("digits", "010-12345678", "零一零 一二三四五六七八"),
    ("digits", "400-810-8888", "四零零 八一零 八八八八"),
    ("digits", "編號007", "編號零零七"),
    ("digits", "熱線12345", "熱線一二三四五"),
    ("digits", "撥打12315", "撥打一二三一五"),
    ("digits", "電話:12345", "電話：一二三四五"),
    ("digits", "郵編100804", "郵編一零零八零四"),
    ("digits", "區號0551", "區號零五五一"),
    ("digits", "機芯9600-0019", "機芯九六零零 零零一九"),
    ("digits", "客服熱線95588", "客服熱線九五五八八"),
    # model names and versions
    ("model", "PM2.5", "P M二點五"),
    ("model", "5G", "五G"),
    ("model", "加快5G在垂直行業", "加快五G在垂直行業"),
    ("model", "V2.0", "V二點零"),
    ("model", "IPv6", "I P v六"),
    ("model", "COVID-19", "C O V I D十九"),
    ("model", "G20", "G二十"),
    ("model", "A380", "A三八零"),
    ("model", "4K", "四K"),
    ("model", "3D打印", "三D打印"),
    # Latin acronyms spelled as letters
    ("acronym", "APP", "A P P"),
    ("acronym", "ＡＰＰ", "A P P"),
    ("acronym", "GDP", "G D P"),
    ("acronym", "WTO", "W T O"),
    ("acronym", "CPU", "C P U"),
    ("acronym", "推進APP專項整治", "推進A P P專項整治"),
    ("acronym", "Python", "Python"),
]


@pytest.mark.parametrize(("category", "written", "spoken"), TABLE)
def test_reading_table(category: str, written: str, spoken: str) -> None:
    said = normalize(written, "Hant")
    assert said.text == spoken, f"{category}: {written!r}"
    assert list(said.source_offsets) == sorted(said.source_offsets)
    simple = to_simplified(written)
    assert normalize(simple, "Hans").text == to_simplified(spoken), f"{category} (Hans): {simple!r}"


def test_table_covers_every_category_with_150_cases() -> None:
    assert len(TABLE) >= 150
    assert len(set(TABLE)) == len(TABLE)
    categories = {c for c, _, _ in TABLE}
    assert categories >= {
        "year", "date", "time", "range", "ratio", "percent", "decimal", "fraction",
        "signed", "currency", "unit", "wan-yi", "liang", "digits", "model", "acronym",
    }  # fmt: skip
