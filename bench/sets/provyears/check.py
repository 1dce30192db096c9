#!/usr/bin/env python3
"""Mechanical checks of the provyears set; prints a summary and exits 1 on any problem.

    .venv/bin/python bench/sets/provyears/check.py        (needs python-docx and opencc: the project's .venv)

- corpus/: every file listed in META, nothing else; each file's own session line (date + 第X届人民代表大会第X次会议)
  agrees with META (province, year, congress, session).
- questions.jsonl: `doc` exists; every gold phrase is 6-30 characters and occurs in its doc and in no other corpus
  file, compared after NFKC + OpenCC t2s + whitespace removal (as archives.py does) and again on the raw text with
  only whitespace removed; the province, year and session the question names agree with the doc (a plan-vs-review
  question names year Y: the doc is the report of Y (plan) or of Y+1 (review)); a question that names no year
  (other than by session) asks about a province with one report only.
- missing.jsonl: the province-year or province-session each question names is absent from the corpus; each is
  put in one category (province-year left out / province absent / year absent / session absent).
"""

import collections
import html
import json
import pathlib
import re
import sys
import unicodedata

import docx
import opencc

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
_t2s = opencc.OpenCC("t2s").convert
CN = "一二三四五六七八九十"

# file -> (province, report year, 人大 term, session)
META = {
    "2025年北京市政府工作报告.docx": ("北京", 2025, "十六", "三"),
    "上海市政府工作报告2025.txt": ("上海", 2025, "十六", "三"),
    "吉林省人民政府工作报告（2025年）.docx": ("吉林", 2025, "十四", "四"),
    "2025年四川省人民政府工作报告.html": ("四川", 2025, "十四", "四"),
    "政府工作报告.docx": ("安徽", 2025, "十四", "三"),
    "山东省政府工作报告全文.txt": ("山东", 2025, "十四", "三"),
    "2025年广西政府工作报告.docx": ("广西", 2025, "十四", "三"),
    "江苏2025政府工作报告.txt": ("江苏", 2025, "十四", "三"),
    "hunan_gzbg_2025.html": ("湖南", 2025, "十四", "三"),
    "2025年云南省政府工作报告.docx": ("云南", 2025, "十四", "三"),
    "陕西省2025年政府工作报告.txt": ("陕西", 2025, "十四", "三"),
    "河北省政府工作报告.docx": ("河北", 2025, "十四", "三"),
    "贵州省2025年政府工作报告（全文）.txt": ("贵州", 2025, "十四", "三"),
    "甘肃省政府工作报告_2025.html": ("甘肃", 2025, "十四", "三"),
    "2026年北京市政府工作报告.txt": ("北京", 2026, "十六", "四"),
    "上海市政府工作报告（2026年2月3日）.html": ("上海", 2026, "十六", "四"),
    "吉林2026年政府工作报告.txt": ("吉林", 2026, "十四", "五"),
    "c3064029fbc341e99c8ce71ce3aec20c.html": ("四川", 2026, "十四", "五"),
    "2026年安徽省政府工作报告.docx": ("安徽", 2026, "十四", "四"),
    "2026年山东省政府工作报告.html": ("山东", 2026, "十四", "四"),
    "广西壮族自治区政府工作报告2026.txt": ("广西", 2026, "十四", "五"),
    "江苏省政府工作报告（2026）.docx": ("江苏", 2026, "十四", "五"),
    "湖南省政府工作报告.txt": ("湖南", 2026, "十四", "四"),
    "t20260203_323801.html": ("云南", 2026, "十四", "四"),
    "陕西省2026年政府工作报告 - 陕西省人民政府.html": ("陕西", 2026, "十四", "四"),
    "2026年浙江省政府工作报告.txt": ("浙江", 2026, "十四", "四"),
    "post_4851130.html": ("广东", 2026, "十四", "五"),
    "湖北省2026年政府工作报告.docx": ("湖北", 2026, "十四", "四"),
    "辽宁政府工作报告2026.txt": ("辽宁", 2026, "十四", "五"),
    "2026年宁夏回族自治区政府工作报告.html": ("宁夏", 2026, "十三", "四"),
}
PROVINCES = [
    "北京",
    "天津",
    "上海",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "黑龙江",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "海南",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "内蒙古",
    "广西",
    "西藏",
    "宁夏",
    "新疆",
]
AUTONOMOUS = {"内蒙古", "广西", "西藏", "宁夏", "新疆"}


def norm(text):
    return re.sub(r"[\s\u200b\ufeff]+", "", _t2s(unicodedata.normalize("NFKC", text)))


def raw(text):
    return re.sub(r"[\s\u200b\ufeff]+", "", text)


def read(path):
    if path.suffix == ".docx":
        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", "\n", text))
    return text


def provinces_in(q):
    return [p for p in PROVINCES if p in q]


def session_in(q):
    m = re.search(rf"([{CN}]+)届(?:人大|人民代表大会)第?([{CN}])次", q)
    return (m.group(1), m.group(2)) if m else None


def years_in(q):
    ys = []
    for m in re.finditer(r"(?<!\d)(20\d\d|\d\d)年", q):
        y = int(m.group(1))
        ys.append(y + 2000 if y < 100 else y)
    return ys


def main():
    bad = []
    files = {p.name: p for p in CORPUS.iterdir()}
    for name in sorted(set(files) ^ set(META)):
        bad.append(f"corpus/META mismatch: {name}")
    texts = {n: read(p) for n, p in files.items() if n in META}
    normed = {n: norm(t) for n, t in texts.items()}
    raws = {n: raw(t) for n, t in texts.items()}
    header = {}
    for n, t in normed.items():
        m = re.search(
            rf"(20\d\d|二〇二[五六])年[{CN}\d]+月[{CN}\d]+日[^在]{{0,8}}在(.{{2,10}}?)第?([{CN}]+)届"
            rf"人民代表大会第([{CN}]+)次会议",
            t[:3000],
        )
        if not m:
            bad.append(f"{n}: no session line found")
            continue
        y = 2025 if m.group(1) in ("2025", "二〇二五") else 2026
        got = (m.group(2), y, m.group(3), m.group(4))
        prov, year, term, sess = META[n]
        if not (got[0].startswith(prov) and got[1:] == (year, term, sess)):
            bad.append(f"{n}: session line says {got}, META says {META[n]}")
        header[n] = t[max(0, m.start() - 2) : m.start()]

    # questions
    qs = [json.loads(line) for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    kinds = collections.Counter(q["kind"] for q in qs)
    per_doc = collections.Counter(q["doc"] for q in qs)
    pvr = collections.Counter()
    for i, q in enumerate(qs, 1):
        tag = f"questions.jsonl:{i} {q['q']}"
        if q["doc"] not in META:
            bad.append(f"{tag}: doc {q['doc']} not in corpus")
            continue
        for g in q["gold"]:
            n = len(norm(g))
            if not 6 <= n <= 30:
                bad.append(f"{tag}: gold {g!r} has {n} characters")
            for how, table, key in (("normalised", normed, norm(g)), ("raw", raws, raw(g))):
                where = [d for d, t in table.items() if key in t]
                if where != [q["doc"]]:
                    bad.append(f"{tag}: gold {g!r} ({how}) found in {where or 'no file'}")
        prov, year, term, sess = META[q["doc"]]
        ps = provinces_in(q["q"])
        if ps and ps != [prov]:
            bad.append(f"{tag}: names {ps}, doc is {prov}")
        if not ps:
            s = session_in(q["q"])
            cands = (
                [d for d, m in META.items() if m[0] in AUTONOMOUS and s and m[2:] == s] if "自治区" in q["q"] else []
            )
            if cands != [q["doc"]]:
                bad.append(f"{tag}: names no province and is not decided by 自治区 + session ({cands})")
        s = session_in(q["q"])
        if s and s != (term, sess):
            bad.append(f"{tag}: names session {s}, doc is {term}届{sess}次")
        if q["kind"] == "session" and years_in(q["q"]):
            bad.append(f"{tag}: session question names a year")
        if q["kind"] == "session" and not s:
            bad.append(f"{tag}: session question names no session")
        ys = years_in(q["q"])
        if q["kind"] == "plan-vs-review":
            if len(ys) != 1 or year not in (ys[0], ys[0] + 1):
                bad.append(f"{tag}: plan-vs-review year {ys} vs doc year {year}")
            else:
                pvr["plan" if year == ys[0] else "review"] += 1
        elif ys and ys[0] != year:
            bad.append(f"{tag}: names year {ys[0]} first, doc is the {year} report")
        if q["kind"] != "session" and not ys and sum(m[0] == prov for m in META.values()) > 1:
            bad.append(f"{tag}: names no year, and {prov} has two reports")

    # missing
    ms = [json.loads(line) for line in (HERE / "missing.jsonl").read_text(encoding="utf-8").splitlines()]
    held = {(m[0], m[1]) for m in META.values()}
    held_sess = {(m[0], m[2], m[3]) for m in META.values()}
    corpus_years = {m[1] for m in META.values()}
    corpus_provs = {m[0] for m in META.values()}
    cats = collections.Counter()
    for i, m in enumerate(ms, 1):
        tag = f"missing.jsonl:{i} {m['q']}"
        if set(m) != {"q", "why"}:
            bad.append(f"{tag}: keys {sorted(m)}")
        ps = provinces_in(m["q"])
        if len(ps) != 1:
            bad.append(f"{tag}: names provinces {ps}")
            continue
        p = ps[0]
        s, ys = session_in(m["q"]), years_in(m["q"])
        if s:
            if (p, *s) in held_sess:
                bad.append(f"{tag}: {p} {s} IS in the corpus")
            cat = "session absent" if p in corpus_provs else "province absent"
        elif ys:
            y = ys[0]
            if (p, y) in held:
                bad.append(f"{tag}: {p} {y} IS in the corpus")
            if p not in corpus_provs:
                cat = "province absent"
            elif y not in corpus_years:
                cat = f"year absent ({y})"
            else:
                cat = "province-year left out"
                if not any(q[0] == p for q in held):
                    bad.append(f"{tag}: province has no other year")
        else:
            bad.append(f"{tag}: names neither a year nor a session")
            continue
        cats[cat] += 1

    # summary
    by_prov = collections.defaultdict(list)
    for p, y, _t, _s in META.values():
        by_prov[p].append(y)
    print(
        f"corpus: {len(META)} files, "
        + ", ".join(
            f"{p} {'+'.join(map(str, sorted(v)))}" for p, v in sorted(by_prov.items(), key=lambda x: -len(x[1]))
        )
    )
    dash = sorted(n for n, h in header.items() if h.endswith(("——", "--", "――")))
    print(f"session line after ——: {len(dash)} files; without: {len(header) - len(dash)} files")
    print(
        f"questions: {len(qs)} ({', '.join(f'{k} {v}' for k, v in kinds.items())}); plan-vs-review: "
        f"{pvr['plan']} plan, {pvr['review']} review; docs asked about: {len(per_doc)} of {len(META)} "
        f"(min {min(per_doc.values())}, max {max(per_doc.values())} a doc)"
    )
    print(f"missing: {len(ms)} ({', '.join(f'{k} {v}' for k, v in sorted(cats.items()))})")
    for b in bad:
        print("PROBLEM", b)
    print("clean" if not bad else f"{len(bad)} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
