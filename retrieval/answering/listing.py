"""Enumerations in a document, and the whole one a list question asks for.

Policy documents list what they plan and what they did: headings of one level under one parent (一、… / (一)…),
paragraphs opening 一是…, 第一…, 1. …, a lead-in ending in a colon (重点做好9个方面工作:) before them. A
question asking for items (有哪些, 哪几方面, 主要任务, 取得了哪些成绩) whose best passage introduces or belongs to
such an enumeration is answered with all of it: the lead-in, then each item's head (its heading, or its first
sentence) in the document's order, each with its paragraph, however many paragraphs and chunks the items span.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..core.cite import reference, short_citation
from ..core.hanzi import COUNT, cn_number
from ..core.models import Chunk, Hit, Listing, ListItem
from ..core.store import Index
from ..core.text import normalize

MAX_HEAD = 60  # characters of an item's head: its heading, or its first sentence cut here
MIN_ITEMS = 2
# Markers opening an item, on the normalized text (full-width brackets are folded to half-width)
MARKERS = {
    "section": re.compile(rf"^({COUNT}{{1,3}})、"),
    "bracket": re.compile(rf"^\(({COUNT}{{1,3}})\)"),
    "number": re.compile(r"^(\d{1,2})[.、](?!\d)"),
    "ordinal": re.compile(rf"^第({COUNT}{{1,3}})[,、是:]"),
    "shi": re.compile(rf"^({COUNT}{{1,3}})是"),
}
_HEAD_END = re.compile(r"[。!?;:]")
_CLAUSE_END = re.compile(r"[,;。:!?]")
LONG_HEAD = 40  # a first sentence longer than this is cut at its first clause ...
MIN_CLAUSE = 6  # ... of at least this many characters


@dataclass(frozen=True)
class Item:
    """One item of an enumeration: its head as written, the chunk and paragraph it opens."""

    head: str
    chunk_id: int
    paragraph: int


@dataclass(frozen=True)
class Enumeration:
    """Items of one kind numbered 1, 2, 3… in one document, and the paragraph leading into them, if any."""

    kind: str
    items: tuple[Item, ...]
    intro: Chunk | None
    first: int
    """The paragraph the enumeration starts at: its lead-in's, or its first item's."""
    last: int
    """The last paragraph belonging to it: up to the next enumeration of its kind or of a higher one."""

    def holds(self, paragraph: int) -> bool:
        return self.first <= paragraph <= self.last


def _marker(text: str) -> tuple[str, int] | None:
    norm = normalize(text[:12])
    for kind, pattern in MARKERS.items():
        m = pattern.match(norm)
        if m:
            number = m.group(1)
            return kind, int(number) if number.isdigit() else cn_number(number)
    return None


def head_of(text: str) -> str:
    """An item's head: its first sentence, or when that is long its first clause, at most MAX_HEAD characters.

    >>> head_of("一是统筹落实中央关于中医药的重大决策和服务区域协调发展战略,健全跨部门协调机制和专项调度机制,推进实施")
    '一是统筹落实中央关于中医药的重大决策和服务区域协调发展战略,'
    """
    norm = normalize(text)
    m = _HEAD_END.search(norm)
    end = m.end() if m else len(text)
    if end > LONG_HEAD and (clause := _CLAUSE_END.search(norm, MIN_CLAUSE)):
        end = clause.end()
    head = text[:end] if end <= MAX_HEAD else text[:MAX_HEAD] + "……"
    return head.strip()


def enumerations(chunks: list[Chunk]) -> list[Enumeration]:
    """The enumerations of one document's chunks (in order): runs of items of one kind numbered from 1.

    An item is a heading (the innermost heading of the chunks under it), or a paragraph opening with a marker.
    """
    marks: list[tuple[str, int, Item, int]] = []  # kind, number, item, index of its chunk
    seen_headings: set[str] = set()
    for i, c in enumerate(chunks):
        if c.headings and c.headings[-1] not in seen_headings:
            seen_headings.add(c.headings[-1])
            found = _marker(c.headings[-1])
            if found:
                marks.append((f"heading-{found[0]}", found[1], Item(c.headings[-1], c.id, c.paragraph), i))
        if c.part <= 1:
            found = _marker(c.text)
            if found:
                marks.append((found[0], found[1], Item(head_of(c.text), c.id, c.paragraph), i))
    runs: dict[str, list[tuple[list[Item], int]]] = {}
    open_run: dict[str, tuple[list[Item], int]] = {}
    for kind, number, item, at in marks:
        run = open_run.get(kind)
        if run is not None and number == len(run[0]) + 1:
            run[0].append(item)
        elif number == 1:
            open_run[kind] = ([item], at)
            runs.setdefault(kind, []).append(open_run[kind])
        else:
            open_run.pop(kind, None)
    out: list[Enumeration] = []
    for kind, kind_runs in runs.items():
        starts = sorted(items[0].paragraph for items, _ in kind_runs)
        for items, at in kind_runs:
            if len(items) < MIN_ITEMS:
                continue
            intro = chunks[at - 1] if at > 0 and _leads_in(chunks[at - 1]) else None
            later = [p for p in starts if p > items[-1].paragraph]
            last = (later[0] - 1) if later else chunks[-1].paragraph
            out.append(Enumeration(kind, tuple(items), intro, intro.paragraph if intro else items[0].paragraph, last))
    return sorted(out, key=lambda e: (e.first, -len(e.items)))


def _leads_in(chunk: Chunk) -> bool:
    """A paragraph leading into a list: it ends with a colon (主要做了以下工作:) or announces items (以下, 几个方面)."""
    norm = normalize(chunk.text).rstrip()
    return norm.endswith(":") or "以下" in norm[-20:] or "方面" in norm[-12:]


def enumeration_for(chunks: list[Chunk], chunk: Chunk) -> Enumeration | None:
    """The enumeration a passage introduces or belongs to: the one it leads into, else the innermost holding it."""
    found = enumerations(chunks)
    for e in found:  # the paragraph right before the items leads into them, with a colon or without
        if (e.intro is not None and e.intro.id == chunk.id) or chunk.paragraph == e.items[0].paragraph - 1:
            return e
    holding = [e for e in found if e.holds(chunk.paragraph) and e.items[0].paragraph <= chunk.paragraph]
    if not holding:
        return None
    return min(holding, key=lambda e: (e.last - e.first, -len(e.items)))


LIST_FROM = 3  # best passages looked at for the enumeration they introduce or belong to


def listing_of(index: Index, hits: list[Hit], cited: dt.date) -> Listing | None:
    """The whole enumeration a list question's best passages introduce or belong to, or None."""
    for hit in hits[:LIST_FROM]:
        if not hit.answers:
            break
        chunks = index.chunks_of(hit.doc.id)
        found = enumeration_for(chunks, hit.chunk)
        if found is None:
            continue
        by_id = {c.id: c for c in chunks}
        items = [
            ListItem(text=i.head, chunk_id=i.chunk_id, paragraph=i.paragraph, citation=f"第{i.paragraph}段")
            for i in found.items
        ]
        span = f"第{found.first}–{found.items[-1].paragraph}段"
        return Listing(
            intro=found.intro.text if found.intro else None,
            items=items,
            doc=hit.doc,
            citation=short_citation(hit.doc, by_id[found.items[0].chunk_id]).rsplit(" · ", 1)[0] + f" · {span}",
            reference=reference(hit.doc, cited),
        )
    return None
