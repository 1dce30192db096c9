"""Questions in, ranked hits out: validation, BM25 over the inverted index, and the relevance threshold.

The threshold is query-term coverage weighted by idf: the share of the question's weight whose terms
(or their synonyms) occur in a chunk. A question whose words the corpus mostly does not hold (weather,
stock prices, cooking) gets no hits at all instead of the least-bad paragraph.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from .bm25 import score, top_k
from .errors import EmptyQuery, QueryTooLong
from .load import strip_tags
from .models import Hit
from .store import Index
from .text import normalize
from .years import is_time_term, question_years
from .tokenize import query_terms, synonyms

MAX_QUERY_CHARS = 1000
MIN_COVERAGE = 0.5     # below this a chunk does not answer the question
CANDIDATES = 50        # coverage is computed for this many top BM25 chunks
DOC_CREDIT = 0.5       # a question term found elsewhere in the chunk's document counts this much
YEAR_BOOST = 0.3       # ranking lift for a document of a year the question names
MENTION_BOOST = 0.15   # ... and for a passage of another year's document that mentions it


# "哪些单位", "什么措施": the noun after an interrogative names the kind of answer wanted, which the answer
# itself spells out (忻州市、高平市…) rather than repeats; it ranks, but a passage need not contain it.
ANSWER_TYPE = re.compile(r"(?:哪些|哪个|哪几个|哪一个|哪家|哪位|什么|何种|哪)(单位|部门|地方|城市|地区|人员|领导|机构|方面|"
                         r"措施|举措|内容|要求|时间|地点|职务|职位|身份|名称|名字|人)")
_PUNCT = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Query:
    """A validated question and its weighted terms."""

    text: str
    terms: list[tuple[str, float]]
    answer_types: frozenset[str] = frozenset()

    @property
    def own(self) -> list[str]:
        """The terms the user typed (synonyms added for them aside) that a passage should hold: less times
        such as 2024 or 去年, and less the kind of answer asked for (哪些单位 -> 单位)."""
        return [t for t, w in self.terms if w == 1.0 and not is_time_term(t) and t not in self.answer_types]


def parse_query(question: str) -> Query:
    """Validate a question: not blank, at most MAX_QUERY_CHARS characters."""
    text = question.strip()
    if not text:
        raise EmptyQuery()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryTooLong()
    # Text pasted from a web page may carry markup: its tags are not words of the question.
    words = strip_tags(text) if "<" in text else text
    return Query(text=text, terms=query_terms(words), answer_types=frozenset(ANSWER_TYPE.findall(normalize(words))))


def term_weight(index: Index, term: str) -> float:
    """A term's weight for coverage: its idf, or the highest possible idf when the corpus does not hold it."""
    p = index.postings(term)
    n = index.stats.n_docs
    df = p.df if p is not None else 0
    # a small floor keeps terms found in most chunks from weighing nothing
    return max(math.log((n - df + 0.5) / (df + 0.5)), 0.0) + 1e-3 if df else math.log((n + 0.5) / 0.5)


def search(index: Index, question: str, k: int = 5, min_coverage: float = MIN_COVERAGE,
           today: dt.date | None = None) -> list[Hit]:
    """The k best chunks for a question that pass the coverage threshold, best first.

    BM25 picks the candidates; they are ranked by BM25 times coverage (Lucene's classic "coord" factor),
    so a chunk that answers the whole question beats one that repeats part of it. Years the question
    names (2024年, 去年, 十四五期间) lift documents of those years, and passages that mention them, without
    hiding a match from another year. Passages repeated word for word keep only their best place.
    """
    query = parse_query(question)
    years = question_years(query.text, today or dt.date.today())
    originals = query.own
    if not originals:
        return []
    scored = score(query.terms, index.postings, index.lengths, index.stats, index.params)
    all_weights = {t: w * term_weight(index, t) for t, w in query.terms}  # the user's own terms have w = 1
    weights = {t: all_weights[t] for t in originals}
    total = sum(weights.values())
    syn = synonyms()
    ranked: list[tuple[float, int, float, float, set[str]]] = []
    for chunk_id, value in top_k(scored, max(k, CANDIDATES)):
        # A term counts as present when the chunk holds it as a token, or as a string once punctuation is
        # set aside: segmentation and quotes cut the same words differently in a question and in a
        # paragraph (作了主报告 / 作主|报告, 树新风 / 树“新风”).
        chunk = index.chunk(chunk_id)
        text = normalize(chunk.quoted)
        bare = _PUNCT.sub("", text)
        present = {t for t, _ in query.terms if index.holds(t, chunk_id) or t in bare}
        coverage = 0.0
        for t in originals:
            group = (t, *syn.get(t, ()))
            if any(s in present for s in group):
                coverage += weights[t]
            elif any(index.doc_holds(s, chunk_id) for s in group):
                coverage += DOC_CREDIT * weights[t]  # context the document gives (which meeting, which year)
        coverage /= total
        if coverage < min_coverage:
            continue
        rank_value = value * coverage * year_factor(index.documents[chunk.doc_id].year, text, years)
        ranked.append((rank_value, chunk_id, value, coverage, present))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    hits: list[Hit] = []
    seen: set[str] = set()
    for _, chunk_id, value, coverage, present in ranked:
        chunk = index.chunk(chunk_id)
        key = normalize(chunk.text)
        if key in seen:
            continue
        seen.add(key)
        hits.append(Hit(chunk=chunk, doc=index.documents[chunk.doc_id], score=value, coverage=coverage,
                        terms=sorted(present, key=len, reverse=True), weights=all_weights))
        if len(hits) == k:
            break
    return hits


def year_factor(doc_year: int | None, text: str, years: set[int]) -> float:
    """How much a passage is lifted for the years a question names: its document's year, or a mention."""
    if not years:
        return 1.0
    if doc_year in years:
        return 1.0 + YEAR_BOOST
    if any(f"{y}年" in text for y in years):
        return 1.0 + MENTION_BOOST
    return 1.0


def related_topics(index: Index, question: str, n: int = 3) -> list[str]:
    """Indexed topics near a question nothing answered: headings or titles of the chunks sharing most words with it.

    Falls back to the newest documents' titles when the question shares no word with the corpus.
    """
    topics: list[str] = []
    try:
        query = parse_query(question)
    except (EmptyQuery, QueryTooLong):
        query = None
    if query is not None:
        scored = score(query.terms, index.postings, index.lengths, index.stats, index.params)
        for chunk_id, _ in top_k(scored, 20):
            chunk = index.chunk(chunk_id)
            topic = chunk.headings[-1] if chunk.headings else index.documents[chunk.doc_id].title
            if topic not in topics:
                topics.append(topic)
            if len(topics) == n:
                return topics
    newest = sorted(index.documents.values(), key=lambda d: d.date or "", reverse=True)
    topics += [d.title for d in newest if d.title not in topics]
    return topics[:n]
