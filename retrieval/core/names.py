"""How documents are named: the words of data/facets.txt and the readers that find, in a title, an opening line or a
question alike, the kind of document it names (政府工作报告, 工作会议), its region, the body speaking and its years.

Shared by the indexing side (a document's facets, retrieval/indexing/facets.py) and the answering side (what a
question names), so both read names with the same code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .hanzi import DIGIT, cn_number
from .regions import COUNTRY, Region, RegionMatch, find_regions, regions
from .text import normalize

_YEAR = re.compile(rf"(?<!\d)((?:19|20)\d{{2}})年|({DIGIT}{{4}})年")
VENUE_WITHIN = 4  # characters after a place in which 召开/举行 makes it a meeting's venue


@dataclass(frozen=True)
class _Words:
    national: tuple[str, ...]
    kinds: tuple[str, ...]
    annual: frozenset[str]
    plans_ahead: frozenset[str]
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
        plans_ahead=frozenset(flat("plans-ahead")),
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


def region_by_code(code: str | None) -> Region | None:
    return regions().get(code) if code else None
