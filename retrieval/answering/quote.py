"""Where a quote comes from: text read from a screenshot or a forwarded picture, traced to its document,
paragraph and page, with how closely the passage matches (逐字一致 / 大致一致 / 部分一致 / 未找到出处).

The quote's words are searched as a question (its first MAX_QUERY_CHARS characters), and the best passages are
compared with it character by character after normalizing both (script, width, punctuation and spaces set
aside), so an OCR slip or a screenshot cut mid-sentence still finds the paragraph. A picture that holds more than
the corpus does (a site's footer under the paragraph, a colleague's note, a second article) is traced paragraph by
paragraph: those the corpus holds are 部分一致 with their passages, the others said not to be in the corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from ..core.errors import InvalidQuery
from ..core.models import Hit, Passage
from ..core.store import Index
from ..core.text import normalize
from .answer import matched_terms, passage_of
from .query import MAX_QUERY_CHARS, parse_query
from .search import search

VERBATIM = 0.9  # share of the quote's characters found in order in the passage: 逐字一致
CLOSE = 0.6  # ... 大致一致; below, the source is not found
LOOKED_AT = 5  # best passages compared with the quote, for the whole picture and for each of its paragraphs
MIN_PART = 20  # characters of a paragraph of the picture searched on its own
MAX_PARTS = 4  # paragraphs of a picture searched on their own, at most
FURNITURE_SHARE = 0.3  # a paragraph of the picture the passage holds less of than this ...
FURNITURE_CHARS = 40  # ... and shorter than this is the app's furniture, set aside
_NOT_TEXT = re.compile(r"[\W_]+")

Match = Literal["逐字一致", "大致一致", "部分一致", "未找到出处"]


@dataclass(frozen=True)
class PartSource:
    """One paragraph of a picture only part of which the corpus holds: where it comes from, if anywhere."""

    number: int
    """Its place among the picture's paragraphs of text (those of MIN_PART characters or more), from 1."""
    text: str
    """As read."""
    match: Match
    share: float
    passage: Passage | None


@dataclass(frozen=True)
class QuoteSource:
    """The passage a quote comes from, and how closely it matches."""

    match: Match
    share: float
    """The share of the quote's characters found, in order, in the passage (and the passages after it); for
    部分一致, the share of the picture's text its traced paragraphs make."""
    passage: Passage | None
    """The passage of the whole quote, or of its first traced paragraph."""
    parts: tuple[PartSource, ...] = ()
    """For 部分一致: each paragraph of the picture, traced or not."""


def _bare(text: str) -> str:
    return _NOT_TEXT.sub("", normalize(text))


def _matched(quote: str, passage: str) -> int:
    blocks = SequenceMatcher(None, quote, passage, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 2)


def held_by(quote: str, passage: str) -> list[tuple[int, int]]:
    """For each paragraph of the quote: the characters the passage holds of it, in order, and its length."""
    p = _bare(passage)
    return [(_matched(q, p), len(q)) for q in (_bare(part) for part in quote.split("\n\n")) if q]


def share_of(held: list[tuple[int, int]], *, aside: bool = True) -> float:
    """How much of the quote the passage holds: matched characters over the quote's.

    With `aside`, a short paragraph of the picture that the passage does not hold is the app's, not the quote's
    (a phone's status bar, an article's title and account line, 阅读 / 在看): it is set aside. A long one counts.
    """
    kept = [(m, n) for m, n in held if not aside or m >= FURNITURE_SHARE * n or n >= FURNITURE_CHARS] or held
    return sum(m for m, _ in kept) / sum(n for _, n in kept) if kept else 0.0


def locate(index: Index, quote: str, *, cited: dt.date | None = None) -> QuoteSource:
    """The source of a quote in the corpus: the best of the passages its words find, by how much of it they hold.

    A quote of two paragraphs is held by two chunks: each passage is measured with the one after it too. Each of
    the picture's paragraphs is searched as well as the whole, so that the first one's passage is looked at even
    when the second's words outweigh it.
    """
    today = cited or dt.date.today()
    text = quote.strip()[:MAX_QUERY_CHARS]
    parts = [part.strip() for part in quote.split("\n\n") if len(_bare(part)) >= MIN_PART]
    hits, found_by = [], {}  # the passages found, and the query that found each (its words are highlighted)
    for words in [text, *(part[:MAX_QUERY_CHARS] for part in parts[:MAX_PARTS] if len(parts) > 1)]:
        try:
            query = parse_query(words, index, today)
        except InvalidQuery:
            continue
        for hit in search(index, query, k=LOOKED_AT, min_coverage=0.0):
            if hit.chunk.id not in found_by:
                found_by[hit.chunk.id] = query
                hits.append(hit)
    # the passage holding most of the whole picture is its source; how closely it matches is then told with the
    # app's own lines set aside (chosen with them aside, a passage holding one short line would win)
    following = {hit.chunk.id: _following(index, hit) for hit in hits}

    def passage(hit: Hit) -> Passage:
        return passage_of(hit, matched_terms(found_by[hit.chunk.id], [hit]), today, None)

    best, best_held, best_share = None, 0.0, 0.0
    for hit in hits:
        held = _held(hit, following[hit.chunk.id], text)
        if share_of(held, aside=False) > best_held:
            best, best_held, best_share = hit, share_of(held, aside=False), share_of(held)
    sources = _by_part(parts, hits, following, passage) if len(parts) > 1 else []
    traced = [s for s in sources if s.passage is not None]
    # a paragraph of the picture no passage holds, too long to be the app's own line (a footer, a note, a reply)
    foreign = any(s.passage is None and len(_bare(s.text)) >= FURNITURE_CHARS for s in sources)
    if best is not None and best_share >= CLOSE and not (foreign and traced):
        return QuoteSource(_closeness(best_share), best_share, passage(best))
    if not traced:
        return QuoteSource("未找到出处", best_share, None)
    share = sum(len(_bare(s.text)) for s in traced) / sum(len(_bare(s.text)) for s in sources)
    return QuoteSource("部分一致", share, traced[0].passage, tuple(sources))


def _closeness(share: float) -> Match:
    return "逐字一致" if share >= VERBATIM else "大致一致"


def _by_part(
    parts: list[str], hits: list[Hit], following: dict[int, str], passage: Callable[[Hit], Passage]
) -> list[PartSource]:
    """Each paragraph of a picture of several, traced on its own: its best passage among those found, if that
    holds it closely."""
    sources = []
    for number, part in enumerate(parts, start=1):
        best, best_share = None, 0.0
        for hit in hits:
            share = share_of(_held(hit, following[hit.chunk.id], part), aside=False)
            if share > best_share:
                best, best_share = hit, share
        if best is None or best_share < CLOSE:
            sources.append(PartSource(number, part, "未找到出处", best_share, None))
        else:
            sources.append(PartSource(number, part, _closeness(best_share), best_share, passage(best)))
    return sources


def _held(hit: Hit, following: str, quote: str) -> list[tuple[int, int]]:
    """What a passage holds of a quote, with the passage after it (`following`) when it holds at least half of that
    itself (a quote running on into the next passage); not a passage holding little but the one after it, which is
    the source then."""
    alone = held_by(quote, hit.chunk.quoted)
    if not following:
        return alone
    with_next = held_by(quote, hit.chunk.quoted + following)
    return with_next if sum(m for m, _ in alone) >= sum(m for m, _ in with_next) / 2 else alone


def _following(index: Index, hit: Hit) -> str:
    """The text of the passage after a hit's in its document: a quote may run on into it."""
    after = index.chunk(hit.chunk.id + 1) if index.has_chunk(hit.chunk.id + 1) else None
    return after.text if after is not None and after.doc_id == hit.doc.id else ""
