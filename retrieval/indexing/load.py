"""Finding and reading corpus files: which files count, their encoding, and their optional sidecar metadata."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UnreadableFile
from ..core.markup import html_to_text, markdown_to_text
from .formats import BINARY_FORMATS

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
SIDECAR_SUFFIX = ".meta.json"
MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192  # a NUL in the first 8 KiB: a binary file (text in UTF-8 or GB18030 never has one)
SIDECAR_FIELDS = {
    *("title", "source", "author", "date", "url", "number", "excerpt"),
    *("region", "year", "issuer", "kind", "held", "names", "meeting", "speakers"),
}


@dataclass(frozen=True)
class RawFile:
    """A corpus file as read from disk: decoded lines plus what the sidecar says."""

    id: str
    path: Path
    text: str
    sha256: str
    sidecar: dict
    properties: dict = field(default_factory=dict)  # what a Word or PDF file says of itself


@dataclass(frozen=True)
class CorpusFile:
    """A readable file of the corpus: its id (path relative to the corpus folder), path, and sidecar if any."""

    id: str
    path: str
    sidecar: str | None = None


def corpus_files(corpus: Path) -> list[CorpusFile]:
    """The files under `corpus` that the loader can read, in a stable order (hidden files and folders aside).

    Plain strings and one listing per folder: at ten thousand files, path objects and a stat per sidecar
    would be most of what checking the corpus for changes costs."""
    suffixes = supported_suffixes()
    found: list[CorpusFile] = []
    for folder, dirs, names in os.walk(corpus):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(folder, corpus)
        present = set(names)
        for name in names:
            stem, suffix = os.path.splitext(name)
            if name.startswith(".") or suffix.lower() not in suffixes:
                continue
            side = stem + SIDECAR_SUFFIX
            found.append(
                CorpusFile(
                    name if rel == "." else f"{rel}/{name}",
                    os.path.join(folder, name),
                    os.path.join(folder, side) if side in present else None,
                )
            )
    return sorted(found, key=lambda f: f.id)


def supported_suffixes() -> set[str]:
    return TEXT_SUFFIXES | set(BINARY_FORMATS)


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or GB18030, the superset of GBK and GB2312."""
    if b"\x00" in data[:SNIFF_BYTES]:
        raise UnreadableFile("二进制文件,不是文本")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("既不是 UTF-8 也不是 GB18030 编码的文本")


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 1024:.0f} KiB"


def read_sidecar(path: Path) -> dict:
    """Metadata that completes or overrides what the page says: NAME.meta.json beside NAME.txt."""
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not side.exists():
        return {}
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("ignoring sidecar %s: %s", side, exc)
        return {}
    return {k: v for k, v in data.items() if k in SIDECAR_FIELDS} if isinstance(data, dict) else {}


def read_file(path: Path, corpus: Path, data: bytes | None = None) -> RawFile:
    """Read one corpus file into text lines; raises UnreadableFile with the reason."""
    try:
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableFile(f"无法读取:{exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFile("空文件")
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"文件太大({_size(len(data))},上限 {_size(MAX_BYTES)})")
    suffix = path.suffix.lower()
    if suffix in BINARY_FORMATS:
        text, meta = BINARY_FORMATS[suffix](data)
    else:
        text, meta = decode(data), {}
        if suffix in {".html", ".htm"}:
            text, meta = html_to_text(text)
        elif suffix == ".md":
            text = markdown_to_text(text)
    if not text.strip():
        raise UnreadableFile("没有文字")
    return RawFile(
        id=path.relative_to(corpus).as_posix(),
        path=path,
        text=text,
        sha256=file_hash(data),
        sidecar=read_sidecar(path),
        properties=meta,
    )
