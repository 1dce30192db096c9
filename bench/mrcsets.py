"""The public reading-comprehension sets in ../shared/eval/mrc as open-domain corpora, as ../shared/eval/mrc.py
builds and scores them: one file per article (title, blank line, paragraphs), questions with their paragraph
and marked answers; text compared after NFKC, traditional -> simplified and removing spaces.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from retrieval.core.text import to_simplified

ROOT = Path(__file__).resolve().parent.parent
MRC = ROOT.parent / "shared" / "eval" / "mrc"
SETS = {"cmrc": "cmrc2018_trial.json", "drcd": "DRCD_test.json"}
LEAD_MAX = 150  # the scorer counts a longer lead as a miss


@dataclass(frozen=True)
class Question:
    text: str
    answers: list[str]
    context: str
    article: str


def norm(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", text)))


def prepare(name: str, corpus: Path) -> list[Question]:
    """Write one .txt per article of set `name` into `corpus`; return its questions."""
    data = json.loads((MRC / SETS[name]).read_text(encoding="utf-8"))
    corpus.mkdir(parents=True, exist_ok=True)
    questions = []
    for art in data["data"]:
        title = (art.get("title") or art["paragraphs"][0]["context"][:20]).strip()
        file_name = f"{art['id']}_{re.sub(r'[^0-9A-Za-z一-鿿]+', '_', title)[:40]}.txt"
        paragraphs = [p["context"].strip() for p in art["paragraphs"]]
        (corpus / file_name).write_text(title + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        for p in art["paragraphs"]:
            for qa in p["qas"]:
                answers = sorted({a["text"].strip() for a in qa["answers"] if a["text"].strip()})
                if answers and qa["question"].strip():
                    questions.append(Question(qa["question"].strip(), answers, p["context"], art["id"]))
    return questions


def sample(questions: list[Question], n: int) -> list[Question]:
    """An evenly spread sample of n questions, as mrc.py --limit takes it."""
    return questions[:: max(1, len(questions) // n)][:n] if n else questions


def from_paragraph(text: str, context: str) -> bool:
    """A passage comes from the paragraph when the middle of one of its lines is in it."""
    for line in text.splitlines():
        n = norm(line)
        if len(n) >= 12 and n[len(n) // 2 - 6 : len(n) // 2 + 6] in context:
            return True
    return False


def holds_answer(text: str, q: Question) -> bool:
    return any(norm(a) in norm(text) for a in q.answers)


def figures(questions: list[Question], outputs: list[dict]) -> dict[str, float]:
    """mrc.py's figures for `qabot search --json`-shaped outputs, one per question."""
    keys = ["para@1", "para@3", "ans@1", "ans@3", "lead", "lead_given", "answered"]
    total = dict.fromkeys(keys, 0)
    for q, out in zip(questions, outputs, strict=False):
        texts = [r.get("text", "") for r in out.get("results") or []][:3]
        lead = (out.get("lead") or {}).get("text") or ""
        context = norm(q.context)
        para = [from_paragraph(t, context) for t in texts]
        has = [holds_answer(t, q) for t in texts]
        total["para@1"] += bool(para and para[0])
        total["para@3"] += any(para)
        total["ans@1"] += bool(has and has[0])
        total["ans@3"] += any(has)
        total["lead"] += bool(lead) and len(lead) <= LEAD_MAX and holds_answer(lead, q)
        total["lead_given"] += bool(lead)
        total["answered"] += bool(texts)
    return {k: round(v / max(1, len(questions)), 3) for k, v in total.items()}
