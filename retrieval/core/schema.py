"""The index file's format: its tables, the fingerprint of the code that wrote its chunks and tokens, what it
knows of each corpus file, and a commit (one version of it). Read by core/store.py, written by indexing/."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .bm25 import CorpusStats

FORMAT = "qabot-index-5"
# Modules and data whose change alters chunks or tokens: a saved index built by other versions is rebuilt.
PIPELINE = [
    "indexing/clean.py",
    "indexing/lines.py",
    "indexing/gongwen.py",
    "indexing/statutes.py",
    "core/articles.py",
    "core/titles.py",
    "core/versions.py",
    "core/cite.py",
    "data/statutes.txt",
    "data/abbreviations.txt",
    "indexing/chunk.py",
    "indexing/ingest.py",
    "indexing/load.py",
    "indexing/formats.py",
    "indexing/ocr.py",
    "indexing/pdfscan.py",
    "indexing/facets.py",
    "core/hanzi.py",
    "core/models.py",
    "core/tokenize.py",
    "core/copies.py",
    "core/text.py",
    "core/markup.py",
    "core/aliases.py",
    "core/years.py",
    "core/names.py",
    "core/calendar.py",
    "core/meetings.py",
    "core/postags.py",
    "core/regions.py",
    "data/facets.txt",
    "data/calendar.txt",
    "data/userdict.txt",
    "data/stopwords.txt",
    "data/time_words.txt",
    "data/furniture.txt",
]
SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, stamp TEXT NOT NULL, first INTEGER NOT NULL,
                       count INTEGER NOT NULL, characters INTEGER NOT NULL, data TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE TABLE skipped(id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, stamp TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE chunks(id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, data TEXT NOT NULL, bare TEXT NOT NULL);
CREATE TABLE postings(term TEXT NOT NULL, segment INTEGER NOT NULL, ids BLOB NOT NULL, tfs BLOB NOT NULL);
CREATE TABLE commits(generation TEXT PRIMARY KEY, data TEXT NOT NULL, alive BLOB);
CREATE TABLE arrays(name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
INDEXES = "CREATE UNIQUE INDEX postings_by_term ON postings(term, segment);"


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """A fingerprint of the code and data that turn files into chunks and tokens."""
    digest = hashlib.sha256()
    for name in PIPELINE:
        digest.update(resources.files("retrieval").joinpath(name).read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Stored:
    """What the index knows of a corpus file: its content hash and stat stamp, where its chunks are."""

    sha256: str
    stamp: str
    first: int = 0
    count: int = 0
    characters: int = 0


@dataclass(frozen=True)
class Commit:
    """One version of the index: its segments, BM25 figures, the next free chunk id and totals."""

    generation: str
    segments: tuple[int, ...]
    n_docs: int
    total_length: int
    next_id: int
    characters: int
    built_at: str

    @property
    def stats(self) -> CorpusStats:
        return CorpusStats(n_docs=self.n_docs, avgdl=self.total_length / self.n_docs if self.n_docs else 0.0)

    def dump(self) -> str:
        return json.dumps({k: v for k, v in self.__dict__.items() if k != "generation"}, ensure_ascii=False)

    @classmethod
    def load(cls, generation: str, data: str) -> Commit:
        fields = json.loads(data)
        return cls(generation=generation, **{**fields, "segments": tuple(fields["segments"])})
