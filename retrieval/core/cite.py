"""Citations: a short line under each passage, and full references in GB/T 7714-2015 form.

A field the document does not state is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import re

from .articles import label
from .hanzi import cn_numeral, cn_small
from .models import Chunk, Document
from .text import normalize

_NEWSPAPER = re.compile(r"(报|日报|晚报|时报|周报)$")


def display_date(date: str | None) -> str | None:
    """2024-01-24 -> 2024年1月24日; partial dates keep what they have."""
    if not date:
        return None
    parts = [int(p) for p in date.split("-") if p.isdigit()]
    labels = ["年", "月", "日"]
    return "".join(f"{p}{labels[i]}" for i, p in enumerate(parts[:3]))


def locator(chunk: Chunk) -> str:
    """Where in the document a chunk sits: 第3段, 第2段(之二), 第3页第12段 in a PDF or a scan, 目录 for an outline,
    or the article it is: 第三十九条."""
    if chunk.kind == "outline":
        return "目录"
    if chunk.article is not None:
        return label(chunk.article) + (f"(之{cn_small(chunk.part)})" if chunk.part else "")
    page = f"第{chunk.page}页" if chunk.page else ""
    return f"{page}第{chunk.paragraph}段" + (f"(之{cn_small(chunk.part)})" if chunk.part else "")


def short_citation(doc: Document, chunk: Chunk) -> str:
    """《题名》(文号) · 来源 · 日期 · 第N段 · 节选 · 扫描件识别; an article as laws are cited: 《题名》第N条 · 日期"""
    where = locator(chunk)
    article = chunk.article is not None
    parts = [
        f"《{doc.title}》" + (f"({doc.number})" if doc.number else "") + (where if article else ""),
        doc.source,
        display_date(doc.date),
        None if article else where,
        "节选" if doc.excerpt else None,
        "扫描件识别" if doc.scanned else None,
    ]
    return " · ".join(p for p in parts if p)


def span_citation(doc: Document, first: Chunk, start: int, end: int, last: Chunk | None = None) -> str:
    """The citation of paragraphs start to end of a document (a list's lead-in and items): 《题名》 · 来源 · 日期 ·
    第3页第5–11段 · 节选 · 扫描件识别, the page being the one the first begins on; articles as laws are cited:
    《题名》第三十九条, 《题名》第十六至十八条."""
    if first.article is not None:
        to = last.article if last is not None and last.article is not None else first.article
        span = label(first.article) if to == first.article else f"第{cn_numeral(first.article)}至{cn_numeral(to)}条"
        return " · ".join(p for p in [f"《{doc.title}》{span}", doc.source, display_date(doc.date)] if p)
    page = f"第{first.page}页" if first.page else ""
    where = f"{page}第{start}段" if start == end else f"{page}第{start}–{end}段"
    parts = [
        f"《{doc.title}》" + (f"({doc.number})" if doc.number else ""),
        doc.source,
        display_date(doc.date),
        where,
        "节选" if doc.excerpt else None,
        "扫描件识别" if doc.scanned else None,
    ]
    return " · ".join(p for p in parts if p)


def is_newspaper(source: str | None) -> bool:
    return source is not None and bool(_NEWSPAPER.search(normalize(source)))


def reference(doc: Document, cited: dt.date, pages: str | None = None) -> str:
    """The GB/T 7714-2015 reference: [N] for a newspaper item, [EB/OL] for a web page; `pages` (3, or 3-4) where
    the passage is, in a PDF or a scan."""
    at = f": {pages}" if pages else ""
    if is_newspaper(doc.source):
        head = f"{doc.author}. " if doc.author else ""
        tail = f", {doc.date}" if doc.date else ""
        return f"{head}{doc.title}[N]. {doc.source}{tail}{at}."
    published = f"({doc.date})" if doc.date else ""
    url = f" {doc.url}." if doc.url else ""
    if doc.number:  # an official document: its issuer first, its number as other title information
        head = f"{doc.author}. " if doc.author else ""
        return f"{head}{doc.title}: {doc.number}[EB/OL]. {published}[{cited.isoformat()}]{at}.{url}"
    return f"{doc.title}[EB/OL]. {published}[{cited.isoformat()}]{at}.{url}"
