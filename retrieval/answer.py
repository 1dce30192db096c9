"""The template answerer: (question, hits) -> Answer. Pure: no I/O, nothing generated.

Every word it shows as the corpus's is the corpus's: the lead is a sentence (or two) of a passage, in the
question's script; passages are quoted as written, with matched terms marked as spans for each front end
to render its own way.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .chunk import SENTENCE, split_units
from .cite import reference, short_citation
from .models import Answer, Hit, Lead, Passage, Span
from .text import is_traditional, normalize, normalize_with_offsets, to_simplified, to_traditional
from .tokenize import query_terms

STRONG_COVERAGE = 0.75   # below this the best passage is shown as possibly relevant, not as the answer
LEAD_FROM = 2            # the lead is the best sentence of this many top passages ...
LOWER_PASSAGE = 0.8      # ... a sentence of the second passage must beat the first's by this much


@dataclass(frozen=True)
class Intent:
    """What kind of fact the question asks for, and a pattern that finds it in a sentence."""

    name: str
    asks: re.Pattern
    finds: re.Pattern


INTENTS = [
    Intent("when", re.compile(r"什么时候|何时|哪天|哪一天|哪年|哪一年|几月|几号|时间|日期|when"),
           re.compile(r"\d{1,4}年|\d{1,2}月\d{0,2}日?|[一二三四五六七八九十]+月|年底|年初|上半年|下半年|底前")),
    Intent("where", re.compile(r"哪里|哪儿|在哪|何地|地点|地方|where"),
           re.compile(r"在[^,。]{1,12}(召开|举行|举办|设置|建设|开展)|[\u4e00-\u9fff]{1,6}(省|市|县|区|镇|村|京|会场)|设置|设在")),
    Intent("who", re.compile(r"谁|哪位|何人|哪个人|领导|who"),
           re.compile(r"(主任|书记|局长|省长|市长|副主任|副省长|副市长|组长|部长|委员)[\u4e00-\u9fff]{2,3}"
                      r"|[\u4e00-\u9fff]{2,3}(出席|主持|讲话|作主报告|指出|强调|要求)|由[^,。]{1,12}(任|担任)")),
    Intent("count", re.compile(r"多少|几个|几项|几条|几类|几家|数量|how many|how much"),
           re.compile(r"\d+|[一二三四五六七八九十百千万]+(个|项|条|类|家|名|人|所|批|期|次)|[*%]")),
    Intent("list", re.compile(r"哪些|有什么|包括|包含|几方面|措施|任务"),
           re.compile(r"、.+、|[一二三四五六七八九十]是|首先|其次|包括")),
    Intent("definition", re.compile(r"是什么|什么是|指什么|是指|含义|定义|意思|what is"),
           re.compile(r"[((][^()()]{2,20}[))]|是指|即|称为|简称")),
]


def question_intent(question: str) -> Intent | None:
    norm = normalize(question)
    return next((i for i in INTENTS if i.asks.search(norm)), None)


def answer(question: str, hits: list[Hit], *, cited: dt.date, k: int = 3, max_chars: int | None = None,
           suggestions: list[str] | None = None) -> Answer:
    """Build the answer to `question` from ranked `hits` (best first); `cited` is the date of citing.

    The lead is sought in the two best passages even when only one is shown (k=1, as in groups); the
    passage it comes from is then the one shown, so a lead is always quoted from a passage on screen.
    """
    if not hits:
        return Answer(question=question, status="none", suggestions=suggestions or [])
    terms = _weights(question, hits)
    passages = [_passage(h, terms, cited, max_chars) for h in hits[:max(k, LEAD_FROM)]]
    status = "answered" if hits[0].coverage >= STRONG_COVERAGE else "weak"
    lead = _lead(question, passages[:LEAD_FROM], terms) if status == "answered" else None
    if lead is not None and lead.passage >= k:
        passages.insert(0, passages.pop(lead.passage))
        lead.passage = 0
    return Answer(question=question, status=status, lead=lead, passages=passages[:k])


def _weights(question: str, hits: list[Hit]) -> dict[str, float]:
    """Query terms that occur in the hits, with their weights from the search (idf, synonyms discounted)."""
    found = {t for h in hits for t in h.terms}
    weights = hits[0].weights or {t: w for t, w in query_terms(question)}
    return {t: w for t, w in weights.items() if t in found}


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


def _sentence_score(sentence: str, terms: dict[str, float], intent: Intent | None) -> float:
    """Weight of the question's terms in the sentence, plus a bonus when it holds what the question asks for.

    A term inside a longer term that matched (小组 in 领导小组) is not counted again: search-mode
    segmentation yields both, and counting both would favour sentences by how a word happens to split.
    """
    norm = normalize(sentence)
    matched: list[str] = []
    for t in sorted(terms, key=len, reverse=True):
        if t in norm and not any(t in longer for longer in matched):
            matched.append(t)
    covered = sum(terms[t] for t in matched)
    bonus = 1.0 if intent and intent.finds.search(norm) else 0.0
    return covered + bonus * (max(terms.values(), default=1.0))


def _lead(question: str, passages: list[Passage], terms: dict[str, float]) -> Lead | None:
    """The sentence of the top passages that covers most of the question (and holds what it asks for)."""
    intent = question_intent(question)
    best: tuple[float, int, int, list[str]] | None = None
    for p_index, passage in enumerate(passages):
        # the section heading sits on its own line above the paragraph: a sentence of its own
        sentences = [s for line in passage.text.split("\n") for s in split_units(line, SENTENCE)]
        for s_index, sentence in enumerate(sentences):
            value = _sentence_score(sentence, terms, intent) * LOWER_PASSAGE ** p_index
            if best is None or value > best[0]:
                best = (value, p_index, s_index, sentences)
    if best is None or best[0] <= 0:
        return None
    _, p_index, s_index, sentences = best
    original = sentences[s_index].strip()
    if s_index + 1 < len(sentences) and len(original) < 20 and len(original) + len(sentences[s_index + 1]) <= 120:
        original += sentences[s_index + 1].strip()  # a very short sentence needs the next one for sense
    text = _in_script_of(question, original)
    return Lead(text=text, original=original, highlights=highlight(text, terms), passage=p_index,
                citation=passages[p_index].citation)


def _in_script_of(question: str, text: str) -> str:
    """The text in the question's script: simplified for a simplified question, traditional for a traditional one."""
    if is_traditional(question):
        return text if is_traditional(text) else to_traditional(text)
    return to_simplified(text) if is_traditional(text) else text


def _passage(hit: Hit, terms: dict[str, float], cited: dt.date, max_chars: int | None) -> Passage:
    text, trimmed = hit.chunk.quoted, False
    if max_chars and len(text) > max_chars:
        text, trimmed = trim_around_best(text, terms, max_chars), True
    return Passage(
        text=text, highlights=highlight(text, terms), trimmed=trimmed, chunk_id=hit.chunk.id,
        paragraph=hit.chunk.paragraph, score=hit.score, doc=hit.doc,
        citation=short_citation(hit.doc, hit.chunk), reference=reference(hit.doc, cited),
    )


def trim_around_best(text: str, terms: dict[str, float], max_chars: int) -> str:
    """Whole sentences around the best-matching one, at most max_chars, with …… where text was cut."""
    sentences = split_units(text, SENTENCE)
    scores = [_sentence_score(s, terms, None) for s in sentences]
    i = max(range(len(sentences)), key=scores.__getitem__)
    lo, hi = i, i + 1
    budget = max_chars - 4
    if len(sentences[i]) > budget:
        return sentences[i][:budget] + "……"
    while True:
        grew = False
        if hi < len(sentences) and len("".join(sentences[lo:hi + 1])) <= budget:
            hi, grew = hi + 1, True
        if lo > 0 and len("".join(sentences[lo - 1:hi])) <= budget:
            lo, grew = lo - 1, True
        if not grew:
            break
    body = "".join(sentences[lo:hi]).strip()
    return ("……" if lo > 0 else "") + body + ("……" if hi < len(sentences) else "")
