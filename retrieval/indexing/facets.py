"""Which document of a series a text is: its year, region, issuer and kind (a document's facets).

Archives are series of look-alike documents (every year's report, every province's report), and the words
that tell them apart are in the title, the date and the opening lines, not in the passages. Found at index
time from those (`document_facets`), overridden by a sidecar's "year", "region", "issuer" and "kind"; read
back for questions by retrieval/answering/scope.py. The words, and the readers both sides share, are in
retrieval/core/names.py and data/facets.txt.

A document of a kind that reviews one year and plans the next (a government work report, a work conference,
a speech at one) speaks for its title's year and looks back on the year before; without a year in the title,
a document dated January to September plans its own year, one dated October to December the next.

>>> f = document_facets("2025年广西政府工作报告", "2025", ["2025年1月13日在广西壮族自治区第十四届人民代表大会"
...     "第三次会议上", "现在，我代表自治区人民政府，向大会报告政府工作"])
>>> f.region, f.year, f.reviews, f.kind, f.issuer
('广西壮族自治区', 2025, 2024, '政府工作报告', '广西壮族自治区人民政府')
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..core.models import Facets
from ..core.names import find_issuer, find_kind, named_years, whose_regions, words
from ..core.regions import Region, region_named
from ..core.text import normalize

OPENING_LINES = 6  # lines after the title read for the kind, the region and the issuer (会议, 署名, 发文机关)
BODY_LEVEL_WORDS = {"全省": 1, "我省": 1, "全市": 2, "我市": 2, "全县": 3, "我县": 3, "全区": 3, "我区": 3}


def _heading_kind(lines: Sequence[str]) -> str | None:
    """The kind an opening line names as its own: one ending in the kind word (政府工作报告, 在…会议上的讲话), or a
    meeting's report line (山西省医改工作电视电话会议在太原召开). A kind word in passing (决定, 计划) says nothing."""
    w = words()
    for line in lines:
        norm = re.sub(r"[\W_]+$", "", normalize(line))
        for kind in w.kinds:
            if norm.endswith(kind) or re.search(rf"{kind}(在.{{2,12}})?({'|'.join(w.venue_after)})", norm):
                return kind
    return None


def document_facets(
    title: str, date: str | None, opening: Sequence[str], body: Sequence[str] = (), sidecar: dict | None = None
) -> Facets:
    """A document's facets from its title, date, first lines and body, a sidecar's values first.

    Year and region are found only in a dated document of a recognised kind (a report, a meeting, a speech, a
    notice…): an encyclopaedia article titled by its subject (广州, 2008年夏季奥运会) is no member of a series.
    """
    side = sidecar or {}
    head = "\n".join(opening[:OPENING_LINES])
    kind = side.get("kind") or find_kind(title, last=True) or _heading_kind(opening[:OPENING_LINES])
    year, reviews = _years_of(side.get("year"), title, date, kind)
    if not kind and not side.get("year"):
        year = reviews = None
    # an official document is dated: a text of no date and no year (an encyclopaedia article) is no series member
    region = _region_of(side.get("region"), title, head, body) if year or side.get("region") else None
    issuer = side.get("issuer") or (
        (find_issuer(title, region) or find_issuer(head, region, national=region is None or region.level == 0))
        if kind
        else None
    )
    return Facets(
        region=region.name if region else None,
        region_code=region.code if region else None,
        year=year,
        reviews=reviews,
        issuer=issuer,
        kind=kind,
    )


def _region_of(given: str | None, title: str, head: str, body: Sequence[str]) -> Region | None:
    if given:
        return region_named(given) or Region("", given, 2)
    found = whose_regions(title)
    if found:
        return _by_body_level([m.region for m in found], body)
    # the opening lines name many places in passing: only one at the level the body speaks as (全市, 我省) counts
    level = body_level(body)
    return next((m.region for m in whose_regions(head) if level is None or m.region.level == level), None)


def _by_body_level(candidates: list[Region], body: Sequence[str]) -> Region:
    """Of the divisions a title names (太原市 … 山西省), the one whose level the body speaks as (全市, 我省); else the
    first."""
    if len(candidates) == 1:
        return candidates[0]
    level = body_level(body)
    return next((r for r in candidates if r.level == level), candidates[0])


def body_level(body: Sequence[str]) -> int | None:
    """The level a document speaks as, by its most frequent 全省/我省 (1), 全市/我市 (2), 全县/全区 (3); None
    without any."""
    counts = dict.fromkeys(range(1, 4), 0)
    for para in body:
        norm = normalize(para)
        for word, level in BODY_LEVEL_WORDS.items():
            counts[level] += norm.count(word)
    level = max(counts, key=lambda lv: counts[lv])
    return level if counts[level] else None


def _years_of(given: int | str | None, title: str, date: str | None, kind: str | None) -> tuple[int | None, int | None]:
    """The year a document speaks for and the year it looks back on."""
    w = words()
    if given:
        year = int(given)
    elif years := named_years(title):
        year = years[0]
    elif date and date[:4].isdigit():
        month = int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else 0
        year = int(date[:4]) + (1 if month >= 10 and kind in w.annual else 0)
    else:
        return None, None
    if kind in w.retrospective:
        return year, year
    return year, (year - 1 if kind in w.annual else None)
