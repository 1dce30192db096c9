"""Questions in, ranked hits out: BM25 candidates, how much of the question each covers, a re-rank, duplicates
collapsed.

The steps, each a small function over `Candidate`s:
  candidates  the best chunks by BM25 over the inverted index;
  measure     which of the question's topic words each holds (its idf-weighted coverage) and how many of
              the question's character pairs (its phrases, whatever the segmentation);
  rerank      BM25 times coverage and phrase evidence, lifted for the years the question names and for a
              section whose heading holds the whole question;
  collapse    a passage repeated word for word keeps only its best place; chunks below the coverage
              threshold are not answers.
A question whose words the corpus mostly does not hold (weather, stock prices, cooking) gets no hits at
all instead of the least-bad paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np

from ..core.bm25 import Scored, score, top_k
from ..core.models import Chunk, Hit
from ..core.store import Index, Subset, bare
from ..core.versions import answers_when, is_record
from ..core.years import passage_years
from .expects import answer_slot, asks_consequences, characterization, expects, holds, under_penalties
from .query import Query, counted

MIN_COVERAGE = 0.45  # a chunk covering this share of the question answers it ...
MIN_EVIDENCE = 0.25  # ... and so does one covering this share that holds EVIDENCE_WORDS of its words:
EVIDENCE_WORDS = 2  # a long question put in other words still holds much evidence
SHOWN_COVERAGE = MIN_EVIDENCE  # a passage shown beside the answer covers at least this share of the question
MIN_LENGTH = 0.5  # as a share of the average chunk length: no BM25 bonus for chunks shorter than this
CANDIDATES = 30  # coverage and phrases are measured for this many top BM25 chunks (20 to 50: same figures)
COVERAGE_POWER = 1.0  # rank by BM25 x coverage^this (Lucene's classic coord factor at 1)
PHRASE_WEIGHT = 1.0  # ... x (1 + this x the share of the question's character pairs the chunk holds)
YEAR_BOOST = 0.3  # ranking lift for a passage speaking of a year the question names
MENTION_BOOST = 0.15  # ... and for one of that year's document speaking of another year
EXPECTED_BOOST = 1.0  # lift for a passage holding the figure, date or definition asked for (1 to 1.5: same figures)
SLOT_BOOST = 0.5  # ... and more for one holding it right after the word the question asks it of (有效期为6年)
RECORD_FACTOR = 0.2  # a law's record of adoption and amendment, for a question not asking when
PENALTY_FACTOR = 0.6  # an article of a law's 法律责任 chapter, for a question not asking what follows a breach
# (0.5 to 0.7 give the same figures; 0.3 loses health questions whose answer is a sanction's term)
HEADING_BOOST = 1.0  # ranking lift for a chunk whose own section heading holds every topic of the question
# (0.7 to 2 give the same figures; 0.5 is too little to lift a long section over a short passage)
RELATED_FROM = 20  # top BM25 chunks whose headings are offered as topics when nothing answers


@dataclass
class Candidate:
    """A chunk on its way through the ranking steps."""

    chunk_id: int
    bm25: float
    index: Index
    doc_id: str
    bare: str = ""
    """Its headings and text in matching form without punctuation: where words and phrases are looked for."""
    present: set[str] = field(default_factory=set)
    coverage: float = 0.0
    phrase: float = 0.0
    words: float = 0.0
    """How many of the question's words (two characters or more) it holds, a word held in part counting in part."""
    value: float = 0.0
    read: Chunk | None = None
    """The chunk, when read with others in one query."""

    @property
    def chunk(self) -> Chunk:
        """The chunk itself, read only for the candidates that need it (those shown; all when years matter)."""
        return self.read if self.read is not None else self.index.chunk(self.chunk_id)

    def answers(self, min_coverage: float) -> bool:
        """Whether this chunk can answer the question at all: it covers enough of it, or holds enough of its
        words when the question is long and says some things in other words."""
        return self.coverage >= min_coverage or (
            self.coverage >= min(MIN_EVIDENCE, min_coverage) and self.words >= EVIDENCE_WORDS
        )


def bm25_scores(index: Index, query: Query, within: Subset | None = None) -> Scored:
    """BM25 of every chunk holding a term of the query (no bonus for chunks shorter than MIN_LENGTH of the mean);
    by the counts of the documents `within` when given (the series the searched documents belong to)."""
    if within is None:
        norms = index.norms(MIN_LENGTH * index.stats.avgdl)
        return score(list(query.terms.items()), index.postings, norms, index.stats, index.params)
    norms = within.norms(MIN_LENGTH * within.stats.avgdl)
    return score(list(query.terms.items()), within.postings, norms, within.stats, index.params)


def best_bm25(
    index: Index, query: Query, n: int, docs: frozenset[str] | None = None, within: Subset | None = None
) -> list[tuple[int, float]]:
    """The n best (chunk id, BM25 score) pairs, best first, ties to the lower id; only chunks of `docs` when given,
    and then the words that chose those documents rank nothing (a passage naming its own region or session is no
    better an answer for it)."""
    if docs is not None and query.scope_words:
        query = replace(query, terms={t: w for t, w in query.terms.items() if t not in query.scope_words})
    scored = bm25_scores(index, query, within)
    if docs is not None:
        keep = index.doc_mask(docs)[scored.ids]
        scored = Scored(scored.ids[keep], scored.scores[keep])
    return top_k(scored, n)


def read_candidates(index: Index, best: list[tuple[int, float]]) -> list[Candidate]:
    """The chunks of `best_bm25` as candidates, their matching forms read in one query, and so their documents (whose
    titles and years the ranking reads) those not read before."""
    rows = index.bares([chunk_id for chunk_id, _ in best])
    index.documents.some(dict.fromkeys(doc_id for doc_id, _ in rows.values()))
    return [Candidate(chunk_id, value, index, *rows[chunk_id]) for chunk_id, value in best]


def candidates(
    index: Index, query: Query, n: int, docs: frozenset[str] | None = None, within: Subset | None = None
) -> list[Candidate]:
    """The n best chunks by BM25 (of `docs` only, when given), read."""
    return read_candidates(index, best_bm25(index, query, n, docs, within))


LOOKED_FOR = 5000  # chunks holding a one-word question's word, read for the answer's look when no more hold it


def phrases_past(query: Query) -> list[str]:
    """The question's character pairs reaching past its one topic word (境日 of 环境日是哪一天, 日 being a stopword)."""
    topic = query.topics[0]
    return sorted(p for p in query.pairs if p not in topic and (p[0] in topic or p[1] in topic))


def looked_for(
    index: Index, query: Query, expected: re.Pattern[str], phrases: list[str], below: list[tuple[int, float]]
) -> list[Candidate]:
    """For a question of one topic word asking for a look (a date, a figure): of the chunks BM25 ranked `below` the
    candidates, those holding the word, one of the `phrases` past it and that look. With one word BM25 can only
    prefer the chunks repeating it, and a short article stating the answer (每年6月5日为环境日, asked 环境日是哪一天:
    环境 and the phrase 境日) lies below hundreds of them. SQLite picks the chunks holding a phrase."""
    topic, asked = query.topics[0], bare(query.text)
    rows = index.bares([chunk_id for chunk_id, _ in below], holding=phrases)
    keep = [(i, v) for i, v in below if i in rows and topic in rows[i][1] and holds(expected, rows[i][1], asked)]
    return read_candidates(index, keep)


def measure(index: Index, query: Query, found: list[Candidate]) -> None:
    """Each candidate's coverage (the share of the topic words' weight it holds) and phrase share.

    A word counts as present when the chunk holds it as a token, or as a string once punctuation is set
    aside: segmentation and quotes cut the same words differently in a question and in a paragraph
    (作了主报告 / 作主|报告, 树新风 / 树“新风”). A synonym counts for the word it stands in for.
    """
    total = query.topic_weight
    groups = [(t, query.weight(t), (t, *query.alternatives.get(t, ()))) for t in query.topics]
    by_held: dict[frozenset[str], tuple[float, float]] = {}  # candidates often hold the same topics
    terms, pairs = list(query.terms), list(query.pairs)
    in_title: dict[str, set[str]] = {}  # a document's title words are indexed with every chunk of it
    for c in found:
        if c.doc_id not in in_title:
            in_title[c.doc_id] = set(filter(index.title_of(c.doc_id).__contains__, terms))
        c.present = present = set(filter(c.bare.__contains__, terms)) | in_title[c.doc_id]
        held = frozenset(t for t, _, group in groups if not present.isdisjoint(group))
        if held not in by_held:
            coverage = sum(w for t, w, _ in groups if t in held) / total if total else 0.0
            by_held[held] = coverage, query.words_held(held)
        c.coverage, c.words = by_held[held]
        c.phrase = sum(map(c.bare.__contains__, pairs)) / len(pairs) if pairs else 0.0


def rerank(index: Index, query: Query, found: list[Candidate]) -> list[Candidate]:
    """Best first: BM25 times coverage and phrase evidence, lifted for the years the question names and for a
    section headed by the question's words."""
    looks = expects(query.text, query.asks_items)
    slot = answer_slot(query.norm, query.asking, query.topics, looks) if looks is not None else None
    expected = looks or characterization(query.norm, [t for t in query.topics if t not in query.scope_words])
    asked = bare(query.text)
    penalties = asks_consequences(query.norm)
    for c in found:
        year = year_factor(c, index.documents[c.doc_id].year, query.years, query.strict_years)
        c.value = c.bm25 * c.coverage**COVERAGE_POWER * (1 + PHRASE_WEIGHT * c.phrase) * year * heading_factor(c, query)
        if expected is not None and holds(expected, c.bare, asked):  # the figure, date or age asked for; what X is
            c.value *= 1 + EXPECTED_BOOST
        if slot is not None and slot.search(c.bare):  # 职业学校教育分为…: even where the question says 分为 too
            c.value *= 1 + SLOT_BOOST
        if is_record(c.bare) and not answers_when(c.bare, query.norm, query.kind == "time"):
            c.value *= RECORD_FACTOR  # 2007年6月29日…会议通过: when a law was made, not what it says
        if not penalties and under_penalties(c.bare):
            c.value *= PENALTY_FACTOR  # 以实物…代替货币支付的,责令…: the sanction, for a question asking the rule
    return sorted(found, key=lambda c: (-c.value, c.chunk_id))


def collapse(found: list[Candidate], k: int, min_coverage: float) -> list[Candidate]:
    """The k best, a passage repeated word for word kept once; none unless one of them answers the question."""
    if not any(c.answers(min_coverage) for c in found):
        return []
    found = [c for c in found if c.answers(min_coverage) or c.coverage >= min(SHOWN_COVERAGE, min_coverage)]
    kept: list[Candidate] = []
    seen: set[str] = set()
    for c in found:
        if c.value <= 0 or c.bare in seen:  # a chunk holding none of the topic words, matched by its title alone
            continue
        seen.add(c.bare)
        kept.append(c)
        if len(kept) == k:
            break
    return kept


def search(
    index: Index,
    query: Query,
    k: int = 5,
    min_coverage: float | None = None,
    docs: frozenset[str] | None = None,
    series: frozenset[str] | None = None,
) -> list[Hit]:
    """The k best chunks for a parsed question that pass the coverage threshold (MIN_COVERAGE unless given), best
    first; only chunks of the documents `docs` when given. With `series` (the documents `docs` belong to with their
    look-alikes: every provincial report of the year, every congress report), terms are weighed and chunks ranked by
    that series' counts, so the same question about the same document gets the same passages whatever else the
    corpus holds."""
    if not query.topics:
        return []
    within = index.subset(series) if series else None
    query = weighed(index, query, series)
    n = max(k, CANDIDATES)
    expected = expects(query.text, query.asks_items) if len(query.topics) == 1 else None
    phrases = phrases_past(query) if expected is not None else []
    # a one-word question asking for a look ranks its word's chunks once, deep enough for `looked_for` (when no more
    # than LOOKED_FOR hold it: reading more would cost more than a question may)
    ranked = best_bm25(index, query, max(n, LOOKED_FOR + 1) if phrases else n, docs, within)
    found = read_candidates(index, ranked[:n])
    if expected is not None and phrases and len(ranked) <= LOOKED_FOR:
        found += looked_for(index, query, expected, phrases, ranked[n:])
    measure(index, query, found)
    threshold = MIN_COVERAGE if min_coverage is None else min_coverage
    return hits_of(index, collapse(rerank(index, query, found), k, threshold), threshold)


def weighed(index: Index, query: Query, series: frozenset[str] | None) -> Query:
    """The query weighed by the counts of a series of documents, when given (else as parsed: by the corpus's)."""
    if not series:
        return query
    within = index.subset(series)
    return counted(query, lambda t: held.df if (held := within.postings(t)) is not None else 0, within.stats.n_docs)


EACH_CANDIDATES = 4  # best BM25 chunks of each document measured when every document is searched on its own


def search_each(
    index: Index, query: Query, doc_ids: list[str], k: int = 2, years_of: dict[str, int] | None = None
) -> dict[str, list[Hit]]:
    """The k best hits of each document on its own (a comparison across an archive), BM25 computed once for all:
    each document's candidates are the best chunks of its run of chunk ids; with `years_of`, each document's
    passages speaking of its year are ranked first (its plan, or the year it reviews)."""
    if not query.topics:
        return {d: [] for d in doc_ids}
    scored = bm25_scores(index, query)
    best: dict[str, list[tuple[int, float]]] = {}
    for doc_id in doc_ids:
        stored = index.stored[doc_id]
        lo, hi = np.searchsorted(scored.ids, [stored.first, stored.first + stored.count])
        best[doc_id] = top_k(Scored(scored.ids[lo:hi], scored.scores[lo:hi]), EACH_CANDIDATES)
    found = read_candidates(index, [pair for pairs in best.values() for pair in pairs])
    measure(index, query, found)
    if query.years or years_of:  # every candidate's years are read: all its chunks in one query, not one each
        read = index.chunks([c.chunk_id for c in found])
        for c in found:
            c.read = read[c.chunk_id]
    by_doc: dict[str, list[Candidate]] = {d: [] for d in doc_ids}
    for c in found:
        by_doc[c.doc_id].append(c)
    years_of = years_of or {}
    for c in found:  # a row speaks of its year in its own words: a heading naming both (1993年…的回顾和1994年工作…) not
        if c.doc_id in years_of and c.read is not None:
            own = passage_years(c.read.text, index.documents[c.doc_id].year)
            c.read = c.read.model_copy(update={"years": own})

    def asked(d: str) -> Query:
        return replace(query, years=frozenset({years_of[d]}), strict_years=True) if d in years_of else query

    return {
        d: hits_of(index, collapse(rerank(index, asked(d), cs), k, MIN_COVERAGE), MIN_COVERAGE)
        for d, cs in by_doc.items()
    }


def hits_of(index: Index, kept: list[Candidate], min_coverage: float) -> list[Hit]:
    """The kept candidates as hits, their chunks read (those not read yet in one query)."""
    unread = [c for c in kept if c.read is None]
    if len(unread) > 1:
        read = index.chunks([c.chunk_id for c in unread])
        for c in unread:
            c.read = read.get(c.chunk_id)
    return [
        Hit(
            chunk=c.chunk,
            doc=index.documents[c.doc_id],
            score=c.bm25,
            coverage=c.coverage,
            value=c.value,
            answers=c.answers(min_coverage),
            terms=sorted(c.present, key=len, reverse=True),
        )
        for c in kept
    ]


def year_factor(c: Candidate, doc_year: int | None, years: frozenset[int], strict: bool = False) -> float:
    """How much a passage is lifted for the years a question names: when it speaks of one of them (by naming it,
    by a relative word such as 过去一年, or else as part of a document of that year), or, less, when its
    document is of one of them. With `strict` (the years name documents of a series, whose passages are being
    ranked), a passage that speaks only of other years is lowered as much as one of the years is lifted."""
    if not years:
        return 1.0
    if years.intersection(c.chunk.years or [doc_year]):
        return 1.0 + YEAR_BOOST
    if strict and c.chunk.years:
        return 1.0 / (1.0 + YEAR_BOOST)
    if doc_year in years:
        return 1.0 + MENTION_BOOST
    return 1.0


def heading_factor(c: Candidate, query: Query) -> float:
    """The lift for a chunk whose own (innermost) section heading holds every topic of a question of two words or
    more, a synonym standing in for its word: the heading says the section is about the question (提升群众中医药
    认知水平 for 怎么让老百姓更了解中医), where a short passage elsewhere may use the same words in passing. One
    word in a heading says less: broad section titles hold the corpus's common words (中医药). Only a chunk
    covering the whole question can have such a heading, so only those are read."""
    if c.coverage < 1.0 - 1e-9 or len(query.units) < 2 or not (headings := c.chunk.headings):
        return 1.0
    heading = bare(headings[-1])
    for t in query.topics:
        if not any(word in heading for word in (t, *query.alternatives.get(t, ()))):
            return 1.0
    return 1.0 + HEADING_BOOST


def related_topics(index: Index, query: Query, n: int = 3) -> list[str]:
    """Indexed topics near a question nothing answered: headings or titles of the chunks sharing most words with it.

    Falls back to the newest documents' titles when the question shares no word with the corpus.
    """
    topics: list[str] = []
    for c in candidates(index, query, RELATED_FROM):
        topic = c.chunk.headings[-1] if c.chunk.headings else index.documents[c.doc_id].title
        if topic not in topics:
            topics.append(topic)
        if len(topics) == n:
            return topics
    read = index.documents.fields("date", "title")
    newest = sorted(read["date"], key=lambda i: read["date"][i] or "", reverse=True)
    topics += [title for i in newest if (title := read["title"][i]) not in topics]
    return topics[:n]
