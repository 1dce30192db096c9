"""The whole enumeration a list question asks for (retrieval/answering/enumerations.py finds them).

A question asking for items (有哪些, 哪几方面, 讲了哪三点意见, 提出了哪些要求) is answered with the whole enumeration
its best passages lead into, hold or belong to, in this order of evidence:
  1. the passage leads into it: it ends with a colon, announces items (我讲三点意见。) or stands right before them
     (林武对下一步医改工作提出要求。); or closes it (以上十条…);
  2. it lies in a section whose heading says what the question asks, and the run is that section's;
  3. the items run inside the passage (一是…二是…八是);
  4. the passage is one of its items;
  5. the passage lies in a section of a run of headings (the innermost).
Where the question or the lead-in gives a count (哪三点, 哪十个方面, 我讲三点意见), the enumeration of that many items
wins. Each item comes with its head, its own passage (for items inside one paragraph: its part of it) and where it
is; the lead-in is quoted first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile
from typing import Literal

from ..core.cite import locator, reference, span_citation
from ..core.models import Chunk, Document, Hit, Listing, ListItem
from ..core.store import Index, bare
from ..core.text import normalize
from .enumerations import Enumeration, Paragraph, announced, enumerations, leads_in, paragraphs_of
from .query import Query

LIST_FROM = 3  # best passages looked at for the enumeration they introduce, hold or belong to


@dataclass(frozen=True)
class Wanted:
    """What a list question says of the list it wants, over one document."""

    count: int | None = None
    """How many items (哪三点, 八项重点工作), when it says."""
    several: bool = True
    """It asks for several things (哪些, 哪几方面), not for what may be one (提出了什么任务)."""
    relevance: Callable[[str], float] = lambda text: 0.0
    """How much of the question a text holds (its words that chose the document aside)."""


def listing_of(index: Index, query: Query, hits: list[Hit], cited: dt.date, *, named: bool = False) -> Listing | None:
    """The whole enumeration a list question's best passages lead into, close or hold (and where the question names
    its items as lists go, `named`: 部署了哪些重点工作, not 哪些单位, the passages further down too: a meeting's tasks
    run into one paragraph below its opening lines); else the one a best passage belongs to; or None. Of the
    question's count (哪三点) first."""

    read: dict[str, Lists] = {}  # each document's enumerations, found once for all its passages

    def lists_of(doc: Document) -> Lists:
        if doc.id not in read:
            read[doc.id] = Lists.of(index.chunks_of(doc.id))
        return read[doc.id]

    def wanted(doc: Document) -> Wanted:
        return Wanted(query.items_count, query.asks_several, _relevance(query, doc.title))

    answering = list(takewhile(lambda h: h.answers, hits))  # the passages down to the first that does not answer
    for hit in answering[:LIST_FROM]:  # one a best passage leads into, closes, holds or is an item of
        if (found := enumeration_for(lists_of(hit.doc), hit.chunk, wanted(hit.doc), reach="items")) is not None:
            return _listing(hit, lists_of(hit.doc).chunks, found, cited)
    further = []  # ones passages further down lead into, close or hold: the one most best passages lie in wins
    for rank, hit in enumerate(answering[LIST_FROM:] if named else []):
        if (found := enumeration_for(lists_of(hit.doc), hit.chunk, wanted(hit.doc), reach="near")) is not None:
            inside = sum(h.doc.id == hit.doc.id and found.holds(h.chunk.paragraph) for h in hits)
            further.append((-inside, rank, hit, found))
    if further:
        _, _, hit, found = min(further, key=lambda f: f[:2])
        return _listing(hit, lists_of(hit.doc).chunks, found, cited)
    for hit in answering[:LIST_FROM]:  # else the run of sections a best passage lies in
        if (found := enumeration_for(lists_of(hit.doc), hit.chunk, wanted(hit.doc))) is not None:
            return _listing(hit, lists_of(hit.doc).chunks, found, cited)
    return None


def _relevance(query: Query, title: str) -> Callable[[str], float]:
    """How much of the question a text holds, by weight, leaving out the words that chose the document (its
    official name, its title): they tell none of its sections from another."""
    named = bare(title)
    asked = [t for t in query.topics if t not in query.scope_words and t not in named]
    total = sum(query.weight(t) for t in asked)

    def relevance(text: str) -> float:
        held = bare(text)
        return sum(query.weight(t) for t in asked if t in held) / total if total else 0.0

    return relevance


Reach = Literal["near", "items", "sections"]


@dataclass(frozen=True)
class Lists:
    """A document read for its lists: its chunks, its paragraphs by number and its enumerations."""

    chunks: list[Chunk]
    paragraphs: dict[int, Paragraph]
    found: list[Enumeration]

    @classmethod
    def of(cls, chunks: list[Chunk]) -> Lists:
        return cls(chunks, {p.number: p for p in paragraphs_of(chunks)}, enumerations(chunks))


def enumeration_for(
    lists: Lists, chunk: Chunk, wanted: Wanted = Wanted(), *, reach: Reach = "sections"
) -> Enumeration | None:
    """The enumeration a passage leads into, closes, holds or belongs to (see the module's order of evidence), as
    far as `reach`: "near", one it leads into, closes or holds, or whose section's heading says what the question
    asks (对政治体制改革提出了哪几项措施: the (一)…(七) under 五、关于政治体制改革, when the passage lies in that
    section); "items", or one it is an item of; "sections", or a run of headings it lies under (the document's own
    top sections last, unless a lead-in announces them)."""
    found = lists.found
    paragraph = chunk.paragraph
    text = lists.paragraphs[paragraph].text if paragraph in lists.paragraphs else chunk.text
    led = [e for e in found if not e.inline and paragraph in (e.intro_paragraph, e.items[0].paragraph - 1)]
    closed = [e for e in found if not e.inline and e.items[-1].paragraph == paragraph - 1 and _closes(text)]
    held = [e for e in found if e.inline and e.first == paragraph]
    titled = _titled(found, lists.chunks, paragraph, wanted.relevance)
    item_of = [
        e
        for e in found
        if not e.inline
        and not e.kind.startswith("heading")
        and e.holds(paragraph)
        # one of its items; or a passage under one, when the question asks for several things or what leads into
        # the list says what it asks (not 做好解放台湾的准备 under 第六,一定要强化人民的国家机器, asked 对台湾问题提出了
        # 什么任务)
        and (wanted.several or e.item_at(paragraph) or wanted.relevance(e.intro or "") >= TITLED)
    ]
    sections = sorted(
        (e for e in found if e.kind.startswith("heading") and e.holds(paragraph) and e.items[0].paragraph <= paragraph),
        key=lambda e: (e.last - e.first, -len(e.items)),
    )
    if reach != "sections":  # the document's own top sections wait until no other enumeration answers
        led = [e for e in led if not e.top or e.intro]
    sections.sort(key=lambda e: e.top)
    candidates = led + closed + titled + held
    candidates += (item_of if reach != "near" else []) + (sections if reach == "sections" else [])
    want = wanted.count or (announced(text) if leads_in(text) or _closes(text) else None)
    if want:
        exact = [e for e in candidates if len(e.items) == want]
        if exact:
            return exact[0]
    return candidates[0] if candidates else None


def _closes(text: str) -> bool:
    """A paragraph summing up the items before it: 以上十条…, 上述…"""
    return normalize(text).startswith(("以上", "上述", "这几条", "这些"))


TITLED = 0.5  # share of the question a section's heading holds for its run of items to answer it


def _titled(
    found: list[Enumeration], chunks: list[Chunk], paragraph: int, relevance: Callable[[str], float]
) -> list[Enumeration]:
    """Runs in the passage's own section whose section heading or lead-in holds most of the question (the (一)…(七)
    under 五、关于政治体制改革; 进行基础设施建设,首先要…其次…), the best-held first."""
    by_id = {c.id: c for c in chunks}
    here = next((c.headings for c in chunks if c.paragraph == paragraph), [])
    scored = []
    for e in found:
        first = by_id[e.items[0].chunk_id]
        parents = first.headings[:-1] if e.kind.startswith("heading") else first.headings
        if parents and parents[-1] not in here or not parents and here:
            continue
        near = e.holds(paragraph) or paragraph == e.intro_paragraph  # a lead-in speaks for its own run only
        score = max(relevance(parents[-1]) if parents else 0.0, relevance(e.intro) if e.intro and near else 0.0)
        if score >= TITLED:
            scored.append((-score, e.first, e))
    return [e for _, _, e in sorted(scored, key=lambda x: (x[0], x[1]))]


def _listing(hit: Hit, chunks: list[Chunk], found: Enumeration, cited: dt.date) -> Listing:
    by_id = {c.id: c for c in chunks}
    items = [
        ListItem(
            text=i.head,
            passage=i.text if i.text.strip() != i.head else None,
            chunk_id=i.chunk_id,
            paragraph=i.paragraph,
            citation=locator(by_id[i.chunk_id]) if by_id[i.chunk_id].article else f"第{i.paragraph}段",
        )
        for i in found.items
    ]
    last = found.items[-1]
    return Listing(
        intro=found.intro,
        items=items,
        doc=hit.doc,
        citation=span_citation(
            hit.doc, by_id[found.items[0].chunk_id], found.first, last.paragraph, by_id[last.chunk_id]
        ),
        reference=reference(hit.doc, cited),
    )
