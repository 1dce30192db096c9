"""Scoring a question set ({"q", "gold": [phrase, ...]} a line) against the index: the shared scorer's figures.

A result is a hit when its text holds a gold phrase and is at most 600 characters; the lead is right when it
holds one; an empty gold list means the corpus has no answer, and the right result is none. Text is compared
without pinyin annotations, width-folded, in simplified script, without white space.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InvalidQuery, QabotError
from ..core.store import Index
from ..core.text import strip_annotations, to_simplified
from .qa import ask

MAX_HIT_CHARS = 600  # a "result" longer than this would hold the answer by sheer size
DEPTH = 5  # results read per question (MRR@5)


class BadQuestionFile(QabotError):
    """问题文件的格式不对:每行应是 {"q": 问题, "gold": [答案短语, ...]}。"""


@dataclass
class Scores:
    questions: int = 0
    r1: float = 0.0
    r3: float = 0.0
    mrr: float = 0.0
    lead: float = 0.0
    unanswerable: int = 0
    left_empty: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"R@1 {self.r1:.3f}  R@3 {self.r3:.3f}  MRR@5 {self.mrr:.3f}  lead holds a gold phrase "
            f"{self.lead:.3f}  no-answer questions left empty {self.left_empty}/{self.unanswerable}"
        )


def comparable(text: str) -> str:
    return re.sub(r"\s+", "", to_simplified(unicodedata.normalize("NFKC", strip_annotations(text))))


def read_questions(path: Path) -> list[dict]:
    """The rows of a question file; raises BadQuestionFile naming the first bad line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row.get("q"), str) or not isinstance(row.get("gold"), list):
                raise ValueError
        except (ValueError, AttributeError) as exc:
            raise BadQuestionFile(f"{path.name} 第 {number} 行") from exc
        rows.append(row)
    return rows


def evaluate(index: Index, rows: list[dict]) -> Scores:
    """R@1, R@3, MRR@5 and lead accuracy over answerable rows; how many unanswerable rows got no results."""
    s = Scores()
    positives = 0
    for row in rows:
        try:
            ans = ask(index, row["q"], k=DEPTH).answer
        except InvalidQuery:
            ans = None
        texts = [comparable(p.text) for p in ans.passages] if ans else []
        if not row["gold"]:
            s.unanswerable += 1
            s.left_empty += not texts
            continue
        positives += 1
        gold = [comparable(g) for g in row["gold"]]
        lead = comparable(ans.lead.text) if ans and ans.lead else ""
        s.lead += bool(lead) and any(g in lead for g in gold)
        rank = next((i for i, t in enumerate(texts) if len(t) <= MAX_HIT_CHARS and any(g in t for g in gold)), None)
        if rank is None:
            s.misses.append(row["q"])
            continue
        s.r1 += rank == 0
        s.r3 += rank < 3
        s.mrr += 1 / (rank + 1)
    n = max(1, positives)
    s.questions = len(rows)
    s.r1, s.r3, s.mrr, s.lead = s.r1 / n, s.r3 / n, s.mrr / n, s.lead / n
    return s
