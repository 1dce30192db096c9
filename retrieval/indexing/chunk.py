"""Paragraphs into chunks: a paragraph as a reader sees it, split at sentence ends when it is long."""

from __future__ import annotations

import math
import re

from ..core.hanzi import SENTENCE, split_units
from ..core.models import Chunk, Paragraph

TARGET = 400  # paragraphs longer than this are split ...
MAX_CHARS = 600  # ... and no chunk is longer than this
MAX_ARTICLE = 1200  # an article is quoted whole up to this length (99.9% of articles are shorter), else by 款
_CLAUSE = re.compile(r".+?(?:[,,、::]+|$)", re.S)


def split_paragraph(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Split a long paragraph into balanced parts at sentence ends, none longer than max_chars.

    A single sentence over max_chars is split at clause marks, and only as a last resort at max_chars.
    """
    if len(text) <= min(TARGET, max_chars):
        return [text]
    units: list[str] = []
    for sentence in split_units(text, SENTENCE):
        if len(sentence) <= max_chars:
            units.append(sentence)
            continue
        for clause in split_units(sentence, _CLAUSE):
            units.extend(clause[i : i + max_chars] for i in range(0, len(clause), max_chars))
    parts_wanted = math.ceil(len(text) / TARGET)
    goal = len(text) / parts_wanted
    parts: list[str] = []
    current = ""
    for unit in units:
        # Close the part when adding the unit would overshoot the goal by more than stopping short of it.
        if current and (len(current) + len(unit) > max_chars or len(current) + len(unit) / 2 > goal):
            parts.append(current)
            current = ""
        current += unit
    if current:
        parts.append(current)
    return parts


def chunk_paragraphs(doc_id: str, paragraphs: list[Paragraph]) -> list[Chunk]:
    """Chunks of one document, numbered by paragraph (and part, for split paragraphs).

    A passage is quoted under its section heading, so the heading's length counts against MAX_CHARS.
    """
    chunks: list[Chunk] = []
    for number, para in enumerate(paragraphs, start=1):
        room = MAX_CHARS - (len(para.headings[-1]) + 1 if para.headings else 0)
        if para.article is not None:
            parts = _split_lines(para.text, MAX_ARTICLE)
        elif para.kind == "body":
            parts = split_paragraph(para.text, room)
        else:
            parts = _split_lines(para.text)
        for i, part in enumerate(parts, start=1):
            chunks.append(
                Chunk(
                    doc_id=doc_id,
                    paragraph=number,
                    part=i if len(parts) > 1 else 0,
                    text=part.strip(),
                    headings=para.headings,
                    kind=para.kind,
                    page=para.page,
                    article=para.article,
                )
            )
    return chunks


def _split_lines(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """An outline (or a long article) is split between its lines, never inside one."""
    parts, current = [], ""
    for line in text.split("\n"):
        if current and len(current) + len(line) + 1 > max_chars:
            parts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:max_chars]
    return parts + ([current] if current else [])
