"""Character-level text helpers shared by cleaning, tokenizing and highlighting.

Display text keeps the source's script; matching uses a normalized form (NFKC width folding,
traditional -> simplified, lower case). `normalize_with_offsets` keeps the link between the two so that
a match found in the normalized form can be marked on the display text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import opencc

# A pinyin syllable in ASCII parentheses, glued to the character it annotates: 中醫(yī), 會(huì)議.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYLLABLE = rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv{_TONED}]{{1,3}}(?:ng|n|r)?"
PINYIN_ANNOTATION = re.compile(rf"(?<=[\u3400-\u9fff?\ufffd])\((?:{_SYLLABLE})\)")

CJK = re.compile(r"[\u3400-\u9fff]")
PAGE_MARK = "\ue000"  # a line of its own where a new page of a PDF or a scan begins (a private-use character)
ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def strip_annotations(text: str) -> str:
    """Remove pinyin annotations glued to characters: 中醫(yī) -> 中醫."""
    return PINYIN_ANNOTATION.sub("", text) if "(" in text else text  # most lines hold none: no pass of the pattern


@lru_cache(maxsize=4096)  # a line is converted as it is read, then again as a paragraph's and its words' matching form
def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text))


# texts whose matching form is kept: a paragraph is normalized by each reader in turn as it is indexed (its heading,
# years, facets, tokens) and a question by each of its parsers; OpenCC's conversion is most of what this costs
NORMALIZED_CACHED = 4096


@lru_cache(maxsize=NORMALIZED_CACHED)
def normalize(text: str) -> str:
    """The matching form: NFKC width folding, zero-width characters dropped, simplified script, lower case, a year
    written digit by digit in Chinese numerals in digits (二○三五年 -> 2035年, as 2035年 is asked), also where a web
    copy typed its zeros as the digit or the letter (二0一0年, 二OO八年).

    >>> normalize("到二○三五年基本實現"), normalize("一九九七年"), normalize("比二0一0年翻一番"), normalize("二OO八年")
    ('到2035年基本实现', '1997年', '比2010年翻一番', '2008年')
    """
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text))
    return _years_in_digits(to_simplified(text).lower())


_CN_YEAR = re.compile(r"[一二][〇○零0o一二三四五六七八九]{3}(?=年)")
_DIGITS = str.maketrans("〇○零o一二三四五六七八九", "0000123456789")


def _years_in_digits(text: str) -> str:
    """Each character for a character: offsets into the text stay true."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_DIGITS), text) if "年" in text else text


def bare(text: str) -> str:
    """The matching form of a text without punctuation or spaces: where words and phrases are looked for."""
    return _PUNCT.sub("", normalize(text))


_PUNCT = re.compile(r"[\W_]+")


def normalize_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """Normalize `text` and return, for each normalized character, the index of the display character it came from."""
    if unicodedata.is_normalized("NFKC", text) and not ZERO_WIDTH.search(text):
        converted = to_simplified(text)
        if len(converted) == len(text):  # the common case: a character for a character, each at its own place
            return _years_in_digits(converted.lower()), range(len(text))
    pieces = [ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", ch)) for ch in text]
    joined = "".join(pieces)
    converted = to_simplified(joined)
    if len(converted) != len(joined):
        # A phrase conversion changed the length: convert character by character to keep the map exact.
        converted = "".join(to_simplified(p) for p in pieces)
    origin = [i for i, p in enumerate(pieces) for _ in p]
    return _years_in_digits(converted.lower()), origin


def is_traditional(text: str) -> bool:
    """True when the text is written in traditional characters (converting it to simplified changes it)."""
    cjk = "".join(CJK.findall(text))
    return bool(cjk) and to_simplified(cjk) != cjk
