"""Fit the lead sentence's weights (retrieval/data/lead_weights.json) on public reading-comprehension questions.

For every question of the CMRC 2018 trial and DRCD test sets (../shared/eval/mrc), the question goes through
the real search; every sentence of the passages the lead is chosen from becomes a candidate, described by
retrieval.answering.lead.features and labelled by whether it holds a marked answer. A conditional logit (a softmax
over each question's candidates) is fitted with L2 regularization.

Held-out figures are what to trust: the model fitted on one set is scored on the other. The weights written
are then fitted on both sets.

    python -m bench.fit_lead            # fit, print held-out figures, write the weights
    python -m bench.fit_lead --check    # print held-out figures only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.answering.answer import matched_terms, passage_of
from retrieval.answering.lead import FEATURES, LEAD_FROM, features, sentences_of
from retrieval.answering.query import parse_query
from retrieval.answering.search import search
from retrieval.indexing.build import open_index

from .mrcsets import SETS, holds_answer, prepare

WEIGHTS = Path(__file__).resolve().parent.parent / "retrieval" / "data" / "lead_weights.json"
L2 = 1.0


@dataclass
class Candidates:
    """Every question's candidate sentences: features, labels, and which question each belongs to."""

    x: np.ndarray
    y: np.ndarray
    group: np.ndarray
    questions: int


def candidates(name: str, folder: Path) -> Candidates:
    questions = prepare(name, folder / "corpus")
    index, _ = open_index(folder / "corpus", folder / "index.sqlite")
    today = dt.date(2026, 1, 1)
    xs, ys, groups = [], [], []
    for number, q in enumerate(questions):
        query = parse_query(q.text, index, today)
        hits = search(index, query, k=LEAD_FROM)
        if not hits:
            continue
        terms = matched_terms(query, hits)
        passages = [passage_of(h, terms, today, None) for h in hits]
        sentences = sentences_of(passages, terms)
        xs.append(features(query, terms, sentences, passages))
        ys += [holds_answer(s.text, q) for s in sentences]
        groups += [number] * len(sentences)
    return Candidates(np.vstack(xs), np.asarray(ys, dtype=float), np.asarray(groups), len(questions))


def fit(c: Candidates, l2: float = L2, steps: int = 500) -> np.ndarray:
    """Weights maximizing the log-probability of the answering sentences under a softmax over each question's
    candidates (questions without one carry no signal), on standardized features, by gradient ascent with a
    step that shrinks when it overshoots."""
    mean, scale = c.x.mean(0), c.x.std(0) + 1e-9
    z = (c.x - mean) / scale
    starts = np.flatnonzero(np.r_[True, np.diff(c.group) != 0])
    sizes = np.diff(np.r_[starts, len(c.group)])
    answerable = np.add.reduceat(c.y, starts) > 0
    n = answerable.sum()

    def value_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), sizes))
        everything, right = np.add.reduceat(e, starts), np.add.reduceat(e * c.y, starts)
        value = (np.log(right[answerable]) - np.log(everything[answerable])).sum() - 0.5 * l2 * w @ w
        p_all = e / np.repeat(everything, sizes)
        p_right = e * c.y / np.maximum(np.repeat(right, sizes), 1e-300)
        return value / n, (((p_right - p_all) * np.repeat(answerable, sizes)) @ z - l2 * w) / n

    w, rate = np.zeros(z.shape[1]), 1.0
    value, grad = value_and_gradient(w)
    for _ in range(steps):
        trial = w + rate * grad
        trial_value, trial_grad = value_and_gradient(trial)
        if trial_value < value:
            rate /= 2
            continue
        w, value, grad, rate = trial, trial_value, trial_grad, rate * 1.2
        if np.abs(grad).max() < 1e-6:
            break
    return w / scale


def accuracy(c: Candidates, w: np.ndarray) -> float:
    """Share of all questions whose best-scored candidate holds the answer."""
    scores = c.x @ w
    starts = np.flatnonzero(np.r_[True, np.diff(c.group) != 0])
    ends = np.r_[starts[1:], len(c.group)]
    right = sum(c.y[a + int(np.argmax(scores[a:b]))] > 0 for a, b in zip(starts, ends, strict=False))
    return right / c.questions


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="print held-out figures, write nothing")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sets = {name: candidates(name, Path(tmp) / name) for name in SETS}
    held_out = {}
    for train, test in (("cmrc", "drcd"), ("drcd", "cmrc")):
        w = fit(sets[train])
        held_out[test] = round(accuracy(sets[test], w), 4)
        print(
            f"fitted on {train}, lead right on {test}: {held_out[test]:.4f} "
            f"(on {train} itself: {accuracy(sets[train], w):.4f})"
        )
    both = Candidates(
        np.vstack([s.x for s in sets.values()]),
        np.concatenate([s.y for s in sets.values()]),
        np.concatenate([s.group + 10**6 * i for i, s in enumerate(sets.values())]),
        sum(s.questions for s in sets.values()),
    )
    w = fit(both)
    print("fitted on both: " + ", ".join(f"{n} {accuracy(s, w):.4f}" for n, s in sets.items()) + " (training figures)")
    if not args.check:
        WEIGHTS.write_text(
            json.dumps(
                {
                    "about": "Lead-sentence weights fitted by `python -m bench.fit_lead` "
                    "on CMRC 2018 trial + DRCD test.",
                    "fitted": dt.date.today().isoformat(),
                    "held_out": held_out,
                    "weights": {name: round(float(v), 6) for name, v in zip(FEATURES, w, strict=False)},
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {WEIGHTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
