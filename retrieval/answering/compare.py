"""Comparisons across an archive: a question naming a class of regions or years (各省, 各地, 历年, 2021年到2025年)
instead of one is answered once per document of that class, a row each.

Each row is the document's facet value (广东, 2023年), the sentence of its best passage that answers (cut to
the clause holding the asked figure) and its citation; rows in the official order of regions or by year; the
documents that do not address it are listed together as 未提及. Every document is searched on its own, BM25
computed once for all of them (`search.search_each`).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from ..core.cite import short_citation
from ..core.hanzi import COUNT, SENTENCE, split_units
from ..core.models import Comparison, Document, Hit, Row
from ..core.store import Index
from ..core.text import normalize
from ..core.tokenize import data_sections
from .query import Query, parse_query
from .scope import common_kind, region_of, scope_of, series_of
from .search import search_each

_RANGE = re.compile(r"((?:19|20)\d{2})年?(?:到|至|-|—|~)((?:19|20)\d{2})年")
_RECENT = re.compile(rf"近({COUNT}|\d+)年")
_CLAUSE = re.compile(r"[^,，;；。:：、]+[,，;；。:：、]?")
_NUMBER = re.compile(r"\d")
ROW_MAX = 80  # characters of a row's sentence: the clauses around the asked figure


@lru_cache(maxsize=1)
def _cues() -> dict[str, tuple[str, ...]]:
    sections = data_sections("shapes.txt")
    return {name: tuple(sorted(sections[name], key=len, reverse=True)) for name in ("regions", "years")}


FacetClass = Literal["region", "year"]


def facet_class(norm: str) -> tuple[FacetClass, str, tuple[int, int] | None] | None:
    """What class a question compares across: ("region", cue, None), ("year", cue, (first, last)) or None."""
    m = _RANGE.search(norm)
    if m:
        return "year", m.group(0), (int(m.group(1)), int(m.group(2)))
    for name, cues in _cues().items():
        for cue in cues:
            if cue in norm:
                return ("region" if name == "regions" else "year"), cue, None
    return None


def comparison_of(index: Index, query: Query, today: dt.date, *, k: int = 1) -> Comparison | None:
    """One row per document of the class the question names, or None when it names none (or the corpus is no
    series of that class)."""
    found = facet_class(query.norm)
    series = series_of(index)
    if found is None or not series:
        return None
    kind, cue, span = found
    if (kind == "year" and span is None and query.named.years) or (kind == "region" and query.named.regions):
        return None  # 1986年…平均每年, 四川各地: one document is named, the class word says something else
    stripped = parse_query(query.norm.replace(cue, "", 1).replace("分别", ""), index, today)
    if not stripped.topics:
        return None
    if kind == "region":
        docs = _by_region(index, stripped, series, today)
    else:
        docs = _by_year(stripped, series, span, cue, today)
    if len(docs) < 2:
        return None
    hits = search_each(index, stripped, [d.id for d in docs], k=k)
    rows, missing = [], []
    for doc in docs:
        found_hits = hits[doc.id]
        row = _row(stripped, doc, found_hits, kind, today) if found_hits and found_hits[0].answers else None
        if row is None:
            missing.append(_label(doc, kind))
        else:
            rows.append(row)
    return Comparison(by=kind, rows=rows, missing=missing, documents=len(docs), kind=common_kind(docs) or "文件")


def _by_region(index: Index, query: Query, series: list[Document], today: dt.date) -> list[Document]:
    """The series' documents of each region, of the year the question names (今年 falling back to the newest)."""
    scope = scope_of(index, query, today)
    pool = [d for d in series if not scope.tiers or d.id in scope.tiers[0]]
    with_region = [d for d in pool if d.facets.region and d.facets.region_code != "100000"]
    return sorted(with_region, key=lambda d: (d.facets.region_code or "", d.facets.region or "", d.id))


def _by_year(
    query: Query, series: list[Document], span: tuple[int, int] | None, cue: str, today: dt.date
) -> list[Document]:
    """The series' documents of each year in the span (近五年: the five years to the newest), of the region the
    question names."""
    pool = series
    if query.named.regions:
        region = query.named.regions[0]
        pool = [d for d in pool if (r := region_of(d)) is not None and r.within(region)]
    dated = [d for d in pool if d.facets.year is not None]
    if span is None and (m := _RECENT.search(cue)):
        count = int(m.group(1)) if m.group(1).isdigit() else "一二三四五六七八九十".index(m.group(1)) + 1
        newest = max((d.facets.year for d in dated if d.facets.year), default=today.year)
        span = (newest - count + 1, newest)
    if span is not None:
        dated = [d for d in dated if span[0] <= (d.facets.year or 0) <= span[1]]
    return sorted(dated, key=lambda d: (d.facets.year or 0, d.id))


def _label(doc: Document, kind: str) -> str:
    if kind == "year":
        return f"{doc.facets.year}年"
    region = region_of(doc)
    return region.short if region else doc.title


def _row(query: Query, doc: Document, hits: list[Hit], kind: str, today: dt.date) -> Row | None:
    """The document's row: the sentence of its best passage holding the most of the question's weight (and, for a
    question asking how much, a number), cut to the figure. A lexical choice, not the lead's model: a table of a
    thousand rows is made in the time of a few answers, and the row's passage is already the document's best."""
    hit = hits[0]
    terms = {t: query.weight(t) for t in hit.terms}
    best, best_weight = None, 0.0
    for sentence in split_units(hit.chunk.text, SENTENCE):
        norm = normalize(sentence)
        weight = sum(w for t, w in terms.items() if t in norm)
        if query.kind == "number" and not _NUMBER.search(norm):
            weight /= 2
        if weight > best_weight:
            best, best_weight = sentence, weight
    if best is None:
        return None
    return Row(
        facet=_label(doc, kind),
        text=cut_to_figure(best.strip(), terms),
        chunk_id=hit.chunk.id,
        paragraph=hit.chunk.paragraph,
        doc=doc,
        citation=short_citation(doc, hit.chunk),
    )


def cut_to_figure(sentence: str, terms: dict[str, float]) -> str:
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
        return sentence  # one figure in a short sentence: the sentence is the row
    weights = [sum(w for t, w in terms.items() if t in n) + (0.5 if _NUMBER.search(n) else 0) for n in norms]
    best = max(range(len(clauses)), key=lambda i: (weights[i], -i))
    out = clauses[best]
    for extra in clauses[best + 1 :]:
        if _NUMBER.search(out) or len(out) + len(extra) > ROW_MAX:
            break
        out += extra
    return out.strip().rstrip(",，;；、:：")
