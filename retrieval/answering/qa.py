"""Question answering over a loaded index: parse, search, then the template answerer. The one call front ends make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..core.errors import InvalidQuery
from ..core.models import Answer, Coverage, Hit
from ..core.store import Index
from .answer import answer, matched_terms, passage_of
from .compare import comparison_of
from .listing import listing_of
from .query import Query, parse_query
from .scope import Scope, scope_of
from .search import related_topics, search


@dataclass(frozen=True)
class Reply:
    """An answer, plus the ids of the next-best chunks (for a "more results" button)."""

    answer: Answer
    more: list[int]


def ask(
    index: Index,
    question: str,
    *,
    k: int = 3,
    more: int = 0,
    max_chars: int | None = None,
    cited: dt.date | None = None,
) -> Reply:
    """Answer a question from the index; raises InvalidQuery (EmptyQuery, QueryTooLong) for invalid questions."""
    today = cited or dt.date.today()
    query = parse_query(question, index, today)
    compared = comparison_of(index, query, today)
    if compared is not None:
        shown = Answer(question=query.text, status="answered" if compared.rows else "none", comparison=compared)
        return Reply(answer=shown, more=[])
    scope = scope_of(index, query, today)
    if scope.missing:  # never another document's figure as the answer: said missing, others shown as related
        related = search(index, query, k=k)
        ans = answer(query, [], cited=today, k=k, max_chars=max_chars)
        return Reply(
            answer=ans.model_copy(
                update={
                    "status": "not_covered",
                    "coverage": coverage_of(scope),
                    "related": [passage_of(h, matched_terms(query, related), today, max_chars) for h in related],
                }
            ),
            more=[],
        )
    if scope.fallback_year is not None:  # 今年 answered from last year's documents: their passages of that year count
        query = replace(query, years=frozenset({scope.fallback_year}))
    if scope.by_year:
        query = replace(query, strict_years=True)
    hits, outside = scoped_search(index, query, scope, k + more)
    suggestions = [] if hits else related_topics(index, question)
    scoped = bool(scope.tiers) and not outside
    ans = answer(query, hits[:k], cited=today, k=k, max_chars=max_chars, suggestions=suggestions, lead_first=scoped)
    if outside and ans.status == "answered":  # the named documents do not hold it: others' passages, no lead
        ans = ans.model_copy(update={"status": "weak", "lead": None})
    if scope.tiers:
        ans.coverage = coverage_of(scope, outside=scope.named if outside else None)
    more_ids = [h.chunk.id for h in hits[k:]]
    if ans.status == "answered":
        ans.listing = listing_of(index, query, hits[:k], today)
        if ans.listing is not None:  # 更多结果 expands the items: each item's passage, in order
            more_ids = [i.chunk_id for i in ans.listing.items]
    return Reply(answer=ans, more=more_ids)


def scoped_search(index: Index, query: Query, scope: Scope, k: int) -> tuple[list[Hit], bool]:
    """The hits from the first of the scope's document sets that answers the question; when none does, from the
    whole corpus, and True (the answer is from outside the documents the question names)."""
    for docs in scope.tiers:
        hits = search(index, query, k=k, docs=docs)
        if hits and hits[0].answers:
            return hits, False
    hits = search(index, query, k=k)
    named = frozenset().union(*scope.tiers)
    return hits, bool(scope.tiers) and bool(hits) and hits[0].doc.id not in named


def coverage_of(scope: Scope, outside: str | None = None) -> Coverage:
    return Coverage(
        missing=scope.missing,
        nearby=list(scope.nearby),
        kind=scope.kind,
        fallback_year=scope.fallback_year,
        asked_year=scope.asked_year,
        outside=outside,
    )


def passages_for(
    index: Index,
    chunk_ids: list[int],
    question: str = "",
    *,
    cited: dt.date | None = None,
    max_chars: int | None = None,
) -> Answer:
    """An answer made of given chunks (a later page, or the references of an earlier answer).

    With the question, its terms are marked as in the first answer; without it, nothing is marked.
    """
    today = cited or dt.date.today()
    try:
        query = parse_query(question, index, today)
    except InvalidQuery:
        query = parse_query("?")  # nothing to mark
    hits = []
    for chunk_id in chunk_ids:
        chunk = index.chunk(chunk_id)
        hits.append(
            Hit(
                chunk=chunk,
                doc=index.documents[chunk.doc_id],
                score=0.0,
                coverage=0.0,
                terms=sorted(query.terms, key=len, reverse=True),
            )
        )
    return answer(query, hits, cited=today, k=len(hits), max_chars=max_chars)
