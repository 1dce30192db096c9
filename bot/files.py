"""Admins add files to the corpus from the chat: a file sent in a private chat (or with the caption /add in a group)
is checked, saved and indexed in the background, a scan's pages told as they are read, then what was learned is
summarised with one question answered from it. Replacing a file of the same name asks first.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import secrets
import time
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from retrieval import (
    Document,
    Index,
    NameTaken,
    PageProgress,
    UploadRejected,
    ask,
    display_date,
    ocr,
    ocr_cache,
    tokenize,
    uploads,
)

from .common import (
    is_admin,
    off_loop,
    refresh,
    refuse_if_not_allowed,
    settings_of,
    unless_not_modified,
)
from .pictures import picture_of, where_from
from .texts import (
    ADMINS_ONLY,
    META_HINT,
    facets_text,
    scan_progress,
    scan_reading,
)

log = logging.getLogger(__name__)


PAGE_NOTICE_SECONDS = 10  # the scan notice shows the pages read at most this often


SAMPLE_TRIES = 8  # distinctive words tried as the sample question


SAMPLE_FROM = 200  # passages of a new document read to find its sample question: enough for a long report


ADD_CAPTION = r"^/add(@\w+)?(\s|$)"


NOT_ADMIN_FILE = "谢谢!不过只有管理员可以向语料库添加文档。需要收录的文件请转给管理员。"


# --- adding ----------------------------------------------------------------------------------------------
async def receive_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An admin's file: check it, save it into the corpus, refresh the index, summarise what was learned."""
    if await refuse_if_not_allowed(update, context):
        return
    if not is_admin(update, context):
        if update.effective_chat.type == ChatType.PRIVATE and picture_of(update.effective_message) is not None:
            await where_from(update, context, update.effective_message)  # a screenshot sent as a file: a quote
            return
        await update.effective_message.reply_text(NOT_ADMIN_FILE)  # nothing is downloaded
        return
    document = update.effective_message.document
    original = document.file_name or ""
    if document.file_size and document.file_size > uploads.MAX_UPLOAD:
        await update.effective_message.reply_text(_rejected(original, f"文件超过 {uploads.MAX_UPLOAD // 2**20} MB"))
        return
    await update.effective_chat.send_action(ChatAction.TYPING)
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        suffix = uploads.sniff(data, original)
        cache = ocr_cache(settings_of(context).index)
        checked = await asyncio.to_thread(uploads.inspect_bounded, data, suffix, cache=cache)
    except UploadRejected as exc:
        await update.effective_message.reply_text(_rejected(original, str(exc)))
        return
    notice = None
    if checked.scanned_pages > 1:  # the refresh reads the other pages in a worker process: say how long
        pages = min(checked.scanned_pages, ocr.MAX_PAGES)
        minutes = max(1, round(pages * uploads.SECONDS_PER_SCANNED_PAGE / 60))
        notice = await update.effective_message.reply_text(scan_reading(checked.scanned_pages, minutes, ocr.MAX_PAGES))
    name = uploads.safe_name(original or f"文档{suffix}", suffix)
    corpus = settings_of(context).corpus
    try:
        await asyncio.to_thread(uploads.save, corpus, name, data)
    except NameTaken:
        token = _stage(context, name, data)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("替换为新文件", callback_data=f"doc:replace:{token}"),
                    InlineKeyboardButton("取消", callback_data=f"doc:cancel:{token}"),
                ]
            ]
        )
        await update.effective_message.reply_text(
            f"语料库里已有同名文件 {html.escape(name)},内容不同。要用新文件替换它吗?", reply_markup=markup
        )
        return
    except OSError as exc:  # a read-only or full corpus folder: nothing was written (the save is atomic)
        await update.effective_message.reply_text(_rejected(original, f"无法写入语料文件夹:{exc.strerror or exc}"))
        return
    await refreshed(update, context, name, _pages_told(notice) if notice else None)


def _rejected(name: str, reason: str) -> str:
    return f"没有加入 {html.escape(name or '这个文件')}:{html.escape(reason)}。语料库没有改动。"


def _staging(context: ContextTypes.DEFAULT_TYPE) -> Path:
    """Files waiting for an admin's confirmation: beside the index, never in the corpus."""
    folder = settings_of(context).index.parent / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stage(context: ContextTypes.DEFAULT_TYPE, name: str, data: bytes) -> str:
    token = secrets.token_hex(6)
    folder = _staging(context)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"name": name}, ensure_ascii=False), encoding="utf-8")
    return token


async def confirm_replace(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """替换 / 取消 after a same-name upload."""
    query = update.callback_query
    _, action, token = query.data.split(":")
    if not is_admin(update, context):
        await query.answer(ADMINS_ONLY)
        return
    folder = _staging(context)
    data_path, meta_path = folder / f"{token}.bin", folder / f"{token}.json"
    if not meta_path.exists():
        await query.answer("这个请求已处理或已过期。")
        return
    name = json.loads(meta_path.read_text(encoding="utf-8"))["name"]
    await query.answer()
    await query.edit_message_reply_markup(None)
    if action == "cancel":
        data_path.unlink(missing_ok=True)
        meta_path.unlink(missing_ok=True)
        await update.effective_message.reply_text(f"已取消:{html.escape(name)} 保持原样。")
        return
    data = data_path.read_bytes()
    await asyncio.to_thread(uploads.save, settings_of(context).corpus, name, data, replace=True)
    data_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    await refreshed(update, context, name)


def _pages_told(notice: Message) -> PageProgress:
    """The scan notice edited with the pages read so far: from the refresh's thread, at most every
    PAGE_NOTICE_SECONDS (Telegram limits how often a message is edited), and once when the last page is read."""
    loop = asyncio.get_running_loop()
    last = [float("-inf")]

    def tell(read: int, to_read: int) -> None:
        now = time.monotonic()
        if 0 < read < to_read and now - last[0] >= PAGE_NOTICE_SECONDS or read == to_read > 0:
            last[0] = now
            asyncio.run_coroutine_threadsafe(_edit_notice(notice, scan_progress(read, to_read)), loop)

    return tell


async def _edit_notice(notice: Message, text: str) -> None:
    try:
        with unless_not_modified():
            await notice.edit_text(text)
    except TelegramError:  # a progress line that cannot be shown is no reason to stop the refresh
        log.warning("could not update the scan notice", exc_info=True)


async def refreshed(
    update: Update, context: ContextTypes.DEFAULT_TYPE, name: str, pages: PageProgress | None = None
) -> None:
    """Refresh the index and reply with what it learned from `name`."""
    index, report = await refresh(context.application, pages)
    if report.failed:
        await update.effective_message.reply_text(
            f"文件已保存为 {html.escape(name)},但索引未能更新:{html.escape(report.failed)}。"
            "仍在使用上一版索引,发送 /reload 可再试。",
        )
        return
    if name in report.skipped:
        await update.effective_message.reply_text(
            f"文件已保存为 {html.escape(name)},但没有编入索引:{html.escape(report.skipped[name])}。"
        )
        return
    await update.effective_message.reply_text(await summary(context, index, name))


async def summary(context: ContextTypes.DEFAULT_TYPE, index: Index, name: str) -> str:
    """Title, date, source, passages, and one question answered from the new document."""
    doc = index.documents[name]
    passages = index.stored[name].count
    lines = [
        f"<b>已加入语料库</b>:《{html.escape(doc.title)}》",
        f"文件:{html.escape(name)}",
        f"日期:{html.escape(display_date(doc.date) or '未识别')} · 来源:{html.escape(doc.source or '未识别')}"
        f" · 段落:{passages}",
    ]
    if doc.number:
        lines.append(f"文号:{html.escape(doc.number)}")
    facets = facets_text(doc.facets, doc.source)
    if facets:
        lines.append(f"分类:{html.escape(facets)}")
    if doc.unread:
        lines.append(f"未识别的页:{html.escape(doc.unread)}")
    sample = await off_loop(context, sample_question, index, doc)
    if sample:
        question, lead = sample
        lines += ["", f"试问:<code>{html.escape(question)}</code>", f"答:“{html.escape(lead)}”"]
    lines += ["", META_HINT]
    return "\n".join(lines)


def sample_question(index: Index, doc: Document) -> tuple[str, str] | None:
    """A question the new document answers: its most distinctive words (frequent in it, rare elsewhere), asked
    until one finds this document first."""
    counts: dict[str, int] = {}
    for chunk in index.chunks_of(doc.id)[:SAMPLE_FROM]:
        for t in tokenize(chunk.text):
            if len(t) >= 2 and not t.isascii():
                counts[t] = counts.get(t, 0) + 1
    scored = []
    for term, n in counts.items():
        p = index.postings(term)
        if p is not None:
            scored.append((n / p.df, len(term), term))
    for _, _, term in sorted(scored, reverse=True)[:SAMPLE_TRIES]:
        answer = ask(index, term, k=1).answer
        if answer.passages and answer.passages[0].doc.id == doc.id:
            lead = answer.lead.text if answer.lead else answer.passages[0].text[:120]
            return term, lead
    return None


def add_handlers(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    private_file = filters.ChatType.PRIVATE & filters.Document.ALL
    group_file = filters.ChatType.GROUPS & filters.Document.ALL & filters.CaptionRegex(ADD_CAPTION)
    application.add_handler(MessageHandler(new & (private_file | group_file), receive_document))
    application.add_handler(CallbackQueryHandler(confirm_replace, pattern=r"^doc:(replace|cancel):[0-9a-f]+$"))
