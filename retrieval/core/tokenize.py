"""One tokenizer for documents and questions: normalize, segment with jieba and a domain dictionary, drop stopwords.

Questions are analysed in query.py, which also expands colloquial words by data/synonyms.txt.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import sys
import threading
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .copies import copy_path, write_into_place
from .text import normalize

if TYPE_CHECKING:
    import rjieba

# Without pkg_resources jieba reads its dictionary with open(): importing setuptools' pkg_resources costs 70 ms.
_saved = sys.modules.get("pkg_resources")
if _saved is None:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba
finally:
    if _saved is None:
        del sys.modules["pkg_resources"]

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


def _user_words() -> Iterator[tuple[str, int | None, str | None]]:
    """The domain dictionary (data/userdict.txt): word, frequency (None: jieba's suggestion), part of speech."""
    for line in _data("userdict.txt").splitlines():
        parts = line.split()
        if parts and not line.startswith("#"):
            yield parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """jieba with its whole dictionary in memory and the domain words added: to write the stored copy."""
    with _lock:
        tok = jieba.Tokenizer()
        tok.initialize()
        for word, freq, tag in _user_words():
            tok.add_word(word, freq, tag)
        return tok


@lru_cache(maxsize=1)
def _segmenter() -> rjieba.Jieba:
    """jieba's dictionary and algorithm in Rust (rjieba, a binding of jieba-rs) with the domain words added: the
    same words as jieba's own, about 8 times faster, built in 0.2 s (jieba's takes 0.6 s and 150 MB more)."""
    import rjieba

    with _lock:
        segmenter = rjieba._DEFAULT_JIEBA  # importing rjieba builds this one (0.12 s): a second would cost as much
        for word, freq, tag in _user_words():
            segmenter.add_word(word, freq, tag)
        return segmenter


class _StoredFreq:
    """jieba's word frequencies read a word at a time from a SQLite copy of them: segmenting a question needs a
    few hundred look-ups, not the whole dictionary loaded into memory (0.6 s at every start)."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()
        self._cache: dict[str, int | None] = {}
        self.total = int(self._db.execute("SELECT freq FROM words WHERE word = ''").fetchone()[0])

    def get(self, word: str, default: int | None = None) -> int | None:
        try:
            freq = self._cache[word]
        except KeyError:
            with self._lock:
                row = self._db.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
            freq = self._cache[word] = row[0] if row else None
        return default if freq is None else int(freq)

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        freq = self.get(word)
        if freq is None:
            raise KeyError(word)
        return freq


def _words_file() -> Path:
    """Where the copy of the dictionary lives: beside jieba's own cache, named for the dictionary it copies."""
    digest = hashlib.sha256(f"{jieba.__version__}\n{_data('userdict.txt')}".encode()).hexdigest()[:12]
    return copy_path("words", digest, ".sqlite")


def _write_words(path: Path, tok: jieba.Tokenizer) -> None:
    """Copy the dictionary into `path` (written into place: another process may be at it too)."""

    def write(tmp: Path) -> None:
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE words(word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO words VALUES (?, ?)", [("", tok.total), *tok.FREQ.items()])
        db.commit()
        db.close()

    write_into_place(path, write)


def load_dictionary() -> None:
    """Load the whole dictionary now (0.2 s), for a process that will segment much text: a build's worker, a bot,
    a batch of queries. Until then questions look words up one by one in the stored copy."""
    _segmenter()


@lru_cache(maxsize=1)
def _question_tokenizer() -> jieba.Tokenizer:
    """The same segmentation for questions, from the stored copy of the dictionary when there is one (made on
    first use); the in-memory dictionary when it is loaded already, or the copy cannot be written."""
    if _tokenizer.cache_info().currsize:
        return _tokenizer()
    path = _words_file()
    if not path.exists():
        try:
            _write_words(path, _tokenizer())
        except (OSError, sqlite3.Error):
            return _tokenizer()
    try:
        freq = _StoredFreq(path)
    except (OSError, sqlite3.Error):
        return _tokenizer()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = freq, freq.total, True
    return tok


def domain_terms() -> list[str]:
    """The domain dictionary's terms (岐黄工程, 医联体, …): the topics this corpus is about."""
    return [line.split()[0] for line in _data("userdict.txt").splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(
        w for line in _data("stopwords.txt").splitlines() if not line.startswith("#") for w in line.split()
    )


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
    if len(text) < 2:
        return False
    if _segmenter.cache_info().currsize:
        return bool(_segmenter().has_word(text))
    return bool(_question_tokenizer().FREQ.get(text))


def is_term(token: str) -> bool:
    """True for a token worth indexing: it holds a CJK character, a letter or a digit."""
    return bool(_TOKEN.search(token))


def search_tokens(norm_text: str, *, whole_words: bool = False) -> Iterator[tuple[str, int, int]]:
    """(word, start, end) of normalized text in search mode (long words and the words inside them), or
    whole words only; the same segmentation as `segment`, for questions."""
    mode = "default" if whole_words else "search"
    if _segmenter.cache_info().currsize:
        return iter(_segmenter().tokenize(norm_text, mode, False))
    spans: Iterator[tuple[str, int, int]] = _question_tokenizer().tokenize(norm_text, mode=mode, HMM=False)
    return spans


def segment(norm_text: str) -> list[str]:
    """Segment normalized text as jieba's search mode does (long words and the words inside them).

    HMM new-word discovery is off: it segments the same phrase differently in a question and in a
    document (纠四风 vs 纠/四风), which costs more matches than the new words gain (measured on the dev set).
    The words are jieba's `lcut_for_search(text, HMM=False)` with the same dictionary (the tests check it word
    for word), computed by jieba-rs: segmenting documents was a third of what a build cost.
    """
    words: list[str] = _segmenter().cut_for_search(norm_text, False)
    return words


def tokenize(text: str) -> list[str]:
    """Index terms of a text: normalized, segmented, without punctuation, spaces and stopwords."""
    stop = stopwords()
    # most tokens begin with a CJK character: comparing the whole string (no t[0] made) spares them the pattern
    return [t for t in segment(normalize(text)) if t not in stop and ("\u3400" <= t < "\ua000" or _TOKEN.search(t))]
