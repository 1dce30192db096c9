"""What the person hosting the bot checks first, in one screen: `qabot status` in a terminal, the same facts for
admins at the top of /stats. Read only: nothing is refreshed or written, so it can run beside the bot."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from retrieval import Index, QabotError, feedback_totals, ocr_cache, recorded_corpus, user_message

SKIPPED_SHOWN = 10  # skipped files listed by name; the rest counted


@dataclass
class Status:
    index: Path
    size: int | None = None  # bytes; None: no index file
    problem: str | None = None  # why the index cannot be read
    folder: Path | None = None  # the corpus folder it was built from
    recorded: bool = False  # the folder is written in the index (not inferred from an older index's paths)
    generation: str = ""
    refreshed: str = ""  # when its current version was committed (a build, refresh or compaction)
    documents: int = 0
    chunks: int = 0
    characters: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    ocr_cache: Path = Path()
    ocr_pages: int = 0
    ocr_bytes: int = 0
    feedback: Path = Path()
    questions: int | None = None  # None: no feedback database (yet), or not readable (see feedback_problem)
    rated: int = 0
    up: int = 0
    feedback_problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def read_status(index_path: Path, feedback_path: Path, index: Index | None = None) -> Status:
    """The facts about the index at `index_path` (the bot passes the one it serves) and the feedback database."""
    status = Status(index=index_path, feedback=feedback_path, ocr_cache=ocr_cache(index_path))
    status.folder = recorded_corpus(index_path)
    if not index_path.exists():
        status.problem = "not built yet: qabot index --corpus DIR --index PATH builds it"
    else:
        status.size = index_path.stat().st_size
        opened = None
        try:
            opened = index or Index(index_path)
        except QabotError as exc:
            status.problem = user_message(exc)
        if opened is not None:
            status.recorded = "corpus" in opened.meta
            status.generation, status.refreshed = opened.generation, opened.commit.built_at
            status.documents, status.chunks = len(opened.documents), opened.n_chunks
            status.characters, status.skipped = opened.commit.characters, dict(opened.skipped)
            if index is None:
                opened.close()
    status.ocr_pages, status.ocr_bytes = _folder_size(status.ocr_cache)
    if feedback_path.exists():
        try:
            status.questions, status.rated, status.up = feedback_totals(feedback_path)
        except sqlite3.Error as exc:
            status.feedback_problem = str(exc)
    return status


def _folder_size(folder: Path) -> tuple[int, int]:
    """Files in a folder and their bytes (the OCR cache keeps one small file per page read)."""
    try:
        sizes = [entry.stat().st_size for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return 0, 0
    return len(sizes), sum(sizes)


def when(stamp: str) -> str:
    """2026-12-07T13:25:41+0000 as 2026-12-07 13:25:41 +0000."""
    return stamp.replace("T", " ")[:19] + (f" {stamp[19:]}" if len(stamp) > 19 else "")


def size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def status_lines(s: Status) -> list[str]:
    """`qabot status`: one fact a line, labels on the left."""
    lines = [f"index      {s.index}" + (f" ({size(s.size)})" if s.size is not None else "")]
    if s.problem:
        lines.append(f"           {s.problem}")
    folder = str(s.folder) if s.folder else "—" if s.size is None else "not recorded (give --corpus once)"
    if s.folder and not s.recorded:
        folder += " (from its documents' paths; recorded when a command next opens it)"
    lines.append(f"folder     {folder}")
    if s.ok:
        lines += [
            f"generation {s.generation}, refreshed {when(s.refreshed)}",
            f"contents   {s.documents:,} documents, {s.chunks:,} chunks, {s.characters:,} characters",
        ]
        lines.append(f"skipped    {len(s.skipped)} files" + (":" if s.skipped else ""))
        names = sorted(s.skipped)
        lines += [f"             {name}: {s.skipped[name]}" for name in names[:SKIPPED_SHOWN]]
        if len(names) > SKIPPED_SHOWN:
            lines.append(f"             … and {len(names) - SKIPPED_SHOWN} more")
    lines.append(f"ocr cache  {s.ocr_cache} ({s.ocr_pages:,} pages read, {size(s.ocr_bytes)})")
    if s.feedback_problem:
        feedback = f"cannot be read ({s.feedback_problem})"
    elif s.questions is None:
        feedback = "no questions logged yet"
    else:
        feedback = f"{s.questions:,} questions, {s.rated:,} rated ({s.up:,} 👍)"
    lines.append(f"feedback   {s.feedback}: {feedback}")
    return lines
