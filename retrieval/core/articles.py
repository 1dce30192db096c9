"""Numbered parts of laws and regulations: an article (第三十九条) with its paragraphs (款) and items (项), and the
chapters (章) and sections (节) over it. Read the same way in a document's lines (indexing) and in a question
("劳动合同法第三十九条第一款第二项"), so both count articles alike.

>>> article_at("第三十九条　劳动者有下列情形之一的"), article_at("第一章 总则"), article_at("依照第三十九条")
(39, None, None)
>>> asked_article("劳动合同法第三十九条第二项说的啥")
AskedArticle(article=39, clause=None, item=2)
>>> label(120)
'第一百二十条'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .hanzi import cn_number, cn_numeral

NUMERAL = "[零〇一二两三四五六七八九十百千]"
_NUMBER = rf"(?:{NUMERAL}{{1,8}}|\d{{1,4}})"
# an article opens its line: 第三十九条 followed by a space or its text (第十条之一 is the article added after 第十条)
ARTICLE = re.compile(rf"^第({_NUMBER})条(?:之{NUMERAL}{{1,2}})?(?![款项的规、,，和及至])")
# the divisions above articles, as their own lines: 第一编, 第二章, 第三节 (and 分编)
DIVISION = re.compile(rf"^第({_NUMBER})(编|分编|章|节)(?:[\s\u3000]|$)")
DIVISION_LEVELS = {"编": 1, "分编": 2, "章": 3, "节": 4}
MIN_ARTICLES = 3  # articles numbered from one a document needs to be read as articles
_ASKED = re.compile(rf"第({_NUMBER})条(?:之{NUMERAL}{{1,2}})?(?:第({_NUMBER})款)?(?:第({_NUMBER})项)?")


def number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text.replace("两", "二"))


def article_at(norm_line: str) -> int | None:
    """The number of the article a (normalized) line opens, or None."""
    m = ARTICLE.match(norm_line.lstrip())
    return number(m.group(1)) if m else None


def division_at(norm_line: str) -> int | None:
    """The level of a division heading (编 1, 分编 2, 章 3, 节 4) a short line is, or None."""
    m = DIVISION.match(norm_line.strip())
    return DIVISION_LEVELS[m.group(2)] if m and len(norm_line.strip()) <= 40 else None


def is_articled(norm_lines: list[str]) -> bool:
    """Whether a document is written in articles: its first articles are numbered one, two, three, in order."""
    numbers = [n for line in norm_lines if (n := article_at(line)) is not None][:MIN_ARTICLES]
    return numbers == list(range(1, MIN_ARTICLES + 1))


@dataclass(frozen=True)
class AskedArticle:
    """The numbered part a question names: 第三十九条, with its 款 and 项 when it says."""

    article: int
    clause: int | None = None
    item: int | None = None

    @property
    def label(self) -> str:
        return label(self.article)

    @property
    def part_label(self) -> str:
        """第十九条第二款, 第四十四条第二项: the article with the part named, as a citation names it."""
        clause = f"第{cn_numeral(self.clause)}款" if self.clause else ""
        return self.label + clause + (f"第{cn_numeral(self.item)}项" if self.item else "")


def asked_article(norm: str) -> AskedArticle | None:
    """The article a (normalized) question names, the first if several."""
    m = _ASKED.search(norm)
    if not m:
        return None
    clause, item = (number(g) if g else None for g in m.group(2, 3))
    return AskedArticle(number(m.group(1)), clause, item)


_ITEM = re.compile(rf"^[(（]{NUMERAL}{{1,3}}[)）]")  # an item (项) opens its line: (一), （二）


def part_lines(norm_lines: list[str], asked: AskedArticle) -> list[int] | None:
    """Which lines of an article's passage (normalized, headings first) hold the 款 or 项 a question names: a 款 is a
    line of the article and the items (（一）…) under it, counted from the line opening the article; a 项 without
    its 款 is of the 款 that has items. None when the question names neither, or the article has no such part.

    >>> lines = ["第二章 劳动合同", "第十条 第一款。", "第二款有下列情形:", "(一)甲;", "(二)乙。", "第三款。"]
    >>> part_lines(lines, AskedArticle(10, 2)), part_lines(lines, AskedArticle(10, None, 2))
    ([2, 3, 4], [4])
    >>> part_lines(lines, AskedArticle(10, 3)), part_lines(lines, AskedArticle(10, 4))
    ([5], None)
    """
    if asked.clause is None and asked.item is None:
        return None
    clauses = clauses_of(norm_lines, asked.article)
    if not clauses:
        return None
    if asked.clause is not None:
        lines = clauses[asked.clause - 1] if 0 < asked.clause <= len(clauses) else None
    else:
        lines = next((c for c in clauses if any(_ITEM.match(norm_lines[j].strip()) for j in c)), None)
    if lines is None or asked.item is None:
        return lines
    items = [j for j in lines if _ITEM.match(norm_lines[j].strip())]
    return [items[asked.item - 1]] if 0 < asked.item <= len(items) else None


def clauses_of(norm_lines: list[str], article: int) -> list[list[int]]:
    """The 款 of an article in its passage's lines (normalized, headings first), each as its line and the lines of
    the items under it, counted from the line opening the article; none when no line opens it."""
    start = next((i for i, line in enumerate(norm_lines) if article_at(line) == article), None)
    clauses: list[list[int]] = []
    for i in range(start if start is not None else len(norm_lines), len(norm_lines)):
        line = norm_lines[i].strip()
        if line and _ITEM.match(line) and clauses:
            clauses[-1].append(i)
        elif line:
            clauses.append([i])
    return clauses


def label(article: int) -> str:
    """第三十九条"""
    return f"第{cn_numeral(article)}条"
