#!/usr/bin/env python3
"""Checks lists.jsonl and ranges.jsonl in this folder against their documents.

    .venv/bin/python bench/lists/check.py      (from the project's root)

Text is compared after removing pinyin glued to characters (中醫(yī) -> 中醫), NFKC, OpenCC t2s and removing
white space; paragraph breaks are kept aside to tell where a paragraph starts.
lists.jsonl: every item (6-20 chars) occurs in its doc, the items in the listed order; the text just before
each item ends with the ordinal marker of its rank (一是/一要/第一/(一)/一、 of rank n, or 首先/其次/再次/最后,
or a dash ——; "unmarked" lists are not checked for markers), optionally followed by , 、 : 要 是; and the marker
of rank n+1 in the last item's marker family does not follow the last item before the family restarts at rank 1
(within the paragraph for inline lists; at paragraph starts otherwise). Dash items must be exactly the run of
paragraphs opening with ——. An outline may skip ranks only where the skipped markers occur nowhere (a note).
ranges.jsonl: every row's gold (4-20 chars) occurs in its doc, each doc at most once, docs in year order, every
row's year inside the range the question names (one year only: up to 2002); prints, per question, the range's years
the corpus lacks and the held years with no row (to compare with "why").
Unmarked lists are checked only for order (and, as paragraphs, for opening paragraphs and no further paragraph with
the items' common prefix before the next 一、 heading).
"""

from __future__ import annotations

import bisect
import collections
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # run as a script: the project's bench package
from bench.corpora import CORPORA as DIRS  # noqa: E402
from bench.corpora import norm  # noqa: E402

CN = "一二三四五六七八九十"
WORDS = {1: "首先", 2: "其次", 3: "再次"}


def cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else ("十" + CN[n - 11] if n < 20 else "")


def doc(corpus: str, name: str) -> tuple[str, list[int]]:
    """The normalized text and the offsets where its paragraphs start."""
    text, starts = "", []
    for line in (DIRS[corpus] / name).read_text(encoding="utf-8").splitlines():
        if n := norm(line):
            starts.append(len(text))
            text += n
    return text, starts


def marker(n: int, fam: str) -> str:
    """Regex of the rank-n marker of a family."""
    if fam == "word":
        return WORDS.get(n, "最后")
    if fam == "、":  # 一、 but not the tail of 十一、
        return rf"(?<![{CN}]){cn(n)}、"
    return {"是": f"{cn(n)}是", "要": f"{cn(n)}要", "第": f"第{cn(n)}(?=[,、:])", "()": rf"\({cn(n)}\)"}[fam]


def rank_of(before: str) -> tuple[int, str] | None:
    """(rank, family) of the marker the text before an item ends with (, 、 : 要 是 may follow it)."""
    if re.search(r"—{2,}$", before):
        return 0, "—"
    fams = {"是": "{}是", "要": "{}要", "第": "第{}", "()": "({})", "、": "{}、"}
    toks = [(n, fam, pat.format(cn(n))) for n in range(19, 0, -1) for fam, pat in fams.items()]
    toks += [(n, "word", w) for n, w in [*WORDS.items(), (99, "最后")]]
    for n, fam, tok in toks:
        if re.search(re.escape(tok) + r"[,、:]?(?:要|是)?[,、:]?$", before):
            return n, fam
    return None


def check_list(r: dict) -> list[str]:
    errs, notes = [], []
    text, starts = doc(r["corpus"], r["doc"])
    para_of = lambda i: bisect.bisect_right(starts, i) - 1  # noqa: E731
    pos, found = 0, []
    for it in r["items"]:
        ni = norm(it)
        if not 6 <= len(ni) <= 20:
            errs.append(f"item length {len(ni)}: {it}")
        i = text.find(ni, pos)
        if i < 0:
            return errs + [f"item not found in order: {it}"]
        found.append(i)
        pos = i + len(ni)
    inline = r["form"].startswith("inline")
    if inline and len({bisect.bisect_right(starts, i) for i in found}) > 1:
        errs.append("the items of an inline list lie in more than one paragraph")
    end = found[-1] + len(norm(r["items"][-1]))
    stop = starts[para_of(found[-1]) + 1] if inline and para_of(found[-1]) + 1 < len(starts) else len(text)

    def hits(rx: str, a: int, b: int) -> list[int]:
        """Where rx matches in text[a:b]; outside inline lists only at a paragraph start."""
        return [m.start() for m in re.finditer(rx, text[:b]) if m.start() >= a and (inline or m.start() in starts)]

    if "unmarked" in r["form"]:
        first = r["items"][0]
        pre = next((k for k in range(len(first), 0, -1) if all(x.startswith(first[:k]) for x in r["items"])), 0)
        if r["form"].startswith("paragraphs"):
            if any(i not in starts for i in found):
                errs.append("an unmarked paragraph item does not open a paragraph")
            if pre >= 2:
                extra = [i for i in hits(re.escape(r["items"][0][:pre]), found[0], len(text)) if i not in found]
                head = hits(rf"[{CN}]+、", end, len(text))
                if extra and (not head or extra[0] < head[0]):
                    errs.append(f"another paragraph opens with {r['items'][0][:pre]} before the next heading")
        return errs
    ranks = [rank_of(text[max(0, i - 16) : i]) for i in found]
    if None in ranks:
        return errs + [f"no ordinal marker before item {ranks.index(None) + 1}"]
    fams = {f for _, f in ranks}
    if "—" in fams:
        ps = [para_of(i) for i in found]
        near = range(max(0, ps[0] - 1), min(len(starts), ps[-1] + 2))
        dash = [k for k in near if re.match("—{2,}", text[starts[k] :])]
        if dash != list(range(ps[0], ps[-1] + 1)) or ps != dash:
            errs.append(f"dash paragraphs {dash} are not exactly the item paragraphs {ps}")
        return errs
    for k, (n, fam) in enumerate(ranks, 1):
        if n == k or (fam == "word" and n == 99 and k == len(ranks)):
            continue
        prev, a = (ranks[k - 2][0], found[k - 2]) if k > 1 else (0, 0)
        skipped = [h for m in range(prev + 1, n) for h in hits(marker(m, fam), a, found[k - 1])]
        if r["form"].startswith("outline") and n > prev and not skipped:
            notes.append(f"note: the document itself skips from rank {prev} to {n}")
        else:
            errs.append(f"item {k} has a marker of rank {n} ({fam}): {r['items'][k - 1]}")
    for k in range(1, len(found)):  # no other 首先/其次/再次/最后 between two items marked so
        if ranks[k][1] == "word" and hits("首先|其次|再次|最后", found[k - 1], found[k] - 4):
            errs.append(f"a 首先/其次/再次/最后 marker lies between items {k} and {k + 1}")
    n, fam = ranks[-1]
    if fam == "word" and n == 99:
        return errs + notes
    higher = range(n + 1, 20) if r["form"].startswith("outline") else [n + 1]
    nxt = "|".join(marker(m, f) for m in higher for f in ({fam, "是", "第"} if fam == "word" else {fam}))
    nxt += "|最后" if fam == "word" else ""
    if fam != "word" and (restart := hits(marker(1, fam), end, stop)):
        stop = restart[0]
    if h := hits(nxt, end, stop):
        errs.append(f"a further marker follows the last item: …{text[h[0] : h[0] + 20]}")
    return errs + notes


def main() -> int:
    errors = 0
    lists = [json.loads(x) for x in (HERE / "lists.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    forms, corpora = collections.Counter(), collections.Counter()
    for r in lists:
        forms[r["form"].split(":")[0]] += 1
        corpora[r["corpus"]] += 1
        for e in check_list(r):
            errors += not e.startswith("note")
            print(f"  {'' if e.startswith('note') else 'ERROR '}{r['doc'][:16]} | {r['q'][:30]} | {e}")
    print(f"lists.jsonl: {len(lists)} questions, {sum(len(r['items']) for r in lists)} items")
    print("  per corpus:", dict(corpora))
    print("  per form:", dict(forms))
    ranges = [json.loads(x) for x in (HERE / "ranges.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    held = {int(p.name[:4]) for p in DIRS["gwr-old"].glob("*.txt")}
    for r in ranges:
        ys = [int(y) for y in re.findall(r"(?:19|20)\d\d", r["q"])]
        span = range(min(ys), (max(ys) if len(ys) > 1 else 2002) + 1)
        facets = [int(row["facet"][:4]) for row in r["rows"]]
        if not set(facets) <= set(span):
            print(f"  ERROR a row lies outside {span.start}-{span.stop - 1}: {r['q']}")
            errors += 1
        lacks = [y for y in span if y not in held]
        silent = [y for y in span if y in held and y not in facets]
        print(f"  {span.start}-{span.stop - 1}: {len(facets)} rows; corpus lacks {lacks}; held, no row: {silent}")
        docs = [row["doc"] for row in r["rows"]]
        if docs != sorted(set(docs)):
            print(f"  ERROR docs repeat or out of order: {r['q']}")
            errors += 1
        for row in r["rows"]:
            g = norm(row["gold"])
            if not 4 <= len(g) <= 20 or g not in doc("gwr-old", row["doc"])[0]:
                print(f"  ERROR gold {row['gold']!r} ({len(g)} chars) not in {row['doc']}")
                errors += 1
            if not row["doc"].startswith(row["facet"][:4]):
                print(f"  ERROR facet {row['facet']} does not fit {row['doc']}")
                errors += 1
    print(f"ranges.jsonl: {len(ranges)} questions, {sum(len(r['rows']) for r in ranges)} rows")
    print("errors:", errors)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
