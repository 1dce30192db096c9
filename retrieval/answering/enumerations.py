"""Enumerations in a document, in every form officials write them.

- Across paragraphs: headings of one level under one parent (一、… / (一)…), paragraphs opening 一是…, 一要…, 第一…,
  1. …, 首先…其次…再次…最后/此外, or a dash (——中国式现代化是…).
- Inside one paragraph: 一是…二是…八是, 第一,…第二,…, 一要…二要…, 首先…其次…, (一)…(二)… run in: each item is the
  part of the paragraph from its marker to the next.
- A document's own outline (目录/提纲, kept where the text is cut short) continuing its sections' numbering.

Items are numbered from 1 in their document's order (a sequence 首先, 其次, 再次, 最后 counts 1, 2, 3, 4; dashes by
place). Everything works on paragraphs: the parts a long paragraph was chunked into are joined back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.hanzi import COUNT, cn_number
from ..core.models import Chunk
from ..core.text import normalize, normalize_with_offsets

MAX_HEAD = 60  # characters of an item's head: its heading, or its first sentence cut here
MIN_ITEMS = 2
LONG_HEAD = 40  # a first sentence longer than this is cut at its first clause ...
MIN_CLAUSE = 6  # ... of at least this many characters
_HEAD_END = re.compile(r"[。!?;:]")
_CLAUSE_END = re.compile(r"[,;。:!?]")
_N = rf"({COUNT}{{1,3}})"
_THEN = "首先|其次|再次|然后|最后|此外|另外"  # a sequence counts 1, 2, 3…: 首先 may open a 一是… or a 第N… run too
# Markers opening a paragraph (normalized text: full-width brackets and digits folded)
OPENERS = {
    "section": re.compile(rf"^{_N}、"),
    "bracket": re.compile(rf"^\({_N}\)"),
    "number": re.compile(r"^(\d{1,2})[.、](?!\d)"),
    "ordinal": re.compile(rf"^(?:第{_N}[,、是:]|({_THEN})(?:[,:]|(?=要)))"),
    "shi": re.compile(rf"^(?:{_N}是|(首先)(?=要|,))"),
    "yao": re.compile(rf"^(?:{_N}要(?!求)|(首先)(?=要))"),
    "dash": re.compile(r"^(——|—|--)(?=\S)"),
}
_BOUNDARY = r"(?:^|(?<=[。;:!?]))"  # an item inside a paragraph starts a sentence (or a clause after a colon)
INLINE = {
    "shi": re.compile(rf"(?:^|(?<=[。;:!?,]))\s*(?:{_N}是|(首先)(?=要|,))"),  # 三件大事:一是…,二是…,三是…
    "yao": re.compile(rf"(?:^|(?<=[。;:!?,]))\s*(?:{_N}要(?!求)|(首先)(?=要))"),
    "ordinal": re.compile(rf"(?:^|(?<=[。;:!?,]))\s*(?:第{_N}[,、:]|({_THEN})(?:[,:]|(?=要)))"),
    "bracket": re.compile(rf"{_BOUNDARY}\s*\({_N}\)"),
    "number": re.compile(r"(?:^|(?<=[。;:!?\s]))(\d{1,2})[.、](?!\d)"),
}
# What a paragraph holding two items or more must hold: the marker of its second item (二是, 二要, 第二, 其次, (二),
# 2.; 然后, 最后, 此外, 另外 after 首先); most paragraphs hold none and need no pass of the patterns above
_SECOND = re.compile(r"二[是要]|第二|其次|然后|最后|此外|另外|\(二\)|2[.、]")
_SEQUENCE = {"首先": 1, "其次": 2, "再次": 3}  # 然后, 最后, 此外, 另外: the next number of an open run
_HEADING_KINDS = ("section", "bracket", "number")


@dataclass(frozen=True)
class Item:
    """One item of an enumeration: its head as written (its heading, or its first sentence), its own text (the
    paragraph it opens, or its part of one), the chunk and paragraph it begins in."""

    head: str
    text: str
    chunk_id: int
    paragraph: int


@dataclass(frozen=True)
class Enumeration:
    """Items of one kind numbered 1, 2, 3… in one document, and what leads into them, if anything."""

    kind: str
    items: tuple[Item, ...]
    intro: str | None
    """The words leading into the items: the paragraph before them, or the start of their paragraph."""
    intro_paragraph: int | None
    first: int
    """The paragraph the enumeration starts at: its lead-in's, or its first item's."""
    last: int
    """The last paragraph belonging to it: its last item's (a heading's: up to the next heading of its level)."""
    inline: bool = False
    top: bool = False
    """Its items are the document's own top sections (一、…, under no heading): the outline of the whole text."""

    def holds(self, paragraph: int) -> bool:
        return self.first <= paragraph <= self.last

    def item_at(self, paragraph: int) -> bool:
        """One of its items begins in the paragraph."""
        return any(i.paragraph == paragraph for i in self.items)


@dataclass
class Paragraph:
    """A paragraph of the document, its chunks joined: where each chunk's text starts in it."""

    number: int
    text: str
    chunks: list[Chunk]
    starts: list[int]

    def chunk_at(self, offset: int) -> Chunk:
        """The chunk holding the character at `offset` of the paragraph's text."""
        at = max(i for i, s in enumerate(self.starts) if s <= offset)
        return self.chunks[at]


def paragraphs_of(chunks: list[Chunk]) -> list[Paragraph]:
    """The document's paragraphs in order, the parts of a long one joined back."""
    out: list[Paragraph] = []
    for c in chunks:
        if out and out[-1].number == c.paragraph:
            out[-1].starts.append(len(out[-1].text))
            out[-1].chunks.append(c)
            out[-1].text += c.text
        else:
            out.append(Paragraph(c.paragraph, c.text, [c], [0]))
    return out


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


def _number(word: str, previous: int) -> int:
    if word in _SEQUENCE:
        return _SEQUENCE[word]
    if word in _THEN.split("|"):  # 然后, 最后, 此外: the next item of an open run; they open none
        return previous + 1 if previous else 0
    return int(word) if word.isdigit() else cn_number(word)


def _word(m: re.Match[str]) -> str:
    """The number word a marker matched (一, 第三's 三, 首先), whichever group holds it."""
    return next(g for g in m.groups() if g)


def enumerations(chunks: list[Chunk]) -> list[Enumeration]:
    """The enumerations of one document's chunks (in order): runs of items numbered from 1, across paragraphs,
    inside one, and in the outline continuing the sections."""
    paragraphs = paragraphs_of(chunks)
    found = _across(chunks, paragraphs) + [e for p in paragraphs if (e := inline_enumeration(p)) is not None]
    return sorted(found, key=lambda e: (e.first, -len(e.items)))


def _across(chunks: list[Chunk], paragraphs: list[Paragraph]) -> list[Enumeration]:
    """Runs of headings or of paragraphs opening with a marker."""
    marks: list[tuple[str, int, Item, bool]] = []  # kind, number, item, from the outline
    seen_headings: set[str] = set()
    previous: dict[str, int] = {}
    for p in paragraphs:
        first = p.chunks[0]
        if first.headings and first.headings[-1] not in seen_headings:
            heading = first.headings[-1]
            seen_headings.add(heading)
            if (m := _opener(heading, _HEADING_KINDS)) is not None:
                kind, word = m
                item = Item(heading, p.text, first.id, p.number)
                marks.append((f"heading-{kind}", _number(word, 0), item, False))
        if first.kind == "outline":  # the sections a cut-short text lists but does not hold
            for line in p.text.split("\n"):
                if (m := _opener(line, _HEADING_KINDS)) is not None:
                    kind, word = m
                    item = Item(line.strip(), line, first.id, p.number)
                    marks.append((f"heading-{kind}", _number(word, 0), item, True))
            continue
        if (m := _opener(p.text, tuple(OPENERS))) is not None:
            kind, word = m
            number = _number(word, previous.get(kind, 0)) if kind != "dash" else previous.get(kind, 0) + 1
            previous[kind] = number
            marks.append((kind, number, Item(head_of(p.text), p.text, first.id, p.number), False))
        else:
            previous.pop("dash", None)  # dashes run in consecutive paragraphs
    runs: dict[str, list[list[Item]]] = {}
    open_run: dict[str, list[Item]] = {}
    for kind, number, item, outlined in marks:
        base = open_run.get(kind.removeprefix("heading-")) if kind.startswith("heading-") else None
        if base is not None and number == len(base) + 1 and base[-1].paragraph == item.paragraph - 1:
            # a list's last item, ending without its semicolon, read as a heading: (四、…;) 五、…。
            base.append(Item(item.head, item.head, item.chunk_id, item.paragraph))
        run = open_run.get(kind)
        # an outline is itself an excerpt: it may skip items ((五) then (八)) without ending its run
        if run is not None and (number == len(run) + 1 or (outlined and number > len(run))):
            run.append(item)
        elif number == 1:
            open_run[kind] = [item]
            runs.setdefault(kind, []).append(open_run[kind])
        else:
            open_run.pop(kind, None)
    by_paragraph = {p.number: p for p in paragraphs}
    out: list[Enumeration] = []
    last_paragraph = paragraphs[-1].number if paragraphs else 0
    # where sections begin (一、…): a run of lower headings ends with its section
    sections = {
        i.paragraph for kind, kind_runs in runs.items() if kind.endswith("section") for r in kind_runs for i in r
    }
    for kind, kind_runs in runs.items():
        starts = sorted(items[0].paragraph for items in kind_runs)
        for items in kind_runs:
            if len(items) < MIN_ITEMS:
                continue
            before = by_paragraph.get(items[0].paragraph - 1)
            intro = before if before is not None and leads_in(before.text) else None
            if kind.startswith("heading") or kind in _HEADING_KINDS and all(_runs_on(i) for i in items):
                # an item runs on to the next heading, or to the next item
                higher = sections if not kind.endswith("section") else set()
                later = [s for s in (*starts, *higher) if s > items[-1].paragraph]
                last = (min(later) - 1) if later else last_paragraph
            else:  # 一是…, 第一…, 首先…, ——: an item is its paragraph
                last = items[-1].paragraph
            first = by_paragraph[items[0].paragraph].chunks[0]
            depth = len(first.headings) - (1 if kind.startswith("heading") else 0)
            out.append(
                Enumeration(
                    kind,
                    tuple(items),
                    intro.text if intro else None,
                    intro.number if intro else None,
                    intro.number if intro else items[0].paragraph,
                    last,
                    top=kind.endswith("section") and depth == 0,
                )
            )
    return out


def _runs_on(item: Item) -> bool:
    """An item the paragraphs after it continue ((一)进一步巩固…。千方百计…, then more under it), not a clause of a
    list run over paragraphs (一、继续保持财政收支的平衡;)."""
    return not normalize(item.text).rstrip().endswith((";", ","))


def _opener(text: str, kinds: tuple[str, ...]) -> tuple[str, str] | None:
    norm = normalize(text[:12])
    for kind in kinds:
        m = OPENERS[kind].match(norm)
        if m:
            return kind, _word(m)
    return None


def inline_enumeration(p: Paragraph) -> Enumeration | None:
    """The items run into one paragraph (一是…二是…八是, 首先…其次…), the longest run numbered from 1; None when it has
    fewer than two. Each item's text is its part of the paragraph; the words before the first are its lead-in."""
    norm, origin = normalize_with_offsets(p.text)
    if not _SECOND.search(norm):
        return None
    best: tuple[str, list[tuple[int, int]]] | None = None  # kind, [(number, start in norm)]
    for kind, pattern in INLINE.items():
        marks: list[tuple[int, int]] = []
        for m in pattern.finditer(norm):
            number = _number(_word(m), marks[-1][0] if marks else 0)
            at = m.end() - len(m.group(0).lstrip())  # the marker itself, white space before it aside
            if number == len(marks) + 1:
                marks.append((number, at))
            elif number == 1 and not marks:
                marks = [(1, at)]
        if len(marks) >= MIN_ITEMS and (best is None or len(marks) > len(best[1])):
            best = (kind, marks)
    if best is None or (best[0] == "number" and best[1][0][1] == 0 and len(best[1]) < 3):
        return None
    kind, marks = best
    starts = [origin[at] if at < len(origin) else len(p.text) for _, at in marks]
    items = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(p.text)
        text = p.text[start:end].strip()
        items.append(Item(head_of(text), text, p.chunk_at(start).id, p.number))
    intro = p.text[: starts[0]].strip() or None
    return Enumeration(f"inline-{kind}", tuple(items), intro, p.number if intro else None, p.number, p.number, True)


_ANNOUNCE = re.compile(rf"({COUNT}{{1,3}}|两|\d{{1,2}})(?:个|大|条|项|点|件)?(?:方面|点|项|条|件|个|大)")
MAX_LEAD_SENTENCE = 40  # characters of a lead-in's last sentence that announces what follows without a colon


def leads_in(text: str) -> bool:
    """A paragraph leading into a list: it ends with a colon (主要做了以下工作:), or its last, short sentence
    announces items (根据会议安排,我讲三点意见。, 重点抓好以下十个方面的工作。). (One right before the items leads into
    them whatever it says: 林武对下一步医改工作提出要求。)"""
    norm = normalize(text).rstrip()
    if norm.endswith(":") or "以下" in norm[-20:] or "方面" in norm[-12:]:
        return True
    last = re.split(r"(?<=[。!?;])", norm.rstrip("。!?;"))[-1]
    return len(last) <= MAX_LEAD_SENTENCE and announced(last) is not None


def announced(text: str) -> int | None:
    """The number of items a text announces: 我讲三点意见 -> 3, 重点抓好以下十个方面的工作 -> 10."""
    m = _ANNOUNCE.search(normalize(text))
    if m is None:
        return None
    word = m.group(1)
    return 2 if word == "两" else (int(word) if word.isdigit() else cn_number(word))
