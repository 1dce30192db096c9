"""A document written in articles (a law, a regulation, rules): one paragraph per article, its 款 and 项 kept with
it on lines of their own, under the 编/章/节 it sits in. Lines before the first article (the title, the record of
its adoption and amendments) are assembled as any text's.

An item of an article ((一)在试用期间…;) is a part of the article, never a heading over the next one, and an
article is quoted whole: "劳动合同法第三十九条" is one passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..core.articles import article_at, division_at, is_articled
from ..core.hanzi import ends_sentence
from ..core.models import Paragraph
from .lines import Line

# what follows the articles is no part of the last one: 附件, 附表, 附:…
_APPENDIX = re.compile(r"^(?:附件|附表|附录|附:)")
_ITEM = re.compile(r"^[(（]?[一二三四五六七八九十]+[)）、]|^\d+[.、]")


def assemble_articles(lines: list[Line], assemble: Callable[[list[Line]], list[Paragraph]]) -> list[Paragraph] | None:
    """The paragraphs of a document written in articles, or None when it is not one; `assemble` reads the lines
    before the first article and after the last (an appendix) as any text's."""
    body = [i for i, ln in enumerate(lines) if ln.kind == "body"]
    if not is_articled([lines[i].norm for i in body]):
        return None
    first = next(i for i in body if article_at(lines[i].norm) == 1)
    # a chapter heading above the first article belongs to the articles
    while first > 0 and (lines[first - 1].kind == "blank" or division_at(lines[first - 1].norm)):
        first -= 1
    paragraphs = assemble(lines[:first])
    headings: dict[int, str] = {}
    current: list[Line] = []
    number: list[int | None] = [None]

    def flush() -> None:
        if current:
            text = current[0].text.strip()
            for prev, ln in zip(current, current[1:], strict=False):
                # a 款 or an item starts its own line; a line wrapped inside a sentence is joined to it
                joined = not ends_sentence(prev.norm) and not ln.indent and not _ITEM.match(ln.norm)
                text += ("" if joined else "\n") + ln.text.strip()
            path = [headings[k] for k in sorted(headings)]
            paragraphs.append(Paragraph(text=text, headings=path, page=current[0].page, article=number[0]))
            current.clear()

    for at in range(first, len(lines)):
        ln = lines[at]
        if ln.kind != "body":
            continue
        if _APPENDIX.match(ln.norm):
            flush()
            return paragraphs + assemble(lines[at:])
        if (level := division_at(ln.norm)) is not None:
            flush()
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = _division_heading(ln.text)
            number[0] = None
            continue
        if (n := article_at(ln.norm)) is not None:
            flush()
            number[0] = n
        current.append(ln)
    flush()
    return paragraphs


def _division_heading(text: str) -> str:
    """第一章　总　　则 -> 第一章 总则: spaces set to spread a heading out are no part of it."""
    compact = re.sub(r"[\s\u3000]+", "", text)
    m = re.match(r"第.+?(?:分编|编|章|节)", compact)
    return f"{compact[: m.end()]} {compact[m.end() :]}".strip() if m else compact
