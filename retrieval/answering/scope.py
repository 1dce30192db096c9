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
from ..core.meetings import without_times
from ..core.models import Document
from ..core.regions import Region
from ..core.store import Index
from .by_name import by_name
from .by_title import by_title
from .matching import (
    held_elsewhere,
    kind_fits,
    meeting_fits,
    spoken_by,
    titled_in_part,
)
from .named import Named
from .query import Query
from .series import MIN_SERIES, common_kind, region_of, series_of, short_county


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
    tier_years: tuple[int, ...] = ()
    """With a fallback, each tier's year, newest first: the newest documents that hold the topic answer."""
    asked_year: int | None = None
    by_year: bool = False
    """The tiers were chosen by the year asked about: within them, passages of other years are not about it."""
    named: str = ""
    """The documents the tiers stand for, as a user would name them (山西省, 2022年), for saying where nothing was."""
    by_region: bool = False
    """The tiers were chosen by the region the question names."""
    exact: bool = False
    """The tiers are the documents the question names by an official name or by title: the answer comes from them,
    weak where their best passage covers little of the question, never from another document."""
    related: frozenset[str] = frozenset()
    """With `missing`: the documents offered instead (a law's 实施条例, another region's, another version)."""
    version: str | None = None
    """The version of the named document answered from, when the corpus holds it in several (`versions`)."""
    versions: tuple[str, ...] = ()
    title_words: frozenset[str] | None = None
    """Set when the tiers are the documents the question names by title: the terms it names them with."""


BY_TITLE = {"title", "version", "article"}  # what a question names by title and the corpus lacks


def scope_of(index: Index, query: Query, today: dt.date | None = None) -> Scope:
    """The scope of `query` over the index's documents. A refusal needs evidence: before saying the corpus lacks
    what the question names, a document it names by most of its title in other words is taken as the one meant."""
    scope = _scope(index, query, today or dt.date.today())
    if scope.missing and not BY_TITLE & scope.missing.keys():  # a title's own evidence needs no second look
        meant = [d for d in titled_in_part(index, query.norm) if _may_be(d, query.named)]
        if meant:
            return Scope(tiers=(frozenset({meant[0].id}),), named=f"《{meant[0].title}》")
    return scope


def _may_be(doc: Document, named: Named) -> bool:
    """Nothing the document is known by contradicts what the question names: years, region, names, meeting."""
    f = doc.facets
    years = f.named_years()
    region = region_of(doc)
    return (
        (not named.years or not years or bool(years & named.years))
        and (not named.regions or region is None or any(region.within(r) for r in named.regions))
        and (not named.names or not f.names or any(n.name in f.names for n in named.names))
        and (not named.meeting_key or not f.meeting or meeting_fits(doc, named.meeting_key))
    )


def _scope(index: Index, query: Query, today: dt.date) -> Scope:
    named = query.named
    titled = by_title(index, query, today)
    if titled is not None:  # the question names a document by its title: that document, whatever else it says
        if titled.missing:
            return Scope(missing=titled.missing, nearby=titled.nearby, related=titled.related)
        ids = frozenset(d.id for d in titled.docs)
        return Scope(
            tiers=(ids,),
            named=titled.named,
            exact=True,
            version=titled.version,
            versions=titled.versions,
            title_words=titled.words,
        )
    series = series_of(index)
    if series and named.names:
        by_name, named = _by_names(series, named)
        if by_name is not None:
            return by_name
    if series and not named.regions and (local := _local_regions(series, query.norm)):
        named = replace(named, regions=local)
    spoken = spoken_by(series, query.norm)
    met = [d for d in series if meeting_fits(d, named.meeting_key)] if named.meeting_key else []
    if not series or not (named.regions or named.years or named.relative or named.issuer or spoken or met):
        return Scope()
    region_tiers, missing_region = _region_tiers(series, named.regions)
    if missing_region is not None:
        return Scope(
            missing={"region": missing_region.short or missing_region.name},
            nearby=tuple(_regions_of(series)),
            kind=_asked_kind(named, series, without=missing_region),
        )
    issued, missing_issuer = _issuer_tier(series, named.issuer)
    if missing_issuer:
        issuers = sorted({d.facets.issuer for d in series if d.facets.issuer})
        return Scope(missing={"issuer": missing_issuer}, nearby=tuple(issuers), kind=_asked_kind(named, series))
    if named.meeting_key and not met and (elsewhere := held_elsewhere(series, named.meeting_key)):
        pool = region_tiers[0] if region_tiers else series
        if not any(d.facets.meeting is None and _could_be(d, named.kind, set()) for d in pool):
            meetings = sorted({without_times(d.facets.meeting or "") for d in elsewhere})
            return Scope(missing={"meeting": named.meeting or ""}, nearby=tuple(meetings))
    for first in (issued, met, spoken):  # the body, the meeting, the speaker named come first, within the region
        if first:
            by = {d.id for d in first}
            region_tiers = [[d for d in t if d.id in by] for t in region_tiers or [series]] + region_tiers
            region_tiers = [t for t in region_tiers if t]
    pool = region_tiers[0] if region_tiers else series
    year_tiers, scope = _year_tiers(series, pool, named, met, today)
    if scope is not None:
        return scope
    tiers: list[frozenset[str]] = []
    for regional in region_tiers or [series]:
        regional_ids = {d.id for d in regional}
        for by_year in year_tiers or [series]:
            tier = frozenset(regional_ids & {d.id for d in by_year})
            if tier and tier not in tiers:
                tiers.append(tier)
    if not tiers:  # the region's documents are of other years: search them all
        tiers = [frozenset(d.id for d in region_tiers[0])] if region_tiers else []
    fallback: int | None = None
    tier_years: tuple[int, ...] = ()
    if named.relative and year_tiers and not any(_speaks_for(d, y) for d in pool for y in named.relative):
        tier_years = tuple(max(index.documents[d].facets.year or 0 for d in tier) for tier in tiers)
        fallback = tier_years[0]
    words = [r.short for r in named.regions if region_tiers] + [
        f"{y}年" for y in sorted(named.years or ([fallback] if fallback else []))
    ]
    return Scope(
        tiers=tuple(tiers),
        by_year=bool(year_tiers),
        by_region=bool(region_tiers and named.regions),
        fallback_year=fallback,
        tier_years=tier_years,
        asked_year=min(named.relative) if fallback else None,
        named="".join(words),
    )


def _by_names(series: list[Document], named: Named) -> tuple[Scope | None, Named]:
    """The documents going by an official name the question names, or that name said missing (by_name.py); where
    the corpus has no such series, the question with the name's year as a year it names."""
    found = by_name(series, named)
    if found.docs:
        return Scope(tiers=(frozenset(d.id for d in found.docs),), named=found.named, exact=True), named
    if found.missing:
        return Scope(
            missing={"name": found.missing}, nearby=found.nearby, kind=_asked_kind(named, list(found.series))
        ), named
    return None, replace(named, years=named.years | found.years)


def _asked_kind(named: Named, series: list[Document], without: Region | None = None) -> str | None:
    """What the document asked for is, in the question's own words: the meeting it names (without the region said
    missing: 中医药工作会议), else the kind it names, else what most documents of the series are."""
    if named.meeting:
        meeting = named.meeting
        for word in (without.name, without.short) if without is not None else ():
            meeting = meeting.removeprefix(word or "")
        if len(meeting) > 2:
            return meeting
    return named.kind or common_kind(series)


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
    """The documents of the body a question names (and those whose body is unknown); or that body, when it is a
    national one (国家医保局) no document is by, in a corpus whose documents name their bodies. A regional body
    (浙江省卫健委) is never said missing: its region decides, and a document's issuer is not always found."""
    if not issuer:
        return [], None
    issued = [d for d in series if d.facets.issuer == issuer]
    if issued:  # with those whose body was not found: not known to be another's (a report copied without its opening)
        return [d for d in series if d.facets.issuer in (issuer, None)], None
    national = issuer in names.words().national_organs.values()
    with_issuer = sum(1 for d in series if d.facets.issuer)
    return [], issuer if national and with_issuer >= MIN_SERIES else None


def _regions_of(series: list[Document]) -> list[str]:
    """The regions the series has, countrywide first, then by code (the official order: 北京, 天津, 河北…)."""
    found = {(r.code, r.short or r.name) for d in series if (r := region_of(d)) is not None}
    return [name for _, name in sorted(found)]


def _speaks_for(doc: Document, year: int) -> bool:
    return year in (doc.facets.year, doc.facets.reviews)


def _year_tiers(
    series: list[Document], pool: list[Document], named: Named, met: list[Document], today: dt.date
) -> tuple[list[list[Document]], Scope | None]:
    """Documents for the year asked about, in the order the question wants them: a plan (目标, 计划) is in that year's
    document, a result (实际, 增长了) in the next year's review first. A question naming a year and a kind of document
    or a meeting (2020年政府工作报告, 2019年全国卫生健康工作会议) names the document held or planning that year and no
    other: one of another year is said missing, unless a document of that year could be it (its kind unknown).
    Returns the tiers, or the Scope saying the year is missing."""
    years = named.years or named.relative
    if not years or len(years) > 1:
        return [], None
    year = next(iter(years))
    dated = [d for d in pool if d.facets.year is not None]
    if not dated:
        return [], None
    kind = named.kind if named.kind and any(kind_fits(d, named.kind) for d in series) else None
    if (kind or met) and named.years:
        met_ids = {d.id for d in met}
        exact = [d for d in dated if year in d.facets.named_years() and _fits(d, kind, met_ids)]
        if exact:
            return [exact], None
        maybe = [d for d in dated if year in d.facets.named_years() and _could_be(d, kind, met_ids)]
        if maybe:  # the nearest document, not known to be another kind: answered from, and said which it is
            return [maybe], None
        if met:
            return [], _missing_meeting_year(met, year, named, today)
        return [], _missing_year(series, year, kind, today, pool)
    plans = [d for d in dated if d.facets.year == year]
    reviews = [d for d in dated if d.facets.reviews == year]
    tiers = [t for t in ((plans, reviews) if named.intent == "plan" else (reviews, plans)) if t]
    if tiers:
        return tiers, None
    if named.relative:  # 今年 with no document for it yet: the newest documents, then older ones, said so
        back = sorted({y for d in dated if (y := d.facets.year) is not None and y <= year + 1}, reverse=True)
        return [[d for d in dated if d.facets.year == y] for y in back], None
    return [], _missing_year(series, year, None, today, pool)


def _fits(doc: Document, kind: str | None, met: set[str]) -> bool:
    return (not kind or kind_fits(doc, kind)) and (not met or doc.id in met)


def _could_be(doc: Document, kind: str | None, met: set[str]) -> bool:
    """The document may be the one asked for: nothing known of it says otherwise (its kind, its meeting unknown)."""
    kind_ok = not kind or not doc.facets.kind or kind_fits(doc, kind)
    return kind_ok and (not met or doc.id in met or doc.facets.meeting is None)


def _missing_meeting_year(met: list[Document], year: int, named: Named, today: dt.date) -> Scope | None:
    """The Scope for a year of a named meeting the corpus has other years of (2019年全国卫生健康工作会议, when it holds
    2022's); None for a year still to come."""
    if year > today.year:
        return None
    held = sorted({y for d in met for y in d.facets.named_years()})
    before = [y for y in held if y < year]
    after = [y for y in held if y > year]
    nearby = ([f"{before[-1]}年"] if before else []) + ([f"{after[0]}年"] if after else [])
    return Scope(missing={"year": str(year)}, nearby=tuple(nearby), kind=named.meeting, asked_year=year)


def _missing_year(
    series: list[Document], year: int, kind: str | None, today: dt.date, pool: list[Document] | None = None
) -> Scope | None:
    """The Scope for a year no document speaks for, in a series of several years; for a region's documents (`pool`)
    when others have that year, the region's year said missing (语料中没有江西省2026年的政府工作报告). None when the
    year is still to come and no kind of document is named (a plan for 2035 may be in any document), or the corpus is
    no series by year."""
    fitting = [d for d in series if d.facets.year is not None and (not kind or kind_fits(d, kind))]
    years = sorted({y for d in fitting if (y := d.facets.year) is not None})
    if len(years) < 2 or (year > today.year and not kind):
        return None
    kind = kind or common_kind(series)
    region = _region_of_all(pool) if pool is not None and len(pool) < len(series) else None
    if region is not None and pool is not None and year in years:
        own = sorted({y for d in pool if (y := d.facets.year) is not None and (not kind or kind_fits(d, kind))})
        others = {d.facets.region for d in fitting if d.facets.year == year and d.facets.region}
        nearby = ([f"有{region}{'、'.join(f'{y}年' for y in own)}的"] if own else []) + [
            f"{year}年的有{len(others)}个地区的"
        ]
        return Scope(missing={"region": region, "year": str(year)}, nearby=tuple(nearby), kind=kind, asked_year=year)
    before = [y for y in years if y < year]
    after = [y for y in years if y > year]
    nearby = ([f"{before[-1]}年"] if before else []) + ([f"{after[0]}年"] if after else [])
    return Scope(missing={"year": str(year)}, nearby=tuple(nearby), kind=kind, asked_year=year)


def _region_of_all(docs: list[Document]) -> str | None:
    """The one region a set of documents is of (a region's documents, asked about), as named: 江西省."""
    found = {r.name for d in docs if (r := region_of(d)) is not None}
    return next(iter(found)) if len(found) == 1 else None
