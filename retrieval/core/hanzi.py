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
    """A numeral as a number: digit by digit (years) or with units (十, 百, 千, 万; 两 and 零 as written).

    >>> cn_number("二〇二三"), cn_number("十二"), cn_number("二十五"), cn_number("一百零五"), cn_number("一百二十")
    (2023, 12, 25, 105, 120)
    """
    digits = {c: i for i, c in enumerate(DIGITS)} | {"零": 0, "两": 2}
    if not any(u in text for u in _UNITS):
        return int("".join(str(digits[c]) for c in text))
    total = current = 0
    for c in text:
        if c in digits:
            current = digits[c]
        elif c == "万":
            total, current = (total + current) * 10_000, 0
        else:
            total += (current or 1) * _UNITS[c]
            current = 0
    return total + current


_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}


def cn_numeral(n: int) -> str:
    """A number below 10,000 as numerals count it (第一百零五条, 第二十条).

    >>> cn_numeral(39), cn_numeral(10), cn_numeral(105), cn_numeral(120), cn_numeral(1010)
    ('三十九', '十', '一百零五', '一百二十', '一千零一十')
    """
    if n == 0:
        return "零"
    out, pending_zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out += "零"
            pending_zero = False
        out += ("" if unit == 10 and d == 1 and not out else DIGITS[d]) + name
    return out


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
