"""Compaction: when refreshes have piled up segments or gone chunks, the index is rewritten into a new file with
one postings segment and chunk ids renumbered from 0, then renamed into place (readers of the old file keep it)."""

from __future__ import annotations

import secrets
import sqlite3
from pathlib import Path

import numpy as np

from ..core.schema import Commit
from ..core.store import Index
from .writer import connect, finish_file, new_file, now

MAX_SEGMENTS = 8  # refreshes after which the index is compacted ...
MAX_GONE = 0.2  # ... or once this share of its chunks belong to changed or removed documents


def needs_compaction(commit: Commit) -> bool:
    gone = commit.next_id - commit.n_docs
    return len(commit.segments) > MAX_SEGMENTS or gone > MAX_GONE * max(commit.next_id, 1)


def compact(index: Index) -> str:
    """Rewrite the index without the chunks of changed and removed documents, with one postings segment and
    chunk ids renumbered from 0, into a new file renamed into place; returns the new generation."""
    keep = index.chunk_ids()
    tmp, db = new_file(index.path)
    try:
        source = connect(index.path)
        try:
            rows = source.execute("SELECT id, doc_id, data, bare FROM chunks ORDER BY id")
            alive = index.alive
            db.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?, ?)",
                (
                    (int(np.searchsorted(keep, i)), doc_id, data, text)
                    for i, doc_id, data, text in rows
                    if alive is None or (i < len(alive) and alive[i])
                ),
            )
            for doc_id, sha, stamp, first, count, chars, data, aliases in source.execute("SELECT * FROM documents"):
                db.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, sha, stamp, int(np.searchsorted(keep, first)), count, chars, data, aliases),
                )
            db.executemany("INSERT INTO skipped VALUES (?, ?, ?, ?)", source.execute("SELECT * FROM skipped"))
            term: str | None = None
            parts: list[tuple[bytes, bytes]] = []
            for row in source.execute("SELECT term, segment, ids, tfs FROM postings ORDER BY term, segment"):
                if row[0] != term:
                    _write_compacted(db, term, parts, keep, alive)
                    term, parts = row[0], []
                if row[1] in index.commit.segments:
                    parts.append(row)
            _write_compacted(db, term, parts, keep, alive)
        finally:
            source.close()
        commit = Commit(
            generation=secrets.token_hex(3),
            segments=(0,),
            n_docs=len(keep),
            total_length=int(index.lengths[keep].sum()),
            next_id=len(keep),
            characters=index.commit.characters,
            built_at=now(),
        )
        held = index.meta.get("corpus")
        finish_file(db, tmp, index.path, commit, index.lengths[keep], index.params, Path(held) if held else None)
    except BaseException:
        db.close()
        tmp.unlink(missing_ok=True)
        raise
    return commit.generation


def _write_compacted(
    db: sqlite3.Connection, term: str | None, parts: list[tuple], keep: np.ndarray, alive: np.ndarray | None
) -> None:
    if term is None or not parts:
        return
    ids = np.concatenate([np.frombuffer(p[2], dtype=np.int32) for p in parts])
    tfs = np.concatenate([np.frombuffer(p[3], dtype=np.int32) for p in parts])
    if alive is not None:
        mask = alive[ids]
        ids, tfs = ids[mask], tfs[mask]
    if len(ids):
        db.execute(
            "INSERT INTO postings VALUES (?, 0, ?, ?)",
            (term, np.searchsorted(keep, ids).astype(np.int32).tobytes(), tfs.tobytes()),
        )
