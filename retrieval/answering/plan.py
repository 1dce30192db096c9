"""The plan of an answer, decided once per question: which documents may answer it (or what the corpus lacks of
what it names), and which shape the answer takes: a passage, a whole list, or a row per document of a class.

Every decision about documents and shapes is taken here, from the parsed `Query` and the documents' facets;
`qa.ask` then retrieves and shapes what the plan says. Matching a question's names with the documents' facets is
retrieval/answering/scope.py; how rows and lists are made is compare.py and listing.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from typing import Literal

from ..core.articles import AskedArticle, clauses_of, label
from ..core.hanzi import cn_numeral
from ..core.models import Chunk, Document
from ..core.store import Index
from ..core.text import normalize
from .asking import RECENT, FacetClass
from .query import Comparing, Query, pairs_without
from .scope import Scope, scope_of
from .series import region_of, series_of

Shape = Literal["passage", "list", "comparison", "article"]


@dataclass(frozen=True)
class Plan:
    """What a question is answered from, and in what shape."""

    shape: Shape
    query: Query
    """What to retrieve with: the question as parsed, with the years its documents were chosen by (a fallback year
    for 今年; strict years when the year named the documents); for a comparison, the question without its class
    words."""
    scope: Scope = field(default_factory=Scope)
    """The document sets to search in order, or what the corpus lacks (`scope.missing`): then nothing answers."""
    by: FacetClass | None = None
    """For a comparison: whether a row is a region's or a year's."""
    documents: tuple[Document, ...] = ()
    """For a comparison: the documents of the class, a row each, in the official order of regions or by year."""
    row_years: dict[str, int] = field(default_factory=dict)
    """For a comparison by year asking what each year's document planned (目标) or looked back on (回顾的上一年):
    the year each document's row speaks of, its own or the one it reviews."""

    @property
    def not_covered(self) -> bool:
        return bool(self.scope.missing)


def plan(index: Index, query: Query, today: dt.date) -> Plan:
    """The plan for `query` over the index's documents."""
    if query.compares is not None and (compared := _comparison(index, query, query.compares, today)) is not None:
        return compared
    scope = scope_of(index, query, today)
    if query.article is not None and scope.exact and scope.tiers:  # 劳动合同法第三十九条: quoted whole
        scope = _article_held(index, scope, query.article)
        if not scope.missing:
            return Plan(shape="article", query=query, scope=scope)
    if scope.missing:  # never another document's figure as the answer: said missing, others shown as related
        return Plan(shape="passage", query=query, scope=scope)
    chose: set[str] = set()
    chose |= {"name"} if scope.exact else set()
    query = replace(query, scope_words=words_within(query, chose))
    if scope.title_words is not None and set(query.topics) - scope.title_words:
        # named by title (and version): its words and years rank no passage of it, when the question asks more
        chose_by = scope.title_words | words_within(query, {"year"})
        query = replace(query, scope_words=chose_by, years=frozenset(), pairs=pairs_without(query, chose_by))
    if scope.exact and query.years and not scope.by_year:
        query = _years_as_topics(index, query, scope)
    if scope.fallback_year is not None:  # 今年 answered from last year's documents: their passages of that year count
        query = replace(query, years=frozenset({scope.fallback_year}))
    if scope.by_year:
        query = replace(query, strict_years=True)
    return Plan(shape="list" if query.asks_items else "passage", query=query, scope=scope)


def _years_as_topics(index: Index, query: Query, scope: Scope) -> Query:
    """A question naming its document by name (十九大报告) and asking about other years (对2020年到2035年怎么安排):
    those years are what it is about, not which document: a passage must hold them like any topic."""
    docs = [index.documents[d] for d in scope.tiers[0]] if scope.tiers else []
    own = {y for d in docs for y in (d.year, d.facets.year, d.facets.reviews) if y is not None}
    content = tuple(
        t for t in query.terms if t.isdigit() and int(t) in query.years and int(t) not in own and t not in query.topics
    )
    if not content:
        return query
    topics, units, type_words = query.parsed  # as a series' counts weigh it again
    return replace(query, topics=query.topics + content, parsed=(topics + content, units, type_words))


def _article_held(index: Index, scope: Scope, asked: AskedArticle) -> Scope:
    """The scope of the named documents that have the article (and the 款 asked, when one is), or, where none has as
    many articles as asked, the article said missing with how many each has (《中华人民共和国劳动合同法》共九十八条),
    and where none's article has as many 款, the 款 said missing with how many it has (…第十九条共四款)."""
    docs = [index.documents[d] for d in sorted(scope.tiers[0])]
    counted = [d for d in docs if d.articles]
    having = [d for d in counted if d.articles is not None and d.articles >= asked.article]
    if having and asked.clause is not None:
        clauses = {d.id: _clauses(index, d, asked.article) for d in having}
        if all(0 < n < asked.clause for n in clauses.values()):  # the article of each is shorter than asked
            return Scope(
                missing={"article": f"第{cn_numeral(asked.clause)}款"},
                nearby=tuple(f"《{d.title}》{asked.label}共{cn_numeral(clauses[d.id])}款" for d in having),
                related=frozenset(clauses),
            )
    if having or not counted:
        return replace(scope, tiers=(frozenset(d.id for d in having) or scope.tiers[0], *scope.tiers[1:]))
    return Scope(
        missing={"article": label(asked.article)},
        nearby=tuple(f"《{d.title}》共{cn_numeral(d.articles or 0)}条" for d in counted),
        related=frozenset(d.id for d in counted),
    )


def article_chunks(index: Index, doc_id: str, article: int) -> list[Chunk]:
    """The chunks of a document's article, in order: one, unless the article is long enough to be cut between its 款."""
    return [chunk for chunk in index.chunks_of(doc_id) if chunk.article == article]


def _clauses(index: Index, doc: Document, article: int) -> int:
    """How many 款 the document's article has, over all its chunks (0 when it is not found)."""
    text = "\n".join(chunk.text for chunk in article_chunks(index, doc.id, article))
    return len(clauses_of([normalize(line) for line in text.split("\n")], article))


def words_within(query: Query, facets: set[str]) -> frozenset[str]:
    """The question's search terms written only inside the places where it names the given facets (北京市 of
    2025年北京市政府工作报告, when the region chose the document)."""
    spans = [(a, b) for facet, a, b in query.named.spans if facet in facets]
    if not spans:
        return frozenset()
    inside = [False] * len(query.norm)
    for a, b in spans:
        inside[a:b] = [True] * (b - a)
    out = set()
    for term in query.terms:
        places = [m.start() for m in re.finditer(re.escape(term), query.norm)]
        if places and all(all(inside[p : p + len(term)]) for p in places):
            out.add(term)
    return frozenset(out)


def _comparison(index: Index, query: Query, compares: Comparing, today: dt.date) -> Plan | None:
    """A row per document of the class the question names; None when it names one document after all, asks about
    nothing, or the corpus has fewer than two documents of the class."""
    series = series_of(index)
    if not series:
        return None
    named = query.named
    one = bool(named.names) or bool(named.meeting_key and named.meeting_key.level)  # 全区基层中医药工作会议
    if (
        one
        or (compares.by == "year" and compares.span is None and named.years)
        or (compares.by == "region" and named.regions)
    ):
        return None  # 1986年…平均每年, 四川各地, 全区…会议…哪些地方: one document is named, the class word says else
    asked = compares.query
    if not asked.topics:
        return None
    if compares.by == "region":
        docs = _by_region(index, asked, series, today)
    else:  # a law's versions are no yearly series: 育儿假每年有几天 asks a regulation, not each year's document
        docs = _by_year(asked, [d for d in series if not d.facets.statute], compares.span, compares.cue, today)
    if len(docs) < 2:
        return None
    row_years = {}
    if compares.by == "year" and asked.named.intent_said:  # each row of the year its document plans or reviews
        planned = asked.named.intent == "plan"
        row_years = {d.id: y for d in docs if (y := d.facets.year if planned else d.facets.reviews) is not None}
    return Plan(shape="comparison", query=asked, by=compares.by, documents=tuple(docs), row_years=row_years)


def _by_region(index: Index, query: Query, series: list[Document], today: dt.date) -> list[Document]:
    """The series' documents of each region, of the year the question names (今年 falling back to the newest)."""
    scope = scope_of(index, query, today)
    pool = [d for d in series if not scope.tiers or d.id in scope.tiers[0]]
    with_region = [d for d in pool if d.facets.region and d.facets.region_code != "100000"]
    return sorted(with_region, key=lambda d: (d.facets.region_code or "", d.facets.region or "", d.id))


def _by_year(
    query: Query, series: list[Document], span: tuple[int, int | None] | None, cue: str, today: dt.date
) -> list[Document]:
    """The series' documents of each year in the span (近五年: the five years to the newest), of the region the
    question names."""
    pool = series
    if query.named.regions:
        region = query.named.regions[0]
        pool = [d for d in pool if (r := region_of(d)) is not None and r.within(region)]
    dated = [d for d in pool if d.facets.year is not None]
    if span is None and (m := RECENT.search(cue)):
        count = int(m.group(1)) if m.group(1).isdigit() else "一二三四五六七八九十".index(m.group(1)) + 1
        newest = max((d.facets.year for d in dated if d.facets.year), default=today.year)
        span = (newest - count + 1, newest)
    if span is not None:
        first, last = span
        dated = [d for d in dated if (y := d.facets.year or 0) >= first and (last is None or y <= last)]
    return sorted(dated, key=lambda d: (d.facets.year or 0, d.id))
