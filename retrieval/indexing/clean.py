"""From a scraped page's text to body paragraphs and metadata.

Removes site furniture (navigation, footers, ICP numbers, related-article lists, paywall notices, image
placeholders, promotional lines), pinyin annotations and mojibake; rebuilds paragraphs from wrapped lines;
tracks the heading path (一、… / (一)…) over each paragraph; extracts title, date, source and author.
Patterns are matched on the normalized (simplified, half-width) line so both scripts are covered, while
the text kept for display stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..core.hanzi import COUNT, ends_sentence
from ..core.markup import strip_tags
from ..core.models import Paragraph
from ..core.text import CJK, PAGE_MARK, ZERO_WIDTH, normalize, normalize_with_offsets, strip_annotations
from ..core.tokenize import is_word
from .gongwen import official_parts
from .lines import Line, any_of, extract_meta, find_title, heading_level, original_text
from .statutes import assemble_articles

# --- furniture and metadata, matched on normalize(line); the words are in data/furniture.txt ------------------
# Furniture marking a line wherever it stands, and shapes of it no word list can hold: a promotional
# "小编…为大家" / "内容由…整理" / "请关注…公众号" line, a Markdown image, a row of table bars.
FURNITURE = re.compile(
    rf"{any_of('anywhere')}|^(?:{any_of('line-start')})"
    r"|小编.{0,30}为大家|内容由.{0,30}整理|请关注.{0,12}(网|公众号|微信)"
    # a news photo's caption, signed by its photographer (…作政府工作报告。宁夏日报记者 王鼎 摄)
    r"|(?:记者|通讯员|摄影)\s*[\u4e00-\u9fff]{2,4}(?:\s*[、\s]\s*[\u4e00-\u9fff]{2,4})*\s*摄\)?$"
    r"|^!\[[^\]]*\]\([^)]*\)\s*\|?$|^\|+$"
)
# ... and furniture only on a short line without a full stop (首页 > …, 投诉: 010…, 收藏).
SHORT_FURNITURE = re.compile(rf"{any_of('short-line')}|首页\s*[>»]|投诉:?\s*\d|^收藏")
MAX_SHORT_FURNITURE = 60
RELATED_START = re.compile(rf"^({any_of('related')})")
TOC_START = re.compile(rf"^({any_of('toc')})[:/]")
ELLIPSIS_LINE = re.compile(r"^(\.{3,}|…+)$")
# A paywall notice: ……(快文网http://… 省略672字,正式会员可完整阅读)…… or ……(未完,全文共3142字,当前只显示1745字…
PAYWALL = re.compile(r"\s*(\.{3,})?\s*\((?:[^()]*?)(省略\s*\d+\s*字|未完)[^()]*(\)(\.{3,})?|$)")
SALUTATION = re.compile(rf"^({any_of('salutations')}|各位({any_of('addressed')})[^:]{{0,10}})[::]$")


BYLINE = re.compile(r"[(]([^()]{2,12}?)记者([^()]{2,8})[)]")
PROMO_TITLE = re.compile(r"以上[“\"]([^”\"]{6,80})[”\"]内容")
YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})年")

# --- structure -------------------------------------------------------------------------------------------
BULLET = re.compile(r"^\s*[•·●◆■▪\-]\s*")
BARE_MARKER = re.compile(rf"^(?:第{COUNT}{{1,3}}[章节部分]?|{COUNT}{{1,3}}、|\({COUNT}{{1,3}}\)|\d{{1,2}}[.、])$")
MAX_LINK_LINE = 80


@dataclass
class CleanDoc:
    """A cleaned document: paragraphs, metadata found in the text, and whether it is cut short."""

    paragraphs: list[Paragraph]
    meta: dict = field(default_factory=dict)
    excerpt: bool = False


def clean_line(line: str) -> str:
    """One line with stray tags, pinyin annotations, zero-width characters and mojibake removed."""
    line = ZERO_WIDTH.sub("", strip_tags(line))
    return remove_mojibake(strip_annotations(line)).rstrip()


# A mojibake island starts at a '?' (or U+FFFD) glued to Chinese text and runs over the garbage after it.
_MOJIBAKE_START = re.compile(
    r"(?<=[\u3400-\u9fff])[?\ufffd]|[?\ufffd](?=[?\ufffd]|[\u3400-\u9fff][\u3400-\u9fff]*[?(a-z])"
)
_ISLAND_ASCII = re.compile(r"[?\ufffd()a-zA-Z" + "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü/" + r"]")
MAX_ISLAND = 20


def remove_mojibake(line: str) -> str:
    """Replace mis-decoded fragments (为大家?guī)砹恕? …) with an ellipsis, keeping real question marks."""
    if "?" not in line and "\ufffd" not in line:
        return line
    out, i = [], 0
    for m in _MOJIBAKE_START.finditer(line):
        if m.start() < i:
            continue
        end = _island_end(line, m.start())
        island = line[m.start() : end]
        if island in ("?", "\ufffd") and (end >= len(line) or not CJK.match(line[end])):
            continue  # a plain question mark at a sentence end
        if island == "?" and "(" not in line[end : end + 6]:
            continue  # '?' followed by a real word: a question mark in sloppy text
        out.append(line[i : m.start()] + "…")
        i = end
    out.append(line[i:])
    return "".join(out)


def _island_end(line: str, start: int) -> int:
    """Where a mojibake island ends: at the first character that begins a dictionary word again."""
    j = start
    while j < len(line) and j - start < MAX_ISLAND:
        ch = line[j]
        two, three = normalize(line[j : j + 2]), normalize(line[j : j + 3])
        if _ISLAND_ASCII.match(ch) or (CJK.match(ch) and not is_word(two) and not is_word(three)):
            j += 1
        else:
            break
    return j


def _paywalled(norm: str) -> re.Match[str] | None:
    # what every notice holds, tested first: the pattern itself is tried at every place of every line
    if "(" not in norm or ("省略" not in norm and "未完" not in norm):
        return None
    return PAYWALL.search(norm)


def cut_paywall(line: str) -> tuple[str, bool]:
    """Cut a paywall notice out of a line; returns the text before it and whether one was found."""
    norm, origin = normalize_with_offsets(line)
    m = _paywalled(norm)
    if not m:
        return line, False
    start = origin[m.start()] if m.start() < len(origin) else len(line)
    return line[:start].rstrip(), True


def clean_text(raw: str, heading_hints: dict[str, int] | None = None) -> CleanDoc:
    r"""Clean a page's text into paragraphs with heading paths, plus the metadata it states.

    `heading_hints` maps lines a Word file styles as headings to their level. The steps, in order: each line is
    read (`_read_line`: furniture, metadata, paywall and table-of-contents lines taken out), the title found,
    the lines assembled into paragraphs under their headings, and an outline kept of sections the text lacks.

    >>> doc = clean_text("首页 > 新闻\n标题:全省中医药工作会议召开\n\n会议要求,要加快中医药传承创新。\n版权所有 某某网")
    >>> doc.meta["title"], [p.text for p in doc.paragraphs]
    ('全省中医药工作会议召开', ['会议要求,要加快中医药传承创新。'])
    """
    page = _Page()
    for raw_line in raw.splitlines():
        _read_line(page, raw_line)
    _official_frame(page)
    title = find_title(page.lines, page.meta)
    hints = heading_hints or {}
    paragraphs = assemble_articles(page.lines, lambda lines: _assemble(lines, hints))
    if paragraphs is None:
        paragraphs = _assemble(page.lines, hints)
    outline = _missing_sections(page.toc, paragraphs)
    if outline:
        # The outline is the only trace of the sections the excerpt does not show.
        paragraphs.append(Paragraph(text="\n".join(outline), kind="outline"))
    page.meta["title"] = title
    return CleanDoc(paragraphs=paragraphs, meta=page.meta, excerpt=page.excerpt)


@dataclass
class _Page:
    """What reading a page's lines gathers: the kept lines, metadata, the table of contents, and where we are."""

    lines: list[Line] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    toc: list[str] = field(default_factory=list)
    excerpt: bool = False
    section: str = "body"  # body | related (a list of linked titles) | toc (a table of contents)
    number: int | None = None  # the page of a PDF or a scan being read (PAGE_MARK lines count them)


_INDENT = re.compile(r"^[ \t\xa0\u3000]{2,}|^\u3000")
_ENUMERATED = re.compile(rf"^{COUNT}是")  # 一是…, 二是…: each begins a paragraph of its own


def _read_line(page: _Page, raw_line: str) -> None:
    """Read one line of the page into `page`: kept as body, metadata, a blank or a gap, or dropped."""
    if raw_line == PAGE_MARK:  # a new page: a paragraph may go on across it
        page.number = (page.number or 0) + 1
        return
    text = clean_line(raw_line)
    indent = bool(_INDENT.match(text))
    text = text.strip()
    norm, origin = normalize_with_offsets(text)
    if not norm.strip():
        page.lines.append(Line("", "", False, "blank"))
        return
    if _in_toc(page, text, norm) or _starts_section(page, norm):
        return
    if page.section == "related":
        item = BULLET.sub("", text)
        if len(item) <= MAX_LINK_LINE and "。" not in item:  # a linked title, not a sentence of the body
            return
        page.section, text, indent = "body", item, True
        norm, origin = normalize_with_offsets(text)
    if m := PROMO_TITLE.search(norm):
        page.meta.setdefault("title_promo", original_text(m, 1, text, origin))
    if _cut_short(page, text, norm, indent):
        return
    if extract_meta(norm, origin, text, page.meta):
        page.lines.append(Line(text, norm, indent, "meta"))
        return
    if is_furniture(norm):
        return
    if m := BYLINE.search(norm):
        page.meta.setdefault("byline_source", original_text(m, 1, text, origin))
        page.meta.setdefault("author", original_text(m, 2, text, origin))
    page.lines.append(Line(text, norm, indent, page=page.number))


def _official_frame(page: _Page) -> None:
    """An official document's 版头, 主送, 落款 and 版记 out of the body; its title, date, issuer and number kept."""
    body = [ln for ln in page.lines if ln.kind in ("body", "meta")]  # a date line is meta already
    parts = official_parts([ln.norm for ln in body])
    if parts is None:
        return
    for i in parts.frame:
        body[i].kind = "meta"
    if parts.title:
        page.meta.setdefault("title", "".join(body[i].text for i in parts.title))
    if parts.date:
        page.meta["date"] = parts.date  # the 成文日期, not the day a site put it up
    for key, value in (("issuer", parts.issuer), ("number", parts.number)):
        if value:
            page.meta[key] = value


def _in_toc(page: _Page, text: str, norm: str) -> bool:
    """Inside a table of contents: True for a line it takes (an entry, or the ellipsis that ends it).

    目录: / 一、总体要求 / 二、重点任务 / …… — the entries are kept in `page.toc`; the first other line ends it.
    """
    if page.section != "toc":
        return False
    if ELLIPSIS_LINE.match(norm):
        page.section = "body"
        return True
    if heading_level(text):
        page.toc.append(text.rstrip("。"))
        return True
    page.section = "body"
    return False


def _starts_section(page: _Page, norm: str) -> bool:
    """True for a line that opens a table of contents (目录:) or a list of related articles (相关阅读)."""
    if TOC_START.match(norm):
        page.section = "toc"
        return True
    if RELATED_START.match(norm):
        page.section = "related"
        return True
    return False


def _cut_short(page: _Page, text: str, norm: str, indent: bool) -> bool:
    """True for a line where text is missing: a paywall notice (its text before the notice kept, the page
    marked as an excerpt) or a line of dots; a gap is recorded so paragraphs are not joined across it.

    ……(快文网 省略672字,正式会员可完整阅读)…… -> a gap, and the document is an excerpt.
    """
    kept, cut = cut_paywall(text) if _paywalled(norm) else (text, False)  # a line read again only to be cut
    if cut:
        page.excerpt = True
        if kept:
            page.lines.append(Line(kept + "……", normalize(kept), indent, page=page.number))
        page.lines.append(Line("", "", False, "gap"))
        return True
    if ELLIPSIS_LINE.match(norm):
        page.lines.append(Line("", "", False, "gap"))
        return True
    return False


def is_furniture(norm: str) -> bool:
    """A normalized line of site furniture: navigation, footers, ICP numbers, share buttons, salutations.

    >>> is_furniture(normalize("京ICP备12345678号")), is_furniture(normalize("要加强基层医疗卫生服务能力建设。"))
    (True, False)
    """
    return bool(
        FURNITURE.search(norm)
        or SALUTATION.match(norm)
        or (len(norm) <= MAX_SHORT_FURNITURE and "。" not in norm and SHORT_FURNITURE.search(norm))
    )


def _missing_sections(toc: list[str], paragraphs: list[Paragraph]) -> list[str]:
    """Entries of the table of contents that head no paragraph of the text (an excerpt stops before them)."""
    if not toc:
        return []
    body_headings = {normalize(h).rstrip("。") for p in paragraphs for h in p.headings}
    return [t for t in toc if normalize(t) not in body_headings]


def _assemble(lines: list[Line], hints: dict[str, int]) -> list[Paragraph]:
    """Join wrapped lines into paragraphs and attach the heading path to each."""
    paragraphs: list[Paragraph] = []
    headings: dict[int, str] = {}
    current: list[str] = []
    starts_on: list[int | None] = [None]  # the page the paragraph being gathered begins on

    headed: dict[int, bool] = {}  # whether a heading has a paragraph or a heading under it yet
    heading_line: dict[int, Line] = {}  # each heading's line, as written, for one that becomes a paragraph

    def flush() -> None:
        if current:
            text = "".join(current).strip()
            if text:
                path = [headings[k] for k in sorted(headings)]
                paragraphs.append(Paragraph(text=text, headings=path, page=starts_on[0]))
                headed.update(dict.fromkeys(headings, True))
            current.clear()

    def close_headings(level: int) -> None:
        """Headings from `level` down end here: one that headed nothing is a paragraph of its own (an item
        一、… of a notice, a last heading), not text lost."""
        for k in sorted((k for k in headings if k >= level), reverse=True):
            if not headed.get(k):
                path = [headings[j] for j in sorted(headings) if j < k]
                line = heading_line[k]
                paragraphs.append(Paragraph(text=BULLET.sub("", line.text), headings=path, page=line.page))
                headed.update(dict.fromkeys((j for j in headings if j < k), True))

    marker: Line | None = None  # a numbering marker alone on its line (一、), waiting for the text it numbers
    for ln in lines:
        if ln.kind in ("blank", "gap", "meta", "nav", "title"):
            if ln.kind != "title" or current:
                flush()
            continue
        if ln.kind == "body" and BARE_MARKER.match(ln.norm):
            flush()
            marker = ln
            continue
        if marker is not None:  # 一、 / 开垦宜于耕种的荒地。…: one item, as pages laid out in bold markers are
            ln = replace(ln, text=marker.text.strip() + ln.text.lstrip(), norm=marker.norm + ln.norm, indent=True)
            marker = None
        level = hints.get(ln.text) or heading_level(ln.text)
        if level:
            flush()
            close_headings(level)
            headings = {k: v for k, v in headings.items() if k < level}
            headed.update(dict.fromkeys(headings, True))  # a heading under them
            headings[level], headed[level], heading_line[level] = ln.text.rstrip("。"), False, ln
            continue
        if ln.indent or BULLET.match(ln.text) or _ENUMERATED.match(ln.norm):
            flush()
        if not current:
            starts_on[0] = ln.page
        current.append(BULLET.sub("", ln.text) if not current else ln.text)
        if ends_sentence(ln.norm):
            flush()
    flush()
    close_headings(0)
    return paragraphs
