"""The data that crosses module boundaries: documents, chunks, hits and answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Facets(BaseModel):
    """Which document of a series this is: whose, which year's, by whom, of what kind, from which meeting: every name
    a user may call it by (retrieval/indexing/facets.py)."""

    region: str | None = Field(default=None, description="the division it speaks for, as listed: 山西省, 全国")
    region_code: str | None = Field(default=None, description="its six-digit code (100000 for 全国)")
    year: int | None = Field(default=None, description="the year it speaks for: a 2025 report plans 2025")
    reviews: int | None = Field(default=None, description="the year it looks back on: a 2025 report reviews 2024")
    held: int | None = Field(default=None, description="the year it was held or issued (a meeting of 2020-12: 2020)")
    issuer: str | None = Field(default=None, description="the body it speaks for: 国务院, 四川省人民政府")
    kind: str | None = Field(default=None, description="政府工作报告, 工作会议, 讲话, 通知…")
    kinds: list[str] = Field(
        default_factory=list,
        description="every kind it answers to: a speech at a work conference is a 工作会议 document too",
    )
    meeting: str | None = Field(default=None, description="the meeting it is of or was given at: 全国卫生健康工作会议")
    names: list[str] = Field(
        default_factory=list, description="the official names it goes by: 党的十九大, 十三届全国人大二次会议, 十四五"
    )
    speakers: list[str] = Field(
        default_factory=list, description="who speaks in it, by its title and opening: 林武, 副市长"
    )
    titles: list[str] = Field(
        default_factory=list,
        description="the forms a question names it by its title in: 劳动合同法, 义务教育法实施办法",
    )
    statute: str | None = Field(default=None, description="the kind of law or regulation it is: 法, 条例, 实施办法")
    amended: list[str] = Field(
        default_factory=list, description="the dates (ISO) its text records it adopted and amended on"
    )
    cites: list[str] = Field(
        default_factory=list, description="the laws and regulations it cites by title: 传染病防治法"
    )

    def years(self) -> list[int]:
        return sorted({y for y in (self.year, self.reviews) if y is not None})

    def named_years(self) -> set[int]:
        """The years it is named by: the year it was held and the year it plans (never the one it reviews)."""
        return {y for y in (self.year, self.held) if y is not None}


class Document(BaseModel):
    """One source file of the corpus, with the metadata found in it (or in its sidecar)."""

    id: str = Field(description="path relative to the corpus folder, with forward slashes")
    path: str = Field(description="the file's path as given to the loader")
    title: str
    source: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="ISO date, possibly partial: 2024-01-24, 2024-01 or 2024")
    url: str | None = None
    number: str | None = Field(default=None, description="an official document's 发文字号: 晋卫发〔2024〕12号")
    excerpt: bool = Field(default=False, description="the page says it shows only part of the text")
    scanned: bool = Field(default=False, description="its text was read from page images by OCR: check before citing")
    unread: str | None = Field(default=None, description="pages of a scan left unread, and why: 第301–500页:…")
    sha256: str = ""
    aliases: list[tuple[str, str]] = Field(
        default_factory=list, description="(short, long) forms the text defines: (以下简称…)"
    )
    articles: int | None = Field(default=None, description="the number of its last article, if written in articles")
    facets: Facets = Field(default_factory=Facets)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


class Paragraph(BaseModel):
    """A paragraph of cleaned body text with the headings it sits under."""

    text: str
    headings: list[str] = Field(default_factory=list)
    kind: Literal["body", "outline"] = "body"
    page: int | None = Field(default=None, description="the page it begins on, in a PDF or a scan")
    article: int | None = Field(default=None, description="the article it is (第三十九条: 39), with its 款 and 项")


class Chunk(BaseModel):
    """A retrievable unit: one paragraph, or one part of a long paragraph."""

    id: int = -1
    doc_id: str
    paragraph: int = Field(description="1-based number of the paragraph in the cleaned document")
    part: int = Field(default=0, description="0 for a whole paragraph, else the 1-based part of a split one")
    text: str = Field(description="display text: original script, annotations and furniture removed")
    headings: list[str] = Field(default_factory=list)
    kind: Literal["body", "outline"] = "body"
    years: list[int] = Field(
        default_factory=list, description="years it speaks of (named, or relative to its document's date)"
    )
    page: int | None = Field(default=None, description="the page it begins on, in a PDF or a scan")
    article: int | None = Field(default=None, description="the article it is or is part of (第三十九条: 39)")

    @property
    def quoted(self) -> str:
        """The passage as quoted: the innermost section heading, if any, on a line above the paragraph."""
        return f"{self.headings[-1]}\n{self.text}" if self.headings else self.text


class Hit(BaseModel):
    """A chunk returned by a search, with its BM25 score and how much of the question it covers."""

    chunk: Chunk
    doc: Document
    score: float
    coverage: float = Field(description="share of the question's IDF weight whose terms occur in the chunk")
    value: float = Field(default=0.0, description="what it was ranked by: BM25 x coverage x the re-rank's lifts")
    answers: bool = Field(default=True, description="it covers enough of the question to answer it")
    terms: list[str] = Field(default_factory=list, description="normalized query terms found in the chunk")


class Span(BaseModel):
    """Character offsets [start, end) on a display text."""

    start: int
    end: int


class Passage(BaseModel):
    """A quoted passage as front ends show it."""

    text: str
    highlights: list[Span] = Field(default_factory=list)
    trimmed: bool = False
    chunk_id: int
    paragraph: int
    score: float
    coverage: float = Field(default=0.0, description="share of the question's weight the passage holds")
    value: float = Field(default=0.0, description="what it was ranked by (0 when not ranked)")
    doc: Document
    citation: str
    reference: str


class Lead(BaseModel):
    """The sentence(s) that best answer the question, quoted from a passage."""

    text: str = Field(description="in the question's script")
    original: str = Field(description="as written in the source")
    highlights: list[Span] = Field(default_factory=list)
    passage: int = Field(description="index into Answer.passages")
    citation: str


class Coverage(BaseModel):
    """What the answer says of the documents the question names (a region, a year, a document of a series)."""

    missing: dict[str, str] = Field(
        default={}, description='what no document has: {"region": "天津"}, {"year": "1990"}'
    )
    nearby: list[str] = Field(
        default_factory=list, description="what the corpus has instead: regions, or the years on either side"
    )
    kind: str | None = Field(default=None, description="the kind of document missing (政府工作报告)")
    fallback_year: int | None = Field(default=None, description="今年 has no document: the newest year answered from")
    asked_year: int | None = None
    outside: str | None = Field(default=None, description="the named documents (山西省) did not hold it: from others")
    version: str | None = Field(default=None, description="the version answered from, of a document held in several")
    versions: list[str] = Field(default_factory=list, description="every version held of the document named")


class ListItem(BaseModel):
    """One item of a listed enumeration: its head as written (a heading, or its first sentence), its own passage
    (the paragraph it opens, or its part of one; none when the head is all of it) and where it is."""

    text: str
    passage: str | None = None
    chunk_id: int
    paragraph: int
    citation: str


class Listing(BaseModel):
    """A whole enumeration of one document, answering a question that asks for items."""

    intro: str | None = Field(default=None, description="the paragraph leading into the items, as written")
    items: list[ListItem]
    doc: Document
    citation: str = Field(description="the document and the paragraphs the enumeration spans")
    reference: str


class Row(BaseModel):
    """One document's answer in a comparison: its facet value, the clause that answers, where it is."""

    facet: str = Field(description="the region's short name or the year: 广东, 2023年")
    text: str = Field(description="the sentence of its best passage that answers, cut to the asked figure")
    chunk_id: int
    paragraph: int
    doc: Document
    citation: str


class Comparison(BaseModel):
    """A question naming a class (各省, 历年) answered once per document of it."""

    by: Literal["region", "year"]
    rows: list[Row]
    missing: list[str] = Field(default_factory=list, description="facet values of the documents that do not address it")
    documents: int = Field(description="documents of the class compared")
    kind: str = Field(default="文件", description="what the documents are: 政府工作报告")


class Answer(BaseModel):
    """What every front end renders for one question."""

    question: str
    status: Literal["answered", "weak", "none", "not_covered"]
    lead: Lead | None = None
    passages: list[Passage] = Field(default_factory=list)
    suggestions: list[str] = Field(
        default_factory=list, description="indexed topics close to the question, when nothing matched"
    )
    coverage: Coverage | None = Field(
        default=None, description="what the corpus has of the documents the question names"
    )
    comparison: Comparison | None = Field(default=None, description="one row per document, for 各省/历年 questions")
    asked_as: str | None = Field(
        default=None,
        description="the question answered, when a follow-up (四川呢?) was read as the previous one changed",
    )
    listing: Listing | None = Field(default=None, description="the whole enumeration, when the question asks for items")
    related: list[Passage] = Field(
        default_factory=list,
        description="passages of other documents, shown labelled when the named document is missing",
    )
