"""Which document of a series a text is: its year, region, issuer and kind (a document's facets).

Archives are series of look-alike documents (every year's report, every province's report), and the words
that tell them apart are in the title, the date and the opening lines, not in the passages. Found at index
time from those (`document_facets`), overridden by a sidecar's "year", "region", "issuer" and "kind"; read
back for questions by retrieval/answering/scope.py. The words, and the readers both sides share, are in
retrieval/core/names.py and data/facets.txt.

A document of a kind that reviews one year and plans the next (a government work report, a work conference,
a speech at one) speaks for its title's year and looks back on the year before; without a year in the title,
a document dated January to September plans its own year, one dated October to December the next.

>>> f = document_facets("2025年广西政府工作报告", "2025", ["2025年1月13日在广西壮族自治区第十四届人民代表大会"
...     "第三次会议上", "现在，我代表自治区人民政府，向大会报告政府工作"])
>>> f.region, f.year, f.reviews, f.kind, f.issuer
('广西壮族自治区', 2025, 2024, '政府工作报告', '广西壮族自治区人民政府')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..core.calendar import OfficialName, find_names, held_in, outgoing_congress
from ..core.hanzi import ends_sentence
from ..core.meetings import find_speakers, meeting_phrases
from ..core.models import Facets
from ..core.names import find_issuer, find_kind, named_years, whose_regions, words
from ..core.regions import Region, region_named
from ..core.text import normalize
from ..core.titles import cited_statutes, read_title, title_forms
from ..core.versions import amendments

OPENING_LINES = 6  # lines after the title read for the kind, the region and the issuer (会议, 署名, 发文机关)
BODY_LEVEL_WORDS = {"全省": 1, "我省": 1, "全市": 2, "我市": 2, "全县": 3, "我县": 3, "全区": 3, "我区": 3}


def _heading_kind(lines: Sequence[str]) -> str | None:
    """The kind an opening line names as its own: one ending in the kind word (政府工作报告, 在…会议上的讲话), or a
    meeting's report line (山西省医改工作电视电话会议在太原召开). A kind word in passing (决定, 计划) says nothing."""
    w = words()
    for line in lines:
        norm = re.sub(r"[\W_]+$", "", normalize(line))
        for kind in w.kinds:
            if kind not in norm:  # the common case, and the pattern below needs the word itself
                continue
            if norm.endswith(kind) or re.search(rf"{kind}(在.{{2,12}})?({'|'.join(w.venue_after)})", norm):
                return kind
    return None


def document_facets(
    title: str,
    date: str | None,
    opening: Sequence[str],
    body: Sequence[str] = (),
    sidecar: dict | None = None,
    *,
    subtitle: str | None = None,
    speaker: str | None = None,
) -> Facets:
    """A document's facets from its title (and subtitle), date, first lines and body, a sidecar's values first.

    Year and region are found only in a dated document of a recognised kind (a report, a meeting, a speech, a
    notice…) or one naming the meeting it belongs to: an encyclopaedia article titled by its subject (广州,
    2008年夏季奥运会) is no member of a series.
    """
    side = sidecar or {}
    lines = list(opening[:OPENING_LINES])
    heads = [t for t in (title, subtitle) if t]
    head = "\n".join(lines)
    statute = read_title(title).kind
    amended = amendments(body) if statute else []
    date = date or (amended[-1] if amended else None)  # an undated law: the version its own record states
    kind = (
        side.get("kind")
        or statute
        or find_kind(title, last=True)
        or (find_kind(subtitle, last=True) if subtitle else None)
        or _heading_kind(lines)
    )
    own = _given_names(side.get("names")) or own_names(heads, lines)
    meeting = side.get("meeting") or own_meeting(heads, lines)
    year, reviews, held = _years_of(side, title, date, kind, meeting, own)
    if not kind and not side.get("year") and not own:
        year = reviews = held = None
    # an official document is dated: a text of no date and no year (an encyclopaedia article) is no series member
    region = _region_of(side.get("region"), title, head, body) if year or statute or side.get("region") else None
    issuer = side.get("issuer") or (
        (find_issuer(title, region) or find_issuer(head, region, national=region is None or region.level == 0))
        if kind
        else None
    )
    names = [n.name for n in own] + [n.name for n in _given_at(kind, region, year)]
    speakers = find_speakers("\n".join([*heads, *lines])) + ([speaker] if speaker else [])
    return Facets(
        region=region.name if region else None,
        region_code=region.code if region else None,
        year=year,
        reviews=reviews,
        held=held,
        issuer=issuer,
        kind=kind,
        kinds=_kinds(kind, meeting, own),
        meeting=meeting,
        names=list(dict.fromkeys(names)),
        speakers=list(dict.fromkeys(_listed(side.get("speakers")) or speakers)),
        titles=title_forms(title),
        statute=statute,
        amended=amended,
        cites=list(dict.fromkeys(c for para in body for c in cited_statutes(normalize(para)))),
    )


_MENTION_AFTER = re.compile(
    r"^(?:和|及|与|、)?.{0,12}?(?:精神|以来|之后|以后|前后|期间|决策|部署|提出|确定|作出|通过的|要求)"
)
_REPORTED = re.compile(r"^(?:在.{1,12})?(?:召开|举行|开幕|闭幕)")  # …会议在北京召开: news of it
_OPENS_WITH = re.compile(r"^(?:中国共产党|中共|党的)第")  # a report opens with its congress's formal name, in full
# what may stand before a meeting's name where a line says the document was given at it or reports it: a date
# (1957年6月26日在第一届全国人民代表大会第四次会议上; 1月22日至23日,2024年全国中医药局长会议在京召开)
_DATELINE = re.compile(r"^[—-]*(?:[\d〇零一二三四五六七八九十]+[年月日]|至|[,、(\s])*在?$")


def _listed(value: str | list | None) -> list[str]:
    """A sidecar's list, given as a list or as words separated by 、 or commas."""
    items = value if isinstance(value, list) else re.split(r"[、,，;；\s]+", value or "")
    return [str(v).strip() for v in items if str(v).strip()]


def _given_names(value: str | list | None) -> list[OfficialName]:
    """The official names a sidecar gives (十九大, 十三届全国人大二次会议), as read."""
    return [n for item in _listed(value) for n in find_names(normalize(item))]


def own_names(heads: Sequence[str], lines: Sequence[str]) -> list[OfficialName]:
    """The official names a document goes by as its own, not in passing: any in its title or subtitle but one
    whose spirit or aftermath it speaks of (学习贯彻党的二十大精神); in its opening lines one it was given at (在…上,
    向…作报告), one it reports (…在北京召开) or one opening a line (中国共产党第十六次全国代表大会，是…), and the
    congress a Central Committee reports to (我代表第十八届中央委员会向大会作报告: 党的十九大)."""
    titled: list[OfficialName] = []
    for text in heads:
        norm = normalize(text)
        titled += [n for n in find_names(norm) if not _MENTION_AFTER.match(norm[n.end :])]
    outgoing: list[OfficialName] = []
    opening: list[OfficialName] = []
    for line in rejoined(lines):
        norm = normalize(line)
        for n in find_names(norm):
            if _given_at_line(norm, n.start, n.end):
                opening.append(n)
        if (reported_to := outgoing_congress(norm)) is not None:
            outgoing.append(reported_to)
    # one meeting of each family is the document's: what its title says, else whom its Central Committee reports
    # to, else the first its opening lines were given at (the 13th congress's report opens on the 12th's record)
    own: dict[str, OfficialName] = {}
    for n in titled + outgoing + opening:
        own.setdefault(n.family, n)
    return list(own.values())


WRAPPED = 30  # characters of a short line wrapped onto the next (——2026年1月26日在广东省第十四届 / 人民代表大会…)


def rejoined(lines: Sequence[str]) -> list[str]:
    """Opening lines with a short line that stops mid-phrase joined to the short line after it: a date line set on two
    lines (——2026年1月26日在广东省第十四届 / 人民代表大会第五次会议上) is read as one."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if prev and len(prev) <= WRAPPED and len(line) <= WRAPPED and not ends_sentence(normalize(prev)):
            out[-1] = prev + line.strip()
        else:
            out.append(line.strip())
    return out


def own_meeting(heads: Sequence[str], lines: Sequence[str]) -> str | None:
    """The meeting a document is of or was given at: the first one its title names (在…会议上的讲话, …会议在北京召开,
    …会议部署…), else one an opening line says it was given at or reports (在…上, …在太原召开)."""
    for text in heads:
        phrases = meeting_phrases(text)
        if phrases:
            return phrases[0]
    for line in rejoined(lines):
        norm = normalize(line)
        for phrase in meeting_phrases(norm):
            at = norm.find(phrase)
            if _given_at_line(norm, at, at + len(phrase)):
                return _TIME_BEFORE.sub("", phrase)
    return None


_TIME_BEFORE = re.compile(r"^(?:\d{1,2}月\d{1,2}日(?:至\d{1,2}日)?)")


def _given_at_line(norm: str, start: int, end: int) -> bool:
    """Whether an opening line says the document was given at the meeting named at norm[start:end] or reports it: a
    dateline (…年…月…日在…会议上), a news lead (…日,…会议在京召开), a report made to it (向…会议作…报告) or a
    congress report's first words (中国共产党第十六次全国代表大会，是…). A meeting named further into a sentence is
    one spoken of."""
    after = norm[end:]
    if _MENTION_AFTER.match(after):
        return False
    if start == 0 and _OPENS_WITH.match(norm) and after[:1] in ",是将在于":
        return True
    lead = norm[:start]
    if lead.endswith("向") and after.startswith("作"):  # 向第二届全国人民代表大会第一次会议作政府工作报告
        return True
    return bool(_DATELINE.match(lead)) and (
        lead.endswith("在") and after.startswith("上") or bool(_REPORTED.match(after))
    )


def _given_at(kind: str | None, region: Region | None, year: int | None) -> list[OfficialName]:
    """The session a national government work report was given at, by its year (the report of 2019 at the
    十三届全国人大二次会议): named by it even where it never prints it."""
    if kind == "政府工作报告" and region is not None and region.level == 0 and year is not None:
        return held_in(year, ("npc",))
    return []


def _kinds(kind: str | None, meeting: str | None, own: Sequence[OfficialName]) -> list[str]:
    """Every kind a document answers to: its own, its meeting's (a speech at a work conference is a 工作会议
    document; any meeting's report or speech is a 会议 one), a congress's (党代会, 代表大会) and, for each, the
    shorter kinds it ends in (政府工作报告 is a 工作报告 and a 报告)."""
    found = [k for k in (kind, find_kind(meeting, last=True) if meeting else None) if k]
    # the annual meeting of a field's heads is its work conference (全国中医药局长会议)
    found += ["工作会议" for k in found if k in words().plans_ahead and k.endswith("会议")]
    if meeting:
        found += ["工作会议", "会议"] if _work_conference(meeting) else ["会议"]
    if any(n.family == "congress" for n in own):
        found += ["党代会", "代表大会", "会议"]
    if any(n.family == "plenum" for n in own):
        found += ["全会", "会议"]
    every = words().kinds
    return list(dict.fromkeys(w for k in found for w in (k, *(w for w in every if k.endswith(w) and w != k))))


def _region_of(given: str | None, title: str, head: str, body: Sequence[str]) -> Region | None:
    if given:
        return region_named(given) or Region("", given, 2)
    found = whose_regions(title)
    if found:
        return _by_body_level([m.region for m in found], body)
    # the opening lines name many places in passing: only one at the level the body speaks as (全市, 我省) counts
    level = body_level(body)
    opening = next((m.region for m in whose_regions(head) if level is None or m.region.level == level), None)
    return opening or _most_named(body, level)


DOMINANT = 3  # times a division must outnumber the next of its level to be the one a text speaks for


def _most_named(body: Sequence[str], level: int | None) -> Region | None:
    """The division of the level a body speaks as that it names far more often than any other (a provincial report
    titled only 2026年政府工作报告 names its province dozens of times)."""
    if level is None:
        return None
    counts = Counter(m.region for para in body for m in whose_regions(para) if m.region.level == level)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < DOMINANT:
        return None
    return ranked[0][0] if len(ranked) == 1 or ranked[0][1] >= DOMINANT * ranked[1][1] else None


def _by_body_level(candidates: list[Region], body: Sequence[str]) -> Region:
    """Of the divisions a title names (太原市 … 山西省), the one whose level the body speaks as (全市, 我省); else the
    first."""
    if len(candidates) == 1:
        return candidates[0]
    level = body_level(body)
    return next((r for r in candidates if r.level == level), candidates[0])


def body_level(body: Sequence[str]) -> int | None:
    """The level a document speaks as, by its most frequent 全省/我省 (1), 全市/我市 (2), 全县/全区 (3); None
    without any."""
    counts = dict.fromkeys(range(1, 4), 0)
    for para in body:
        norm = normalize(para)
        for word, level in BODY_LEVEL_WORDS.items():
            counts[level] += norm.count(word)
    level = max(counts, key=lambda lv: counts[lv])
    return level if counts[level] else None


def _years_of(
    side: dict, title: str, date: str | None, kind: str | None, meeting: str | None, own: Sequence[OfficialName]
) -> tuple[int | None, int | None, int | None]:
    """The year a document speaks for, the year it looks back on, and the year it was held or issued.

    A congress report or a plenum speaks for the year it was held. Else the title's year; else the date's, and a
    document of a kind that plans ahead (a work conference, a government work report, a speech at one) held in
    October to December speaks for the next year too, looking back on the year it was held in."""
    w = words()
    date_year = int(date[:4]) if date and date[:4].isdigit() else None
    month = int(date[5:7]) if date and len(date) >= 7 and date[5:7].isdigit() else 0
    by_name = next((y for n in own if n.family in ("congress", "plenum", "npc", "cppcc") for y in n.years), None)
    held = int(side["held"]) if side.get("held") else (date_year or by_name)
    congress = any(n.family in ("congress", "plenum") for n in own)
    if side.get("year"):
        year = int(side["year"])
    elif congress and held:
        return held, None, held
    elif years := named_years(title):
        year = years[0]
    elif date_year:
        year = date_year + (1 if month >= 10 and _plans_ahead(kind, meeting) else 0)
    elif by_name:
        year = by_name
    else:
        return None, None, held
    if kind in w.retrospective:
        return year, year, held
    return year, (year - 1 if kind in w.annual else None), held


def _plans_ahead(kind: str | None, meeting: str | None) -> bool:
    """A work conference, a government work report, a speech or news of a work conference: what is held late in a
    year deploys the next year's work."""
    if kind in words().plans_ahead:
        return True
    return bool(meeting) and (
        _work_conference(meeting or "") or find_kind(meeting or "", last=True) in words().plans_ahead
    )


def _work_conference(meeting: str) -> bool:
    """医改工作电视电话会议, 全国卫生健康工作会议: a meeting on a field's work of the year, whatever else its name
    says."""
    norm = normalize(meeting)
    return "工作" in norm and norm.endswith("会议")
