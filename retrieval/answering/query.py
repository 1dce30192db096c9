"""A question, parsed once: its normalized text, weighted terms, years, what it names of its document, what kind
of answer and what shape of answer it asks for, and, for a follow-up, the previous question it changes.

Everything downstream (the plan, search, the lead, the shapes of an answer) takes the same `Query`: nothing
after `parse_query` reads the question's text again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from ..core.aliases import expansions, short_form_candidates
from ..core.articles import AskedArticle, asked_article
from ..core.bm25 import idf
from ..core.errors import EmptyQuery, QueryTooLong
from ..core.hanzi import other_spellings
from ..core.markup import strip_tags
from ..core.postags import word_tag
from ..core.text import normalize
from ..core.tokenize import SYNONYM_WEIGHT, is_term, search_tokens, stopwords, synonyms
from ..core.years import is_time_term, question_years, short_years
from .asking import (
    FacetClass,
    asks_for_items,
    asks_several,
    count_at,
    facet_class,
    find_asking,
    items_count,
    names_items,
    without_class,
)
from .followup import follow_up
from .named import Named, name_document

if TYPE_CHECKING:
    from ..core.store import Index

MAX_QUERY_CHARS = 1000
_PUNCT = re.compile(r"[\W_]+")
_A_NOT_A = re.compile(r"([\u4e00-\u9fff]{1,2})[不没]\1")


@dataclass(frozen=True)
class Query:
    """A validated question, ready for search: what it is about and what it asks for."""

    text: str
    norm: str
    terms: dict[str, float] = field(default_factory=dict)
    """Every search term with its share of weight: 1 for the question's own words, less for synonyms."""
    topics: tuple[str, ...] = ()
    """The question's own words that a passage should hold: not question words, times or the answer's kind."""
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """A topic word's synonyms, any of which counts as the word being present."""
    kind: str | None = None
    """What the question asks for: one of KINDS, "thing" (什么/哪个 + noun), or None."""
    type_words: frozenset[str] = frozenset()
    """Nouns that name the kind of answer (哪个国家 -> 国家): they rank, but a passage need not hold them."""
    asking: tuple[tuple[int, int], ...] = ()
    """Where in `norm` the question words stand (哪一年, 是什么): the answer goes there."""
    pairs: frozenset[str] = frozenset()
    """Character pairs of the question, question words and punctuation aside: phrase evidence that does not
    depend on how a word happens to be segmented (杜之都, 树新风)."""
    spans: dict[str, int] = field(default_factory=dict)
    """Where each topic starts in `norm`."""
    whole_words: tuple[tuple[str, int, int], ...] = ()
    """The question segmented into whole words (not search mode): (word, start, end)."""
    units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The question's words with the topics segmented from them.

    中西医结合 -> (中西, 西医, 结合, 中西医, 中西医结合)
    """
    years: frozenset[int] = frozenset()
    strict_years: bool = False
    """The years name documents of a series (set by qa from the scope): within them, a passage speaking only of
    other years (the review of a report, when its plan is asked for) is not about the question."""
    named: Named = field(default_factory=lambda: Named())
    """Which document of a series the question names: its region, year, kind."""
    weights: dict[str, float] = field(default_factory=dict)
    """Each term's weight in this index: its idf times its share."""
    asked_as: str | None = None
    """A follow-up (四川呢?) read as the previous question changed: the question answered (then also `text`)."""
    asks_items: bool = False
    """It asks for items (有哪些, 主要任务): a list answer, when its passage belongs to an enumeration."""
    names_items: bool = False
    """It names the kind of items it asks for as lists go (重点工作, 主要任务, 几点意见, 哪三点), beyond a bare 哪些:
    a list is looked for among more of its passages."""
    items_count: int | None = None
    """How many items it asks for, when it says (哪三点意见, 八项重点任务)."""
    asks_several: bool = False
    """It says it wants several things (哪些, 哪几方面, 分别, 哪三点), not what may be one (提出了什么任务)."""
    compares: Comparing | None = None
    """It names a class of documents (各省, 历年) instead of one: a row per document of it."""
    parsed: tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], frozenset[str]] = ((), (), frozenset())
    """The topics, units and type words as the question reads, before a collection's counts adjust them."""
    article: AskedArticle | None = None
    """The article it names (劳动合同法第三十九条): quoted whole from the document it names."""
    scope_words: frozenset[str] = frozenset()
    """The words that chose the documents searched (the region, years or official name that named them, set by
    the plan): within those documents they tell no passage from another, so they add nothing to BM25 there."""

    def weight(self, term: str) -> float:
        return self.weights.get(term, 0.0)

    @cached_property
    def _unit_masks(self) -> list[tuple[int, dict[str, int]]]:
        """For each word of two characters or more: its length, and each part's characters in it as a bit mask."""
        out = []
        for word, parts in self.units:
            if len(word) > 1:
                masks = {p: ((1 << len(p)) - 1) << at for p in parts if (at := word.find(p)) >= 0}
                out.append((len(word), masks))
        return out

    def words_held(self, held: frozenset[str] | set[str]) -> float:
        """How many of the question's words (two characters or more) the held topics spell, a word spelled in part
        counting in part (经纬度 with only 纬度 held: 2/3)."""
        total = 0.0
        for length, masks in self._unit_masks:
            mask = 0
            for part, bits in masks.items():
                if part in held:
                    mask |= bits
            total += mask.bit_count() / length
        return total

    @property
    def topic_weight(self) -> float:
        return sum(self.weights.get(t, 0.0) for t in self.topics)


@dataclass(frozen=True)
class Comparing:
    """The class of documents a question compares across, and the question read without the words naming it."""

    by: FacetClass
    cue: str
    """The words naming the class: 各省, 历年, 2021年到2025年."""
    span: tuple[int, int | None] | None
    """The years of a range (2021年到2025年), first and last (none: 2013年以来, to the newest)."""
    query: Query
    """The question without the class words and 分别 (各省GDP目标 -> GDP目标): what each document is asked."""


def parse_query(
    question: str, index: Index | None = None, today: dt.date | None = None, *, previous: str | None = None
) -> Query:
    """Validate and analyse a question; with an index, weigh its terms by their idf there. With the previous
    question of a conversation, a follow-up that only changes its region, year or asked thing (四川呢?) is read as
    that question changed (`Query.asked_as`).

    Raises EmptyQuery for a blank question and QueryTooLong over MAX_QUERY_CHARS characters.
    """
    text = question.strip()
    if not text:
        raise EmptyQuery()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong()
    today = today or dt.date.today()
    asked_as = follow_up(previous, text, today) if previous else None
    query = _analyse(asked_as or text, index, today)
    compares = None
    if found := facet_class(query.norm):
        by, cue, span = found
        if rest := without_class(query.norm, by, cue):
            compares = Comparing(by, cue, span, _analyse(rest, index, today))
    return replace(
        query,
        asked_as=asked_as,
        asks_items=asks_for_items(query.norm),
        names_items=names_items(query.norm),
        items_count=items_count(query.norm),
        asks_several=asks_several(query.norm),
        compares=compares,
    )


def _analyse(text: str, index: Index | None, today: dt.date) -> Query:
    """The analysis of a valid question's text."""
    # Text pasted from a web page may carry markup: its tags are not words of the question.
    norm = normalize(strip_tags(text) if "<" in text else text)
    asking = find_asking(norm)
    inside = [False] * len(norm)
    for a in asking:
        inside[a.start : a.end] = [True] * (a.end - a.start)
        if a.modifier:  # 关爱 in 什么关爱措施: part of the question phrase, but a topic
            inside[a.modifier[0] : a.modifier[1]] = [False] * (a.modifier[1] - a.modifier[0])
    for m in _A_NOT_A.finditer(norm):  # 管不管, 算不算, 收不收: a yes-or-no question, like 是否
        inside[m.start() : m.end()] = [True] * (m.end() - m.start())
    if asks_for_items(norm) and (counted := count_at(norm)) is not None:  # 八项重点工作: 八项 asks how many, like 几项
        inside[counted[0] : counted[1]] = [True] * (counted[1] - counted[0])
    type_words = frozenset(a.type_word for a in asking if a.type_word)
    terms: dict[str, float] = {}
    topics: list[str] = []
    spans: dict[str, int] = {}
    tokens = list(search_tokens(norm))
    for word, start, end in tokens:
        if word in terms or not is_term(word) or word in stopwords():
            continue
        if word not in type_words and all(inside[start:end]):
            continue  # a question word: it asks, it is not what the question is about
        terms[word] = 1.0
        if word not in type_words and not is_time_term(word):
            topics.append(word)
            spans[word] = start
    for word in type_words:
        terms.setdefault(word, 1.0)
    alternatives: dict[str, tuple[str, ...]] = {}
    for word in topics:
        syns = synonyms().get(word, ())
        if syns:
            alternatives[word] = syns
            for s in syns:
                terms.setdefault(s, SYNONYM_WEIGHT)
    # a quantity as the other kind of text spells it (36小时 / 三十六小时, 5% / 百分之五): a passage holding it that way
    # holds the question's number and unit; not within a year or name the question names its document by (26年 for
    # 2026, 十四届人大三次会议)
    named = name_document(norm, (w for w, _, _ in tokens), today)
    naming = [(a, b) for _, a, b in named.spans]
    short = {y % 100 for y in short_years(norm, today)}
    for start, end, spelled in other_spellings(norm):
        digits = norm[start : end - 1]
        if (digits.isdigit() and len(digits) == 2 and norm[end - 1] == "年" and int(digits) in short) or any(
            a < end and start < b for a, b in naming
        ):
            continue
        within = [t for t in topics if start <= spans[t] and spans[t] + len(t) <= end]
        for t in within:
            alternatives[t] = alternatives.get(t, ()) + (spelled,)
        if within:
            terms.setdefault(spelled, SYNONYM_WEIGHT)
            for word, _, _ in search_tokens(spelled):
                if is_term(word) and word not in stopwords():
                    terms.setdefault(word, SYNONYM_WEIGHT)
    units: dict[tuple[int, int], list[str]] = {}
    whole_words = _whole_words(tokens)
    wholes = [(start, end) for _, start, end in whole_words]
    for t in topics:
        whole = next(
            ((a, b) for a, b in wholes if a <= spans[t] and spans[t] + len(t) <= b), (spans[t], spans[t] + len(t))
        )
        units.setdefault(whole, []).append(t)
    units_of = tuple((norm[a:b], tuple(ts)) for (a, b), ts in sorted(units.items()))
    main = max(asking, key=lambda a: a.end - a.start, default=None)
    query = Query(
        text=text,
        norm=norm,
        terms=terms,
        topics=tuple(topics),
        alternatives=alternatives,
        kind=main.kind if main else None,
        type_words=type_words,
        asking=tuple((a.start, a.end) for a in asking),
        pairs=_pairs(norm, inside),
        units=units_of,
        spans=spans,
        whole_words=whole_words,
        years=frozenset(question_years(norm, today, normalized=True)),
        named=named,
        article=asked_article(norm),
        parsed=(tuple(topics), units_of, type_words),
    )
    return weigh(query, index)


def _whole_words(tokens: list[tuple[str, int, int]]) -> tuple[tuple[str, int, int], ...]:
    """The whole words of a search-mode segmentation, which yields each word after the words inside it."""
    out: list[tuple[str, int, int]] = []
    for word, start, end in reversed(tokens):
        if not out or not (out[-1][1] <= start and end <= out[-1][2]):
            out.append((word, start, end))
    return tuple(reversed(out))


def pairs_without(query: Query, words: frozenset[str]) -> frozenset[str]:
    """The question's character pairs outside its question words and outside every place it writes `words` (the
    title that chose its documents: every passage of them is about it, so its pairs tell none apart)."""
    inside = [False] * len(query.norm)
    for start, end in query.asking:
        inside[start:end] = [True] * (end - start)
    for word in words:
        for m in re.finditer(re.escape(word), query.norm):
            inside[m.start() : m.end()] = [True] * len(word)
    return _pairs(query.norm, inside)


def _pairs(norm: str, inside: list[bool]) -> frozenset[str]:
    """Character pairs of the text outside question words, never across punctuation."""
    text = "".join(" " if inside[i] else ch for i, ch in enumerate(norm))
    return frozenset(piece[i : i + 2] for piece in _PUNCT.split(text) for i in range(len(piece) - 1))


def weigh(query: Query, index: Index | None) -> Query:
    """The query with each term's weight in this index: idf (Lucene's, never negative) times its share.

    Without an index (a test, a passage shown again) every term weighs its share. A word naming the kind of
    answer (哪些课程 -> 课程) need not be in a passage, unless the corpus never uses it: then the corpus
    cannot be listing such things, and a passage must hold it like any topic.
    """
    if index is None:
        return replace(query, weights=dict(query.terms))
    query = expand(query, index)
    index.read_ahead(query.terms)
    return counted(query, lambda t: p.df if (p := index.postings(t)) is not None else 0, index.stats.n_docs)


def counted(query: Query, df_of: Callable[[str], int], n_docs: int) -> Query:
    """The query weighed by a collection's counts (the index's, or a series' of documents within it): each term's
    idf times its share, and the topics as that collection's words spell them."""
    df = {t: df_of(t) for t in query.terms}
    weights = {term: share * idf(df[term], n_docs) for term, share in query.terms.items()}
    topics, units, type_words = query.parsed
    # A word the corpus never uses whose characters its parts the corpus does use spell out (经纬度 -> 经纬,
    # 纬度) is found through them; counting it as missing as well would count the same words twice.
    spelled = {
        t
        for word, parts in units
        for t in parts
        if df[t] == 0 and len(t) > 1 and _covered(word, t, [p for p in parts if p != t and df[p] > 0])
    }
    # A one-character verb or adjective no chunk holds as a word of its own (看, 难 in 基层看中医难怎么办) is bound
    # in the corpus's words (看病, 困难): found as a string anywhere, it is no evidence either way. A noun (肝 of
    # 肝病) still names the topic.
    spelled |= {t for t in topics if len(t) == 1 and df[t] == 0 and not (word_tag(t) or "n").startswith("n")}
    unknown_kinds = tuple(t for t in type_words if df[t] == 0)
    return replace(
        query,
        weights=weights,
        topics=tuple(t for t in topics if t not in spelled) + unknown_kinds,
        units=tuple((w, tuple(p for p in parts if p not in spelled)) for w, parts in units)
        + tuple((t, (t,)) for t in unknown_kinds),
        type_words=type_words - set(unknown_kinds),
    )


def expand(query: Query, index: Index) -> Query:
    """The query with the long forms the corpus uses for its short forms (公卫 -> 公共卫生) as synonyms of the
    topics the short form is made of, and their words as search terms at SYNONYM_WEIGHT."""
    shorts = short_form_candidates(query.whole_words)
    shorts += [(s, at) for s in index.aliases if (at := query.norm.find(s)) >= 0 and (s, at) not in shorts]
    if not shorts:
        return query
    terms, alternatives = dict(query.terms), dict(query.alternatives)
    for short, at in shorts:
        longs = expansions(index, short)
        inside = [
            t for t in query.topics if at <= query.spans.get(t, -1) and query.spans[t] + len(t) <= at + len(short)
        ]
        for long in longs:
            for t in inside:
                alternatives[t] = alternatives.get(t, ()) + (long,)
            terms.setdefault(long, SYNONYM_WEIGHT)
            for word, _, _ in search_tokens(long):
                if is_term(word) and word not in stopwords():
                    terms.setdefault(word, SYNONYM_WEIGHT)
    return replace(query, terms=terms, alternatives=alternatives)


def _covered(word: str, part: str, others: list[str]) -> bool:
    """True when every character of `part` (within `word`) lies inside one of the `others` there."""
    start = word.find(part)
    inside = {i for o in others if (at := word.find(o)) >= 0 for i in range(at, at + len(o))}
    return all(i in inside for i in range(start, start + len(part)))
