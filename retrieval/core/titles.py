"""How a document is named by its title, for any genre: the forms people shorten a title to, the names a corpus cites
laws by, and the words of a question that name a document by its title.

A title names one document when it says more than its year, its place and its kind: 中华人民共和国劳动合同法,
上海市实施《中华人民共和国义务教育法》办法, 北京共产主义组织的报告; not 2025年浙江省政府工作报告, which its region, year
and kind name (core/names.py). Such a title is read as the region it opens with and its body, the name without the
region (实施义务教育法办法). People name it by the body: with or without 中华人民共和国 and 《》, the region said
anywhere in the question (上海 or 上海市), 实施X办法 as X实施办法, 暂行 left out, by the initials of its words
(传染病防治法: 传防法, 社会保险法: 社保法) or with the short forms staff use (data/abbreviations.txt: 医保, 控烟).

Laws and regulations cite each other by title (依照《中华人民共和国传染病防治法》): the names a corpus cites and those
of the national statute book (data/statutes.txt) are names a question may give a document the corpus does not
hold: evidence for saying it is missing, never a reason to answer from another document.

>>> read_title("上海市实施《中华人民共和国义务教育法》办法")
TitleName(region='上海市', body='实施义务教育法办法', kind='办法')
>>> title_forms("上海市实施《中华人民共和国义务教育法》办法")
['实施义务教育法办法', '义务教育法实施办法']
>>> title_forms("2025年浙江省政府工作报告"), title_forms("中华人民共和国劳动法")
([], ['劳动法'])
>>> initials_forms("社会保险法"), initials_forms("精神卫生法")
(['社保法'], ['精卫法'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .names import find_kind, named_years, whose_regions, words
from .regions import COUNTRY, find_regions
from .text import bare, normalize
from .tokenize import is_word

NATION = "中华人民共和国"
# the kinds a law or regulation's title ends in, longest first (实施条例 before 条例)
STATUTE_KINDS = (
    "实施细则",
    "实施条例",
    "实施办法",
    "暂行条例",
    "暂行办法",
    "暂行规定",
    "条例",
    "办法",
    "规定",
    "细则",
    "规则",
    "决定",
    "解释",
    "法",
)
# words ending in 法 that name no law (a 做法 of a report, a 疗法)
_NOT_LAWS = (
    "方法",
    "做法",
    "疗法",
    "想法",
    "看法",
    "说法",
    "算法",
    "手法",
    "技法",
    "写法",
    "用法",
    "书法",
    "立法",
    "执法",
    "司法",
    "违法",
    "守法",
    "普法",
    "依法",
    "合法",
    "非法",
    "语法",
    "章法",
    "打法",
    "玩法",
    "办法",
)
MIN_STATUTE_CORE = 2  # characters of a law's title besides its kind (劳动法: 劳动) to name it unquoted
MIN_TITLE = 4  # characters any other title keeps without its years, places and kind words (…组织的报告)
MAX_FORM = 40  # characters of the longest form looked for in a question
OPENING_REGION = 16  # characters a title's opening region is looked for in (新疆维吾尔自治区 is 8)
_SPECIAL_ZONE = "经济特区"  # 深圳经济特区学前教育条例: the zone is 深圳's
_IMPLEMENTS = re.compile(r"^实施(.{2,30}?)(办法|条例|细则|规定)$")


@dataclass(frozen=True)
class TitleName:
    """A title read as the region it opens with (上海市; 全国 for 中华人民共和国…) and its body without it."""

    region: str | None
    body: str
    kind: str | None
    """The kind of law or regulation it is (法, 条例, 实施办法…), or None for any other title."""


def statute_kind(body: str) -> str | None:
    """The kind of law or regulation a title's body ends in: 法, 条例, 实施办法…; None for other titles."""
    for kind in STATUTE_KINDS:
        if body.endswith(kind) and len(body) > len(kind):
            if kind == "法" and body.endswith(_NOT_LAWS):
                return None
            return kind
    return None


def read_title(title: str) -> TitleName:
    """The region a title opens with (after its years) and its body, in matching form without punctuation."""
    region, body = _split(title)
    kind = statute_kind(body)
    if kind == "法" and region != COUNTRY.name and body not in statute_book():  # 易颉输入法 is no law: a law is
        kind = None  # 中华人民共和国…法 as titled, or one the statute book lists (its short title)
    return TitleName(region, body, kind)


def _split(title: str) -> tuple[str | None, str]:
    numbered = re.sub(r"[(（][一二三四五六七八九十]{1,3}[)）]\s*$", "", normalize(title).strip())  # …的解释(一)
    text = re.sub(r"^(?:(?:19|20)\d{2}年(?:度)?)+", "", bare(numbered))
    region = None
    if text.startswith(NATION):
        region, text = COUNTRY.name, text[len(NATION) :]
    elif (found := find_regions(text[:OPENING_REGION])) and found[0].start == 0 and len(text) > found[0].end:
        region, text = found[0].region.name, text[found[0].end :].removeprefix(_SPECIAL_ZONE)
    return region, text.replace(NATION, "")


def title_forms(title: str) -> list[str]:
    """The forms a title is named by in a question (matching form), none when it names no one document."""
    name = read_title(title)
    if not _distinctive(title, name):
        return []
    forms = [name.body]
    if m := _IMPLEMENTS.match(name.body):  # 实施义务教育法办法 -> 义务教育法实施办法
        forms.append(f"{m.group(1)}实施{m.group(2)}")
    forms += [f.replace("暂行", "") for f in forms if "暂行" in f]
    return list(dict.fromkeys(forms))


def _distinctive(title: str, name: TitleName) -> bool:
    if name.kind is not None:
        return len(name.body) - len(name.kind) >= MIN_STATUTE_CORE
    if not find_kind(title):  # an article's subject (尤金袋鼠) names what it is about, not a document
        return False
    rest = name.body
    for y in named_years(rest):
        rest = rest.replace(f"{y}年", "")
    for m in reversed(whose_regions(rest)):
        rest = rest[: m.start] + rest[m.end :]
    for kind in words().kinds:
        rest = rest.replace(kind, "")
    return len(rest) >= MIN_TITLE


def initials_forms(body: str) -> list[str]:
    """A law's title as staff shorten it, by the first character of each of its words and its kind whole:
    传染病防治法 -> 传防法, 社会保险法 -> 社保法."""
    kind = statute_kind(body)
    if kind is None:
        return []
    core = body[: -len(kind)]
    return sorted({"".join(w[0] for w in tiling) + kind for tiling in _tilings(core) if len(tiling) >= 2})


MAX_TILED = 12  # characters of a title's core split into words for its initials


def _tilings(core: str) -> list[list[str]]:
    """Every way to cut `core` into dictionary words of two to four characters."""
    if len(core) > MAX_TILED:
        return []

    @cache
    def from_(i: int) -> tuple[tuple[str, ...], ...]:
        if i == len(core):
            return ((),)
        out: list[tuple[str, ...]] = []
        for j in range(i + 2, min(len(core), i + 4) + 1):
            if is_word(core[i:j]):
                out += [(core[i:j], *rest) for rest in from_(j)]
        return tuple(out)

    return [list(t) for t in from_(0)]


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[tuple[str, str], ...]:
    """data/abbreviations.txt: (short, long) pairs, the longest short form first."""
    text = resources.files("retrieval").joinpath("data/abbreviations.txt").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 2:
            pairs.append((normalize(parts[0]), normalize(parts[1])))
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def spelled_out(text: str) -> str:
    """A question's matching form with the short forms of data/abbreviations.txt written out (医保 -> 医疗保障) and
    中华人民共和国 left out, for finding the titles it names."""
    text = bare(text).replace(NATION, "")
    for short, long in _abbreviations():
        if short in text and long not in text:
            text = text.replace(short, long)
    return text


_CITED = re.compile(r"《([^《》]{2,60})》")


def cited_statutes(norm_text: str) -> list[str]:
    """The laws and regulations a text cites by title (《中华人民共和国传染病防治法》 -> 传染病防治法), as bodies."""
    out = []
    for m in _CITED.finditer(norm_text.replace("〈", "《").replace("〉", "》").replace("<", "《").replace(">", "》")):
        name = read_title(m.group(1))
        if name.kind is not None and len(name.body) - len(name.kind) >= MIN_STATUTE_CORE:
            out.append(name.body)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def statute_book() -> frozenset[str]:
    """The national laws and administrative regulations (data/statutes.txt) as bodies: names a question may give a
    document whether or not the corpus holds it."""
    text = resources.files("retrieval").joinpath("data/statutes.txt").read_text(encoding="utf-8")
    return frozenset(_split(line)[1] for line in text.splitlines() if line.strip() and not line.startswith("#"))


# a title a question speaks of in passing, not as the document to answer from: 贯彻中医药法以来, 学习宪法
_IN_PASSING_BEFORE = re.compile(r"(?:贯彻|落实|学习|宣传|宣讲|修订|修改|制定|起草|出台|颁布|施行|实施|执行)$")
_IN_PASSING_AFTER = re.compile(r"^(?:实施|施行|颁布|出台|修订|贯彻)?(?:以来|之后|以后|后|精神|情况|工作|宣传)")


def in_passing(text: str, start: int, end: int) -> bool:
    """Whether a title found at text[start:end] is spoken of in passing (贯彻中医药法以来), not named as the document
    the question asks."""
    return bool(_IN_PASSING_BEFORE.search(text[max(0, start - 2) : start]) or _IN_PASSING_AFTER.match(text[end:]))


MAX_NAME = 30  # characters of a law's name looked for in a question in other words than its title's


def shortened(span: str, body: str) -> bool:
    """Whether `span` names a law's title `body` with words left out or cut short (医疗保障基金监管条例, 道交法 for
    道路交通安全法): both end in the same kind, begin with the same character, and the span's characters are the
    title's, in order."""
    kind = statute_kind(body)
    if kind is None or not span.endswith(kind) or span[0] != body[0] or span == body:
        return False
    core = iter(body[: -len(kind)])
    return len(span) - len(kind) >= 2 and all(ch in core for ch in span[: -len(kind)])


def law_spans(text: str) -> list[tuple[int, int]]:
    """Spans of a question (spelled out) shaped as the name of a law or regulation: ending in a kind (法, 条例…),
    two to MAX_NAME characters before it; longest first at each end."""
    out = []
    for m in re.finditer("|".join(STATUTE_KINDS), text):
        if m.group(0) == "法" and (text[: m.end()].endswith(_NOT_LAWS) or is_word(text[m.start() : m.end() + 1])):
            continue  # 方法, or 法 of 法院, 法律
        out += [(start, m.end()) for start in range(max(0, m.start() - MAX_NAME), m.start() - 1)]
    return out


# where a question's own name for a law may begin: its start, or after a year, a preposition or 的
_NAME_AFTER = re.compile(r"(?:年|按照|按|根据|依照|依据|对照|的|在|查|问|看看|一下|关于|请问)$")


def unheld_law(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (ending in 法) stands as a law's name of its own: at the question's start or after a
    year, a preposition or 的, and followed by what is asked of it (医疗保障法对…, 按刑法第…)."""
    name = text[start:end]
    return (
        statute_kind(name) == "法"
        and len(name) >= MIN_UNHELD
        and not is_word(name[-2:])  # 无法, 设法, 语法: a word of its own, not a law's name
        and (start == 0 or bool(_NAME_AFTER.search(text[:start])))
    )


MIN_UNHELD = 4  # characters of a law's name, 法 included, no list knows (医疗保障法) to be read as one


@dataclass(frozen=True)
class Mention:
    """A form of a title found in a question: where, and which form."""

    form: str
    start: int
    end: int


def mentions(text: str, forms: set[str] | frozenset[str] | dict[str, object]) -> list[Mention]:
    """The forms found in `text` (a question's spelled-out form), the longest at each place, none inside another:
    高等教育法 names 高等教育法, not 教育法 as well."""
    found = []
    for i in range(len(text)):
        for j in range(min(len(text), i + MAX_FORM), i + 1, -1):
            if text[i:j] in forms:
                found.append(Mention(text[i:j], i, j))
                break
    return [m for m in found if not any(o.start <= m.start and m.end <= o.end and o != m for o in found)]
