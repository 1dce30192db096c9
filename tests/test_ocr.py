"""Scanned documents and screenshots, read by OCR and cited by page. The tests draw their own pages from the
seeds (tests/scans.py): nothing committed as an image."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from difflib import SequenceMatcher

import pytest

from retrieval.answering.qa import ask
from retrieval.answering.quote import locate
from retrieval.core.text import to_simplified
from retrieval.indexing import ocr, pdfscan
from retrieval.indexing.build import ocr_cache, open_index

from .conftest import SEEDS
from .scans import long_scan, page_image, phone_photo, red_header_page, scanned_pdf, screenshot

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the OCR extra is not installed")
TODAY = dt.date(2026, 12, 1)


def seed_paragraphs(prefix: str, n: int, skip: int = 0) -> list[str]:
    from retrieval.indexing.clean import clean_text
    from retrieval.indexing.load import read_file

    path = next(SEEDS.glob(f"{prefix}*.txt"))
    raw = read_file(path, SEEDS)
    return [p.text for p in clean_text(raw.text).paragraphs if len(p.text) > 30][skip : skip + n]


def bare(text: str) -> str:
    return re.sub(r"[\W_]+", "", to_simplified(unicodedata.normalize("NFKC", text)))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    """An image-only PDF of seed 000's first paragraphs over two pages, beside a text file, indexed."""
    folder = tmp_path_factory.mktemp("scan")
    corpus = folder / "corpus"
    corpus.mkdir()
    paras = seed_paragraphs("000", 5)
    scanned_pdf(corpus / "2024年全国中医药局长会议(扫描件).pdf", [paras[:3], paras[3:]])
    (corpus / "note.txt").write_text("关于做好基层医疗工作的通知\n\n各地要做好基层医疗工作。\n", encoding="utf-8")
    index, report = open_index(corpus, folder / "index.sqlite")
    return index, report, folder


def test_a_scanned_pdf_is_read_and_cited_by_page_marked_as_ocr(scanned):
    index, report, _ = scanned
    doc = index.documents["2024年全国中医药局长会议(扫描件).pdf"]
    assert doc.scanned and not report.skipped
    assert doc.date != dt.date.today().isoformat()  # the day the scanner made the file is not the document's
    chunks = index.chunks_of(doc.id)
    assert {c.page for c in chunks} == {1, 2}
    ans = ask(index, "中医药局长会议宣读了谁的书面讲话", cited=TODAY).answer
    assert ans.passages[0].doc.id == doc.id and "马晓伟" in ans.lead.text
    assert "第1页" in ans.passages[0].citation and "扫描件识别" in ans.passages[0].citation
    assert ": 1." in ans.passages[0].reference  # the page in the GB/T 7714 reference


def test_a_refresh_never_reads_a_page_twice(scanned, monkeypatch):
    index, _, folder = scanned
    cache = list((folder / "ocr-cache").glob("*.json"))
    assert len(cache) == 2  # one entry a page
    monkeypatch.setattr(ocr, "image_text", lambda image: pytest.fail("read again"))
    from retrieval.indexing.formats import read_pdf

    ocr.use_cache(ocr_cache(folder / "index.sqlite"))  # as a refresh of that index does

    text, meta = read_pdf((folder / "corpus" / "2024年全国中医药局长会议(扫描件).pdf").read_bytes())
    assert meta["scanned"] and "马晓伟" in text


@pytest.mark.parametrize("isolate", [False, True], ids=["in process", "in workers"])
def test_a_build_reports_each_page_of_a_scan_as_it_is_read(scanned, tmp_path, isolate):
    _, _, folder = scanned
    seen: list[tuple[int, int]] = []
    cache = folder / "index.sqlite"  # pages already read are counted too, from the cache: the bar fills all the same
    (tmp_path / "ocr-cache").symlink_to(ocr_cache(cache), target_is_directory=True)
    open_index(folder / "corpus", tmp_path / "index.sqlite", isolate=isolate, pages=lambda *c: seen.append(c))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    assert [read for read, _ in seen] == sorted(read for read, _ in seen)


def test_a_500_page_scan_is_read_up_to_the_cap_and_says_which_pages_it_left(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 3)  # the real cap, 300, is read whole by bench.ocr
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    long_scan(corpus / "五百页.pdf", seed_paragraphs("000", 20), 500)
    seen: list[tuple[int, int]] = []
    index, report = open_index(corpus, tmp_path / "index.sqlite", pages=lambda *c: seen.append(c))
    doc = index.documents["五百页.pdf"]
    assert not report.skipped and doc.unread == "第4–500页:超过3页,未识别"
    assert {2, 3} <= {c.page for c in index.chunks_of(doc.id)} <= {1, 2, 3} and seen[-1] == (3, 3)  # 1: the title
    from bot.texts import scan_reading

    assert "共 500 页,只识别前 300 页" in scan_reading(500, 20, 300)


def test_blank_pages_of_a_scan_are_seen_as_blank_not_read_and_said(tmp_path, monkeypatch):
    """Separator sheets and the empty backs of a duplex scan (speckled as scanners leave them) are told from
    pages of text coarsely, before the text detector runs; a page with one short line is still read."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    paras = seed_paragraphs("000", 3)
    scanned_pdf(corpus / "双面扫描.pdf", [paras[:2], [], [paras[2]], [], [], ["第5页"]])
    real, read = ocr.image_text, []
    monkeypatch.setattr(ocr, "image_text", lambda image: read.append(1) or real(image))
    index, report = open_index(corpus, tmp_path / "index.sqlite")
    doc = index.documents["双面扫描.pdf"]
    assert not report.skipped and len(read) == 3  # pages 1, 3 and 6: the three blank ones never reach the engine
    assert doc.unread == "第2页:空白页;第4–5页:空白页"
    assert {c.page for c in index.chunks_of(doc.id)} >= {1, 3}


def test_a_scan_of_blank_pages_only_is_refused_saying_so(tmp_path):
    from retrieval.core.errors import UnreadableFile
    from retrieval.indexing.formats import read_pdf

    path = scanned_pdf(tmp_path / "空白.pdf", [[], [], []])
    with pytest.raises(UnreadableFile, match="第1–3页:空白页"):
        read_pdf(path.read_bytes())


def test_a_scanned_red_header_document_is_cited_by_its_title_and_date_not_its_frame(tmp_path):
    """The 版头, 主送, signature, seal and 版记 of a 红头文件 are no passages; the title is the one under the number
    (not the signature above the date), the date the 成文日期, the issuer the mark's; items 一、… are passages."""
    body = [
        "为深入推进紧密型县域医疗卫生共同体建设,提升县域医疗卫生服务能力,现就有关事项通知如下。",
        "一、到2025年底,全省县域医共体建设实现全覆盖,县域内就诊率达到百分之九十以上。",
        "二、各地要完善医共体内部管理制度,推动医保基金打包付费,落实人员统筹使用。",
    ]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    red_header_page(body).save(corpus / "晋卫发2024-12号.pdf", "PDF", resolution=200)
    index, report = open_index(corpus, tmp_path / "index.sqlite")
    doc = index.documents["晋卫发2024-12号.pdf"]
    assert doc.title == "山西省卫生健康委员会关于推进紧密型县域医共体建设的通知" and doc.date == "2024-03-15"
    assert doc.facets.issuer == "山西省卫生健康委员会" and doc.facets.region == "山西省" and doc.facets.kind == "通知"
    texts = [bare(c.text) for c in index.chunks_of(doc.id)]
    assert len(texts) == 3 and all(bare(b)[:20] in t for b, t in zip(body, texts, strict=True))
    ans = ask(index, "县域内就诊率要达到多少", cited=TODAY).answer
    assert "百分之九十" in ans.lead.text and "2024年3月15日" in ans.passages[0].citation
    # cited as 公文 are: 《title》(number), the issuer heading the reference
    assert f"《{doc.title}》(晋卫发〔2024〕12号)" in ans.passages[0].citation
    assert ans.passages[0].reference.startswith(
        f"山西省卫生健康委员会. {doc.title}: 晋卫发〔2024〕12号[EB/OL]. (2024-03-15)"
    )


def test_a_pdf_page_metres_wide_is_read_at_the_size_that_is_read_not_rendered_whole(tmp_path):
    """A 5-metre page rendered at 200 dpi would be 40,000 pixels square (4.8 GB); it is rendered at 2,400."""
    from PIL import Image, ImageDraw

    from .scans import font

    image = Image.new("RGB", (2000, 2000), "white")
    ImageDraw.Draw(image).text((100, 900), "各地要做好基层医疗工作,推进县域医共体建设。", font=font(80), fill="black")
    path = tmp_path / "poster.pdf"
    image.save(path, "PDF", resolution=10)  # 2000 px at 10 dpi: 14,400 points a side
    texts, skipped = pdfscan.ocr_pdf_pages(path.read_bytes(), [0])
    assert not skipped and "县域医共体建设" in texts[0]


def test_character_accuracy_on_a_clean_render_is_at_least_97_percent():
    paras = seed_paragraphs("000", 3, skip=4)  # three paragraphs: the page holds them whole
    assert sum(len(p) for p in paras) < 1200
    image = page_image(paras, rotate=0, noise=0)
    got = bare(ocr.image_text(image))
    want = bare("".join(paras))
    assert SequenceMatcher(None, got, want, autojunk=False).ratio() >= 0.97


def test_traditional_script_is_read_as_written():
    """Seed 003 is in traditional script: 會議, 黨, 縣 come back whole (PP-OCRv4 read 會議 as 會, 黨 not at all)."""
    paras = seed_paragraphs("003", 3)
    assert sum(len(p) for p in paras) < 1200

    def chars(text: str) -> str:  # script kept: no conversion to simplified
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))

    got, want = chars(ocr.image_text(page_image(paras, rotate=0, noise=0))), chars("".join(paras))
    assert "會議" in want and "黨" in want
    assert got.count("會議") == want.count("會議") and got.count("黨") == want.count("黨")
    assert SequenceMatcher(None, got, want, autojunk=False).ratio() >= 0.97


def test_every_line_of_a_page_is_read_the_first_under_a_title_too():
    """rapidocr's line classifier turned the first line under a title over and lost it (seed 002's dateline)."""
    paras = ["山西省長林武:推動中醫藥大健康產業發展,加快建設中醫藥強省", *seed_paragraphs("002", 2)]
    scan = page_image(paras)
    got = bare(ocr.image_text(scan))
    assert bare(paras[1])[:30] in got and bare(paras[2])[-20:] in got


def test_a_page_fed_upside_down_is_read_turned_round():
    paras = seed_paragraphs("000", 2, skip=4)
    got = ocr.image_text(page_image(paras).rotate(180))
    assert SequenceMatcher(None, bare(got), bare("".join(paras)), autojunk=False).ratio() >= 0.95


def test_a_screenshot_of_a_paragraph_finds_its_document_and_paragraph(seed_index):
    for prefix, skip in (("000", 2), ("004", 5)):
        paras = seed_paragraphs(prefix, 1, skip)
        from PIL import Image

        text = ocr.image_text(Image.open(io.BytesIO(screenshot(paras))).convert("RGB"))
        found = locate(seed_index, text, cited=TODAY)
        assert found.match == "逐字一致", (prefix, found.share)
        assert found.passage.doc.id.startswith(prefix) and bare(paras[0])[:30] in bare(found.passage.text)


def test_a_wechat_article_screenshot_is_traced_past_the_apps_own_lines(seed_index):
    """The status bar, title, account line and 阅读 / 赞 are the app's: the quote is still 逐字一致."""
    from PIL import Image

    paras = seed_paragraphs("000", 1, skip=2)
    title = "发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作"
    text = ocr.image_text(Image.open(io.BytesIO(screenshot(paras, article=title, quality=60))).convert("RGB"))
    assert "阅读" in text and "原创" in text  # the app's lines were read, and set aside
    found = locate(seed_index, text, cited=TODAY)
    assert found.match == "逐字一致", found.share
    assert found.passage.doc.id.startswith("000") and bare(paras[0])[:30] in bare(found.passage.text)


@pytest.mark.parametrize("prefix, skip", [("001", 3), ("002", 2)], ids=["simplified", "traditional"])
def test_a_phone_photo_of_a_printed_page_finds_its_document(seed_index, prefix, skip):
    """A whole page photographed askew on a desk, unevenly lit, as Telegram compresses it."""
    paras = seed_paragraphs(prefix, 2, skip)
    found = locate(seed_index, ocr.image_text(ocr.open_image(phone_photo(paras))), cited=TODAY)
    assert found.match in ("逐字一致", "大致一致") and found.passage.doc.id.startswith(prefix), found.share
    assert bare(paras[0])[:20] in bare(found.passage.text)


def test_a_long_paragraph_from_elsewhere_is_not_set_aside_as_furniture():
    from retrieval.answering.quote import held_by, share_of

    passage = "各地要做好基层医疗工作,推进县域医共体建设,提升基层服务能力。"
    other = "今天天气很好,我们去公园散步,看到很多人在放风筝,孩子们在草地上奔跑,老人们在树下下棋聊天,十分热闹。"
    assert share_of(held_by(f"9:41\n\n{passage}", passage)) == 1.0
    assert share_of(held_by(f"{passage}\n\n{other}", passage)) < 0.6


FOOTER = (
    "以上“山西省长林武:推动中医药大健康产业发展,加快建设中医药强省”内容由医学教育网整理,"
    "了解更多中医健康养生知识,请关注医学教育网!"
)
NOTE = "收到,我下午把这一段整理进会议纪要,明天上午发给办公室审核后再印发。"
REPLY = "这段话可以用在我们下个月的汇报材料里,尤其是分级诊疗那部分,请大家看看还要补充什么,周五前反馈给我。"


def test_a_screenshot_with_the_site_s_footer_under_the_paragraph_is_traced_in_part(seed_index):
    """The seed's last paragraph with the footer line the corpus left out under it: 部分一致, the paragraph traced
    to its document and paragraph, the footer said not to be in the corpus."""
    paras = seed_paragraphs("002", 20)[-1:]
    text = ocr.image_text(ocr.open_image(screenshot([*paras, FOOTER])))
    found = locate(seed_index, text, cited=TODAY)
    assert found.match == "部分一致" and found.passage.doc.id.startswith("002"), found
    first, second = found.parts
    assert first.match == "逐字一致" and first.passage.chunk_id == found.passage.chunk_id
    assert second.passage is None and "医学教育网" in to_simplified(second.text)
    from bot.render import render_source

    shown = render_source(found, text)
    assert "部分一致" in shown and "图片中第2段不在语料中" in shown and "第8段" in shown


def test_a_quote_with_a_colleague_s_reply_of_its_length_under_it_is_traced_in_part(seed_index):
    quote = next(p for p in seed_paragraphs("001", 30) if 45 <= len(p) <= 70)
    text = ocr.image_text(ocr.open_image(screenshot([quote, REPLY])))
    found = locate(seed_index, text, cited=TODAY)
    assert found.match == "部分一致" and found.passage.doc.id.startswith("001"), found
    assert [p.passage is not None for p in found.parts] == [True, False]
    assert 0.3 < found.share < 0.7  # the share of the picture's text in the corpus


def test_a_quote_from_nowhere_is_said_not_found(seed_index):
    found = locate(seed_index, "今天天气很好,我们去公园散步,看到很多人在放风筝。", cited=TODAY)
    assert found.match == "未找到出处" and found.passage is None
    found = locate(seed_index, f"今天天气很好,我们去公园散步,看到很多人在放风筝,热闹极了。\n\n{REPLY}", cited=TODAY)
    assert found.match == "未找到出处" and found.passage is None and not found.parts


def test_hostile_images_are_refused_with_a_reason(tmp_path):
    from PIL import Image

    from retrieval.core.errors import UnreadableFile

    with pytest.raises(UnreadableFile, match="不是可读的图片"):
        ocr.read_image(b"this is not a png at all")
    huge = io.BytesIO()
    Image.new("1", (12000, 12000)).save(huge, "PNG")  # 144 million pixels, a few kilobytes
    with pytest.raises(UnreadableFile, match="图片太大"):
        ocr.read_image(huge.getvalue())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fake.png").write_bytes(b"<html>not an image</html>")
    (corpus / "ok.txt").write_text("各地要做好基层医疗工作。\n", encoding="utf-8")
    index, report = open_index(corpus, tmp_path / "index.sqlite")
    assert "fake.png" in report.skipped and "ok.txt" in index.documents


def test_without_the_engine_a_scan_is_skipped_with_the_way_to_install_it(tmp_path, monkeypatch):
    from retrieval.core.errors import UnreadableFile
    from retrieval.indexing.formats import read_pdf

    path = scanned_pdf(tmp_path / "s.pdf", [seed_paragraphs("000", 1)])
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(UnreadableFile, match=r"qabot\[ocr\]"):
        read_pdf(path.read_bytes())


async def test_a_screenshot_sent_to_the_bot_gets_its_source(fake, seed_index, tmp_path):
    """A phone screenshot of a paragraph, sent as a compressed photo or as a file: the document, paragraph, match."""
    import asyncio

    from PIL import Image

    from bot.app import build_application

    from .fake_telegram import USER, document, message, photo, polling
    from .telegram_html import check_telegram_html

    settings = fake.settings(SEEDS, tmp_path / "bot.sqlite", allowed_chats=[USER["id"], -1002222])
    application = build_application(settings, index=seed_index)
    paras = seed_paragraphs("000", 1, 3)
    data = screenshot(paras, quality=60)
    async with polling(application):
        sent = fake.add_file(data, "photo.jpg", mime_type="image/jpeg")
        fake.push(photo(USER["id"], sent, 1080, 800))
        reply = (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == USER["id"], 60))[
            -1
        ]
        text = check_telegram_html(reply["text"])
        assert text.startswith("出处(逐字一致") and "健康报" in text and "第" in text and "段" in text
        # in a group: /ask as a reply to the picture
        pictured = photo(-1002222, fake.add_file(data, "photo.jpg", mime_type="image/jpeg"), 1080, 800)["message"]
        fake.push(message(-1002222, "/ask", reply_to=pictured))
        reply = (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == -1002222, 60))[-1]
        assert check_telegram_html(reply["text"]).startswith("出处(逐字一致")
        # a screenshot sent uncompressed, as a file: a user who is no admin gets its source too, not a refusal
        png = io.BytesIO()
        Image.open(io.BytesIO(data)).save(png, "PNG")
        as_file = fake.add_file(png.getvalue(), "Screenshot_20241201.png", mime_type="image/png")
        fake.push(document(USER["id"], as_file))
        reply = (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == USER["id"], 60))[
            -1
        ]
        assert check_telegram_html(reply["text"]).startswith("出处(逐字一致")


async def test_in_a_group_a_screenshot_with_a_footer_is_traced_in_part(fake, seed_index, tmp_path):
    """/ask as a reply to a picture of a paragraph with the site's footer under it: 部分一致, not 未找到出处."""
    import asyncio

    from bot.app import build_application

    from .fake_telegram import message, photo, polling
    from .telegram_html import check_telegram_html

    group = -1002222
    settings = fake.settings(SEEDS, tmp_path / "bot.sqlite", allowed_chats=[group])
    application = build_application(settings, index=seed_index)
    data = screenshot([*seed_paragraphs("002", 20)[-1:], FOOTER], quality=60)
    async with polling(application):
        pictured = photo(group, fake.add_file(data, "photo.jpg", mime_type="image/jpeg"), 1080, 900)["message"]
        fake.push(message(group, "/ask", reply_to=pictured))
        reply = (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == group, 60))[-1]
        text = check_telegram_html(reply["text"])
        assert text.startswith("出处(部分一致:图片中1段在语料中,1段不在)") and "图片中第2段不在语料中" in text
        assert "山西日報" in text and "第8段" in text


def test_a_quote_is_cited_as_the_passage_holding_it_not_the_one_before(seed_index):
    """The passage before the quote's, measured with the passage after it, holds the quote as fully: the source is
    the quote's own passage (with a footer or a note under the quote, the one before won on a few chance
    characters: five of the seeds' passages)."""
    under = ["本文来源于网络,版权归原作者所有,如有侵权请联系删除。点击下方阅读原文查看更多内容。", NOTE]
    wrong = [
        (doc[:3], chunk.paragraph)
        for doc in seed_index.documents
        for chunk in seed_index.chunks_of(doc)
        if len(chunk.text) >= 60
        for extra in under
        if (found := locate(seed_index, f"{chunk.text}\n\n{extra}", cited=TODAY)).passage is None
        or found.passage.chunk_id != chunk.id
    ]
    assert wrong == []
