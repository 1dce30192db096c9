"""Indexing a department's archive: about 70 long work reports (about a million characters) with headings
and paragraphs repeated nearly word for word across years, through `qabot index`.

    python -m bench.reports [--reports 70]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from .scale import jieba_words, measured

NUMS = "一二三四五六七八九十"
STOCK = [
    "要持续推进紧密型县域医共体建设,推动优质医疗资源下沉。",
    "要深化公立医院改革,推进检查检验结果互认。",
    "要加强基层医疗卫生服务能力建设,做实家庭医生签约服务。",
    "要推进中医药传承创新发展,实施中医药振兴发展重大工程。",
]


def make_reports(folder: Path, reports: int, seed: int = 3) -> int:
    """Reports of 8 sections x 4 subsections x 4 paragraphs, about 14,000 characters each."""
    rng = np.random.default_rng(seed)
    words, p = jieba_words()
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for r in range(reports):
        year = 2000 + r % 25
        lines = [f"标题:{year}年全市卫生健康工作报告({r:02d})", f"{year}年2月1日", ""]
        for s in range(8):
            lines.append(f"{NUMS[s]}、第{NUMS[s]}部分重点工作")
            for sub in range(4):
                lines.append(f"({NUMS[sub]})分项任务{NUMS[sub]}")
                for _ in range(4):
                    drawn = rng.choice(len(words), size=int(rng.integers(40, 70)), p=p)
                    sentences = ["".join(words[i] for i in drawn[j : j + 12]) + "。" for j in range(0, len(drawn), 12)]
                    if rng.random() < 0.3:  # the same commitments, year after year
                        sentences.append(STOCK[int(rng.integers(len(STOCK)))])
                    lines.append("".join(sentences))
        text = "\n".join(lines) + "\n"
        total += len(text)
        (folder / f"report_{r:02d}.txt").write_text(text, encoding="utf-8")
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=70)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="qabot-reports-"))
    try:
        chars = make_reports(work / "corpus", args.reports)
        seconds, rss, out = measured(
            [
                sys.executable,
                "-m",
                "bot",
                "index",
                "--corpus",
                str(work / "corpus"),
                "--index",
                str(work / "index.sqlite"),
            ]
        )
        print(
            f"{args.reports} reports, {chars:,} characters: indexed in {seconds:.1f} s "
            f"({chars / seconds:,.0f} characters/s), peak RSS {rss:.0f} MiB"
        )
        print("  " + out.strip().splitlines()[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
