"""Rendering answers for a terminal: colour and layout on a TTY, plain text when piped."""

from __future__ import annotations

from retrieval import (
    Answer,
    Span,
    asked_as_line,
    comparison_heading,
    coverage_note,
    item_line,
    listing_heading,
    missing_line,
    row_line,
)

from .render import related_label

BOLD, DIM, CYAN, RESET = "\033[1m", "\033[2m", "\033[36m", "\033[0m"


def mark(text: str, spans: list[Span], colour: bool) -> str:
    """The text with highlighted spans in bold cyan on a terminal; piped output stays unmarked."""
    if not colour or not spans:
        return text
    out, pos = [], 0
    for s in spans:
        out += [text[pos : s.start], BOLD + CYAN, text[s.start : s.end], RESET]
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def render_answer(ans: Answer, *, colour: bool, cite: bool = False) -> str:
    """An answer as terminal text: the lead, then each passage quoted with its citation."""
    dim = (lambda s: DIM + s + RESET) if colour else (lambda s: s)
    lines: list[str] = []
    if asked := asked_as_line(ans):
        lines.append(dim(asked))
    note = coverage_note(ans.coverage)
    if note:
        lines.append(note)
    if ans.status == "not_covered":
        if ans.related:
            lines.append(related_label(ans))
        for i, p in enumerate(ans.related, start=1):
            lines += ["", f"[{i}] " + mark(p.text, p.highlights, colour), dim("    —— " + p.citation)]
        return "\n".join(lines)
    if ans.status == "none":
        lines.append("语料中没有找到与这个问题相关的内容。")
        if ans.suggestions:
            lines.append("可以试试这些主题:" + ";".join(ans.suggestions))
        return "\n".join(lines)
    if ans.comparison:
        lines.append(comparison_heading(ans.comparison))
        for row in ans.comparison.rows:
            lines.append(row_line(row.facet, row.text) + dim(f"  —— {row.citation}"))
        if missing := missing_line(ans.comparison):
            lines.append(missing)
        return "\n".join(lines)
    if ans.listing:
        lines.append(listing_heading(ans.listing))
        if ans.listing.intro:
            lines.append(ans.listing.intro)
        lines += ["  " + item_line(i, item) for i, item in enumerate(ans.listing.items, 1)]
        if any(item.passage for item in ans.listing.items):  # as the chat's collapsed quote: each item's own words
            lines += ["", dim("各项原文:")]
            lines += [f"  {i}. {item.passage or item.text}" for i, item in enumerate(ans.listing.items, 1)]
        lines.append("")
    if ans.status == "weak" and not (ans.coverage and ans.coverage.outside):
        lines.append("未找到直接答案,以下段落可能相关:")
    elif ans.lead:
        lines.append("答:“" + mark(ans.lead.text, ans.lead.highlights, colour) + "”")
        lines.append(dim("   —— " + ans.lead.citation))
    for i, p in enumerate(ans.passages, start=1):
        lines.append("")
        body = mark(p.text, p.highlights, colour) + ("(节选)" if p.trimmed else "")
        lines.append(f"[{i}] " + body)
        lines.append(dim("    —— " + p.citation))
        if cite:
            lines.append(dim("    参考文献:" + p.reference))
    return "\n".join(lines)
