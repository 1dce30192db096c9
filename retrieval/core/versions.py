"""The versions of a document: the same title at several dates (a law as adopted, then as amended), read from its
own record of adoption and amendment (2007年6月29日…通过, 根据2015年12月27日…修正), and the version a question
asks for: the one of the year it names, the one before or after a revision, else the newest.

>>> amendments(["2007年6月29日 第十届全国人民代表大会常务委员会第二十八次会议通过",
...     "根据2012年12月28日第十一届全国人民代表大会常务委员会第三十次会议《关于修改…的决定》修正"])
['2007-06-29', '2012-12-28']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .cite import display_date
from .hanzi import COUNT, DIGIT, cn_number
from .models import Document

_DATE = re.compile(rf"((?:19|20)\d{{2}}|{DIGIT}{{4}})年(\d{{1,2}}|{COUNT}{{1,3}})月(\d{{1,2}}|{COUNT}{{1,3}})日")
_EVENT = re.compile(r"通过|公布|发布|修正|修订|修改|施行|批准|颁布")
RECORD_WITHIN = 12  # opening lines read for the record of adoption and amendment
EVENT_WITHIN = 80  # characters after a date in which its event (通过, 修正) is said


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text)


def amendments(lines: Sequence[str]) -> list[str]:
    """The dates (ISO) a document's opening lines record it was adopted, amended or promulgated on, in order: its
    own history, read before its first article."""
    found = set()
    for line in lines[:RECORD_WITHIN]:
        dates = list(_DATE.finditer(line))
        for i, m in enumerate(dates):
            end = dates[i + 1].start() if i + 1 < len(dates) else len(line)
            if _EVENT.search(line[m.end() : min(end, m.end() + EVENT_WITHIN)]):
                y, mo, d = (_number(g) for g in m.groups())
                if 1 <= mo <= 12 and 1 <= d <= 31:
                    found.add(f"{y:04d}-{mo:02d}-{d:02d}")
    return sorted(found)


_RECORD = re.compile(rf"^(?:根据)?{_DATE.pattern}.{{0,160}}(?:{_EVENT.pattern})(?:的决定)?(?:第.次)?(?:修正|修订)?$")
_ASKS_RECORD = re.compile(r"通过|修订|修正|修改|施行|公布|颁布|生效|发布|批准")


def is_record(bare_text: str) -> bool:
    """Whether a passage (matching form without punctuation) is a line of a law's record of adoption and amendment
    (2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过): it says when, not what.

    >>> is_record("2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过")
    True
    >>> is_record("第一条为了完善劳动合同制度")
    False
    """
    return bool(_RECORD.match(bare_text))


# a revision naming the version asked about (2024年修正后的…, 修订前, 新修订的), not asking when it was made
_NAMES_VERSION = re.compile(r"(?:\d{4}年|新)(?:修订|修正|修改)(?:之?后|之?前)?的?|(?:修订|修正|修改)(?:之?后|之?前)的?")


def answers_when(bare_record: str, norm_question: str, asks_time: bool) -> bool:
    """Whether a record line answers a question: one asking when the law was adopted, amended or came into force,
    by the event the record states (施行 is not 修订), or any record when it asks only when. A revision that names
    the version asked about asks nothing of when.

    >>> answers_when("根据2024年修正", "2024年修正后的条例事故责任按什么来定", False)
    False
    >>> answers_when("根据2024年修正", "条例是哪年修正的", True)
    True
    """
    asked = set(_ASKS_RECORD.findall(_NAMES_VERSION.sub("", norm_question)))
    return bool(asked & set(_ASKS_RECORD.findall(bare_record))) if asked else asks_time


def version_date(doc: Document) -> str:
    """The date of the version a document is: its own date, else the last it records; "" when unknown."""
    return doc.date or (doc.facets.amended[-1] if doc.facets.amended else "")


@dataclass(frozen=True)
class Choice:
    """The version a question asks for, or why none is held."""

    doc: Document | None
    missing: str | None = None
    """The version asked for that no document is (2015年修正的): said, with the versions held."""


def choose(versions: Sequence[Document], years: frozenset[int], when: str | None) -> Choice:
    """Of a document's versions, the one a question asks for: of the year it names (2018年版, 2024年修订的), the last
    before a revision (2022年修订之前的, 修订前, 老版本: `when` "before") or the first after one ("after"), else the
    newest. A year no version held is of (2015年修正的, where only 2018's is held; one to come) is said missing."""
    ordered = sorted(versions, key=lambda d: (version_date(d), d.id))
    if not years:
        if when == "before" and len(ordered) > 1:
            return Choice(ordered[-2])
        return Choice(ordered[-1])
    year = min(years)
    dated = [(int(version_date(d)[:4] or 0), d) for d in ordered]
    if when == "before":
        earlier = [d for y, d in dated if y < year]
        return Choice(earlier[-1]) if earlier else Choice(None, f"{year}年以前")
    if when == "after":
        later = [d for y, d in dated if y >= year]
        return Choice(later[0]) if later else Choice(None, f"{year}年以后")
    exact = [d for y, d in dated if y == year]
    return Choice(exact[-1]) if exact else Choice(None, f"{year}年")


def version_label(doc: Document) -> str:
    """How a version is named: 2024年6月28日 (its date as written in Chinese), or 未注明日期."""
    return display_date(version_date(doc)) or "未注明日期"
