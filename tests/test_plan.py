"""A question takes one pass: parsed once (a follow-up resolved in the parse), planned once (which documents may
answer, what the corpus lacks, which shape), then retrieved and shaped."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from retrieval.answering import query as query_module
from retrieval.answering.plan import article_chunks, plan
from retrieval.answering.qa import ask
from retrieval.answering.query import parse_query
from retrieval.indexing.build import open_index

from .conftest import ARCHIVES

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Every call of parse_query, wherever it was imported from."""
    calls: list[str] = []
    real = query_module.parse_query

    def counted(question, *args, **kwargs):
        calls.append(question)
        return real(question, *args, **kwargs)

    for name, module in list(sys.modules.items()):
        if name.startswith("retrieval.") and getattr(module, "parse_query", None) is real:
            monkeypatch.setattr(module, "parse_query", counted)
    return calls


@pytest.mark.parametrize(
    ("question", "previous", "shape", "status"),
    [
        ("岐黄工程是什么", None, "passage", "answered"),
        ("2024年全国中医药局长会议部署了哪些重点任务", None, "list", "answered"),
        ("今天股市行情如何", None, "passage", "none"),
        ("各省中医药工作有什么经验", None, "passage", "answered"),  # a class word, but no series of provinces
    ],
)
def test_every_question_of_the_seeds_is_parsed_once(seed_index, parses, question, previous, shape, status):
    ans = ask(seed_index, question, previous=previous, cited=TODAY).answer
    assert parses == [question]
    assert ans.status == status
    assert plan(seed_index, parse_query(question, seed_index, TODAY), TODAY).shape == shape


@pytest.mark.parametrize(
    ("question", "previous", "shape", "status"),
    [
        ("各省2025年地区生产总值增长目标是多少", None, "comparison", "answered"),
        ("天津2025年经济增长目标是多少", None, "passage", "not_covered"),
        ("四川省今年经济增速目标定为多少", None, "passage", "answered"),  # 今年 with no 2026 report: 2025's
        ("四川呢?", "广西今年GDP目标是多少?", "passage", "answered"),
        ("广西2024年做了哪些工作", None, "list", "answered"),
    ],
)
def test_every_question_of_an_archive_is_parsed_once(prov_index, parses, question, previous, shape, status):
    ans = ask(prov_index, question, previous=previous, cited=TODAY).answer
    assert parses == [question]
    assert ans.status == status
    query = parse_query(question, prov_index, TODAY, previous=previous)
    assert plan(prov_index, query, TODAY).shape == shape


def test_a_follow_up_is_resolved_in_the_parse_and_said(prov_index):
    query = parse_query("四川呢?", prov_index, TODAY, previous="广西今年GDP目标是多少?")
    assert query.asked_as == query.text == "四川今年GDP目标是多少?"
    assert [r.short for r in query.named.regions] == ["四川"]
    ans = ask(prov_index, "四川呢?", previous="广西今年GDP目标是多少?", cited=TODAY).answer
    assert ans.asked_as == "四川今年GDP目标是多少?" and ans.passages[0].doc.id.startswith("2025年四川")
    assert parse_query("岐黄工程是什么", previous="广西今年GDP目标是多少?").asked_as is None


def test_the_plan_says_what_the_corpus_lacks_and_what_it_has(prov_index):
    planned = plan(prov_index, parse_query("天津2025年经济增长目标是多少", prov_index, TODAY), TODAY)
    assert planned.not_covered and planned.scope.missing == {"region": "天津"}
    assert "四川" in planned.scope.nearby


def test_a_comparison_plans_a_row_per_document_in_the_official_order(prov_index):
    planned = plan(prov_index, parse_query("各省2025年地区生产总值增长目标是多少", prov_index, TODAY), TODAY)
    assert planned.by == "region" and len(planned.documents) == 14
    codes = [d.facets.region_code for d in planned.documents]
    assert codes == sorted(codes)
    assert "各省" not in planned.query.norm and "各省" in parse_query("各省GDP", prov_index, TODAY).norm


def test_a_class_word_alone_is_a_question_not_an_error(prov_index):
    assert parse_query("各省", prov_index, TODAY).compares is None


def test_years_a_named_document_is_not_of_are_what_the_question_asks_about(cpc_index):
    """十九大报告 names the 2017 report; 2020年到2035年 is what it is asked about, so a passage must hold those years
    like any topic: the paragraph planning 2020-2035 (written 二○二○年到二○三五年) answers, not the lead-in to it.
    A year the named document is of still only names it."""
    question = "十九大报告对2020年到2035年这个阶段是怎么安排的？"
    planned = plan(cpc_index, parse_query(question, cpc_index, TODAY), TODAY).query
    assert {"2020", "2035"} <= set(planned.topics)
    ans = ask(cpc_index, question, cited=TODAY).answer
    assert "从二○二○年到二○三五年" in ans.passages[0].text and "基本实现社会主义现代化" in ans.lead.text
    own = plan(cpc_index, parse_query("2017年党代会报告对2035年的目标是什么", cpc_index, TODAY), TODAY).query
    assert "2035" in own.topics and "2017" not in own.topics


def test_the_words_naming_a_congress_by_its_year_rank_none_of_its_passages(cpc_index):
    """2007年党代会报告 names 党的十七大 as much as 十七大报告 does: the year and 党代会 chose the document, so
    within it they weigh no passage (a passage of the 2007 report naming 2007 or a 代表大会 is no better an answer)."""
    for question, naming in [
        ("2007年党代会报告怎样概括科学发展观的内涵？", {"2007", "党代会"}),
        ("2012年党的代表大会报告给2020年定下的经济和收入目标是什么？", {"2012", "代表大会"}),
    ]:
        planned = plan(cpc_index, parse_query(question, cpc_index, TODAY), TODAY).query
        assert naming <= planned.scope_words, (question, planned.scope_words)
        assert "2020" not in planned.scope_words  # a year it asks about, not one naming the document
    named = plan(cpc_index, parse_query("党的十七大报告怎样概括科学发展观的内涵？", cpc_index, TODAY), TODAY).query
    assert "十七" in named.scope_words


def test_a_year_whose_zeros_a_web_copy_typed_as_digits_is_the_year_asked(cpc_index):
    """The 2012 report as copied from the web writes 比二0一0年翻一番 (zeros typed as the digit): its paragraph is
    indexed under 2010 like one writing 二〇一〇年 or 2010年, so a question naming 2010年 finds it by that year."""
    doc = next(d for d in cpc_index.documents.values() if d.title.startswith("坚定不移沿着中国特色社会主义道路前进"))
    typed = [c.id for c in cpc_index.chunks_of(doc.id) if "比二0一0年翻一番" in c.text]
    assert typed and set(typed) <= set(cpc_index.postings("2010").ids.tolist())


def test_a_clause_of_an_article_cut_between_its_clauses_is_not_said_missing(tmp_path, monkeypatch):
    """An article longer than chunk.MAX_ARTICLE is indexed in parts cut between its 款: its 款 are counted over all
    its parts, so 第十九条第四款 is held (and 第五款 said missing with the four there are), not denied because its
    first part holds only the first 款. The real 劳动合同法, with the limit lowered so that its 第十九条 is cut."""
    from retrieval.indexing import chunk

    if not ARCHIVES.is_dir():
        pytest.skip(f"{ARCHIVES} is not here")
    monkeypatch.setattr(chunk, "MAX_ARTICLE", 80)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    law = ARCHIVES / "laws" / "corpus" / "劳动合同法(2012-12-28).txt"
    (corpus / law.name).write_bytes(law.read_bytes())
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    doc = next(iter(index.documents.values()))
    assert len(article_chunks(index, doc.id, 19)) > 1  # the article is indeed cut
    held = plan(index, parse_query("劳动合同法第十九条第四款", index, TODAY), TODAY)
    assert held.shape == "article" and not held.scope.missing
    past = plan(index, parse_query("劳动合同法第十九条第五款", index, TODAY), TODAY)
    assert past.scope.nearby == ("《中华人民共和国劳动合同法》第十九条共四款",)
