"""Which document of a series a text is: its year, region, issuer and kind (a document's facets).

Archives are series of look-alike documents (every year's report, every province's report), and the words
that tell them apart are in the title, the date and the opening lines, not in the passages. Found at index
time from those (`document_facets`), overridden by a sidecar's "year", "region", "issuer" and "kind"; read
back for questions by retrieval/scope.py. The words are in data/facets.txt.

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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .hanzi import DIGIT, cn_number
from .models import Facets
from .regions import COUNTRY, Region, RegionMatch, find_regions, region_named, regions
from .text import normalize

OPENING_LINES = 6  # lines after the title read for the kind, the region and the issuer (会议, 署名, 发文机关)
BODY_LEVEL_WORDS = {"全省": 1, "我省": 1, "全市": 2, "我市": 2, "全县": 3, "我县": 3, "全区": 3, "我区": 3}
_YEAR = re.compile(rf"(?<!\d)((?:19|20)\d{{2}})年|({DIGIT}{{4}})年")
VENUE_WITHIN = 4  # characters after a place in which 召开/举行 makes it a meeting's venue


@dataclass(frozen=True)
class _Words:
    national: tuple[str, ...]
    kinds: tuple[str, ...]
    annual: frozenset[str]
    retrospective: frozenset[str]
    organs: dict[str, str]
    """Each name of a body -> the name shown (卫健委 -> 卫生健康委员会)."""
    national_organs: dict[str, str]
    venue_after: tuple[str, ...]
    plan: frozenset[str]
    result: frozenset[str]


@lru_cache(maxsize=1)
def words() -> _Words:
    """data/facets.txt, in sections; in [organs] each line is one body."""
    sections: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    text = resources.files("retrieval").joinpath("data/facets.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line:
            current.append([normalize(w) for w in line.split()])

    def flat(name: str) -> list[str]:
        return [w for group in sections[name] for w in group]

    def longest_first(items: list[str]) -> tuple[str, ...]:
        return tuple(sorted(set(items), key=lambda w: (-len(w), w)))

    organs = {w: group[0] for group in sections["organs"] for w in group}
    national_organs = {w: group[0] for group in sections["national-organs"] for w in group}
    return _Words(
        national=longest_first(flat("national")),
        kinds=longest_first(flat("kinds")),
        annual=frozenset(flat("annual")),
        retrospective=frozenset(flat("retrospective")),
        organs=organs,
        national_organs=national_organs,
        venue_after=tuple(flat("venue-after")),
        plan=frozenset(flat("plan-words")),
        result=frozenset(flat("result-words")),
    )


def find_kind(text: str, *, last: bool = False) -> str | None:
    """The kind of document a text names (政府工作报告, 工作会议, 讲话…): the first kind word in it, the longest
    where two start at one place; with `last`, the last one, as a title puts its head last (在…会议上的讲话 is a
    讲话)."""
    norm = normalize(text)
    found = [(norm.rfind(k) + len(k) if last else -norm.find(k), len(k), k) for k in words().kinds if k in norm]
    return max(found)[2] if found else None


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


def named_years(text: str) -> list[int]:
    """Years a text names explicitly (2024年, 二〇二四年), in order."""
    out = []
    for m in _YEAR.finditer(normalize(text)):
        out.append(int(m.group(1)) if m.group(1) else cn_number(m.group(2)))
    return out


def whose_regions(text: str) -> list[RegionMatch]:
    """The divisions a text speaks for, left to right: 全国 and its synonyms count as the country, a place a meeting
    was held in (在北京召开) does not count."""
    norm = normalize(text)
    found = [m for m in find_regions(norm) if not _venue(norm, m)]
    national = [(at, word) for word in words().national if (at := norm.find(word)) >= 0]
    if national and not any(m.region == COUNTRY for m in found):
        at, word = min(national)
        found.append(RegionMatch(COUNTRY, at, at + len(word), word))
    return sorted(found, key=lambda m: m.start)


def _venue(norm: str, m: RegionMatch) -> bool:
    after = norm[m.end : m.end + VENUE_WITHIN + 2]
    return norm[max(0, m.start - 1) : m.start] == "在" and any(
        w in after[: VENUE_WITHIN + 2] for w in words().venue_after
    )


def find_issuer(text: str, region: Region | None, *, national: bool = True) -> str | None:
    """The body a text names as speaking: 国务院, 国家卫生健康委, 四川省人民政府; a bare 省人民政府
    (我代表省人民政府) is the document's own region's. With national=False a national body is not taken (the
    opening lines of a province's report name 国务院 in passing)."""
    norm = normalize(text)
    w = words()
    best: tuple[int, str] | None = None
    for name, shown in w.organs.items():
        at = norm.find(name)
        if at < 0 or (best is not None and at >= best[0]):
            continue
        before = [m for m in find_regions(norm[max(0, at - 12) : at]) if m.end == min(at, 12)]
        if before:
            whose = before[-1].region
            national_name = w.national_organs.get("国家" + shown, "国家" + shown)  # 全国中医药管理局 is 国家's
            best = (at, national_name if whose.level == 0 else whose.name + shown)
        elif region is not None and region.level > 0 and at > 0 and norm[at - 1] in "省市县区":
            best = (at, region.name + shown)
    if best is None and national:
        return next(
            (w.national_organs[n] for n in sorted(w.national_organs, key=lambda n: (-len(n), n)) if n in norm), None
        )
    return best[1] if best else None


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


def region_by_code(code: str | None) -> Region | None:
    return regions().get(code) if code else None
