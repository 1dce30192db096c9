"""Scanned PDFs: each page without a text layer rendered and read by OCR (retrieval/indexing/ocr.py), a blank page
(a separator sheet, the empty back of a duplex scan) seen coarsely in milliseconds and never read, a page taking
too long skipped, at most ocr.MAX_PAGES pages read; the pages left unread noted with why. Memory stays flat in
the page count: pdfium's document is reopened every REOPEN_EVERY pages, each page and bitmap closed after use.
"""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import ocr

RENDER_DPI = 200  # a scanned PDF's pages are rendered at this resolution
PAGE_SECONDS = 60  # a page taking longer is skipped (in a build's worker process, where a timer can stop it)
BLANK_SIDE = 420  # pixels: a PDF page is first looked at this coarsely (about 36 dpi for A4), in milliseconds ...
BLANK_INK = 0.0002  # ... and with less than this share of ink (its margins aside) it is blank: not read
INK_CONTRAST = 80  # a pixel this much darker than the paper is ink (a back page's show-through is fainter)
REOPEN_EVERY = 20  # pages of a scan read before its document is reopened (pdfium's caches let go)
BLANK = "空白页"
MAX_RUNS = 3  # runs of pages left unread for one reason named one by one; more are told as a span and a count


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


def render_scale(width: float, height: float) -> float:
    """Pixels per PDF point for a page of this size (points): RENDER_DPI, less for a page so large that it would
    come out past MAX_SIDE pixels (a poster, or a hostile MediaBox of metres), which is all that is read of it.

    >>> round(render_scale(595, 842), 3), round(render_scale(14400, 14400), 3)  # A4; a 5-metre page
    (2.778, 0.167)
    """
    return min(RENDER_DPI / 72, ocr.MAX_SIDE / max(width, height, 1.0))


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


def _image(page: Any, scale: float) -> Any:
    """A PDF page rendered at `scale` as an RGB image; the page and its bitmap closed (pdfium frees them then)."""
    try:
        bitmap = page.render(scale=scale)
        try:
            return bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
    finally:
        page.close()


def _blank(page: Any) -> bool:
    """Whether a PDF page is blank, seen coarsely (about 36 dpi for A4)."""
    return is_blank(_image(page, BLANK_SIDE / max(*page.get_size(), 1.0)))


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
    ocr.require_engine()

    texts: dict[int, str] = {}
    skipped: dict[int, str] = {}
    digest = hashlib.sha256(data).hexdigest()
    pdf = _Pages(data)
    to_read = pages[: ocr.pages_to_read()]
    count = ocr.page_counter()
    try:
        count(digest, 0, len(to_read))
        for read_so_far, number in enumerate(to_read, start=1):

            def read(number: int = number) -> str:
                page = pdf[number]
                return ocr.image_text(_image(page, render_scale(*page.get_size())))

            try:
                key = ocr.page_key(digest, number + 1)
                if ocr.cached(key) is None and _blank(pdf[number]):  # looked at in milliseconds, not read
                    skipped[number] = BLANK
                else:
                    with time_limit(PAGE_SECONDS):
                        texts[number] = ocr.cached_text(key, read)
            except PageTimeout:
                skipped[number] = f"识别超时(超过{PAGE_SECONDS}秒)"
            except Exception as exc:  # one bad page costs that page, not the document
                skipped[number] = f"无法识别({type(exc).__name__})"
            count(digest, read_so_far, len(to_read))
        for number in pages[ocr.MAX_PAGES :]:
            skipped[number] = f"超过{ocr.MAX_PAGES}页,未识别"
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
