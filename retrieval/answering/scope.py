"""Which documents a question names: the region, year and kind it asks about, matched with the documents' facets.

In an archive of look-alike documents the passage that answers "广西今年GDP目标" reads like every other
province's; what decides is which document it comes from. A question that names a facet some documents carry
is answered from those documents (`Scope.tiers`, searched in order); the rest of the corpus comes only when
none of them holds the topic. A question naming a region, year or document the corpus has no document for
gets `Scope.missing` and what the corpus has nearby, never another document's figure as the answer.

Only documents of a series take part: those with facets (retrieval/indexing/facets.py finds them in documents of a
recognised kind: reports, meetings, speeches, notices…). A corpus of encyclopaedia articles has none, and
its questions are searched as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from ..core import names
from ..core.models import Document
from ..core.names import region_by_code
from ..core.regions import Region, region_named
from ..core.store import Index
from .named import Named
from .query import Query

MIN_SERIES = 2  # documents with facets it takes to make a series: one report alone needs no telling apart


@dataclass(frozen=True)
class Scope:
    """Where to look for a question's answer, and what the corpus lacks of what it names."""

    tiers: tuple[frozenset[str], ...] = ()
    """Document ids to search, in order, until one set answers; none: the whole corpus."""
    missing: dict[str, str] = field(default_factory=dict)
    """What the question names that no document has: {"region": "天津"}, {"year": "1990"}."""
    nearby: tuple[str, ...] = ()
    """What the corpus has instead: the regions of its series, or the years on either side."""
    kind: str | None = None
    """The kind of document the missing one would be (政府工作报告), for saying so."""
    fallback_year: int | None = None
    """A relative year (今年) no document speaks for: the year of the newest documents searched instead."""
    asked_year: int | None = None
    by_year: bool = False
    """The tiers were chosen by the year asked about: within them, passages of other years are not about it."""
    named: str = ""
    """The documents the tiers stand for, as a user would name them (山西省, 2022年), for saying where nothing was."""


def scope_of(index: Index, query: Query, today: dt.date | None = None) -> Scope:
    """The scope of `query` over the index's documents."""
    named = query.named
    series = series_of(index)
    if series and not named.regions and (local := _local_regions(series, query.norm)):
        named = replace(named, regions=local)
    if not series or not (named.regions or named.years or named.relative or named.issuer):
        return Scope()
    today = today or dt.date.today()
    region_tiers, missing_region = _region_tiers(series, named.regions)
    if missing_region is not None:
        return Scope(
            missing={"region": missing_region.short or missing_region.name},
            nearby=tuple(_regions_of(series)),
            kind=common_kind(series),
        )
    issued, missing_issuer = _issuer_tier(series, named.issuer)
    if missing_issuer:
        issuers = sorted({d.facets.issuer for d in series if d.facets.issuer})
        return Scope(missing={"issuer": missing_issuer}, nearby=tuple(issuers), kind=common_kind(series))
    if issued:  # the body named comes first, within the region asked about
        by = {d.id for d in issued}
        region_tiers = [[d for d in t if d.id in by] for t in region_tiers or [series]] + region_tiers
        region_tiers = [t for t in region_tiers if t]
    pool = region_tiers[0] if region_tiers else series
    year_tiers, scope = _year_tiers(series, pool, named, today)
    if scope is not None:
        return scope
    tiers: list[frozenset[str]] = []
    for regional in region_tiers or [series]:
        ids = {d.id for d in regional}
        for by_year in year_tiers or [series]:
            tier = frozenset(ids & {d.id for d in by_year})
            if tier and tier not in tiers:
                tiers.append(tier)
    if not tiers:  # the region's documents are of other years: search them all
        tiers = [frozenset(d.id for d in region_tiers[0])] if region_tiers else []
    fallback = None
    if named.relative and year_tiers and not any(_speaks_for(d, y) for d in series for y in named.relative):
        fallback = max(y for d in year_tiers[0] if (y := d.facets.year) is not None)
    words = [r.short for r in named.regions if region_tiers] + [
        f"{y}年" for y in sorted(named.years or ([fallback] if fallback else []))
    ]
    return Scope(
        tiers=tuple(tiers),
        by_year=bool(year_tiers),
        fallback_year=fallback,
        asked_year=min(named.relative) if fallback else None,
        named="".join(words),
    )


def series_of(index: Index) -> list[Document]:
    """The documents of the index that belong to a series (they have a region or a year), found once per snapshot."""
    cached: dict[str, list[Document]] = index.__dict__.setdefault("_series", {})
    if "all" not in cached:
        faceted = [d for d in index.documents.values() if _faceted(d)]
        cached["all"] = faceted if len(faceted) >= MIN_SERIES else []
    return cached["all"]


def _local_regions(series: list[Document], norm: str) -> tuple[Region, ...]:
    """Counties and districts of the corpus's documents named by their short form (海淀 for 海淀区): the gazetteer
    leaves a county's short form out (朝阳, 和平 are words too), but where a document is that county's, the
    question naming it means it."""
    named: dict[str, Region] = {}  # by code: several documents of one county name it once
    for doc in series:
        region = region_of(doc)
        if region is not None and region.level == 3 and len(short := short_county(region.name)) >= 2 and short in norm:
            named[region.code] = region
    return tuple(named.values())


def short_county(name: str) -> str:
    """A county's or district's name without its 县/区/市/旗: 海淀区 -> 海淀 (a two-character name keeps its suffix)."""
    return name[:-1] if len(name) > 2 and name[-1] in "县区市旗" else name


def _faceted(doc: Document) -> bool:
    f = doc.facets
    return bool(f.region or f.year)


def region_of(doc: Document) -> Region | None:
    """A document's region as a division of the gazetteer (one a sidecar names that it lacks: as named)."""
    f = doc.facets
    if not f.region:
        return None
    return region_by_code(f.region_code) or region_named(f.region) or Region(f.region_code or "", f.region, 2)


def _region_tiers(series: list[Document], asked: tuple[Region, ...]) -> tuple[list[list[Document]], Region | None]:
    """Documents of the region asked about, then those inside it; or the region no document has, when the corpus has
    documents of other regions at its level (a series of provinces' reports, and a province not among them)."""
    if not asked:
        return [], None
    region = asked[0]
    with_region = [(d, r) for d in series if (r := region_of(d)) is not None]
    exact = [d for d, r in with_region if r.code == region.code or r.name == region.name]
    exact_ids = {d.id for d in exact}
    inside = [d for d, r in with_region if r.within(region) and d.id not in exact_ids]
    if exact or inside:
        return [t for t in (exact, inside) if t], None
    if region.level > 0 and any(r.level == region.level for _, r in with_region):
        return [], region
    return [], None


def _issuer_tier(series: list[Document], issuer: str | None) -> tuple[list[Document], str | None]:
    """The documents of the body a question names; or that body, when it is a national one (国家医保局) no document
    is by, in a corpus whose documents name their bodies. A regional body (浙江省卫健委) is never said missing:
    its region decides, and a document's issuer is not always found."""
    if not issuer:
        return [], None
    issued = [d for d in series if d.facets.issuer == issuer]
    if issued:
        return issued, None
    national = issuer in names.words().national_organs.values()
    with_issuer = sum(1 for d in series if d.facets.issuer)
    return [], issuer if national and with_issuer >= MIN_SERIES else None


def _regions_of(series: list[Document]) -> list[str]:
    """The regions the series has, countrywide first, then by code (the official order: 北京, 天津, 河北…)."""
    found = {(r.code, r.short or r.name) for d in series if (r := region_of(d)) is not None}
    return [name for _, name in sorted(found)]


def common_kind(series: list[Document]) -> str | None:
    """The kind most of the documents are (政府工作报告), to name what is missing or compared."""
    kinds = [d.facets.kind for d in series if d.facets.kind]
    return max(set(kinds), key=lambda k: (kinds.count(k), k)) if kinds else None


def _speaks_for(doc: Document, year: int) -> bool:
    return year in (doc.facets.year, doc.facets.reviews)


def _year_tiers(
    series: list[Document], pool: list[Document], named: Named, today: dt.date
) -> tuple[list[list[Document]], Scope | None]:
    """Documents for the year asked about, in the order the question wants them: a plan (目标, 计划) is in that year's
    document, a result (实际, 增长了) in the next year's review first. A question naming a year and a kind of document
    (2020年政府工作报告) names that year's document and no other. Returns the tiers, or the Scope saying the year is
    missing."""
    years = named.years or named.relative
    if not years or len(years) > 1:
        return [], None
    year = next(iter(years))
    dated = [d for d in pool if d.facets.year is not None]
    if not dated:
        return [], None
    kind = named.kind if named.kind and any(_same_kind(d, named.kind) for d in series) else None
    if kind and named.years:
        exact = [d for d in dated if d.facets.year == year and _same_kind(d, kind)]
        if exact:
            return [exact], None
        return [], _missing_year(series, year, kind, today)
    plans = [d for d in dated if d.facets.year == year]
    reviews = [d for d in dated if d.facets.reviews == year]
    tiers = [t for t in ((plans, reviews) if named.intent == "plan" else (reviews, plans)) if t]
    if tiers:
        return tiers, None
    if named.relative:  # 今年 with no document for it yet: the newest documents, said so
        newest = max(d.facets.year for d in dated if d.facets.year is not None and d.facets.year <= year + 1)
        return [[d for d in dated if d.facets.year == newest]], None
    return [], _missing_year(series, year, None, today)


def _same_kind(doc: Document, kind: str) -> bool:
    return bool(doc.facets.kind) and (kind in (doc.facets.kind or "") or (doc.facets.kind or "") in kind)


def _missing_year(series: list[Document], year: int, kind: str | None, today: dt.date) -> Scope | None:
    """The Scope for a year no document speaks for, in a series of several years; None when the year is still to come
    (a plan for 2035 may be in any document) or the corpus is no series by year."""
    years = sorted({y for d in series if (y := d.facets.year) is not None and (not kind or _same_kind(d, kind))})
    if len(years) < 2 or year > today.year:
        return None
    before = [y for y in years if y < year]
    after = [y for y in years if y > year]
    nearby = ([f"{before[-1]}年"] if before else []) + ([f"{after[0]}年"] if after else [])
    return Scope(missing={"year": str(year)}, nearby=tuple(nearby), kind=kind or common_kind(series), asked_year=year)
