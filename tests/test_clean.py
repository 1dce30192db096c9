"""Cleaning the seed pages: furniture goes, body text stays, metadata is found."""

from __future__ import annotations

import pytest

from retrieval.core.text import normalize, strip_annotations
from retrieval.indexing.clean import clean_text, cut_paywall, is_furniture, remove_mojibake
from retrieval.indexing.lines import heading_level

from .conftest import seed_text


def chunks_text(prefix: str) -> str:
    doc = clean_text(seed_text(prefix))
    return "\n".join(p.text + "\n" + "\n".join(p.headings) for p in doc.paragraphs)


@pytest.mark.parametrize(
    "prefix, furniture",
    [
        (
            "000",
            [
                "返回主页",
                "收藏本站",
                "您的位置",
                "媒体聚焦",
                "发布人",
                "浏览",
                "版权所有",
                "ICP备",
                "公网安备",
                "地址:",
                "关于我们",
                "挂号咨询",
                "来源:健康报",
            ],
        ),
        (
            "001",
            [
                "标题:",
                "快文网",
                "省略672字",
                "正式会员",
                "更多相关文章",
                "县委书记在全县基层党建工作",
                "生态环保专题会主持讲话",
                "未完,全文共3142字",
                "上一篇",
                "下一篇",
                "相关栏目",
                "收藏在全区",
                "同志们:",
            ],
        ),
        (
            "002",
            [
                "醫學教育網",
                "小編",
                "快來看看吧",
                "<strong>",
                "strong>",
                "內容來源",
                "記者:",
                "相關閱讀",
                "母嬰保健師",
                "四部門聯合印發",
                "/a>",
                "guī",
                "砹",
            ],
        ),
        ("003", ["![]()", "來源:", "2022年01月27日"]),
        ("004", ["目錄/提綱", "新文秘網", "省略914字", "正式會員", "未完,全文共7309字", "收藏《", "當前僅顯示"]),
    ],
)
def test_furniture_never_reaches_a_chunk(prefix, furniture):
    text = chunks_text(prefix)
    for piece in furniture:
        assert piece not in text, piece


@pytest.mark.parametrize(
    "prefix, body",
    [
        (
            "000",
            [
                "会议宣读了国家卫生健康委主任、党组书记马晓伟的书面讲话",
                "确保过一个欢乐祥和的节日。(健康报记者崔芳)",
                "七是统筹中医药高质量发展和高水平安全",
            ],
        ),
        # 001: body text resumes inside the related-articles list and must not be lost with it
        (
            "001",
            ["中医药作为中华民族的", "通过对个村的抽样调查发现", "激活基层医务人员热爱中医", "对工作不力、进展缓慢"],
        ),
        (
            "002",
            [
                "12月24日,山西省醫改工作電視電話會議在太原召開",
                "忻州市、高平市、山西白求恩醫院作了發言",
                "山西省各市縣設分會場。",
            ],
        ),
        ("003", ["1月27日,2022年全國衛生健康工作會議在北京召開", "委屬(管)醫院主要負責同志在視頻分會場參加會議"]),
        # 004: lines wrapped mid-sentence are joined; text on both sides of the paywall notice is kept
        (
            "004",
            [
                "全面領會和貫徹黨的二十大及二十屆二中全會的精神內涵",
                "取得了顯著的成效,",
                "了病種治療範圍",
                "並逐項對照檢查",
                "正確的工作方針是我們",
            ],
        ),
    ],
)
def test_body_text_is_kept(prefix, body):
    text = chunks_text(prefix)
    for piece in body:
        assert normalize(piece) in normalize(text), piece


@pytest.mark.parametrize(
    "prefix, meta",
    [
        (
            "000",
            {
                "title": "发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作",
                "date": "2024-01-24",
                "source": "健康报",
                "author": "崔芳",
            },
        ),
        ("001", {"title": "在全区基层中医药工作专题会议上的讲话"}),
        (
            "002",
            {
                "title": "山西省長林武:推動中醫藥大健康產業發展,加快建設中醫藥強省",
                "source": "山西日報",
                "author": "張巨峰",
            },
        ),
        ("003", {"title": "2022年全國衛生健康工作會議在北京召開", "date": "2022-01-27", "source": "國家衛生健康委"}),
        ("004", {"title": "副市長在2024年全市衛生健康工作會議上的講話"}),
    ],
)
def test_metadata_of_each_seed(prefix, meta):
    found = clean_text(seed_text(prefix)).meta
    for key, value in meta.items():
        assert found.get(key) == value, key


@pytest.mark.parametrize(
    "prefix, excerpt", [("000", False), ("001", True), ("002", False), ("003", False), ("004", True)]
)
def test_cut_short_documents_are_excerpts(prefix, excerpt):
    assert clean_text(seed_text(prefix)).excerpt is excerpt


def test_title_line_is_not_a_paragraph():
    for prefix in ("000", "001", "003", "004"):
        doc = clean_text(seed_text(prefix))
        assert all(normalize(p.text) != normalize(doc.meta["title"]) for p in doc.paragraphs)


def test_pinyin_annotations_are_removed_but_real_parentheses_stay():
    assert strip_annotations("中醫(yī)藥與會(huì)議") == "中醫藥與會議"
    assert strip_annotations("世界卫生组织(WHO)和(2019)年") == "世界卫生组织(WHO)和(2019)年"
    assert strip_annotations("岐黄工程(qihuang project)") == "岐黄工程(qihuang project)"
    text = chunks_text("003")
    assert "(" not in text.replace("(管)", "").replace("(區、市)", "")


def test_mojibake_island_is_replaced_and_question_marks_survive():
    assert (
        remove_mojibake("推動縣級醫療集團全部上接三級醫院、??坡?lián)盟、遠程醫療")
        == "推動縣級醫療集團全部上接三級醫院、…、遠程醫療"
    )
    assert remove_mojibake("这是为什么?我们要回答。") == "这是为什么?我们要回答。"
    assert remove_mojibake("怎么办?") == "怎么办?"


def test_paywall_notice_is_cut_from_the_line():
    line = "中医药作为中华民族的 ……(快文网http://www.fanwy.cn省略672字,正式会员可完整阅读)…… "
    assert cut_paywall(line) == ("中医药作为中华民族的", True)
    assert cut_paywall("普通的一句话。") == ("普通的一句话。", False)


@pytest.mark.parametrize(
    "line, kept",
    [
        ("推进分级诊疗……（未完，全文共3142字，当前只显示1745字）", "推进分级诊疗"),  # full-width parentheses
        ("推进分级诊疗...(省略 88 字,正式会员可完整阅读)...", "推进分级诊疗"),
        ("(未完", ""),
        ("推进分级诊疗(省略部分内容)", None),  # no count of characters: not a notice
        ("未完成的任务(三项)要在年底前省略", None),
    ],
)
def test_paywall_notices_in_every_form_are_found(line, kept):
    assert cut_paywall(line) == ((kept, True) if kept is not None else (line, False))


def test_headings_give_context_not_paragraphs():
    doc = clean_text(seed_text("001"))
    para = next(p for p in doc.paragraphs if "设置中医药文化宣传角" in p.text)
    assert para.headings == [
        "二、明确目标,全面部署基层中医药工作重点任务",
        "(一)加大宣传推广力度,提升群众中医药认知水平",
    ]
    assert all(heading_level(p.text) == 0 for p in doc.paragraphs)


def test_heading_levels():
    assert heading_level("一、认清形势,深刻把握基层中医药工作的重要意义与现实挑战") == 1
    assert heading_level("(二)加强人才培养,补齐基层中医人才紧缺短板") == 2
    assert heading_level("一是开展中医药特色疗法“四进”活动。进社区。") == 0
    assert heading_level("一、" + "很长" * 50) == 0


def test_table_of_contents_keeps_only_sections_the_excerpt_lacks():
    doc = clean_text(seed_text("004"))
    outline = [p for p in doc.paragraphs if p.kind == "outline"]
    assert len(outline) == 1
    assert "堅定推進健康城市建設" in outline[0].text
    # sections the body does show are headings there, not repeated from the table of contents
    assert "一、對全市衛生健康事業" not in outline[0].text


def test_furniture_words_inside_body_paragraphs_do_not_drop_them():
    body = (
        "收藏家协会的同志也参加了会议。要让群众了解更多中医药知识,关于我们下一步的工作,"
        "请大家提出意见。宣传科小编辑部要做好报道。"
    )
    short = "收藏家协会的同志参加了会议。"
    doc = clean_text("标题:会议纪要\n\n" + body + "\n\n" + short + "\n\n版权所有 某某网站\n")
    assert [p.text for p in doc.paragraphs] == [body, short]


OFFICIAL = """国家卫生健康委办公厅文件
国卫办医政发〔2024〕5号
国家卫生健康委办公厅关于进一步改善护理服务的
通知
各省、自治区、直辖市卫生健康委:
为贯彻落实健康中国战略,现就改善护理服务有关事项通知如下。
一、扩大优质护理服务覆盖面。
(一)全面实施责任制整体护理
二级以上医院要全面实施责任制整体护理,每名护士负责一定数量的患者。
(二)加强护理人力配置
国家卫生健康委办公厅
2024年2月27日
(信息公开形式:主动公开)
抄送:各省级中医药管理局。
国家卫生健康委办公厅            2024年2月28日印发
"""


def test_an_official_document_is_read_through_its_frame():
    """版头 (mark, number), the wrapped title, 主送, 落款 and 版记 of a 公文 (GB/T 9704-2012) are no paragraphs; the
    title, 成文日期, issuer and number are the document's."""
    doc = clean_text(OFFICIAL)
    assert doc.meta["title"] == "国家卫生健康委办公厅关于进一步改善护理服务的通知"
    assert doc.meta["date"] == "2024-02-27" and doc.meta["number"] == "国卫办医政发〔2024〕5号"
    assert doc.meta["issuer"] == "国家卫生健康委办公厅"
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].startswith("为贯彻落实") and not any("抄送" in t or "印发" in t or t == "办公厅" for t in texts)
    # a heading that heads nothing (here the last one) is a paragraph of its own, not text lost
    assert "(二)加强护理人力配置" in texts and "(信息公开形式:主动公开)" not in texts
    assert doc.paragraphs[
        texts.index("二级以上医院要全面实施责任制整体护理,每名护士负责一定数量的患者。")
    ].headings == [
        "一、扩大优质护理服务覆盖面",
        "(一)全面实施责任制整体护理",
    ]


def test_a_page_that_only_mentions_a_file_is_no_official_document():
    doc = clean_text("相关文件\n关于做好基层医疗工作的通知\n2024年3月1日\n\n各地要做好基层医疗工作。\n")
    assert "number" not in doc.meta and "issuer" not in doc.meta
    assert [p.text for p in doc.paragraphs] == ["各地要做好基层医疗工作。"]


def test_a_joint_official_document_keeps_its_issuers_out_of_the_text():
    doc = clean_text(
        "国家卫生健康委员会\n国家中医药管理局\n国家疾病预防控制局文件\n国卫医急发〔2024〕9号\n"
        "关于做好冬春季传染病防治工作的通知\n各省、自治区、直辖市卫生健康委:\n要加强发热门诊建设。\n"
        "国家卫生健康委员会  国家中医药管理局\n2024年11月20日\n"
    )
    assert doc.meta["title"] == "关于做好冬春季传染病防治工作的通知" and doc.meta["date"] == "2024-11-20"
    assert [p.text for p in doc.paragraphs] == ["要加强发热门诊建设。"]


def test_a_paragraph_cut_short_by_a_paywall_keeps_its_page():
    """A scanned excerpt's passage cut by a paywall notice was cited without its page (第7段 · 节选 · 扫描件识别)."""
    from retrieval.core.text import PAGE_MARK

    text = (
        f"{PAGE_MARK}\n在全区基层中医药工作专题会议上的讲话\n\n今天,我们召开全区基层中医药工作专题会议。\n"
        f"{PAGE_MARK}\n一是成立基层中医药工作领导小组。二是明确责任分工,对工作不力 "
        "……(未完,全文共3142字,当前只显示1745字)\n"
    )
    doc = clean_text(text)
    assert doc.excerpt and [p.page for p in doc.paragraphs] == [1, 2]


def test_a_numbering_marker_alone_on_its_line_numbers_the_text_after_it():
    """Pages that set 一、 in bold put it on a line of its own (the 1955 report): it is the item's, not a heading."""
    doc = clean_text(
        "标题\n\n现在我提出以下几点：\n\n　　\n一、\n开垦宜于耕种的荒地。我国的人口很多，但已耕的土地还很少。\n\n"
        "　　\n二、\n兴修水利。水利建设，既能够扩大灌溉面积。\n\n（三）\n总则\n"
    )
    texts = [p.text for p in doc.paragraphs]
    assert "一、开垦宜于耕种的荒地。我国的人口很多，但已耕的土地还很少。" in texts
    assert "二、兴修水利。水利建设，既能够扩大灌溉面积。" in texts
    assert all(p.headings == [] for p in doc.paragraphs[:3]) and "一、" not in texts
    assert doc.paragraphs[-1].text == "（三）总则"  # a heading with nothing under it stays a paragraph


def test_a_news_photo_caption_signed_by_its_photographer_is_furniture():
    """Under a report's title on a news site: 2月3日，…会议开幕。…作政府工作报告。宁夏日报记者 王鼎 摄 — it names the
    session and the report, so it outranked the paragraph asked for (bench/sets/provyears)."""
    caption = (
        "2月3日，宁夏回族自治区第十三届人民代表大会第四次会议在银川开幕。"
        "自治区人民政府主席张雨浦作政府工作报告。 宁夏日报记者 王鼎 摄"
    )
    body = "现在，我代表自治区人民政府，向大会报告工作。"
    doc = clean_text(f"2026年宁夏回族自治区政府工作报告\n\n{caption}\n\n各位代表：\n\n{body}")
    assert all("摄" not in p.text for p in doc.paragraphs)
    assert is_furniture(normalize("殷勇同志作政府工作报告。本报记者 戴冰摄"))
