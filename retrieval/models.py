"""The data that crosses module boundaries: documents, chunks, hits and answers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Document(BaseModel):
    """One source file of the corpus, with the metadata found in it (or in its sidecar)."""

    id: str = Field(description="path relative to the corpus folder, with forward slashes")
    path: str = Field(description="the file's path as given to the loader")
    title: str
    source: str | None = None
    author: str | None = None
    date: str | None = Field(default=None, description="ISO date, possibly partial: 2024-01-24, 2024-01 or 2024")
    url: str | None = None
    excerpt: bool = Field(default=False, description="the page says it shows only part of the text")
    sha256: str = ""
    aliases: list[tuple[str, str]] = Field(default=[], description="(short, long) forms the text defines: (以下简称…)")

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


class Paragraph(BaseModel):
    """A paragraph of cleaned body text with the headings it sits under."""

    text: str
    headings: list[str] = []
    kind: Literal["body", "outline"] = "body"


class Chunk(BaseModel):
    """A retrievable unit: one paragraph, or one part of a long paragraph."""

    id: int = -1
    doc_id: str
    paragraph: int = Field(description="1-based number of the paragraph in the cleaned document")
    part: int = Field(default=0, description="0 for a whole paragraph, else the 1-based part of a split one")
    text: str = Field(description="display text: original script, annotations and furniture removed")
    headings: list[str] = []
    kind: Literal["body", "outline"] = "body"
    years: list[int] = Field(default=[], description="years it speaks of (named, or relative to its document's date)")

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
    terms: list[str] = Field(default=[], description="normalized query terms found in the chunk")


class Span(BaseModel):
    """Character offsets [start, end) on a display text."""

    start: int
    end: int


class Passage(BaseModel):
    """A quoted passage as front ends show it."""

    text: str
    highlights: list[Span] = []
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
    highlights: list[Span] = []
    passage: int = Field(description="index into Answer.passages")
    citation: str


class Answer(BaseModel):
    """What every front end renders for one question."""

    question: str
    status: Literal["answered", "weak", "none"]
    lead: Lead | None = None
    passages: list[Passage] = []
    suggestions: list[str] = Field(default=[], description="indexed topics close to the question, when nothing matched")
