"""A document's identity read from its own text, for any genre: laws by title, short title and article, their
versions, a region's regulation among others', provincial reports by session and year, and what the corpus lacks
said in the question's own terms (issue 32). Real data: the shared laws archive, our health regulations and the
provincial reports of 2025 and 2026 (bench/sets)."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.answering.answer import coverage_note
from retrieval.answering.qa import ask
from retrieval.core.articles import asked_article
from retrieval.core.regions import region_named
from retrieval.core.text import normalize
from retrieval.core.titles import read_title, title_forms
from retrieval.indexing.clean import clean_text

TODAY = dt.date(2026, 12, 7)


def first(index, question: str):
    ans = ask(index, question, cited=TODAY).answer
    return ans, (ans.passages[0] if ans.passages else None)


def note(index, question: str) -> str:
    return coverage_note(ask(index, question, cited=TODAY).answer.coverage) or ""


# --- numbered parts ------------------------------------------------------------------------------------------------


def test_an_article_is_one_passage_with_its_items_under_its_chapter(laws_index):
    doc = laws_index.documents["劳动合同法(2012-12-28).txt"]
    assert doc.articles == 98
    article = next(c for c in laws_index.chunks_of(doc.id) if c.article == 39)
    assert article.headings == ["第四章 劳动合同的解除和终止"]  # never an item (（四）…) over the next article
    assert article.text.startswith("第三十九条") and article.text.count("\n") == 6  # its six items, one a line
    assert "（六）被依法追究刑事责任的。" in article.text


def test_an_article_asked_is_quoted_whole_from_the_law_named_and_cited_as_laws_are(laws_index):
    ans, top = first(laws_index, "劳动合同法第八十七条说的啥")
    assert top.doc.id == "劳动合同法(2012-12-28).txt"
    assert top.text.startswith("第七章 法律责任\n第八十七条")
    assert top.citation.startswith("《中华人民共和国劳动合同法》第八十七条")


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("《教育法》第十二条怎么说", "教育法(2021-04-29).txt"),  # not 国防教育法's 第十二条
        ("高等教育法第十七条", "高等教育法(2018-12-29).txt"),  # not 教育法's
        ("劳动合同法实施条例第十条说了什么", "劳动合同法实施条例(2008-09-18).txt"),
    ],
)
def test_the_longest_title_named_answers(laws_index, question, doc):
    assert first(laws_index, question)[1].doc.id == doc


def test_an_article_past_the_end_is_said_missing_with_how_many_there_are(laws_index):
    ans, _ = first(laws_index, "劳动合同法第一百二十条说的是什么")
    assert ans.status == "not_covered"
    assert coverage_note(ans.coverage) == "《中华人民共和国劳动合同法》共九十八条,没有第一百二十条。"


def test_the_question_reads_article_paragraph_and_item():
    asked = asked_article("劳动合同法第三十九条第一款第二项")
    assert (asked.article, asked.clause, asked.item, asked.label) == (39, 1, 2, "第三十九条")


# --- names from the document itself ---------------------------------------------------------------------------------


def test_forms_of_a_title():
    assert read_title("深圳经济特区学前教育条例").body == "学前教育条例"
    assert title_forms("北京市实施《中华人民共和国水法》办法") == ["实施水法办法", "水法实施办法"]
    assert title_forms("2025年浙江省政府工作报告") == []  # its region, year and kind name it


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("环保法规定，因为污染要打官司索赔，时效是多久", "环境保护法(2014-04-24).txt"),  # initials
        ("上海的教师法实施办法对教师工资有什么要求", "上海市实施《教师法》办法(1997-11-03).txt"),
        ("噪声污染防治法里的“夜间”是指几点到几点？", "噪声污染防治法(2021-12-24).txt"),  # not 环境噪声…
    ],
)
def test_short_and_local_names(laws_index, question, doc):
    assert first(laws_index, question)[1].doc.id == doc


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("传染病防治法第三十条怎么规定的", "传染病防治法(2013-06-29).txt"),  # not 血吸虫病防治条例, which cites it
        ("护士条例里护士证快到期了，要提前多久去续", "护士条例(2020-03-27).txt"),  # was refused
        ("上海控烟条例对室内公共场所怎么规定", "上海市公共场所控制吸烟条例.txt"),  # 控烟 = 控制吸烟, 上海 = 上海市
        ("医保基金监管条例对定点医药机构有什么要求", "医疗保障基金使用监督管理条例(2021-01-15).txt"),  # words left out
    ],
)
def test_health_regulations_named_as_staff_name_them(health_index, question, doc):
    ans, top = first(health_index, question)
    assert ans.status != "not_covered"
    assert top.doc.id == doc


def test_a_law_the_corpus_lacks_is_said_missing_and_its_related_documents_offered(health_index):
    ans, _ = first(health_index, "执业医师法第十四条")
    assert ans.status == "not_covered"
    assert note(health_index, "执业医师法第十四条").startswith("语料中没有《执业医师法》。有相关的《中国人民解放军实施")
    assert {p.doc.id for p in ans.related} <= {"中国人民解放军实施《执业医师法》办法(2000-09-14).txt"}


def test_an_implementing_regulation_is_another_document(health_index):
    ans, _ = first(health_index, "疫苗管理法实施条例对接种单位有什么要求")
    assert ans.status == "not_covered"
    assert note(health_index, "疫苗管理法实施条例对接种单位有什么要求").startswith("语料中没有《疫苗管理法实施条例》")


def test_an_article_past_the_end_of_a_health_law(health_index):
    assert note(health_index, "疫苗管理法第一百五十条").startswith("《中华人民共和国疫苗管理法》共一百条")


def test_a_region_s_regulation_where_only_others_are_held(laws_index):
    text = note(laws_index, "北京市劳动合同条例关于试用期是怎么规定的")
    assert text == "语料中没有《北京市劳动合同条例》。有相关的《上海市劳动合同条例》、《山东省劳动合同条例》。"


def test_a_law_not_held_at_all_is_said_missing(laws_index):
    ans, _ = first(laws_index, "工会法对工会经费是怎么规定的")
    assert ans.status == "not_covered" and ans.coverage.missing == {"title": "工会法"}


def test_a_name_asked_about_is_searched_not_refused(seed_index):
    """A document the passages speak of (落实好山西省保障和促进县域医疗卫生一体化办法) is no refusal."""
    ans, top = first(seed_index, "山西县域医疗卫生一体化办法")
    assert ans.status != "not_covered" and "一体化办法" in normalize(top.text)


@pytest.mark.parametrize(
    "question", ["根据《中华人民共和国宪法》规定，中医药的地位是什么", "基层中医馆无法解决的问题有哪些"]
)
def test_a_corpus_of_no_laws_never_says_a_law_is_missing(seed_index, question):
    """Outside an archive of laws, a law named (or a word ending in 法: 无法) is something asked about: DRCD's
    questions about 宪法 were refused before this rule."""
    assert ask(seed_index, question, cited=TODAY).answer.status != "not_covered"


def test_a_title_ending_in_法_is_a_law_only_as_laws_are_titled():
    """中华人民共和国…法, or a short title the statute book lists; 易颉输入法 (CMRC) is an input method."""
    assert read_title("易颉输入法").kind is None
    assert read_title("中华人民共和国劳动法").kind == read_title("劳动法").kind == "法"


def test_a_year_in_two_digits_names_the_report_of_that_year(provyears_index):
    """北京26年PM2.5目标: staff type 26年 for 2026 (after a region, first, before 政府工作报告); 满10年 is none."""
    from retrieval.core.years import short_years

    assert short_years("北京26年pm2.5目标", TODAY) == {2026}
    assert short_years("25年政府工作报告提出的目标", TODAY) == {2025}
    assert short_years("工作满10年的年假有几天", TODAY) == set()
    assert first(provyears_index, "北京26年PM2.5目标")[1].doc.id == "2026年北京市政府工作报告.txt"


def test_每年_in_a_question_of_a_regulation_asks_per_year_not_each_year_s_document(health_index):
    """A law's versions are no yearly series: 广东省的育儿假每年有几天 was answered with a row per 广东 regulation."""
    ans, top = first(health_index, "广东省的育儿假每年有几天")
    assert ans.comparison is None and top.doc.id == "广东省人口与计划生育条例(2021-12-01).txt"
    assert "十日的育儿假" in top.text


def test_sea_areas_are_no_region():
    assert region_named("海域") is None


# --- versions -------------------------------------------------------------------------------------------------------


def test_a_version_named_by_year_answers_and_the_answer_says_which(laws_index):
    ans, top = first(laws_index, "2018年版国防教育法第十二条是怎么写的")
    assert top.doc.id == "国防教育法(2018-04-27).txt"
    assert coverage_note(ans.coverage) == (
        "语料中有这份文件的2个版本(2018年4月27日、2024年9月13日),以下引用2018年4月27日的版本。"
    )


def test_the_newest_version_answers_unless_another_is_asked_for(laws_index):
    assert first(laws_index, "国防教育法第十二条")[1].doc.id == "国防教育法(2024-09-13).txt"
    old = "北京市安全生产条例2022年修订之前的老版本，多少人以上的企业要设安全生产管理机构"
    assert first(laws_index, old)[1].doc.id == "北京市安全生产条例.txt"  # undated: its record says 2016


def test_a_version_not_held_is_said_missing_with_the_versions_held(laws_index):
    ans, _ = first(laws_index, "2015年修正的高等教育法对学费是怎么规定的")
    assert ans.status == "not_covered"
    assert coverage_note(ans.coverage) == "语料中没有2015年的《中华人民共和国高等教育法》。有2018年12月29日的版本。"


def test_a_version_still_to_come_is_missing(health_index):
    ans, _ = first(health_index, "2027年修订的医师法对定期考核有什么新规定")
    assert ans.status == "not_covered"


# --- reports: titles, sessions at every level, what is missing -----------------------------------------------------


def test_a_date_line_under_a_title_is_no_title():
    report = "2026年浙江省政府工作报告\n2026年1月12日在浙江省第十四届人民代表大会第四次会议上\n来源：浙江日报\n正文。"
    assert clean_text(report).meta["title"] == "2026年浙江省政府工作报告"
    law = "某某条例\n2023年3月27日 某某会议通过\n2023年8月15日 施行\n法释〔2023〕7号\n第一条 为了……。\n第二条 ……。"
    assert clean_text(law + "\n第三条 ……。").meta["title"] == "某某条例"


@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("广东省十四届人大五次会议上的政府工作报告定的地区生产总值增长目标", "post_4851130.html"),  # on two lines
        ("四川省十四届人大五次会议政府工作报告里新增了多少公办托位", "c3064029fbc341e99c8ce71ce3aec20c.html"),
        ("自治区十四届人大三次会议政府工作报告的经济增长目标", "2025年广西政府工作报告.docx"),
    ],
)
def test_a_provincial_report_named_by_its_session(provyears_index, question, doc):
    """By the session its opening line names, or (a copy without it) by its region's calendar."""
    ans, top = first(provyears_index, question)
    assert ans.status != "not_covered" and top.doc.id == doc


def test_a_session_not_held_is_missing_with_its_year(provyears_index):
    text = note(provyears_index, "贵州省十四届人大四次会议上的政府工作报告，城镇新增就业目标是多少")
    assert text.startswith("语料中没有贵州省十四届人大四次会议(2026年)的")
    assert "贵州省十四届人大三次会议" in text


def test_a_region_s_year_missing_is_said_in_the_question_s_terms(provyears_index):
    text = note(provyears_index, "2026年河北省政府工作报告提出的经济增长目标是多少")
    assert text == "语料中没有河北省2026年的政府工作报告。有河北省2025年的;2026年的有16个地区的。"


def test_a_year_still_to_come_is_missing_when_a_document_of_it_is_named(provyears_index):
    ans, _ = first(provyears_index, "2027年江苏省政府工作报告提出的经济增长目标")
    assert ans.status == "not_covered"


def test_a_report_titled_without_its_province_is_read_as_the_province_it_names(provyears_index):
    assert provyears_index.documents["t20260203_323801.html"].facets.region == "云南省"


# --- the lead -------------------------------------------------------------------------------------------------------


def test_the_lead_comes_from_the_first_passage_s_document(laws_index, health_index, seed_index):
    for index, question in (
        (laws_index, "驾驶证有效期是几年"),
        (health_index, "医院里的医疗废物最多能暂存几天"),
        (seed_index, "中医药传承创新发展有哪些举措"),
    ):
        ans = ask(index, question, cited=TODAY).answer
        if ans.lead is not None:
            assert ans.passages[ans.lead.passage].doc.id == ans.passages[0].doc.id
