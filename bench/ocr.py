"""Scans and screenshots: the seeds drawn as scanned A4 pages (200 dpi, slight rotation, blur, speckle, JPEG in
the PDF) and indexed instead of their text copies, the shared dev questions scored on both, characters read
right by script; time and memory per page and per phone screenshot; how often a screenshot of one or two
paragraphs of a seed finds its paragraph first, and how often one with other text under it (a site's footer, a
colleague's note, a reply as long as the quote, another article's paragraph) traces its paragraph (部分一致);
pictures of text nowhere in the corpus; a 20-page scan added to the seeds; a blank page's cost; the peak memory
of reading a 30-page and a 400-page scan (duplex: text on every tenth page); a 500-page scan (read up to the
300-page cap, the rest said).

    python -m bench.ocr [--screenshots 40]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from retrieval.answering.evaluate import evaluate, read_questions
from retrieval.answering.quote import locate
from retrieval.indexing import ocr, pdfscan
from retrieval.indexing.build import ocr_cache, open_index

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"
PARAGRAPHS_PER_PAGE = 5


def _one_page_rss(work: Path, paragraphs: list[str]) -> float:
    """Peak RSS (MiB) of a fresh process that loads the engine and reads one A4 page, as a build worker does."""
    import subprocess

    page = work / "page.png"
    from tests.scans import page_image

    page_image(paragraphs).save(page)
    # VmHWM, the process's own peak: ru_maxrss would carry over the peak of this (forking) process across exec
    code = (
        "from PIL import Image; from retrieval.indexing import ocr; "
        f"ocr.image_text(Image.open({str(page)!r}).convert('RGB')); "
        "print(next(ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return int(out.stdout.split()[-1]) / 1024


# Text nowhere in the corpus, written for this bench: what screenshots hold besides the quote.
FOOTERS = [
    "以上内容由医学教育网整理,了解更多中医健康养生知识,请关注医学教育网!",
    "本文来源于网络,版权归原作者所有,如有侵权请联系删除。点击下方阅读原文查看更多内容。",
]
NOTES = [
    "这段话可以用在下个月的汇报材料里,尤其是分级诊疗那部分,请大家看看还要补充什么,周五前反馈给我。",
    "收到,我下午把这一段整理进会议纪要,明天上午发给办公室审核后再印发。",
    "领导说这个提法要和去年的文件对一下口径,麻烦查一下原文出处。",
]
ARTICLE = (
    "今年春季全市开展了为期两个月的爱国卫生运动,各街道组织志愿者清理背街小巷,"
    "累计清运垃圾三千余吨,整治老旧小区环境一百二十处,群众满意度明显提升。"
)


def _others(quote: str, i: int) -> list[str]:
    """What a screenshot holds under the quote, by turns: a footer, a note, a reply as long as the quote, an article."""
    kind = i % 4
    if kind == 0:
        return [FOOTERS[i // 4 % len(FOOTERS)]]
    if kind == 1:
        return [NOTES[i // 4 % len(NOTES)]]
    if kind == 2:
        reply = "".join(NOTES[(i + j) % len(NOTES)] for j in range(len(NOTES)))
        return [reply[: max(40, len(quote))]]
    return [ARTICLE]


def _scan_peak(work: Path, pages: int, paragraphs: list[str]) -> tuple[float, float]:
    """Peak RSS (MiB) and seconds of a fresh process reading an A4 scan of `pages` pages, text on every tenth (the
    rest the blank backs and separator sheets of a duplex scan)."""
    import subprocess

    from tests.scans import page_image

    text, blank = page_image(paragraphs), page_image([])
    path = work / f"scan-{pages}.pdf"
    images = [text if i % 10 == 0 else blank for i in range(pages)]
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    code = (
        "import time; t = time.perf_counter(); from retrieval.indexing.formats import read_pdf; "
        f"read_pdf(open({str(path)!r}, 'rb').read()); "
        "print(time.perf_counter() - t, next(ln.split()[1] for ln in open('/proc/self/status') "
        "if ln.startswith('VmHWM')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seconds, peak = out.stdout.split()[-2:]
    return int(peak) / 1024, float(seconds)


def _accuracy(drawn: dict[Path, tuple[str, list[list[str]]]], cache: Path) -> str:
    """Characters read right (script kept, punctuation and width aside) on each seed's pages, from the OCR cache."""
    import hashlib
    import re
    import unicodedata
    from difflib import SequenceMatcher

    def chars(text: str) -> str:
        return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text))

    ocr.use_cache(cache)
    shown = []
    for path, (doc_id, pages) in drawn.items():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        ratios = []
        for number, paragraphs in enumerate(pages, start=1):
            got = ocr.cached(ocr.page_key(digest, number)) or ""
            ratios.append(SequenceMatcher(None, chars(got), chars("".join(paragraphs)), autojunk=False).ratio())
        shown.append(f"{doc_id[:3]} {statistics.mean(ratios):.3f}")
    return ", ".join(shown) + " (000, 001 simplified; 002-004 traditional)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--screenshots", type=int, default=40)
    args = ap.parse_args(argv)
    if not ocr.available():
        print("OCR is not installed (pip install '.[ocr]')")
        return 1
    sys.path.insert(0, str(ROOT))
    from tests.scans import long_scan, paginate, phone_photo, printed, scanned_pdf, screenshot

    work = Path(tempfile.mkdtemp(prefix="qabot-ocr-"))
    try:
        text_index, _ = open_index(ROOT / "seeds", work / "text.sqlite")
        corpus = work / "scans"
        corpus.mkdir()
        pages = 0
        drawn: dict[Path, tuple[str, list[list[str]]]] = {}
        for doc in text_index.documents.values():
            chunked = paginate(printed(ROOT / "seeds" / doc.id, ROOT / "seeds"))
            name = Path(doc.id).stem
            drawn[scanned_pdf(corpus / f"{name}.pdf", chunked)] = (doc.id, chunked)
            side = {"title": doc.title, "date": doc.date, "source": doc.source}
            (corpus / f"{name}.meta.json").write_text(json.dumps(side, ensure_ascii=False), encoding="utf-8")
            pages += len(chunked)
        start = time.perf_counter()
        scan_index, report = open_index(corpus, work / "scans.sqlite")
        seconds = time.perf_counter() - start
        rows = read_questions(DEV)
        text_scores, scan_scores = evaluate(text_index, rows), evaluate(scan_index, rows)
        print(f"scanned seeds: {pages} pages read in {seconds:.1f} s ({seconds / pages:.1f} s a page, 2 workers)")
        print(
            f"dev questions: R@1 {scan_scores.r1:.3f} on the scans, {text_scores.r1:.3f} on the text copies "
            f"({scan_scores.r1 / max(text_scores.r1, 1e-9):.1%}); lead {scan_scores.lead:.3f} / {text_scores.lead:.3f}"
        )
        # one page in this process: its time and the memory the engine takes
        from PIL import Image

        from tests.scans import page_image

        paras = [c.text for c in text_index.chunks_of(next(iter(text_index.documents)))][:PARAGRAPHS_PER_PAGE]
        densest = max((page for _, pages in drawn.values() for page in pages), key=lambda page: len("".join(page)))
        image = page_image(paras)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            ocr.image_text(image)
            times.append(time.perf_counter() - t)
        print(f"A4 page at 200 dpi: {statistics.median(times):.1f} s (median of 3)")
        # screenshots: a paragraph or two of a seed, JPEG as Telegram compresses photos
        chunks = [c for d in text_index.documents for c in text_index.chunks_of(d) if len(c.text) >= 60]
        step = max(1, len(chunks) // args.screenshots)
        found, shot_times = 0, []
        for i in range(0, len(chunks), step)[: args.screenshots]:
            # two paragraphs: this one and the start of the one after it in its document
            after = chunks[i].id + 1
            follows = i % 2 and text_index.has_chunk(after) and text_index.chunk(after).doc_id == chunks[i].doc_id
            shown = [chunks[i].text] + ([text_index.chunk(after).text[:80]] if follows else [])
            data = screenshot(shown, quality=60)
            t = time.perf_counter()
            source = locate(text_index, ocr.image_text(Image.open(io.BytesIO(data)).convert("RGB")))
            shot_times.append(time.perf_counter() - t)
            found += source.passage is not None and source.passage.chunk_id == chunks[i].id
        n = len(shot_times)
        print(
            f"screenshots: {found}/{n} find their paragraph first ({found / max(n, 1):.1%}); "
            f"{statistics.median(shot_times):.1f} s each (median, OCR and lookup)"
        )

        # screenshots holding more than the quote: the quote's paragraph traced, the rest said not in the corpus
        traced, partial, others_times = 0, 0, []
        for n, i in enumerate(range(0, len(chunks), step)[: args.screenshots]):
            quote = chunks[i].text
            data = screenshot([quote, *_others(quote, n)], quality=60)
            t = time.perf_counter()
            source = locate(text_index, ocr.image_text(Image.open(io.BytesIO(data)).convert("RGB")))
            others_times.append(time.perf_counter() - t)
            passages = [source.passage] + [p.passage for p in source.parts]
            traced += any(p is not None and p.chunk_id == chunks[i].id for p in passages)
            partial += source.match == "部分一致"
        n = len(others_times)
        print(
            f"screenshots with a footer, a note, a reply or another article under the quote: {traced}/{n} trace "
            f"the quote's paragraph ({traced / max(n, 1):.1%}; {partial} said 部分一致); "
            f"{statistics.median(others_times):.1f} s each (median)"
        )
        nowhere = [[note] for note in NOTES] + [[ARTICLE], [ARTICLE, NOTES[0]], [FOOTERS[1], NOTES[2]]]
        unfound = sum(
            locate(text_index, ocr.image_text(ocr.open_image(screenshot(shown)))).match == "未找到出处"
            for shown in nowhere
        )
        print(f"screenshots of text nowhere in the corpus: {unfound}/{len(nowhere)} said 未找到出处")

        # phone photos of a printed page: askew on a desk, unevenly lit, 1280 pixels, JPEG
        def has_next(c):  # a paragraph after it in its document
            return text_index.has_chunk(c.id + 1) and text_index.chunk(c.id + 1).doc_id == c.doc_id

        photos = [c for c in chunks[:: max(1, len(chunks) // 10)] if has_next(c)][:10]
        right = 0
        for c in photos:
            data = phone_photo([c.text, text_index.chunk(c.id + 1).text])
            source = locate(text_index, ocr.image_text(ocr.open_image(data)))
            right += source.passage is not None and source.passage.chunk_id in (c.id, c.id + 1)
        print(f"phone photos of a page (two paragraphs): {right}/{len(photos)} find one of their paragraphs first")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process (engine loaded, pages read): {rss:.0f} MiB")
        print(
            f"peak RSS of a process reading one A4 page: {_one_page_rss(work, paras):.0f} MiB "
            f"({len(''.join(paras))} characters), {_one_page_rss(work, densest):.0f} MiB "
            f"(the densest page of the seeds, {len(''.join(densest))} characters)"
        )
        # an admin's 20-page scan added to the seeds: the refresh that makes it answerable
        pages20 = [p for d in text_index.documents for p in paginate([c.text for c in text_index.chunks_of(d)])]
        corpus_text = work / "with-scan"
        shutil.copytree(ROOT / "seeds", corpus_text)
        open_index(corpus_text, work / "with-scan.sqlite")
        scanned_pdf(corpus_text / "二十页扫描件.pdf", (pages20 * 3)[:20])
        start = time.perf_counter()
        _, added = open_index(corpus_text, work / "with-scan.sqlite", isolate=True)
        print(f"a 20-page scan added to the seeds: answerable after {time.perf_counter() - start:.0f} s (refresh)")
        print("characters read right: " + _accuracy(drawn, ocr_cache(work / "scans.sqlite")))
        # blank pages: seen coarsely and left unread, in milliseconds
        blanks = scanned_pdf(work / "blank.pdf", [[] for _ in range(20)])
        start = time.perf_counter()
        _, skipped = pdfscan.ocr_pdf_pages(blanks.read_bytes(), list(range(20)))
        each = (time.perf_counter() - start) / 20
        print(f"a blank page: {each * 1000:.0f} ms (20 pages: {pdfscan.unread_note(skipped)})")
        for pages_count in (30, 400):
            peak, spent = _scan_peak(work, pages_count, paras)
            print(f"a {pages_count}-page A4 scan, text on every tenth page: peak RSS {peak:.0f} MiB, {spent:.0f} s")
        # a hostile length: 500 pages, read up to the cap; the rest said in the document's note
        hostile = work / "long"
        hostile.mkdir()
        sentences = [c.text for d in text_index.documents for c in text_index.chunks_of(d)]
        long_scan(hostile / "五百页.pdf", sentences, 500)
        start = time.perf_counter()
        long_index, _ = open_index(hostile, work / "long.sqlite")
        note = long_index.documents["五百页.pdf"].unread
        print(f"a 500-page scan: {time.perf_counter() - start:.0f} s to index; left unread: {note}")
        if scan_scores.misses:
            print("missed on the scans: " + "; ".join(scan_scores.misses))
        if report.skipped:
            print(f"skipped: {report.skipped}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
