#!/usr/bin/env python3
"""Checks the naming question sets in this folder against their corpora.

Run with the project's interpreter (it needs opencc and jieba):
    .venv/bin/python bench/naming/check.py      (from the project's root)

Text is compared after removing pinyin annotations glued to characters (中醫(yī) -> 中醫), NFKC width folding,
OpenCC t2s and removing white space, the same way on the gold phrase and on the document.

For every answerable question ({"q", "gold": [phrase], "doc", ...}) it checks:
  - the doc exists in the corpus and every gold phrase occurs in it;        (error if not)
  - each gold phrase is 6-30 characters long;                               (error if not)
  - the question does not quote a gold phrase and never names a file;      (error if it does)
  - in which other documents of the same corpus the phrase also occurs;     (reported: duplicates)
  - whether the phrase also occurs verbatim in the raw file;                (reported)
  - the share of the question's content words (jieba tokens of 2+ chars, naming words and question
    words left out) that occur in the sentence holding the gold;            (reported when above 0.5)
  - gwr-session only: the "session" matches the calendar for the report's year.  (error if not)
For every missing question ({"q", "missing": true, ...}) it checks that no gold or doc is given.
Exit status 1 when any error is found.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import jieba

jieba.setLogLevel(60)
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # run as a script: the project's bench package
from bench.corpora import CORPORA, SEEDS, norm  # noqa: E402

SETS = {"seeds.jsonl": SEEDS, "gwr-session.jsonl": CORPORA["gwr-old"], "cpc-names.jsonl": CORPORA["cpc"]}


# term-session -> year of the NPC session (the report of year Y was given at the session held in Y)
CALENDAR = {
    "1-1": 1954,
    "1-2": 1955,
    "1-3": 1956,
    "1-4": 1957,
    "1-5": 1958,
    "2-1": 1959,
    "2-2": 1960,
    "2-3": 1962,
    "2-4": 1963,
    "3-1": 1964,
    "4-1": 1975,
    "5-1": 1978,
    "5-2": 1979,
    "5-3": 1980,
    "5-4": 1981,
    "5-5": 1982,
}
for term, first in [
    (6, 1983),
    (7, 1988),
    (8, 1993),
    (9, 1998),
    (10, 2003),
    (11, 2008),
    (12, 2013),
    (13, 2018),
    (14, 2023),
]:
    for s in range(1, 6):
        CALENDAR[f"{term}-{s}"] = first + s - 1

# words that name the document (session, congress, meeting, speaker, body, level, region, year) or only
# shape the question; they are left out of the content-word overlap
NAMING = re.compile(
    r"\d|届|大会|会议|会上|人大|两会|报告|讲话|党代会|[一二三四五六七八九十]+大$|中共|政府工作|计划|"
    r"总理|华国锋|李鹏|朱镕基|毛泽东|林武|马晓伟|余艳红|市长|省长|卫健|卫生健康|中医药局|管理局|"
    r"全市|全区|区里|山西|年度|召开|那次|那份|专题会|局长|国家中医药"
)
STOP = set(
    [
        "什么",
        "怎么",
        "怎样",
        "哪些",
        "哪个",
        "哪几",
        "哪几个",
        "哪位",
        "哪项",
        "哪部",
        "哪份",
        "哪种",
        "多少",
        "多大",
        "多高",
        "几年",
        "几个",
        "一共",
        "提出",
        "提到",
        "认为",
        "要求",
        "当时",
        "那时",
        "我国",
        "这个",
        "这种",
        "这一",
        "那年",
        "当年",
        "时候",
        "作了",
        "是否",
        "如何",
        "为了",
        "之间",
        "起码",
        "一下",
        "分别",
        "有关",
        "关于",
        "这些",
        "哪里",
        "哪一步",
        "哪一片",
        "哪句话",
        "定的",
        "看待",
        "看成",
        "看作",
        "什么样",
    ]
)
# meeting and body names, removed from a question before it is cut into words
NAMING_PHRASES = sorted(
    [
        "基层中医药工作专题会议",
        "基层中医药工作会议",
        "基层中医药专题会",
        "全国卫生健康工作会议",
        "全市卫生健康工作会议",
        "全市卫健工作会议",
        "全市卫健大会",
        "医改工作电视电话会议",
        "医改电视电话会议",
        "医改工作会议",
        "医改会议",
        "医改会",
        "全国中医药局长会议",
        "中医药局长会议",
        "国家卫健委",
        "国家卫生健康委",
        "国家中医药管理局",
        "国家中医药局",
        "政府工作报告",
        "全国人大",
        "全国人民代表大会",
        "共产主义小组",
        "共产主义组织",
    ],
    key=len,
    reverse=True,
)
SENT_END = re.compile(r"(?<=[。！？!?])")


def content_words(q: str) -> list[str]:
    words = []
    q = norm(q)
    for phrase in NAMING_PHRASES:
        q = q.replace(phrase, "，")
    for w in jieba.lcut(q):
        if len(w) < 2 or w in STOP or NAMING.search(w) or not re.search(r"[\u3400-\u9fff]", w):
            continue
        if w not in words:
            words.append(w)
    return words


def sentence_with(raw: str, gold: str) -> str:
    for line in raw.splitlines():
        n = norm(line)
        if gold in n:
            for s in SENT_END.split(n):
                if gold in s:
                    return s
            # the gold crosses a sentence end: take the sentences it spans
            i = n.index(gold)
            a = max(n.rfind(c, 0, i) for c in "。！？!?") + 1
            ends = [j for j in (n.find(c, i + len(gold)) for c in "。！？!?") if j >= 0]
            return n[a : (min(ends) + 1 if ends else len(n))]
    return norm(raw)  # the gold crosses a line break: fall back on the document


def main() -> int:
    errors = 0
    for name, corpus in SETS.items():
        path = HERE / name
        if not path.exists():
            print(f"{name}: missing file")
            errors += 1
            continue
        raw = {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))}
        normed = {k: norm(v) for k, v in raw.items()}
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        answerable = [r for r in rows if "gold" in r]
        missing = [r for r in rows if r.get("missing")]
        golds = unique = verbatim = 0
        dup_lines, high = [], []
        seen_q: set[str] = set()
        for r in rows:
            q = r["q"]
            if q in seen_q:
                print(f"  ERROR duplicate question: {q}")
                errors += 1
            seen_q.add(q)
            if any(re.search(re.escape(stem), q) for stem in (pathlib.Path(f).stem for f in raw)) or ".txt" in q:
                print(f"  ERROR question names a file: {q}")
                errors += 1
        for r in missing:
            if r.get("gold") or r.get("doc"):
                print(f"  ERROR missing question with gold/doc: {r['q']}")
                errors += 1
            if name == "gwr-session.jsonl":
                year = CALENDAR.get(r.get("session", ""))
                held = [f for f in raw if year and f.startswith(f"{year}年")]
                if year is None or held:
                    print(f"  ERROR missing session {r.get('session')} -> {year}, corpus holds {held}")
                    errors += 1
        for r in answerable:
            q, doc = r["q"], r.get("doc")
            if doc not in raw:
                print(f"  ERROR doc not in corpus: {doc}")
                errors += 1
                continue
            if name == "gwr-session.jsonl":
                year = CALENDAR.get(r.get("session", ""))
                if year is None or not doc.startswith(f"{year}年"):
                    print(f"  ERROR session {r.get('session')} ({year}) does not fit {doc}")
                    errors += 1
            for g in r["gold"]:
                golds += 1
                ng = norm(g)
                if not 6 <= len(ng) <= 30:
                    print(f"  ERROR gold length {len(ng)}: {g}")
                    errors += 1
                if ng not in normed[doc]:
                    print(f"  ERROR gold not in {doc}: {g}")
                    errors += 1
                    continue
                if ng in norm(q):
                    print(f"  ERROR question quotes its gold: {q}")
                    errors += 1
                others = [k for k, v in normed.items() if k != doc and ng in v]
                if others:
                    dup_lines.append(f"  duplicate: {g} -> also in {', '.join(others)}")
                else:
                    unique += 1
                verbatim += g in raw[doc]
                words = content_words(q)
                sent = sentence_with(raw[doc], ng)
                shared = [w for w in words if w in sent]
                share = len(shared) / max(1, len(words))
                if share > 0.5:
                    high.append(f"  overlap {share:.2f} {shared}/{words}: {q}")
        print(
            f"{name}: {len(answerable)} answerable, {len(missing)} missing; "
            f"{unique}/{golds} golds unique to their doc; {verbatim}/{golds} verbatim in the raw file"
        )
        for line in dup_lines + high:
            print(line)
    print("errors:", errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
