"""Lists as speeches, meeting reports and congress reports write them, and comparisons over a range of years.

Our own question sets in bench/lists/ (checked by bench/lists/check.py): list questions over the seeds, the CPC
congress reports and the national government work reports (items inside one paragraph, after a lead-in, as
headings, in an outline; with and without a count), and comparisons naming a range of years (1992年以来, 自1993年起,
1993至1999年) over the government work reports. Through `qabot ask`, as ../shared/eval/shapes.py scores its own:

    python -m bench.lists [--show]

  lists     the share of a list's items whose phrase is in the answer (whole: lists with every item)
  compare   the share of rows for which a line of the answer (or it and the next) holds the year and the figure
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpora import ARCHIVES, CORPORA, ROOT, norm


def answer(question: str, corpus: str, work: Path) -> str:
    index = work / f"{corpus}.sqlite"
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", question, "--corpus", str(CORPORA[corpus]), "--index", str(index)],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", action="store_true", help="print each question with its score")
    args = ap.parse_args()
    if not ARCHIVES.is_dir():
        print(f"bench.lists: {ARCHIVES} is not here", file=sys.stderr)
        return 1
    folder = ROOT / "bench" / "lists"
    rows = [json.loads(line) for f in ("lists.jsonl", "ranges.jsonl") for line in (folder / f).open(encoding="utf-8")]
    lists: list[float] = []
    comps: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for row in rows:
            out = answer(row["q"], row["corpus"], Path(tmp))
            if "items" in row:
                text = norm(out)
                score = sum(norm(i) in text for i in row["items"]) / len(row["items"])
                lists.append(score)
            else:
                lines = [norm(line) for line in out.splitlines() if line.strip()]
                windows = ["".join(lines[i : i + 2]) for i in range(len(lines))]
                hit = [any(norm(r["facet"]) in w and norm(r["gold"]) in w for w in windows) for r in row["rows"]]
                score = sum(hit) / len(hit)
                comps.append(score)
            if args.show:
                print(f"{score:.2f}  {row['q']}")
    whole = sum(s >= 0.999 for s in lists)
    print(
        f"lists: items {sum(lists) / len(lists):.3f} (whole {whole}/{len(lists)}), "
        f"ranges: rows {sum(comps) / len(comps):.3f} ({len(comps)} questions)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
