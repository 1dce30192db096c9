"""The names China's numbered national meetings and plans go by, and the calendar behind them.

Officials name a document by the meeting it was given at as often as by its year: 十九大报告, 十三届全国人大二次会议上的
政府工作报告, 十九届五中全会, “十四五”. `find_names` reads such names in a normalized text, in every form they are
written (中国共产党第十九次全国代表大会 / 党的十九大 / 十九大; 第十三届全国人民代表大会第二次会议 /
十三届全国人大二次会议; 2019年全国两会), and each is told in one canonical form (`OfficialName.name`) with the
year it was held, from data/calendar.txt (its sources are named there). Documents (at index time) and questions
(at query time) are read by this same code, so a report that never prints its session is still found by the
session's year.

>>> [(n.name, n.years) for n in find_names("十三届全国人大二次会议上的政府工作报告")]
[('十三届全国人大二次会议', (2019,))]
>>> [n.name for n in find_names("中国共产党第十九次全国代表大会")], [n.name for n in find_names("党的十五大报告")]
(['党的十九大'], ['党的十五大'])
>>> [(n.name, n.years) for n in find_names("学习贯彻十九届五中全会精神")]
[('十九届五中全会', (2020,))]
>>> find_names("十大工程"), find_names("再奋斗十五年")
([], [])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from .hanzi import cn_number
from .regions import find_regions
from .tokenize import data_sections

Family = Literal["congress", "plenum", "npc", "cppcc", "plan", "local"]
FAMILY_ORDER: tuple[Family, ...] = ("congress", "plenum", "npc", "cppcc", "plan", "local")

_N = r"([一二三四五六七八九十]{1,3}|\d{1,2})"  # a counting number, in numerals or digits
_NOT_AFTER_NUMERAL = r"(?<![一二三四五六七八九十百\d])"
_LOCAL = r"(?<![省市区县州盟旗])"  # a provincial party congress is not the national one
_TEENS = r"(十[一二三四五六七八九]|二十[一二三四五六七八九]?)"  # 十九大, 二十大: a congress wherever it stands ...
_NOT_A_KIND = r"(?![类型批项家幅量小使学])"  # ... but for 十几大类, 二十大项
_SMALL = r"([一二三四五六七八九十])"  # 一大 … 十大: a congress only where a report, a meeting or 党的 says so
_CONGRESS_AFTER = r"(?=报告|政治报告|上|召开|以来|期间|通过|党章)"
_PLAN_AFTER = r"(?=规划|计划|时期|期间|末|初|以来|开局|收官)"
_PATTERNS: tuple[tuple[Family, re.Pattern[str]], ...] = (
    ("congress", re.compile(rf"(?:中国共产党|中共|党的)第?{_N}次?全国代表大会")),
    ("congress", re.compile(rf"(?:中国共产党|中共|党的|党){_N}大(?![类型批项家幅量])")),
    ("congress", re.compile(rf"{_NOT_AFTER_NUMERAL}{_TEENS}大{_NOT_A_KIND}")),
    ("congress", re.compile(rf"{_NOT_AFTER_NUMERAL}{_SMALL}大{_CONGRESS_AFTER}")),
    ("congress", re.compile(rf"{_LOCAL}第{_N}次(?:全国)?党代会")),
    ("plenum", re.compile(rf"(?:中国共产党|中共|党的)?第?{_N}届中央委员会第{_N}次全体会议")),
    ("plenum", re.compile(rf"{_NOT_AFTER_NUMERAL}第?{_N}届{_N}中全会")),
    ("npc", re.compile(rf"{_NOT_AFTER_NUMERAL}第?{_N}届全国人民代表大会第?{_N}次会议")),
    ("npc", re.compile(rf"{_NOT_AFTER_NUMERAL}第?{_N}届全国人大第?{_N}次会议")),
    # a session not said to be national: a region's, when one is named right before it (广东省十四届人大三次会议,
    # 省十四届人大四次会议), else read as the national one (十三届人大二次会议)
    ("local", re.compile(rf"{_NOT_AFTER_NUMERAL}第?{_N}届(?:人民代表大会|人大)第?{_N}次会议")),
    ("npc", re.compile(rf"全国人大第?{_N}届第?{_N}次会议")),
    ("cppcc", re.compile(rf"(?:中国人民政治协商会议|政协)第?{_N}届全国委员会第?{_N}次会议")),
    ("cppcc", re.compile(rf"全国政协第?{_N}届第?{_N}次会议")),
    ("cppcc", re.compile(rf"{_NOT_AFTER_NUMERAL}第?{_N}届全国政协第?{_N}次会议")),
    ("plan", re.compile(r"(?<![一二三四五六七八九十])“?(十[一二三四五])五”?")),
    ("plan", re.compile(rf"{_NOT_AFTER_NUMERAL}“?(十|[一二三四五六七八九])五”?{_PLAN_AFTER}")),
)
_TWO_SESSIONS = re.compile(r"((?:19|20)\d{2})年?(?:全国)?两会")
# the report of the N-th Central Committee is made to the (N+1)-th congress: 我代表第十八届中央委员会向大会作报告
_OUTGOING = re.compile(rf"{_N}届中央委员会.{{0,6}}向.{{0,14}}?大会作.{{0,4}}报告")


@dataclass(frozen=True)
class OfficialName:
    """One name of a numbered meeting or plan, where it stands in the text, and its canonical form."""

    family: Family
    numbers: tuple[int, ...]
    """(19,) for 党的十九大, (19, 5) for 十九届五中全会, (13, 2) for 十三届全国人大二次会议, (14,) for 十四五."""
    start: int = 0
    end: int = 0
    region: str | None = None
    """A local session's division (广东省), or only the level it was said at (省, 自治区) where no name is given."""

    @property
    def name(self) -> str:
        """The canonical form, as officials write it: 党的十九大, 十九届五中全会, 十三届全国人大二次会议,
        全国政协十四届二次会议, 十四五."""
        n = [cn_count(x) for x in self.numbers]
        if self.family == "congress":
            return f"党的{n[0]}大"
        if self.family == "plenum":
            return f"{n[0]}届{n[1]}中全会"
        if self.family == "npc":
            return f"{n[0]}届全国人大{n[1]}次会议"
        if self.family == "cppcc":
            return f"全国政协{n[0]}届{n[1]}次会议"
        if self.family == "local":
            return f"{self.region or ''}{n[0]}届人大{n[1]}次会议"
        return f"{n[0]}五"

    def fits(self, other: OfficialName) -> bool:
        """The same meeting named the same or more fully: a session said at its level (自治区十四届人大三次会议)
        fits one of a division of that level (广西壮族自治区十四届人大三次会议)."""
        return self.numbers == other.numbers and self.same_series(other)

    def same_series(self, other: OfficialName) -> bool:
        """Of the same series of meetings: the same family and, for a region's sessions, that region."""
        if self.family != other.family:
            return False
        if self.family != "local" or not self.region:
            return True
        return other.region is not None and (other.region == self.region or other.region.endswith(self.region))

    @property
    def years(self) -> tuple[int, ...]:
        """The year it was held in (a plan: its years); empty when the calendar does not know it (yet)."""
        if self.family == "plan":
            first_last = calendar().plans.get(self.numbers[0])
            return tuple(range(first_last[0], first_last[1] + 1)) if first_last else ()
        if self.family == "local":
            return ()  # a region's own calendar: read from its documents
        year = calendar().held[self.family].get(self.numbers)
        return (year,) if year else ()


@dataclass(frozen=True)
class Calendar:
    held: dict[str, dict[tuple[int, ...], int]]
    """For each family but plans: its numbers -> the year it was held."""
    plans: dict[int, tuple[int, int]]


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    """data/calendar.txt."""
    sections = data_sections("calendar.txt")
    held: dict[str, dict[tuple[int, ...], int]] = {}
    for family, section, width in (("congress", "congresses", 1), ("plenum", "plenums", 2), ("npc", "npc", 2)):
        held[family] = _rows(sections[section], width)
    held["cppcc"] = _rows(sections["cppcc"], 2)
    values = [int(v) for v in sections["plans"]]
    plans = {values[i]: (values[i + 1], values[i + 2]) for i in range(0, len(values), 3)}
    return Calendar(held, plans)


def _rows(values: list[str], width: int) -> dict[tuple[int, ...], int]:
    numbers = [int(v) for v in values]
    step = width + 1
    return {tuple(numbers[i : i + width]): numbers[i + width] for i in range(0, len(numbers), step)}


def cn_count(n: int) -> str:
    """A number below 100 in numerals, as meetings are counted: 1 -> 一, 10 -> 十, 19 -> 十九, 20 -> 二十, 21 -> 二十一.

    >>> [cn_count(n) for n in (1, 10, 14, 20, 21)]
    ['一', '十', '十四', '二十', '二十一']
    """
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones or not tens else "")


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text)


def find_names(norm: str) -> list[OfficialName]:
    """The official names a normalized text holds (overlapping readings: the longest), in order."""
    found: list[OfficialName] = []
    for family, pattern in _PATTERNS:
        for m in pattern.finditer(norm):
            try:
                numbers = tuple(_number(g) for g in m.groups())
            except (KeyError, ValueError):
                continue  # not a number after all (十十)
            found.append(_placed(norm, OfficialName(family, numbers, m.start(), m.end())))
    kept: list[OfficialName] = []
    for name in sorted(found, key=lambda n: (n.start, n.start - n.end)):
        if all(name.end <= k.start or k.end <= name.start for k in kept):
            kept.append(name)
    for m in _TWO_SESSIONS.finditer(norm):  # 2019年全国两会: the NPC's and the CPPCC's sessions of that year
        if all(m.end() <= k.start or k.end <= m.start() for k in kept):
            kept += [OfficialName(n.family, n.numbers, m.start(), m.end()) for n in held_in(int(m.group(1)))]
    return sorted(kept, key=lambda n: n.start)


_LEVEL_WORDS = ("特别行政区", "自治区", "自治州", "省", "市", "区", "县", "州", "盟", "旗")


def _placed(norm: str, name: OfficialName) -> OfficialName:
    """A session not said to be national, with the division named right before it (its span then starts there), or
    the level word before it (省十四届人大四次会议); without either it is the national one (十三届人大二次会议)."""
    if name.family != "local":
        return name
    before = norm[max(0, name.start - 12) : name.start]
    named = [m for m in find_regions(before) if m.end == len(before) and m.region.level > 0]
    if named:
        m = named[-1]
        return replace(name, region=m.region.name, start=name.start - len(before) + m.start)
    level = next((w for w in _LEVEL_WORDS if before.endswith(w)), None)
    if level is not None:
        return replace(name, region=level, start=name.start - len(level))
    return replace(name, family="npc")


def outgoing_congress(norm: str) -> OfficialName | None:
    """The congress a report is made to, from the outgoing Central Committee it speaks for
    (我代表第十八届中央委员会向大会作报告 -> 党的十九大); None when the text does not say so."""
    m = _OUTGOING.search(norm)
    if m is None:
        return None
    return OfficialName("congress", (_number(m.group(1)) + 1,), m.start(), m.end())


def held_in(year: int, families: tuple[Family, ...] = ("npc", "cppcc")) -> list[OfficialName]:
    """The meetings of the given families held in `year` (2019 -> 十三届全国人大二次会议, 全国政协十三届二次会议)."""
    out = []
    for family in families:
        for numbers, held in calendar().held[family].items():
            if held == year:
                out.append(OfficialName(family, numbers))
    return out


def congress_of_year(year: int) -> OfficialName | None:
    """The national congress held in `year` (1997 -> 党的十五大), if any."""
    return next(iter(held_in(year, ("congress",))), None)
