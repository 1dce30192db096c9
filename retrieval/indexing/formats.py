"""Readers for binary document formats: Word (.docx) and PDF with a text layer. Each returns (text, metadata).

The text is lines with blank lines between paragraphs, as the cleaner expects; `metadata` may carry
title, author, date and `headings` (line text -> level) for headings the file marks as such.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.errors import UnreadableFile
from ..core.text import PAGE_MARK
from . import ocr, pdfscan

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from docx.table import Table

PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?[-—–\s]*$|^\d{1,4}\s*/\s*\d{1,4}$|^page\s*\d+", re.I)
MIN_CHARS_PER_PAGE = 20  # below this on average a PDF has no real text layer (a scan)
RUNNING_MIN_PAGES = 3  # fewer pages cannot show that a line runs on every page
RUNNING_SHARE = 0.6  # a header or footer repeats on this share of pages (the first pages may lack it)


def _date_of(value: object) -> str | None:
    return value.strftime("%Y-%m-%d") if isinstance(value, (dt.date, dt.datetime)) else None


def read_docx(data: bytes) -> tuple[str, dict]:
    """Paragraphs and headings as the document defines them; tables as rows of text."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - python-docx is a dependency
        raise UnreadableFile("python-docx is not installed") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFile(f"不是可读的 Word 文件({type(exc).__name__})") from exc
    lines: list[str] = []
    headings: dict[str, int] = {}
    title = None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(element, document)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            if style == "Title" and title is None:
                title = text
                lines += [text, ""]
                continue
            m = re.match(r"Heading (\d)", style)
            if m:
                headings[text] = int(m.group(1))
            lines += [text, ""]
        elif tag == "tbl":
            lines += [line for row in table_rows(Table(element, document)) for line in (row, "")]
    props = document.core_properties
    meta = {
        k: v
        for k, v in {
            "title": title or (props.title or "").strip() or None,
            "author": (props.author or "").strip() or None,
            "date": _date_of(props.created) or _date_of(props.modified),
            "headings": headings or None,
        }.items()
        if v
    }
    return "\n".join(lines), meta


def table_rows(table: Table) -> list[str]:
    """A table as lines of text, one per row. With a header row, each row names its columns
    (项目:家庭医生签约;目标:覆盖率达到75%) so that a row found on its own still makes sense."""
    rows = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            value = " ".join(cell.text.split())
            if not cells or cells[-1] != value:  # a merged cell repeats its text in each grid cell
                cells.append(value)
        if any(cells):
            rows.append(cells)
    if len(rows) < 2:
        return [" | ".join(c for c in row if c) for row in rows]
    header = rows[0]
    if len(set(header)) != len(header) or not all(header):
        return [" | ".join(c for c in row if c) for row in rows]
    return [
        ";".join(f"{h}:{v}" for h, v in zip(header, row, strict=True) if v)
        if len(row) == len(header)
        else " | ".join(c for c in row if c)
        for row in rows[1:]
    ]


def read_pdf(data: bytes) -> tuple[str, dict]:
    """Text of a PDF with a text layer: lines of all pages, running headers, footers and page numbers removed."""
    try:
        import pypdf
    except ImportError as exc:  # pragma: no cover - pypdf is a dependency
        raise UnreadableFile("pypdf is not installed") from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableFile("PDF 已加密:请另存一份未加密的副本再添加")
        pages = [(page.extract_text() or "") for page in reader.pages]
        info: Mapping[str, Any] = dict(reader.metadata or {})
        created = getattr(reader.metadata, "creation_date", None) if reader.metadata else None
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(f"不是可读的 PDF({type(exc).__name__})") from exc
    # the reader holds a copy of the file and every page it parsed (a scan's images too): let it go before the
    # pages are read by OCR, so that the two never add up
    del reader
    gc.collect()
    if not pages:
        raise UnreadableFile("PDF 没有页面")
    # a page without a text layer (a scan) is read by OCR when the engine is installed; a mixed PDF keeps the
    # text layer of the pages that have one
    scans = [i for i, p in enumerate(pages) if len("".join(p.split())) < MIN_CHARS_PER_PAGE]
    scanned: dict[int, str] = {}
    skipped: dict[int, str] = {}
    if scans and ocr.available():
        scanned, skipped = pdfscan.ocr_pdf_pages(data, scans)
        if skipped:
            log.warning("PDF pages not read: %s", pdfscan.unread_note(skipped))
    elif len(scans) == len(pages):
        raise UnreadableFile("PDF 没有文字层(可能是扫描件);安装文字识别组件后可读取:pip install 'qabot[ocr]'")
    page_lines = [
        [ln.strip() for ln in (scanned[i].split("\n\n") if i in scanned else p.splitlines()) if ln.strip()]
        for i, p in enumerate(pages)
    ]
    if scans and not any(page_lines):
        why = f"({pdfscan.unread_note(skipped)})" if skipped else ""
        raise UnreadableFile(f"PDF 没有文字层,扫描件中也没有识别出文字{why}")
    running = _running_lines(page_lines)
    # each page opens with PAGE_MARK, so that passages are cited by the page they begin on; a scanned page's
    # paragraphs are a line each, with a blank line between them
    lines: list[str] = []
    for i, pl in enumerate(page_lines):
        lines.append(PAGE_MARK)
        for ln in pl:
            if not PAGE_NUMBER.match(ln) and _shape(ln) not in running:
                lines += [ln, ""] if i in scanned else [ln]
    meta = {
        k: v
        for k, v in {
            "title": (info.get("/Title") or "").strip() or None,
            "author": (info.get("/Author") or "").strip() or None,
            # a scan's file was made by the scanner: its date is the day of scanning, not the document's
            "date": _date_of(created) if created and len(scanned) < len(pages) else None,
            "scanned": bool(scanned),
            "unread": pdfscan.unread_note(skipped),
        }.items()
        if v
    }
    return "\n".join(lines), meta


def _shape(line: str) -> str:
    """A line with its digits blanked: running headers differ only by page number."""
    return re.sub(r"\d+", "#", line)


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Shapes of lines at the top or bottom of most pages: running headers and footers."""
    if len(page_lines) < RUNNING_MIN_PAGES:
        return set()
    counts = Counter(s for pl in page_lines for s in {_shape(ln) for ln in pl[:2] + pl[-2:]})
    return {s for s, n in counts.items() if n >= max(RUNNING_MIN_PAGES, len(page_lines) * RUNNING_SHARE)}


BINARY_FORMATS: dict[str, Callable[[bytes], tuple[str, dict]]] = {
    ".docx": read_docx,
    ".pdf": read_pdf,
    # photos, screenshots and scanned pages, read by OCR (retrieval/indexing/ocr.py; skipped with a reason without it)
    ".png": ocr.read_image,
    ".jpg": ocr.read_image,
    ".jpeg": ocr.read_image,
    ".tif": ocr.read_image,
    ".tiff": ocr.read_image,
}
