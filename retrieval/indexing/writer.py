"""Writing the index: full builds streamed into a new file, refreshes added in place, compaction.

- `NewIndex` streams a full build into a temporary file beside the index and renames it into place: chunk
  rows go to SQLite as documents arrive; postings are gathered in runs of bounded size, sorted and spilled
  to disk, and merged by term at the end, so memory stays bounded whatever the corpus size.
- `refresh` adds a changed corpus to the existing file in one transaction: new chunk rows, one new postings
  segment for them, a new commit marking the chunks of changed and removed documents as gone. Nothing is
  rewritten, so a refresh costs what the changed files cost, and readers of the previous version are not
  disturbed (see retrieval/core/store.py).
Compaction, when refreshes have piled up, is retrieval/indexing/compact.py.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from ..core.bm25 import BM25Params
from ..core.schema import FORMAT, INDEXES, SCHEMA, Commit, pipeline_version
from ..core.store import Index
from .runs import Run, write_run

RUN_POSTINGS = 4_000_000  # postings gathered in memory before a run is sorted and spilled to disk
MERGE_POSTINGS = 8_000_000  # postings merged at once at the end of a build


@dataclass
class DocRows:
    """One ingested file as stored: document and chunk rows, and its postings.

    `postings` has a row (term number in `terms`, chunk number in the document, count) for every distinct term
    of every chunk; `lengths` the number of tokens of each chunk. Worked out in the worker that ingested the
    file, so that the process writing the index only maps the document's terms to the index's.
    """

    id: str
    sha256: str
    stamp: str
    document: str
    chunks: list[str]
    bares: list[str]
    terms: list[str]
    postings: np.ndarray
    lengths: np.ndarray
    characters: int
    aliases: str = "[]"
    """(short, long) forms the document defines (以下简称…), as JSON."""

    @classmethod
    def of(cls, token_lists: list[list[str]], **fields: Any) -> DocRows:
        # a document's tokens in one array, counted by (chunk, term) in one sort: no Python loop a posting
        flat = list(chain.from_iterable(token_lists))
        terms = list(dict.fromkeys(flat))  # numbered in order of first use
        numbers = dict(zip(terms, range(len(terms)), strict=True))
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
        chunk_of = np.repeat(np.arange(len(token_lists), dtype=np.int64), lengths)
        term_of = np.fromiter(map(numbers.__getitem__, flat), dtype=np.int64, count=len(flat))
        width = max(1, len(terms))  # a (chunk, term) pair as one number: chunk * width + term
        pairs, counts = np.unique(chunk_of * width + term_of, return_counts=True)
        postings = np.empty((len(pairs), 3), dtype=np.int32)
        postings[:, 1], postings[:, 0] = np.divmod(pairs, width)
        postings[:, 2] = counts
        return cls(
            terms=terms,
            postings=postings,
            lengths=lengths.astype(np.int32),
            **fields,
        )


def connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)  # transactions are begun and committed explicitly
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def new_file(path: Path) -> tuple[Path, sqlite3.Connection]:
    """A temporary file beside the index, with the schema, written without a journal: it is renamed into place
    only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    db = connect(Path(name))
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(SCHEMA)
    db.execute("BEGIN")
    return Path(name), db


def finish_file(
    db: sqlite3.Connection,
    tmp: Path,
    path: Path,
    commit: Commit,
    lengths: np.ndarray,
    params: BM25Params,
    corpus: Path | None,
) -> None:
    db.execute(INDEXES)
    if corpus is not None:
        record_corpus(db, corpus)
    db.execute("INSERT INTO arrays VALUES ('lengths', ?)", (lengths.astype(np.int32).tobytes(),))
    db.execute("INSERT INTO commits VALUES (?, ?, NULL)", (commit.generation, commit.dump()))
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("format", FORMAT),
            ("pipeline", pipeline_version()),
            ("params", json.dumps(params.__dict__)),
            ("current", commit.generation),
        ],
    )
    db.execute("COMMIT")
    db.close()
    os.replace(tmp, path)


def record_corpus(db: sqlite3.Connection, corpus: Path) -> None:
    """Write down, in the transaction under way, the folder the index holds (absolute): a command given the index
    alone refreshes it from there, and one naming another folder is stopped (conditions.check_corpus)."""
    db.execute("INSERT OR REPLACE INTO meta VALUES ('corpus', ?)", (str(corpus.resolve()),))


def note_corpus(path: Path, corpus: Path) -> None:
    """Record the folder of an index built before folders were recorded, in a transaction of its own."""
    db = connect(path)
    try:
        db.execute("BEGIN IMMEDIATE")
        record_corpus(db, corpus)
        db.execute("COMMIT")
    finally:
        db.close()


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class NewIndex:
    """A full build streamed into a new file; `finish` renames it into place, leaving the context aborts it."""

    def __init__(self, path: Path, params: BM25Params, corpus: Path | None = None):
        self.path, self.params, self.corpus = path, params, corpus
        self.tmp, self.db = new_file(path)
        self.finished = False
        self.runs_dir = Path(tempfile.mkdtemp(prefix=path.name + ".runs.", dir=path.parent))
        self.runs: list[Path] = []
        self.vocabulary: dict[str, int] = {}
        self.terms: list[str] = []
        self.run: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.run_size = 0
        self.lengths: list[np.ndarray] = []
        self.next_id = 0
        self.characters = 0

    def __enter__(self) -> NewIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.finished:  # an error or an interruption
            self.db.close()
        self.tmp.unlink(missing_ok=True)
        shutil.rmtree(self.runs_dir, ignore_errors=True)

    def add(self, doc: DocRows) -> None:
        first = self.next_id
        self.db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?)",
            [(first + i, doc.id, data, text) for i, (data, text) in enumerate(zip(doc.chunks, doc.bares, strict=True))],
        )
        self.db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.sha256, doc.stamp, first, len(doc.chunks), doc.characters, doc.document, doc.aliases),
        )
        vocabulary, terms = self.vocabulary, self.terms
        new = [term for term in doc.terms if term not in vocabulary]
        vocabulary.update(zip(new, range(len(terms), len(terms) + len(new)), strict=True))
        terms.extend(new)
        numbers = np.fromiter(map(vocabulary.__getitem__, doc.terms), dtype=np.int32, count=len(doc.terms))
        self.run.append((numbers[doc.postings[:, 0]], doc.postings[:, 1] + first, doc.postings[:, 2]))
        self.run_size += len(doc.postings)
        self.lengths.append(doc.lengths)
        self.next_id += len(doc.chunks)
        self.characters += doc.characters
        if self.run_size >= RUN_POSTINGS:
            self._spill()

    def skip(self, doc_id: str, sha256: str, stamp: str, reason: str) -> None:
        self.db.execute("INSERT INTO skipped VALUES (?, ?, ?, ?)", (doc_id, sha256, stamp, reason))

    def _spill(self) -> None:
        """Sort the gathered postings by term (chunk ids stay ascending within a term) and write them to disk: the
        ids and term frequencies in term order, and how many postings each term has (its terms are those counts)."""
        if not self.run:
            return
        terms, ids, tfs = (np.concatenate(part) for part in zip(*self.run, strict=True))
        run = self.runs_dir / f"run{len(self.runs)}"
        write_run(run, terms, ids, tfs, len(self.terms))
        self.runs.append(run)
        self.run, self.run_size = [], 0

    def _merge(self) -> None:
        """Postings of every term, from every run, as segment 0: a block of terms at a time.

        A run's slices are read from its files, not memory-mapped (runs.py): at a million paragraphs mapped runs
        were 0.4 GiB of the build's peak."""
        self._spill()
        n = len(self.terms)
        runs = [Run.open(run, n) for run in self.runs]
        counts = sum((r.counts for r in runs), np.zeros(n, dtype=np.int64))
        ends = np.cumsum(counts)
        start = 0
        while start < n:
            # the terms whose postings fit in one block (at least one term)
            stop = max(start + 1, int(np.searchsorted(ends, (ends[start - 1] if start else 0) + MERGE_POSTINGS)))
            parts = [r.block(start, stop) for r in runs]
            terms = np.concatenate([p[0] for p in parts])
            order = np.argsort(terms, kind="stable")  # runs are in chunk id order: ids stay ascending
            terms, ids, tfs = (
                terms[order],
                np.concatenate([p[1] for p in parts])[order],
                np.concatenate([p[2] for p in parts])[order],
            )
            cuts = np.flatnonzero(np.diff(terms)) + 1
            bounds = zip(np.r_[0, cuts], np.r_[cuts, len(terms)], strict=True)
            self.db.executemany(
                "INSERT INTO postings VALUES (?, 0, ?, ?)",
                ((self.terms[int(terms[a])], ids[a:b].tobytes(), tfs[a:b].tobytes()) for a, b in bounds),
            )
            start = stop

    def finish(self) -> str:
        """Write the postings and the commit, and rename the file into place; returns the new generation."""
        self._merge()
        lengths = np.concatenate(self.lengths) if self.lengths else np.empty(0, dtype=np.int32)
        commit = Commit(
            generation=secrets.token_hex(3),
            segments=(0,),
            n_docs=self.next_id,
            total_length=int(lengths.sum()),
            next_id=self.next_id,
            characters=self.characters,
            built_at=now(),
        )
        finish_file(self.db, self.tmp, self.path, commit, lengths, self.params, self.corpus)
        self.finished = True
        return commit.generation


def refresh(
    index: Index,
    added: list[DocRows],
    gone: list[str],
    skipped: dict[str, tuple[str, str, str]],
    unskipped: list[str],
    corpus: Path | None = None,
) -> Commit:
    """Add a changed corpus to the file of `index` in one transaction; returns the new commit.

    `added`: added and changed files; `gone`: changed and removed files (their old chunks leave this version);
    `skipped`: files now skipped, id -> (sha256, stamp, reason); `unskipped`: skipped files gone or readable now.
    The steps: retire the gone documents' chunks, append the added ones as a new segment, record the skipped
    files, and write the commit that makes the new version current.
    """
    commit = index.commit
    db = connect(index.path)
    try:
        db.execute("BEGIN IMMEDIATE")
        alive, removed_chars = _retire(db, index, gone)
        segment = (db.execute("SELECT max(segment) FROM postings").fetchone()[0] or 0) + 1
        lengths, added_chars = _append(db, added, commit.next_id, segment)
        _record_skips(db, skipped, unskipped)
        next_id = commit.next_id + len(lengths)
        all_lengths = np.concatenate([index.lengths, lengths])
        alive = np.concatenate([alive, np.ones(len(lengths), dtype=bool)])
        new = Commit(
            generation=secrets.token_hex(3),
            segments=(*commit.segments, segment),
            n_docs=int(alive.sum()),
            total_length=int(all_lengths[alive].sum()),
            next_id=next_id,
            characters=commit.characters - removed_chars + added_chars,
            built_at=now(),
        )
        make_current(db, new, alive, all_lengths)
        if corpus is not None:
            record_corpus(db, corpus)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()
    return new


def _retire(db: sqlite3.Connection, index: Index, gone: list[str]) -> tuple[np.ndarray, int]:
    """Take the gone documents out of this version: their rows go, their chunks are marked dead (the postings
    stay until a compaction). Returns which chunks stay alive and the characters removed."""
    alive = index.alive.copy() if index.alive is not None else np.ones(index.commit.next_id, dtype=bool)
    removed = 0
    for doc_id in gone:
        stored = index.stored[doc_id]
        alive[stored.first : stored.first + stored.count] = False
        removed += stored.characters
        db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    return alive, removed


def _append(db: sqlite3.Connection, added: list[DocRows], first_id: int, segment: int) -> tuple[np.ndarray, int]:
    """Write the added documents' chunks and rows from chunk id `first_id` on, and their postings as one new
    segment. Returns the new chunks' lengths and the characters added."""
    next_id = first_id
    lengths: list[np.ndarray] = []
    postings: dict[str, tuple[list[int], list[int]]] = {}
    characters = 0
    for doc in added:
        rows = zip(doc.chunks, doc.bares, strict=True)
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?)", [(next_id + i, doc.id, *row) for i, row in enumerate(rows)]
        )
        db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.sha256, doc.stamp, next_id, len(doc.chunks), doc.characters, doc.document, doc.aliases),
        )
        for number, chunk, tf in doc.postings.tolist():
            ids, tfs = postings.setdefault(doc.terms[number], ([], []))
            ids.append(next_id + chunk)
            tfs.append(tf)
        lengths.append(doc.lengths)
        next_id += len(doc.chunks)
        characters += doc.characters
    db.executemany(
        "INSERT INTO postings VALUES (?, ?, ?, ?)",
        (
            (term, segment, np.asarray(ids, dtype=np.int32).tobytes(), np.asarray(tfs, dtype=np.int32).tobytes())
            for term, (ids, tfs) in postings.items()
        ),
    )
    return (np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int32)), characters


def _record_skips(db: sqlite3.Connection, skipped: dict[str, tuple[str, str, str]], unskipped: list[str]) -> None:
    """Remember the files that cannot be read (so an unchanged one is not read again), forget the others."""
    for doc_id, (sha, stamp, reason) in skipped.items():
        db.execute("INSERT OR REPLACE INTO skipped VALUES (?, ?, ?, ?)", (doc_id, sha, stamp, reason))
    db.executemany("DELETE FROM skipped WHERE id = ?", [(d,) for d in unskipped])


def make_current(db: sqlite3.Connection, new: Commit, alive: np.ndarray, lengths: np.ndarray) -> None:
    """Write the new commit and make it the current one; snapshots opened earlier keep theirs in memory."""
    db.execute("UPDATE arrays SET data = ? WHERE name = 'lengths'", (lengths.tobytes(),))
    db.execute("DELETE FROM commits")  # only the current commit is kept in the file
    db.execute("INSERT INTO commits VALUES (?, ?, ?)", (new.generation, new.dump(), np.packbits(alive).tobytes()))
    db.execute("UPDATE meta SET value = ? WHERE key = 'current'", (new.generation,))
