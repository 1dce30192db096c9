"""Where a quote comes from: text read from a screenshot or a forwarded picture, traced to its document,
paragraph and page, with how closely the passage matches (逐字一致 / 大致一致 / 未找到出处).

The quote's words are searched as a question (its first MAX_QUERY_CHARS characters), and the best passages are
compared with it character by character after normalizing both (script, width, punctuation and spaces set
aside), so an OCR slip or a screenshot cut mid-sentence still finds the paragraph.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from .answer import matched_terms, passage_of
from .errors import InvalidQuery
from .models import Passage
from .query import MAX_QUERY_CHARS, parse_query
from .search import search
from .store import Index
from .text import normalize

VERBATIM = 0.9  # share of the quote's characters found in order in the passage: 逐字一致
CLOSE = 0.6  # ... 大致一致; below, the source is not found
LOOKED_AT = 5  # best passages compared with the quote
FURNITURE_SHARE = 0.3  # a paragraph of the picture the passage holds less of than this ...
FURNITURE_CHARS = 40  # ... and shorter than this is the app's furniture, set aside
_NOT_TEXT = re.compile(r"[\W_]+")

Match = Literal["逐字一致", "大致一致", "未找到出处"]


@dataclass(frozen=True)
class QuoteSource:
    """The passage a quote comes from, and how closely it matches."""

    match: Match
    share: float
    """The share of the quote's characters found, in order, in the passage (and the passages after it)."""
    passage: Passage | None


def _bare(text: str) -> str:
    return _NOT_TEXT.sub("", normalize(text))


def _matched(quote: str, passage: str) -> int:
    blocks = SequenceMatcher(None, quote, passage, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2)


def share_found(quote: str, passage: str) -> float:
    """How much of the quote the passage holds, in order: matched characters over the quote's.

    A short paragraph of the picture that the passage does not hold is the app's, not the quote's (a phone's
    status bar, an article's title and account line, 阅读 / 在看): it is set aside. A long one counts.
    """
    p = _bare(passage)
    parts = [q for q in (_bare(part) for part in quote.split("\n\n")) if q]
    if not parts:
        return 0.0
    found = [(_matched(q, p), len(q)) for q in parts]
    kept = [(m, n) for m, n in found if m >= FURNITURE_SHARE * n or n >= FURNITURE_CHARS] or found
    return sum(m for m, _ in kept) / sum(n for _, n in kept)


def locate(index: Index, quote: str, *, cited: dt.date | None = None) -> QuoteSource:
    """The source of a quote in the corpus: the best of the passages its words find, by how much of it they hold.

    A quote of two paragraphs is held by two chunks: each passage is measured with the one after it too.
    """
    today = cited or dt.date.today()
    text = quote.strip()[:MAX_QUERY_CHARS]
    try:
        query = parse_query(text, index, today)
    except InvalidQuery:
        return QuoteSource("未找到出处", 0.0, None)
    hits = search(index, query, k=LOOKED_AT, min_coverage=0.0)
    best, best_share = None, 0.0
    for hit in hits:
        following = index.chunk(hit.chunk.id + 1).text if index.has_chunk(hit.chunk.id + 1) else ""
        same_doc = index.has_chunk(hit.chunk.id + 1) and index.chunk(hit.chunk.id + 1).doc_id == hit.doc.id
        share = share_found(text, hit.chunk.quoted + (following if same_doc else ""))
        if share > best_share:
            best, best_share = hit, share
    if best is None or best_share < CLOSE:
        return QuoteSource("未找到出处", best_share, None)
    passage = passage_of(best, matched_terms(query, [best]), today, None)
    return QuoteSource("逐字一致" if best_share >= VERBATIM else "大致一致", best_share, passage)
