"""Our own look-alike archives (bench/sets/NAME: corpus/, questions.jsonl, missing.jsonl), scored as the shared
archives are (../shared/eval/archives.py), with each figure broken down by the kind of question; a shared archive's
name (laws, cpc) scores it the same way.

    .venv/bin/python -m bench.sets health [--misses] [--mixed]
    .venv/bin/python -m bench.sets             (every set)

Figures: doc@1 (the first passage comes from the document), right@1 (... and holds a gold phrase), right@3, lead
(the lead holds a gold phrase, from that document), refused (an answerable question said missing: must be 0) and
missing (questions naming what the corpus lacks, not answered from another document). --mixed asks the same
questions of one corpus holding the set, every shared archive and the seeds, as users keep them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from .corpora import ARCHIVES, SEEDS, norm

SETS = Path(__file__).resolve().parent / "sets"
FIGURES = ("doc@1", "right@1", "right@3", "lead", "refused")


def root_of(name: str) -> Path:
    """A set of ours (bench/sets/NAME), else a shared archive of that name."""
    return SETS / name if (SETS / name).is_dir() else ARCHIVES / name


def corpus_of(name: str, tmp: Path, mixed: bool) -> Path:
    """The set's corpus, or links to it, every shared archive and the seeds, a folder each."""
    own = root_of(name) / "corpus"
    if not mixed:
        return own
    folder = tmp / "mixed"
    shared = [p / "corpus" for p in sorted(ARCHIVES.iterdir()) if (p / "corpus").is_dir() and p / "corpus" != own]
    ours = {_digest(f) for f in own.iterdir()}
    # an archive the set was made from (provyears' 2025 reports are the prov archive's files) would hold each of those
    # documents twice: the question's document and its copy, which no answer can tell apart
    copied = [src for src in shared if any(_digest(f) in ours for f in src.iterdir())]
    for src in copied:
        print(f"{name} --mixed: {src.parent.name} left out (the set holds copies of its files)", file=sys.stderr)
    for src in [own, *(s for s in shared if s not in copied), SEEDS]:
        part = folder / (src.parent.name if src.name == "corpus" else src.name)
        part.mkdir(parents=True)
        for f in src.iterdir():
            (part / f.name).symlink_to(f.resolve())
    return folder


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(name: str, *, misses: bool, mixed: bool) -> dict[str, float]:
    root = root_of(name)
    questions = [
        json.loads(line) for line in (root / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line
    ]
    missing_path = root / "missing.jsonl"
    missing = [json.loads(line) for line in missing_path.read_text(encoding="utf-8").splitlines() if line]
    qabot = str(Path(".venv/bin/qabot"))
    with tempfile.TemporaryDirectory() as tmp:
        corpus = corpus_of(name, Path(tmp), mixed)
        index = Path(tmp) / "index.sqlite"
        subprocess.run([qabot, "index", "--corpus", str(corpus), "--index", str(index), "--quiet"], check=True)
        asked = [q["q"] for q in questions] + [m["q"] for m in missing]
        done = subprocess.run(
            [qabot, "search", "--json", "-k", "3", "--corpus", str(corpus), "--index", str(index)],
            input="\n".join(asked) + "\n",
            capture_output=True,
            text=True,
            check=True,
        )
    outs = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    if len(outs) != len(asked):
        sys.exit(f"{len(outs)} answers for {len(asked)} questions: {done.stderr[-300:]}")
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIGURES + ("n",), 0))
    for q, out in zip(questions, outs, strict=False):
        results = (out.get("results") or [])[:3]
        gold = [norm(g) for g in q["gold"]]
        ours = [Path(str((r.get("doc") or {}).get("path", ""))).name == q["doc"] for r in results]
        holds = [any(g in norm(r.get("text", "")) for g in gold) for r in results]
        lead = norm((out.get("lead") or {}).get("text") or "")
        got = {
            "doc@1": bool(ours and ours[0]),
            "right@1": bool(ours and ours[0] and holds[0]),
            "right@3": any(a and b for a, b in zip(ours, holds, strict=False)),
            "lead": bool(ours and ours[0] and any(g in lead for g in gold)),
            "refused": out.get("status") == "not_covered",
        }
        for kind in ("all", q.get("kind", "-")):
            totals[kind]["n"] += 1
            for figure, ok in got.items():
                totals[kind][figure] += ok
        if misses and not got["right@1"]:
            first = (results[0].get("doc") or {}).get("title") if results else out.get("status")
            print(f"miss [{q.get('kind', '-')}]: {q['q']} -> {first} (want {q['doc']})")
    said = [o.get("status") != "answered" or not o.get("results") for o in outs[len(questions) :]]
    if misses:
        for m, o, ok in zip(missing, outs[len(questions) :], said, strict=False):
            if not ok:
                print(f"answered from another document: {m['q']} -> {(o['results'][0].get('doc') or {}).get('title')}")
    label = name + (" (mixed)" if mixed else "")
    figures = {}
    for kind, t in sorted(totals.items(), key=lambda kv: (kv[0] != "all", kv[0])):
        shares = {f: round(t[f] / max(1, t["n"]), 3) for f in FIGURES}
        if kind == "all":
            figures = shares | {"missing": round(sum(said) / max(1, len(said)), 3)}
            print(
                f"{label}: " + ", ".join(f"{k} {v}" for k, v in figures.items()) + f"  ({t['n']} questions, "
                f"{len(said)} missing)"
            )
        else:
            print(f"  {kind:<14} " + ", ".join(f"{k} {v}" for k, v in shares.items()) + f"  ({t['n']})")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="sets under bench/sets (default: all)")
    parser.add_argument("--misses", action="store_true", help="print every question not answered right")
    parser.add_argument("--mixed", action="store_true", help="one corpus: the set, every shared archive, the seeds")
    args = parser.parse_args()
    names = args.names or sorted(p.name for p in SETS.iterdir() if (p / "questions.jsonl").exists())
    for name in names:
        run(name, misses=args.misses, mixed=args.mixed)


if __name__ == "__main__":
    main()
