"""What a build runs under and what it tells: one build at a time (a lock file beside the index), the corpus
folder there, not empty and the one the index was built from, SQLite and OS errors turned into the user's terms (a
full disk with the room a build needs), and the report of what it did."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import (
    BuildInProgress,
    CorpusMismatch,
    CorpusNotFound,
    DiskFull,
    EmptyCorpus,
    IndexNotWritable,
    RefreshFailed,
)


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
    compacted: bool = False
    failed: str | None = None
    """Why the refresh failed, when the previous index is served instead."""

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.changed or self.removed) and self.rebuilt_because is None and not self.failed


BYTES_PER_CHARACTER = 16  # an index takes about this much disk per character of text (measured: 14 at 100k paragraphs)


@contextmanager
def write_errors(path: Path, characters: int = 0) -> Iterator[None]:
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
def build_lock(path: Path) -> Iterator[None]:
    """Hold the index's build lock (a file beside it) for one build at a time, across processes and threads."""
    with ExitStack() as stack:  # closing the file, on the way out, releases the lock
        with write_errors(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = stack.enter_context(open(f"{path}.lock", "a", encoding="utf-8"))
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise BuildInProgress(str(path)) from exc
        yield


def check_corpus(corpus: Path, index_path: Path | None = None, rebuild: bool = False) -> None:
    """The corpus folder is there and, unless a rebuild is asked for, is the one the index was built from: an index
    is never replaced by another folder's documents without a word (hours of OCR may be in it)."""
    if not corpus.is_dir():
        raise CorpusNotFound(str(corpus))
    held = recorded_corpus(index_path) if index_path is not None and not rebuild else None
    if held is not None and held != corpus.resolve():
        raise CorpusMismatch(str(index_path), str(held), str(corpus.resolve()))


def recorded_corpus(index_path: Path) -> Path | None:
    """The folder the index at `index_path` was built from, as its meta table records it; for an index built
    before folders were recorded, the folder its documents' paths share, if it is there. None without an index,
    or when the file cannot tell (read directly, so an index of another format still tells)."""
    try:
        db = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'corpus'").fetchone()
        if row is not None:
            return Path(row[0])
        paths = db.execute("SELECT id, json_extract(data, '$.path') FROM documents").fetchall()
    except sqlite3.Error:  # not an index, or none at all (connecting to a missing file in ro mode fails here)
        return None
    finally:
        db.close()
    return _shared_folder(paths)


def _shared_folder(paths: list[tuple[str, str | None]]) -> Path | None:
    """The folder every (document id, path as loaded) has in common: path = folder/id. A relative folder was
    relative to where the build ran, and counts only when it is there from here too."""
    folders = set()
    for doc_id, path in paths:
        if not isinstance(path, str) or not (path == doc_id or path.endswith(f"/{doc_id}")):
            return None
        folders.add(path[: -len(doc_id)].rstrip("/") or ".")
    if len(folders) != 1:
        return None
    folder = Path(folders.pop())
    return folder.resolve() if folder.is_absolute() or os.path.isdir(folder) else None


def require_documents(report: BuildReport) -> None:
    if report.documents == 0:
        raise EmptyCorpus()
