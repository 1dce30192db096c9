"""Whether a document answers to what a question names: its kind (as a hint), the meeting, an official name, its
title, a speaker. Predicates over a `Document`'s facets and a question's `Named`, for retrieval/answering/scope.py.

Kinds are hints, not filters: a speech at a work conference answers to 工作会议, any meeting's report or speech to
会议, a government work report to 工作报告 and 报告 (the document's `kinds`, found at index time). A document whose
kind was not found could be of any kind; one whose kind is known and different cannot be the one asked for.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.calendar import Family, find_names
from ..core.meetings import MeetingKey, meeting_key
from ..core.models import Document
from ..core.names import find_kind, named_years, whose_regions, words
from ..core.store import Index, bare

MIN_TITLE = (
    4  # characters a title keeps once its years, places and kind words are set aside, to be quoted by a question
)
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
def family_of(name: str) -> Family | None:
    """The family of an official name in its canonical form (党的十九大 -> congress)."""
    found = find_names(name)
    return found[0].family if found else None


def named_by(docs: list[Document], names: set[str]) -> list[Document]:
    """The documents going by one of these official names."""
    return [d for d in docs if not names.isdisjoint(d.facets.names)]


def of_families(docs: list[Document], families: set[Family]) -> list[Document]:
    """The documents going by an official name of one of these families (a series of congress reports)."""
    return [d for d in docs if any(family_of(n) in families for n in d.facets.names)]


def _distinctive_title(title: str) -> str:
    """A title's matching form without years, places, kind words and punctuation: what names this one document."""
    norm = bare(title)
    for y in named_years(norm):
        norm = norm.replace(f"{y}年", "")
    for m in reversed(whose_regions(norm)):
        norm = norm[: m.start] + norm[m.end :]
    for kind in words().kinds:
        norm = norm.replace(kind, "")
    return norm


def titled(index: Index, norm: str) -> list[Document]:
    """The documents whose title the question quotes (一大上北京共产主义组织的报告说…: 《北京共产主义组织的报告》), a
    title naming more than its year, place and kind (2025年北京市政府工作报告 is named by those, not by its title)."""
    question = re.sub(r"[\W_]+", "", norm)
    return [index.documents[doc_id] for title, doc_id in _titles(index) if title in question]


def _titles(index: Index) -> list[tuple[str, str]]:
    """The matching form of each distinctive title of the index, with its document's id, found once per snapshot:
    titles that name a kind of document (…的报告, …上的讲话), not an article's subject (尤金袋鼠, 义勇军进行曲),
    which a question names to ask about it, not to choose a document."""
    cached: dict[str, list[tuple[str, str]]] = index.__dict__.setdefault("_quotable_titles", {})
    if "all" not in cached:
        cached["all"] = [
            (t, d.id)
            for d in index.documents.values()
            if find_kind(d.title) and len(_distinctive_title(d.title)) >= MIN_TITLE
            if (t := bare(d.title))
        ]
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
