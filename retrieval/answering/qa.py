"""Question answering over a loaded index, the one call front ends make: the question parsed once, planned once,
then retrieval, then the answer shaped as the plan says (a passage, a whole list, a row per document)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..core.errors import InvalidQuery
from ..core.models import Answer, Coverage, Hit
from ..core.store import Index, bare
from .answer import answer, matched_terms, passage_of
from .compare import compare
from .listing import listing_of
from .plan import Plan, article_chunks, plan
from .query import Query, parse_query
from .scope import Scope
from .search import related_topics, search, weighed
from .series import series_around


@dataclass(frozen=True)
class Reply:
    """An answer, plus the ids of the next-best chunks (for a "more results" button)."""

    answer: Answer
    more: list[int]


def ask(
    index: Index,
    question: str,
    *,
    previous: str | None = None,
    k: int = 3,
    more: int = 0,
    max_chars: int | None = None,
    cited: dt.date | None = None,
) -> Reply:
    """Answer a question from the index; with the previous question of a conversation, a follow-up (四川呢?) is
    answered as that question changed (`Answer.asked_as`). Raises InvalidQuery (EmptyQuery, QueryTooLong) for
    invalid questions."""
    today = cited or dt.date.today()
    query = parse_query(question, index, today, previous=previous)
    planned = plan(index, query, today)
    if planned.shape == "comparison":
        table = compare(index, planned)
        shown = Answer(
            question=query.text,
            status="answered" if table.rows else "none",
            comparison=table,
            asked_as=query.asked_as,
        )
        return Reply(answer=shown, more=[])
    if planned.not_covered:  # what the question names is missing: others' passages only as labelled related ones
        related = search(index, query, k=k, docs=planned.scope.related or None)
        ans = answer(query, [], cited=today, k=k, max_chars=max_chars)
        return Reply(
            answer=ans.model_copy(
                update={
                    "status": "not_covered",
                    "coverage": coverage_of(planned.scope),
                    "related": [passage_of(h, matched_terms(query, related), today, max_chars) for h in related],
                    "asked_as": query.asked_as,
                }
            ),
            more=[],
        )
    wanted = max(k + more, LIST_LOOKS_AT) if planned.shape == "list" else k + more
    if planned.shape == "article":
        hits, outside, used, fallback_year = article_hits(index, planned), False, planned.query, None
    else:
        hits, outside, used, fallback_year = retrieve(index, planned, wanted)
    suggestions = [] if hits else related_topics(index, query)
    scoped = bool(planned.scope.tiers) and not outside
    ans = answer(used, hits[:k], cited=today, k=k, max_chars=max_chars, suggestions=suggestions, lead_first=scoped)
    ans.asked_as = query.asked_as
    if outside and ans.status == "answered":  # the named documents do not hold it: others' passages, no lead
        ans = ans.model_copy(update={"status": "weak", "lead": None})
    if planned.scope.tiers:
        scope = replace(planned.scope, fallback_year=fallback_year) if planned.scope.tier_years else planned.scope
        ans.coverage = coverage_of(scope, outside=planned.scope.named if outside else None)
    more_ids = [h.chunk.id for h in hits[k : k + more]]
    if planned.shape == "list" and ans.status == "answered":
        ans.listing = listing_of(index, used, hits, today, named=query.names_items)
        if ans.listing is not None:  # 更多结果 expands the items: each item's passage, in order
            more_ids = list(dict.fromkeys(i.chunk_id for i in ans.listing.items))
    return Reply(answer=ans, more=more_ids)


LIST_LOOKS_AT = 10  # passages a list question looks at for the enumeration they lead into or hold
WHOLE_TOPIC = 0.999  # coverage of a passage holding every word of the question


def retrieve(index: Index, planned: Plan, k: int) -> tuple[list[Hit], bool, Query, int | None]:
    """The hits from the first of the plan's document sets that answers the question; when none does, from the
    whole corpus, and True (the answer is from outside the documents the question names). With the query as it was
    weighed where the hits were found (by their series' counts, or the corpus's), and for 今年 answered from older
    documents the year of those: the newest that hold the whole topic, else the newest that answer at all."""
    query, tiers, years = planned.query, planned.scope.tiers, planned.scope.tier_years
    # for 今年 answered from older documents: first those about the topic (their title holds its main word), then
    # those holding all of it, then any that answer, each time the newest first
    for about, whole in ((True, True), (False, True), (False, False)) if years else ((False, False),):
        for i, tier in enumerate(tiers):
            docs = frozenset(d for d in tier if _about(index, query, d)) if about else tier
            if not docs:
                continue
            asked = replace(query, years=frozenset({years[i]})) if years else query
            series = series_around(index, docs)
            hits = search(index, asked, k=k, docs=docs, series=series)
            if hits and hits[0].answers and (not whole or hits[0].coverage >= WHOLE_TOPIC):
                return hits, False, weighed(index, asked, series), years[i] if years else None
    if planned.scope.exact and tiers:  # the document the question names by name or title: its best passages, weak
        series = series_around(index, tiers[0])
        weak = search(index, query, k=k, min_coverage=0.0, docs=tiers[0], series=series)
        return [h.model_copy(update={"answers": False}) for h in weak], False, weighed(index, query, series), None
    hits = search(index, query, k=k)
    named = frozenset().union(*tiers)
    outside = bool(tiers) and bool(hits) and hits[0].doc.id not in named
    return hits, outside, query, years[0] if years else None


def article_hits(index: Index, planned: Plan) -> list[Hit]:
    """The article a question names (劳动合同法第三十九条), whole, from each document it names: the national one
    first, then by region and newest first."""
    query, asked = planned.query, planned.query.article
    assert asked is not None
    docs = sorted(
        (index.documents[d] for d in planned.scope.tiers[0]),
        key=lambda d: (d.facets.region_code not in (None, "100000"), d.facets.region_code or "", d.date or ""),
    )
    hits = []
    for doc in docs:
        for chunk in article_chunks(index, doc.id, asked.article):
            held = bare(" ".join([*chunk.headings, chunk.text]))
            terms = sorted((t for t in query.weights if t in held), key=len, reverse=True)
            hits.append(Hit(chunk=chunk, doc=doc, score=0.0, coverage=1.0, terms=terms))
    return hits


def _about(index: Index, query: Query, doc_id: str) -> bool:
    """The document is about the question's main topic: its title holds the question's weightiest topic word."""
    if not query.topics:
        return False
    main = max(query.topics, key=lambda t: (query.weight(t), len(t)))
    title = index.title_of(doc_id)
    return any(word in title for word in (main, *query.alternatives.get(main, ())))


def coverage_of(scope: Scope, outside: str | None = None) -> Coverage:
    return Coverage(
        missing=scope.missing,
        nearby=list(scope.nearby),
        kind=scope.kind,
        fallback_year=scope.fallback_year,
        asked_year=scope.asked_year,
        outside=outside,
        version=scope.version,
        versions=list(scope.versions),
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
