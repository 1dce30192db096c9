"""Chinese numerals and sentence punctuation: the character classes every module matches, and the conversions.

Hand-written rather than cn2an or zhon: cn2an adds 123 ms to every start-up (its import) and a dependency
(proces) for the two forms we read, digit by digit (二〇二三) and tens (二十五); zhon's stops leave out the
semicolon, which ends a sentence in policy prose (一是……;二是……).
"""

from __future__ import annotations

import re

DIGITS = "〇一二三四五六七八九"  # as years are written digit by digit: 二〇二三
DIGIT = "[〇零一二三四五六七八九]"  # a digit, 零 as well as 〇
COUNT = "[一二三四五六七八九十]"  # counting numerals up to 十: headings (一、), months, days, 一是
QUANTITY = "[零〇一二两三四五六七八九十百千万亿]"  # any spelled-out amount
STOPS = "。!?;!?;"  # end a sentence (the semicolon too: items of a list are sentences here)
CLOSERS = "”’」』)"  # closing quotes and brackets that stay with the sentence they end
SENTENCE = re.compile(rf".+?(?:[{STOPS}]+[{CLOSERS}]*|$)", re.S)  # a sentence with its closing quotes


def cn_number(text: str) -> int:
    """A numeral as a number.

    >>> cn_number("二〇二三"), cn_number("十二"), cn_number("二十五")
    (2023, 12, 25)
    """
    digits = {c: i for i, c in enumerate(DIGITS)} | {"零": 0}
    if "十" not in text:
        return int("".join(str(digits[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def cn_small(n: int) -> str:
    """A number below 20 in numerals, as paragraphs are counted (第十二段); larger ones in digits.

    >>> cn_small(3), cn_small(12), cn_small(25)
    ('三', '十二', '25')
    """
    digits = "零" + DIGITS[1:]
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def sentences(text: str) -> list[str]:
    """Sentences with their closing punctuation and quotes.

    >>> sentences("要加强建设;要“落实”。其他")
    ['要加强建设;', '要“落实”。', '其他']
    """
    return [m.group(0) for m in SENTENCE.finditer(text) if m.group(0).strip()]


def split_units(text: str, pattern: re.Pattern) -> list[str]:
    """The non-empty matches of `pattern` (SENTENCE, a clause) in order: the text cut into those units."""
    return [m.group(0) for m in pattern.finditer(text) if m.group(0)]


def ends_sentence(norm: str) -> bool:
    """True when a (normalized) line ends a sentence, closing quotes and brackets aside."""
    return norm.rstrip(CLOSERS + "\"'").endswith(tuple(STOPS + ":.")) or norm.endswith(":")
