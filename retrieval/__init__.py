"""Retrieval library: policy documents indexed with BM25, questions answered with quoted, cited passages.

A pure library: nothing here knows about Telegram. Three packages, whose names show who may import whom:
`retrieval.core` (shared by both sides), `retrieval.indexing` (files -> the index) and `retrieval.answering`
(question -> answer; never imports indexing). Front ends (bot/) import from here only: each name is loaded on
first use, so answering a question never loads the indexing code and `qabot search` starts without it:

    from retrieval import open_index, ask, user_message
    index, report = open_index(corpus, index_path)
    reply = ask(index, "岐黄工程是什么")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    # asking, and what an answer is made of
    "ask": "retrieval.answering.qa",
    "passages_for": "retrieval.answering.qa",
    "Reply": "retrieval.answering.qa",
    "locate": "retrieval.answering.quote",
    "QuoteSource": "retrieval.answering.quote",
    "Answer": "retrieval.core.models",
    "Comparison": "retrieval.core.models",
    "Document": "retrieval.core.models",
    "Facets": "retrieval.core.models",
    "Listing": "retrieval.core.models",
    "Passage": "retrieval.core.models",
    "Row": "retrieval.core.models",
    "Span": "retrieval.core.models",
    # an answer's lines, worded once for every front end
    "asked_as_line": "retrieval.answering.answer",
    "comparison_heading": "retrieval.answering.answer",
    "coverage_note": "retrieval.answering.answer",
    "item_head": "retrieval.answering.answer",
    "item_line": "retrieval.answering.answer",
    "listing_heading": "retrieval.answering.answer",
    "missing_line": "retrieval.answering.answer",
    "row_line": "retrieval.answering.answer",
    "display_date": "retrieval.core.cite",
    "locator": "retrieval.core.cite",
    "highlight": "retrieval.core.highlight",
    "trim_around_best": "retrieval.core.highlight",
    # the index and its corpus folder
    "open_index": "retrieval.indexing.build",
    "ocr_cache": "retrieval.indexing.build",
    "PageProgress": "retrieval.indexing.build",
    "BuildReport": "retrieval.indexing.conditions",
    "recorded_corpus": "retrieval.indexing.conditions",
    "Index": "retrieval.core.store",
    # text and names, read as the index reads them
    "CJK": "retrieval.core.text",
    "normalize": "retrieval.core.text",
    "domain_terms": "retrieval.core.tokenize",
    "load_dictionary": "retrieval.core.tokenize",
    "tokenize": "retrieval.core.tokenize",
    "find_names": "retrieval.core.calendar",
    "region_by_code": "retrieval.core.names",
    "Region": "retrieval.core.regions",
    "region_named": "retrieval.core.regions",
    "regions": "retrieval.core.regions",
    # ratings and evaluation
    "FeedbackLog": "retrieval.answering.feedback",
    "feedback_totals": "retrieval.answering.feedback",
    "evaluate": "retrieval.answering.evaluate",
    "read_questions": "retrieval.answering.evaluate",
    # errors a user can meet (their docstrings are what the user is told)
    "QabotError": "retrieval.core.errors",
    "CorpusMismatch": "retrieval.core.errors",
    "CorpusUnknown": "retrieval.core.errors",
    "InvalidQuery": "retrieval.core.errors",
    "NameTaken": "retrieval.core.errors",
    "UnreadableFile": "retrieval.core.errors",
    "UploadRejected": "retrieval.core.errors",
    "user_message": "retrieval.core.errors",
}
# Modules a front end uses as a whole: files sent to the bot, and pictures read by OCR.
_MODULES = {
    "ocr": "retrieval.indexing.ocr",
    "uploads": "retrieval.indexing.uploads",
}
__all__ = [
    "CJK",
    "Answer",
    "BuildReport",
    "Comparison",
    "CorpusMismatch",
    "CorpusUnknown",
    "Document",
    "Facets",
    "FeedbackLog",
    "Index",
    "InvalidQuery",
    "Listing",
    "NameTaken",
    "PageProgress",
    "Passage",
    "QabotError",
    "QuoteSource",
    "Region",
    "Reply",
    "Row",
    "Span",
    "UnreadableFile",
    "UploadRejected",
    "ask",
    "asked_as_line",
    "comparison_heading",
    "coverage_note",
    "display_date",
    "domain_terms",
    "evaluate",
    "feedback_totals",
    "find_names",
    "highlight",
    "item_head",
    "item_line",
    "listing_heading",
    "load_dictionary",
    "locate",
    "locator",
    "missing_line",
    "normalize",
    "ocr",
    "ocr_cache",
    "open_index",
    "passages_for",
    "read_questions",
    "recorded_corpus",
    "region_by_code",
    "region_named",
    "regions",
    "row_line",
    "tokenize",
    "trim_around_best",
    "uploads",
    "user_message",
]

if TYPE_CHECKING:
    from .answering.answer import (
        asked_as_line,
        comparison_heading,
        coverage_note,
        item_head,
        item_line,
        listing_heading,
        missing_line,
        row_line,
    )
    from .answering.evaluate import evaluate, read_questions
    from .answering.feedback import FeedbackLog, feedback_totals
    from .answering.qa import Reply, ask, passages_for
    from .answering.quote import QuoteSource, locate
    from .core.calendar import find_names
    from .core.cite import display_date, locator
    from .core.errors import (
        CorpusMismatch,
        CorpusUnknown,
        InvalidQuery,
        NameTaken,
        QabotError,
        UnreadableFile,
        UploadRejected,
        user_message,
    )
    from .core.highlight import highlight, trim_around_best
    from .core.models import Answer, Comparison, Document, Facets, Listing, Passage, Row, Span
    from .core.names import region_by_code
    from .core.regions import Region, region_named, regions
    from .core.store import Index
    from .core.text import CJK, normalize
    from .core.tokenize import domain_terms, load_dictionary, tokenize
    from .indexing import ocr, uploads
    from .indexing.build import PageProgress, ocr_cache, open_index
    from .indexing.conditions import BuildReport, recorded_corpus


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return importlib.import_module(_MODULES[name])
    if name not in _PUBLIC:
        raise AttributeError(f"module 'retrieval' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
