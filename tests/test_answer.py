"""The template answerer: leads for each kind of question, weak and empty answers, citations, highlights."""

from __future__ import annotations

import builtins
import datetime as dt
import sqlite3

import pytest

from retrieval.answering import qa
from retrieval.answering.answer import answer
from retrieval.answering.query import parse_query
from retrieval.answering.search import search
from retrieval.core.cite import reference, short_citation
from retrieval.core.highlight import highlight
from retrieval.core.text import normalize, to_simplified, to_traditional

from .conftest import find

CITED = dt.date(2026, 11, 22)


def ask(index, question: str, k: int = 3):
    query = parse_query(question, index, CITED)
    return answer(query, search(index, query, k=k), cited=CITED, k=k)


@pytest.mark.parametrize(
    "kind, question, expected",
    [
        ("definition", "岐黄工程是什么", "实施中医药特色人才培养工程(岐黄工程)"),
        ("when", "2022年全国卫生健康工作会议什么时候召开", "1月27日,2022年全国卫生健康工作会议在北京召开。"),
        ("where", "山西医改会议在哪里召开", "在太原召开"),
        ("who", "中医药局长会议宣读了谁的书面讲话", "会议宣读了国家卫生健康委主任、党组书记马晓伟的书面讲话。"),
        ("who", "谁主持了2022年全国卫生健康工作会议", "李斌主持会议"),
        ("who", "基层中医药工作领导小组组长是谁", "由局主要领导任组长"),  # not 山西's 医改领导小组组长 in passage 2
        ("how many", "基层中医药人员重点培训几项适宜技术", "四类6项中医药适宜技术"),
        ("list", "城市医联体建设试点在哪些城市", "在太原、大同、运城开展国家级城市医联体建设试点"),
        ("list", "哪些单位在山西医改会议上发言", "忻州市、高平市、山西白求恩医院作了发言。"),
    ],
)
def test_lead_answers_each_kind_of_question(seed_index, kind, question, expected):
    ans = ask(seed_index, question)
    assert ans.status == "answered"
    assert expected in ans.lead.text, (kind, ans.lead.text)
    # the lead is quoted from one of the passages shown, and cites it
    source = ans.passages[ans.lead.passage]
    assert normalize(ans.lead.original) in normalize(source.text)
    assert ans.lead.citation == source.citation


def test_single_passage_answer_shows_the_passage_its_lead_comes_from(seed_index):
    hits = find(seed_index, "岐黄工程是什么")
    assert "(岐黄工程)" not in hits[0].chunk.text and "(岐黄工程)" in hits[1].chunk.text  # the definition is 2nd
    ans = answer(parse_query("岐黄工程是什么", seed_index), hits, cited=CITED, k=1)
    assert len(ans.passages) == 1 and ans.lead.passage == 0
    assert "实施中医药特色人才培养工程(岐黄工程)" in ans.lead.text
    assert normalize(ans.lead.original) in normalize(ans.passages[0].text)


def test_lead_follows_the_question_script(seed_index):
    simplified = ask(seed_index, "推广家庭医生在线签约服务")  # the passage is in traditional script
    assert simplified.lead.text == to_simplified(simplified.lead.original) != simplified.lead.original
    assert "推廣家庭醫生在線簽約服務" in simplified.lead.original and "推广家庭医生在线签约服务" in simplified.lead.text
    assert "《山西省長林武" in simplified.lead.citation
    traditional = ask(seed_index, "推廣家庭醫生在線簽約服務")
    assert traditional.lead.text == traditional.lead.original  # already in the question's script: kept as written


def test_traditional_question_on_a_simplified_passage_gets_a_traditional_lead(seed_index):
    ans = ask(seed_index, "中醫藥文化弘揚工程")
    assert "深入實施中醫藥文化弘揚工程" in ans.lead.text
    assert "深入实施中医药文化弘扬工程" in ans.lead.original


def test_passages_are_quoted_as_written_with_citations(seed_index):
    ans = ask(seed_index, "推廣家庭醫生在線簽約服務")
    top = ans.passages[0]
    assert "推廣家庭醫生在線簽約服務" in top.text  # original script kept in the quote
    assert (
        top.citation
        == "《山西省長林武:推動中醫藥大健康產業發展,加快建設中醫藥強省》 · 山西日報 · 2020年12月24日 · 第6段"
    )
    assert not top.trimmed and all(p.citation.startswith("《") for p in ans.passages)


def test_weak_best_hit_is_not_presented_as_the_answer(seed_index):
    hits = find(seed_index, "医保支付方式改革")
    weak = [h.model_copy(update={"coverage": 0.3, "answers": False}) for h in hits]
    ans = answer(parse_query("医保支付方式改革", seed_index), weak, cited=CITED)
    assert ans.status == "weak" and ans.lead is None and ans.passages


def test_no_hits_say_so_and_suggest_topics():
    ans = answer(parse_query("今天股市行情如何"), [], cited=CITED, suggestions=["医改", "中医药"])
    assert ans.status == "none" and not ans.passages and ans.suggestions == ["医改", "中医药"]


EXPECTED_REFERENCES = {
    "000": "崔芳. 发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作[N]. 健康报, 2024-01-24.",
    "001": "在全区基层中医药工作专题会议上的讲话[EB/OL]. [2026-11-22].",
    "002": "張巨峰. 山西省長林武:推動中醫藥大健康產業發展,加快建設中醫藥強省[N]. 山西日報, 2020-12-24.",
    "003": "2022年全國衛生健康工作會議在北京召開[EB/OL]. (2022-01-27)[2026-11-22].",
    "004": "副市長在2024年全市衛生健康工作會議上的講話[EB/OL]. (2024)[2026-11-22].",
}
EXPECTED_SHORT = {
    "000": "《发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作》 · 健康报 · 2024年1月24日 · 第1段",
    "001": "《在全区基层中医药工作专题会议上的讲话》 · 第1段 · 节选",
    "002": "《山西省長林武:推動中醫藥大健康產業發展,加快建設中醫藥強省》 · 山西日報 · 2020年12月24日 · 第1段",
    "003": "《2022年全國衛生健康工作會議在北京召開》 · 國家衛生健康委 · 2022年1月27日 · 第1段",
    "004": "《副市長在2024年全市衛生健康工作會議上的講話》 · 2024年 · 第1段 · 节选",
}


@pytest.mark.parametrize("prefix", sorted(EXPECTED_REFERENCES))
def test_citations_of_every_seed(seed_index, prefix):
    doc = next(d for d in seed_index.documents.values() if d.id.startswith(prefix))
    first = seed_index.chunks_of(doc.id)[0]
    assert reference(doc, CITED) == EXPECTED_REFERENCES[prefix]
    assert short_citation(doc, first) == EXPECTED_SHORT[prefix]


def test_outline_and_split_paragraphs_are_located(seed_index):
    doc = next(d for d in seed_index.documents.values() if d.id.startswith("004"))
    outline = seed_index.chunks_of(doc.id)[-1]
    assert short_citation(doc, outline).endswith("· 目录 · 节选")
    doc0 = next(d for d in seed_index.documents.values() if d.id.startswith("000"))
    split = [c for c in seed_index.chunks_of(doc0.id) if c.part]
    assert short_citation(doc0, split[1]).endswith("第2段(之二)")


def test_highlights_are_valid_spans_on_the_display_text(seed_index):
    for question in ["中醫藥文化弘揚工程", "国家医学中心建设", "醫防結合", "岐黄工程是什么"]:
        hits = find(seed_index, question)
        ans = answer(parse_query(question, seed_index), hits, cited=CITED)
        terms = {t for h in hits for t in h.terms if len(t) > 1}
        for p in ans.passages:
            assert p.highlights, p.text
            last = 0
            for span in p.highlights:
                assert last <= span.start < span.end <= len(p.text)  # ordered, disjoint, inside the text
                marked = normalize(p.text[span.start : span.end])
                assert any(t in marked for t in terms), marked  # each span marks a term of the question
                last = span.end


def test_highlight_spans_survive_width_and_script_differences():
    text = "推進ＡＩ醫學中心建設"
    spans = highlight(text, ["ai", "医学中心"])
    assert [text[s.start : s.end] for s in spans] == ["ＡＩ醫學中心"]


def test_trimmed_passage_is_marked_and_keeps_the_best_sentence(seed_index):
    hits = find(seed_index, "外防输入内防反弹")
    ans = answer(parse_query("外防输入内防反弹", seed_index), hits, cited=CITED, max_chars=120)
    top = ans.passages[0]
    assert top.trimmed and len(top.text) <= 120 and "外防輸入、內防反彈" in top.text
    assert top.text.startswith("……") or top.text.endswith("……")


def test_the_answerer_does_no_io(seed_index, monkeypatch):
    hits = find(seed_index, "國家醫學中心建設")
    to_simplified("預熱"), to_traditional("预热")  # the script converters load their tables once, up front

    def forbidden(*args, **kwargs):
        raise AssertionError("the answerer touched a file or a database")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(sqlite3, "connect", forbidden)
    ans = answer(parse_query("国家医学中心建设", seed_index), hits, cited=CITED)
    assert ans.status == "answered"


def test_a_short_chunk_restating_the_place_is_not_the_answer(seed_index):
    # "山西省各市縣設分會場。" holds 山西省 and little else: it must not lead or rank first for lack of length
    ans = ask(seed_index, "山西省中医药发展有哪些举措?")
    assert ans.status == "answered"
    assert "分會場" not in ans.lead.original
    assert not any("分會場" in p.text for p in ans.passages[:2])  # no BM25 bonus for being short


def test_the_lead_weighs_a_passage_by_what_it_was_ranked_by(seed_index):
    # the survey finding second holds a higher BM25 score than the section ranked first (lifted for its heading);
    # the lead must not take it for the better passage and quote its sentence
    ans = ask(seed_index, "怎么让老百姓更了解中医")
    assert ans.passages[1].score > ans.passages[0].score and ans.passages[0].value > ans.passages[1].value
    assert ans.lead.passage == 0 and "提升群众中医药认知水平" in ans.lead.text


def test_a_lead_pointing_back_is_quoted_with_the_sentence_it_points_to(cpc_index, seed_index):
    """这些都造成对亚洲和平与中国安全的严重威胁 quoted alone does not say what 这些 are: the lead quotes the sentence
    before it too, as written in the passage it cites. A sentence that reads on its own is quoted alone."""
    ans = ask(cpc_index, "十二大报告说什么造成对亚洲和平与中国安全的严重威胁")
    assert "武装侵占中国的邻邦阿富汗。这些都造成对亚洲和平与中国安全的严重威胁。" in ans.lead.text
    assert normalize(ans.lead.original) in normalize(ans.passages[ans.lead.passage].text)
    alone = ask(seed_index, "2022年全国卫生健康工作会议什么时候召开")
    assert alone.lead.text == "1月27日,2022年全国卫生健康工作会议在北京召开。"


def test_a_quantity_typed_in_digits_finds_the_law_that_spells_it_in_numerals(laws_index):
    """Staff type 36小时 and 5%; laws write 三十六小时 and 百分之五. The question's number and unit are held by a
    passage spelling them the other way: they count for its coverage and are marked in the lead."""
    query = parse_query("劳动法规定每月加班不得超过36小时吗", laws_index, CITED)
    assert "三十六小时" in query.alternatives["36"]
    assert parse_query("增长5%", None, CITED).alternatives["5"] == ("百分之五",)
    # a year typed short (26年: 2026) and a session (人大四次会议) name the document: no quantity to respell
    for named in ["山东26年长护险覆盖多少人", "北京市十六届人大四次会议上的政府工作报告，一体化管理率要达到多少"]:
        assert not parse_query(named, None, CITED).alternatives, named
    ans = ask(laws_index, "劳动法规定每月加班不得超过36小时吗")
    marked = [ans.lead.text[s.start : s.end] for s in ans.lead.highlights]
    assert "每月不得超过三十六小时" in ans.lead.text and any("三十六小时" in m for m in marked), marked


def test_a_bound_asked_for_is_answered_by_the_rule_bounding_that_figure(laws_index):
    """最低要开多快 asks a speed as a floor: the lead is the minimum speed (不得低于每小时60公里), not a sentence of the
    same article capping speed in fog (车速不得超过每小时20公里), which also holds a speed."""
    ans = ask(laws_index, "高速公路上最低要开多快")
    assert "最低车速不得低于每小时60公里" in ans.lead.text, ans.lead.text


def test_a_clause_or_item_named_is_the_lead_and_cited_as_such(laws_index):
    """劳动合同法第十九条第二款: the article is quoted whole, the lead is its second 款 and cites it so (a report
    quotes 《…》第十九条第二款); a 项 named without its 款 is of the 款 that has items. A question naming only the
    document and the part still gets that part as its lead."""

    def ask(index, question):  # the whole path: the plan quotes a named article whole
        return qa.ask(index, question, cited=CITED).answer

    ans = ask(laws_index, "劳动合同法第十九条第二款怎么规定的")
    assert ans.lead.text == "同一用人单位与同一劳动者只能约定一次试用期。"
    assert "第十九条第二款" in ans.lead.citation and "第二款" not in ans.passages[0].citation
    assert ans.passages[0].text.count("\n") >= 3  # the whole article, its four 款
    item = ask(laws_index, "劳动法第四十四条第二项")
    assert item.lead.text.startswith("（二）休息日安排劳动者工作") and "第四十四条第二项" in item.lead.citation
    bare = ask(laws_index, "劳动合同法第十九条第三款")
    assert bare.lead.text.startswith("以完成一定工作任务为期限的劳动合同")


def test_an_age_asked_in_years_finds_the_rule_counting_it_in_full_years(laws_index):
    """People say 两岁, laws write 两周岁: 深圳的幼儿园能收两岁的孩子吗 is answered by the article on 托班
    (招收两周岁至三周岁的幼儿), not by the first article of the chapter on kindergartens."""
    ans = qa.ask(laws_index, "深圳的幼儿园能收两岁的孩子吗", cited=CITED).answer
    assert "招收两周岁至三周岁的幼儿" in ans.passages[0].text, ans.passages[0].text[:80]


def test_how_a_law_characterizes_something_is_answered_by_what_it_says_it_is(laws_index):
    """怎么定位劳务派遣这种用工 asks what the law says 劳务派遣 is: 劳务派遣用工是补充形式 (第六十六条), not the
    first article of the section on it, which shares more of the question's words."""
    ans = qa.ask(laws_index, "《劳动合同法》怎么定位劳务派遣这种用工", cited=CITED).answer
    assert "劳务派遣用工是补充形式" in ans.passages[0].text, ans.passages[0].text[:80]


def test_the_answer_standing_right_after_the_word_asked_about_ranks_first(laws_index):
    """把职业学校教育分成哪几级 asks the kinds of 职业学校教育: the article where they follow it
    (职业学校教育分为初等、中等、高等职业学校教育) answers, not the next one, dividing 职业培训 into levels
    (可以根据实际情况分为初级、中级、高级)."""
    ans = qa.ask(laws_index, "1996年的职业教育法把职业学校教育分成哪几级？", cited=CITED).answer
    assert "职业学校教育分为初等、中等、高等职业学校教育" in ans.passages[0].text, ans.passages[0].text[:80]
