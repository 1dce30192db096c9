"""Question answering over a loaded index: search, then the template answerer. The one call front ends make."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .answer import answer
from .errors import QabotError
from .models import Answer, Hit
from .search import related_topics, search
from .store import Index


@dataclass(frozen=True)
class Reply:
    """An answer, plus the ids of the next-best chunks (for a "more results" button)."""

    answer: Answer
    more: list[int]


def ask(index: Index, question: str, *, k: int = 3, more: int = 0, max_chars: int | None = None,
        cited: dt.date | None = None) -> Reply:
    """Answer a question from the index; raises EmptyQuery or QueryTooLong for invalid questions."""
    hits = search(index, question, k=k + more)
    suggestions = [] if hits else related_topics(index, question)
    ans = answer(question, hits[:k], cited=cited or dt.date.today(), k=k, max_chars=max_chars, suggestions=suggestions)
    return Reply(answer=ans, more=[h.chunk.id for h in hits[k:]])


def passages_for(index: Index, chunk_ids: list[int], question: str = "", *, cited: dt.date | None = None,
                 max_chars: int | None = None) -> Answer:
    """An answer made of given chunks (a later page, or the references of an earlier answer).

    With the question, matched terms are marked as in the first answer; without it, nothing is marked.
    """
    found: dict[int, Hit] = {}
    if question.strip():
        try:
            found = {h.chunk.id: h for h in search(index, question, k=50, min_coverage=0.0)}
        except QabotError:
            found = {}
    hits = []
    for chunk_id in chunk_ids:
        if chunk_id in found:
            hits.append(found[chunk_id])
        else:
            chunk = index.chunk(chunk_id)
            hits.append(Hit(chunk=chunk, doc=index.documents[chunk.doc_id], score=0.0, coverage=0.0))
    return answer(question, hits, cited=cited or dt.date.today(), k=len(hits), max_chars=max_chars)
