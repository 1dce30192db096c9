"""Which documents of an index form a series (those with a region or a year: every year's report, every province's
report), found once per snapshot, and a document's region as a division of the gazetteer. Shared by the plan's
scope (scope.py), the retrieval of named documents (qa.py) and comparisons (compare.py)."""

from __future__ import annotations

from ..core.models import Document
from ..core.names import region_by_code
from ..core.regions import Region, region_named
from ..core.store import Index
from .matching import family_of

MIN_SERIES = 2  # documents with facets it takes to make a series: one report alone needs no telling apart


MIN_RANKING_SERIES = 3  # documents a series needs for its own counts to rank by; fewer: the whole corpus's


def series_around(index: Index, docs: frozenset[str]) -> frozenset[str] | None:
    """The documents of the series `docs` belong to (the congress reports, every national government work report,
    the provincial reports of one kind): their look-alikes, whose counts rank passages within them the same in any
    corpus. A series is told by the official names its documents go by (党的N大, N届全国人大M次会议), else by
    their kind and the level of their region. None when a document belongs to no series, or the series is small."""
    cached: dict[str, dict] = index.__dict__.setdefault("_ranking_series", {})
    if not cached:
        members: dict[tuple, set[str]] = {}
        for doc in series_of(index):
            members.setdefault(_series_key(doc), set()).add(doc.id)
        cached["members"] = members
        cached["key"] = {doc_id: key for key, ids in members.items() for doc_id in ids}
    keys = {cached["key"].get(d) for d in docs}
    if None in keys:
        return None
    around = frozenset().union(*(cached["members"][k] for k in keys))
    return around if len(around) >= MIN_RANKING_SERIES else None


def _series_key(doc: Document) -> tuple:
    families = sorted({f for n in doc.facets.names if (f := family_of(n)) not in (None, "plan")})
    if families:
        return ("names", *families)
    region = region_of(doc)
    return ("kind", doc.facets.kind or "", region.level if region is not None else -1)


def series_of(index: Index) -> list[Document]:
    """The documents of the index that belong to a series (they have a region or a year), found once per snapshot."""
    cached: dict[str, list[Document]] = index.__dict__.setdefault("_series", {})
    if "all" not in cached:
        read = index.documents.fields("facets.region", "facets.year")
        years = read["facets.year"]
        faceted = index.documents.some(i for i, region in read["facets.region"].items() if region or years[i])
        cached["all"] = faceted if len(faceted) >= MIN_SERIES else []
    return cached["all"]


def short_county(name: str) -> str:
    """A county's or district's name without its 县/区/市/旗: 海淀区 -> 海淀 (a two-character name keeps its suffix)."""
    return name[:-1] if len(name) > 2 and name[-1] in "县区市旗" else name


def region_of(doc: Document) -> Region | None:
    """A document's region as a division of the gazetteer (one a sidecar names that it lacks: as named)."""
    f = doc.facets
    if not f.region:
        return None
    return region_by_code(f.region_code) or region_named(f.region) or Region(f.region_code or "", f.region, 2)


def common_kind(series: list[Document]) -> str | None:
    """The kind most of the documents are (政府工作报告), to name what is missing or compared."""
    kinds = [d.facets.kind for d in series if d.facets.kind]
    return max(set(kinds), key=lambda k: (kinds.count(k), k)) if kinds else None
