"""A report's own title and date, for tags and metadata (pure functions over the text)."""

from __future__ import annotations

import pytest

from speak.document.metadata import report_date, report_title
from speak.document.parse import parse_text


def doc(text: str):
    return parse_text(text, "t.txt")


def test_sample_title_and_date(sample_analysis):
    assert report_title(sample_analysis.doc) == "全國工業和信息化工作會議在北京以視頻形式召開"
    assert report_date(sample_analysis.doc) == "2021-12-20"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2022年3月5日，國務院總理作政府工作報告。", "2022-03-05"),
        ("１月10日，全国工作会议召开，总结2021年工作，部署2022年任务。", "2022-01-10"),
        ("12月20日，會議總結了2021年工作，部署2022年任務。", "2021-12-20"),
        ("12月20日，會議在北京召開。", ""),  # no year in the text: none is guessed
        ("會議總結了2021年工作，部署2022年任務。", ""),  # no date at all
        ("12月20日，會議總結了2019年工作，部署2022年任務。", ""),  # not consecutive years
        ("2021年13月40日，會議召開。", ""),  # not a date
    ],
)
def test_report_date(text, date):
    assert report_date(doc(text)) == date


def test_title_skips_a_dateline_and_a_heading_is_its_own_title():
    assert report_title(doc("12月20日，會議在北京召開，部署任務。")) == "會議在北京召開"
    assert report_title(doc("二〇二二年工作要點\n一是加強管理。")) == "二〇二二年工作要點"
