"""Managing the corpus from the chat: admins send files (/add in groups), list them (/docs), fix their
metadata (/meta), and remove them (/remove, to the corpus's .trash/ folder). Every change refreshes the index in
the background while questions go on being answered from the old one.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import json
import logging
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from retrieval import ocr
from retrieval.build import PageProgress, ocr_cache
from retrieval.cite import display_date
from retrieval.errors import NameTaken, UploadRejected, user_message
from retrieval.facets import region_by_code
from retrieval.models import Document
from retrieval.qa import ask
from retrieval.regions import Region, region_named
from retrieval.store import Index
from retrieval.text import normalize
from retrieval.tokenize import tokenize
from retrieval.uploads import (
    MAX_UPLOAD,
    SECONDS_PER_SCANNED_PAGE,
    inspect_bounded,
    parse_meta,
    safe_name,
    save,
    sniff,
    to_trash,
    write_meta,
)

from .answers import picture_of, where_from
from .buttons import MAX_BYTES
from .common import (
    index_of,
    is_admin,
    off_loop,
    refresh,
    refuse_if_not_allowed,
    refuse_unless_admin,
    settings_of,
    unless_not_modified,
)
from .texts import (
    ADMINS_ONLY,
    META_HINT,
    META_NO_FIELDS,
    META_USAGE,
    docs_heading,
    docs_nothing,
    facets_text,
    meta_bad_region,
    meta_bad_year,
    scan_progress,
    scan_reading,
)

log = logging.getLogger(__name__)
PAGE_NOTICE_SECONDS = 10  # the scan notice shows the pages read at most this often

PAGE = 10  # documents per page of /docs
MAX_PAGE_DIGITS = 4  # room kept in a page button's data for its page number: 10,000 pages of /docs
YEAR = re.compile(r"(19|20)\d{2}年?")  # /docs 2024, 年份=2024年
FACET_KEYS = {"地区": "region", "年份": "year", "发文机关": "issuer", "类型": "kind"}
# parse_meta knows the sidecar's English keys: the Chinese ones become them first
FACET_KEY = re.compile(rf"({'|'.join(FACET_KEYS)})(?=\s*[==:])")
SAMPLE_TRIES = 8  # distinctive words tried as the sample question
SAMPLE_FROM = 200  # passages of a new document read to find its sample question: enough for a long report
FILE_LINE = re.compile(r"^文件:(.+)$", re.M)  # the summary names its file: /meta finds it there
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
    if document.file_size and document.file_size > MAX_UPLOAD:
        await update.effective_message.reply_text(_rejected(original, f"文件超过 {MAX_UPLOAD // 2**20} MB"))
        return
    await update.effective_chat.send_action(ChatAction.TYPING)
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        suffix = sniff(data, original)
        cache = ocr_cache(settings_of(context).index)
        checked = await asyncio.to_thread(inspect_bounded, data, suffix, cache=cache)
    except UploadRejected as exc:
        await update.effective_message.reply_text(_rejected(original, str(exc)))
        return
    notice = None
    if checked.scanned_pages > 1:  # the refresh reads the other pages in a worker process: say how long
        pages = min(checked.scanned_pages, ocr.MAX_PAGES)
        minutes = max(1, round(pages * SECONDS_PER_SCANNED_PAGE / 60))
        notice = await update.effective_message.reply_text(scan_reading(checked.scanned_pages, minutes, ocr.MAX_PAGES))
    name = safe_name(original or f"文档{suffix}", suffix)
    corpus = settings_of(context).corpus
    try:
        await asyncio.to_thread(save, corpus, name, data)
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
    await _refreshed(update, context, name, _pages_told(notice) if notice else None)


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
    await asyncio.to_thread(save, settings_of(context).corpus, name, data, replace=True)
    data_path.unlink(missing_ok=True)
    meta_path.unlink(missing_ok=True)
    await _refreshed(update, context, name)


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


async def _refreshed(
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


# --- listing and metadata --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocFilter:
    """What /docs ARGUMENT lists: documents of a year, of a region (or within it), or whose title holds a text."""

    kind: Literal["y", "r", "t"]
    value: str  # the year, the region's code, or the text
    label: str  # as the heading and the nothing-found reply name it

    @property
    def key(self) -> str:
        """The filter in a page button's data: the text is cut to fit in 64 bytes (a cut text matches a superset)."""
        room = MAX_BYTES - len(f"docs:{MAX_PAGE_DIGITS * '9'}:{self.kind}".encode())
        return self.kind + self.value.encode()[:room].decode(errors="ignore")


def doc_filter(text: str) -> DocFilter | None:
    """/docs 2024, /docs 浙江, /docs 标题中的词; None for a bare /docs."""
    text = text.strip()
    if not text:
        return None
    if YEAR.fullmatch(text):
        return DocFilter("y", text[:4], f"{text[:4]}年")
    region = region_named(text)
    if region is not None:
        return DocFilter("r", region.code, region.name)
    return DocFilter("t", text, f"标题含“{text}”")


def filter_of_key(key: str) -> DocFilter | None:
    """The filter a page button carries (see DocFilter.key); None when it names nothing (no filter, or a region the
    gazetteer no longer has)."""
    if not key:
        return None
    kind, value = key[0], key[1:]
    if kind == "y":
        return DocFilter("y", value, f"{value}年") if YEAR.fullmatch(value) else None
    if kind == "r":
        region = region_by_code(value)
        return DocFilter("r", region.code, region.name) if region else None
    return DocFilter("t", value, f"标题含“{value}”")


def region_of(doc: Document) -> Region | None:
    """The document's region as a division of the gazetteer (a sidecar's unknown region has no code: none)."""
    return region_by_code(doc.facets.region_code) or (region_named(doc.facets.region) if doc.facets.region else None)


def matches(f: DocFilter, doc: Document) -> bool:
    if f.kind == "y":
        return int(f.value) in {*doc.facets.years(), doc.year}
    if f.kind == "r":
        wanted, region = region_by_code(f.value), region_of(doc)
        return wanted is not None and region is not None and region.within(wanted)
    return normalize(f.value) in normalize(doc.title)  # 中医药 finds 中醫藥 too


def by_date(index: Index) -> list[Document]:
    return sorted(index.documents.values(), key=lambda d: (d.date or "", d.id), reverse=True)


def doc_line(number: int, d: Document) -> str:
    meta = " · ".join(x for x in (d.number, d.source, display_date(d.date), "节选" if d.excerpt else None) if x)
    line = f"{number}. 《{html.escape(d.title)}》" + (f" {html.escape(meta)}" if meta else "")
    facets = facets_text(d.facets, d.source)
    return line + (f"\n    {html.escape(facets)}" if facets else "")


def corpus_facets(docs: list[Document]) -> tuple[list[int], list[str]]:
    """The years and regions the corpus has, for a reply saying a filter found nothing."""
    years = sorted({y for d in docs for y in (*d.facets.years(), d.year) if y is not None})
    regions = {d.facets.region: d.facets.region_code or "" for d in docs if d.facets.region}
    return years, sorted(regions, key=lambda name: (regions[name], name))


def docs_page(index: Index, page: int, f: DocFilter | None = None) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the document list (or of those the filter keeps), newest first, with 上一页 / 下一页."""
    everything = by_date(index)
    # numbered as in the full list, so that /remove 序号 names the same document whatever the filter
    docs = [(n, d) for n, d in enumerate(everything, start=1) if f is None or matches(f, d)]
    if f is not None and not docs:
        return docs_nothing(f.label, *corpus_facets(everything)), None
    pages = max(1, -(-len(docs) // PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [docs_heading(len(everything), len(docs), f.label if f else None, page, pages)]
    lines += [doc_line(number, d) for number, d in docs[page * PAGE : (page + 1) * PAGE]]
    lines.append("\n管理员:<code>/remove 序号</code> 移除一份文档。")
    suffix = f":{f.key}" if f else ""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("上一页", callback_data=f"docs:{page - 1}{suffix}"))
    if page < pages - 1:
        row.append(InlineKeyboardButton("下一页", callback_data=f"docs:{page + 1}{suffix}"))
    return "\n".join(lines), InlineKeyboardMarkup([row]) if row else None


async def docs(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the indexed documents (of a year, a region or a title's words), newest first, a page at a time."""
    if await refuse_if_not_allowed(update, context):
        return
    text, markup = docs_page(index_of(context), 0, doc_filter(" ".join(context.args or [])))
    await update.effective_message.reply_text(text, reply_markup=markup)


async def docs_turn(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """上一页 / 下一页 of /docs: the same message shows the other page, of the same filter."""
    if await refuse_if_not_allowed(update, context):
        return
    query = update.callback_query
    await query.answer()
    _, page, *key = query.data.split(":", 2)  # docs:PAGE or docs:PAGE:FILTER
    text, markup = docs_page(index_of(context), int(page), filter_of_key(key[0]) if key else None)
    with unless_not_modified():
        await query.edit_message_text(text, reply_markup=markup)


class MetaRefused(ValueError):
    """/meta's text cannot be written: the reply says why (HTML)."""


def meta_fields(text: str) -> dict[str, Any]:
    """The sidecar fields of /meta's text, facets checked: 年份 a year (stored as a number), 地区 a known division
    (stored by its full name). Raises MetaRefused with the reply."""
    fields: dict[str, Any] = parse_meta(FACET_KEY.sub(lambda m: FACET_KEYS[m.group(1)], text))
    if not fields:
        raise MetaRefused(META_NO_FIELDS)
    year = fields.get("year")
    if year:  # an empty value clears the field: write_meta drops it
        if not YEAR.fullmatch(year):
            raise MetaRefused(meta_bad_year(year))
        fields["year"] = int(year[:4])
    region_name = fields.get("region")
    if region_name:
        region = region_named(region_name)
        if region is None:
            raise MetaRefused(meta_bad_region(region_name))
        fields["region"] = region.name
    return fields


async def meta(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/meta 标题=… 日期=… 地区=… 年份=… as a reply to an upload's summary: writes the file's sidecar and refreshes."""
    if await refuse_unless_admin(update, context):
        return
    replied = update.effective_message.reply_to_message
    found = FILE_LINE.search((replied.text or "") if replied else "")
    if not found:
        await update.effective_message.reply_text(META_USAGE)
        return
    name = found.group(1).strip()
    try:
        fields = meta_fields(" ".join(context.args or []))
        await asyncio.to_thread(write_meta, settings_of(context).corpus, name, fields)
    except MetaRefused as exc:
        await update.effective_message.reply_text(str(exc))
        return
    except UploadRejected as exc:
        await update.effective_message.reply_text(html.escape(user_message(exc)))
        return
    except FileNotFoundError:
        await update.effective_message.reply_text(f"语料库里已没有 {html.escape(name)}。")
        return
    await _refreshed(update, context, name)


# --- removing --------------------------------------------------------------------------------------------
def doc_key(doc_id: str) -> str:
    """A short stable key for a document in callback data (its name may not fit in 64 bytes)."""
    return hashlib.sha1(doc_id.encode()).hexdigest()[:12]


async def remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remove NUMBER (from /docs) or part of the name: asks for confirmation first."""
    if await refuse_unless_admin(update, context):
        return
    wanted = " ".join(context.args or []).strip()
    docs_ = by_date(index_of(context))
    if wanted.isdigit() and 1 <= int(wanted) <= len(docs_):
        matches = [docs_[int(wanted) - 1]]
    else:
        matches = [d for d in docs_ if wanted and (wanted in d.id or wanted in d.title)]
    if len(matches) != 1:
        listed = "\n".join(f"• {html.escape(d.id)}" for d in matches[:10])
        await update.effective_message.reply_text(
            "用法:<code>/remove 序号</code>(见 /docs)或文件名的一部分。"
            + (f"\n有 {len(matches)} 份文档符合,请说得更具体:\n{listed}" if matches else ""),
        )
        return
    d = matches[0]
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("移除", callback_data=f"rm:{doc_key(d.id)}"),
                InlineKeyboardButton("取消", callback_data="rm:cancel"),
            ]
        ]
    )
    await update.effective_message.reply_text(
        f"确定移除《{html.escape(d.title)}》({html.escape(d.id)})吗?文件会移到语料库的 .trash 文件夹。",
        reply_markup=markup,
    )


async def confirm_remove(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """移除 / 取消 after /remove."""
    query = update.callback_query
    if not is_admin(update, context):
        await query.answer(ADMINS_ONLY)
        return
    key = query.data.split(":")[1]
    await query.answer()
    await query.edit_message_reply_markup(None)
    if key == "cancel":
        await update.effective_message.reply_text("已取消,没有移除任何文档。")
        return
    found = [d for d in index_of(context).documents.values() if doc_key(d.id) == key]
    if not found:
        await update.effective_message.reply_text("这份文档已不在索引中。")
        return
    try:
        moved = await asyncio.to_thread(to_trash, settings_of(context).corpus, found[0].id)
    except (FileNotFoundError, OSError) as exc:
        await update.effective_message.reply_text(f"无法移除 {html.escape(found[0].id)}:{html.escape(str(exc))}")
        return
    index, report = await refresh(context.application)
    note = f",但索引未能更新:{html.escape(report.failed)}" if report.failed else ""
    await update.effective_message.reply_text(
        f"已移除《{html.escape(found[0].title)}》,文件在 {html.escape(moved.parent.name)}/{html.escape(moved.name)}"
        f"{note}。现有 {len(index.documents)} 份文档。",
    )


def add_handlers(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    for name, callback in (("docs", docs), ("sources", docs), ("remove", remove), ("meta", meta)):
        application.add_handler(CommandHandler(name, callback, filters=new))
    private_file = filters.ChatType.PRIVATE & filters.Document.ALL
    group_file = filters.ChatType.GROUPS & filters.Document.ALL & filters.CaptionRegex(ADD_CAPTION)
    application.add_handler(MessageHandler(new & (private_file | group_file), receive_document))
    application.add_handler(CallbackQueryHandler(docs_turn, pattern=r"^docs:\d+(:[yrt].*)?$"))
    application.add_handler(CallbackQueryHandler(confirm_replace, pattern=r"^doc:(replace|cancel):[0-9a-f]+$"))
    application.add_handler(CallbackQueryHandler(confirm_remove, pattern=r"^rm:([0-9a-f]{12}|cancel)$"))
