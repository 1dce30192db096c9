"""Comparisons across an archive: a question naming a class of regions or years (各省, 各地, 历年, 2021年到2025年)
instead of one is answered once per document of that class (chosen by retrieval/answering/plan.py), a row each.

Each row is the document's facet value (广东, 2023年), the sentence of its best passage that answers (cut to
the clause holding the asked figure) and its citation; rows in the official order of regions or by year; the
documents that do not address it are listed together as 未提及. Every document is searched on its own, BM25
computed once for all of them (`search.search_each`).
"""

from __future__ import annotations

import re

from ..core.cite import short_citation
from ..core.hanzi import SENTENCE, split_units
from ..core.models import Comparison, Document, Hit, Row
from ..core.store import Index
from ..core.text import normalize
from ..core.years import explicit_years
from .plan import Plan
from .query import Query
from .search import search_each
from .series import common_kind, region_of

_CLAUSE = re.compile(r"(?:[^,，;；。:：、]|(?<=\d)[,，](?=\d))+[,，;；。:：、]?")  # 3,680亿斤 is one figure
_NUMBER = re.compile(r"\d")
ROW_MAX = 80  # characters of a row's sentence: the clauses around the asked figure


def compare(index: Index, plan: Plan, *, k: int = 1) -> Comparison:
    """A row for each document of the plan that addresses the question; the others named as 未提及."""
    assert plan.by is not None
    docs = list(plan.documents)
    hits = search_each(index, plan.query, [d.id for d in docs], k=k, years_of=plan.row_years)
    rows, missing = [], []
    for doc in docs:
        found_hits = hits[doc.id]
        year = plan.row_years.get(doc.id)
        row = _row(plan.query, doc, found_hits, plan.by, year) if found_hits and found_hits[0].answers else None
        if row is None:
            missing.append(_label(doc, plan.by))
        else:
            rows.append(row)
    return Comparison(by=plan.by, rows=rows, missing=missing, documents=len(docs), kind=common_kind(docs) or "文件")


def _label(doc: Document, kind: str) -> str:
    if kind == "year":
        return f"{doc.facets.year}年"
    region = region_of(doc)
    return region.short if region else doc.title


def _row(query: Query, doc: Document, hits: list[Hit], kind: str, year: int | None = None) -> Row | None:
    """The document's row: the sentence of its best passage holding the most of the question's weight (and, for a
    question asking how much, a number; and the row's year, when it asks for the year a document reviews), cut to
    the figure. A lexical choice, not the lead's model: a table of a thousand rows is made in the time of a few
    answers, and the row's passage is already the document's best."""
    hit = hits[0]
    terms = {t: query.weight(t) for t in hit.terms}
    best, best_weight = None, 0.0
    for sentence in split_units(hit.chunk.text, SENTENCE):
        norm = normalize(sentence)
        weight = sum(w for t, w in terms.items() if t in norm) + _year_weight(norm, year, terms)
        if query.kind == "number" and not _NUMBER.search(norm):
            weight /= 2
        if weight > best_weight:
            best, best_weight = sentence, weight
    if best is None:
        return None
    return Row(
        facet=_label(doc, kind),
        text=cut_to_figure(best.strip(), terms, year),
        chunk_id=hit.chunk.id,
        paragraph=hit.chunk.paragraph,
        doc=doc,
        citation=short_citation(doc, hit.chunk),
    )


def _year_weight(norm: str, year: int | None, terms: dict[str, float]) -> float:
    """As much as the question's heaviest word, for text naming the row's year (增加到了一九五九年的…亿斤)."""
    return max(terms.values(), default=0.0) if year is not None and year in explicit_years(norm) else 0.0


def cut_to_figure(sentence: str, terms: dict[str, float], year: int | None = None) -> str:
    """The clauses of a sentence around the asked figure: the clause holding the most of the question's weight
    and a number, and the clauses after it until one holds a number or ROW_MAX characters; a short sentence of
    one figure whole.

    >>> cut_to_figure("今年的主要预期目标是:地区生产总值增长5%左右,城镇新增就业85万人,居民消费价格涨幅2%左右。",
    ...               {"城镇": 1.0, "就业": 1.0, "新增": 1.0})
    '城镇新增就业85万人'
    """
    clauses: list[str] = _CLAUSE.findall(sentence)
    norms = [normalize(c) for c in clauses]
    if len(sentence) <= ROW_MAX and sum(bool(_NUMBER.search(n)) for n in norms) <= 1:
        return sentence.rstrip("。")  # one figure in a short sentence: the sentence is the row
    weights = [
        sum(w for t, w in terms.items() if t in n) + (0.5 if _NUMBER.search(n) else 0) + _year_weight(n, year, terms)
        for n in norms
    ]
    best = max(range(len(clauses)), key=lambda i: (weights[i], -i))
    out = clauses[best]
    for extra in clauses[best + 1 :]:
        if _NUMBER.search(out) or len(out) + len(extra) > ROW_MAX:
            break
        out += extra
    return out.strip().rstrip(",，;；、:：。")
