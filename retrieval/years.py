"""Years a question names: 2024年, 二〇二三年, 今年/去年/前年, 十四五期间. Used as a soft ranking signal."""
from __future__ import annotations

import datetime as dt
import re

from .clean import cn_number
from .text import normalize

PERIODS = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
           "十五五": (2026, 2030)}
RELATIVE = {"今年": 0, "本年": 0, "去年": -1, "上一年": -1, "前年": -2, "明年": 1}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")


def question_years(question: str, today: dt.date) -> set[int]:
    """The years a question refers to, explicitly or relative to `today`."""
    norm = normalize(question)
    years = {int(y) for y in _YEAR.findall(norm)}
    years |= {cn_number(y) for y in _CN_YEAR.findall(norm)}
    years |= {today.year + delta for word, delta in RELATIVE.items() if word in norm}
    for name, (first, last) in PERIODS.items():
        if name in norm:
            years |= set(range(first, last + 1))
    return years


def is_time_term(term: str) -> bool:
    """A query term that names a time (2024, 去年, 十四五): a ranking signal, not a topic the text must hold."""
    return bool(_YEAR.fullmatch(term)) or term in RELATIVE or term in PERIODS or term in ("期间", "年度")
