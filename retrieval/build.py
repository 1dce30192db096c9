"""Building and refreshing the index from a corpus folder.

Files are recognised by content hash: an unchanged file keeps its chunks and tokens from the saved index,
so only added or changed files are cleaned and tokenized (in a process pool when there is enough text).
"""
from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing as mp
import os
import time
from pathlib import Path
from typing import Callable

from .bm25 import BM25Params
from .errors import IndexCorrupt, RefreshFailed, UnreadableFile, user_message
from .ingest import IngestedDoc, ingest
from .load import corpus_files, file_hash
from .models import Document
from .store import (BuildReport, ChunkRow, Index, build_lock, check_corpus, require_documents, write_errors,
                    write_index)

log = logging.getLogger(__name__)

PARALLEL_MIN_BYTES = 400_000  # below this a pool costs more to start than it saves

Progress = Callable[[int, int], None]  # (files done, files in all)


def open_index(corpus: Path, index_path: Path, *, refresh: bool = True, progress: Progress | None = None,
               params: BM25Params = BM25Params(), keep_serving: bool = True) -> tuple[Index, BuildReport]:
    """Load the saved index, refreshing it when the corpus changed; build it when missing, damaged or outdated.

    When the refresh fails (a full disk, a folder that cannot be written, another build holding the lock, an
    I/O error) and a saved index is there, that index is returned with the reason in `report.failed`, so
    answers go on from the last good index; with keep_serving=False, or without a saved index, the
    RefreshFailed error is raised.
    """
    check_corpus(corpus)
    old: Index | None = None
    reason = None
    if index_path.exists():
        try:
            old = Index(index_path)
        except IndexCorrupt as exc:
            reason = f"saved index unusable ({exc})"
            log.warning("rebuilding the index at %s: %s", index_path, reason)
    else:
        reason = "no saved index"
    if old is not None and not refresh:
        return old, BuildReport(documents=len(old.documents), chunks=old.n_chunks)
    try:
        with build_lock(index_path):
            report = build(corpus, index_path, old, progress=progress, params=params, reason=reason)
    except RefreshFailed as exc:
        if old is None or not keep_serving:
            raise
        log.info("the index was not refreshed, the previous one is used: %s", user_message(exc))
        return old, BuildReport(documents=len(old.documents), chunks=old.n_chunks, failed=user_message(exc))
    if old is not None and report.unchanged:
        return old, report
    if old is not None:
        old.close()
    return Index(index_path), report


def build(corpus: Path, index_path: Path, old: Index | None, *, progress: Progress | None = None,
          params: BM25Params = BM25Params(), reason: str | None = None) -> BuildReport:
    """Write an index of `corpus`, reusing what `old` already holds for unchanged files."""
    start = time.perf_counter()
    report = BuildReport(rebuilt_because=reason)
    with write_errors(index_path):
        files = corpus_files(corpus)
    contents: dict[str, tuple[Path, bytes, str]] = {}
    for path in files:
        doc_id = path.relative_to(corpus).as_posix()
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.skipped[doc_id] = f"cannot read: {exc.strerror or exc}"
            continue
        contents[doc_id] = (path, data, file_hash(data))

    old_hashes = old.hashes if old else {}
    old_skipped = old.skipped_hashes if old else {}
    kept: dict[str, tuple[Document, list[ChunkRow]]] = {}
    skipped: dict[str, tuple[str, str]] = {k: ("", r) for k, r in report.skipped.items()}
    todo: list[str] = []
    same: list[str] = []
    for doc_id, (_, _, sha) in contents.items():
        if old and old_hashes.get(doc_id) == sha:
            same.append(doc_id)
        elif old and old_skipped.get(doc_id) == sha:
            skipped[doc_id] = (sha, old.skipped[doc_id])
            report.skipped[doc_id] = old.skipped[doc_id]
        else:
            todo.append(doc_id)
            (report.changed if doc_id in old_hashes or doc_id in old_skipped else report.added).append(doc_id)
    report.removed = sorted(set(old_hashes) - set(contents))

    if old is not None and report.unchanged:
        report.documents, report.chunks = len(same), old.n_chunks
        report.seconds = time.perf_counter() - start
        return report
    carried = old.rows_by_doc(set(same)) if same else {}  # read back only now that something changed
    for doc_id in same:
        document = old.documents[doc_id].model_copy(update={"path": str(contents[doc_id][0])})
        kept[doc_id] = (document, carried[doc_id])

    done = len(contents) - len(todo)
    if progress:
        progress(done, len(contents))
    for doc_id, result in _ingest_all(corpus, [(contents[d][0], contents[d][1]) for d in todo]):
        done += 1
        if progress:
            progress(done, len(contents))
        if isinstance(result, str):
            sha = contents[doc_id][2]
            skipped[doc_id] = (sha, result)
            report.skipped[doc_id] = result
            log.warning("skipped %s: %s", contents[doc_id][0], result)
            continue
        report.tokenized_chars += result.chars
        rows = [ChunkRow(c.model_dump_json(exclude={"id"}), " ".join(t), len(c.text))
                for c, t in zip(result.chunks, result.tokens)]
        kept[doc_id] = (result.document, rows)

    docs = [kept[d] for d in contents if d in kept]  # corpus order, so chunk ids follow the files
    report.documents = len(docs)
    report.chunks = sum(len(rows) for _, rows in docs)
    report.characters = sum(row.chars for _, rows in docs for row in rows)
    require_documents(report)
    with write_errors(index_path, report.characters):
        write_index(index_path, docs, skipped, params)
    report.seconds = time.perf_counter() - start
    return report


def _ingest_one(args: tuple[Path, Path, bytes]) -> IngestedDoc | str:
    path, corpus, data = args
    try:
        return ingest(path, corpus, data)
    except UnreadableFile as exc:
        return str(exc)
    except Exception as exc:  # a file the cleaner chokes on is skipped, not fatal to the whole build
        log.exception("failed to ingest %s", path)
        return f"failed: {type(exc).__name__}: {exc}"


def _ingest_all(corpus: Path, items: list[tuple[Path, bytes]]):
    """Yield (doc id, IngestedDoc or skip reason) for each file, in a process pool when there is enough text."""
    jobs = [(path, corpus, data) for path, data in items]
    total = sum(len(d) for _, d in items)
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or total < PARALLEL_MIN_BYTES:
        for job in jobs:
            yield job[0].relative_to(corpus).as_posix(), _ingest_one(job)
        return
    # spawn, not fork: a build may run inside the bot (/reload), whose threads a fork would copy mid-lock
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        for job, result in zip(jobs, pool.map(_ingest_one, jobs, chunksize=4)):
            yield job[0].relative_to(corpus).as_posix(), result
