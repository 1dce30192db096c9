"""What a question says of the document that should answer it: the regions, years, kind and body it names, the
official names (党的十九大, 十三届全国人大二次会议) and the meeting it names, and whether it asks for a year's plan
or its result. Read with the same code documents are named by (retrieval/core/names.py, calendar.py, meetings.py),
so a question and a document meet in one vocabulary."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..core import names
from ..core.calendar import OfficialName, congress_of_year, find_names
from ..core.meetings import MeetingKey, meeting_key, meeting_phrases, without_times
from ..core.names import find_kind
from ..core.regions import Region
from ..core.years import explicit_years, relative_words, relative_years, short_years


@dataclass(frozen=True)
class Named:
    """What a question says of the document that should answer it (see retrieval/answering/scope.py)."""

    regions: tuple[Region, ...] = ()
    """Divisions it names, as a region the answer is about (广西, 四川省, 全国), not a meeting's venue."""
    years: frozenset[int] = frozenset()
    """Years it names explicitly (2024年, 一九八六年)."""
    relative: frozenset[int] = frozenset()
    """Years its relative words name, when it names none explicitly (今年, 去年: from the date of asking)."""
    kind: str | None = None
    """A kind of document it names (政府工作报告, 工作会议): with a year, it names that year's document."""
    issuer: str | None = None
    """A body it names as speaking (国家卫生健康委员会, 浙江省人民政府), in the name documents' facets use."""
    intent: str = "result"
    """"plan" when it asks what a year's document set out (目标, 计划, 拟), "result" when it asks what happened."""
    intent_said: bool = False
    """Its words say which (目标, 回顾的上一年), not only the year asked about."""
    names: tuple[OfficialName, ...] = ()
    """Official names it names a document by (十九大报告, 十三届全国人大二次会议上的…, 1997年党代会报告: 党的十五大),
    not those it speaks of in passing (贯彻二十大精神, 十一届三中全会以来)."""
    meeting: str | None = None
    """A meeting it names, as written without its year (全市卫生健康工作会议, 山西医改会议)."""
    meeting_key: MeetingKey | None = None
    spans: tuple[tuple[str, int, int], ...] = ()
    """Where in the question each of its regions ("region"), years ("year") and official names ("name") stands."""
    version: str | None = None
    """Which version of a document it asks for besides a year: "before" a revision (修订前, 老版本), "after" one."""


def name_document(norm: str, tokens: Iterable[str], today: dt.date) -> Named:
    """What a normalized question says of its document: regions, years, kind and whether it asks for a plan."""
    explicit = frozenset(explicit_years(norm) | short_years(norm, today))
    relative = frozenset() if explicit else frozenset(relative_years(norm, today))
    words = set(tokens)
    facet_words = names.words()
    asked = explicit or relative
    said = not words.isdisjoint(facet_words.result) or not words.isdisjoint(facet_words.plan)
    if not words.isdisjoint(facet_words.result):
        intent = "result"
    elif not words.isdisjoint(facet_words.plan) or (asked and min(asked) >= today.year):
        intent = "plan"  # a year not over yet has no results to report
    else:
        intent = "result"
    placed = names.whose_regions(norm)
    regions = tuple(dict.fromkeys(m.region for m in placed))
    official = tuple(n for n in find_names(norm) if not _IN_PASSING.match(norm[n.end :]))
    congress = _PARTY_CONGRESS.search(norm)
    local = congress is not None and any(0 <= congress.start() - m.end <= LOCAL_WITHIN for m in placed)
    by_year: list[tuple[str, int, int]] = []
    if not official and explicit and congress and not local:  # 1997年党代会报告: 党的十五大 (四川省党代会: not)
        official = tuple(c for y in sorted(explicit) if (c := congress_of_year(y)) is not None)
        # the words naming it so (1997年, 党代会) are its name as much as 党的十五大 is: they rank none of its passages
        if official:
            years = [m for m in _YEARS.finditer(norm) if m.group(0)[:4].isdigit() and congress_of_year(int(m[0][:4]))]
            by_year = [("name", m.start(), m.end()) for m in years] + [("name", congress.start(), congress.end())]
    meeting = next((m for m in meeting_phrases(norm) if not find_names(m)), None)
    spans = (
        [("region", m.start, m.end) for m in placed]
        + [("year", m.start(), m.end()) for m in _YEARS.finditer(norm)]
        + [("year", m.start(), m.end()) for m in relative_words().finditer(norm)]
        + [("name", n.start, n.end) for n in official if n.end > n.start]
        + by_year
    )
    kind = find_kind(meeting, last=True) if meeting else _document_kind(norm, official)
    key = meeting_key(meeting) if meeting else None
    return Named(
        regions=regions,
        issuer=names.find_issuer(norm, regions[0] if regions else None),
        years=explicit,
        relative=relative,
        kind=kind,
        intent=intent,
        intent_said=said,
        names=official,
        meeting=without_times(meeting) if meeting else None,
        meeting_key=key,
        spans=tuple(spans),
        version="before" if _BEFORE.search(norm) else "after" if _AFTER.search(norm) else None,
    )


def _document_kind(norm: str, official: tuple[OfficialName, ...] = ()) -> str | None:
    """The kind of document a question names: the first kind word, the longest at its place, but one a verb takes
    (马晓伟出席并讲话, 作主报告: someone spoke), a meeting the document was given at (…会议上的讲话: a 讲话) or one
    inside an official name (…十四届人大五次会议政府工作报告: a 政府工作报告)."""
    found = [
        (m.start(), m.group(1))
        for m in _kinds_pattern().finditer(norm)
        if not any(n.start <= m.start() < n.end for n in official)
    ]
    for at, kind in found:
        if not _SPOKE.search(norm[max(0, at - 3) : at]) and not norm.startswith("上", at + len(kind)):
            return kind
    return found[0][1] if found else None


@lru_cache(maxsize=1)
def _kinds_pattern() -> re.Pattern[str]:
    """Every kind word at every place it starts, the longest there (政府工作报告 before 报告), in one pass."""
    kinds = sorted(names.words().kinds, key=lambda k: (-len(k), k))
    return re.compile("(?=(" + "|".join(map(re.escape, kinds)) + "))")


# a version before a revision (2022年修订之前的老版本, 修改前, 原来的) or after one (2024年修订后的)
_BEFORE = re.compile(r"(?:修订|修正|修改|改)(?:之?前|以前)|老版|旧版|原版|原来的|上一版|以前的版本")
_AFTER = re.compile(r"(?:修订|修正|修改)(?:之?后)|新版|最新版|现行")
_SPOKE = re.compile(r"(?:出席|并|作|作了|发表|致)$")
_YEARS = re.compile(r"(?:19|20)\d{2}年?|[〇零一二三四五六七八九]{4}年")
LOCAL_WITHIN = 8  # characters between a region and 党代会 for the congress to be that region's (四川省第十二次党代会)
# an official name a question speaks of in passing, not as its document: 贯彻二十大精神, 十一届三中全会以来
_IN_PASSING = re.compile(r"^(?:和|及|与|、)?.{0,8}?(?:精神|以来|之后|以后|前后|后|之前|以前|期间)")
_PARTY_CONGRESS = re.compile(r"党代会|党的(?:全国)?代表大会|党的全国代表大会")
