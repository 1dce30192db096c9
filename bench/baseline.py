"""The plain baseline the ranking and lead are measured against, on the public reading-comprehension sets.

Plain rank-bm25 (BM25Okapi) over whole paragraphs, with the same tokens as qabot (NFKC + traditional ->
simplified, jieba search mode, stopwords); the lead is the top paragraph's sentence holding the most
idf-weighted question words. Figures as ../shared/eval/mrc.py computes them, beside qabot's own, in one run.

    python -m bench.baseline            # both sets, every question
    python -m bench.baseline --limit 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np

from retrieval.answering.qa import ask
from retrieval.core.errors import InvalidQuery
from retrieval.core.hanzi import SENTENCE, split_units
from retrieval.core.tokenize import tokenize
from retrieval.indexing.build import open_index

from .mrcsets import MRC, SETS, Question, figures, prepare, sample


def plain_bm25(name: str, questions: list[Question]) -> list[dict]:
    from rank_bm25 import BM25Okapi

    data = json.loads((MRC / SETS[name]).read_text(encoding="utf-8"))
    paragraphs = [p["context"].strip() for art in data["data"] for p in art["paragraphs"]]
    bm25 = BM25Okapi([tokenize(p) for p in paragraphs])
    out = []
    for q in questions:
        terms = tokenize(q.text)
        scores = bm25.get_scores(terms)
        top = [int(i) for i in np.argsort(-scores, kind="stable")[:5] if scores[i] > 0]
        lead = ""
        if top:
            sentences = split_units(paragraphs[top[0]], SENTENCE)
            weight = {t: bm25.idf.get(t, 0.0) for t in set(terms)}
            lead = max(sentences, key=lambda s: sum(w for t, w in weight.items() if t in set(tokenize(s))))
        out.append({"results": [{"text": paragraphs[i]} for i in top], "lead": {"text": lead}})
    return out


def qabot(name: str, questions: list[Question], folder: Path) -> list[dict]:
    index, _ = open_index(folder / "corpus", folder / "index.sqlite")
    out = []
    for q in questions:
        try:
            ans = ask(index, q.text, k=5, cited=dt.date.today()).answer
        except InvalidQuery:
            out.append({"results": []})
            continue
        out.append(
            {
                "results": [{"text": p.text} for p in ans.passages],
                **({"lead": {"text": ans.lead.text}} if ans.lead else {}),
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=0, help="an evenly spread sample of N questions per set")
    args = ap.parse_args()
    print(f"{dt.date.today().isoformat()}: para@1 para@3 ans@1 ans@3 lead lead_given answered")
    for name in SETS:
        with tempfile.TemporaryDirectory() as tmp:
            questions = sample(prepare(name, Path(tmp) / "corpus"), args.limit)
            for system, run in (
                ("plain rank-bm25", partial(plain_bm25, name, questions)),
                ("qabot", partial(qabot, name, questions, Path(tmp))),
            ):
                start = time.perf_counter()
                got = figures(questions, run())
                print(
                    f"{name} ({len(questions)} questions), {system}: "
                    + " ".join(f"{v:.3f}" for k, v in got.items())
                    + f"  [{time.perf_counter() - start:.0f} s]"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
