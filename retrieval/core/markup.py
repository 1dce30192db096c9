"""Markup to plain text: the visible text of an HTML page, stray tags in a line, Markdown reduced to its words.

Shared by the loader (whole files) and by questions (text pasted from a web page may carry tags).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _HTMLText(HTMLParser):
    """Collects the visible text of a page, a line per block element, skipping scripts and page chrome."""

    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "table",
        "blockquote",
        "dd",
        "dt",
        "ul",
        "ol",
        "hr",
    }
    SKIP = {"script", "style", "nav", "footer", "header", "noscript", "template", "iframe", "select"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> tuple[str, dict]:
    """Visible text of an HTML page, one line per block, and its <title>."""
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip(), ({"title": parser.title.strip()} if parser.title.strip() else {})


def strip_tags(text: str) -> str:
    """Text with stray HTML tags (<strong>, </a>) removed and entities decoded, by the HTML parser."""
    if "<" not in text and "&" not in text:
        return text
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    return "".join(p for p in parser.parts if p != "\n")


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def markdown_to_text(md: str) -> str:
    """Markdown as plain text lines: headings, links and emphasis reduced to their words."""
    text = _MD_IMAGE.sub("", md)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub("", text)
