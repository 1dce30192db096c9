"""Answers shaped like the question: the whole enumeration for a list question, a row per document for a
comparison across an archive. On the seeds and on small archives built here."""

from __future__ import annotations

import datetime as dt

from retrieval.answering.asking import facet_class
from retrieval.answering.listing import enumerations
from retrieval.answering.qa import ask
from retrieval.indexing.build import open_index

TODAY = dt.date(2026, 12, 1)


def test_the_seeds_seven_tasks_are_listed_whole_in_order(seed_index):
    ans = ask(seed_index, "2024年全国中医药局长会议部署了哪些重点任务", cited=TODAY).answer
    items = ans.listing.items
    assert [i.text[:2] for i in items] == ["一是", "二是", "三是", "四是", "五是", "六是", "七是"]
    assert items[0].text == "一是统筹落实中央关于中医药的重大决策和服务区域协调发展战略,"
    assert [i.paragraph for i in items] == sorted(i.paragraph for i in items)
    assert ans.listing.doc.id.startswith("000") and "第" in ans.listing.citation


def test_a_question_not_asking_for_items_gets_no_list(seed_index):
    assert ask(seed_index, "中医药局长会议宣读了谁的书面讲话", cited=TODAY).answer.listing is None


def test_enumerations_restart_at_one_and_keep_their_kind(seed_index):
    chunks = seed_index.chunks_of("004_24f03fbfa045bec9.txt")
    found = enumerations(chunks)
    assert found and all(len(e.items) >= 2 for e in found)
    for e in found:
        assert [i.paragraph for i in e.items] == sorted(i.paragraph for i in e.items)


def _report_series(tmp_path, years):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for y in years:
        (corpus / f"{y}年政府工作报告.txt").write_text(
            f"{y}年政府工作报告\n\n{y}年3月5日\n\n一、过去一年的工作回顾\n\n"
            f"过去一年,粮食产量达到{y % 50 + 400}亿斤。\n\n"
            f"二、今年的主要任务\n\n今年的主要预期目标是:国内生产总值增长{y % 3 + 5}%左右,"
            f"粮食产量目标{y % 40 + 450}亿斤。\n",
            encoding="utf-8",
        )
    return corpus


def test_a_year_range_gets_a_row_per_years_document_in_order(tmp_path):
    index, _ = open_index(_report_series(tmp_path, [2019, 2020, 2021, 2022, 2023]), tmp_path / "index.sqlite")
    ans = ask(index, "2020年到2022年国内生产总值增长目标是多少", cited=TODAY).answer
    rows = ans.comparison.rows
    assert [r.facet for r in rows] == ["2020年", "2021年", "2022年"]
    assert [r.text for r in rows] == ["国内生产总值增长6%左右", "国内生产总值增长7%左右", "国内生产总值增长5%左右"]
    ans = ask(index, "历年粮食产量目标", cited=TODAY).answer
    assert len(ans.comparison.rows) == 5


def test_a_class_word_beside_a_named_year_is_no_comparison(tmp_path):
    index, _ = open_index(_report_series(tmp_path, [2019, 2020]), tmp_path / "index.sqlite")
    assert facet_class("1986年七五计划平均每年增长") == ("year", "每年", None)
    assert ask(index, "2020年粮食产量每年目标", cited=TODAY).answer.comparison is None


def test_no_comparison_without_a_series(seed_index):
    """The seeds name regions, but 各省 over documents of two regions is no table."""
    ans = ask(seed_index, "各省中医药工作有什么经验", cited=TODAY).answer
    assert ans.comparison is None or len(ans.comparison.rows) >= 2


def test_ranges_open_at_their_end_and_written_with_dashes():
    assert facet_class("2013年以来历年国内生产总值增长目标") == ("year", "2013年以来", (2013, None))
    since = facet_class("自1993年起,每年政府工作报告回顾的上一年全国进出口总额是多少")
    assert since == ("year", "自1993年起", (1993, None))
    assert facet_class("1992—1998年的政府工作报告,每年给零售物价涨幅定的控制目标是多少")[2] == (1992, 1998)
    assert facet_class("1993至1999年的政府工作报告里,各自回顾的上一年经济增长是多少")[2] == (1993, 1999)


def test_a_range_since_a_year_gets_each_year_s_plan_or_review(tmp_path):
    """Each report plans its year and reviews the one before: 目标 rows are each year's plan, 回顾的上一年 rows
    each report's review, whatever the section headings name."""
    index, _ = open_index(_report_series(tmp_path, [2019, 2020, 2021, 2022, 2023]), tmp_path / "index.sqlite")
    ans = ask(index, "2020年以来历年粮食产量目标是多少", cited=TODAY).answer
    assert [r.facet for r in ans.comparison.rows] == ["2020年", "2021年", "2022年", "2023年"]
    assert [r.text for r in ans.comparison.rows] == [f"粮食产量目标{y % 40 + 450}亿斤" for y in range(2020, 2024)]
    ans = ask(index, "自2021年起,每年政府工作报告回顾的上一年粮食产量是多少", cited=TODAY).answer
    assert [r.facet for r in ans.comparison.rows] == ["2021年", "2022年", "2023年"]
    assert all(f"{y % 50 + 400}亿斤" in r.text for y, r in zip(range(2021, 2024), ans.comparison.rows, strict=True))


def test_a_row_keeps_a_figure_written_with_a_thousands_comma():
    from retrieval.answering.compare import cut_to_figure

    assert cut_to_figure("粮食总产量达到3,680亿斤,比上年增加了154亿斤,棉花产量达到2,000万担。", {"粮食": 1.0}) == (
        "粮食总产量达到3,680亿斤"
    )


def test_a_year_s_row_is_its_plan_not_the_review_its_heading_also_names(gwr_index):
    """1994's report reviews 1993 under 一、1993年国内工作的回顾和1994年工作的基本方针: a heading naming 1994 too. Asked
    each year's target since 1992, its row is the plan's 今年计划国内生产总值增长百分之九."""
    ans = ask(gwr_index, "1992年以来历年国内生产总值增长目标", cited=TODAY).answer
    rows = {r.facet: r.text for r in ans.comparison.rows}
    assert rows["1992年"].startswith("今年计划要求") and "国民生产总值增长百分之六" in rows["1992年"]
    assert rows["1994年"] == "根据这个要求，今年计划国内生产总值增长百分之九"
    assert min(rows) == "1992年" and max(rows) == "2002年"
