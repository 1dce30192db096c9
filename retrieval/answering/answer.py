"""The template answerer: (question, hits) -> Answer. Pure: no I/O, nothing generated.

Every word it shows as the corpus's is the corpus's: the lead (see lead.py) is a sentence of a passage, in
the question's script; passages are quoted as written, with matched terms marked as spans for each front end
to render its own way.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ..core.cite import reference, short_citation
from ..core.highlight import highlight, trim_around_best
from ..core.models import Answer, Comparison, Coverage, Hit, Listing, ListItem, Passage
from .lead import LEAD_FROM, choose_lead
from .query import Query


def answer(
    query: Query,
    hits: list[Hit],
    *,
    cited: dt.date,
    k: int = 3,
    max_chars: int | None = None,
    suggestions: list[str] | None = None,
    lead_first: bool = False,
) -> Answer:
    """Build the answer to `query` from ranked `hits` (best first); `cited` is the date of citing.

    The lead is sought in the best passages even when only one is shown (k=1, as in groups); the
    passage it comes from is then the one shown, so a lead is always quoted from a passage on screen. With
    `lead_first` (the passages are of the one document the question names, look-alike paragraphs of which BM25
    barely tells apart) the lead's passage is shown first wherever it ranked.
    """
    if not hits:
        return Answer(question=query.text, status="none", suggestions=suggestions or [])
    terms = matched_terms(query, hits)
    passages = [passage_of(h, terms, cited, max_chars) for h in hits[: max(k, LEAD_FROM)]]
    # the best passage may rank first without covering enough of the question to answer it: it is shown as
    # possibly relevant, without a lead
    status: Literal["answered", "weak"] = "answered" if hits[0].answers else "weak"
    # the lead is quoted from the first passage's document, never from another one shown under it
    own = [i for i, p in enumerate(passages[:LEAD_FROM]) if p.doc.id == passages[0].doc.id]
    found = choose_lead(query, [passages[i] for i in own], terms) if status == "answered" else None
    if found is not None:
        found.passage = own[found.passage]
    if found is not None and (found.passage >= k or (lead_first and found.passage > 0)):
        passages.insert(0, passages.pop(found.passage))
        found.passage = 0
    return Answer(question=query.text, status=status, lead=found, passages=passages[:k])


def matched_terms(query: Query, hits: list[Hit]) -> dict[str, float]:
    """Query terms that occur in the hits, with their weights (idf, synonyms discounted)."""
    found = {t for h in hits for t in h.terms}
    return {t: w for t, w in query.weights.items() if t in found}


def passage_of(hit: Hit, terms: dict[str, float], cited: dt.date, max_chars: int | None) -> Passage:
    text, trimmed = hit.chunk.quoted, False
    if max_chars and len(text) > max_chars:
        text, trimmed = trim_around_best(text, terms, max_chars), True
    return Passage(
        text=text,
        highlights=highlight(text, terms),
        trimmed=trimmed,
        chunk_id=hit.chunk.id,
        paragraph=hit.chunk.paragraph,
        score=hit.score,
        coverage=hit.coverage,
        value=hit.value,
        doc=hit.doc,
        citation=short_citation(hit.doc, hit.chunk),
        reference=reference(hit.doc, cited, str(hit.chunk.page) if hit.chunk.page else None),
    )


NEARBY_SHOWN = 20  # regions listed when the one asked about is missing; more are counted


def coverage_note(coverage: Coverage | None) -> str | None:
    """What an answer says first of the documents its question names: that one is missing, and what there is
    instead; that a relative year has no document yet; that the named documents do not hold the answer."""
    if coverage is None:
        return None
    kind = coverage.kind or "文件"
    if "region" in coverage.missing and "year" in coverage.missing:  # 江西省2026年, where 2025's and others' are held
        has = f"{';'.join(coverage.nearby)}。" if coverage.nearby else ""
        return f"语料中没有{coverage.missing['region']}{coverage.missing['year']}年的{kind}。{has}"
    if "region" in coverage.missing:
        shown = coverage.nearby[:NEARBY_SHOWN]
        more = f"等{len(coverage.nearby)}个" if len(coverage.nearby) > NEARBY_SHOWN else ""
        has = f"有:{'、'.join(shown)}{more}。" if shown else ""
        return f"语料中没有{coverage.missing['region']}的{kind}。{has}"
    if "issuer" in coverage.missing:
        has = f"有:{'、'.join(coverage.nearby[:NEARBY_SHOWN])}。" if coverage.nearby else ""
        return f"语料中没有{coverage.missing['issuer']}的文件。{has}"
    if "meeting" in coverage.missing:  # 江苏省医改工作电视电话会议, where the corpus has 山西's
        has = f"有:{'、'.join(coverage.nearby[:NEARBY_SHOWN])}。" if coverage.nearby else ""
        return f"语料中没有{coverage.missing['meeting']}的文件。{has}"
    if "name" in coverage.missing:  # 党的八大, 七届全国人大三次会议
        has = f"有{'和'.join(coverage.nearby)}的。" if coverage.nearby else ""
        return f"语料中没有{coverage.missing['name']}的{kind}。{has}"
    if "year" in coverage.missing:
        has = f"有{'和'.join(coverage.nearby)}的。" if coverage.nearby else ""
        return f"语料中没有{coverage.missing['year']}年的{kind}。{has}"
    if "title" in coverage.missing:  # 工会法; 北京市劳动合同条例, where other regions' are held
        has = f"有相关的{'、'.join(coverage.nearby[:NEARBY_SHOWN])}。" if coverage.nearby else ""
        return f"语料中没有《{coverage.missing['title']}》。{has}"
    if "version" in coverage.missing:  # 2015年修正的高等教育法, where only 2018's is held
        return f"语料中没有{coverage.missing['version']}。有{'、'.join(coverage.nearby)}。"
    if "article" in coverage.missing:  # 劳动合同法第一百二十条
        return f"{'；'.join(coverage.nearby)},没有{coverage.missing['article']}。"
    if coverage.fallback_year is not None:
        return f"语料中还没有{coverage.asked_year}年的文件,以下按最新的{coverage.fallback_year}年的文件回答。"
    if coverage.outside:
        return f"{coverage.outside}的文件中没有找到,以下是其他文件中的相关段落。"
    if coverage.version and len(coverage.versions) > 1:
        held = "、".join(coverage.versions)
        return f"语料中有这份文件的{len(coverage.versions)}个版本({held}),以下引用{coverage.version}的版本。"
    return None


def listing_heading(listing: Listing) -> str:
    """The line above a listed enumeration: how many items, and where they are."""
    return f"共{len(listing.items)}项,出自{listing.citation}:"


def item_head(item: ListItem) -> str:
    """A listed item's head without the comma its sentence goes on after (二是巩固深化医改成果,)."""
    return item.text.rstrip(",，、;；:：")


def item_line(number: int, item: ListItem, *, cited: bool = True) -> str:
    """A listed item as a line: its head and, when `cited`, its paragraph."""
    return f"{number}. {item_head(item)}" + (f"({item.citation})" if cited else "")


def comparison_heading(comparison: Comparison) -> str:
    """The count line above a comparison: 13份政府工作报告,12份提及。"""
    return f"{comparison.documents}份{comparison.kind},{len(comparison.rows)}份提及:"


def row_line(row_facet: str, text: str) -> str:
    return f"{row_facet}:{text}"


def missing_line(comparison: Comparison) -> str | None:
    return f"未提及:{'、'.join(comparison.missing)}" if comparison.missing else None


def asked_as_line(answer: Answer) -> str | None:
    """The line saying which question a follow-up was answered as: 按「四川今年GDP目标是多少」回答"""
    return f"按「{answer.asked_as}」回答" if answer.asked_as else None
