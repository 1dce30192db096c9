"""BM25 scoring over an inverted index: rank-bm25's BM25Okapi with Lucene's idf.

BM25Okapi's idf, log((N - n + 0.5) / (n + 0.5)), is negative for a term in more than half of the chunks:
in a small collection (three short Word files) a common word then lowers a chunk's score, and a product
with any other signal inverts the order. Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), ranks terms
the same way and is never negative. Everything else is BM25Okapi's: tf saturation with k1, length
normalization with b; the tests check the scores against rank-bm25 with this idf.

BM25Okapi.get_scores walks every document for every query term. Here each term's postings (the ids of the
chunks holding it and its count in each) are read once, so a query touches only the chunks that hold one
of its terms; a chunk without any query term scores 0 in both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from rank_bm25 import BM25Okapi


@dataclass(frozen=True)
class BM25Params:
    k1: float = 1.5
    b: float = 0.75


@dataclass(frozen=True)
class Postings:
    """The chunks that hold one term (ascending ids) and the term's count in each."""

    ids: np.ndarray
    tfs: np.ndarray

    @property
    def df(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class CorpusStats:
    n_docs: int
    avgdl: float


@dataclass(frozen=True)
class Scored:
    """Scores of the candidate chunks of one query: ids ascending, scores aligned with them."""

    ids: np.ndarray
    scores: np.ndarray


def idf(df: int, n_docs: int) -> float:
    """Lucene's idf: log(1 + (N - df + 0.5) / (df + 0.5)); positive for every df, highest for a term no chunk holds."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def build_postings(token_lists: Iterable[list[str]]) -> tuple[dict[str, Postings], np.ndarray]:
    """Postings of every term and the length of every chunk, from the chunks' token lists in id order."""
    vocabulary: dict[str, int] = {}
    term_ids: list[int] = []
    lengths: list[int] = []
    for tokens in token_lists:
        lengths.append(len(tokens))
        term_ids.extend([vocabulary.setdefault(t, len(vocabulary)) for t in tokens])
    lengths_array = np.asarray(lengths, dtype=np.int32)
    n_docs = max(len(lengths), 1)
    # One (term, chunk) key per token occurrence; counting the distinct keys gives every term frequency at
    # once, already ordered by term and then by chunk id.
    doc_ids = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths_array)
    keys, counts = np.unique(np.asarray(term_ids, dtype=np.int64) * n_docs + doc_ids, return_counts=True)
    terms, docs = keys // n_docs, (keys % n_docs).astype(np.int32)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(terms)) + 1, [len(keys)]))
    names = {i: t for t, i in vocabulary.items()}
    postings = {
        names[int(terms[a])]: Postings(docs[a:b], counts[a:b].astype(np.int32))
        for a, b in zip(starts[:-1], starts[1:], strict=True)
        if b > a
    }
    return postings, lengths_array


def corpus_stats(lengths: np.ndarray) -> CorpusStats:
    """The corpus-wide figures BM25 needs: number of chunks and their average length."""
    n_docs = len(lengths)
    avgdl = float(lengths.sum()) / n_docs if n_docs else 0.0
    return CorpusStats(n_docs=n_docs, avgdl=avgdl)


DENSE_SHARE = 8  # postings covering more than 1/8 of the chunks are summed in an array over all of them


def length_norms(lengths: np.ndarray, stats: CorpusStats, params: BM25Params, min_length: float = 0.0) -> np.ndarray:
    """Every chunk's length normalization, k1 (1 - b + b dl / avgdl), with dl at least `min_length` tokens: a chunk
    shorter than that gains nothing more for being short."""
    dl = np.maximum(lengths, min_length)
    norms: np.ndarray = params.k1 * (1 - params.b + params.b * dl / (stats.avgdl or 1.0))
    return norms


def score(
    terms: list[tuple[str, float]],
    postings_of: Callable[[str], Postings | None],
    norms: np.ndarray,
    stats: CorpusStats,
    params: BM25Params,
) -> Scored:
    """BM25 scores of the chunks holding at least one term; each term's contribution is scaled by its weight.

    With every weight 1 and `norms` from `length_norms`, this is BM25Okapi.get_scores (with Lucene's idf)
    restricted to its non-zero entries. Every posting's contribution is computed at once; they are summed per
    chunk by sorting them by chunk id, or, when the postings cover much of the corpus, in an array over all
    chunks.
    """
    lists = [(p, w) for t, w in terms if (p := postings_of(t)) is not None and p.df]
    if not lists:
        return Scored(np.empty(0, dtype=np.int32), np.empty(0))
    ids = np.concatenate([p.ids for p, _ in lists])
    tf = np.concatenate([p.tfs for p, _ in lists]).astype(np.float64)
    weight = np.concatenate([np.full(p.df, w * idf(p.df, stats.n_docs)) for p, w in lists])
    contributions = weight * tf * (params.k1 + 1) / (tf + norms[ids])
    if len(ids) * DENSE_SHARE < len(norms):
        order = np.argsort(ids, kind="stable")
        ids, contributions = ids[order], contributions[order]
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        return Scored(ids[starts], np.add.reduceat(contributions, starts))
    total = np.bincount(ids, weights=contributions, minlength=len(norms))
    held = np.flatnonzero(total)
    return Scored(held, total[held])


def top_k(scored: Scored, k: int) -> list[tuple[int, float]]:
    """The k best (id, score) pairs, best first; ties go to the lower id."""
    if not len(scored.ids) or k <= 0:
        return []
    ids, scores = scored.ids, scored.scores
    if len(ids) > k:
        # Keep every candidate scoring at least the k-th best (ties included), then sort just those.
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return [(int(ids[i]), float(scores[i])) for i in order]


def reference_bm25(token_lists: list[list[str]]) -> BM25Okapi:
    """rank-bm25's BM25Okapi with Lucene's idf (through the hook its variants use): the definition our scores are
    checked against in the tests and timed against in the benchmarks."""
    from rank_bm25 import BM25Okapi  # a reference, not needed to search

    class LuceneIdfBM25(BM25Okapi):
        def _calc_idf(self, nd):
            for word, freq in nd.items():
                self.idf[word] = idf(freq, self.corpus_size)

    return LuceneIdfBM25(token_lists)
