"""One corpus file in, one Document and its tokenized chunks out. Runs in worker processes during a build."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.aliases import definitions
from ..core.hanzi import ends_sentence
from ..core.models import Chunk, Document
from ..core.store import bare
from ..core.text import CJK, normalize
from ..core.tokenize import tokenize
from ..core.years import passage_years
from .chunk import chunk_paragraphs
from .clean import YEAR_IN_TITLE, clean_text
from .facets import OPENING_LINES, document_facets
from .load import RawFile, read_file
from .writer import DocRows

_DATE_IN_NAME = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})[-_.年]?(\d{2})?[-_.月]?(\d{2})?(?!\d)")


@dataclass
class IngestedDoc:
    document: Document
    chunks: list[Chunk]
    tokens: list[list[str]]
    chars: int


def ingest(path: Path, corpus: Path, data: bytes | None = None) -> IngestedDoc:
    """Read, clean, chunk and tokenize one file; raises UnreadableFile (with the reason) when it has no body text."""
    raw = read_file(path, corpus, data)
    cleaned = clean_text(raw.text, raw.properties.get("headings"))
    document = make_document(raw, cleaned.meta, cleaned.excerpt)
    chunks = chunk_paragraphs(document.id, cleaned.paragraphs)
    if not chunks:
        from ..core.errors import UnreadableFile

        raise UnreadableFile("清理后没有正文")
    section_years: list[int] = []
    for c in chunks:
        c.years = passage_years(" ".join([*c.headings, c.text]), document.year)
        # a short line naming a year (2024年工作回顾, 2025年工作安排建议) heads what follows where the file marks no
        # heading: the paragraphs after it that name no year of their own speak of its year
        if is_year_marker(c.text) and c.years:
            section_years = c.years
        elif not c.years and not c.headings:
            c.years = section_years
    document.facets = document_facets(
        document.title,
        document.date,
        [c.text for c in chunks[:OPENING_LINES]],
        [c.text for c in chunks],
        raw.sidecar,
        subtitle=cleaned.meta.get("subtitle"),
        speaker=cleaned.meta.get("speaker"),
    )
    if document.date is None and document.facets.amended:  # a law's version is the last its record states
        document.date = document.facets.amended[-1]
    document.articles = max((c.article for c in chunks if c.article is not None), default=None)
    document.aliases = list(dict.fromkeys(pair for c in chunks for pair in definitions(normalize(c.text))))
    title_tokens = tokenize(document.title)
    tokens = [chunk_tokens(c) + title_tokens for c in chunks]
    return IngestedDoc(document, chunks, tokens, sum(len(c.text) for c in chunks))


MAX_MARKER = 30  # characters of a short line that heads the paragraphs after it


def is_year_marker(text: str) -> bool:
    """A short line without a sentence end: a heading the file did not mark as one."""
    return len(text) <= MAX_MARKER and not ends_sentence(normalize(text))


def chunk_tokens(chunk: Chunk) -> list[str]:
    """Index terms of a chunk: its text plus its heading path, which says what the paragraph is about.

    The document's title is added by the caller: it names the meeting or speech a paragraph belongs to.
    """
    tokens = tokenize(chunk.text)
    if chunk.headings:
        tokens += _heading_tokens(" ".join(chunk.headings))
    return tokens


@lru_cache(maxsize=256)
def _heading_tokens(headings: str) -> list[str]:
    """A section's heading path is the same for every paragraph under it: segmented once."""
    return tokenize(headings)


def ingest_rows(path: Path, corpus: Path, data: bytes, sha256: str, stamp: str) -> DocRows:
    """`ingest`, as the rows the index stores: chunk and document JSON, each chunk's matching form, term counts."""
    doc = ingest(path, corpus, data)
    return DocRows.of(
        doc.tokens,
        id=doc.document.id,
        sha256=sha256,
        stamp=stamp,
        document=doc.document.model_dump_json(),
        chunks=[c.model_dump_json(exclude={"id"}) for c in doc.chunks],
        bares=[bare(" ".join([*c.headings, c.text])) for c in doc.chunks],
        characters=doc.chars,
        aliases=json.dumps(doc.document.aliases, ensure_ascii=False),
    )


def make_document(raw: RawFile, meta: dict, excerpt: bool) -> Document:
    """The document's metadata: the sidecar first, then what the text says, then the file's own properties
    (Word, PDF), then the file name."""
    side, props = raw.sidecar, raw.properties
    text_title = meta.get("title")
    if meta.get("title_guessed") and meaningful_title(props.get("title")):
        text_title = props["title"]
    title = side.get("title") or text_title or props.get("title") or raw.path.stem
    date = (
        side.get("date")
        or meta.get("date")
        or _date_from_name(raw.path.stem)
        or _year_from_title(title)
        or props.get("date")
    )
    return Document(
        id=raw.id,
        path=str(raw.path),
        title=title,
        source=side.get("source") or meta.get("source") or meta.get("byline_source"),
        author=side.get("author")
        or meta.get("author")
        or meta.get("speaker")
        or meta.get("issuer")
        or props.get("author"),
        date=str(date) if date else None,
        url=side.get("url"),
        number=side.get("number") or meta.get("number"),
        excerpt=bool(side.get("excerpt", excerpt)),
        scanned=bool(props.get("scanned")),
        unread=props.get("unread"),
        sha256=raw.sha256,
    )


def meaningful_title(title: str | None) -> bool:
    """A title property worth showing: Chinese words, not a word processor's file name."""
    return (
        title is not None
        and bool(CJK.search(title))
        and not re.search(r"^microsoft|\.(docx?|pdf|wps)$|^文档\d*$", title.strip(), re.I)
    )


def _date_from_name(stem: str) -> str | None:
    m = _DATE_IN_NAME.search(stem)
    if not m:
        return None
    return "-".join(g for g in m.groups() if g)


def _year_from_title(title: str) -> str | None:
    m = YEAR_IN_TITLE.search(normalize(title))
    return m.group(1) if m else None
