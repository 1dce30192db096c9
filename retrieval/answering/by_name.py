"""The documents a question names by an official name (十九大报告: 党的十九大; 十三届全国人大二次会议上的…; 广东省十四届
人大三次会议上的政府工作报告), or that name said missing where the corpus keeps a series of such names but not this one:
the congress reports, the national people's congress sessions, a region's own sessions. A region's report that
prints no session of its own is placed by the region's calendar, read from its other reports (sessions are held
once a year: 十四届人大三次会议 in 2025, 四次 in 2026)."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.calendar import OfficialName
from ..core.models import Document
from .matching import family_of, kind_fits, named_by, of_series, parsed
from .named import Named
from .series import MIN_SERIES, region_of


@dataclass(frozen=True)
class ByName:
    """The documents going by the names a question names, or the name missing and what the corpus has instead."""

    docs: tuple[Document, ...] = ()
    named: str = ""
    missing: str | None = None
    """The name no document goes by (with its year, for a region's session: 贵州省十四届人大四次会议(2026年))."""
    nearby: tuple[str, ...] = ()
    series: tuple[Document, ...] = ()
    """The documents of the series the name belongs to, for saying what kind of document is missing."""
    years: frozenset[int] = frozenset()
    """The names' years, where the corpus has no series of such names: a report that never prints its session is
    found by its year."""


def by_name(series: list[Document], named: Named) -> ByName:
    """The documents going by an official name the question names (十九大报告: 党的十九大); or that name said missing,
    where the corpus has a series of that kind of name (党的八大, in an archive of congress reports) and none is it;
    or, where the corpus has no such series, the name's years."""
    asked = [n.name for n in named.names]
    found = named_by(series, named.names)
    if found and named.kind:  # 十三届全国人大二次会议上的政府工作报告: the report, not the session's resolution on it
        found = [d for d in found if kind_fits(d, named.kind)] or found
    if found:
        return ByName(docs=tuple(found), named="、".join(asked))
    of_family = of_series(series, named.names)
    local = named.names[0].family == "local"  # a region's sessions: one report of the region is its series
    year = _local_year(of_family, named) if local else None
    if year is not None and (unnamed := _of_local_year(series, of_family, named, year)):
        return ByName(docs=tuple(unnamed), named=asked[0])
    if len(of_family) >= (1 if local else MIN_SERIES):
        return ByName(
            missing=asked[0] + (f"({year}年)" if year else ""),
            nearby=tuple(_nearby_names(of_family, named.names[0], year)),
            series=tuple(of_family),
        )
    return ByName(years=frozenset(y for n in named.names if n.family != "plan" for y in n.years))


def _of_local_year(series: list[Document], sessions: list[Document], named: Named, year: int) -> list[Document]:
    """The region's documents of the year its session asked for was held, that print no session of their own (a
    report copied without its date line), of the kind the question names: the session's, by the region's calendar."""
    regions = {r.code for d in sessions if (r := region_of(d)) is not None}
    return [
        d
        for d in series
        if d.facets.year == year
        and (r := region_of(d)) is not None
        and r.code in regions
        and not any(family_of(n) == "local" for n in d.facets.names)
        and (not named.kind or kind_fits(d, named.kind))
    ]


def _local_year(docs: list[Document], named: Named) -> int | None:
    """The year a region's session not held here would be, from one of the same term that is (a term's sessions are
    held once a year: 十四届人大三次会议 in 2025, 四次 in 2026)."""
    asked = named.names[0]
    for doc in docs:
        for name in doc.facets.names:
            held = parsed(name)
            if held is not None and held.numbers[0] == asked.numbers[0] and doc.facets.held is not None:
                return doc.facets.held + asked.numbers[1] - held.numbers[1]
    return None


def _nearby_names(docs: list[Document], asked: OfficialName, year: int | None = None) -> list[str]:
    """The names of the asked one's family the corpus has, nearest on either side by year (the latest, for one still
    to come)."""
    held: dict[str, int] = {}
    for d in docs:
        for name in d.facets.names:
            if (p := parsed(name)) is not None and asked.same_series(p) and d.facets.held is not None:
                held.setdefault(name, d.facets.held)
    ordered = sorted(held, key=lambda n: (held[n], n))
    year = asked.years[0] if asked.years else year
    if year is None:
        return ordered[-1:]
    before = [n for n in ordered if held[n] < year]
    after = [n for n in ordered if held[n] > year]
    return before[-1:] + after[:1]
