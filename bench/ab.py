"""A change's cost before it lands: the same workload run by this checkout (A) and by another commit (B), in
alternating pairs, printing the ratio A/B of each figure with its spread.

    python -m bench.ab --against main            # or a commit, a tag, HEAD~3
    python -m bench.ab --against HEAD~1 --paragraphs 100000 --pairs 11

The other commit is checked out as a git worktree in a temporary folder and run with this checkout's interpreter and
packages (its own code first on PYTHONPATH), so only the code differs. Each side builds its own index of one
synthetic corpus (bench.scale's), then each pair runs, in turn, `qabot search --json` over the same questions (the
whole process: start-up, every question, the JSON), the first of them asked as list questions (+ 有哪些举措: the
path that reads whole documents for their enumerations) and `qabot search` with one question (start-up); then, in pairs
of their own, `qabot index --rebuild` of a smaller corpus (`--build-paragraphs`, its two worker processes included:
what a change costs the build). A ratio below 1 means this checkout is faster; the spread of the pairs says how
much of it is noise: a machine shared with other work drifts, and alternating pairs cancel the drift that a
before-and-after would keep.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .scale import LIST_ASKS, LIST_QUESTIONS, make_corpus, sample_queries

ROOT = Path(__file__).resolve().parent.parent
QUESTION_TERMS = 4


def worktree(commit: str, folder: Path) -> Path:
    """The commit checked out (detached) in `folder`, which git removes again in `remove`."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet", str(folder), commit], check=True)
    return folder


def remove(folder: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], check=False)


def run(code: Path, args: list[str], stdin: Path | None = None, quiet: bool = False) -> tuple[float, float]:
    """Wall seconds and CPU seconds of `python -m bot ARGS` run by the code of `code` (`quiet`: its summary on
    stderr, a build's, not shown)."""
    env = dict(os.environ, PYTHONPATH=str(code))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as feed:
        subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=code,
            env=env,
            stdin=feed,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL if quiet else None,
            check=True,
        )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def spread(values: list[float]) -> str:
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    low, high = min(values), max(values)
    return f"{statistics.median(values):.3f} (quartiles {q[0]:.3f}–{q[2]:.3f}, min {low:.3f}, max {high:.3f})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--against", required=True, help="the commit to compare with (B)")
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--questions", type=int, default=400)
    ap.add_argument("--pairs", type=int, default=11)
    ap.add_argument("--build-paragraphs", type=int, default=20_000, help="the corpus each build pair indexes")
    ap.add_argument("--build-pairs", type=int, default=5, help="pairs of builds (0: none)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="qabot-ab-") as tmp:
        work = Path(tmp)
        other = worktree(args.against, work / "b")
        try:
            corpus = work / "corpus"
            make_corpus(corpus, args.paragraphs)
            sides = {"A": ROOT, "B": other}
            index = {name: work / f"{name}.sqlite" for name in sides}
            where = {name: ["--corpus", str(corpus), "--index", str(index[name])] for name in sides}
            for name, code in sides.items():
                wall, _ = run(code, ["index", "--quiet", *where[name]])
                print(f"{name}: index built in {wall:.1f} s ({code})")
            sys.path.insert(0, str(ROOT))
            from retrieval.core.store import Index

            questions = sample_queries(Index(index["A"]), args.questions, QUESTION_TERMS)
            many, lists, one = work / "questions.txt", work / "lists.txt", work / "one.txt"
            many.write_text("\n".join(questions) + "\n", encoding="utf-8")
            lists.write_text("".join(q + LIST_ASKS + "\n" for q in questions[:LIST_QUESTIONS]), encoding="utf-8")
            one.write_text(questions[0] + "\n", encoding="utf-8")
            for name, code in sides.items():  # warm the page cache and the dictionary copy, not counted
                run(code, ["search", "--json", *where[name]], many)
            ratios: dict[str, list[float]] = {
                "questions wall": [],
                "questions cpu": [],
                "lists wall": [],
                "start-up wall": [],
            }
            for _ in range(args.pairs):
                pair: dict[str, tuple[float, float, float, float]] = {}
                for name, code in sides.items():
                    wall, cpu = run(code, ["search", "--json", *where[name]], many)
                    listed, _ = run(code, ["search", "--json", *where[name]], lists)
                    start, _ = run(code, ["search", "--json", *where[name]], one)
                    pair[name] = (wall, cpu, listed, start)
                ratios["questions wall"].append(pair["A"][0] / pair["B"][0])
                ratios["questions cpu"].append(pair["A"][1] / pair["B"][1])
                ratios["lists wall"].append(pair["A"][2] / pair["B"][2])
                ratios["start-up wall"].append(pair["A"][3] / pair["B"][3])
            if args.build_pairs:
                small = work / "small"
                make_corpus(small, args.build_paragraphs)
                ratios |= {"build wall": [], "build cpu": []}
                rebuild = {
                    name: ["--corpus", str(small), "--index", str(work / f"{name}-build.sqlite")] for name in sides
                }
                for _ in range(args.build_pairs):
                    built = {
                        name: run(code, ["index", "--quiet", "--rebuild", *rebuild[name]], quiet=True)
                        for name, code in sides.items()
                    }
                    ratios["build wall"].append(built["A"][0] / built["B"][0])
                    ratios["build cpu"].append(built["A"][1] / built["B"][1])
        finally:
            remove(other)
    print(
        f"A/B over {args.pairs} alternating pairs ({args.paragraphs:,} paragraphs, {args.questions} questions of "
        f"{QUESTION_TERMS} words, {LIST_QUESTIONS} of them + {LIST_ASKS}; builds of {args.build_paragraphs:,} "
        "paragraphs; below 1: A is faster), "
        f"A = this checkout, B = {args.against}:"
    )
    for figure, values in ratios.items():
        print(f"  {figure:15s} {spread(values)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
