"""The saved index: one SQLite file of documents, chunks, postings in segments, and commits. This module reads it.

Nothing is pickled. Writing (retrieval/indexing/writer.py) only ever adds rows to a file, so an index opened earlier
keeps reading the version it opened however the file grows:
- chunk rows are never changed or deleted in place; a changed document gets new chunk ids;
- postings come in segments: segment 0 from the full build, one more per refresh, holding the new chunks;
- a commit names the segments of one version, which chunk ids are alive in it, and its BM25 figures; the
  `current` entry of `meta` points at the newest commit.
An `Index` is such a snapshot: it loads its commit, the documents, chunk lengths and the alive mask when
opened, and reads postings and chunks on demand, so start-up costs little however large the corpus. A full
build or a compaction writes a new file and renames it into place, so an interrupted one leaves the old
index as it was; a damaged or old-format file is reported and rebuilt.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence, ValuesView
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .bm25 import BM25Params, CorpusStats, Postings, length_norms
from .errors import (
    IndexCorrupt,
)
from .models import Chunk, Document
from .schema import FORMAT, Commit, Stored, pipeline_version
from .subset import Subset
from .text import bare

log = logging.getLogger(__name__)

POSTINGS_CACHED = 8192  # terms whose postings a process keeps in memory: a bot's questions repeat words
POSTINGS_SEEN = 4 * POSTINGS_CACHED  # terms remembered as read, so that reading ahead skips them
MMAP_BYTES = 1 << 36  # address space, not memory: the whole index file, however large, mapped once
DOC_MASKS_CACHED = 256  # masks of document sets (a region's, a year's documents) kept for the questions naming them
CHUNKS_CACHED = 4096  # chunks kept parsed, for buttons and /cite on recent answers


class Index:
    """A snapshot of the saved index: documents in memory, chunks and postings read from SQLite when asked for."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            # Pages read through a memory map, not copied by read(): a query's first reads of the candidates' rows
            # are 7% faster. Safe here: a rebuild or a compaction writes a new file and renames it into place,
            # and a refresh only grows this one, so a mapped file is never truncated under a reader.
            self._db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise IndexCorrupt(f"format {meta.get('format')!r}, expected {FORMAT!r}")
            if meta.get("pipeline") != pipeline_version():
                raise IndexCorrupt("built by another version of the cleaning and tokenizing code")
            self.meta = meta
            self.params = BM25Params(**json.loads(meta["params"]))
            data, alive = self._db.execute(
                "SELECT data, alive FROM commits WHERE generation = ?", (meta["current"],)
            ).fetchone()
            self.commit = Commit.load(meta["current"], data)
            lengths = self._db.execute("SELECT data FROM arrays WHERE name = 'lengths'").fetchone()[0]
            self.lengths = np.frombuffer(lengths, dtype=np.int32)[: self.commit.next_id]
            self.alive = (
                np.unpackbits(np.frombuffer(alive, dtype=np.uint8), count=self.commit.next_id).astype(bool)
                if alive is not None
                else None
            )
            self.stored: dict[str, Stored] = {
                doc_id: Stored(sha, stamp, first, count, chars)
                for doc_id, sha, stamp, first, count, chars in self._db.execute(
                    "SELECT id, sha256, stamp, first, count, characters FROM documents"
                )
            }
            self.documents = _Documents(self)
            self.skipped: dict[str, str] = {}
            self.stored_skipped: dict[str, Stored] = {}
            for doc_id, sha, stamp, reason in self._db.execute("SELECT id, sha256, stamp, reason FROM skipped"):
                self.skipped[doc_id] = reason
                self.stored_skipped[doc_id] = Stored(sha, stamp)
        except IndexCorrupt:
            self.close()
            raise
        except (sqlite3.Error, KeyError, ValueError, TypeError) as exc:
            self.close()
            raise IndexCorrupt(str(exc)) from exc
        if len(self.lengths) != self.commit.next_id or sum(s.count for s in self.stored.values()) != self.commit.n_docs:
            self.close()
            raise IndexCorrupt("chunk count does not match the corpus figures")
        self.generation = self.commit.generation
        self.stats = self.commit.stats
        self._seen: set[str] = set()  # terms whose postings were read (most of them still cached)
        self._ahead: dict[str, list[tuple[int, bytes, bytes]]] = {}  # rows read ahead, not yet asked for
        self.postings = lru_cache(maxsize=POSTINGS_CACHED)(self._postings)
        self.chunk = lru_cache(maxsize=CHUNKS_CACHED)(self._chunk)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def n_chunks(self) -> int:
        """Chunks in this version (a changed document's old chunks are not counted)."""
        return self.commit.n_docs

    def title_of(self, doc_id: str) -> str:
        """A document's title in matching form: every chunk of a document is indexed with its title's words."""
        titles: dict[str, str] = self.__dict__.setdefault("_titles", {})
        if doc_id not in titles:
            titles[doc_id] = bare(self.documents[doc_id].title)
        return titles[doc_id]

    @cached_property
    def aliases(self) -> dict[str, list[str]]:
        """Short form -> long forms, and long -> short, as the documents define them (以下简称…)."""
        out: dict[str, list[str]] = {}
        for (pairs,) in self._query("SELECT aliases FROM documents WHERE aliases != '[]'"):
            for short, long in json.loads(pairs):
                out.setdefault(short, []).append(long)
                out.setdefault(long, []).append(short)
        return out

    def norms(self, min_length: float) -> np.ndarray:
        """BM25's length normalization of every chunk, k1 (1 - b + b dl / avgdl), with dl at least `min_length`."""
        key = round(min_length, 6)
        cached: dict[float, np.ndarray] = self.__dict__.setdefault("_norms", {})
        if key not in cached:
            cached[key] = length_norms(self.lengths, self.stats, self.params, min_length)
        return cached[key]

    def doc_mask(self, doc_ids: frozenset[str]) -> np.ndarray:
        """A mask over chunk ids, true for the chunks of these documents (their ids are one run per document)."""
        cached: dict[frozenset[str], np.ndarray] = self.__dict__.setdefault("_doc_masks", {})
        if doc_ids not in cached:
            mask = np.zeros(self.commit.next_id, dtype=bool)
            for doc_id in doc_ids:
                s = self.stored[doc_id]
                mask[s.first : s.first + s.count] = True
            if len(cached) >= DOC_MASKS_CACHED:
                cached.clear()
            cached[doc_ids] = mask
        return cached[doc_ids]

    def subset(self, doc_ids: frozenset[str]) -> Subset:
        """These documents as a collection of their own: the chunk counts and lengths BM25 ranks by within them."""
        cached: dict[frozenset[str], Subset] = self.__dict__.setdefault("_subsets", {})
        if doc_ids not in cached:
            mask = self.doc_mask(doc_ids)
            if self.alive is not None:
                mask = mask & self.alive[: len(mask)]
            n = int(mask.sum())
            avgdl = float(self.lengths[: len(mask)][mask].mean()) if n else 0.0
            if len(cached) >= DOC_MASKS_CACHED:
                cached.clear()
            cached[doc_ids] = Subset(self, mask, CorpusStats(n_docs=n, avgdl=avgdl))
        return cached[doc_ids]

    def has_chunk(self, chunk_id: int) -> bool:
        """True when the chunk belongs to this version."""
        return 0 <= chunk_id < self.commit.next_id and (self.alive is None or bool(self.alive[chunk_id]))

    def _query(self, sql: str, args: Iterable = ()) -> list[tuple]:
        with self._lock:
            if self._db is None:
                raise ValueError("the index is closed")
            return self._db.execute(sql, tuple(args)).fetchall()

    def read_ahead(self, terms: Iterable[str]) -> None:
        """Read the postings of a question's terms not read before in one query instead of one each (a question's
        first pass over the index file reads several terms at once)."""
        wanted = [t for t in dict.fromkeys(terms) if t not in self._seen]
        if len(wanted) < 2:
            return
        rows: dict[str, list[tuple[int, bytes, bytes]]] = {t: [] for t in wanted}
        marks = ",".join("?" * len(wanted))
        for term, segment, ids, tfs in self._query(
            f"SELECT term, segment, ids, tfs FROM postings WHERE term IN ({marks})", wanted
        ):
            rows[term].append((segment, ids, tfs))
        self._ahead.update(rows)

    def _postings(self, term: str) -> Postings | None:
        if len(self._seen) >= POSTINGS_SEEN:
            self._seen.clear()
        self._seen.add(term)
        read = self._ahead.pop(term, None)
        if read is None:
            read = self._query("SELECT segment, ids, tfs FROM postings WHERE term = ?", (term,))
        rows = [r for r in read if r[0] in self.commit.segments]
        if not rows:
            return None
        rows.sort()
        ids = np.frombuffer(rows[0][1], dtype=np.int32)
        tfs = np.frombuffer(rows[0][2], dtype=np.int32)
        if len(rows) > 1:  # later segments hold later chunk ids: the concatenation stays sorted
            ids = np.concatenate([np.frombuffer(r[1], dtype=np.int32) for r in rows])
            tfs = np.concatenate([np.frombuffer(r[2], dtype=np.int32) for r in rows])
        if self.alive is not None:
            keep = self.alive[ids]
            if not keep.all():
                ids, tfs = ids[keep], tfs[keep]
        return Postings(ids, tfs) if len(ids) else None

    def terms_starting(self, prefix: str) -> list[tuple[str, int]]:
        """Indexed terms beginning with `prefix`, each with the number of chunks holding it (in any version)."""
        found: dict[str, int] = {}
        for term, segment, size in self._query(
            "SELECT term, segment, length(ids) FROM postings WHERE term >= ? AND term < ?",
            (prefix, prefix + "\U0010ffff"),
        ):
            if segment in self.commit.segments:
                found[term] = found.get(term, 0) + size // 4
        return list(found.items())

    def bares(self, chunk_ids: list[int], holding: Sequence[str] = ()) -> dict[int, tuple[str, str]]:
        """Chunks' document ids and matching forms (see `bare`), read in one query; with `holding`, only the chunks
        whose matching form holds one of those strings (SQLite looks, so the others cost no Python)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        sql = f"SELECT id, doc_id, bare FROM chunks WHERE id IN ({marks})"
        if holding:
            sql += " AND (" + " OR ".join("instr(bare, ?) > 0" for _ in holding) + ")"
        return {i: (doc_id, text) for i, doc_id, text in self._query(sql, [*chunk_ids, *holding])}

    def _chunk(self, chunk_id: int) -> Chunk:
        rows = self._query("SELECT data FROM chunks WHERE id = ?", (chunk_id,))
        if not rows:
            raise KeyError(chunk_id)
        return chunk_from(chunk_id, rows[0][0])

    def chunks(self, chunk_ids: list[int]) -> dict[int, Chunk]:
        """Chunks by id, read in one query (a comparison reads a few of every document's)."""
        if not chunk_ids:
            return {}
        marks = ",".join("?" * len(chunk_ids))
        rows = self._query(f"SELECT id, data FROM chunks WHERE id IN ({marks})", chunk_ids)
        return {i: chunk_from(i, data) for i, data in rows}

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        s = self.stored[doc_id]
        return [
            chunk_from(i, data)
            for i, data in self._query(
                "SELECT id, data FROM chunks WHERE id >= ? AND id < ? ORDER BY id", (s.first, s.first + s.count)
            )
        ]

    def chunk_ids(self) -> np.ndarray:
        """The ids of this version's chunks, ascending."""
        ids = np.arange(self.commit.next_id)
        return ids if self.alive is None else ids[self.alive]

    def token_lists(self) -> list[list[str]]:
        """Every chunk's terms (in no particular order), in chunk id order: for checks against rank-bm25."""
        terms, ids, tfs = [], [], []
        for term, segment, blob, tf_blob in self._query("SELECT term, segment, ids, tfs FROM postings"):
            if segment in self.commit.segments:
                terms.append(term)
                ids.append(np.frombuffer(blob, dtype=np.int32))
                tfs.append(np.frombuffer(tf_blob, dtype=np.int32))
        if not terms:
            return [[] for _ in range(self.n_chunks)]
        which = np.repeat(np.arange(len(terms)), [len(i) for i in ids])
        all_ids, all_tfs = np.concatenate(ids), np.concatenate(tfs)
        which, all_ids = np.repeat(which, all_tfs), np.repeat(all_ids, all_tfs)  # a term once per occurrence
        order = np.argsort(all_ids, kind="stable")
        words = np.asarray(terms, dtype=object)[which[order]]
        bounds = np.searchsorted(all_ids[order], self.chunk_ids(), side="left")
        ends = np.searchsorted(all_ids[order], self.chunk_ids(), side="right")
        return [words[a:b].tolist() for a, b in zip(bounds, ends, strict=True)]


class _Documents(Mapping[str, Document]):
    """The documents of a snapshot, each read and built when first asked for."""

    def __init__(self, index: Index):
        self._index = index
        self._built: dict[str, Document] = {}

    def __getitem__(self, doc_id: str) -> Document:
        doc = self._built.get(doc_id)
        if doc is None:
            if doc_id not in self._index.stored:
                raise KeyError(doc_id)
            (data,) = self._index._query("SELECT data FROM documents WHERE id = ?", (doc_id,))[0]
            doc = self._built[doc_id] = _document(data)
        return doc

    def values(self) -> ValuesView[Document]:
        """Every document, those not built yet read in one query (a series, the titles: all of them are asked)."""
        if len(self._built) < len(self._index.stored):
            for doc_id, data in self._index._query("SELECT id, data FROM documents"):
                if doc_id in self._index.stored and doc_id not in self._built:
                    self._built[doc_id] = _document(data)
        return super().values()

    def fields(self, *names: str) -> dict[str, dict[str, Any]]:
        """Fields of every document (`date`, or a facet as `facets.titles`), by name then document id in the
        index's order, read from the stored JSON without building the documents: what a table over the whole
        corpus needs (the titles, the series), at a seventh of building 10,000 documents (0.5 s)."""
        cached: dict[str, dict[str, Any]] = self.__dict__.setdefault("_fields", {})
        wanted = [n for n in dict.fromkeys(names) if n not in cached]
        if wanted:
            paths = ", ".join(f"data -> '$.{n}'" for n in wanted)
            columns: list[dict[str, Any]] = [{} for _ in wanted]
            for doc_id, *values in self._index._query(f"SELECT id, {paths} FROM documents"):
                for column, value in zip(columns, values, strict=True):
                    # an absent or null field, most of them, is not parsed
                    column[doc_id] = None if value is None or value == "null" else json.loads(value)
            for name, column in zip(wanted, columns, strict=True):  # this version's documents, in values()'s order
                cached[name] = {doc_id: column.get(doc_id) for doc_id in self._index.stored}
        return {n: cached[n] for n in names}

    def some(self, ids: Iterable[str]) -> list[Document]:
        """These documents, those not built yet read in one query."""
        ids = list(ids)
        missing = [i for i in ids if i not in self._built]
        for start in range(0, len(missing), _READ_AT_ONCE):
            part = missing[start : start + _READ_AT_ONCE]
            marks = ",".join("?" * len(part))
            for doc_id, data in self._index._query(f"SELECT id, data FROM documents WHERE id IN ({marks})", part):
                self._built.setdefault(doc_id, _document(data))
        return [self[i] for i in ids]

    def __iter__(self):
        return iter(self._index.stored)

    def __len__(self) -> int:
        return len(self._index.stored)


_READ_AT_ONCE = 500  # documents named in one query (SQLite allows 32,766 parameters)


def _document(data: str) -> Document:
    return Document.model_validate_json(data)  # in pydantic's core: a third of json.loads and model_construct


def chunk_from(chunk_id: int, data: str) -> Chunk:
    # the id is the row's: stored chunk data leaves it out. Parsing and validating the JSON in pydantic's core takes
    # a third of the time json.loads and model_construct take (a list question reads whole documents)
    chunk = Chunk.model_validate_json(data)
    chunk.id = chunk_id
    return chunk
