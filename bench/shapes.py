"""Comparisons and lists across an archive: our own time for "各县2025年地区生产总值增长目标是多少" over 30 and 1,000
look-alike county reports (each 40 paragraphs: a review, a plan with the targets, eight tasks), beside a single
question over the same index.

    python -m bench.shapes [--documents 30 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.answering.qa import ask
from retrieval.core.regions import regions
from retrieval.indexing.build import open_index

from .reports import NUMS
from .scale import jieba_words

RUNS = 7
QUESTIONS = {
    "comparison": "各县2025年地区生产总值增长目标是多少",
    "list": "{county}2025年重点抓好哪几方面工作",
    "single": "{county}2025年地区生产总值增长目标是多少",
}


def make_archive(folder: Path, documents: int, seed: int = 5) -> list[str]:
    """County work reports of 2025, each naming its county: the targets paragraph differs in its figures only."""
    rng = np.random.default_rng(seed)
    words, p = jieba_words()
    counties = [r.name for r in regions().values() if r.level == 3 and r.name.endswith("县")][:documents]
    folder.mkdir(parents=True, exist_ok=True)
    for name in counties:

        def filler(n: int) -> str:
            drawn = rng.choice(len(words), size=n, p=p)
            return "".join(words[i] for i in drawn) + "。"

        lines = [f"2025年{name}政府工作报告", "2025年1月10日", "一、2024年工作回顾"]
        lines += [filler(60) for _ in range(14)]
        lines += ["二、2025年主要目标和重点工作"]
        growth, jobs = rng.choice(["5%左右", "5.5%左右", "6%以上"]), int(rng.integers(1, 9)) * 1000
        lines.append(f"今年全县经济社会发展的主要预期目标是:地区生产总值增长{growth},城镇新增就业{jobs}人。")
        lines.append("重点抓好八个方面工作:")
        for i in range(8):
            lines.append(f"({NUMS[i]}){filler(8)}{filler(50)}")
            lines += [filler(60) for _ in range(2)]
        (folder / f"2025年{name}政府工作报告.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return counties


def timed(index, question: str) -> tuple[float, object]:
    times, reply = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        reply = ask(index, question, cited=dt.date(2025, 6, 1))
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]), reply  # the first run reads the pages in


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--documents", type=int, nargs="+", default=[30, 1000])
    args = ap.parse_args(argv)
    for n in args.documents:
        work = Path(tempfile.mkdtemp(prefix="qabot-shapes-"))
        try:
            counties = make_archive(work / "corpus", n)
            index, report = open_index(work / "corpus", work / "index.sqlite")
            figures = []
            for label, question in QUESTIONS.items():
                seconds, reply = timed(index, question.format(county=counties[n // 2]))
                ans = reply.answer
                size = (
                    f"{len(ans.comparison.rows)} rows"
                    if ans.comparison
                    else f"{len(ans.listing.items)} items"
                    if ans.listing
                    else f"{len(ans.passages)} passages"
                )
                figures.append(f"{label} {seconds * 1000:.1f} ms ({size})")
            print(f"{n} documents, {report.chunks} chunks: " + "; ".join(figures))
            index.close()
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
