"""The sorted runs a large build spills to disk and merges at its end (indexing/writer.py): for each run, its
postings' chunk ids and term frequencies in term order, and how many postings each term has (the terms themselves
are those counts, so they are not written)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def write_run(run: Path, terms: np.ndarray, ids: np.ndarray, tfs: np.ndarray, vocabulary: int) -> None:
    """Sort gathered postings by term (chunk ids stay ascending within a term) and write them as the run `run`."""
    order = np.argsort(terms, kind="stable")
    np.save(f"{run}.counts.npy", np.bincount(terms, minlength=vocabulary))
    for name, values in (("ids", ids), ("tfs", tfs)):
        np.save(f"{run}.{name}.npy", values[order])


@dataclass(frozen=True)
class _Saved:
    """An array saved with np.save, read a slice at a time from its file (not mapped: a mapped page counts in the
    process's memory while it stays mapped)."""

    path: str
    dtype: np.dtype
    offset: int

    @classmethod
    def open(cls, path: str) -> _Saved:
        header = np.load(path, mmap_mode="r")  # maps the file to learn where its data begins; no page is read
        return cls(path, header.dtype, header.offset)

    def read(self, lo: int, hi: int) -> np.ndarray:
        """Elements lo..hi-1."""
        return np.fromfile(self.path, dtype=self.dtype, count=hi - lo, offset=self.offset + lo * self.dtype.itemsize)


@dataclass
class Run:
    """A spilled run of a build: its terms' posting counts in memory, its ids and frequencies on disk."""

    counts: np.ndarray
    """Postings of each term in this run (terms numbered after it was written have none)."""
    starts: np.ndarray
    """Where each term's postings begin in the run's files, and where the last ends."""
    ids: _Saved
    tfs: _Saved

    @classmethod
    def open(cls, run: Path, terms: int) -> Run:
        counts = np.load(f"{run}.counts.npy")
        counts = np.pad(counts, (0, terms - len(counts)))
        starts = np.concatenate(([0], np.cumsum(counts)))
        return cls(counts, starts, _Saved.open(f"{run}.ids.npy"), _Saved.open(f"{run}.tfs.npy"))

    def block(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Terms, chunk ids and frequencies of the terms start..stop-1, in term order."""
        lo, hi = int(self.starts[start]), int(self.starts[stop])
        terms = np.repeat(np.arange(start, stop, dtype=np.int32), self.counts[start:stop])
        return terms, self.ids.read(lo, hi), self.tfs.read(lo, hi)
