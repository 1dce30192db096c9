"""What a question says of the document that should answer it: the regions, years, kind and body it names, and
whether it asks for a year's plan or its result. Read with the same words documents are named by
(retrieval/core/names.py), so a question and a document meet in one vocabulary."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ..core import names
from ..core.regions import Region
from ..core.years import explicit_years, relative_years


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


def name_document(norm: str, tokens: Iterable[str], today: dt.date) -> Named:
    """What a normalized question says of its document: regions, years, kind and whether it asks for a plan."""
    explicit = frozenset(explicit_years(norm))
    relative = frozenset() if explicit else frozenset(relative_years(norm, today))
    words = set(tokens)
    facet_words = names.words()
    asked = explicit or relative
    if not words.isdisjoint(facet_words.result):
        intent = "result"
    elif not words.isdisjoint(facet_words.plan) or (asked and min(asked) >= today.year):
        intent = "plan"  # a year not over yet has no results to report
    else:
        intent = "result"
    regions = tuple(dict.fromkeys(m.region for m in names.whose_regions(norm)))
    return Named(
        regions=regions,
        issuer=names.find_issuer(norm, regions[0] if regions else None),
        years=explicit,
        relative=relative,
        kind=names.find_kind(norm),
        intent=intent,
    )
