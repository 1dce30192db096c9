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


# what a quantity counts, after its number (36小时, 三十六小时, 3年, 两周岁): a number with its unit is read the
# other way only then, so 十四五, 十九大 or 一带一路 keep their numerals
_UNIT = (
    r"(?:个工作日|工作日|个小时|小时|分钟|个月|个星期|星期|周岁|岁|天|日|周|月|年|万元|亿元|元|公里|千米|米|倍|人|名|家|所"
    r"|次(?!会议|全会|全体会议|全国|党代会|代表大会)"  # not a session: 四次会议, 第十九次全国代表大会
    r"|张|项|件|辆|户|种|学时|课时)"
)
_DIGIT_QUANTITY = re.compile(rf"(?<![\d.])(\d{{1,4}})(?:({_UNIT})|%)")
_CN_QUANTITY = re.compile(rf"(?<![{QUANTITY[1:-1]}])([零一二两三四五六七八九十百千]+)({_UNIT})")


def other_spellings(norm: str) -> list[tuple[int, int, str]]:
    """Each quantity of a (normalized) text spelled the other way, with where it stands: typed in digits, as
    laws and older reports spell it (36小时 -> 三十六小时, 5% -> 百分之五, 2年 -> 两年); in numerals, as digits
    (三十六小时 -> 36小时). A year (2024年, as normalized) is the same either way and is left alone. An age is
    also spelled in the other unit, as laws count it in 周岁 and people in 岁 (两岁 -> 2岁, 两周岁, 2周岁).

    >>> other_spellings("每月加班36小时"), other_spellings("增长5%"), other_spellings("有效期为两年")
    ([(4, 8, '三十六小时')], [(2, 4, '百分之五')], [(4, 6, '2年')])
    >>> other_spellings("2024年的十四五规划"), other_spellings("满2年"), other_spellings("几年考一次")
    ([], [(1, 3, '两年')], [])
    >>> other_spellings("十六届人大四次会议"), other_spellings("检查3次"), other_spellings("18周岁")
    ([], [(2, 4, '三次')], [(0, 4, '十八周岁'), (0, 4, '18岁'), (0, 4, '十八岁')])
    """
    out = []
    for m in _DIGIT_QUANTITY.finditer(norm):
        n, unit = int(m.group(1)), m.group(2)
        if unit is None:
            out.append((m.start(), m.end(), "百分之" + cn_numeral(n)))
        elif not (unit == "年" and len(m.group(1)) == 4):
            spelled = "两" if n == 2 and unit not in ("日", "月") else cn_numeral(n)  # 两年, 两个月; 2月 is 二月
            out.append((m.start(), m.end(), spelled + unit))
    for m in _CN_QUANTITY.finditer(norm):
        numeral, unit = m.group(1), m.group(2)
        if numeral == "一" or (unit == "年" and len(numeral) == 4 and not any(u in numeral for u in _UNITS)):
            continue  # 一次, 一个 say "once", "a"; 二〇二四年 is a year (normalized to digits already)
        try:
            n = cn_number(numeral)
        except (KeyError, ValueError):
            continue
        out.append((m.start(), m.end(), f"{n}{unit}"))
    out.sort()
    return [*out, *(age for o in out for age in _ages(norm, *o))]


def _ages(norm: str, start: int, end: int, spelled: str) -> list[tuple[int, int, str]]:
    """An age (三岁, 18周岁) in the other unit too, in both spellings of its number."""
    typed = norm[start:end]
    if typed.endswith("周岁"):
        return [(start, end, typed[:-2] + "岁"), (start, end, spelled[:-2] + "岁")]
    if typed.endswith("岁"):
        return [(start, end, typed[:-1] + "周岁"), (start, end, spelled[:-1] + "周岁")]
    return []
