"""The saved index: one SQLite file with documents, chunks (with their tokens), postings and corpus figures.

Nothing is pickled. A build writes a new file beside the old one and renames it into place, so an
interrupted build never leaves a half-written index; a damaged or old-format file is reported and rebuilt.
Postings and chunks are read on demand, so start-up costs little however large the corpus.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .bm25 import BM25Params, CorpusStats, Postings, build_postings, corpus_stats
from .errors import BuildInProgress, CorpusNotFound, DiskFull, EmptyCorpus, IndexCorrupt, IndexNotWritable, RefreshFailed
from .models import Chunk, Document

log = logging.getLogger(__name__)

FORMAT = "qabot-index-4"
# Modules and data whose change alters chunks or tokens: a saved index built by other versions is rebuilt.
_PIPELINE = ["clean.py", "chunk.py", "tokenize.py", "ingest.py", "load.py", "formats.py", "text.py", "aliases.py",
             "years.py", "data/userdict.txt", "data/stopwords.txt", "data/time_words.txt", "data/furniture.txt"]


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A fingerprint of the code and data that turn files into chunks and tokens."""
    digest = hashlib.sha256()
    for name in _PIPELINE:
        digest.update(resources.files("retrieval").joinpath(name).read_bytes())
    return digest.hexdigest()[:16]
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE chunks(id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, data TEXT NOT NULL, tokens TEXT NOT NULL,
                    chars INTEGER NOT NULL);
CREATE TABLE postings(term TEXT PRIMARY KEY, ids BLOB NOT NULL, tfs BLOB NOT NULL);
CREATE TABLE skipped(id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE INDEX chunks_by_doc ON chunks(doc_id);
"""


@dataclass
class BuildReport:
    """What a build or refresh did."""

    documents: int = 0
    chunks: int = 0
    characters: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    tokenized_chars: int = 0
    seconds: float = 0.0
    rebuilt_because: str | None = None
    failed: str | None = None
    """Why the refresh failed, when the previous index is served instead."""

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed) and self.rebuilt_because is None and not self.failed


class Index:
    """A loaded index: documents in memory, chunks and postings read from SQLite when asked for."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise IndexCorrupt(f"format {meta.get('format')!r}, expected {FORMAT!r}")
            if meta.get("pipeline") != pipeline_version():
                raise IndexCorrupt("built by another version of the cleaning and tokenizing code")
            self.meta = meta
            self.params = BM25Params(**json.loads(meta["params"]))
            self.stats = CorpusStats(**json.loads(meta["stats"]))
            arrays = dict(self._db.execute("SELECT name, data FROM arrays"))
            self.lengths = np.frombuffer(arrays["lengths"], dtype=np.int32)
            self.chunk_doc = np.frombuffer(arrays["chunk_doc"], dtype=np.int32)  # chunk id -> document number
            self.documents = {
                row[0]: Document.model_validate_json(row[1]) for row in self._db.execute("SELECT id, data FROM documents")
            }
            self.skipped = dict(self._db.execute("SELECT id, reason FROM skipped"))
            self.hashes = dict(self._db.execute("SELECT id, sha256 FROM documents"))
            self.skipped_hashes = dict(self._db.execute("SELECT id, sha256 FROM skipped"))
        except IndexCorrupt:
            self.close()
            raise
        except (sqlite3.Error, KeyError, ValueError, TypeError) as exc:
            self.close()
            raise IndexCorrupt(str(exc)) from exc
        if len(self.lengths) != self.stats.n_docs or len(self.chunk_doc) != len(self.lengths):
            self.close()
            raise IndexCorrupt("chunk count does not match the corpus figures")
        self.generation = meta.get("generation", "")
        self.aliases: dict[str, list[str]] = {}  # short form -> long forms, and long -> short, as documents define them
        for doc in self.documents.values():
            for short, long in doc.aliases:
                self.aliases.setdefault(short, []).append(long)
                self.aliases.setdefault(long, []).append(short)
        self.postings = lru_cache(maxsize=8192)(self._postings)
        self.chunk = lru_cache(maxsize=4096)(self._chunk)

    def close(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()
            self._db = None

    @property
    def n_chunks(self) -> int:
        return self.stats.n_docs

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    def _postings(self, term: str) -> Postings | None:
        rows = self._query("SELECT ids, tfs FROM postings WHERE term = ?", (term,))
        if not rows:
            return None
        return Postings(np.frombuffer(rows[0][0], dtype=np.int32), np.frombuffer(rows[0][1], dtype=np.int32))

    def holds(self, term: str, chunk_id: int) -> bool:
        """True when the chunk holds the term."""
        p = self.postings(term)
        if p is None:
            return False
        i = int(p.ids.searchsorted(chunk_id))
        return i < p.df and int(p.ids[i]) == chunk_id

    def terms_starting(self, prefix: str) -> list[tuple[str, int]]:
        """Indexed terms beginning with `prefix`, each with the number of chunks holding it."""
        return [(term, size // 4) for term, size in self._query(
            "SELECT term, length(ids) FROM postings WHERE term >= ? AND term < ?", (prefix, prefix + "\U0010ffff"))]

    def _chunk(self, chunk_id: int) -> Chunk:
        rows = self._query("SELECT data FROM chunks WHERE id = ?", (chunk_id,))
        if not rows:
            raise KeyError(chunk_id)
        return _chunk_from(chunk_id, rows[0][0])

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [_chunk_from(i, data) for i, data in
                self._query("SELECT id, data FROM chunks WHERE doc_id = ? ORDER BY id", (doc_id,))]

    def all_tokens(self) -> list[list[str]]:
        """Every chunk's tokens in id order (for checks against rank-bm25 and for tests)."""
        return [r[0].split(" ") if r[0] else [] for r in self._query("SELECT tokens FROM chunks ORDER BY id", ())]

    def rows_by_doc(self, doc_ids: set[str]) -> dict[str, list[ChunkRow]]:
        """The stored chunks of these documents, read in one pass, to carry into a new build untokenized."""
        rows: dict[str, list[ChunkRow]] = {d: [] for d in doc_ids}
        with self._lock:
            for doc_id, data, tokens, chars in self._db.execute(
                    "SELECT doc_id, data, tokens, chars FROM chunks ORDER BY id"):
                if doc_id in rows:
                    rows[doc_id].append(ChunkRow(data, tokens, chars))
        return rows


def _chunk_from(chunk_id: int, data: str) -> Chunk:
    # the id is the row's: stored chunks leave it out, so a rebuild renumbers them without rewriting each one
    chunk = Chunk.model_validate_json(data)
    chunk.id = chunk_id
    return chunk


class ChunkRow(NamedTuple):
    """A chunk as stored: its JSON (without id), its tokens joined by spaces, its length in characters."""

    data: str
    tokens: str
    chars: int


def write_index(path: Path, docs: list[tuple[Document, list[ChunkRow]]], skipped: dict[str, tuple[str, str]],
                params: BM25Params) -> None:
    """Write a complete index to `path` atomically; chunk ids follow the order of `docs`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    db = None
    try:
        db = sqlite3.connect(tmp)
        db.executescript(SCHEMA)
        token_lists: list[list[str]] = []
        chunk_rows = []
        chunk_doc: list[int] = []
        for number, (doc, rows) in enumerate(docs):
            for row in rows:
                chunk_doc.append(number)
                chunk_rows.append((len(token_lists), doc.id, row.data, row.tokens, row.chars))
                token_lists.append(row.tokens.split(" ") if row.tokens else [])
        postings, lengths = build_postings(token_lists)
        stats = corpus_stats(lengths)
        db.executemany("INSERT INTO documents VALUES (?, ?, ?)",
                       [(d.id, d.sha256, d.model_dump_json()) for d, _ in docs])
        db.executemany("INSERT INTO chunks VALUES (?, ?, ?, ?, ?)", chunk_rows)
        db.executemany("INSERT INTO postings VALUES (?, ?, ?)",
                       ((t, p.ids.tobytes(), p.tfs.tobytes()) for t, p in postings.items()))
        db.executemany("INSERT INTO skipped VALUES (?, ?, ?)", [(k, h, r) for k, (h, r) in skipped.items()])
        meta = {
            "format": FORMAT,
            "pipeline": pipeline_version(),
            "params": json.dumps(params.__dict__),
            "stats": json.dumps(stats.__dict__),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "generation": secrets.token_hex(3),
        }
        db.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        db.executemany("INSERT INTO arrays VALUES (?, ?)", [
            ("lengths", lengths.tobytes()), ("chunk_doc", np.asarray(chunk_doc, dtype=np.int32).tobytes())])
        db.commit()
        db.close()
        db = None
        os.replace(tmp, path)
    finally:
        if db is not None:
            db.close()
        tmp.unlink(missing_ok=True)


BYTES_PER_CHARACTER = 16  # an index takes about this much disk per character of text (measured: 14 at 100k paragraphs)


@contextmanager
def write_errors(path: Path, characters: int = 0):
    """Turn the SQLite and OS errors of refreshing the index at `path` into the project's own: a full disk (with
    how much room the build needs), a folder that cannot be written, any other I/O error."""
    try:
        yield
    except sqlite3.Error as exc:
        text = str(exc).lower()
        if "full" in text:
            raise DiskFull(_room(path, characters)) from exc
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise IndexNotWritable(str(path.parent)) from exc
        raise RefreshFailed(str(exc)) from exc
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(_room(path, characters)) from exc
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise IndexNotWritable(f"{exc.filename or path.parent}: {exc.strerror}") from exc
        raise RefreshFailed(f"{exc.filename or path}: {exc.strerror or exc}") from exc


def _room(path: Path, characters: int) -> str:
    """Free space where the index is written, and roughly what a build needs."""
    folder = path.parent if path.parent.exists() else Path(".")
    free = shutil.disk_usage(folder).free
    need = max(characters * BYTES_PER_CHARACTER, path.stat().st_size if path.exists() else 0)
    return f"{folder} 所在磁盘剩余 {_mib(free)},这次构建约需 {_mib(need)}"


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


@contextmanager
def build_lock(path: Path):
    """Hold the index's build lock (a file beside it) for one build at a time, across processes and threads."""
    with write_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(f"{path}.lock", "a", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildInProgress(str(path)) from exc
        yield
    finally:
        handle.close()  # closing the file releases the lock


def check_corpus(corpus: Path) -> None:
    if not corpus.is_dir():
        raise CorpusNotFound(str(corpus))


def require_documents(report: BuildReport) -> None:
    if report.documents == 0:
        raise EmptyCorpus()
