"""A set of documents of the index taken as a collection of its own (a series of look-alike reports): its chunk
count and average length, and each term's postings within it, for BM25 to rank by (retrieval/answering/search.py)."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from .bm25 import BM25Params, CorpusStats, Postings, length_norms


class Collection(Protocol):
    """What a subset reads of the whole index (core/store.py's Index): postings, chunk lengths, BM25's params."""

    lengths: np.ndarray
    params: BM25Params

    def postings(self, term: str) -> Postings | None: ...


class Subset:
    """A set of documents taken as a collection (a series of reports): its own counts for idf and length norms, so
    that passages within it rank the same whatever else the corpus holds."""

    def __init__(self, index: Collection, mask: np.ndarray, stats: CorpusStats):
        self.index = index
        self.mask = mask
        self.stats = stats
        self._norms: dict[float, np.ndarray] = {}

    def postings(self, term: str) -> Postings | None:
        """The term's postings within these documents."""
        found = self.index.postings(term)
        if found is None:
            return None
        keep = self.mask[found.ids]
        return Postings(found.ids[keep], found.tfs[keep])

    def norms(self, min_length: float) -> np.ndarray:
        """BM25's length normalization by these documents' average length (an array over every chunk id)."""
        key = round(min_length, 6)
        if key not in self._norms:
            self._norms[key] = length_norms(self.index.lengths, self.stats, self.index.params, min_length)
        return self._norms[key]
