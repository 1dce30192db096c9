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


def asked_article(norm: str) -> AskedArticle | None:
    """The article a (normalized) question names, the first if several."""
    m = _ASKED.search(norm)
    if not m:
        return None
    clause, item = (number(g) if g else None for g in m.group(2, 3))
    return AskedArticle(number(m.group(1)), clause, item)


def label(article: int) -> str:
    """第三十九条"""
    return f"第{cn_numeral(article)}条"
