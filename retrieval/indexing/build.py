"""Building and refreshing the index from a corpus folder.

A file is recognised by its stat stamp (modification time and size, its sidecar's included) and, when that
changed, by the hash of its content: an untouched corpus costs a stat a file to check. Without a usable
index the whole corpus is ingested into a new file (retrieval/writer.py's `NewIndex`); with one, only added
and changed files are ingested, and added to it in place (`refresh`), compacting it when refreshes pile up.
Files are ingested in a process pool when there is enough text.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import multiprocessing as mp
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from ..core.bm25 import BM25Params
from ..core.errors import IndexCorrupt, RefreshFailed, UnreadableFile, user_message
from ..core.schema import Stored
from ..core.store import Index
from ..core.tokenize import load_dictionary
from . import ocr
from .compact import compact, needs_compaction
from .conditions import BuildReport, build_lock, check_corpus, require_documents, write_errors
from .load import corpus_files
from .writer import DocRows, NewIndex, note_corpus, refresh

log = logging.getLogger(__name__)

DEFAULT_PARAMS = BM25Params()
PARALLEL_MIN_BYTES = 400_000  # below this a pool costs more to start than it saves
WORKER_MEMORY = 4 * 2**30  # address space of a worker reading files: OCR of a dense page takes 1.4 GiB of it

Progress = Callable[[int, int], None]  # (files done, files in all)
PageProgress = Callable[[int, int], None]  # (pages of scans read, pages of scans to read), over the whole build


def open_index(
    corpus: Path,
    index_path: Path,
    *,
    refresh: bool = True,
    progress: Progress | None = None,
    params: BM25Params = DEFAULT_PARAMS,
    keep_serving: bool = True,
    isolate: bool = False,
    pages: PageProgress | None = None,
    rebuild: bool = False,
) -> tuple[Index, BuildReport]:
    """Load the saved index, refreshing it when the corpus changed; build it when missing, damaged or outdated.

    The index records the folder it is built from, and `corpus` must be that folder (CorpusMismatch otherwise);
    `rebuild` builds the index anew from `corpus` whatever it held.

    When the refresh fails (a full disk, a folder that cannot be written, another build holding the lock, an
    I/O error) and a saved index is there, that index is returned with the reason in `report.failed`, so
    answers go on from the last good index; with keep_serving=False, or without a saved index, the
    RefreshFailed error is raised. With `isolate`, files are always read in worker processes, however few: a
    server that refreshes while it answers (the bot) keeps the parsing of a large upload off its own threads.
    `pages` hears of every page of a scan read by OCR, which takes seconds each where a text file takes none.
    """
    check_corpus(corpus, index_path, rebuild)
    old: Index | None = None
    reason = None
    if rebuild:
        reason = "rebuild asked for"
    elif index_path.exists():
        try:
            old = Index(index_path)
        except IndexCorrupt as exc:
            reason = f"saved index unusable ({exc})"
            log.warning("rebuilding the index at %s: %s", index_path, reason)
    else:
        reason = "no saved index"
    if old is not None and not refresh:
        return old, _report_of(old)
    try:
        with write_errors(index_path):
            scan = scan_corpus(corpus, old)
        if old is not None and scan.unchanged:
            if "corpus" not in old.meta:  # built before folders were recorded: its folder is written down now
                with suppress(RefreshFailed), build_lock(index_path), write_errors(index_path):
                    note_corpus(index_path, corpus)
            return old, _report_of(old)
        with build_lock(index_path):
            if old is None:
                report = build(
                    corpus,
                    index_path,
                    scan,
                    params=params,
                    progress=progress,
                    reason=reason,
                    isolate=isolate,
                    pages=pages,
                )
            else:
                report = update(corpus, old, scan, progress=progress, isolate=isolate, pages=pages)
    except RefreshFailed as exc:
        if old is None or not keep_serving:
            raise
        log.info("the index was not refreshed, the previous one is used: %s", user_message(exc))
        report = _report_of(old)
        report.failed = user_message(exc)
        return old, report
    if old is not None:
        old.close()
    return Index(index_path), report


def _report_of(index: Index) -> BuildReport:
    return BuildReport(
        documents=len(index.documents),
        chunks=index.n_chunks,
        characters=index.commit.characters,
        skipped=dict(index.skipped),
    )


@dataclass
class File:
    path: str
    stamp: str
    sidecar: str | None = None
    sha256: str = ""
    data: bytes | None = None


@dataclass
class Scan:
    """The corpus compared with the saved index."""

    files: dict[str, File]
    todo: list[str] = field(default_factory=list)  # added or changed: to ingest
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unreadable: dict[str, str] = field(default_factory=dict)

    @property
    def unchanged(self) -> bool:
        return not (self.todo or self.removed or self.unreadable)


def stamp_of(path: str, sidecar: str | None) -> str:
    """Modification time and size of a file and of its sidecar: what changes when either is edited."""
    st = os.stat(path)
    stamp = f"{st.st_mtime_ns}:{st.st_size}"
    if sidecar is not None:
        st = os.stat(sidecar)
        stamp += f"+{st.st_mtime_ns}:{st.st_size}"
    return stamp


def content_hash(data: bytes, sidecar: str | None) -> str:
    """The hash of a file's bytes and its sidecar's: a sidecar edit is a change of the document."""
    digest = hashlib.sha256(data)
    if sidecar is not None:
        with open(sidecar, "rb") as f:
            digest.update(f.read())
    return digest.hexdigest()


def scan_corpus(corpus: Path, old: Index | None) -> Scan:
    """Which files are added, changed or removed since `old`; a file whose stamp changed is read and hashed."""
    scan = Scan(files={})
    stored: dict[str, Stored] = {**(old.stored_skipped if old else {}), **(old.stored if old else {})}
    for found in corpus_files(corpus):
        doc_id = found.id
        try:
            stamp = stamp_of(found.path, found.sidecar)
            known = stored.get(doc_id)
            file = scan.files[doc_id] = File(found.path, stamp, found.sidecar)
            if known is not None and known.stamp == stamp:
                continue
            if old is not None:  # a full build reads the files in its workers
                with open(found.path, "rb") as f:
                    file.data = f.read()
                file.sha256 = content_hash(file.data, found.sidecar)
                if known is not None and known.sha256 == file.sha256:
                    continue  # touched, not changed
        except OSError as exc:
            scan.unreadable[doc_id] = f"无法读取:{exc.strerror or exc}"
            scan.files.pop(doc_id, None)
            continue
        scan.todo.append(doc_id)
        (scan.changed if known is not None else scan.added).append(doc_id)
    if old is not None:
        scan.removed = sorted(set(old.stored) - set(scan.files))
        scan.unreadable = {d: r for d, r in scan.unreadable.items() if old.skipped.get(d) != r}
        gone_skipped = set(old.stored_skipped) - set(scan.files)
        scan.removed += sorted(gone_skipped)
    return scan


def build(
    corpus: Path,
    index_path: Path,
    scan: Scan,
    *,
    params: BM25Params = DEFAULT_PARAMS,
    progress: Progress | None = None,
    reason: str | None = None,
    isolate: bool = False,
    pages: PageProgress | None = None,
) -> BuildReport:
    """Ingest every file of the corpus into a new index file."""
    start = time.perf_counter()
    report = BuildReport(rebuilt_because=reason)
    with write_errors(index_path), NewIndex(index_path, params, corpus) as new:
        for doc_id, reason_skipped in scan.unreadable.items():
            new.skip(doc_id, "", "", reason_skipped)
            report.skipped[doc_id] = reason_skipped
        files = list(scan.files)
        for doc_id, result in _ingest_all(corpus, scan, files, progress, isolate, index_path, pages):
            if isinstance(result, tuple):
                _skip(report, scan, doc_id, result[1])
                new.skip(doc_id, result[0], scan.files[doc_id].stamp, result[1])
                continue
            new.add(result)
            report.documents += 1
            report.chunks += len(result.chunks)
            report.tokenized_chars += result.characters
        report.characters = new.characters
        require_documents(report)
        with write_errors(index_path, report.characters):
            new.finish()
    report.seconds = time.perf_counter() - start
    return report


def update(
    corpus: Path,
    old: Index,
    scan: Scan,
    *,
    progress: Progress | None = None,
    isolate: bool = False,
    pages: PageProgress | None = None,
) -> BuildReport:
    """Ingest the added and changed files and add them to the saved index in place."""
    start = time.perf_counter()
    report = BuildReport(added=scan.added, changed=scan.changed, removed=[d for d in scan.removed if d in old.stored])
    added: list[DocRows] = []
    skipped: dict[str, tuple[str, str, str]] = {d: ("", "", r) for d, r in scan.unreadable.items()}
    for doc_id, result in _ingest_all(corpus, scan, scan.todo, progress, isolate, old.path, pages):
        if isinstance(result, tuple):
            _skip(report, scan, doc_id, result[1])
            skipped[doc_id] = (result[0], scan.files[doc_id].stamp, result[1])
            continue
        added.append(result)
        report.tokenized_chars += result.characters
    gone = [d for d in scan.changed + scan.removed if d in old.stored]
    unskipped = [d for d in scan.removed + [a.id for a in added] if d in old.stored_skipped]
    report.skipped = {
        **{d: r for d, r in old.skipped.items() if d not in unskipped and d in scan.files},
        **{d: r for d, (_, _, r) in skipped.items()},
    }
    report.documents = len(old.stored) - len(gone) + len(added)
    require_documents(report)
    with write_errors(old.path, sum(a.characters for a in added)):
        commit = refresh(old, added, gone, skipped, unskipped, corpus)
        if needs_compaction(commit):
            fresh = Index(old.path)
            try:
                compact(fresh)
            finally:
                fresh.close()
            report.compacted = True
    report.chunks, report.characters = commit.n_docs, commit.characters
    report.seconds = time.perf_counter() - start
    return report


def _skip(report: BuildReport, scan: Scan, doc_id: str, reason: str) -> None:
    report.skipped[doc_id] = reason
    log.warning("skipped %s: %s", scan.files[doc_id].path, reason)


def _ingest_one(args: tuple[str, Path, bytes | None, str, str, str | None]) -> DocRows | tuple[str, str]:
    """One file ingested (read here when `data` is None), or (content hash, reason) when it is skipped."""
    from .ingest import ingest_rows  # the cleaning and segmenting code is needed only when files change

    name, corpus, data, sha256, stamp, sidecar = args
    path = Path(name)
    try:
        if data is None:
            data = path.read_bytes()
            sha256 = content_hash(data, sidecar)
    except OSError as exc:
        return sha256, f"无法读取:{exc.strerror or exc}"
    try:
        return ingest_rows(path, corpus, data, sha256, stamp)
    except UnreadableFile as exc:
        return sha256, str(exc)
    except MemoryError:
        return sha256, f"读取时内存超过 {WORKER_MEMORY // 2**30} GiB 的上限"
    except Exception as exc:  # a file the cleaner chokes on is skipped, not fatal to the whole build
        log.exception("failed to ingest %s", path)
        return sha256, f"failed: {type(exc).__name__}: {exc}"


def ocr_cache(index_path: Path) -> Path:
    """Where pages read by OCR are kept: beside the index, so that a refresh or a rebuild never reads one twice."""
    return index_path.parent / "ocr-cache"


class _PageTally:
    """Pages of scans read and to read, summed over the files of a build as their readers report them."""

    def __init__(self, pages: PageProgress) -> None:
        self.pages = pages
        self.files: dict[str, tuple[int, int]] = {}

    def __call__(self, key: str, read: int, to_read: int) -> None:
        self.files[key] = (read, to_read)
        self.pages(sum(r for r, _ in self.files.values()), sum(t for _, t in self.files.values()))


def _start_worker(cache: Path, pages: mp.SimpleQueue | None = None) -> None:
    try:  # a file that would take more is skipped with MemoryError as its reason, the machine left alone
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ImportError, ValueError, OSError):  # not on this system
        pass
    load_dictionary()
    ocr.use_cache(cache)
    if pages is not None:
        ocr.count_pages(lambda key, read, to_read: pages.put((key, read, to_read)))


def _drain(queue: mp.SimpleQueue, tally: _PageTally) -> None:
    """Hand the workers' page counts to the tally until the build ends (None)."""
    while (item := queue.get()) is not None:
        tally(*item)


def _ingest_all(
    corpus: Path,
    scan: Scan,
    doc_ids: list[str],
    progress: Progress | None,
    isolate: bool = False,
    index_path: Path = Path("."),
    pages: PageProgress | None = None,
) -> Iterator[tuple[str, DocRows | tuple[str, str]]]:
    """Yield (doc id, DocRows or (hash, skip reason)) for each file, in a process pool when there is enough text."""
    jobs = [(f.path, corpus, f.data, f.sha256, f.stamp, f.sidecar) for f in (scan.files[d] for d in doc_ids)]
    cache = ocr_cache(index_path)
    total = sum(len(j[2]) if j[2] is not None else os.path.getsize(j[0]) for j in jobs)
    workers = min(os.cpu_count() or 1, len(jobs))
    tally = _PageTally(pages) if pages else None
    queue: mp.SimpleQueue | None = None
    drain: threading.Thread | None = None
    if progress:
        progress(0, len(jobs))
    if not jobs or (not isolate and (workers < 2 or total < PARALLEL_MIN_BYTES)):
        ocr.use_cache(cache)
        ocr.count_pages(tally)
        results: Iterator = map(_ingest_one, jobs)
        pool = None
    else:
        context = mp.get_context("spawn")
        if tally is not None:  # the workers' page counts come back through a queue, read by a thread of ours
            queue = context.SimpleQueue()
            drain = threading.Thread(target=_drain, args=(queue, tally), name="ocr-pages", daemon=True)
            drain.start()
        # spawn, not fork: a build may run inside the bot (/reload), whose threads a fork would copy mid-lock
        pool = cf.ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(cache, queue)
        )
        results = pool.map(_ingest_one, jobs, chunksize=4)
    try:
        for done, (doc_id, result) in enumerate(zip(doc_ids, results, strict=True), start=1):
            if progress:
                progress(done, len(jobs))
            yield doc_id, result
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        else:
            ocr.count_pages(None)
        if queue is not None and drain is not None:
            queue.put(None)
            drain.join()
