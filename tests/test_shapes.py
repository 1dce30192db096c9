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
            f"{y}年政府工作报告\n\n{y}年3月5日\n\n一、过去一年的工作\n\n过去一年,粮食产量达到{y % 50 + 400}亿斤。\n\n"
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
