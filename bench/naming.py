"""Documents named the way staff name them: by session, congress, meeting, speaker, body, year or region.

Our own question sets in bench/naming/ (written for this project, checked by bench/naming/check.py): the seeds asked
as staff ask (seeds.jsonl), the national government work reports of ../shared/eval/archives/gwr-old asked by the
NPC session they were given at (gwr-session.jsonl), and the congress reports of ../shared/eval/archives/cpc asked in
other words than that archive's own questions (cpc-names.jsonl). Each is asked of its own corpus and, with --mixed,
of one corpus holding every shared archive and the seeds, as users keep them.

    python -m bench.naming [--mixed] [--misses]

Figures, through the real command line (`qabot index`, `qabot search --json`):
  doc@1     the first passage comes from the document the question names
  right@1   ... and holds the gold phrase;  right@3: one of the first three passages does both
  refused   share of answerable questions told the corpus lacks what they name (status not_covered): must be 0
  missing   share of questions naming a document the corpus lacks that are not answered from another one
Questions marked "fallback" (今年 with no document of that year) are printed with --misses unless the answer comes
from the newest documents and says so.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from .corpora import ARCHIVES, CORPORA, ROOT, SEEDS, norm

SETS = {"seeds": SEEDS, "gwr-session": CORPORA["gwr-old"], "cpc-names": CORPORA["cpc"]}


def mixed_corpus(folder: Path) -> Path:
    """Links to every shared archive's files and the seeds, a folder each."""
    for src in [p / "corpus" for p in sorted(ARCHIVES.iterdir()) if (p / "corpus").is_dir()] + [SEEDS]:
        part = folder / (src.parent.name if src.name == "corpus" else src.name)
        part.mkdir(parents=True)
        for f in src.iterdir():
            (part / f.name).symlink_to(f.resolve())
    return folder


def ask_all(corpus: Path, questions: list[str], work: Path) -> list[dict]:
    qabot = [sys.executable, "-m", "bot"]
    # an index per folder: an index remembers its folder and refuses another (two archives' folders are both corpus/)
    where = ["--corpus", str(corpus), "--index", str(work / f"{corpus.parent.name}-{corpus.name}.sqlite")]
    subprocess.run([*qabot, "index", "--quiet", *where], check=True, capture_output=True)
    out = subprocess.run(
        [*qabot, "search", "--json", "-k", "3", *where],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def score(rows: list[dict], outs: list[dict], misses: bool) -> dict[str, float]:
    tot = dict.fromkeys(["doc@1", "right@1", "right@3", "refused", "missing"], 0)
    answerable = [(r, o) for r, o in zip(rows, outs, strict=True) if "gold" in r]
    missing = [(r, o) for r, o in zip(rows, outs, strict=True) if r.get("missing")]
    fallback = [(r, o) for r, o in zip(rows, outs, strict=True) if r.get("fallback")]
    for r, o in answerable:
        res = (o.get("results") or [])[:3]
        ok = [Path(str((x.get("doc") or {}).get("path", ""))).name == r["doc"] for x in res]
        holds = [any(norm(g) in norm(x.get("text", "")) for g in r["gold"]) for x in res]
        tot["doc@1"] += bool(ok and ok[0])
        tot["right@1"] += bool(ok and ok[0] and holds[0])
        tot["right@3"] += any(a and b for a, b in zip(ok, holds, strict=True))
        tot["refused"] += o.get("status") == "not_covered"
        if misses and not (ok and ok[0]):
            got = (res[0].get("doc") or {}).get("title") if res else o.get("note") or o.get("status")
            print(f"  miss: {r['q']} -> {got}")
    for r, o in missing:
        held = o.get("status") != "answered" or not o.get("results")
        tot["missing"] += held
        if misses and not held:
            print(f"  answered from another document: {r['q']} -> {o['results'][0]['doc']['title']}")
    for r, o in fallback:  # 今年 with no document of that year: the newest documents, and the answer says so
        said = o.get("status") == "answered" and "还没有" in (o.get("note") or "")
        if misses and not said:
            print(f"  no fallback said: {r['q']} -> {o.get('note') or o.get('status')}")
    n, m = max(1, len(answerable)), max(1, len(missing))
    fig = {k: round(v / (m if k == "missing" else n), 3) for k, v in tot.items()}
    return fig | {"n": len(answerable), "m": len(missing)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mixed", action="store_true", help="ask every set of one corpus holding all archives and seeds")
    ap.add_argument("--misses", action="store_true", help="print each question not answered from its document")
    args = ap.parse_args()
    if not ARCHIVES.is_dir():
        print(f"bench.naming: {ARCHIVES} is not here", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        mixed = mixed_corpus(work / "mixed") if args.mixed else None
        for name, corpus in SETS.items():
            path = ROOT / "bench" / "naming" / f"{name}.jsonl"
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            outs = ask_all(mixed or corpus, [r["q"] for r in rows], work)
            fig = score(rows, outs, args.misses)
            label = name + (" (mixed)" if mixed else "")
            print(
                f"{label}: doc@1 {fig['doc@1']}, right@1 {fig['right@1']}, right@3 {fig['right@3']}, "
                f"refused {fig['refused']}, missing {fig['missing']}  ({fig['n']} questions, {fig['m']} missing)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
