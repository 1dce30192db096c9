"""Managing the corpus and rating answers from the chat, end to end against the fake Bot API."""

from __future__ import annotations

import asyncio
import io
import json
import re
import subprocess
import sys
import zipfile

import pytest

from bot.app import build_application
from bot.settings import Settings
from retrieval.indexing.build import open_index

from .collection import write_docx, write_pdf
from .conftest import ROOT
from .fake_telegram import BOT, OTHER_USER, USER, callback, document, message, polling
from .telegram_html import check_telegram_html

PRIVATE = USER["id"]
STRANGER = OTHER_USER["id"]
GROUP = -1001234


@pytest.fixture
async def bot(fake, corpus, tmp_path):
    settings = fake.settings(
        corpus, tmp_path / "index" / "index.sqlite", allowed_chats=[PRIVATE, STRANGER, GROUP], admins=[PRIVATE]
    )
    index, _ = open_index(corpus, settings.index)
    application = build_application(settings, index=index)
    async with polling(application):
        yield application


async def next_reply(fake, chat_id: int, update: dict, timeout: float = 60.0) -> dict:
    before = len(fake.calls_of("sendMessage", lambda p: int(p["chat_id"]) == chat_id))
    fake.push(update)
    found = await asyncio.to_thread(
        fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == chat_id, timeout, before + 1
    )
    return found[-1]


def as_message(sent: dict, *, reply_to: dict | None = None) -> dict:
    """The bot's sent message as Telegram would show it in a later update (callback or reply)."""
    msg = {
        "message_id": sent["result_message_id"],
        "date": 0,
        "from": BOT,
        "chat": {"id": int(sent["chat_id"]), "type": "private" if int(sent["chat_id"]) > 0 else "supergroup"},
        "text": re_text(sent["text"]),
    }
    if "reply_markup" in sent:
        msg["reply_markup"] = sent["reply_markup"]
    if reply_to:
        msg["reply_to_message"] = reply_to
    return msg


def re_text(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def docx_bytes(tmp_path, name="upload.docx") -> bytes:
    path = tmp_path / name
    write_docx(path)
    return path.read_bytes()


def pdf_bytes(tmp_path) -> bytes:
    path = tmp_path / "upload.pdf"
    write_pdf(
        path,
        title="2023年全市医疗质量工作会议讲话",
        pages=[
            ["2023年全市医疗质量工作会议讲话", "要全面推行日间手术质量评价制度,开展医疗质量安全改进目标管理。"],
            ["要持续推进无陪护病房试点,今年试点医院达到十二家。"],
        ],
    )
    return path.read_bytes()


async def test_an_admin_uploads_a_docx_and_a_pdf_and_the_next_questions_find_them(fake, bot, corpus, tmp_path):
    file = fake.add_file(docx_bytes(tmp_path), "2022年全市卫生健康工作报告.docx")
    summary = await next_reply(fake, PRIVATE, document(PRIVATE, file))
    text = check_telegram_html(summary["text"])
    assert "已加入语料库" in text and "文件:2022年全市卫生健康工作报告.docx" in text and "段落:" in text
    assert "试问:" in text
    assert (corpus / "2022年全市卫生健康工作报告.docx").exists()

    file = fake.add_file(pdf_bytes(tmp_path), "speech.pdf")
    summary = check_telegram_html((await next_reply(fake, PRIVATE, document(PRIVATE, file)))["text"])
    assert "《2023年全市医疗质量工作会议讲话》" in summary
    answer = check_telegram_html(
        (await next_reply(fake, PRIVATE, message(PRIVATE, "无陪护病房试点医院有多少家")))["text"]
    )
    assert "十二家" in answer and "2023年全市医疗质量工作会议讲话" in answer


async def test_a_file_from_a_non_admin_is_refused_and_never_downloaded(fake, bot, corpus, tmp_path):
    before = sorted(p.name for p in corpus.iterdir())
    file = fake.add_file(b"\xe8\xa6\x81\xe5\x8a\xa0\xe5\xbc\xba" * 20, "note.txt")
    reply = await next_reply(fake, STRANGER, document(STRANGER, file, user=OTHER_USER))
    assert "只有管理员" in reply["text"]
    assert fake.downloads == [] and not fake.calls_of("getFile")
    assert sorted(p.name for p in corpus.iterdir()) == before


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("junk.txt", bytes(range(256)) * 64, "不是文本、Word 或 PDF 文件"),
        ("report.pdf", "这不是 PDF,只是一段文字。".encode() * 10, "内容却是 .txt"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 200, "压缩包或其他 Office 文件"),
        ("tool.exe", "MZ 可执行文件伪装的文字".encode() * 10, "不支持 .exe"),
    ],
)
async def test_a_junk_file_is_refused_with_its_reason_and_the_corpus_is_unchanged(
    fake, bot, corpus, name, data, reason
):
    before = sorted(p.name for p in corpus.iterdir())
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(data, name)))
    text = check_telegram_html(reply["text"])
    assert reason in text and "语料库没有改动" in text
    assert sorted(p.name for p in corpus.iterdir()) == before


async def test_a_zip_bomb_docx_is_refused_and_the_bot_keeps_answering(fake, bot, corpus):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<w:document/>")
        z.writestr("word/padding.xml", b"\x00" * (300 * 2**20))  # 300 MiB that deflates to ~300 KiB
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(buffer.getvalue(), "bomb.docx")))
    assert "压缩炸弹" in reply["text"]
    answer = await next_reply(fake, PRIVATE, message(PRIVATE, "岐黄工程是什么"))
    assert "岐黄工程" in answer["text"]


async def test_a_hostile_name_stays_inside_the_corpus(fake, bot, corpus, tmp_path):
    text = "关于做好基层卫生健康工作的通知\n\n要加强乡村医生队伍建设,落实乡村医生待遇。\n".encode()
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(text, "../../CON\x07.txt")))
    assert "已加入语料库" in reply["text"]
    assert (corpus / "_CON.txt").read_bytes() == text
    assert not (tmp_path / "CON.txt").exists() and not (corpus.parent.parent / "CON.txt").exists()


async def test_a_same_name_upload_asks_before_replacing(fake, bot, corpus):
    name = next(p.name for p in corpus.iterdir() if p.suffix == ".txt")
    old = (corpus / name).read_bytes()
    new = "全省中医药工作会议\n\n会议要求,要建设一批中医药传承创新中心和特色诊疗中心。\n".encode()
    ask = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(new, name)))
    assert "已有同名文件" in ask["text"] and (corpus / name).read_bytes() == old
    buttons = {b["text"]: b["callback_data"] for b in ask["reply_markup"]["inline_keyboard"][0]}
    done = await next_reply(fake, PRIVATE, callback(buttons["替换为新文件"], as_message(ask)))
    assert "已加入语料库" in done["text"] and (corpus / name).read_bytes() == new
    fake.push(callback(buttons["替换为新文件"], as_message(ask)))  # pressed again: nothing more happens
    await asyncio.to_thread(fake.wait_for, "answerCallbackQuery", lambda p: "已处理" in p.get("text", ""))


async def test_remove_moves_the_file_to_trash_after_confirmation(fake, bot, corpus):
    listing = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs")))["text"])
    assert "已收录 5 份文档" in listing
    ask = await next_reply(fake, PRIVATE, message(PRIVATE, "/remove 1"))
    assert "确定移除" in ask["text"]
    removed = next(p.name for p in corpus.iterdir() if p.is_file() and p.name in ask["text"])
    buttons = {b["text"]: b["callback_data"] for b in ask["reply_markup"]["inline_keyboard"][0]}
    done = await next_reply(fake, PRIVATE, callback(buttons["移除"], as_message(ask)))
    assert "已移除" in done["text"] and "现有 4 份文档" in done["text"]
    assert (corpus / ".trash" / removed).exists() and not (corpus / removed).exists()
    assert "已收录 4 份文档" in (await next_reply(fake, PRIVATE, message(PRIVATE, "/docs")))["text"]


async def test_meta_as_a_reply_to_the_summary_rewrites_title_and_date(fake, bot, corpus):
    text = "通知\n\n要加强乡村医生队伍建设,落实乡村医生待遇,稳定村医队伍。\n".encode()
    summary = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(text, "村医.txt")))
    update = message(
        PRIVATE,
        "/meta 标题=关于加强乡村医生队伍建设的通知 日期=2024-03-05 来源=省卫生健康委",
        reply_to=as_message(summary),
    )
    again = check_telegram_html((await next_reply(fake, PRIVATE, update))["text"])
    assert "《关于加强乡村医生队伍建设的通知》" in again and "2024年3月5日" in again and "省卫生健康委" in again
    side = json.loads((corpus / "村医.meta.json").read_text(encoding="utf-8"))
    assert side == {"title": "关于加强乡村医生队伍建设的通知", "date": "2024-03-05", "source": "省卫生健康委"}


SEED_TITLES = {
    "000": "发挥叠加优势推进中西医结合工作",
    "001": "在全区基层中医药工作专题会议上的讲话",
    "002": "山西省長林武",
    "003": "2022年全國衛生健康工作會議在北京召開",
    "004": "副市長在2024年全市衛生健康工作會議上的講話",
}


def titles_in(text: str) -> set[str]:
    return {seed for seed, title in SEED_TITLES.items() if title in text}


async def test_docs_lists_facets_and_a_year_filter_keeps_across_pages(fake, bot, monkeypatch):
    listing = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs")))["text"])
    assert "已收录 5 份文档" in listing and titles_in(listing) == set(SEED_TITLES)
    assert "2024年 · 全国 · 局长会议 · 国家中医药管理局" in listing
    assert "2021年 · 山西省 · 会议 · 山西省人民政府" in listing

    monkeypatch.setattr("bot.documents.PAGE", 1)  # the seeds fit on one page: a page a document shows the paging
    first = await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 2024"))
    text = check_telegram_html(first["text"])
    assert "2024年:2 份文档" in text and "第 1/2 页" in text and titles_in(text) == {"000"}
    buttons = {b["text"]: b["callback_data"] for b in first["reply_markup"]["inline_keyboard"][0]}
    assert list(buttons) == ["下一页"] and len(buttons["下一页"].encode()) <= 64
    fake.push(callback(buttons["下一页"], as_message(first)))
    turned = (await asyncio.to_thread(fake.wait_for, "editMessageText", lambda p: True, 20))[-1]
    text = check_telegram_html(turned["text"])
    assert "2024年:2 份文档" in text and "第 2/2 页" in text and titles_in(text) == {"004"}
    assert [b["text"] for b in turned["reply_markup"]["inline_keyboard"][0]] == ["上一页"]

    # a document is counted for the year it looks back on too (002 reviews 2020, dated 2020-12-24)
    reviewed = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/sources 2020年")))["text"])
    assert "2020年:1 份文档" in reviewed and titles_in(reviewed) == {"002"}


async def test_docs_filters_by_region_or_title_and_says_what_the_corpus_has_when_nothing_matches(fake, bot):
    shanxi = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 山西")))["text"])
    assert "山西省:1 份文档" in shanxi and titles_in(shanxi) == {"002"}
    assert "4. 《山西省長林武" in shanxi  # numbered as in the full list, for /remove 序号
    country = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 全国")))["text"])
    assert "全国:3 份文档" in country and titles_in(country) == {"000", "002", "003"}  # 山西省 lies within 全国

    none = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 浙江")))["text"])
    assert "没有浙江省的文档" in none and titles_in(none) == set()
    assert "年份:2020、2021、2022、2023、2024" in none and "地区:全国、山西省" in none

    by_title = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 中医药")))["text"])
    assert "标题含“中医药”:3 份文档" in by_title and titles_in(by_title) == {"000", "001", "002"}  # 中醫藥 too
    missing = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 红烧肉")))["text"])
    assert "没有标题含“红烧肉”的文档" in missing


async def test_docs_is_refused_outside_the_allowlist(fake, bot):
    stranger = {"id": 9191, "is_bot": False, "first_name": "陌"}
    reply = await next_reply(fake, stranger["id"], message(stranger["id"], "/docs 2024", user=stranger))
    assert "只对授权" in reply["text"] and "份文档" not in reply["text"]


async def test_meta_sets_region_and_year_and_refuses_unknown_ones(fake, bot, corpus):
    text = "通知\n\n要加强乡村医生队伍建设,落实乡村医生待遇,稳定村医队伍。\n".encode()
    summary = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(text, "村医.txt")))
    side = corpus / "村医.meta.json"

    for wrong, reason in (("地区=火星", "不认识地区“火星”"), ("年份=23", "年份应写成四位数字")):
        refused = await next_reply(fake, PRIVATE, message(PRIVATE, f"/meta {wrong}", reply_to=as_message(summary)))
        assert reason in check_telegram_html(refused["text"]) and not side.exists()

    update = message(PRIVATE, "/meta 地区=太原市 年份=2023", reply_to=as_message(summary))
    again = check_telegram_html((await next_reply(fake, PRIVATE, update))["text"])
    assert "分类:2023年 · 太原市" in again
    assert json.loads(side.read_text(encoding="utf-8")) == {"region": "太原市", "year": 2023}
    doc = bot.bot_data["index"].documents["村医.txt"]
    assert (doc.facets.region, doc.facets.region_code, doc.facets.year) == ("太原市", "140100", 2023)
    listing = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 山西")))["text"])
    assert "山西省:2 份文档" in listing and "2023年 · 太原市" in listing  # 太原市 lies within 山西省

    cleared = message(PRIVATE, "/meta 地区= 发文机关=太原市卫生健康委", reply_to=as_message(summary))
    await next_reply(fake, PRIVATE, cleared)
    assert json.loads(side.read_text(encoding="utf-8")) == {"year": 2023, "issuer": "太原市卫生健康委"}


async def test_a_question_during_a_refresh_is_answered_from_the_old_index(fake, bot, tmp_path, monkeypatch):
    from retrieval.indexing import build as build_module

    real, started, release = build_module.open_index, asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_open_index(*args, **kwargs):
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(30)
        return real(*args, **kwargs)

    monkeypatch.setattr("bot.common.open_index", slow_open_index)
    fake.push(document(PRIVATE, fake.add_file(docx_bytes(tmp_path), "report.docx")))
    await asyncio.wait_for(started.wait(), 30)
    answer = await next_reply(fake, PRIVATE, message(PRIVATE, "岐黄工程是什么"))
    assert "岐黄工程" in answer["text"]
    release.set()
    summary = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: "已加入语料库" in p["text"], 60)
    assert summary


async def test_ratings_round_trip_to_export_and_eval(fake, bot, corpus, tmp_path):
    answer = await next_reply(fake, PRIVATE, message(PRIVATE, "岐黄工程是什么"))
    rows = answer["reply_markup"]["inline_keyboard"]
    assert [b["text"] for b in rows[-1]] == ["👍", "👎"]
    up = {b["text"]: b["callback_data"] for b in rows[-1]}["👍"]
    fake.push(callback(up, {**as_message(answer), "message_id": 0}))  # an answer the log does not know
    await asyncio.to_thread(fake.wait_for, "answerCallbackQuery", lambda p: "无法评价" in p.get("text", ""))

    fake.push(callback(up, as_message(answer)))
    await asyncio.to_thread(fake.wait_for, "answerCallbackQuery", lambda p: p.get("text") == "已记录,谢谢!")

    second = await next_reply(fake, PRIVATE, message(PRIVATE, "中医药文化宣传角设在哪里"))
    shown = as_message(second)
    fake.push(callback("fb:down", shown))
    asks = (await asyncio.to_thread(fake.wait_for, "editMessageText", lambda p: True, 20))[-1]
    assert asks["text"].startswith(shown["text"][:20]) and asks["text"].endswith(
        "<b>哪一段回答了这个问题?请在下面选择。</b>"
    )
    choices = [b["text"] for b in asks["reply_markup"]["inline_keyboard"][-1]]
    assert choices[0] == "第1段" and choices[-1] == "都不是"
    fake.push(
        callback(
            "fb:pick:1",
            {
                **shown,
                "text": shown["text"] + "\n\n哪一段回答了这个问题?请在下面选择。",
                "entities": [{"type": "bold", "offset": len(shown["text"]) + 2, "length": 18}],
            },
        )
    )
    done = (await asyncio.to_thread(fake.wait_for, "editMessageText", lambda p: True, 20, 2))[-1]
    assert "哪一段" not in done["text"] and done["text"].startswith(shown["text"][:20])
    rows = done["reply_markup"]["inline_keyboard"]
    assert all(not b["callback_data"].startswith("fb:") for row in rows for b in row)  # the other buttons stay

    stats = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/stats")))["text"])
    assert "提问 2 次" in stats and "评价 2 次,👍 1 次" in stats
    index = bot.bot_data["index"]  # the facts of `qabot status` first, for the index the bot serves
    assert stats.startswith("索引:") and f"语料文件夹 {corpus.resolve()}" in stats
    assert f"版本 {index.generation}" in stats and f"{len(index.documents)} 份文档,{index.n_chunks} 个段落" in stats
    assert "问答记录:共 2 次提问,2 次评价(👍 1)" in stats

    settings = bot.bot_data["settings"]
    exported = subprocess.run(
        [sys.executable, "-m", "bot", "feedback", "export", "--feedback", str(settings.feedback_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    rows = [json.loads(line) for line in exported.stdout.splitlines()]
    assert [r["q"] for r in rows] == ["岐黄工程是什么", "中医药文化宣传角设在哪里"]
    assert all(len(r["gold"]) == 1 and 0 < len(r["gold"][0]) <= 150 for r in rows)
    (tmp_path / "judged.jsonl").write_text(exported.stdout, encoding="utf-8")
    scored = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "eval",
            str(tmp_path / "judged.jsonl"),
            "--corpus",
            str(corpus),
            "--index",
            str(settings.index),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    # the judged passages are among the top three again (a lead may come from the second passage: R@1 may be lower)
    assert re.match(
        r"R@1 \S+  R@3 1\.000  MRR@5 \S+  lead holds a gold phrase \S+  no-answer questions left empty 0/0",
        scored.stdout,
    ), scored.stdout


def test_user_ids_are_stored_only_as_keyed_hashes(tmp_path):
    import sqlite3

    from retrieval.answering.feedback import FeedbackLog
    from retrieval.core.models import Answer

    log = FeedbackLog(tmp_path / "feedback.sqlite")
    log.record(1, 2, 424242, Answer(question="岐黄工程", status="none"))
    log.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "feedback.sqlite").iterdump())
    assert "424242" not in dump
    assert (tmp_path / "feedback.sqlite.key").stat().st_mode & 0o077 == 0
    again = FeedbackLog(tmp_path / "feedback.sqlite")
    assert again.user_hash(424242) == FeedbackLog(tmp_path / "feedback.sqlite").user_hash(424242)


async def test_two_admins_sending_files_at_once_both_end_up_indexed(fake, bot, corpus):
    second_admin = {"id": 6161, "is_bot": False, "first_name": "赵"}
    bot.bot_data["settings"].admins.append(second_admin["id"])
    bot.bot_data["settings"].allowed_chats.append(second_admin["id"])
    texts = {
        "甲.txt": "通知\n\n要推进互联网医院建设,发展远程会诊服务。\n",
        "乙.txt": "通知\n\n要加强护理队伍建设,扩大护士规模。\n",
    }
    fake.push(document(PRIVATE, fake.add_file(texts["甲.txt"].encode(), "甲.txt")))
    fake.push(document(second_admin["id"], fake.add_file(texts["乙.txt"].encode(), "乙.txt"), user=second_admin))
    await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: "已加入语料库" in p["text"], 60, 2)
    index = bot.bot_data["index"]
    assert {"甲.txt", "乙.txt"} <= set(index.documents)
    assert len(index.documents) == 7


def test_the_file_url_follows_the_api_base_url():
    assert Settings(telegram_api_base_url="http://127.0.0.1:8081/bot").file_url == "http://127.0.0.1:8081/file/bot"
    assert Settings().file_url == "https://api.telegram.org/file/bot"
    assert Settings(telegram_api_file_url="http://files/bot").file_url == "http://files/bot"


def test_a_pdf_claiming_too_many_pages_is_refused_before_it_is_parsed():
    from retrieval.core.errors import UploadRejected
    from retrieval.indexing.uploads import MAX_PDF_PAGES, check_limits, sniff

    data = b"%PDF-1.4\n" + b"1 0 obj << /Type /Page >> endobj\n" * (MAX_PDF_PAGES + 1)
    assert sniff(data, "big.pdf") == ".pdf"
    with pytest.raises(UploadRejected, match="页"):
        check_limits(data, ".pdf")


def test_reading_a_file_is_bounded_in_time():
    from retrieval.core.errors import UploadRejected
    from retrieval.indexing.uploads import inspect_bounded

    tags = b"<html><body>" + b"<div><span><b>" * 400_000 + b"</body></html>"
    with pytest.raises(UploadRejected, match="秒"):
        inspect_bounded(tags, ".html", seconds=0.5)


async def test_in_a_group_a_file_is_added_only_with_the_add_caption(fake, bot, corpus):
    text = "通知\n\n要推进县域医共体建设,提升基层服务能力。\n".encode()
    fake.push(document(GROUP, fake.add_file(text, "chatter.txt")))  # a file shared in the group: not for the bot
    reply = await next_reply(fake, GROUP, document(GROUP, fake.add_file(text, "县域.txt"), caption="/add"))
    assert "已加入语料库" in reply["text"]
    assert (corpus / "县域.txt").exists() and not (corpus / "chatter.txt").exists()
    assert fake.downloads == ["documents/" + fake.calls_of("getFile")[0]["file_id"]]


async def test_an_upload_into_a_corpus_that_cannot_be_written_says_so(fake, bot, corpus, monkeypatch):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("bot.files.uploads.save", read_only)  # the module the bot calls it on
    text = "通知\n\n要推进互联网医院建设。\n".encode()
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(text, "只读.txt")))
    assert "无法写入语料文件夹" in reply["text"] and "语料库没有改动" in reply["text"]
    assert "已收录 5 份文档" in (await next_reply(fake, PRIVATE, message(PRIVATE, "/docs")))["text"]


def test_metadata_and_removal_never_reach_outside_the_corpus(corpus, tmp_path):
    from retrieval.indexing.uploads import to_trash, write_meta

    outside = tmp_path / "outside.txt"
    outside.write_text("不是语料", encoding="utf-8")
    with pytest.raises(FileNotFoundError):
        write_meta(corpus, "../outside.txt", {"title": "x"})
    with pytest.raises(FileNotFoundError):
        to_trash(corpus, "../outside.txt")
    assert outside.exists() and not (tmp_path / "outside.meta.json").exists()


@pytest.mark.parametrize("kind, reason", [("scan", "没有文字层"), ("locked", "已加密")])
async def test_a_scanned_or_encrypted_pdf_is_refused_with_its_reason(fake, bot, corpus, tmp_path, kind, reason):
    path = tmp_path / f"{kind}.pdf"
    if kind == "scan":
        write_pdf(path, pages=[[], []], text_layer=False)
    else:
        write_pdf(path, title="加密文件", pages=[["加密的内容。"]], encrypt=True)
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(path.read_bytes(), path.name)))
    assert reason in reply["text"] and "语料库没有改动" in reply["text"]
    assert not (corpus / path.name).exists()


async def test_an_admin_sends_a_scan_read_in_the_background_and_answerable(fake, bot, corpus, tmp_path):
    """A two-page scanned PDF: the bot says how many pages and how long, then the usual summary; a question is then
    answered from it, cited by page and marked as OCR text."""
    from retrieval.indexing import ocr

    from .scans import scanned_pdf

    if not ocr.available():
        pytest.skip("the OCR extra is not installed")
    lines = [
        "关于推进县域医共体建设的通知",
        "各县区卫生健康局:为推进紧密型县域医共体建设,现将有关事项通知如下。",
        "到2025年底,全市县域医共体建设实现全覆盖,县域内就诊率达到百分之九十。",
    ]
    path = scanned_pdf(tmp_path / "医共体通知(扫描件).pdf", [lines[:2], lines[2:]])
    fake.push(document(PRIVATE, fake.add_file(path.read_bytes(), path.name)))
    replies = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == PRIVATE, 120, 2)
    said = [check_telegram_html(r["text"]) for r in replies]
    assert said[0].startswith("这是扫描件,共 2 页")
    assert "文件:医共体通知(扫描件).pdf" in said[1]
    # the notice shows the pages read as the refresh reads them (page 1, read by the check, from the cache)
    edits = [e["text"] for e in fake.calls_of("editMessageText")]
    assert "已识别 1/2 页" in edits[0] and "文字识别完成:2 页" in edits[-1]
    assert (corpus / path.name).exists()
    reply = await next_reply(fake, PRIVATE, message(PRIVATE, "县域内就诊率要达到多少"))
    text = check_telegram_html(reply["text"])
    assert "百分之九十" in text and "第2页" in text and "扫描件识别" in text


async def test_a_photo_of_a_page_sent_as_a_file_is_added(fake, bot, corpus):
    from retrieval.indexing import ocr

    from .scans import page_image

    if not ocr.available():
        pytest.skip("the OCR extra is not installed")
    out = io.BytesIO()
    page_image(["关于开展爱国卫生运动的通知", "各地要在五月开展爱国卫生月活动,清理卫生死角。"]).save(out, "PNG")
    reply = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(out.getvalue(), "通知照片.png")), 120)
    assert "文件:" in check_telegram_html(reply["text"]) and (corpus / "通知照片.png").exists()


async def test_an_official_document_uploaded_shows_its_number_and_title_from_its_frame(fake, bot, corpus):
    """A 公文 as a Word file: the summary gives the title under the number (not the signature above the date), the
    成文日期 and the 文号; /docs lists the number; an answer cites 《…》(文号)."""
    import docx

    from .test_clean import OFFICIAL

    word = docx.Document()
    for line in OFFICIAL.splitlines():
        word.add_paragraph(line)
    path = corpus.parent / "护理通知.docx"
    word.save(path)
    summary = check_telegram_html(
        (await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(path.read_bytes(), path.name))))["text"]
    )
    assert "《国家卫生健康委办公厅关于进一步改善护理服务的通知》" in summary and "日期:2024年2月27日" in summary
    assert "文号:国卫办医政发〔2024〕5号" in summary
    assert "国卫办医政发〔2024〕5号" in (await next_reply(fake, PRIVATE, message(PRIVATE, "/docs")))["text"]
    reply = await next_reply(fake, PRIVATE, message(PRIVATE, "二级以上医院护士负责多少患者"))
    assert "《国家卫生健康委办公厅关于进一步改善护理服务的通知》(国卫办医政发〔2024〕5号)" in reply["text"]


async def test_docs_filters_by_official_names_and_meta_sets_them(fake, bot, corpus):
    plan = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 十四五")))["text"])
    assert "十四五(2021–2025年):4 份文档" in plan and titles_in(plan) == {"000", "002", "003", "004"}
    none = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 十九大")))["text"])
    assert "没有党的十九大的文档" in none and "/docs 十九大" in none

    text = "在全区卫生健康工作会议上的讲话\n\n同志们:\n\n要认真学习贯彻十九届五中全会精神,抓好卫生健康工作。\n".encode()
    summary = await next_reply(fake, PRIVATE, document(PRIVATE, fake.add_file(text, "讲话.txt")))
    side = corpus / "讲话.meta.json"
    refused = await next_reply(fake, PRIVATE, message(PRIVATE, "/meta 名称=火星大会", reply_to=as_message(summary)))
    assert "不认识名称“火星大会”" in check_telegram_html(refused["text"]) and not side.exists()

    update = message(PRIVATE, "/meta 名称=十九届五中全会 讲话人=区长 年份=2020", reply_to=as_message(summary))
    again = check_telegram_html((await next_reply(fake, PRIVATE, update))["text"])
    assert "十九届五中全会" in again and "讲话人:区长" in again
    assert json.loads(side.read_text(encoding="utf-8")) == {
        "names": ["十九届五中全会"],
        "speakers": ["区长"],
        "year": 2020,
    }
    listed = check_telegram_html((await next_reply(fake, PRIVATE, message(PRIVATE, "/docs 十九届五中全会")))["text"])
    assert "十九届五中全会:1 份文档" in listed and "在全区卫生健康工作会议上的讲话" in listed
