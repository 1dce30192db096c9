"""Answers as Telegram HTML: passages in <blockquote>, matched terms in <b>, a citation under each passage.

Every piece of corpus and user text is escaped; markup is added around already-escaped pieces, so a
trim never cuts inside a tag or an entity. Telegram counts at most 4096 characters of text (in UTF-16
code units, after entities are parsed); `fit` keeps every message within that.
"""

from __future__ import annotations

from html import escape

from retrieval import (
    Answer,
    Comparison,
    Listing,
    Passage,
    QuoteSource,
    Row,
    Span,
    asked_as_line,
    comparison_heading,
    coverage_note,
    highlight,
    item_line,
    listing_heading,
    missing_line,
    normalize,
    row_line,
    trim_around_best,
)

MAX_TEXT = 4096
EXPANDABLE_OVER = 250  # passages longer than this are quoted collapsed, a tap away
SEPARATOR = "\n\n"
LISTING_RESERVE = 700  # room kept under a listed enumeration for the best passage and its citation
RELATED_LABEL = "以下是其他文件中的相关段落,不是所问文件的内容:"
OWN_PARTS_LABEL = "以下是所问文件中的相关条文:"  # an article or 款 it lacks: its other articles are shown


def related_label(ans: Answer) -> str:
    """What the passages under a missing document, version or part are: another document's, or, where only the
    article or 款 asked is missing, the named document's own other articles (a note must not contradict them)."""
    return OWN_PARTS_LABEL if ans.coverage is not None and "article" in ans.coverage.missing else RELATED_LABEL


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def marked(text: str, spans: list[Span]) -> tuple[str, int]:
    """HTML of `text` with spans in <b>, and the length of its visible text (UTF-16 units)."""
    out, pos = [], 0
    for s in spans:
        out += [escape(text[pos : s.start], quote=False), "<b>", escape(text[s.start : s.end], quote=False), "</b>"]
        pos = s.end
    out.append(escape(text[pos:], quote=False))
    return "".join(out), utf16_len(text)


class Message:
    """An HTML message built from blocks, tracking the visible length as it grows."""

    def __init__(self, reserve: int = 0) -> None:
        self.blocks: list[tuple[str, int]] = []
        self.reserve = reserve  # room kept for a last block added after the rest is laid out

    @property
    def length(self) -> int:
        return sum(n for _, n in self.blocks) + utf16_len(SEPARATOR) * max(0, len(self.blocks) - 1)

    def room(self) -> int:
        return MAX_TEXT - self.reserve - self.length - (utf16_len(SEPARATOR) if self.blocks else 0)

    def add(self, html: str, visible: int) -> bool:
        if visible > self.room():
            return False
        self.blocks.append((html, visible))
        return True

    def add_text(self, text: str, *, bold: bool = False, italic: bool = False) -> bool:
        html = escape(text, quote=False)
        if bold:
            html = f"<b>{html}</b>"
        if italic:
            html = f"<i>{html}</i>"
        return self.add(html, utf16_len(text))

    def html(self) -> str:
        return SEPARATOR.join(h for h, _ in self.blocks)


def passage_block(
    p: Passage, number: int | None = None, text: str | None = None, spans: list[Span] | None = None
) -> tuple[str, int]:
    """A quoted passage with its citation line under it."""
    body, visible = marked(text if text is not None else p.text, p.highlights if spans is None else spans)
    tag = "blockquote expandable" if len(text or p.text) > EXPANDABLE_OVER else "blockquote"
    label = f"[{number}] " if number is not None else ""
    cite = f"{label}—— {p.citation}" + (" · 节选段落" if p.trimmed else "")
    html = f"<{tag}>{body}</blockquote>\n{escape(cite, quote=False)}"
    return html, visible + 1 + utf16_len(cite)


def add_passage(msg: Message, p: Passage, number: int | None = None) -> bool:
    """Add a passage, trimmed to whole sentences around its best part when the message is nearly full."""
    html, visible = passage_block(p, number)
    if msg.add(html, visible):
        return True
    cite_room = utf16_len(p.citation) + 20
    room = msg.room() - cite_room
    if room < 80:
        return False
    # the marked words, in the matching form (a traditional passage marks 醫防結合, matched as 医防结合)
    terms = {normalize(p.text[s.start : s.end]): 1.0 for s in p.highlights}
    text = trim_around_best(p.text, terms, room)
    trimmed = p.model_copy(update={"trimmed": True})
    html, visible = passage_block(trimmed, number, text, highlight(text, list(terms)))
    return msg.add(html, visible)


def render_answer(ans: Answer, *, short: bool = False) -> str:
    """The answer as one Telegram HTML message; `short` (groups): the lead and the best passage only."""
    msg = Message()
    if asked := asked_as_line(ans):
        msg.add_text(asked, italic=True)
    note = coverage_note(ans.coverage)
    if note:
        msg.add_text(note, bold=True)
    if ans.status == "not_covered":
        if ans.related:
            msg.add_text(related_label(ans), italic=True)
        for i, p in enumerate(ans.related[:1] if short else ans.related, start=1):
            if not add_passage(msg, p, None if short else i):
                break
        return msg.html()
    if ans.status == "none":
        msg.add_text("语料中没有找到与这个问题相关的内容。")
        if ans.suggestions:
            lines = "\n".join(f"• {t}" for t in ans.suggestions)
            msg.add(f"可以试试这些主题:\n{escape(lines, quote=False)}", utf16_len("可以试试这些主题:\n" + lines))
        return msg.html()
    listed = ans.listing is not None and add_listing(msg, ans.listing)
    if ans.status == "weak" and not (ans.coverage and ans.coverage.outside):
        msg.add_text("未找到直接答案,以下段落可能相关:", bold=True)
    elif ans.lead and not listed:  # a list's answer is its items
        lead, visible = marked(ans.lead.text, ans.lead.highlights)
        cite = f"—— {ans.lead.citation}"
        msg.add(f"<b>答:</b>“{lead}”\n<i>{escape(cite, quote=False)}</i>", 3 + visible + 1 + 1 + utf16_len(cite))
    if listed and ans.listing is not None:  # the best passage, unless it is one of the items already shown
        passages = [p for p in ans.passages[:1] if not _within(p, ans.listing)]
    else:
        passages = ans.passages[:1] if short else ans.passages
    for i, p in enumerate(passages, start=1):
        if not add_passage(msg, p, None if short or listed else i):
            break
    return msg.html()


def _within(p: Passage, listing: Listing) -> bool:
    return p.doc.id == listing.doc.id and p.chunk_id in {i.chunk_id for i in listing.items}


def add_listing(msg: Message, listing: Listing, rest: str = "……其余各项见「更多结果」") -> bool:
    """The whole enumeration: where it is, its lead-in quoted, each item's head (with its paragraph, when the items
    are not all in one); then, a tap away, every item in its own words, as many as fit, and `rest` saying where the
    others are."""
    if not msg.add_text(listing_heading(listing), bold=True):
        return False
    if listing.intro:
        add_quote(msg, listing.intro)
    one_paragraph = len({i.paragraph for i in listing.items}) == 1
    lines: list[str] = []
    for i, item in enumerate(listing.items, start=1):
        line = item_line(i, item, cited=not one_paragraph)
        if utf16_len("\n".join([*lines, line])) > msg.room() - LISTING_RESERVE:
            lines.append(f"……另有{len(listing.items) - i + 1}项")
            break
        lines.append(line)
    if not msg.add_text("\n".join(lines)):
        return False
    if all(item.passage is None for item in listing.items):  # the heads are the items, whole
        return True
    words: list[str] = []
    for i, item in enumerate(listing.items, start=1):  # whole items only: a cut one would misquote
        w = f"{i}. {item.passage or item.text}"
        if utf16_len("\n".join([*words, w, rest])) > msg.room() - LISTING_RESERVE:
            words.append(rest)
            break
        words.append(w)
    if len(words) > 1 or words and words[0] != rest:
        add_quote(msg, "\n".join(words), expandable=True)
    return True


def render_listing(listing: Listing) -> str:
    """A whole enumeration as one message of its own (posted from inline mode), its reference under it."""
    reference = f"参考文献:{listing.reference}"
    msg = Message(reserve=utf16_len(reference) + utf16_len(SEPARATOR))
    add_listing(msg, listing, rest="……其余各项从略")
    msg.reserve = 0
    msg.add(f"参考文献:<code>{escape(listing.reference, quote=False)}</code>", utf16_len(reference))
    return msg.html()


def add_quote(msg: Message, text: str, *, expandable: bool = False) -> bool:
    """Corpus words quoted as they are, collapsed when long."""
    tag = "blockquote expandable" if expandable or len(text) > EXPANDABLE_OVER else "blockquote"
    return msg.add(f"<{tag}>{escape(text, quote=False)}</blockquote>", utf16_len(text))


ROWS_PER_PAGE = 12  # rows of a comparison a message shows; 上一页 / 下一页 for the rest


def comparison_pages(comparison: Comparison) -> int:
    return max(1, -(-len(comparison.rows) // ROWS_PER_PAGE))


def render_comparison(comparison: Comparison, page: int = 0, asked_as: str | None = None) -> str:
    """One page of a comparison: the count line, a row per document (its facet in bold, the clause that answers,
    its citation), and on the last page the documents that do not mention it."""
    msg = Message()
    if asked_as:
        msg.add_text(f"按「{asked_as}」回答", italic=True)
    pages = comparison_pages(comparison)
    heading = comparison_heading(comparison) + (f"(第{page + 1}/{pages}页)" if pages > 1 else "")
    msg.add_text(heading, bold=True)
    for row in comparison.rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE]:
        if not msg.add(*row_block(row)):
            break
    if page == pages - 1 and (missing := missing_line(comparison)):
        msg.add_text(missing, italic=True)
    return msg.html()


def row_block(row: Row) -> tuple[str, int]:
    """A comparison row: 广东:地区生产总值增长5%左右, its citation on the line under it."""
    facet, text, cite = escape(row.facet, quote=False), escape(row.text, quote=False), f"—— {row.citation}"
    html = f"<b>{facet}</b>:{text}\n<i>{escape(cite, quote=False)}</i>"
    return html, utf16_len(row_line(row.facet, row.text)) + 1 + utf16_len(cite)


def render_row(row: Row) -> str:
    """One row as posted from inline mode."""
    return row_block(row)[0]


QUOTE_SHOWN = 120  # characters of a picture's text quoted back when its source is not found


def render_source(found: QuoteSource, text: str) -> str:
    """Where a pictured quote comes from: the match, the document's passage quoted with its citation; or that
    none was found, with what was read."""
    msg = Message()
    if found.passage is None:
        msg.add_text("未找到出处:语料中没有与这张图片中文字一致的段落。", bold=True)
        read = text.replace("\n", " ")
        msg.add_text("识别出的文字:" + read[:QUOTE_SHOWN] + ("……" if len(read) > QUOTE_SHOWN else ""), italic=True)
        return msg.html()
    if found.match == "部分一致":
        return _render_parts(msg, found)
    msg.add_text(f"出处({found.match},{found.share:.0%}的文字一致):", bold=True)
    add_passage(msg, found.passage)
    return msg.html()


PART_SHOWN = 40  # characters of a picture's paragraph quoted back when the corpus does not hold it


def _render_parts(msg: Message, found: QuoteSource) -> str:
    """A picture only part of which the corpus holds: paragraph by paragraph, its passage or that it is not in the
    corpus (a footer, a note under the quote), each passage quoted once."""
    outside = sum(1 for part in found.parts if part.passage is None)
    msg.add_text(f"出处(部分一致:图片中{len(found.parts) - outside}段在语料中,{outside}段不在):", bold=True)
    shown: set[int] = set()
    for part in found.parts:
        if part.passage is None:
            read = part.text.replace("\n", " ")
            quoted = read[:PART_SHOWN] + ("……" if len(read) > PART_SHOWN else "")
            msg.add_text(f"图片中第{part.number}段不在语料中:「{quoted}」", italic=True)
        elif part.passage.chunk_id in shown:
            msg.add_text(f"图片中第{part.number}段({part.match},{part.share:.0%}的文字一致):同上段落")
        else:
            shown.add(part.passage.chunk_id)
            msg.add_text(f"图片中第{part.number}段({part.match},{part.share:.0%}的文字一致):")
            add_passage(msg, part.passage)
    return msg.html()


def render_passages(title: str, passages: list[Passage]) -> str:
    """A titled list of passages (a later page of results)."""
    msg = Message()
    msg.add_text(title, bold=True)
    for i, p in enumerate(passages, start=1):
        if not add_passage(msg, p, i):
            break
    return msg.html()


def render_passage(p: Passage) -> str:
    """One passage with its citation, as posted from inline mode."""
    msg = Message()
    add_passage(msg, p)
    return msg.html()


def render_references(passages: list[Passage]) -> str:
    """GB/T 7714 references, one per distinct document, each in <code> so a tap copies it."""
    msg = Message()
    msg.add_text("参考文献(GB/T 7714—2015):", bold=True)
    seen: list[str] = []
    for p in passages:
        if p.reference in seen:
            continue
        seen.append(p.reference)
        line = f"[{len(seen)}] "
        msg.add(
            f"{escape(line, quote=False)}<code>{escape(p.reference, quote=False)}</code>", utf16_len(line + p.reference)
        )
    return msg.html()
