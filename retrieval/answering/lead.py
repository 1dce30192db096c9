"""The lead: the one sentence of the best passages that answers the question, quoted, at most LEAD_MAX characters.

Every sentence of the top passages is a candidate. Each is described by lexical features that tell an
answering sentence from one that only restates the question in any Chinese text (how much of the question's
weight it holds, not counting the words of its document's title, which every sentence of the document is
about; how many of the question's characters and character pairs; whether the words right next to the
question word are followed by something new; whether it holds a date or a number the question asks for
and does not contain, or what expects.py says the answer looks like; how well its passage ranked), and scored
by a linear model whose weights, data/lead_weights.json, were fitted on public reading-comprehension questions
(`python -m bench.fit_lead`).

A sentence quoted alone must still say what it says: one opening with a word that points back (因此, 这些, 他) is
quoted with the sentence before it, where both fit in LEAD_MAX.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..core.articles import part_lines
from ..core.hanzi import COUNT, DIGIT, QUANTITY, SENTENCE, split_units
from ..core.highlight import highlight, matched_weight
from ..core.models import Lead, Passage
from ..core.text import is_traditional, normalize, normalize_with_offsets, to_simplified, to_traditional
from ..core.tokenize import data_sections
from .expects import expects, holds
from .query import Query

LEAD_FROM = 2  # the lead is a sentence of this many top passages
LEAD_MAX = 150  # a lead is one line of answer: a longer sentence is trimmed around its matches
SHORT = 15  # a sentence this short rarely says more than the question
SLOT_REACH = 6  # characters after (before) the question word's neighbour where the answer would stand
# a sentence opening with a word that points back to the one before: a consequence (因此), a sequel (然后), a
# demonstrative or pronoun (这些, 该, 其中, 他); quoted alone it loses what it follows from or speaks of. A turn (但,
# 然而), an addition (此外, 其他) or a list's next item (其次) reads on its own and is quoted alone. (A sentence
# restating the question, quoted with the one after it, lengthened leads whose answer is one figure for nothing.)
_POINTS_BACK = re.compile(
    r"(?:因此|所以|故此|故而|因而|于是|从而|然后|这样|此后|其后|随后|之后|后来"
    r"|这些|这个|这种|这一|这是|此举|此(?!外)|该|其(?![他它余实次])|他们|她们|它们|他|她|它|牠)"
)
_OPENING = '“"「『（(…'  # quotes, brackets and a cut's …… before a sentence's first word
FEATURES = (
    "content",
    "content_rr",
    "overlap",
    "overlap_rel",
    "overlap_top",
    "chars",
    "chars_rel",
    "pairs",
    "pairs_rr",
    "passage",
    "slot",
    "novel",
    "length",
    "short",
    "number",
    "date",
    "defines",
    "expected",
)
_OVERLAP = FEATURES.index("overlap")
_PUNCT = re.compile(r"[\W_]+")
# A quantity: digits, or Chinese numerals, not the year, month or day of a date.
_QUANTITY = re.compile(rf"(?:\d+(?:\.\d+)?|{QUANTITY}+)(?![年月日号\d])")


@lru_cache(maxsize=1)
def _date() -> re.Pattern:
    words = "|".join(map(re.escape, data_sections("answer_cues.txt")["time-words"]))
    return re.compile(rf"\d{{1,4}}年|\d{{1,2}}月|\d{{1,2}}[日号]|{DIGIT}{{2,4}}年|{COUNT}{{1,3}}月|{words}")


@lru_cache(maxsize=1)
def weights() -> np.ndarray:
    """The fitted weight of each feature, in FEATURES order."""
    data = json.loads(resources.files("retrieval").joinpath("data", "lead_weights.json").read_text(encoding="utf-8"))
    return np.array([data["weights"][name] for name in FEATURES])


@dataclass
class Sentence:
    """A candidate lead: a sentence of a passage as written, cut to LEAD_MAX around its matches, and normalized."""

    passage: int
    index: int
    text: str
    norm: str
    raw: str = ""
    """As written, uncut, with the spaces around it: what a lead joined with its neighbour is made of."""
    line: int = 0
    """Which line of its passage it stands on: sentences join only within a line."""


def sentences_of(passages: list[Passage], terms: dict[str, float]) -> list[Sentence]:
    """Every sentence of the passages; a section heading on its own line counts as one."""
    out = []
    for p_index, passage in enumerate(passages):
        units = [
            (n, s) for n, line in enumerate(passage.text.split("\n")) for s in split_units(line, SENTENCE) if s.strip()
        ]
        texts = [trim_to(unit.strip(), terms, LEAD_MAX) for _, unit in units]
        joined = "\n".join(texts)
        norm = normalize(joined)  # once a passage; sentences are cut from it where it kept their lengths
        norms = norm.split("\n") if len(norm) == len(joined) else [normalize(t) for t in texts]
        out += [
            Sentence(p_index, i, text, n, raw, line)
            for i, (text, n, (line, raw)) in enumerate(zip(texts, norms, units, strict=True))
        ]
    return out


def in_context(sentences: list[Sentence], chosen: int) -> str:
    """The chosen sentence as the lead quotes it: with the sentence before it on its line when it opens pointing
    back to it (因此…, 该银行…), if the two fit in LEAD_MAX; else alone."""
    s = sentences[chosen]
    before = sentences[chosen - 1] if chosen > 0 else None
    if before is None or before.passage != s.passage or before.line != s.line:
        return s.text
    if not _POINTS_BACK.match(s.norm.lstrip(_OPENING)):
        return s.text
    joined = (before.raw + s.raw).strip()
    return joined if len(joined) <= LEAD_MAX else s.text


def _ranks(values: list[float]) -> np.ndarray:
    """0 for the highest value, 1 for the next...; ties keep their order."""
    order = np.argsort(-np.asarray(values), kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(len(values))
    return ranks


def _neighbours(query: Query) -> tuple[set[str], set[str]]:
    """The topic words right before and right after each question word: the answer stands next to them."""
    left, right = set(), set()
    found = [(t, query.norm.find(t)) for t in query.topics if len(t) > 1]
    for start, end in query.asking:
        before = [t for t, p in found if p >= 0 and p + len(t) <= start and start - (p + len(t)) <= 2]
        after = [t for t, p in found if p >= end and p - end <= 2]
        if before:
            left.add(max(before, key=len))
        if after:
            right.add(max(after, key=len))
    return left, right


def _definition(query: Query) -> re.Pattern | None:
    """For 什么是X / X是什么: where a sentence defines X, as "X是…", "X指…", "X即…" or "…(X)"."""
    if query.kind != "definition" or not query.topics:
        return None
    subject = "|".join(re.escape(t) for t in query.topics if len(t) > 1) or re.escape(query.topics[0])
    return re.compile(rf"(?:{subject})(?:是|指|即|为|,即|:)|[(“\"](?:{subject})[)”\"]")


def features(query: Query, terms: dict[str, float], sentences: list[Sentence], passages: list[Passage]) -> np.ndarray:
    """One row of FEATURES per candidate sentence."""
    total = sum(terms.values()) or 1.0
    asked = list(query.norm)
    for start, end in query.asking:
        asked[start:end] = [" "] * (end - start)
    chars = set(_PUNCT.sub("", "".join(asked)))
    pairs = query.pairs
    left, right = _neighbours(query)
    # how well each passage ranked, by what it was ranked by (BM25 alone can put the second above the first)
    ranked = [p.value or p.score * p.coverage for p in passages]
    top_value = ranked[0] or 1.0
    content_terms = []
    for p in passages:  # every sentence of a document is about its title: matching it says nothing new
        title = normalize(p.doc.title)
        content_terms.append({t: w for t, w in terms.items() if t not in title})
    date, asked_dates = _date(), set(_date().findall(query.norm))
    defined = _definition(query)
    asked_numbers = set(_QUANTITY.findall(query.norm))
    looks = expects(query.text, query.asks_items)
    asked_bare = _PUNCT.sub("", query.norm)

    bare = [_PUNCT.sub("", s.norm) for s in sentences]
    overlap = [matched_weight(s.norm, terms) / total for s in sentences]
    content = [
        matched_weight(s.norm, content_terms[s.passage]) / (sum(content_terms[s.passage].values()) or 1.0)
        for s in sentences
    ]
    char_share = [len(set(b) & chars) / len(chars) if chars else 0.0 for b in bare]
    pair_share = [sum(p in b for p in pairs) / len(pairs) if pairs else 0.0 for b in bare]
    overlap_ranks, content_ranks, pair_ranks = _ranks(overlap), _ranks(content), _ranks(pair_share)
    best_overlap, best_chars = max(overlap) or 1.0, max(char_share) or 1.0
    rows = []
    for i, s in enumerate(sentences):
        p = passages[s.passage]
        slot = 0
        for t in left:
            at = s.norm.find(t)
            slot += at >= 0 and bool(set(s.norm[at + len(t) : at + len(t) + SLOT_REACH]) - chars)
        for t in right:
            at = s.norm.find(t)
            slot += at >= 0 and bool(set(s.norm[max(0, at - SLOT_REACH) : at]) - chars)
        rows.append(
            [
                content[i],
                1 / (1 + content_ranks[i]),
                overlap[i],
                overlap[i] / best_overlap,
                float(overlap_ranks[i] == 0),
                char_share[i],
                char_share[i] / best_chars,
                pair_share[i],
                1 / (1 + pair_ranks[i]),
                ranked[s.passage] / top_value,
                slot / max(len(left) + len(right), 1),
                len(set(bare[i]) - chars) / max(len(set(bare[i])), 1),
                math.log(1 + len(bare[i])),
                float(len(bare[i]) < SHORT),
                float(query.kind == "number" and bool(set(_QUANTITY.findall(s.norm)) - asked_numbers)),
                float(query.kind == "time" and bool(set(date.findall(s.norm)) - asked_dates)),
                float(defined is not None and bool(defined.search(s.norm))),
                float(looks is not None and holds(looks, bare[i], asked_bare)),
            ]
        )
    return np.asarray(rows, dtype=float)


def choose_lead(query: Query, passages: list[Passage], terms: dict[str, float]) -> Lead | None:
    """The sentence of the top passages that best answers the question, or None when none holds a question term."""
    candidates = sentences_of(passages, terms)
    part: list[Sentence] = []
    if query.article is not None and passages:  # 第十七条第二款: the lead is of that 款 of the article shown first
        lines = part_lines([normalize(line) for line in passages[0].text.split("\n")], query.article)
        part = [s for s in candidates if s.passage == 0 and lines is not None and s.line in lines]
    candidates = part or candidates
    if not candidates:
        return None
    rows = features(query, terms, candidates, passages)
    holding = rows[:, _OVERLAP].any()  # the share of the question's weight each holds: does any hold a term
    if not holding and not part:
        return None
    at = int(np.argmax(rows @ weights())) if holding else 0  # a part named by number alone: from its start
    chosen, original = candidates[at], in_context(candidates, at)
    text = in_script_of(query.text, original)
    citation = passages[chosen.passage].citation
    if part and query.article is not None:  # the part quoted, cited as such: 《…》第十九条第二款
        citation = citation.replace(query.article.label, query.article.part_label, 1)
    return Lead(
        text=text,
        original=original,
        highlights=highlight(text, terms),
        passage=chosen.passage,
        citation=citation,
    )


def trim_to(sentence: str, terms: dict[str, float], limit: int) -> str:
    """The sentence, or when longer than `limit` the window of that many characters (…… marking a cut) that
    holds the most weight of matched terms."""
    if len(sentence) <= limit:
        return sentence
    norm, origin = normalize_with_offsets(sentence)
    weight = np.zeros(len(sentence))
    for t, w in terms.items():
        start = norm.find(t)
        while start != -1:
            weight[origin[start]] += w
            start = norm.find(t, start + len(t))
    width = limit - 4  # room for …… on both sides
    sums = np.convolve(weight, np.ones(width), mode="valid")  # the weight of every window of that width
    start = int(np.argmax(sums))
    if start == 0:
        return sentence[: limit - 2] + "……"
    if start + width >= len(sentence):
        return "……" + sentence[-(limit - 2) :]
    return "……" + sentence[start : start + width] + "……"


def in_script_of(question: str, text: str) -> str:
    """The text in the question's script: simplified for a simplified question, traditional for a traditional one."""
    if is_traditional(question):
        return text if is_traditional(text) else to_traditional(text)
    return to_simplified(text) if is_traditional(text) else text
