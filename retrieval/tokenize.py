"""One tokenizer for documents and questions: normalize, segment with jieba and a domain dictionary, drop stopwords.

Questions are analysed in query.py, which also expands colloquial words by data/synonyms.txt.
"""
from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import jieba

from .text import normalize

jieba.setLogLevel(logging.WARNING)

SYNONYM_WEIGHT = 0.5
_TOKEN = re.compile(r"[\u3400-\u9fff]|[a-z0-9]")  # a token must hold a CJK character, a letter or a digit
_lock = threading.Lock()


def _data(name: str) -> str:
    return resources.files("retrieval").joinpath("data", name).read_text(encoding="utf-8")


def data_sections(name: str) -> dict[str, list[str]]:
    """A word-list file of data/ in sections: `[name]` lines, then words separated by spaces; # starts a comment."""
    sections: dict[str, list[str]] = {}
    current: list[str] = sections.setdefault("", [])
    for line in _data(name).splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line:
            current.extend(normalize(w) for w in line.split())
    return sections


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    with _lock:
        tok = jieba.Tokenizer()
        tok.initialize()
        for line in _data("userdict.txt").splitlines():
            parts = line.split()
            if parts and not line.startswith("#"):
                tok.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)
        return tok


def domain_terms() -> list[str]:
    """The domain dictionary's terms (岐黄工程, 医联体, …): the topics this corpus is about."""
    return [line.split()[0] for line in _data("userdict.txt").splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(w for line in _data("stopwords.txt").splitlines() if not line.startswith("#") for w in line.split())


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for line in _data("synonyms.txt").splitlines():
        words = [normalize(w) for w in line.split()] if not line.startswith("#") else []
        for w in words:
            table.setdefault(w, []).extend(x for x in words if x != w and x not in table[w])
    return {k: tuple(v) for k, v in table.items()}


def is_word(text: str) -> bool:
    """True when `text` (normalized) is a dictionary word of two or more characters."""
    return len(text) > 1 and bool(_tokenizer().FREQ.get(text))


def is_term(token: str) -> bool:
    """True for a token worth indexing: it holds a CJK character, a letter or a digit."""
    return bool(_TOKEN.search(token))


def search_tokens(norm_text: str, *, whole_words: bool = False) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of normalized text in search mode (long words and the words inside them), or
    whole words only; the same segmentation as `segment`."""
    return _tokenizer().tokenize(norm_text, mode="default" if whole_words else "search", HMM=False)


def segment(norm_text: str) -> list[str]:
    """Segment normalized text with jieba's search mode (long words and the words inside them).

    HMM new-word discovery is off: it segments the same phrase differently in a question and in a
    document (纠四风 vs 纠/四风), which costs more matches than the new words gain (measured on the dev set).
    """
    return _tokenizer().lcut_for_search(norm_text, HMM=False)


def tokenize(text: str) -> list[str]:
    """Index terms of a text: normalized, segmented, without punctuation, spaces and stopwords."""
    stop = stopwords()
    return [t for t in segment(normalize(text)) if _TOKEN.search(t) and t not in stop]
