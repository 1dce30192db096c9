"""Years a question names, and years a passage speaks of: a soft ranking signal.

A question names years explicitly (2024年, 二〇二三年), relative to today (今年, 去年) or as a five-year plan
(十四五期间). A passage speaks of the years it names, of those its relative words (过去一年, 明年) point to from
its document's date, and otherwise of its document's year: a report dated 2024 reviews 2023.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .hanzi import DIGIT, cn_number
from .regions import find_regions
from .text import normalize
from .tokenize import data_sections

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_CN_YEAR = re.compile(rf"({DIGIT}{{4}})年")
_OFFSETS = {"this-year": 0, "last-year": -1, "year-before-last": -2, "next-year": 1}


@lru_cache(maxsize=1)
def _relative() -> tuple[dict[str, int], re.Pattern]:
    """Relative words with their offset in years, and a pattern finding them (longest first)."""
    sections = data_sections("time_words.txt")
    words = {w: offset for name, offset in _OFFSETS.items() for w in sections[name]}
    return words, re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


@lru_cache(maxsize=1)
def plans() -> dict[str, tuple[int, int]]:
    """Five-year plans: 十四五 -> (2021, 2025)."""
    items = data_sections("time_words.txt")["plans"]
    return {items[i]: (int(items[i + 1]), int(items[i + 2])) for i in range(0, len(items), 3)}


def _named(norm: str) -> set[int]:
    return {int(y) for y in _YEAR_IN_TEXT.findall(norm)} | {cn_number(y) for y in _CN_YEAR.findall(norm)}


def explicit_years(norm: str) -> set[int]:
    """The years a normalized text names: 1992, 1992年, 一九九二年."""
    return {int(y) for y in _YEAR.findall(norm)} | _named(norm)


# a year written with its last two digits, as staff type it (北京26年PM2.5目标, 25年政府工作报告), not a span of
# years (满10年, 近26年来)
_SHORT_YEAR = re.compile(r"(?<![\d.])(\d{2})年(?![来间内前后代度以多余左])")
_REPORT_AFTER = re.compile(r"^(?:的)?(?:政府)?(?:工作)?报告|^(?:的)?工作会议")


def short_years(norm: str, today: dt.date) -> set[int]:
    """Years a question writes with two digits where it names a document's year: at its start, right after a region
    (北京26年…) or right before a report (25年政府工作报告): 26 -> 2026, one more than next year's -> 19xx."""
    out = set()
    for m in _SHORT_YEAR.finditer(norm):
        before = norm[: m.start()]
        placed = not before or any(r.end == len(before) for r in find_regions(before))
        if placed or _REPORT_AFTER.match(norm[m.end() :]):
            two = int(m.group(1))
            out.add(2000 + two if 2000 + two <= today.year + 1 else 1900 + two)
    return out


def relative_years(norm: str, today: dt.date) -> set[int]:
    """The years a normalized question's relative words (今年, 去年) point to from `today`."""
    words, pattern = _relative()
    return {today.year + words[m.group(0)] for m in pattern.finditer(norm)}


def question_years(question: str, today: dt.date, *, normalized: bool = False) -> set[int]:
    """The years a question refers to, explicitly or relative to `today`; beside one named year a relative word
    counts from it (1992年…比上年 is about 1992 and 1991, not last year)."""
    norm = question if normalized else normalize(question)
    years = explicit_years(norm) | short_years(norm, today)
    anchor = dt.date(next(iter(years)), 1, 1) if len(years) == 1 else today
    years |= relative_years(norm, anchor)
    for name, (first, last) in plans().items():
        if name in norm:
            years |= set(range(first, last + 1))
    return years


def passage_years(text: str, doc_year: int | None) -> list[int]:
    """The years a passage speaks of: those it names, and those its relative words point to from its document's
    year. Empty when it says nothing of time (it then speaks of its document's year)."""
    norm = normalize(text)
    years = _named(norm)
    if doc_year is not None:
        words, pattern = _relative()
        years |= {doc_year + words[m.group(0)] for m in pattern.finditer(norm)}
    return sorted(years)


def relative_words() -> re.Pattern:
    """A pattern finding the relative year words (今年, 去年, 上一年…), longest first."""
    return _relative()[1]


def is_time_term(term: str) -> bool:
    """A query term that names a time (2024, 去年, 十四五): a ranking signal, not a topic the text must hold."""
    return bool(_YEAR.fullmatch(term)) or term in _relative()[0] or term in plans() or term in ("期间", "年度")
