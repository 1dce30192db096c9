"""Parts of speech of dictionary words (jieba's tags: n, v, vn, a, …), for reading a question's grammar.

A question asks for the tags of a few words, so they are read from a SQLite table written once beside the
stored dictionary, streamed from jieba's dict.txt and the domain dictionary: neither jieba-rs (which has no
look-up by word) nor jieba's dictionary in memory (150 MB more in the bot) is needed for them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from .copies import write_into_place
from .tokenize import _user_words, _words_file, jieba


def word_tag(word: str) -> str | None:
    """A dictionary word's part of speech, the domain dictionary's where it gives one; None for a word the
    dictionary lacks.

    >>> word_tag("措施"), word_tag("关爱"), word_tag("中医药")
    ('n', 'v', 'n')
    """
    return _tags().get(word)


class _StoredTags:
    """Parts of speech read a word at a time from their SQLite table."""

    def __init__(self, path: Path):
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def get(self, word: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT tag FROM tags WHERE word = ?", (word,)).fetchone()
        return str(row[0]) if row else None


@lru_cache(maxsize=1)
def _tags() -> _StoredTags | dict[str, str]:
    """The stored table (written on first use), or the same in memory when it cannot be written."""
    path = _words_file().with_name(_words_file().name.replace("qabot-words-", "qabot-tags-"))
    try:
        if not path.exists():
            _write_tags(path)
        return _StoredTags(path)
    except (OSError, sqlite3.Error):
        return dict(dictionary_tags())


def dictionary_tags() -> Iterator[tuple[str, str]]:
    """Every dictionary word with its part of speech: jieba's dict.txt, then the domain words' own tags (the
    later wins, as in jieba.posseg)."""
    with jieba.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) == 3:
                yield parts[0], parts[2]
    yield from ((word, tag) for word, _, tag in _user_words() if tag)


def _write_tags(path: Path) -> None:
    """Write the table into `path` (written into place: another process may be at it too)."""

    def write(tmp: Path) -> None:
        db = sqlite3.connect(tmp)
        db.execute("CREATE TABLE tags(word TEXT PRIMARY KEY, tag TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT OR REPLACE INTO tags VALUES (?, ?)", dictionary_tags())
        db.commit()
        db.close()

    write_into_place(path, write)
