"""The corpus as the chat sees it: /docs lists documents (filtered by year, region or title words), admins fix
metadata (/meta, as a reply to an upload's summary) and remove documents (/remove, to the corpus's .trash/
folder). Every change refreshes the index in the background while questions go on being answered from the old
one. Adding files is bot/files.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from retrieval import (
    Document,
    Index,
    Region,
    UploadRejected,
    display_date,
    find_names,
    normalize,
    region_by_code,
    region_named,
    uploads,
    user_message,
)

from .buttons import MAX_BYTES
from .common import (
    index_of,
    is_admin,
    refresh,
    refuse_if_not_allowed,
    refuse_unless_admin,
    settings_of,
    unless_not_modified,
)
from .files import refreshed
from .texts import (
    ADMINS_ONLY,
    META_NO_FIELDS,
    META_USAGE,
    docs_heading,
    docs_nothing,
    facets_text,
    meta_bad_name,
    meta_bad_region,
    meta_bad_year,
)

PAGE = 10  # documents per page of /docs
MAX_PAGE_DIGITS = 4  # room kept in a page button's data for its page number: 10,000 pages of /docs
YEAR = re.compile(r"(19|20)\d{2}年?")  # /docs 2024, 年份=2024年
FACET_KEYS = {
    "地区": "region",
    "年份": "year",
    "发文机关": "issuer",
    "类型": "kind",
    "名称": "names",
    "会议": "meeting",
    "讲话人": "speakers",
}
# uploads.parse_meta knows the sidecar's English keys: the Chinese ones become them first
FACET_KEY = re.compile(rf"({'|'.join(FACET_KEYS)})(?=\s*[==:])")
FILE_LINE = re.compile(r"^文件:(.+)$", re.M)  # the summary names its file: /meta finds it there


# --- listing and metadata --------------------------------------------------------------------------------
@dataclass(frozen=True)
class DocFilter:
    """What /docs ARGUMENT lists: documents of a year, of a region (or within it), or whose title holds a text."""

    kind: Literal["y", "r", "n", "t"]
    value: str  # the year, the region's code, an official name (党的十九大, 十四五), or the text
    label: str  # as the heading and the nothing-found reply name it

    @property
    def key(self) -> str:
        """The filter in a page button's data: the text is cut to fit in 64 bytes (a cut text matches a superset)."""
        room = MAX_BYTES - len(f"docs:{MAX_PAGE_DIGITS * '9'}:{self.kind}".encode())
        return self.kind + self.value.encode()[:room].decode(errors="ignore")


def doc_filter(text: str) -> DocFilter | None:
    """/docs 2024, /docs 浙江, /docs 十九大 (an official name: a congress, a session, a plenum, a five-year plan),
    /docs 标题中的词; None for a bare /docs."""
    text = text.strip()
    if not text:
        return None
    if YEAR.fullmatch(text):
        return DocFilter("y", text[:4], f"{text[:4]}年")
    named = find_names(normalize(text))
    if named and named[0].end - named[0].start >= len(normalize(text)) - 1:
        return name_filter(named[0].name)
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
    if kind == "n":
        return name_filter(value)
    return DocFilter("t", value, f"标题含“{value}”")


def name_filter(name: str) -> DocFilter:
    """The documents going by an official name; for a five-year plan, those of its years too (十四五: 2021–2025)."""
    found = find_names(name)
    years = found[0].years if found and found[0].family == "plan" else ()
    label = f"{name}({years[0]}–{years[-1]}年)" if years else name
    return DocFilter("n", name, label)


def region_of(doc: Document) -> Region | None:
    """The document's region as a division of the gazetteer (a sidecar's unknown region has no code: none)."""
    return region_by_code(doc.facets.region_code) or (region_named(doc.facets.region) if doc.facets.region else None)


def matches(f: DocFilter, doc: Document) -> bool:
    if f.kind == "y":
        return int(f.value) in {*doc.facets.years(), doc.year}
    if f.kind == "r":
        wanted, region = region_by_code(f.value), region_of(doc)
        return wanted is not None and region is not None and region.within(wanted)
    if f.kind == "n":
        found = find_names(f.value)
        plan = found[0].years if found and found[0].family == "plan" else ()
        return f.value in doc.facets.names or bool(plan and doc.facets.year in plan)
    # 中医药 finds 中醫藥 too; a meeting's name and a speaker are searched as well as the title
    said = [doc.title, doc.facets.meeting or "", *doc.facets.speakers]
    return any(normalize(f.value) in normalize(text) for text in said)


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
    fields: dict[str, Any] = uploads.parse_meta(FACET_KEY.sub(lambda m: FACET_KEYS[m.group(1)], text))
    if not fields:
        raise MetaRefused(META_NO_FIELDS)
    year = fields.get("year")
    if year:  # an empty value clears the field: uploads.write_meta drops it
        if not YEAR.fullmatch(year):
            raise MetaRefused(meta_bad_year(year))
        fields["year"] = int(year[:4])
    region_name = fields.get("region")
    if region_name:
        region = region_named(region_name)
        if region is None:
            raise MetaRefused(meta_bad_region(region_name))
        fields["region"] = region.name
    if fields.get("names"):  # 名称=十九大 or 十三届全国人大二次会议, stored in their canonical form
        names = [n.name for n in find_names(normalize(fields["names"]))]
        if not names:
            raise MetaRefused(meta_bad_name(fields["names"]))
        fields["names"] = names
    if fields.get("speakers"):
        fields["speakers"] = [s for s in re.split(r"[、,，;；\s]+", fields["speakers"]) if s]
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
        await asyncio.to_thread(uploads.write_meta, settings_of(context).corpus, name, fields)
    except MetaRefused as exc:
        await update.effective_message.reply_text(str(exc))
        return
    except UploadRejected as exc:
        await update.effective_message.reply_text(html.escape(user_message(exc)))
        return
    except FileNotFoundError:
        await update.effective_message.reply_text(f"语料库里已没有 {html.escape(name)}。")
        return
    await refreshed(update, context, name)


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
        moved = await asyncio.to_thread(uploads.to_trash, settings_of(context).corpus, found[0].id)
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
    application.add_handler(CallbackQueryHandler(docs_turn, pattern=r"^docs:\d+(:[yrt].*)?$"))
    application.add_handler(CallbackQueryHandler(confirm_remove, pattern=r"^rm:([0-9a-f]{12}|cancel)$"))
