"""The parts of an official document (公文, laid out by GB/T 9704-2012) that are not its text.

A 红头文件 opens with its 版头: the issuer's mark (山西省卫生健康委员会文件), the document number
(晋卫发〔2024〕12号), perhaps a copy number, a secrecy or urgency mark and 签发人; then the title, the addressees
(各市卫生健康委:), the text; it closes with the 落款 (the issuer's name, the seal, 成文日期 2024年3月15日) and
the 版记 (抄送:…, 印发机关 and 印发日期). Read from a scan, a PDF or a Word file, those lines would otherwise be
taken for the title (the line above a date), for passages, or for headings. `official_parts` finds them in a
document's lines: which are the frame, and the title, issuer, number and date they state.

Lines are matched normalized (simplified script, half-width), so that 〔〕, [] and () around the year all count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..core.articles import article_at
from ..core.hanzi import COUNT, DIGIT, cn_number

HEAD_WITHIN = 8  # lines from the top that the 版头 (issuer's mark, number) is looked for in
TAIL_WITHIN = 12  # lines from the end that the 落款 and 版记 are looked for in
MAX_SIGNATURE = 60  # characters of a line of the 落款 (the issuers' names) or of the seal read with it
MAX_ADDRESSEES = 80  # characters of the 主送 line

# 晋卫发〔2024〕12号, 国卫医政发[2024]3号, 卫办医函(2023)45号 (normalized: 〔〕 stay, full-width () become ())
NUMBER = re.compile(r"^([\u4e00-\u9fff]{1,12}[〔\[(]((?:19|20)\d{2})[〕\])]\s*第?\d{1,4}号)$")
ORGAN = "(委员会|政府|办公厅|办公室|总局|局|厅|部|委|院|党组|中心)"  # how an issuer's name ends
# the issuer's mark names an organ: 山西省卫生健康委员会文件, 国务院办公厅文件 (not 相关文件, 政策文件)
ISSUER_MARK = re.compile(rf"^([\u4e00-\u9fff、 ]{{1,40}}?{ORGAN})\s*文件$")
# the names of the 落款 (joint issuers side by side), or a seal's text
SIGNATURE = re.compile(rf"^([\u4e00-\u9fff]{{2,30}}?{ORGAN}\s*)+(\(盖章\))?$")
COPY_NUMBER = re.compile(r"^\d{6}$")
MARKS = re.compile(r"^(绝密|机密|秘密|特急|加急|平急)(★.*)?$|^签发人[::]")
ADDRESSEES = re.compile(r"^[^。;]{2,80}[::]$")
DATE = re.compile(rf"^(\d{{4}}|{DIGIT}{{4}})年(\d{{1,2}}|{COUNT}{{1,3}})月(\d{{1,2}}|{COUNT}{{1,3}})日$")
CLOSING = re.compile(r"^(抄送|抄报|分送|主题词|附注|联系人|此件)|^[(](此件|联系人|信息公开)")
PRINTED = re.compile(r"^(.{2,40}?)\s*(\S{4}年\S{1,2}月\S{1,3}日)\s*印发$")


@dataclass
class OfficialParts:
    """What the frame of an official document says, and which of its lines (by position) are frame."""

    frame: set[int] = field(default_factory=set)
    title: list[int] = field(default_factory=list)  # the lines of the title (a long one wraps)
    issuer: str | None = None
    number: str | None = None
    date: str | None = None  # ISO, the 成文日期 of the 落款


def official_parts(lines: list[str]) -> OfficialParts | None:
    """The 版头, title, 主送, 落款 and 版记 of a document's lines (normalized, blanks left out); None when the
    document has no 版头 (no issuer's mark or document number near the top): not an official document.

    >>> parts = official_parts(["山西省卫生健康委员会文件", "晋卫发〔2024〕12号", "关于推进县域医共体建设的通知",
    ...     "各市卫生健康委:", "现将有关事项通知如下。", "山西省卫生健康委员会", "2024年3月15日",
    ...     "抄送:国家卫生健康委。", "山西省卫生健康委员会办公室 2024年3月15日印发"])
    >>> parts.title, parts.issuer, parts.number, parts.date, sorted(parts.frame)
    ([2], '山西省卫生健康委员会', '晋卫发〔2024〕12号', '2024-03-15', [0, 1, 2, 3, 5, 6, 7, 8])
    """
    head = lines[:HEAD_WITHIN]
    at = next((i for i, ln in enumerate(head) if NUMBER.match(ln)), None)
    mark = next((i for i, ln in enumerate(head) if ISSUER_MARK.match(ln)), None)
    if at is None and mark is None:
        return None
    parts = OfficialParts()
    if mark is not None:
        parts.issuer = ISSUER_MARK.match(lines[mark]).group(1).strip()  # type: ignore[union-attr]
    if at is not None:
        parts.number = lines[at]
    top = max(i for i in (at, mark) if i is not None)
    # above them: a copy number, secrecy and urgency marks, and the other issuers of a joint document (their
    # names stacked over the one that ends in 文件); a web page's own title line there is left as it is
    parts.frame |= {
        i
        for i in range(top + 1)
        if i in (at, mark) or COPY_NUMBER.match(lines[i]) or MARKS.match(lines[i]) or _signature(lines[i])
    }
    _title(lines, top + 1, parts)
    _tail(lines, parts)
    return parts


def _title(lines: list[str], start: int, parts: OfficialParts) -> None:
    """The title: the lines after the 版头 up to the 主送 line (a long title wraps), when one follows soon."""
    for end in range(start, min(start + 4, len(lines))):
        if article_at(lines[end]) is not None or (end > start and lines[end - 1].endswith((":", "。"))):
            break  # the text has begun: an article (第一条…:), or a sentence ended above
        if ADDRESSEES.match(lines[end]) and len(lines[end]) <= MAX_ADDRESSEES:
            parts.title = list(range(start, end))
            parts.frame |= set(parts.title)
            parts.frame.add(end)
            return
    if start < len(lines) and not lines[start].endswith(("。", ":")) and article_at(lines[start]) is None:
        parts.title = [start]  # no addressees (a 决定, a 公告): the first line after the 版头
        parts.frame.add(start)


def _tail(lines: list[str], parts: OfficialParts) -> None:
    """The 版记 at the end (from its first line on: a wrapped 抄送 list too), and above it the 落款: the 成文日期
    and, above that, the issuer's name and the seal's text."""
    first = max(0, len(lines) - TAIL_WITHIN)
    closing = next((i for i in range(first, len(lines)) if CLOSING.match(lines[i]) or PRINTED.match(lines[i])), None)
    end = len(lines) if closing is None else closing
    parts.frame |= set(range(end, len(lines)))
    dated = next((i for i in range(end - 1, max(first, end - 4) - 1, -1) if DATE.match(lines[i])), None)
    if dated is None:
        return
    y, m, d = DATE.match(lines[dated]).groups()  # type: ignore[union-attr]
    parts.date = f"{_number(y):04d}-{_number(m):02d}-{_number(d):02d}"
    parts.frame.add(dated)
    for i in range(dated - 1, max(dated - 4, -1), -1):  # the issuers' names and the seal's text above the date
        if not _signature(lines[i]):
            break
        parts.frame.add(i)
        parts.issuer = parts.issuer or lines[i]


def _signature(line: str) -> bool:
    """An issuer's name (or several, or a seal's text): short, so that the pattern never meets a long line."""
    return len(line) <= MAX_SIGNATURE and bool(SIGNATURE.match(line))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else cn_number(text)
