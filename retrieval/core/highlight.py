"""Marking a question's terms in quoted text, and cutting a long passage down to its best-matching sentences."""

from __future__ import annotations

from ..core.hanzi import split_units
from .hanzi import SENTENCE
from .models import Span
from .text import normalize, normalize_with_offsets


def matched_weight(norm: str, terms: dict[str, float]) -> float:
    """Weight of the terms the normalized text holds; a term inside a longer matched one is not counted again
    (search-mode segmentation yields both 领导小组 and 小组)."""
    matched: list[str] = []
    for t in sorted(terms, key=len, reverse=True):
        if t in norm and not any(t in longer for longer in matched):
            matched.append(t)
    return sum(terms[t] for t in matched)


def highlight(text: str, terms: dict[str, float] | list[str]) -> list[Span]:
    """Spans of `text` where query terms (normalized) occur; longer terms win, spans never overlap."""
    norm, origin = normalize_with_offsets(text)
    taken = [False] * len(norm)
    spans: list[tuple[int, int]] = []
    for term in sorted(terms, key=len, reverse=True):
        if len(term) < 2:
            continue  # a single character marks noise, not a match
        start = norm.find(term)
        while start != -1:
            end = start + len(term)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(term)
                spans.append((origin[start], origin[end - 1] + 1))
            start = norm.find(term, end)
    merged: list[Span] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1].end:
            merged[-1].end = max(merged[-1].end, e)
        else:
            merged.append(Span(start=s, end=e))
    return merged


def trim_around_best(text: str, terms: dict[str, float], max_chars: int) -> str:
    """Whole sentences around the best-matching one, at most max_chars, with …… where text was cut."""
    sentences = split_units(text, SENTENCE)
    scores = [matched_weight(normalize(s), terms) for s in sentences]
    i = max(range(len(sentences)), key=scores.__getitem__)
    lo, hi = i, i + 1
    budget = max_chars - 4
    if len(sentences[i]) > budget:
        return sentences[i][:budget] + "……"
    while True:
        grew = False
        if hi < len(sentences) and len("".join(sentences[lo : hi + 1])) <= budget:
            hi, grew = hi + 1, True
        if lo > 0 and len("".join(sentences[lo - 1 : hi])) <= budget:
            lo, grew = lo - 1, True
        if not grew:
            break
    body = "".join(sentences[lo:hi]).strip()
    return ("……" if lo > 0 else "") + body + ("……" if hi < len(sentences) else "")
