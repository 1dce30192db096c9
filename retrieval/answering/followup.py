"""Follow-up questions in a conversation: a message that only changes a facet or the asked thing of the previous
question ("四川呢?", "那2023年呢?", "去年的呢", "就业目标呢?", "实际完成了多少?") is read as the previous question with
that part replaced. Deterministic: the parts are found by the same parsing as every question (regions by the
gazetteer, years, the question words), no model rewrites anything.

>>> import datetime as dt
>>> today = dt.date(2026, 12, 1)
>>> follow_up("广西今年GDP目标是多少?", "四川呢?", today)
'四川今年GDP目标是多少?'
>>> follow_up("广西今年GDP目标是多少?", "那2023年呢", today)
'广西2023年GDP目标是多少?'
>>> follow_up("广西今年GDP目标是多少?", "那就业目标呢?", today)
'广西今年就业目标是多少?'
>>> follow_up("广西今年GDP目标是多少?", "实际完成了多少?", today)
'广西今年GDP目标实际完成了多少?'
>>> follow_up("广西今年GDP目标是多少?", "岐黄工程是什么", today) is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..core import names
from ..core.names import whose_regions
from ..core.postags import word_tag
from ..core.text import normalize
from ..core.tokenize import search_tokens, stopwords
from ..core.years import relative_words
from .asking import find_asking

_LEAD = re.compile(r"^(那么|那|还有|另外|再问一下|再问)")
_TAIL = re.compile(r"(的)?(呢|吗|么)?[?？。!！\s]*$")
_YEAR = re.compile(r"((?:19|20)\d{2}年?|[〇零一二三四五六七八九]{4}年)")
MAX_FOLLOW_UP = 16  # characters: a longer message is a question of its own
MAX_THING = 10  # characters of an asked thing put in the previous question's place (就业目标)


@dataclass(frozen=True)
class _Parts:
    """A question cut where its facets, its asked thing and its question words stand."""

    regions: list[tuple[int, int]]
    years: list[tuple[int, int]]
    asking: int | None
    """Where its question words begin (是多少, 有哪些), or None."""


def _years_in(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _YEAR.finditer(text)] + [m.span() for m in relative_words().finditer(text)]
    return sorted(spans)


def _parts(text: str) -> _Parts:
    norm = normalize(text)
    asking = find_asking(norm)
    start = asking[0].start if asking else None
    if start is not None and start > 0 and norm[start - 1] == "是":  # 是多少: the 是 asks too
        start -= 1
    return _Parts([(m.start, m.end) for m in whose_regions(norm)], _years_in(norm), start)


def _only(rest: str, spans: list[tuple[int, int]]) -> bool:
    """True when the spans cover all of `rest`."""
    covered = [False] * len(rest)
    for a, b in spans:
        covered[a:b] = [True] * (b - a)
    return bool(rest) and all(covered)


def follow_up(previous: str, message: str, today: dt.date) -> str | None:
    """The previous question with the part `message` changes replaced; None when the message stands on its own.

    `previous` and the result are in the form the user typed (normalized positions map one to one: the text is
    folded character by character)."""
    text = message.strip()
    if not previous or not text or len(text) > MAX_FOLLOW_UP:
        return None
    said_then = bool(_LEAD.match(text))
    asks_back = bool(re.search(r"呢[?？。!！\s]*$", text))
    rest = _TAIL.sub("", _LEAD.sub("", text)).strip()
    if not rest:
        return None
    prev = previous.strip()
    parts = _parts(prev)
    mine = _parts(rest)
    regions, years = mine.regions, mine.years
    if _only(rest, regions + years) and (said_then or asks_back or len(rest) <= 4):
        out = prev
        # replace from the right, so earlier positions stay valid
        if years:
            out = _replace(out, parts.years, rest[years[0][0] : years[-1][1]], at=_after(parts.regions))
        if regions:
            out = _replace(out, parts.regions, rest[regions[0][0] : regions[-1][1]], at=0)
        return out if out != prev else None
    if regions or years or mine.asking is not None and not _verbs_only(rest[: mine.asking]):
        return None  # a region or year with other words, or a question of its own: a new question
    if mine.asking is not None:  # 实际完成了多少: the previous question's facets and thing, asked this way
        head = prev[: parts.asking] if parts.asking is not None else prev
        return _strip_end(head) + rest + _end_of(prev)
    if (said_then or asks_back) and len(rest) <= MAX_THING and parts.asking is not None:
        start = max([b for _, b in parts.regions + parts.years], default=0)
        start = start if start <= parts.asking else 0
        return prev[:start] + rest + prev[parts.asking :]
    return None


def _verbs_only(text: str) -> bool:
    """True when the text names no thing of its own: every word a verb, adverb or function word (实际完成了)."""
    asked = names.words().plan | names.words().result  # 实际, 完成, 目标: which of a year's figures is asked
    words = [w for w, _, _ in search_tokens(normalize(text), whole_words=True) if w not in stopwords()]
    return all(w in asked or not (word_tag(w) or "n").startswith("n") for w in words if w.strip())


def _after(spans: list[tuple[int, int]]) -> int:
    return spans[-1][1] if spans else 0


def _replace(text: str, spans: list[tuple[int, int]], new: str, at: int) -> str:
    """`text` with its first span replaced by `new` (and further spans of the same kind removed); `new` put at
    `at` when the text has no such span."""
    if not spans:
        return text[:at] + new + text[at:]
    out = text
    for a, b in reversed(spans[1:]):
        out = out[:a] + out[b:]
    a, b = spans[0]
    return out[:a] + new + out[b:]


def _strip_end(text: str) -> str:
    return re.sub(r"[?？。!！\s]+$", "", text)


def _end_of(text: str) -> str:
    m = re.search(r"[?？。!！]+$", text.strip())
    return m.group(0) if m else ""
