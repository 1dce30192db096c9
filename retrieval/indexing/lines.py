"""A page's lines one at a time: which carry metadata (标题:, 时间:, 来源:, a date line), which are headings and at
what level, and which line is the page's title. Patterns match the normalized line; values keep the line's own
script. The label words are in data/furniture.txt.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.hanzi import COUNT, DIGIT, cn_number, ends_sentence
from ..core.text import normalize
from ..core.tokenize import data_sections

WORDS = data_sections("furniture.txt")


def any_of(section: str) -> str:
    """An alternation of the words of a section of data/furniture.txt, longest first."""
    return "|".join(sorted(map(re.escape, WORDS[section]), key=len, reverse=True))


TITLE_WITHIN = 15  # body lines a title (the line above a date/source line) is looked for in; below is text
MAX_CRUMB = 30  # characters of a line above the title that is navigation (crumbs, channel names), not body
GUESS_WITHIN = 5  # without a date line, a title is guessed among the first lines only
MAX_GUESSED_TITLE = 60  # characters: a longer first line is a paragraph, not a title

MAX_HEADING = 80
SUBTITLE = re.compile(r"^[—\-－]{1,2}\s*\S")  # ——在…上的报告: a subtitle under the title
SPEAKER_LINE = re.compile(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}$")  # 习　近　平 under the date line


def _labelled(labels: str, value: str) -> re.Pattern[str]:
    """A metadata line: one of the labels listed under `labels` in data/furniture.txt, then `value`."""
    return re.compile(rf"^(?:{any_of(labels)}){value}")


META_TITLE = _labelled("title-labels", r":\s*(.+)$")
META_DATETIME = _labelled("date-labels", r":\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
META_DATE_SOURCE = re.compile(
    rf"^\(?(\d{{4}})年(\d{{1,2}})月(\d{{1,2}})日\)?\s*(?:\d{{1,2}}:\d{{2}}\s*)?"
    rf"(?:(?:{any_of('source-labels')}):\s*(.+))?$"
)
CN_DATE_LINE = re.compile(rf"^\(?({DIGIT}{{4}})年({COUNT}{{1,3}})月({COUNT}{{1,3}})日\)?$")
META_SOURCE = _labelled("source-labels", r":\s*(.{1,40})$")
META_AUTHOR = _labelled("author-labels", r"[::]\s*(.{1,20})$")
META_OTHER = _labelled("other-labels", r"[::]")
HEADING_LEVELS = [
    (1, re.compile(rf"^(第{COUNT}{{1,3}}[章节部分]|{COUNT}{{1,3}}、)")),
    (2, re.compile(rf"^\({COUNT}{{1,3}}\)")),
    (3, re.compile(r"^\d{1,2}[.、](?!\d)")),
]


def heading_level(text: str) -> int:
    """1 for 一、…, 2 for (一)…, 3 for 1. …; 0 when the line is not a heading (too long, or several sentences)."""
    norm = normalize(text.strip())
    if len(norm) > MAX_HEADING or "。" in norm.rstrip("。"):
        return 0
    for level, pattern in HEADING_LEVELS:
        if pattern.match(norm):
            return level
    return 0


def original_text(m: re.Match, group: int, text: str, origin: Sequence[int]) -> str:
    """The display text behind a group matched on the normalized line."""
    return text[origin[m.start(group)] : origin[m.end(group) - 1] + 1].strip()


def extract_meta(norm: str, origin: Sequence[int], text: str, meta: dict) -> bool:
    """Record metadata the (normalized) line carries, in the line's own script; True when it is metadata only."""
    if m := META_TITLE.match(norm):
        meta.setdefault("title", original_text(m, 1, text, origin))
        return True
    if m := META_DATETIME.match(norm):
        meta.setdefault("date", _iso(m.group(1), m.group(2), m.group(3)))
        return True
    if m := META_DATE_SOURCE.match(norm):
        meta.setdefault("date", _iso(m.group(1), m.group(2), m.group(3)))
        if m.group(4):
            meta.setdefault("source", original_text(m, 4, text, origin))
        return True
    if m := CN_DATE_LINE.match(norm):  # 二〇二三年一月五日, as official documents date themselves
        meta.setdefault("date", _iso(*(str(cn_number(g)) for g in m.groups())))
        return True
    if m := META_SOURCE.match(norm):
        meta.setdefault("source", original_text(m, 1, text, origin))
        return True
    if m := META_AUTHOR.match(norm):
        meta.setdefault("author", original_text(m, 1, text, origin))
        return True
    return bool(META_OTHER.match(norm))


def _iso(y: str, m: str, d: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


@dataclass
class Line:
    """A line of a page as cleaning reads it."""

    text: str  # display text, cleaned
    norm: str  # normalized, stripped
    indent: bool  # starts with indentation (spaces or full-width spaces)
    kind: str = "body"  # body | blank | gap (text is missing here)
    page: int | None = None  # the page it is on, in a PDF or a scan


def find_title(lines: list[Line], meta: dict) -> str | None:
    """The title: 标题:, else the line just above the date/source line, else 以上“…”内容, else a short first line.

    Lines above a title found near the top are navigation, and are marked so. A subtitle (——在…上的报告) above the
    date line is no title: the title is the longest line of the block above it (a printed title is often set on two
    lines as well as one), and the subtitle is kept as meta["subtitle"]; a person's name set under the date line
    (习　近　平) is the speaker, meta["speaker"].
    """
    body = [i for i, ln in enumerate(lines) if ln.kind == "body"]
    title_idx = None
    if "title" in meta:
        _drop_duplicates(lines, normalize(meta["title"]))
        return str(meta["title"])
    for pos, i in enumerate(body[:TITLE_WITHIN]):
        nxt = next((ln for ln in lines[i + 1 :] if ln.kind != "blank"), None)
        if (
            nxt is not None
            and nxt.kind == "meta"
            and len(lines[i].norm) <= MAX_HEADING
            and not ends_sentence(lines[i].norm)
        ):
            title_idx = i
            above = body[:pos]
            if is_byline(lines[i].norm) and not SUBTITLE.match(lines[i].norm):
                # a date, session or speaker line under the title, kept as text: the title is the line above it
                title_idx = next((j for j in reversed(above) if _may_title(lines[j].norm)), None)
                if title_idx is None:
                    continue
                above = body[: body.index(title_idx)]
            elif SUBTITLE.match(lines[i].norm) and above:
                meta["subtitle"] = lines[i].text.lstrip("—-－ ")
                lines[i].kind = "title"
                block = [j for j in above if len(lines[j].norm) <= MAX_HEADING and not ends_sentence(lines[j].norm)]
                title_idx = max(block or above, key=lambda j: len(lines[j].norm))
                for j in block:
                    lines[j].kind = "title"
                above = [j for j in above if j not in block]
            for j in above:
                if len(lines[j].norm) <= MAX_CRUMB:
                    lines[j].kind = "nav"
            _speaker_line(lines, lines.index(nxt), meta)
            break
    if title_idx is None and "title_promo" in meta:
        return str(meta["title_promo"])
    if title_idx is None:
        for i in body[:GUESS_WITHIN]:
            ln = lines[i]
            if len(ln.norm) <= MAX_GUESSED_TITLE and _may_title(ln.norm) and not heading_level(ln.text):
                title_idx = i
                meta["title_guessed"] = True  # a first short line: a file's own title property may know better
                break
    if title_idx is None:
        return None
    title = lines[title_idx].text
    _drop_duplicates(lines, lines[title_idx].norm)
    return title


# what stands under a title and is no title, with or without ——: a date line (2026年1月12日在…会议上, 2007年6月29日
# …通过), the meeting it was given at (在浙江省第十四届人民代表大会第四次会议上) or who speaks (省长 刘捷)
_DATED = re.compile(rf"^[(]?[—\-－]*\s*(?:(?:19|20)\d{{2}}|{DIGIT}{{4}})年(?:\d{{1,2}}|{COUNT}{{1,3}})月")
_GIVEN_AT = re.compile(r"^[(]?[—\-－]*\s*在.{2,40}(?:会议|大会|会)上[)]?$")
_SPEAKER = re.compile(
    r"^\S{0,12}?(?:省长|市长|县长|区长|主席|总理|书记|主任|局长|厅长|部长|院长)\s*[\u4e00-\u9fff]{2,4}$"
)


def is_byline(norm: str) -> bool:
    """A line under a title saying when, where or by whom it was given: no title itself."""
    return bool(_DATED.match(norm) or _GIVEN_AT.match(norm) or _SPEAKER.match(norm) or SUBTITLE.match(norm))


def _may_title(norm: str) -> bool:
    return len(norm) <= MAX_HEADING and not ends_sentence(norm) and not is_byline(norm)


def _speaker_line(lines: list[Line], date_at: int, meta: dict) -> None:
    """A person's name alone on the line under the date line is who speaks (习　近　平): metadata, not text."""
    nxt = next((ln for ln in lines[date_at + 1 :] if ln.kind != "blank"), None)
    if nxt is not None and nxt.kind == "body" and SPEAKER_LINE.match(nxt.text.strip()):
        meta.setdefault("speaker", re.sub(r"\s+", "", nxt.text))
        nxt.kind = "meta"


def _drop_duplicates(lines: list[Line], norm_title: str) -> None:
    for ln in lines:
        if ln.kind == "body" and ln.norm == norm_title:
            ln.kind = "title"
