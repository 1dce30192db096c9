"""Copies of data made once and kept in the temporary folder (the dictionary's words and parts of speech, the
gazetteer), each named for the digest of what it copies: written into place so that a process reading it never sees
half of one, while another process may be writing the same copy."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def copy_path(name: str, digest: str, suffix: str) -> Path:
    """Where a copy lives: qabot-<name>-<digest><suffix> in the temporary folder."""
    return Path(tempfile.gettempdir()) / f"qabot-{name}-{digest}{suffix}"


def write_into_place(path: Path, write: Callable[[Path], None]) -> None:
    """Write a copy with `write` into a temporary file beside `path`, then rename it into place; the temporary file
    is removed whatever happens. Raises what `write` raises, and OSError."""
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
