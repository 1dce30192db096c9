"""What an answer to a question looks like in a passage, when the question says: a figure in the unit it asks for
(多少个小时 -> 三十六小时, 留多久 -> 3年, 罚多少 -> 200元, 新增多少张 -> …张), a date (哪一天 -> 6月5日), a time of day
(几点 -> 二十二点), how often (多久…一次 -> 每年), a speed (多快 -> 每小时60公里), an age (多大的孩子 -> 三周岁),
a floor or a cap (最少得给多少 -> 不得低于), a penalty (会受到什么处罚 -> 罚款, 吊销), a definition (所称), a time
(什么时候, 哪一年 -> 1997年, 1月27日, 16世纪, 80年代).
A passage holding such a figure, other than one the question holds itself, is more likely the answer than one that
only shares the question's words (每日工作时间不超过八小时 shares 加班 and 小时 with 一个月最多加多少个小时, and so does
每月不得超过三十六小时).

>>> expects("劳动法：一个月加班最多能加多少个小时").search("每月不得超过三十六小时") is not None
True
>>> day = expects("环境日是哪一天")
>>> day.search("每年6月5日为环境日") is not None, day.search("每年举办") is None
(True, True)
>>> day.search("每年九月的第三个星期六为全民国防教育日") is not None
True
>>> often = expects("做化妆品的生产工人多久要体检一次")
>>> often.search("必须每年进行健康检查") is not None, often.search("应当在30日内") is None
(True, True)
>>> expects("重庆控烟条例管不管电子烟").search("吸烟是指吸入呼出烟草的烟雾或者电子烟气雾的行为") is not None
True
>>> floor = expects("按劳动合同法，试用期工资最少得给多少？")
>>> floor.search("试用期的工资不得低于…约定工资的百分之八十") is not None, floor.search("支付赔偿金") is None
(True, True)
>>> lowest = expects("高速公路上最低要开多快")  # a speed, as a floor bounds it: not any speed
>>> lowest.search("最低车速不得低于每小时60公里") is not None, lowest.search("车速不得超过每小时20公里") is None
(True, True)
>>> expects("医院里的医疗废物最多能暂存几天").search("暂时贮存的时间不得超过2天") is not None
True
>>> expects("哪些单位需要备案") is None
True
>>> when = expects("十五大报告对建成法律体系定了什么时间")
>>> when.search("到2010年形成有中国特色社会主义法律体系") is not None, when.search("加强立法工作") is None
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..core.text import normalize

_NUMBER = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿半]+)"
_DURATION = r"(?:个工作日|工作日|个月|个小时|个星期|月|周|星期|年|日|天|小时|分钟)"
_WEEKDAY = rf"的?第{_NUMBER}个(?:星期|周)[一二三四五六日天]"  # 九月的第三个星期六
_MEASURE = r"[个人家所项名张床次件台辆倍分元户座条种类批处位]"
# a bound a question asks for (最低, 最多), and how a rule states it, before its figure (不得超过14日) or after it
# (三名以上, 2天以内)
_FLOOR_ASKED, _FLOOR, _FLOOR_AFTER = r"(?:最少|最低|起码|至少)", r"不得低于|不低于|不得少于|不少于|至少", r"以上"
_CAP_ASKED, _CAP, _CAP_AFTER = r"(?:最多|最长|最高|顶多)", r"不得超过|不超过|不得多于|不多于|最长|以内", r"以下|以内"
# (what the question asks, what its answer looks like), first match wins
_RULES: tuple[tuple[str, str], ...] = (
    (r"(?<!哪)几点(?!意见|建议|要求|看法|体会)|时间段|什么时段", rf"{_NUMBER}(?:点|时)"),
    (r"哪一?天|几月几[日号]|几号|什么日子", rf"{_NUMBER}月(?:{_NUMBER}[日号]|{_WEEKDAY})"),
    # how often (多久…一次): 每年, 每半年, 每隔2天, a period (考核周期为三年), N年一次
    (
        r"(?:多久|多长时间|几年|几个月|几天|多少天)(?:要|需要|得|应当|就)?[^，。？]{0,10}一次",
        rf"每(?:隔)?(?:{_NUMBER}|半)?个?(?:年|季度|月|周|星期|天|日)|周期为?{_NUMBER}{_DURATION}|{_NUMBER}{_DURATION}一次",
    ),
    (r"多久|多长时间|多长期限|多少时间", rf"{_NUMBER}{_DURATION}"),
    (rf"(?:几|多少)({_DURATION})", rf"{_NUMBER}{{unit}}"),
    (r"多大(?:的孩子|年龄|岁数)|几岁|多少岁", rf"{_NUMBER}(?:周岁|岁)"),
    (r"多快|多慢|时速多少|多少码", rf"(?:时速|每小时){_NUMBER}|{_NUMBER}(?:公里|千米)(?:/|每)?(?:小时|时)"),
    (r"多少钱|罚多少|罚款多少|多少元|多少万", rf"{_NUMBER}(?:万元|元)"),
    (r"百分之几|多少比例|比例是多少|多少成", rf"{_NUMBER}%|百分之{_NUMBER}|{_NUMBER}成"),
    (rf"(?:几|多少)({_MEASURE})", rf"{_NUMBER}{{unit}}"),
    # a floor or a cap asked for (最少得给多少, 最多能延长几天): the bound a rule sets (不得低于…, 不超过…)
    (rf"{_FLOOR_ASKED}[^，。？]{{0,8}}(?:多少|几)", _FLOOR),
    (rf"{_CAP_ASKED}[^，。？]{{0,8}}(?:多少|几|多久|多长)", _CAP),
    # what follows a breach: a penalty (罚款, 吊销, 责令…), as the 法律责任 articles of a law state it
    (
        r"什么处罚|怎么处罚|如何处罚|怎么罚|罚多少|怎么处理|如何处理|什么后果|什么责任|会怎样|会怎么样",
        r"罚款|处以|没收|吊销|责令|拘留|追究.{0,6}责任",
    ),
    # whether a law covers a case (管不管电子烟, 算不算医疗事故): the article saying what it applies to or means
    (r"管不管|适不适用|适用不适用|算不算|包不包括|属不属于|归不归", r"适用|所称|是指|包括|属于"),
    # what a word means: the sentence that defines it (本法所称夜间，是指…)
    (r"是指|指的是|指什么|什么意思|含义|定义|所称", r"所称|是指|系指|指的是|的含义"),
    # when (什么时候, 哪一年), no finer unit asked above: a year (一九九七年 reads 1997年), a month, a century, a decade
    (r"什么时间|什么时候|何时|哪一年|哪年|几时", r"\d{3,4}年|\d{1,2}月|世纪|年代"),
)
# the kinds a class divides into: the sentence that divides it (甲类传染病是哪几种 -> 甲类传染病是指：鼠疫、霍乱),
# the one look a list question's answer has (its items are no one figure)
_KINDS: tuple[tuple[str, str], ...] = (
    (r"(?:是|有|包括|分为|分成)哪(?:几|些)(?:种|类|级|个)?$|包括哪些|分为哪|分成哪", r"是指|包括|分为|分成|系指"),
)


# compiled once: every question is tried against each rule in turn
_COMPILED = tuple((re.compile(asked), answer) for asked, answer in _RULES)
_COMPILED_KINDS = tuple((re.compile(asked), answer) for asked, answer in _KINDS)


# a question speaking of a sanction or what follows a breach (被吊了, 罚, 处分, 会怎么样), not only of what a rule says
_CONSEQUENCES = re.compile(r"罚|处分|责任|后果|违法|违反|追究|吊|处理|怎么样|会怎样|拘留|赔偿|撤销")


# a question asking how a text characterizes something (怎么定位劳务派遣, 如何评价…, 对…的历史地位怎么定位): the
# sentence saying what it is (劳务派遣用工是补充形式), its subject at most SUBJECT_REACH characters before 是
_CHARACTERIZE = re.compile(r"(?:怎么|怎样|如何)(?:定位|概括|评价|表述|看待)|定位是什么|什么定位|什么地位")
SUBJECT_REACH = 6


def characterization(question_norm: str, topics: Sequence[str]) -> re.Pattern[str] | None:
    """For a question asking how something is characterized, what the answer looks like in a passage's matching form:
    its subject (the question's two longest topics) saying what it is; else None.

    >>> said = characterization("劳动合同法怎么定位劳务派遣这种用工", ["劳务", "派遣", "劳务派遣", "用工"])
    >>> said.search("劳务派遣用工是补充形式") is not None, said.search("劳务派遣单位应当履行下列义务") is None
    (True, True)
    """
    if not _CHARACTERIZE.search(question_norm):
        return None
    subjects = sorted((t for t in topics if len(t) >= 2), key=len, reverse=True)[:2]
    if not subjects:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, subjects)) + rf").{{0,{SUBJECT_REACH}}}?是")


SLOT_REACH = 3  # characters between the word before the question word and the answer (有效期为6年)


def answer_slot(
    question_norm: str, asking: Sequence[tuple[int, int]], topics: Sequence[str], look: re.Pattern[str]
) -> re.Pattern[str] | None:
    """Where the answer stands: the topic right before the question word (at most two characters before it), then
    the look asked for within SLOT_REACH characters, as a rule states it (有效期是几年 -> 有效期为6年, not a passage
    naming 6年有效期内 in passing); None when no topic stands right before the question word.

    >>> slot = answer_slot("驾驶证有效期是几年", [(7, 9)], ["驾驶证", "有效期"], expects("驾驶证有效期是几年"))
    >>> slot.search("机动车驾驶证的有效期为6年") is not None, slot.search("在机动车驾驶证的6年有效期内") is None
    (True, True)
    """
    if not asking:
        return None
    start = min(a for a, _ in asking)
    before = [
        t for t in topics if len(t) >= 2 and (at := question_norm.rfind(t, 0, start)) >= 0 and start - at - len(t) <= 2
    ]
    if not before:
        return None
    return re.compile(re.escape(max(before, key=len)) + rf".{{0,{SLOT_REACH}}}(?:{look.pattern})")


def asks_consequences(question_norm: str) -> bool:
    """Whether a question (matching form) asks about a sanction or what follows a breach.

    >>> asks_consequences("护士证被吊了,隔多久才能再申请注册"), asks_consequences("农民工工资能不能拿实物顶替")
    (True, False)
    """
    return bool(_CONSEQUENCES.search(question_norm))


# the chapter of a law stating what follows a breach (法律责任), its title right before an article's number in the
# matching form of a passage under it (headings, then text, punctuation and spaces left out)
_PENALTY_CHAPTER = re.compile(r"法律责任第(?:[零〇一二两三四五六七八九十百千]{1,8}|\d{1,4})条")


def under_penalties(bare_text: str) -> bool:
    """Whether a passage (matching form without punctuation, its headings first) is an article of a law's chapter on
    penalties (第六章 法律责任 第五十四条 有下列情形之一的…罚款): the answer to a question asking about consequences,
    and seldom to one asking what the rule is.

    >>> under_penalties("第六章法律责任第五十四条有下列情形之一的"), under_penalties("第十一条依法承担法律责任")
    (True, False)
    """
    return bool(_PENALTY_CHAPTER.search(bare_text))


@lru_cache(maxsize=1024)
def expects(question: str, items: bool = False) -> re.Pattern[str] | None:
    """The pattern an answer to `question` matches in a passage's matching form, or None when the question does not
    say what its answer looks like; for a question asking for `items`, only the kinds a class divides into."""
    norm = re.sub(r"[\W_]+", "", normalize(question))
    for asked, answer in _COMPILED_KINDS if items else _COMPILED:
        if m := asked.search(norm):
            # 多少个小时 is answered in 小时 (三十六小时); a count keeps its measure (多少个 -> 三个)
            unit = m.group(1) if m.groups() and m.group(1) else ""
            unit = re.escape(unit[1:] if len(unit) > 1 and unit[0] == "个" else unit)
            return re.compile(_bounded(norm, answer.replace("{unit}", unit)) if not items else answer)
    return None


def _bounded(norm: str, answer: str) -> str:
    """The look of a figure asked with a bound (最低要开多快, 最多放几天): the figure as a rule bounds it
    (不得低于每小时60公里, 不得超过14日, 三名以上), not any figure of that unit (车速不得超过每小时20公里 is a cap)."""
    if answer in (_FLOOR, _CAP):
        return answer
    for asked, before, after in ((_FLOOR_ASKED, _FLOOR, _FLOOR_AFTER), (_CAP_ASKED, _CAP, _CAP_AFTER)):
        if re.search(asked, norm):
            return rf"(?:{before}).{{0,8}}?(?:{answer})|(?:{answer}).{{0,3}}(?:{after})"
    return answer


def holds(pattern: re.Pattern[str], text: str, asked: str) -> bool:
    """Whether `text` (matching form) holds an answer of that look the question (`asked`, matching form) does not."""
    return any(m.group(0) not in asked for m in pattern.finditer(text))
