"""Every way staff name a document: by the session, congress or plenum it was given at (with the calendar behind
them), the meeting, the speaker, the title, the year it was held or plans; and never a document denied that the
corpus holds. On the seeds, the shared archive of congress reports and national government work reports, a mixed
corpus of all of them, and small archives built here."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from retrieval.answering.qa import ask
from retrieval.answering.query import parse_query
from retrieval.core.calendar import find_names, held_in
from retrieval.core.meetings import find_speakers, meeting_key
from retrieval.indexing.build import open_index

from .conftest import ARCHIVES, SEEDS

TODAY = dt.date(2026, 12, 1)
needs_archives = pytest.mark.skipif(not ARCHIVES.is_dir(), reason=f"{ARCHIVES} is not here")
NINETEENTH = "决胜全面建成小康社会夺取新时代中国特色社会主义伟大胜利.txt"
FIFTEENTH = "高举邓小平理论伟大旗帜，把建设有中国特色社会主义事业全面推向二十一世纪.txt"
BEIJING = "北京共产主义组织的报告.txt"


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    """The seeds and every shared archive in one corpus, a folder each, as users keep them."""
    if not ARCHIVES.is_dir():
        pytest.skip(f"{ARCHIVES} is not here")
    corpus = tmp_path_factory.mktemp("mixed")
    for name in ("cpc", "gwr-old", "prov"):
        shutil.copytree(ARCHIVES / name / "corpus", corpus / name)
    shutil.copytree(SEEDS, corpus / "seeds")
    index, _ = open_index(corpus, tmp_path_factory.mktemp("mixed-index") / "index.sqlite")
    return index


def first(index, question: str, previous: str | None = None):
    ans = ask(index, question, previous=previous, cited=TODAY).answer
    return ans, (ans.passages[0].doc.id.rsplit("/", 1)[-1] if ans.passages else None)


def test_the_calendar_names_sessions_congresses_plenums_and_plans_in_every_form():
    same = ["中国共产党第十九次全国代表大会", "党的十九大", "十九大报告", "中共十九大"]
    assert {n.name for text in same for n in find_names(text)} == {"党的十九大"}
    assert [(n.name, n.years) for n in find_names("第十三届全国人民代表大会第二次会议")] == [
        ("十三届全国人大二次会议", (2019,))
    ]
    assert [n.name for n in find_names("2019年全国两会")] == ["十三届全国人大二次会议", "全国政协十三届二次会议"]
    assert [(n.name, n.years) for n in find_names("十九届四中全会")] == [("十九届四中全会", (2019,))]
    assert find_names("“十四五”规划")[0].years == (2021, 2022, 2023, 2024, 2025)
    # numbers that are no meeting: 十大工程, 再奋斗十五年, a province's congress
    assert find_names("十大工程") == find_names("再奋斗十五年") == find_names("四川省第十二次党代会") == []
    assert [n.name for n in held_in(1987)] == ["六届全国人大五次会议", "全国政协六届五次会议"]


def test_meetings_and_speakers_are_read_as_titles_and_opening_lines_name_them():
    assert meeting_key("山西省医改工作电视电话会议") == meeting_key("2020年山西医改会议")
    assert meeting_key("全国卫生健康工作会议").level == "全国" != meeting_key("全市卫生健康工作会议").level
    assert find_speakers("国家卫生健康委党组书记、主任马晓伟出席会议并讲话。") == ["马晓伟"]
    assert find_speakers("习近平总书记重要讲话") == []  # a word of the dictionary after an office is no name


def test_the_seeds_go_by_the_meeting_they_were_given_at_and_the_year_they_were_held(seed_index):
    facets = {d.id[:3]: d.facets for d in seed_index.documents.values()}
    assert (facets["002"].held, facets["002"].year, facets["002"].reviews) == (2020, 2021, 2020)
    assert facets["002"].meeting == "山西省医改工作电视电话会议" and "林武" in facets["002"].speakers
    assert "工作会议" in facets["004"].kinds and facets["004"].speakers == ["副市长"]  # a speech at a work conference
    assert facets["000"].meeting == "全国中医药局长会议" and "工作会议" in facets["000"].kinds
    assert "党的二十大" not in facets["003"].names  # 迎接党的二十大胜利召开: spoken of, not its own


@pytest.mark.parametrize(
    ("question", "seed"),
    [
        ("2024年全市卫生健康工作会议上副市长讲了几点意见", "004"),  # said 工作会议 of a 讲话 given at one
        ("2020年山西医改会议在哪里召开", "002"),  # held on 2020-12-24, planning 2021
        ("马晓伟出席讲话的2022年全国卫生健康工作会议有什么部署", "003"),
        ("林武对下一步医改工作提出了哪些要求", "002"),  # by its speaker
        ("国家中医药管理局2024年的工作会议提出了什么", "000"),  # the 局长会议 is its work conference
    ],
)
def test_the_seeds_asked_as_staff_ask_are_answered_from_the_document_named(seed_index, question, seed):
    ans, doc = first(seed_index, question)
    assert ans.status != "not_covered" and doc.startswith(seed), (question, ans.coverage)


def test_what_the_seeds_lack_is_said_in_the_question_s_terms(seed_index):
    ans, _ = first(seed_index, "广东省中医药工作会议部署了哪些任务")
    assert ans.status == "not_covered" and ans.coverage.missing == {"region": "广东"}
    assert ans.coverage.kind == "中医药工作会议"
    ans, _ = first(seed_index, "2019年全国卫生健康工作会议对健康扶贫作了哪些部署")
    assert ans.status == "not_covered" and ans.coverage.missing == {"year": "2019"}
    assert ans.coverage.nearby == ["2022年"] and ans.coverage.kind == "全国卫生健康工作会议"


def test_a_meeting_of_another_level_is_not_taken_for_the_one_named(seed_index):
    """The seeds hold 2024年全市卫生健康工作会议 (a city's) and 2022年全国卫生健康工作会议: asked for the national one
    of 2024, the city's is said not to be it, however alike their titles."""
    ans, _ = first(seed_index, "2024年全国卫生健康工作会议部署了哪些重点工作")
    assert ans.status == "not_covered" and ans.coverage.missing == {"year": "2024"}
    assert ans.coverage.nearby == ["2022年"]
    ans, doc = first(seed_index, "2024年全市卫生健康工作会议部署了哪些重点工作")
    assert ans.status == "answered" and doc.startswith("004")


@needs_archives
def test_congress_reports_go_by_their_congress_and_the_year_it_was_held(cpc_index):
    nineteenth = cpc_index.documents[NINETEENTH]
    assert nineteenth.title == "决胜全面建成小康社会 夺取新时代中国特色社会主义伟大胜利"  # not its subtitle
    assert nineteenth.author == "习近平" and nineteenth.facets.names == ["党的十九大"]
    assert (nineteenth.facets.year, nineteenth.facets.reviews) == (2017, None)  # held in October: no year ahead
    # the 15th never prints a date: its congress gives its year; the 13th's report opens on the 12th's record
    assert cpc_index.documents[FIFTEENTH].facets.year == 1997
    assert cpc_index.documents["沿着有中国特色的社会主义道路前进.txt"].facets.names == ["党的十三大"]


@needs_archives
@pytest.mark.parametrize(
    ("question", "doc"),
    [
        ("十九大报告对2020年到2035年这个阶段是怎么安排的？", NINETEENTH),
        ("2017年党代会报告认为社会主要矛盾变成了什么？", NINETEENTH),
        ("1997年党代会报告对邓小平理论的历史地位怎么定位？", FIFTEENTH),
        ("一大上北京共产主义小组汇报说他们组织起来的铁路工会规模有多大？", BEIJING),  # most of its title
    ],
)
def test_a_congress_report_is_answered_from_by_its_congress_or_its_year(cpc_index, question, doc):
    ans, found = first(cpc_index, question)
    assert ans.status != "not_covered" and found == doc


@needs_archives
def test_a_congress_the_archive_lacks_is_said_with_its_neighbours(cpc_index):
    ans, _ = first(cpc_index, "党的八大报告怎样判断国内的主要矛盾？")
    assert ans.status == "not_covered" and ans.coverage.missing == {"name": "党的八大"}
    assert ans.coverage.nearby == ["党的九大"] and not ans.passages  # the Beijing report names no congress


@needs_archives
def test_a_report_that_never_prints_its_session_is_found_by_it(gwr_index):
    assert "六届全国人大五次会议" in gwr_index.documents["1987年中华人民共和国国务院政府工作报告.txt"].facets.names
    ans, doc = first(gwr_index, "第六届全国人民代表大会第五次会议上的政府工作报告提出了什么方针")
    assert doc == "1987年中华人民共和国国务院政府工作报告.txt"
    ans, _ = first(gwr_index, "七届全国人大三次会议上的政府工作报告给物价定了什么目标")
    assert ans.status == "not_covered" and ans.coverage.missing == {"name": "七届全国人大三次会议"}
    assert ans.coverage.nearby == ["七届全国人大一次会议", "七届全国人大五次会议"]


@needs_archives
@pytest.mark.parametrize(
    "question",
    [
        "十九大报告在反对“台独”上作了怎样的表态？",
        "2025年北京市政府工作报告提出经济增长多少",
        "1979年粮食产量是多少",
    ],
)
def test_a_mixed_corpus_answers_as_each_archive_alone(mixed_index, cpc_index, gwr_index, prov_index, question):
    alone = {"十九大": cpc_index, "北京": prov_index}.get(next((k for k in ("十九大", "北京") if k in question), ""))
    alone = alone or gwr_index
    ans, doc = first(mixed_index, question)
    ans_alone, doc_alone = first(alone, question)
    assert doc == doc_alone and ans.passages[0].text == ans_alone.passages[0].text


@needs_archives
def test_this_year_with_no_document_answers_from_the_newest_document_on_the_topic(mixed_index):
    ans, doc = first(mixed_index, "今年中医药工作要统筹好哪几个方面")
    assert doc.startswith("000") and ans.coverage.fallback_year == 2024 and ans.coverage.asked_year == 2026


def test_a_session_named_series_built_here(tmp_path):
    """Three national government work reports that never print their session, and one question for each way of
    naming the session; a session the series lacks is said missing."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    targets = {2018: "6.5%左右", 2019: "6%-6.5%", 2021: "6%以上"}
    for year, target in targets.items():
        (corpus / f"{year}年国务院政府工作报告.txt").write_text(
            f"{year}年国务院政府工作报告\n\n{year}年3月5日\n\n各位代表:\n\n"
            f"今年发展主要预期目标是:国内生产总值增长{target}。\n\n要坚持稳中求进工作总基调。\n",
            encoding="utf-8",
        )
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    for question in (
        "十三届全国人大二次会议上的政府工作报告，经济增长目标是多少",
        "2019年两会政府工作报告的经济增长目标",
    ):
        ans, doc = first(index, question)
        assert doc == "2019年国务院政府工作报告.txt" and "6%-6.5%" in ans.passages[0].text
    ans, _ = first(index, "十三届全国人大三次会议的政府工作报告，经济增长目标是多少")
    assert ans.status == "not_covered" and ans.coverage.missing == {"name": "十三届全国人大三次会议"}
    assert ans.coverage.nearby == ["十三届全国人大二次会议", "十三届全国人大四次会议"]


def test_a_sidecar_names_a_document_the_text_never_names(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    side = corpus / "001_6bd909b68c695e38.meta.json"
    side.write_text(json.dumps({"names": "十九届五中全会", "speakers": ["区长"]}, ensure_ascii=False), "utf-8")
    index, _ = open_index(corpus, tmp_path / "index.sqlite")
    facets = index.documents["001_6bd909b68c695e38.txt"].facets
    assert facets.names == ["十九届五中全会"] and facets.speakers == ["区长"] and facets.year == 2020


def test_a_question_names_its_document_once_in_the_parse():
    named = parse_query("1997年党代会报告对邓小平理论怎么定位", today=TODAY).named
    assert [n.name for n in named.names] == ["党的十五大"]
    assert parse_query("贯彻党的二十大精神有什么要求", today=TODAY).named.names == ()  # spoken of in passing
    assert parse_query("十三届全国人大二次会议上的政府工作报告", today=TODAY).named.kind == "政府工作报告"
