"""A question, parsed once: its normalized text, weighted terms, years, and what kind of answer it asks for.

Search, the lead sentence and the answer all take the same `Query`, so a question is normalized and
segmented once on its way to the reply.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from . import facets
from .aliases import expansions, short_form_candidates
from .bm25 import idf
from .errors import EmptyQuery, QueryTooLong
from .load import strip_tags
from .postags import word_tag
from .regions import Region
from .text import normalize
from .tokenize import SYNONYM_WEIGHT, data_sections, is_term, search_tokens, stopwords, synonyms
from .years import explicit_years, is_time_term, question_years, relative_years

if TYPE_CHECKING:
    from .store import Index

MAX_QUERY_CHARS = 1000
TYPE_WORD_WITHIN = 12  # characters after 哪个/什么 read for the noun naming the kind of answer
_PUNCT = re.compile(r"[\W_]+")
KINDS = ("person", "place", "time", "number", "reason", "manner", "definition")


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
class Named:
    """What a question says of the document that should answer it (see retrieval/scope.py)."""

    regions: tuple[Region, ...] = ()
    """Divisions it names, as a region the answer is about (广西, 四川省, 全国), not a meeting's venue."""
    years: frozenset[int] = frozenset()
    """Years it names explicitly (2024年, 一九八六年)."""
    relative: frozenset[int] = frozenset()
    """Years its relative words name, when it names none explicitly (今年, 去年: from the date of asking)."""
    kind: str | None = None
    """A kind of document it names (政府工作报告, 工作会议): with a year, it names that year's document."""
    issuer: str | None = None
    """A body it names as speaking (国家卫生健康委员会, 浙江省人民政府), in the name documents' facets use."""
    intent: str = "result"
    """"plan" when it asks what a year's document set out (目标, 计划, 拟), "result" when it asks what happened."""


def name_document(norm: str, tokens: Iterable[str], today: dt.date) -> Named:
    """What a normalized question says of its document: regions, years, kind and whether it asks for a plan."""
    explicit = frozenset(explicit_years(norm))
    relative = frozenset() if explicit else frozenset(relative_years(norm, today))
    words = set(tokens)
    facet_words = facets.words()
    asked = explicit or relative
    if not words.isdisjoint(facet_words.result):
        intent = "result"
    elif not words.isdisjoint(facet_words.plan) or (asked and min(asked) >= today.year):
        intent = "plan"  # a year not over yet has no results to report
    else:
        intent = "result"
    regions = tuple(dict.fromkeys(m.region for m in facets.whose_regions(norm)))
    return Named(
        regions=regions,
        issuer=facets.find_issuer(norm, regions[0] if regions else None),
        years=explicit,
        relative=relative,
        kind=facets.find_kind(norm),
        intent=intent,
    )


@dataclass(frozen=True)
class _Asking:
    kind: str
    start: int
    end: int
    type_word: str | None = None
    modifier: tuple[int, int] | None = None
    """Where a word qualifying the type word stands (关爱 in 什么关爱措施)."""


@dataclass(frozen=True)
class _Lexicon:
    """Question words from data/interrogatives.txt, as patterns."""

    standalone: re.Pattern
    headed: re.Pattern
    words: dict[str, str]
    nouns: dict[str, str]
    ends: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    sections = data_sections("interrogatives.txt")
    words = {w: kind for kind in KINDS for w in sections.get(kind, [])}
    nouns = {w: kind for kind in ("time", "person", "place") for w in sections.get(f"{kind}-nouns", [])}

    def alternation(items: Iterable[str]) -> str:
        # 如何/为何/任何/奈何 are words of their own: 何 after them does not ask (任何人 is not 何人)
        return "|".join(
            ("(?<![如为任奈])" if w.startswith("何") else "") + re.escape(w)
            for w in sorted(items, key=len, reverse=True)
        )

    measures = alternation(sections["measures"] + sections["ends"] + list(nouns))
    headed = re.compile(
        rf"(?P<head>{alternation(sections['heads'])})一?(?P<measure>{measures})?"
        rf"|(?P<bound>{alternation(sections['bound-heads'])})(?P<bound_measure>{measures})"
    )
    return _Lexicon(re.compile(alternation(words)), headed, words, nouns, frozenset(sections["ends"]))


def find_asking(norm: str) -> list[_Asking]:
    """The question words of a normalized question, each with the kind of answer it asks for.

    >>> norm = "哪一种化学物质有毒"
    >>> [(a.kind, norm[a.start : a.end], a.type_word) for a in find_asking(norm)]
    [('thing', '哪一种化学物质', '化学物质')]
    """
    lex = _lexicon()
    matches: list[_Asking] = []
    for m in lex.standalone.finditer(norm):
        kind = lex.words[m.group(0)]
        if kind == "definition" and not (_bare(norm[m.end() :]) == "" or _bare(norm[: m.start()]) == ""):
            continue  # 是什么职务 asks for a 职务, not for a definition (which opens or closes a question)
        matches.append(_Asking(kind, m.start(), m.end()))
    for m in lex.headed.finditer(norm):
        head = m.group("head") or m.group("bound")
        measure = m.group("measure") or m.group("bound_measure") or ""
        kind = lex.nouns.get(measure, "number" if head in ("几", "多少") else "thing")
        asking = _Asking(kind, m.start(), m.end())
        matches.append(asking if measure in lex.ends or measure in lex.nouns else _with_type_word(norm, asking))
    # where two readings overlap (哪几点 / 几点), the longer question word wins (the noun after it aside:
    # 为什么 is not 什么 + a noun)
    found: list[_Asking] = []
    for a in sorted(
        matches, key=lambda a: (a.start - a.end + len(a.type_word or ""), a.type_word is not None, a.start)
    ):
        if all(a.end <= b.start or b.end <= a.start for b in found):
            found.append(a)
    return sorted(found, key=lambda a: a.start)


def _bare(text: str) -> str:
    """The text without punctuation and modal particles."""
    return re.sub(r"[\W_呢吗啊呀吧嘛请问]+", "", text)


def _with_type_word(norm: str, asking: _Asking) -> _Asking:
    """The noun right after 哪个/什么/几种 names the kind of answer: 哪个国家 asks for a place.

    Chinese puts the head noun last: in 什么关爱措施 or 哪一所知名大学 the answer is a 措施 or a 大学, and the word
    before it (关爱, 知名) is what the question is about, a topic like any other.

    >>> norm = "有什么关爱措施"
    >>> a = _with_type_word(norm, _Asking("thing", 1, 3))
    >>> a.type_word, norm[slice(*a.modifier)]
    ('措施', '关爱')
    """
    rest = norm[asking.end :]
    rest = rest[1:] if rest.startswith("的") else rest
    offset = len(norm) - len(rest)
    words = list(search_tokens(rest[:TYPE_WORD_WITHIN], whole_words=True))
    if not words or words[0][0] in stopwords() or not is_term(words[0][0]):
        return asking
    word, _, end = words[0]
    modifier = None
    if len(words) > 1 and _qualifies(words[0][0], words[1][0], rest[words[1][2] :]):
        modifier = (offset, offset + end)
        word, _, end = words[1]
    kind = _lexicon().nouns.get(word, asking.kind)
    return _Asking(kind, asking.start, offset + end, word, modifier)


MODIFIER_TAGS = frozenset({"v", "vn", "a", "an", "b"})  # jieba's tags of words that qualify a noun after them


def _qualifies(first: str, noun: str, after: str) -> bool:
    """Whether `first` qualifies the common noun after it (研究机构, 知名大学, 关爱措施) rather than naming the answer's
    kind itself. A plain verb may instead take the noun as its object (含有硫元素): only when the noun ends the
    phrase is it read as the head."""
    tag = word_tag(first)
    if tag not in MODIFIER_TAGS or noun in stopwords() or word_tag(noun) != "n":
        return False
    return tag != "v" or not after or not is_term(after[0]) or after[0] in "的吗呢"


def parse_query(question: str, index: Index | None = None, today: dt.date | None = None) -> Query:
    """Validate and analyse a question; with an index, weigh its terms by their idf there.

    Raises EmptyQuery for a blank question and QueryTooLong over MAX_QUERY_CHARS characters.
    """
    text = question.strip()
    if not text:
        raise EmptyQuery()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong()
    # Text pasted from a web page may carry markup: its tags are not words of the question.
    norm = normalize(strip_tags(text) if "<" in text else text)
    asking = find_asking(norm)
    inside = [False] * len(norm)
    for a in asking:
        inside[a.start : a.end] = [True] * (a.end - a.start)
        if a.modifier:  # 关爱 in 什么关爱措施: part of the question phrase, but a topic
            inside[a.modifier[0] : a.modifier[1]] = [False] * (a.modifier[1] - a.modifier[0])
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
    today = today or dt.date.today()
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
        named=name_document(norm, (w for w, _, _ in tokens), today),
    )
    return weigh(query, index)


def _whole_words(tokens: list[tuple[str, int, int]]) -> tuple[tuple[str, int, int], ...]:
    """The whole words of a search-mode segmentation, which yields each word after the words inside it."""
    out: list[tuple[str, int, int]] = []
    for word, start, end in reversed(tokens):
        if not out or not (out[-1][1] <= start and end <= out[-1][2]):
            out.append((word, start, end))
    return tuple(reversed(out))


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
    weights = dict(query.terms)
    df = {t: (p.df if (p := index.postings(t)) is not None else 0) for t in query.terms}
    for term, share in query.terms.items():
        weights[term] = share * idf(df[term], index.stats.n_docs)
    # A word the corpus never uses whose characters its parts the corpus does use spell out (经纬度 -> 经纬,
    # 纬度) is found through them; counting it as missing as well would count the same words twice.
    spelled = {
        t
        for word, parts in query.units
        for t in parts
        if df[t] == 0 and len(t) > 1 and _covered(word, t, [p for p in parts if p != t and df[p] > 0])
    }
    # A one-character verb or adjective no chunk holds as a word of its own (看, 难 in 基层看中医难怎么办) is bound
    # in the corpus's words (看病, 困难): found as a string anywhere, it is no evidence either way. A noun (肝 of
    # 肝病) still names the topic.
    spelled |= {t for t in query.topics if len(t) == 1 and df[t] == 0 and not (word_tag(t) or "n").startswith("n")}
    unknown_kinds = tuple(t for t in query.type_words if df[t] == 0)
    return replace(
        query,
        weights=weights,
        topics=tuple(t for t in query.topics if t not in spelled) + unknown_kinds,
        units=tuple((w, tuple(p for p in parts if p not in spelled)) for w, parts in query.units)
        + tuple((t, (t,)) for t in unknown_kinds),
        type_words=query.type_words - set(unknown_kinds),
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
