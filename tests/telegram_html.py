"""Checks that a text is HTML Telegram accepts: only its tags, balanced, escaped, at most 4096 characters of text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

ALLOWED = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
ENTITY = re.compile(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> is not allowed")
        if tag == "blockquote" and any(name != "expandable" for name, _ in attrs):
            self.problems.append(f"blockquote attributes {attrs}")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"unbalanced </{tag}>")

    def handle_data(self, data):
        self.text.append(data)


def check_telegram_html(html: str) -> str:
    """Raise AssertionError when `html` is not valid Telegram HTML; return its visible text."""
    assert not ENTITY.search(html), f"bare & in {html[:200]!r}"
    checker = _Checker()
    checker.feed(html)
    checker.close()
    assert not checker.problems, checker.problems
    assert not checker.stack, f"unclosed tags {checker.stack}"
    text = "".join(checker.text)
    assert len(text.encode("utf-16-le")) // 2 <= 4096, "over 4096 characters of text"
    return text
