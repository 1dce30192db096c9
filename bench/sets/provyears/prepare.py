#!/usr/bin/env python3
"""Rebuilds corpus/ of the provyears set from its two sources.

    .venv/bin/python prepare.py --git-dir PATH/TO/china-provincial-gov-reports-2026/.git [--docx-dir DIR] [--check]

2025 reports: the .docx files of the shared `prov` archive (../../../../shared/eval/archives/prov/corpus by default;
pass --docx-dir). 2026 reports: GitHub johncodes404/china-provincial-gov-reports-2026 at the pinned commit,
output/2026_raw_text/2026_<省份>_政府工作报告.csv, column full_text (one row per file).

Each corpus file is written in one of three forms, as a user saves web copies:
  copy   the source .docx byte for byte (2025 only)
  txt    the text, one paragraph (2025) or one source line (2026) a line, UTF-8, as in the source
  html   the same lines, each in a <p>, with <title> set to the report's title; nothing added
  docx   (2026 only) a Word file, one paragraph a source line, the site furniture before the title line and the
         trailing 相关报道： line left out (as when the article body is pasted into Word)
--check compares the text of every corpus file (the paragraphs for .docx, the bytes for .txt/.html) with what
would be written and exits 1 on any difference.
"""

import argparse
import csv
import html
import io
import pathlib
import shutil
import subprocess
import sys

import docx  # python-docx, in the project's .venv

HERE = pathlib.Path(__file__).resolve().parent
COMMIT = "ad4c815c4acefe47240a3afaece74e1eb2011dd3"
DOCX_DIR = HERE.parents[3] / "shared" / "eval" / "archives" / "prov" / "corpus"

# (year, source province name, form, corpus file name)
FILES = [
    # 2025: from the shared prov archive (.docx)
    (2025, "北京市", "copy", "2025年北京市政府工作报告.docx"),
    (2025, "上海市", "txt", "上海市政府工作报告2025.txt"),
    (2025, "吉林省", "copy", "吉林省人民政府工作报告（2025年）.docx"),
    (2025, "四川省", "html", "2025年四川省人民政府工作报告.html"),
    (2025, "安徽省", "copy", "政府工作报告.docx"),
    (2025, "山东省", "txt", "山东省政府工作报告全文.txt"),
    (2025, "广西", "copy", "2025年广西政府工作报告.docx"),
    (2025, "江苏省", "txt", "江苏2025政府工作报告.txt"),
    (2025, "湖南省", "html", "hunan_gzbg_2025.html"),
    (2025, "云南省", "copy", "2025年云南省政府工作报告.docx"),
    (2025, "陕西省", "txt", "陕西省2025年政府工作报告.txt"),
    (2025, "河北省", "copy", "河北省政府工作报告.docx"),
    (2025, "贵州省", "txt", "贵州省2025年政府工作报告（全文）.txt"),
    (2025, "甘肃省", "html", "甘肃省政府工作报告_2025.html"),
    # 2026: from johncodes404/china-provincial-gov-reports-2026 (.csv, full_text)
    (2026, "北京市", "txt", "2026年北京市政府工作报告.txt"),
    (2026, "上海市", "html", "上海市政府工作报告（2026年2月3日）.html"),
    (2026, "吉林省", "txt", "吉林2026年政府工作报告.txt"),
    (2026, "四川省", "html", "c3064029fbc341e99c8ce71ce3aec20c.html"),
    (2026, "安徽省", "docx", "2026年安徽省政府工作报告.docx"),
    (2026, "山东省", "html", "2026年山东省政府工作报告.html"),
    (2026, "广西壮族自治区", "txt", "广西壮族自治区政府工作报告2026.txt"),
    (2026, "江苏省", "docx", "江苏省政府工作报告（2026）.docx"),
    (2026, "湖南省", "txt", "湖南省政府工作报告.txt"),
    (2026, "云南省", "html", "t20260203_323801.html"),
    (2026, "陕西省", "html", "陕西省2026年政府工作报告 - 陕西省人民政府.html"),
    (2026, "浙江省", "txt", "2026年浙江省政府工作报告.txt"),
    (2026, "广东省", "html", "post_4851130.html"),
    (2026, "湖北省", "docx", "湖北省2026年政府工作报告.docx"),
    (2026, "辽宁省", "txt", "辽宁政府工作报告2026.txt"),
    (2026, "宁夏回族自治区", "html", "2026年宁夏回族自治区政府工作报告.html"),
]

# lines of site furniture before the title, left out of the 2026 .docx files only
FURNITURE = {"下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】"}


def source_2025(docx_dir, prov):
    path = docx_dir / f"2025年{prov}政府工作报告.docx"
    return path, [p.text for p in docx.Document(str(path)).paragraphs]


def source_2026(git_dir, prov):
    path = f"output/2026_raw_text/2026_{prov}_政府工作报告.csv"
    raw = subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{COMMIT}:{path}"], capture_output=True, check=True
    ).stdout.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(raw)))
    return row["title"], row["full_text"]


def as_html(title, lines):
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def build(git_dir, docx_dir):
    """Yields (file name, kind, payload): kind 'copy' (a source path), 'text' (str) or 'docx' (paragraphs)."""
    for year, prov, form, name in FILES:
        if year == 2025:
            path, paras = source_2025(docx_dir, prov)
            title = paras[0].strip()
            if form == "copy":
                yield name, "copy", path
            elif form == "txt":
                yield name, "text", "\n".join(paras) + "\n"
            else:
                yield name, "text", as_html(title, paras)
        else:
            title, text = source_2026(git_dir, prov)
            lines = text.split("\n")
            if form == "txt":
                yield name, "text", text + "\n"
            elif form == "html":
                yield name, "text", as_html(title, lines)
            else:
                while lines and lines[0].strip() in FURNITURE:
                    lines.pop(0)
                while lines and lines[-1].strip() in ("", "相关报道："):
                    lines.pop()
                yield name, "docx", lines


def docx_paras(path):
    return [p.text for p in docx.Document(str(path)).paragraphs]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--git-dir", required=True, help="git directory of johncodes404/china-provincial-gov-reports-2026")
    ap.add_argument("--docx-dir", default=str(DOCX_DIR), help="the shared prov archive corpus (2025 .docx)")
    ap.add_argument("--check", action="store_true", help="compare with corpus/ instead of writing")
    a = ap.parse_args()
    out = HERE / "corpus"
    bad = 0
    if not a.check:
        out.mkdir(exist_ok=True)
    for name, kind, payload in build(pathlib.Path(a.git_dir), pathlib.Path(a.docx_dir)):
        dest = out / name
        if a.check:
            if not dest.exists():
                print("missing", name)
                bad += 1
                continue
            if kind == "copy":
                same = dest.read_bytes() == payload.read_bytes()
            elif kind == "text":
                same = dest.read_text(encoding="utf-8") == payload
            else:
                same = docx_paras(dest) == payload
            if not same:
                print("differs", name)
                bad += 1
            continue
        if kind == "copy":
            shutil.copyfile(payload, dest)
        elif kind == "text":
            dest.write_text(payload, encoding="utf-8")
        else:
            d = docx.Document()
            for line in payload:
                d.add_paragraph(line)
            d.save(str(dest))
    extra = {p.name for p in out.iterdir()} - {f[3] for f in FILES} if out.exists() else set()
    for name in sorted(extra):
        print("not in the list", name)
        bad += 1
    print(f"{len(FILES)} files " + ("checked" if a.check else "written") + (f", {bad} problems" if bad else ""))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
