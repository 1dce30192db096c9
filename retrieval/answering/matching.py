"""Whether a document answers to what a question names: its kind (as a hint), the meeting, an official name, its
title, a speaker. Predicates over a `Document`'s facets and a question's `Named`, for retrieval/answering/scope.py.

Kinds are hints, not filters: a speech at a work conference answers to 工作会议, any meeting's report or speech to
会议, a government work report to 工作报告 and 报告 (the document's `kinds`, found at index time). A document whose
kind was not found could be of any kind; one whose kind is known and different cannot be the one asked for.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.calendar import Family, OfficialName, find_names
from ..core.meetings import MeetingKey, meeting_key
from ..core.models import Document
from ..core.store import Index, bare

MIN_SPEAKER = 2  # characters of a speaker's name found in a question (林武, 副市长)


def kind_fits(doc: Document, kind: str) -> bool:
    """The document is of that kind, or of one that kind covers (会议 covers a speech at a work conference)."""
    f = doc.facets
    if f.kinds:
        return kind in f.kinds
    return bool(f.kind) and (kind in (f.kind or "") or (f.kind or "") in kind)


@lru_cache(maxsize=4096)
def _key(meeting: str) -> MeetingKey:
    return meeting_key(meeting)


def meeting_fits(doc: Document, key: MeetingKey) -> bool:
    """The document is of or was given at the meeting a question names (perhaps by a shorter name)."""
    return doc.facets.meeting is not None and _key(doc.facets.meeting).matches(key)


def held_elsewhere(docs: list[Document], key: MeetingKey) -> list[Document]:
    """The documents of a meeting of that name at another level or in another region (the 医改会议 of 山西, when the
    question names 江苏's): evidence that the corpus keeps such meetings, but not the one named."""
    other = MeetingKey(None, key.core)
    return [d for d in docs if d.facets.meeting is not None and _key(d.facets.meeting).matches(other)]


@lru_cache(maxsize=4096)
def parsed(name: str) -> OfficialName | None:
    """An official name in its canonical form, read back (党的十九大, 广东省十四届人大三次会议)."""
    found = find_names(name)
    return found[0] if found else None


def family_of(name: str) -> Family | None:
    """The family of an official name in its canonical form (党的十九大 -> congress)."""
    found = parsed(name)
    return found.family if found else None


def named_by(docs: list[Document], names: tuple[OfficialName, ...]) -> list[Document]:
    """The documents going by one of these official names (自治区十四届人大三次会议: 广西壮族自治区's)."""
    return [d for d in docs if any((p := parsed(n)) and a.fits(p) for a in names for n in d.facets.names)]


def of_series(docs: list[Document], names: tuple[OfficialName, ...]) -> list[Document]:
    """The documents going by an official name of the same series as one of these (a series of congress reports,
    a province's people's congress sessions)."""
    return [d for d in docs if any((p := parsed(n)) and a.same_series(p) for a in names for n in d.facets.names)]


def _titles(index: Index) -> list[tuple[str, str]]:
    """The matching form of each title of the index that names one document (it has forms a question may name it
    by: core/titles.py), with its document's id, found once per snapshot."""
    cached: dict[str, list[tuple[str, str]]] = index.__dict__.setdefault("_quotable_titles", {})
    if "all" not in cached:
        cached["all"] = [(t, d.id) for d in index.documents.values() if d.facets.titles if (t := bare(d.title))]
    return cached["all"]


TITLE_SHARE = 0.5  # of a title's character pairs a question holds, to name that document in other words


def titled_in_part(index: Index, norm: str) -> list[Document]:
    """The documents a question names by most of their title in its own words (北京共产主义小组汇报说…: 《北京共产主义
    组织的报告》), best first: evidence against saying the corpus lacks what the question names."""
    question = re.sub(r"[\W_]+", "", norm)
    pairs = {question[i : i + 2] for i in range(len(question) - 1)}
    scored = []
    for title, doc_id in _titles(index):
        own = {title[i : i + 2] for i in range(len(title) - 1)}
        share = len(own & pairs) / len(own) if own else 0.0
        if share >= TITLE_SHARE:
            scored.append((-share, doc_id))
    return [index.documents[doc_id] for _, doc_id in sorted(scored)]


def spoken_by(docs: list[Document], norm: str) -> list[Document]:
    """The documents in which someone the question names speaks (林武对医改提出了哪些要求, 副市长讲了几点意见)."""
    return [d for d in docs if any(len(s) >= MIN_SPEAKER and s in norm for s in d.facets.speakers)]
