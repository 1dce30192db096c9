"""Meetings and speakers as titles, opening lines and questions name them.

A work conference is named by its level or region, its topic and its kind (全国卫生健康工作会议, 全市卫生健康工作会议,
山西省医改工作电视电话会议), and staff shorten the name as they please (医改会议, 卫生健康工作会议). `meeting_key` keeps
what tells one meeting from another: the level (全国, 全市, or the region) and the core of its name without years,
places and filler words (医改工作电视电话会议 -> 医改会议), so that a shortened name still finds the meeting. Speakers
are found where titles and opening lines name them: 副市长在…会议上的讲话, 山西省省长林武:…, 主任马晓伟出席并讲话.
The words are in data/facets.txt ([meeting-heads], [meeting-fillers], [meeting-levels], [offices]).

>>> meeting_key("2024年全市衛生健康工作會議")
MeetingKey(level='全市', core='卫生健康会议')
>>> meeting_key("山西省医改工作电视电话会议"), meeting_key("山西医改会议")
(MeetingKey(level='山西省', core='医改会议'), MeetingKey(level='山西省', core='医改会议'))
>>> meeting_phrases("谁主持了2022年全国卫生健康工作会议")
['2022年全国卫生健康工作会议']
>>> find_speakers("山西省省长、省医改领导小组组长林武出席并讲话。山西省副省长吴伟主持。")
['林武', '吴伟']
>>> find_speakers("山西省省长林武:推动中医药大健康产业发展")
['林武', '省长']
>>> find_speakers("副市长在2024年全市卫生健康工作会议上的讲话")
['副市长']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .postags import word_tag
from .regions import find_regions, region_named
from .text import normalize
from .tokenize import data_sections

_TIME = re.compile(
    r"(?:(?:19|20)\d{2}年度?|\d{1,2}月(?:\d{1,2}日)?(?:至\d{1,2}日)?|[上下]半年|今年|去年|前年|明年|本年度?|上年度?|当年)"
)
# a meeting's name runs back from its head word over these characters (a verb or particle ends it: 主持了, 在, 的)
_NAME_CHARS = r"[\u4e00-\u9fff\d]"
_NOT_IN_NAME = set("在上的了对由谁是把将向从于和与及等其该此这那被给为让请问")
MIN_CORE = 3  # characters a meeting's core must have besides nothing: 会议 alone names no meeting
NAME_CHARS = (2, 3)  # a person's name after an office: 林武, 马晓伟
_AFTER_NAME = "出作主在讲指强表的同:,、;。发致宣参"


@dataclass(frozen=True)
class MeetingKey:
    """What tells one meeting from another: its level or region, and the core of its name."""

    level: str | None
    core: str

    def matches(self, other: MeetingKey) -> bool:
        """Whether a meeting named `other` (a question's, perhaps shortened) can be this one: the same core, or a
        core that is part of this one's (局长会议 of 中医药局长会议), and no other level."""
        if len(other.core) < MIN_CORE or other.core not in self.core:
            return False
        return other.level is None or self.level is None or _same_level(self.level, other.level)


LEVELS = {"全国": 0, "全省": 1, "全市": 2, "全州": 2, "全盟": 2, "全区": 3, "全县": 3, "全旗": 3}


def _same_level(a: str, b: str) -> bool:
    """Two levels or regions of a meeting that can be one: the same, or a level word and a region at that level
    (全省 and 山西省)."""
    if a == b or a.startswith(b) or b.startswith(a):
        return True
    levels = [
        LEVELS.get(x) if x in LEVELS else (r.level if (r := region_named(x)) is not None else None) for x in (a, b)
    ]
    return (a in LEVELS or b in LEVELS) and levels[0] is not None and levels[0] == levels[1]


@dataclass(frozen=True)
class _Lexicon:
    heads: tuple[str, ...]
    fillers: tuple[str, ...]
    levels: tuple[str, ...]
    offices: tuple[str, ...]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    sections = data_sections("facets.txt")

    def longest_first(name: str) -> tuple[str, ...]:
        return tuple(sorted(set(sections[name]), key=lambda w: (-len(w), w)))

    return _Lexicon(
        longest_first("meeting-heads"),
        longest_first("meeting-fillers"),
        longest_first("meeting-levels"),
        longest_first("offices"),
    )


def meeting_phrases(text: str) -> list[str]:
    """The names of meetings a text holds, each as written from its first word to its head word (会议, 大会…)."""
    norm = normalize(text)
    heads = "|".join(map(re.escape, _lexicon().heads))
    out: list[str] = []
    for m in re.finditer(rf"(?:{heads})", norm):
        start = m.start()
        while start > 0 and re.match(_NAME_CHARS, norm[start - 1]) and norm[start - 1] not in _NOT_IN_NAME:
            start -= 1
        phrase = re.sub(r"^(?:本次|这次|此次|该)", "", norm[start : m.end()])  # 本次大会 names no meeting
        if len(phrase) > len(m.group(0)) and not any(phrase in p for p in out):
            out.append(phrase)
    return out


def without_times(phrase: str) -> str:
    """A meeting's name without its year and dates: 2024年全市卫生健康工作会议 -> 全市卫生健康工作会议."""
    return _TIME.sub("", normalize(phrase))


def meeting_key(phrase: str) -> MeetingKey:
    """The level (全国, 全市) or region of a meeting's name and its core: years, dates, places, levels and filler
    words taken out."""
    lex = _lexicon()
    norm = without_times(phrase)
    level = None
    regions = [m for m in find_regions(norm) if m.start == 0]
    if regions:
        level = regions[0].region.name
        norm = norm[regions[0].end :]
    for word in lex.levels:
        if norm.startswith(word):
            level = level or word
            norm = norm[len(word) :]
            break
    for word in lex.fillers:
        norm = norm.replace(word, "")
    return MeetingKey(level, norm)


def find_speakers(text: str) -> list[str]:
    """Who speaks in a text, as a title or an opening line names them: a person named after an office (林武 in
    省长林武, 马晓伟 in 主任马晓伟出席), and an office a title gives as the speaker (副市长 in 副市长在…会议上的讲话,
    省长 in 山西省省长林武:…), in order. A word of the dictionary after an office (总书记重要讲话) is no name."""
    norm = normalize(text)
    offices = "|".join(map(re.escape, _lexicon().offices))
    lo, hi = NAME_CHARS
    found: list[str] = []
    for m in re.finditer(rf"({offices})([\u4e00-\u9fff]{{{lo},{hi}}}?)(?=[{_AFTER_NAME}])", norm):
        if _a_name(m.group(2)):
            found.append(m.group(2))
            if m.start() < TITLE_OFFICE_WITHIN and norm[m.end() : m.end() + 1] in ":":  # 山西省省长林武:推动…
                found.append(m.group(1))
    for m in re.finditer(rf"^(?:[\u4e00-\u9fff]{{0,12}}?)({offices})(?=在.{{2,40}}上的(?:讲话|报告|致辞|发言))", norm):
        found.append(m.group(1))
    return list(dict.fromkeys(found))


TITLE_OFFICE_WITHIN = 12  # characters: an office this near the start of a title line, before a colon, is the speaker's


def _a_name(word: str) -> bool:
    """A person's name: no office, no place, and no word of the dictionary but a person's (重要, 亲自, 会议 are not)."""
    if word in _lexicon().offices or find_regions(word):
        return False
    tag = word_tag(word)
    return tag is None or tag.startswith("nr")
