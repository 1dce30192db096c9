#!/usr/bin/env python3
"""Mechanical checks of the health archive (run with the project's .venv python, which has opencc).

    .venv/bin/python check.py

Text is compared twice: normalised (NFKC, OpenCC t2s, whitespace removed) and raw (whitespace removed only).

- questions.jsonl: every `doc` exists in corpus/; every gold phrase is 6-30 characters and occurs in its own doc
  and in no other corpus file; `kind` is one of the seven kinds.
- lists.jsonl: every item is 6-20 characters; exactly one corpus file holds all items of a list, in the listed
  order, and that file is named in the summary.
- missing.jsonl: the facts stated in "why" are checked where they follow one of these forms:
    "no X document"                      no corpus file name contains X;
    "X has ... but no Y"                 no file whose name starts with X contains Y;
    "Y only of A, B, ..."                every file whose title contains Y starts with one of the listed places;
    "T ends at 第N条"                    the last article heading of the file titled T is 第N条;
    "T is not in the corpus"             no file is titled T (title = file name without date and .txt);
    "T only as DATE[ and DATE]"          the files titled T carry exactly those dates;
  and a year after 2026 in the question needs no file.
Exit status 1 on any failure.
"""

import collections
import json
import pathlib
import re
import sys
import unicodedata

import opencc

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
KINDS = ["title", "article", "paraphrase", "abbrev", "topic", "version", "local"]
_t2s = opencc.OpenCC("t2s")


def norm(s):
    return re.sub(r"\s+", "", _t2s.convert(unicodedata.normalize("NFKC", s)))


def raw(s):
    return re.sub(r"\s+", "", s)


def title_date(name):
    m = re.fullmatch(r"(.*?)(?:\((\d{4}-\d{2}-\d{2})\))?\.txt", name)
    return m.group(1), m.group(2)


def load_jsonl(name):
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def last_article(text):
    heads = re.findall(r"^第([一二三四五六七八九十百零]+)条[ 　]", text, flags=re.M)
    return "第" + heads[-1] + "条" if heads else None


def main():
    docs = {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS.iterdir())}
    normed = {k: norm(v) for k, v in docs.items()}
    rawed = {k: raw(v) for k, v in docs.items()}
    fails = []

    def holders(phrase):
        n, r = norm(phrase), raw(phrase)
        return sorted({k for k in docs if n in normed[k]} | {k for k in docs if r in rawed[k]})

    # questions
    qs = load_jsonl("questions.jsonl")
    kinds = collections.Counter()
    docs_used = set()
    for i, q in enumerate(qs, 1):
        kinds[q["kind"]] += 1
        if q["kind"] not in KINDS:
            fails.append(f"questions {i}: unknown kind {q['kind']}")
        if q["doc"] not in docs:
            fails.append(f"questions {i}: doc not in corpus: {q['doc']}")
            continue
        docs_used.add(q["doc"])
        if not 1 <= len(q["gold"]) <= 2:
            fails.append(f"questions {i}: {len(q['gold'])} gold phrases")
        for g in q["gold"]:
            if not 6 <= len(g) <= 30:
                fails.append(f"questions {i}: gold length {len(g)}: {g}")
            n, r = norm(g), raw(g)
            if n not in normed[q["doc"]] or r not in rawed[q["doc"]]:
                fails.append(f"questions {i}: gold not in its doc: {g}")
            others = [k for k in holders(g) if k != q["doc"]]
            if others:
                fails.append(f"questions {i}: gold also in {others}: {g}")
    dup = [q for q, c in collections.Counter(q["q"] for q in qs).items() if c > 1]
    if dup:
        fails.append(f"questions: duplicate questions {dup}")

    # lists
    ls = load_jsonl("lists.jsonl")
    list_docs = []
    for i, item_list in enumerate(ls, 1):
        for it in item_list["items"]:
            if not 6 <= len(it) <= 20:
                fails.append(f"lists {i}: item length {len(it)}: {it}")
        in_order = []
        for k in docs:
            for text, f in ((normed[k], norm), (rawed[k], raw)):
                pos, ok = 0, True
                for it in item_list["items"]:
                    j = text.find(f(it), pos)
                    if j < 0:
                        ok = False
                        break
                    pos = j + len(f(it))
                if ok:
                    in_order.append(k)
                    break
        any_order = [k for k in docs if all(norm(it) in normed[k] or raw(it) in rawed[k] for it in item_list["items"])]
        if len(in_order) != 1 or len(any_order) != 1:
            fails.append(f"lists {i}: files holding all items: in order {in_order}, any order {any_order}")
        list_docs.append(in_order[0] if in_order else None)

    # missing
    ms = load_jsonl("missing.jsonl")
    titles = collections.defaultdict(list)
    for k in docs:
        t, d = title_date(k)
        titles[t].append(d)
    checked = 0
    for i, m in enumerate(ms, 1):
        why, hits = m["why"], 0
        for x in re.findall(r"\bno (\S+) document", why):
            hits += 1
            bad = [k for k in docs if x in k]
            if bad:
                fails.append(f"missing {i}: files of {x}: {bad}")
        for x, y in re.findall(r"(\S+) has [^;]*? but no (\S+)", why):
            hits += 1
            bad = [k for k in docs if k.startswith(x) and y in k]
            if bad:
                fails.append(f"missing {i}: {x} has {bad}")
        for y, places in re.findall(r"(\S+) only of ([^;]+)", why):
            hits += 1
            pl = [p.strip() for p in re.split(r",|\band\b", places) if p.strip()]
            have = [k for k in docs if y in title_date(k)[0]]
            bad = [k for k in have if not any(k.startswith(p) for p in pl)]
            if bad or not have:
                fails.append(f"missing {i}: {y} also in {bad} (or none: {not have})")
        for t, n in re.findall(r"(\S+) ends at (第\S+条)", why):
            hits += 1
            fs = [k for k in docs if title_date(k)[0] == t]
            got = [last_article(docs[k]) for k in fs]
            if not fs or any(g != n for g in got):
                fails.append(f"missing {i}: {t} ends at {got}, not {n}")
            art = re.search(r"第([一二三四五六七八九十百零]+)条", m["q"])
            if art and fs and cn2int(art.group(1)) <= cn2int(n[1:-1]):
                fails.append(f"missing {i}: asked article {art.group(0)} is not past {n}")
        for t in re.findall(r"(\S+) is not in the corpus", why):
            hits += 1
            if t in titles:
                fails.append(f"missing {i}: {t} is in the corpus: {titles[t]}")
        for t, dates in re.findall(r"(\S+) only as ([\d\- and]+\d)", why):
            hits += 1
            want = sorted(re.findall(r"\d{4}-\d{2}-\d{2}", dates))
            if sorted(d or "" for d in titles.get(t, [])) != want:
                fails.append(f"missing {i}: {t} dates {titles.get(t)} != {want}")
        years = [int(y) for y in re.findall(r"(\d{4})年", m["q"])]
        if any(y > 2026 for y in years):
            hits += 1
        if hits:
            checked += 1
        else:
            fails.append(f"missing {i}: nothing checkable in why: {why}")

    # summary
    print(f"corpus: {len(docs)} files, {sum(len(v.encode('utf-8')) for v in docs.values()) / 1e6:.1f} MB")
    print(f"questions: {len(qs)} ({', '.join(f'{k} {kinds[k]}' for k in KINDS)}), on {len(docs_used)} documents")
    print(f"lists: {len(ls)}; their documents: {', '.join(d or '-' for d in list_docs)}")
    print(f"missing: {len(ms)}, {checked} with checked facts")
    for f in fails:
        print("FAIL", f)
    print("clean" if not fails else f"{len(fails)} failures")
    sys.exit(1 if fails else 0)


def cn2int(s):
    digits = dict(zip("零一二三四五六七八九", range(10), strict=False))
    total, cur = 0, 0
    for ch in s:
        if ch in digits:
            cur = digits[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
    return total + cur


if __name__ == "__main__":
    main()
