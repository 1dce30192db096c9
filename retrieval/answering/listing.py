"""The whole enumeration a list question asks for (retrieval/answering/enumerations.py finds them).

A question asking for items (有哪些, 哪几方面, 讲了哪三点意见, 提出了哪些要求) is answered with the whole enumeration
its best passages lead into, hold or belong to, in this order of evidence:
  1. the passage leads into it: it ends with a colon, announces items (林武对下一步医改工作提出要求。,
     我讲三点意见。) or stands right before them;
  2. the items run inside the passage (一是…二是…八是);
  3. the passage is one of its items;
  4. the passage lies in a section of a run of headings (the innermost).
Where the question or the lead-in gives a count (哪三点, 哪十个方面, 我讲三点意见), the enumeration of that many items
wins. Each item comes with its head, its own passage (for items inside one paragraph: its part of it) and where it
is; the lead-in is quoted first.
"""

from __future__ import annotations

import datetime as dt

from ..core.cite import reference, span_citation
from ..core.models import Chunk, Hit, Listing, ListItem
from ..core.store import Index
from .enumerations import Enumeration, announced, enumerations, leads_in, paragraphs_of

LIST_FROM = 3  # best passages looked at for the enumeration they introduce, hold or belong to


def listing_of(
    index: Index, hits: list[Hit], cited: dt.date, count: int | None = None, *, named: bool = False
) -> Listing | None:
    """The whole enumeration a list question's best passages introduce, hold or belong to, or None; with `count`
    (the question's 哪三点), one of that many items first. Where the best passages do not and the question names its
    items as lists go (`named`: 部署了哪些重点工作, not 哪些单位), a passage further down that answers it and leads into
    or holds an enumeration gives it (a meeting's tasks, run into one paragraph below its opening lines)."""
    for hit in hits[:LIST_FROM]:
        if not hit.answers:
            break
        chunks = index.chunks_of(hit.doc.id)
        found = enumeration_for(chunks, hit.chunk, count)
        if found is not None:
            return _listing(hit, chunks, found, cited)
    for hit in hits[LIST_FROM:] if named else []:
        if not hit.answers:
            break
        chunks = index.chunks_of(hit.doc.id)
        found = enumeration_for(chunks, hit.chunk, count, near_only=True)
        if found is not None:
            return _listing(hit, chunks, found, cited)
    return None


def enumeration_for(
    chunks: list[Chunk], chunk: Chunk, count: int | None = None, *, near_only: bool = False
) -> Enumeration | None:
    """The enumeration a passage leads into, holds or belongs to (see the module's order of evidence); with
    `near_only`, only one it leads into or holds."""
    found = enumerations(chunks)
    paragraph = chunk.paragraph
    text = next((p.text for p in paragraphs_of(chunks) if p.number == paragraph), chunk.text)
    led = [
        e for e in found if not e.inline and (e.intro_paragraph == paragraph or e.items[0].paragraph == paragraph + 1)
    ]
    held = [e for e in found if e.inline and e.first == paragraph]
    item_of = [e for e in found if not e.inline and not e.kind.startswith("heading") and e.holds(paragraph)]
    sections = sorted(
        (e for e in found if e.kind.startswith("heading") and e.holds(paragraph) and e.items[0].paragraph <= paragraph),
        key=lambda e: (e.last - e.first, -len(e.items)),
    )
    candidates = led + held + ([] if near_only else item_of + sections)
    wanted = count or (announced(text) if leads_in(text) else None)
    if wanted:
        exact = [e for e in candidates if len(e.items) == wanted]
        if exact:
            return exact[0]
    return candidates[0] if candidates else None


def _listing(hit: Hit, chunks: list[Chunk], found: Enumeration, cited: dt.date) -> Listing:
    by_id = {c.id: c for c in chunks}
    items = [
        ListItem(
            text=i.head,
            passage=i.text if i.text.strip() != i.head else None,
            chunk_id=i.chunk_id,
            paragraph=i.paragraph,
            citation=f"第{i.paragraph}段",
        )
        for i in found.items
    ]
    last = found.items[-1]
    return Listing(
        intro=found.intro,
        items=items,
        doc=hit.doc,
        citation=span_citation(hit.doc, by_id[found.items[0].chunk_id], found.first, last.paragraph),
        reference=reference(hit.doc, cited),
    )
