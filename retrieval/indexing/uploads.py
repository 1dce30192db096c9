"""Files added to and removed from the corpus from outside the shell (the bot's uploads).

A file sent by someone is untrusted: its name may try to leave the corpus folder, its type may not be what
its name says, and its content may be built to exhaust the machine (a zip bomb, a PDF of 100,000 pages).
So: a safe name, the type sniffed from the bytes, a check that reads it with the index's own loaders in a
child process bounded in time and memory, an atomic save that never overwrites, and removal to `.trash/`.
"""

from __future__ import annotations

import io
import json
import multiprocessing as mp
import os
import re
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..core.errors import NameTaken, UnreadableFile, UploadRejected
from .load import MAX_BYTES, SIDECAR_FIELDS, SIDECAR_SUFFIX, TEXT_SUFFIXES, decode, file_hash

UPLOAD_SUFFIXES = (".txt", ".md", ".html", ".docx", ".pdf", ".png", ".jpg", ".tif")
_IMAGES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"II*\x00", ".tif"), (b"MM\x00*", ".tif"))
SECONDS_PER_SCANNED_PAGE = 4  # what reading one scanned page costs the refresh, for saying how long it will take
MAX_UPLOAD = MAX_BYTES  # the Bot API's getFile limit is 20 MB, and the index reads no more
MAX_STEM = 80  # characters of a saved file's name; longer names are cut (the title keeps them)
MAX_UNZIPPED = 200 * 2**20  # a .docx that inflates beyond this is treated as a zip bomb
MAX_PDF_PAGES = 3000  # more than any report; a PDF claiming more is refused before it is parsed
CHECK_SECONDS = 60.0  # reading one file for the check; beyond this it is refused
# address space of the checking process: OCR of a dense page reaches 1.4 GiB of it (750 MiB resident)
CHECK_MEMORY = 2048 * 2**20
TRASH = ".trash"
# Names Windows reserves whatever the extension: a corpus folder copied there must stay usable.
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Inspection:
    """What the index will learn from a file: its metadata as extracted and how many passages it gives."""

    title: str
    date: str | None
    source: str | None
    passages: int
    characters: int
    scanned_pages: int = 0
    """Pages to read by OCR: the check reads the first only, the refresh the rest (in the background)."""


def safe_name(original: str, suffix: str) -> str:
    """A file name that stays inside the corpus folder on any system, ending in `suffix`.

    >>> safe_name("../../x.txt", ".txt")
    'x.txt'
    >>> safe_name("CON.txt", ".txt")
    '_CON.txt'
    """
    name = unicodedata.normalize("NFC", original).replace("\\", "/").rsplit("/", 1)[-1]
    stem = name[: -len(Path(name).suffix)] if Path(name).suffix else name
    stem = re.sub(r'[\x00-\x1f\x7f<>:"|?*]', "", stem)  # control characters and what Windows forbids
    stem = re.sub(r"\s+", " ", stem).strip(" .")  # no hidden files, no trailing dots (Windows drops them)
    if stem.upper().split(".")[0] in RESERVED:
        stem = "_" + stem
    stem = stem[:MAX_STEM].rstrip(" .") or time.strftime("文档-%Y%m%d-%H%M%S")
    return stem + suffix


def sniff(data: bytes, name: str) -> str:
    """The file's type from its bytes (one of UPLOAD_SUFFIXES); raises UploadRejected when the bytes are not a
    kind of document the index reads, or contradict the name (a .pdf that is not a PDF)."""
    claimed = Path(name).suffix.lower()
    claimed = {".htm": ".html", ".jpeg": ".jpg", ".tiff": ".tif"}.get(claimed, claimed)
    image = next((suffix for magic, suffix in _IMAGES if data.startswith(magic)), None)
    if image is not None:  # a photo or a scanned page, read by OCR
        found = image
    elif b"%PDF-" in data[:1024]:  # readers accept the header anywhere in the first KiB
        found = ".pdf"
    elif data[:4] == b"PK\x03\x04":
        found = ".docx" if _zip_has(data, "word/document.xml") else ""
        if not found:
            raise UploadRejected("压缩包或其他 Office 文件,只接受 Word(.docx)")
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UploadRejected("旧版 Word(.doc)文件,请另存为 .docx 再发送")
    else:
        try:
            text = decode(data)
        except UnreadableFile as exc:
            raise UploadRejected(f"不是文本、Word 或 PDF 文件:{exc}") from exc
        if re.search(r"<(html|body|p|div|head)\b", text[:65536], re.I):
            found = ".html"
        else:
            found = ".md" if claimed == ".md" else ".txt"
    text_like = {".txt", ".md", ".html"}
    if claimed in UPLOAD_SUFFIXES and claimed != found and not (claimed in text_like and found in text_like):
        raise UploadRejected(f"文件名是 {claimed},内容却是 {found} 文件")
    if claimed and claimed not in UPLOAD_SUFFIXES and claimed not in TEXT_SUFFIXES:
        raise UploadRejected(f"不支持 {claimed} 文件;可以发送 {'、'.join(UPLOAD_SUFFIXES)}")
    return found


def _zip_has(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return member in z.namelist()
    except zipfile.BadZipFile:
        return False


def check_limits(data: bytes, suffix: str) -> None:
    """Refuse, before parsing, what would cost more than any real document: raises UploadRejected."""
    if len(data) > MAX_UPLOAD:
        raise UploadRejected(f"文件超过 {MAX_UPLOAD // 2**20} MB")
    if suffix == ".docx":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            inflated = sum(i.file_size for i in z.infolist())
        if inflated > MAX_UNZIPPED:
            raise UploadRejected(f"Word 文件解压后超过 {MAX_UNZIPPED // 2**20} MB(疑似压缩炸弹)")
    elif suffix == ".pdf":
        # /Type /Page objects (not /Pages) are the pages; counting them needs no parser
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
        if pages > MAX_PDF_PAGES:
            raise UploadRejected(f"PDF 有 {pages} 页,超过 {MAX_PDF_PAGES} 页的上限")


def inspect(data: bytes, suffix: str) -> Inspection:
    """Read the file as the index will (same loaders, cleaning and chunking); raises UploadRejected."""
    from . import ocr
    from .ingest import ingest  # the whole ingestion stack: only here, in the checking process

    check_limits(data, suffix)
    ocr.read_at_most(1)  # a scan is checked by its first page; the refresh reads the rest, off the bot's back
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"upload{suffix}"
        try:
            doc = ingest(path, Path(tmp), data)
        except UnreadableFile as exc:
            raise UploadRejected(str(exc)) from exc
    d = doc.document
    pages = (_pdf_pages(data) if suffix == ".pdf" else 1) if d.scanned else 0
    return Inspection(
        title=d.title,
        date=d.date,
        source=d.source,
        passages=len(doc.chunks),
        characters=doc.chars,
        scanned_pages=pages,
    )


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def _inspect_child(connection: Connection, data: bytes, suffix: str, cache: Path | None = None) -> None:
    from . import ocr

    ocr.use_cache(cache)  # the page the check reads is not read again by the refresh
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHECK_MEMORY, CHECK_MEMORY))
    except (ImportError, ValueError, OSError):  # not on this system: the time limit still holds
        pass
    try:
        connection.send(("ok", inspect(data, suffix)))
    except UploadRejected as exc:
        connection.send(("rejected", str(exc)))
    except MemoryError:
        connection.send(("rejected", f"读取时内存超过 {CHECK_MEMORY // 2**20} MB 的上限"))
    except Exception as exc:  # a parser's own bug on a strange file: refused, never fatal to the bot
        connection.send(("rejected", f"无法读取({type(exc).__name__})"))


def inspect_bounded(
    data: bytes, suffix: str, *, seconds: float = CHECK_SECONDS, cache: Path | None = None
) -> Inspection:
    """`inspect` in a child process limited in time and memory, so a hostile file costs the bot nothing; pages
    read by OCR are kept in `cache` (the index's)."""
    receiver, sender = mp.get_context("spawn").Pipe(duplex=False)
    child = mp.get_context("spawn").Process(target=_inspect_child, args=(sender, data, suffix, cache), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise UploadRejected(f"读取超过 {seconds:.0f} 秒,文件过于复杂")
        status, value = receiver.recv()
    except EOFError as exc:  # the child died (killed by the memory limit, or crashed)
        raise UploadRejected("读取时超出内存或崩溃,文件过于复杂") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    if status != "ok" or not isinstance(value, Inspection):
        raise UploadRejected(str(value))
    return value


def save(corpus: Path, name: str, data: bytes, *, replace: bool = False) -> Path:
    """Write `data` as corpus/name atomically (temporary file + rename). An existing file with other content is
    never overwritten unless `replace`: raises NameTaken. Returns the saved path."""
    target = corpus / name
    if target.resolve().parent != corpus.resolve():
        raise UploadRejected("文件名不安全")
    if target.exists() and not replace:
        if file_hash(target.read_bytes()) == file_hash(data):
            return target
        raise NameTaken(name)
    fd, tmp = tempfile.mkstemp(dir=corpus, prefix=".upload-", suffix=".tmp")  # a dot file: scans skip it
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def to_trash(corpus: Path, doc_id: str) -> Path:
    """Move a corpus file (and its sidecar) into corpus/.trash/, never deleting; returns its new path."""
    source = corpus / doc_id
    inside = source.resolve().is_relative_to(corpus.resolve())
    if not source.is_file() or not inside or source.resolve().is_relative_to((corpus / TRASH).resolve()):
        raise FileNotFoundError(doc_id)
    trash = corpus / TRASH
    trash.mkdir(exist_ok=True)
    target = trash / source.name
    if target.exists():
        target = trash / f"{source.stem}.{time.strftime('%Y%m%d-%H%M%S')}{source.suffix}"
    os.replace(source, target)
    side = source.with_name(source.stem + SIDECAR_SUFFIX)
    if side.exists():
        os.replace(side, target.with_name(target.stem + SIDECAR_SUFFIX))
    return target


META_KEYS = {"标题": "title", "日期": "date", "来源": "source", "作者": "author", "链接": "url", "文号": "number"}


def parse_meta(text: str) -> dict[str, str]:
    """`标题=… 日期=2024-01-05 来源=…` (Chinese or English keys; a value runs to the next key) as sidecar fields.

    >>> parse_meta("标题=全省卫生健康工作会议 日期=2024-01-05")
    {'title': '全省卫生健康工作会议', 'date': '2024-01-05'}
    """
    keys = "|".join([*META_KEYS, *sorted(SIDECAR_FIELDS - {"excerpt"})])
    fields = {}
    for m in re.finditer(rf"({keys})\s*[==:]\s*(.*?)\s*(?=(?:{keys})\s*[==:]|$)", text.strip(), re.S):
        key = META_KEYS.get(m.group(1), m.group(1))
        fields[key] = m.group(2).strip()
    if "date" in fields and not re.fullmatch(r"(19|20)\d{2}(-\d{2}(-\d{2})?)?", fields["date"]):
        raise UploadRejected(f"日期应写成 2024-01-05、2024-01 或 2024,而不是 {fields['date']}")
    return fields


def write_meta(corpus: Path, doc_id: str, fields: dict[str, Any]) -> Path:
    """Merge fields into the file's sidecar (NAME.meta.json), written atomically; returns the sidecar's path."""
    source = corpus / doc_id
    if not source.is_file() or not source.resolve().is_relative_to(corpus.resolve()):
        raise FileNotFoundError(doc_id)
    side = source.with_name(source.stem + SIDECAR_SUFFIX)
    current = json.loads(side.read_text(encoding="utf-8")) if side.exists() else {}
    current.update({k: v for k, v in fields.items() if v})
    for k in [k for k, v in fields.items() if not v]:  # `来源=` with nothing clears the field
        current.pop(k, None)
    fd, tmp = tempfile.mkstemp(dir=side.parent, prefix=".meta-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(current, f, ensure_ascii=False, indent=2)
    os.replace(tmp, side)
    return side
