"""Question answering over a loaded index: parse, search, then the template answerer. The one call front ends make."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .answer import answer
from .errors import InvalidQuery
from .models import Answer, Hit
from .query import parse_query
from .search import related_topics, search
from .store import Index


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
    hits = search(index, query, k=k + more)
    suggestions = [] if hits else related_topics(index, question)
    ans = answer(query, hits[:k], cited=today, k=k, max_chars=max_chars, suggestions=suggestions)
    return Reply(answer=ans, more=[h.chunk.id for h in hits[k:]])


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
