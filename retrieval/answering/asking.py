"""What a question asks for: its question words (谁, 哪一年, 多少, 什么 + a noun), each with the kind of answer it
asks for, and the shape of the answer it wants: items (有哪些, 主要任务) or a row per document of a class (各省, 历年,
2021年到2025年).

Question words are read from data/interrogatives.txt; the noun after 哪个/什么 names the kind of answer (哪个国家
asks for a place), and a word qualifying that noun (关爱 in 什么关爱措施) is a topic like any other. Shape words
are in data/shapes.txt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..core.hanzi import COUNT, cn_number
from ..core.postags import word_tag
from ..core.tokenize import data_sections, is_term, search_tokens, stopwords

TYPE_WORD_WITHIN = 12  # characters after 哪个/什么 read for the noun naming the kind of answer
KINDS = ("person", "place", "time", "number", "reason", "manner", "definition")


@dataclass(frozen=True)
class _Asking:
    kind: str
    start: int
    end: int
    type_word: str | None = None
    modifier: tuple[int, int] | None = None
    """Where a word qualifying the type word stands (关爱 in 什么关爱措施)."""


@dataclass(frozen=True)
class _Lexicon:
    """Question words from data/interrogatives.txt, as patterns."""

    standalone: re.Pattern
    headed: re.Pattern
    words: dict[str, str]
    nouns: dict[str, str]
    ends: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    sections = data_sections("interrogatives.txt")
    words = {w: kind for kind in KINDS for w in sections.get(kind, [])}
    nouns = {w: kind for kind in ("time", "person", "place") for w in sections.get(f"{kind}-nouns", [])}

    def alternation(items: Iterable[str]) -> str:
        # 如何/为何/任何/奈何 are words of their own: 何 after them does not ask (任何人 is not 何人)
        return "|".join(
            ("(?<![如为任奈])" if w.startswith("何") else "") + re.escape(w)
            for w in sorted(items, key=len, reverse=True)
        )

    measures = alternation(sections["measures"] + sections["ends"] + list(nouns))
    headed = re.compile(
        rf"(?P<head>{alternation(sections['heads'])})一?(?P<measure>{measures})?"
        rf"|(?P<bound>{alternation(sections['bound-heads'])})(?P<bound_measure>{measures})"
    )
    return _Lexicon(re.compile(alternation(words)), headed, words, nouns, frozenset(sections["ends"]))


def find_asking(norm: str) -> list[_Asking]:
    """The question words of a normalized question, each with the kind of answer it asks for.

    >>> norm = "哪一种化学物质有毒"
    >>> [(a.kind, norm[a.start : a.end], a.type_word) for a in find_asking(norm)]
    [('thing', '哪一种化学物质', '化学物质')]
    """
    lex = _lexicon()
    matches: list[_Asking] = []
    for m in lex.standalone.finditer(norm):
        kind = lex.words[m.group(0)]
        if kind == "definition" and not (_bare(norm[m.end() :]) == "" or _bare(norm[: m.start()]) == ""):
            continue  # 是什么职务 asks for a 职务, not for a definition (which opens or closes a question)
        matches.append(_Asking(kind, m.start(), m.end()))
    for m in lex.headed.finditer(norm):
        head = m.group("head") or m.group("bound")
        measure = m.group("measure") or m.group("bound_measure") or ""
        kind = lex.nouns.get(measure, "number" if head in ("几", "多少") else "thing")
        asking = _Asking(kind, m.start(), m.end())
        matches.append(asking if measure in lex.ends or measure in lex.nouns else _with_type_word(norm, asking))
    # where two readings overlap (哪几点 / 几点), the longer question word wins (the noun after it aside:
    # 为什么 is not 什么 + a noun)
    found: list[_Asking] = []
    for a in sorted(
        matches, key=lambda a: (a.start - a.end + len(a.type_word or ""), a.type_word is not None, a.start)
    ):
        if all(a.end <= b.start or b.end <= a.start for b in found):
            found.append(a)
    return sorted(found, key=lambda a: a.start)


def _bare(text: str) -> str:
    """The text without punctuation and modal particles."""
    return re.sub(r"[\W_呢吗啊呀吧嘛请问]+", "", text)


def _with_type_word(norm: str, asking: _Asking) -> _Asking:
    """The noun right after 哪个/什么/几种 names the kind of answer: 哪个国家 asks for a place.

    Chinese puts the head noun last: in 什么关爱措施 or 哪一所知名大学 the answer is a 措施 or a 大学, and the word
    before it (关爱, 知名) is what the question is about, a topic like any other.

    >>> norm = "有什么关爱措施"
    >>> a = _with_type_word(norm, _Asking("thing", 1, 3))
    >>> a.type_word, norm[slice(*a.modifier)]
    ('措施', '关爱')
    """
    rest = norm[asking.end :]
    rest = rest[1:] if rest.startswith("的") else rest
    offset = len(norm) - len(rest)
    words = list(search_tokens(rest[:TYPE_WORD_WITHIN], whole_words=True))
    if not words or words[0][0] in stopwords() or not is_term(words[0][0]):
        return asking
    word, _, end = words[0]
    modifier = None
    if len(words) > 1 and _qualifies(words[0][0], words[1][0], rest[words[1][2] :]):
        modifier = (offset, offset + end)
        word, _, end = words[1]
    kind = _lexicon().nouns.get(word, asking.kind)
    return _Asking(kind, asking.start, offset + end, word, modifier)


MODIFIER_TAGS = frozenset({"v", "vn", "a", "an", "b"})  # jieba's tags of words that qualify a noun after them


def _qualifies(first: str, noun: str, after: str) -> bool:
    """Whether `first` qualifies the common noun after it (研究机构, 知名大学, 关爱措施) rather than naming the answer's
    kind itself. A plain verb may instead take the noun as its object (含有硫元素): only when the noun ends the
    phrase is it read as the head."""
    tag = word_tag(first)
    if tag not in MODIFIER_TAGS or noun in stopwords() or word_tag(noun) != "n":
        return False
    return tag != "v" or not after or not is_term(after[0]) or after[0] in "的吗呢"


@lru_cache(maxsize=1)
def _shape_cues() -> dict[str, tuple[str, ...]]:
    sections = data_sections("shapes.txt")
    return {name: tuple(sorted(sections[name], key=len, reverse=True)) for name in ("list", "regions", "years")}


def asks_for_items(norm: str) -> bool:
    """Whether a (normalized) question asks for items: 有哪些, 哪几方面, 几项, 主要任务, 重点工作, 措施, 哪三点…
    (几点 of a time of day, 几点到几点, asks for no items)."""
    if _CLOCK.search(norm):
        norm = _CLOCK.sub("", norm)
    return any(cue in norm for cue in _shape_cues()["list"]) or items_count(norm) is not None


_CLOCK = re.compile(r"(?<!哪)几点(?=到|至|钟|之间|以后|以前|之前|开始|前|后)|到几点")


_ITEM_NOUNS = re.compile(
    r"(?:哪些|哪几|几|什么)(?:个|项|条|点|类|件)?"
    r"(?:要求|意见|建议|经验|措施|任务|举措|原则|方针|部分|方面|重点|工作|决策|决定|政策|纪律|目标|类|条|点|步)"
)


def names_items(norm: str) -> bool:
    """Whether a question names its items as lists go (哪些要求, 重点工作, 主要任务, 几点意见, 哪三点), not just 哪些 +
    any noun (哪些单位)."""
    if items_count(norm) is not None or _ITEM_NOUNS.search(norm):
        return True
    return any(cue in norm for cue in _shape_cues()["list"] if cue not in ("哪些", "有哪些"))


_SEVERAL = re.compile(r"哪些|哪几|几(?:个|项|条|点|类|件|大|方面)|分别")


def asks_several(norm: str) -> bool:
    """Whether a question says it wants several things (哪些, 哪几方面, 几项, 分别, 哪三点), not one that may be
    listed (提出了什么任务)."""
    return items_count(norm) is not None or _SEVERAL.search(norm) is not None


# 哪三点, 哪十个方面, 八项重点任务, “十四个坚持”, 三点意见: the number of items a question asks for
_COUNTED = re.compile(
    rf"哪({COUNT}{{1,3}}|两|\d{{1,2}})(?:个|大|条|项|点|件|步|类)"
    rf"|(?<![第\d{COUNT[1:-1]}])({COUNT}{{1,3}}|两|\d{{1,2}})(?:个|大|条|项|点|件|类)(?:部分|[\u4e00-\u9fff]{{0,4}}?"
    r"(?:方面|意见|要求|任务|重点|工作|措施|举措|坚持|明确|特色|经验|原则|决策|纪律|建议))"  # not 十大富商大部分
)


def _counted(norm: str) -> tuple[re.Match[str], int] | None:
    """The words saying how many items, and the number: two or more (哪一个制度 asks for one thing, not a list)."""
    for m in _COUNTED.finditer(norm):
        word = m.group(1) or m.group(2)
        n = 2 if word == "两" else (int(word) if word.isdigit() else cn_number(word))
        if n >= 2:
            return m, n
    return None


def count_at(norm: str) -> tuple[int, int] | None:
    """Where a question says how many items it wants (the 八项 of 八项重点工作, the 哪三点 of 讲了哪三点意见): words
    that ask, like a question word, not words an answer must hold."""
    if (found := _counted(norm)) is None:
        return None
    m = found[0]
    group = 1 if m.group(1) else 2
    end = m.end(group) + 1 if group == 2 else m.end()  # 八项: the number and its measure word
    return (m.start(), end)


def items_count(norm: str) -> int | None:
    """The number of items a (normalized) question asks for, when it says: 哪三点意见 -> 3, 八项重点任务 -> 8."""
    found = _counted(norm)
    return found[1] if found else None


FacetClass = Literal["region", "year"]
_RANGE = re.compile(r"((?:19|20)\d{2})年?(?:到|至|-|—|–|~)((?:19|20)\d{2})年")
_SINCE = re.compile(r"(?:自|从)?((?:19|20)\d{2})年(?:以来|起|开始)")  # 2013年以来, 自1993年起: to the newest
RECENT = re.compile(rf"近({COUNT}|\d+)年")


def without_class(norm: str, by: FacetClass, cue: str) -> str:
    """The question without the words naming its class (2013年以来, and 历年 beside it; 各省) and 分别: what each
    document is asked."""
    rest = norm.replace(cue, "", 1)
    for word in _shape_cues()["regions" if by == "region" else "years"]:
        rest = rest.replace(word, "")
    return rest.replace("分别", "").strip()


def facet_class(norm: str) -> tuple[FacetClass, str, tuple[int, int | None] | None] | None:
    """What class a question compares across: ("region", cue, None), ("year", cue, (first, last)) or None; a range
    open at its end (2013年以来) has no last year."""
    if m := _RANGE.search(norm):
        return "year", m.group(0), (int(m.group(1)), int(m.group(2)))
    if m := _SINCE.search(norm):
        return "year", m.group(0), (int(m.group(1)), None)
    cues = _shape_cues()
    for name in ("regions", "years"):
        for cue in cues[name]:
            if cue in norm:
                return ("region" if name == "regions" else "year"), cue, None
    return None
