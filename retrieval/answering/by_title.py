"""The documents a question names by their title: 劳动合同法第三十九条, 上海的教师法实施办法, 控烟条例, 2018年版的国防
教育法, 《北京共产主义组织的报告》. The forms a title is named by are read at index time (core/titles.py); here they
are found in the question (the longest at each place: 高等教育法 is not 教育法), narrowed by the region it names,
and the version chosen (core/versions.py). What the question names and the corpus lacks is said, with evidence:
a law the corpus cites or the statute book lists but no document is (工会法), a region's regulation where only other
regions' are held (北京市劳动合同条例), a version not held (2015年修正的高等教育法), with what is held instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from ..core.models import Document
from ..core.regions import Region, region_named
from ..core.store import Index
from ..core.titles import (
    Mention,
    in_passing,
    initials_forms,
    law_spans,
    mentions,
    read_title,
    shortened,
    spelled_out,
    statute_book,
    statute_kind,
    unheld_law,
)
from ..core.versions import choose, version_label
from .query import Query
from .series import region_of


@dataclass(frozen=True)
class Titled:
    """What a question names by title: the documents (the version asked for), or what the corpus lacks of it."""

    docs: tuple[Document, ...] = ()
    named: str = ""
    """The documents as named in an answer: 《中华人民共和国劳动合同法》."""
    missing: dict[str, str] = field(default_factory=dict)
    """{"title": "工会法"}, {"title": "北京市劳动合同条例"}, {"version": "2015年的《高等教育法》"}."""
    nearby: tuple[str, ...] = ()
    """What the corpus holds instead: the related titles, the versions held."""
    related: frozenset[str] = frozenset()
    """Documents offered when the one named is missing: its 实施条例, another region's, another version."""
    version: str | None = None
    """The version answered from, when the document is held in several: 2024年9月13日."""
    versions: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()
    """The question's terms written only where it names the document (劳动, 合同 of 劳动合同法第三十九条…)."""


MIN_STATUTES = 3  # laws or regulations a corpus holds for a law it lacks to be said missing


@dataclass
class _Table:
    held: dict[str, list[str]]
    """Each form of a held title -> the documents it names."""
    short: dict[str, list[str]]
    """Each initials form (传防法) -> the documents it names; a held form of another document wins."""
    cited: frozenset[str]
    """Names of laws the documents cite."""
    statutes: int = 0
    """How many documents are laws or regulations: an archive of them is evidence for saying one is missing."""
    first: dict[str, list[str]] = field(default_factory=dict)
    """The held forms of laws by their first character, filled on first use."""

    @cached_property
    def known(self) -> frozenset[str]:
        """Names the corpus cites or the statute book lists that no document here is: in an archive of laws only
        (elsewhere a law named is never said missing, and the statute book is not even read)."""
        if self.statutes < MIN_STATUTES:
            return frozenset()
        return (self.cited | statute_book()) - frozenset(self.held)

    @cached_property
    def every(self) -> frozenset[str]:
        """Every name a question may give a document by: held, shortened, cited or listed."""
        return frozenset(self.held) | frozenset(self.short) | self.known


def _table(index: Index) -> _Table:
    """The title forms of the index's documents, found once per snapshot."""
    cached: dict[str, _Table] = index.__dict__.setdefault("_title_table", {})
    if "table" not in cached:
        held: dict[str, list[str]] = {}
        short: dict[str, list[str]] = {}
        cited: set[str] = set()
        # read from the stored facets, not built documents: a start-up's first question pays for this table
        read = index.documents.fields("facets.titles", "facets.cites", "facets.statute")
        for doc_id, titles in read["facets.titles"].items():
            for form in titles or ():
                held.setdefault(form, []).append(doc_id)
                for initials in initials_forms(form):
                    short.setdefault(initials, []).append(doc_id)
            cited.update(read["facets.cites"][doc_id] or ())
        short = {f: ids for f, ids in short.items() if f not in held}
        statutes = sum(1 for statute in read["facets.statute"].values() if statute)
        cached["table"] = _Table(held, short, frozenset(cited), statutes)
    return cached["table"]


# a law named as the document asked about, not one a question happens to contain: 《工会法》, 按传染病防治法, 工会法对…,
# 执业医师法第十四条, 劳动合同法里
_NAMED_BEFORE = re.compile(r"(?:按|按照|根据|依照|依据|对照|查)$")
_NAMED_AFTER = re.compile(r"^(?:第|规定|里|中|对|说|讲|要求|明确|怎么|有没有|是否|关于|条文|全文|原文|的规定)")


def _names_document(text: str, m: Mention, quoted: bool) -> bool:
    """The question names this title as the document to answer from (《工会法》, 按工会法, 工会法对…, 工会法第三条),
    not as a thing it asks about (what passages say of it)."""
    return quoted or bool(_NAMED_BEFORE.search(text[: m.start])) or bool(_NAMED_AFTER.match(text[m.end :]))


def by_title(index: Index, query: Query, today: dt.date) -> Titled | None:
    """The documents `query` names by title, or what it names that the corpus lacks; None when it names none."""
    table = _table(index)
    if not table.every:  # no document a title names, and no archive of laws: nothing to find
        return None
    text = spelled_out(query.norm)
    found = [m for m in mentions(text, table.every) if not in_passing(text, m.start, m.end)]
    held = [m for m in found if m.form in table.held or m.form in table.short]
    if held:
        first = held[0]
        docs = [index.documents[i] for i in table.held.get(first.form) or table.short[first.form]]
        if (kind := _IMPLEMENTING.match(text[first.end :])) and kind.group(0) not in first.form:
            named = text[first.start : first.end + len(kind.group(0))]
            if whole := _shortened(table, named):  # 药管法实施条例: 药品管理法实施条例, held
                return _narrowed(index, query, whole, [index.documents[i] for i in table.held[whole]], today)
            # 疫苗管理法实施条例, where only the law is held: another document, said missing, the law offered
            return _missing_title(index, first.form + kind.group(0), first.form, docs)
        ids = dict.fromkeys(i for m in held for i in table.held.get(m.form) or table.short[m.form])
        titled = _narrowed(index, query, first.form, [index.documents[i] for i in ids], today)
        return replace(titled, words=_words_inside(query, text, held))
    if table.statutes < MIN_STATUTES:  # no archive of laws: a law named is one asked about, never said missing
        return None
    quoted = {spelled_out(m.group(1)) for m in re.finditer(r"《([^》]+)》", query.norm)}
    for m in found:
        if _names_document(text, m, m.form in quoted):
            return _missing_title(index, m.form, m.form)
    for start, end in law_spans(text):  # 医保基金监管条例, 基卫法: a held title with words left out or cut short
        span = text[start:end]
        if span in table.known or in_passing(text, start, end):
            continue
        if short := _shortened(table, span):
            titled = _narrowed(index, query, short, [index.documents[i] for i in table.held[short]], today)
            return replace(titled, words=_words_inside(query, text, [Mention(span, start, end)]))
        if unheld_law(text, start, end) and _names_document(text, Mention(span, start, end), False):
            return _missing_title(index, span, span[:-1])  # 医疗保障法: no such law here; those of its words offered
    return None


def _words_inside(query: Query, text: str, found: list[Mention]) -> frozenset[str]:
    """The query's terms found in `text` only inside the mentions of the title."""
    inside = [False] * len(text)
    for m in found:
        inside[m.start : m.end] = [True] * (m.end - m.start)
    out = set()
    for term in query.terms:
        places = [m.start() for m in re.finditer(re.escape(term), text)]
        if places and all(all(inside[p : p + len(term)]) for p in places):
            out.add(term)
    return frozenset(out)


# a law's implementing regulation named after it: 疫苗管理法实施条例
_IMPLEMENTING = re.compile(r"^(?:实施条例|实施细则|实施办法)")


def _shortened(table: _Table, span: str) -> str | None:
    """The one held title form (of one document, or its versions) a span names with words left out or cut short
    (医保基金监管条例), if exactly one."""
    found = [f for f in _by_first(table).get(span[0], ()) if shortened(span, f)]
    return found[0] if len(found) == 1 else None


def _by_first(table: _Table) -> dict[str, list[str]]:
    """The held forms of laws and regulations by their first character."""
    if not table.first:
        for form in table.held:
            if statute_kind(form):
                table.first.setdefault(form[0], []).append(form)
    return table.first


def _narrowed(index: Index, query: Query, form: str, docs: list[Document], today: dt.date) -> Titled:
    """Of the documents a title form names, those of the region the question names (else the national ones, if
    any), each in the version it asks for."""
    asked = [r for r in query.named.regions if r.level > 0]
    if asked:
        fit = [d for d in docs if _within(d, asked)]
        if not fit:  # 上海控烟条例: 上海市公共场所控制吸烟条例, a longer title of that region
            fit = [d for d in index.documents.values() if _within(d, asked) and any(form in t for t in d.facets.titles)]
        if not fit:
            return _missing_title(index, f"{asked[0].name}{form}", form, docs)
    else:
        national = [d for d in docs if (r := region_of(d)) is None or r.level == 0]
        fit = national or docs
    groups: dict[tuple[str, str], list[Document]] = {}
    for doc in fit:
        groups.setdefault((doc.facets.region or "", read_title(doc.title).body), []).append(doc)
    chosen, missing = [], None
    for versions in groups.values():
        if len(versions) == 1 and not versions[0].facets.statute:  # a report's title: no versions to choose from
            chosen.append(versions[0])
            continue
        choice = choose(versions, query.named.years, query.named.version)
        if choice.doc is not None:
            chosen.append(choice.doc)
        elif missing is None:
            missing = (choice.missing, versions)
    if not chosen and missing is not None:
        when, versions = missing
        title = versions[-1].title
        held = tuple(f"{version_label(v)}的版本" for v in sorted(versions, key=lambda d: d.date or ""))
        return Titled(
            missing={"version": f"{when}的《{title}》"},
            nearby=held,
            related=frozenset(v.id for v in versions),
        )
    several = next((v for v in groups.values() if len(v) > 1), None) if len(chosen) == 1 else None
    return Titled(
        docs=tuple(chosen),
        named="、".join(f"《{d.title}》" for d in chosen),
        version=version_label(chosen[0]) if several else None,
        versions=tuple(version_label(v) for v in sorted(several, key=lambda d: d.date or "")) if several else (),
    )


def _within(doc: Document, asked: list[Region]) -> bool:
    """The document is of a region asked about, by its facets or its title's own region; or of no region known (not
    known to be another's)."""
    own = read_title(doc.title).region
    region = region_of(doc) or (region_named(own) if own else None)
    return region is None or any(region.within(a) for a in asked)


def _missing_title(index: Index, said: str, form: str, others: list[Document] | None = None) -> Titled:
    """A title the corpus holds no document of: said in the question's terms, with the documents whose titles hold
    it (its 实施条例, a 实施办法 of it) or, for a region's, the other regions' documents of that title."""
    related = others or [d for d in index.documents.values() if any(form in t and form != t for t in d.facets.titles)]
    return Titled(
        missing={"title": said},
        nearby=tuple(dict.fromkeys(f"《{d.title}》" for d in related)),
        related=frozenset(d.id for d in related),
    )
