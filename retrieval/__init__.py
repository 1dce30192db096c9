"""Retrieval library: policy documents indexed with BM25, questions answered with quoted, cited passages.

A pure library: nothing here knows about Telegram. Three packages, whose names show who may import whom:
`retrieval.core` (shared by both sides), `retrieval.indexing` (files -> the index) and `retrieval.answering`
(question -> answer; never imports indexing). The names a front end needs are importable from here, each loaded
on first use (answering a question never loads the indexing code):

    from retrieval import open_index, ask, user_message
    index, report = open_index(corpus, index_path)
    reply = ask(index, "岐黄工程是什么")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "ask": "retrieval.answering.qa",
    "passages_for": "retrieval.answering.qa",
    "Reply": "retrieval.answering.qa",
    "locate": "retrieval.answering.quote",
    "QuoteSource": "retrieval.answering.quote",
    "open_index": "retrieval.indexing.build",
    "BuildReport": "retrieval.indexing.conditions",
    "Index": "retrieval.core.store",
    "Answer": "retrieval.core.models",
    "Comparison": "retrieval.core.models",
    "Document": "retrieval.core.models",
    "Listing": "retrieval.core.models",
    "Passage": "retrieval.core.models",
    "Row": "retrieval.core.models",
    "QabotError": "retrieval.core.errors",
    "InvalidQuery": "retrieval.core.errors",
    "user_message": "retrieval.core.errors",
}
__all__ = [
    "Answer",
    "BuildReport",
    "Comparison",
    "Document",
    "Index",
    "InvalidQuery",
    "Listing",
    "Passage",
    "QabotError",
    "QuoteSource",
    "Reply",
    "Row",
    "ask",
    "locate",
    "open_index",
    "passages_for",
    "user_message",
]

if TYPE_CHECKING:
    from .answering.qa import Reply, ask, passages_for
    from .answering.quote import QuoteSource, locate
    from .core.errors import InvalidQuery, QabotError, user_message
    from .core.models import Answer, Comparison, Document, Listing, Passage, Row
    from .core.store import Index
    from .indexing.build import open_index
    from .indexing.conditions import BuildReport


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'retrieval' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name]), name)
