"""What users asked and how they rated the answers: a small SQLite log that becomes an evaluation set.

Its own file beside the index (a rebuild never touches it), in WAL mode so a crash loses at most the row being
written. A question is logged with what the answer showed (passage texts, documents and their content hashes),
so a rating given days later, after the index changed, still says which text was judged. User ids are stored
as a keyed hash (HMAC-SHA256 with a key kept in `NAME.key`, readable by the owner only), never raw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from ..core.hanzi import sentences
from ..core.models import Answer
from ..core.text import normalize

SCHEMA = """
CREATE TABLE IF NOT EXISTS asked (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                -- UTC, ISO 8601
    chat INTEGER NOT NULL,
    message INTEGER NOT NULL,        -- the bot's answer message: ratings arrive on it
    user TEXT NOT NULL,              -- keyed hash
    question TEXT NOT NULL,
    status TEXT NOT NULL,            -- answered | weak | none
    lead TEXT,
    shown TEXT NOT NULL              -- JSON: [{"chunk", "doc", "sha256", "text"}, ...]
);
CREATE UNIQUE INDEX IF NOT EXISTS asked_message ON asked (chat, message);
CREATE TABLE IF NOT EXISTS rating (
    asked INTEGER PRIMARY KEY REFERENCES asked (id),   -- the last rating of an answer counts
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    vote TEXT NOT NULL,              -- up | down
    choice INTEGER                   -- after down: 1-based shown passage that answers it; 0: none of them
);
"""
GOLD_CHARS = 150  # a gold phrase is one sentence of the judged passage, at most this long, as the lead is


@dataclass(frozen=True)
class Asked:
    id: int
    question: str
    status: str
    shown: list[dict]


@dataclass(frozen=True)
class Stats:
    days: list[tuple[str, int, int]]  # (day, questions, answered)
    questions: int
    answered: int
    up: int
    rated: int
    unanswered: list[tuple[str, int]]  # (question, times asked), most frequent first


class FeedbackLog:
    """The questions and ratings database. Thread-safe: the bot writes from its event loop and reads in threads."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._key = _key_for(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses nothing committed
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def user_hash(self, user_id: int | None) -> str:
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def record(self, chat: int, message: int, user_id: int | None, answer: Answer) -> int:
        """Log a question and what its answer showed; returns its row id."""
        shown = [
            {"chunk": p.chunk_id, "doc": p.doc.id, "title": p.doc.title, "sha256": p.doc.sha256, "text": p.text}
            for p in answer.passages
        ]
        with self._lock:
            cur = self._db.execute(
                "INSERT OR REPLACE INTO asked (at, chat, message, user, question, status, lead, shown) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    chat,
                    message,
                    self.user_hash(user_id),
                    answer.question,
                    answer.status,
                    answer.lead.original if answer.lead else None,
                    json.dumps(shown, ensure_ascii=False),
                ),
            )
            return int(cur.lastrowid or 0)

    def asked(self, chat: int, message: int) -> Asked | None:
        """The logged question behind an answer message, if it was logged."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, question, status, shown FROM asked WHERE chat = ? AND message = ?", (chat, message)
            ).fetchone()
        return Asked(row[0], row[1], row[2], json.loads(row[3])) if row else None

    def rate(self, asked: Asked, user_id: int | None, vote: str, choice: int | None = None) -> None:
        """Store a rating (replacing an earlier one of the same answer)."""
        if vote not in ("up", "down"):
            raise ValueError(vote)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO rating (asked, at, user, vote, choice) VALUES (?, ?, ?, ?, ?)",
                (asked.id, _now(), self.user_hash(user_id), vote, choice),
            )

    def judged(self, since: dt.date | None = None) -> list[dict]:
        """Rated questions as evaluation rows {"q", "gold"} in the format of the shared dev set.

        👍 on an answer: its lead (or first passage's best sentence) is gold. 👎 with a chosen passage: that
        passage's best sentence. 👍 on "nothing found": gold is empty (the corpus has no answer). 👎 with "none
        of them", or without a choice, says what is wrong but not what is right: left out.
        """
        query = (
            "SELECT a.question, a.status, a.lead, a.shown, r.vote, r.choice FROM asked a "
            "JOIN rating r ON r.asked = a.id WHERE a.at >= ? ORDER BY a.id"
        )
        with self._lock:
            rows = self._db.execute(query, ((since or dt.date.min).isoformat(),)).fetchall()
        out: dict[str, dict] = {}
        for question, status, lead, shown_json, vote, choice in rows:
            shown = json.loads(shown_json)
            if vote == "up" and status == "none":
                gold = []
            elif vote == "up" and lead:
                gold = [lead]
            elif vote == "up" and shown:
                gold = [best_sentence(shown[0]["text"], question)]
            elif vote == "down" and choice and 1 <= choice <= len(shown):
                gold = [best_sentence(shown[choice - 1]["text"], question)]
            else:
                continue
            out[question] = {"q": question, "gold": gold}  # the last judgement of a question counts
        return list(out.values())

    def stats(self, days: int = 14) -> Stats:
        """Questions per day, share answered, share of ratings that are 👍, most frequent unanswered questions."""
        since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).isoformat()
        with self._lock:
            per_day = self._db.execute(
                "SELECT substr(at, 1, 10) AS day, count(*), sum(status != 'none') FROM asked WHERE at >= ? "
                "GROUP BY day ORDER BY day",
                (since,),
            ).fetchall()
            up, rated = self._db.execute(
                "SELECT coalesce(sum(vote = 'up'), 0), count(*) FROM rating WHERE at >= ?", (since,)
            ).fetchone()
            unanswered = self._db.execute(
                "SELECT question, count(*) AS n FROM asked WHERE status = 'none' AND at >= ? "
                "GROUP BY question ORDER BY n DESC, max(at) DESC LIMIT 10",
                (since,),
            ).fetchall()
        return Stats(
            days=[(d, n, a) for d, n, a in per_day],
            questions=sum(n for _, n, _ in per_day),
            answered=sum(a for _, _, a in per_day),
            up=up,
            rated=rated,
            unanswered=[(q, n) for q, n in unanswered],
        )


def feedback_totals(path: Path) -> tuple[int, int, int]:
    """Questions logged, answers rated and how many of those 👍, ever: read without writing (`qabot status` may
    run beside the bot, or as another user). Raises sqlite3.Error when the database cannot be read."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (questions,) = db.execute("SELECT count(*) FROM asked").fetchone()
        rated, up = db.execute("SELECT count(*), coalesce(sum(vote = 'up'), 0) FROM rating").fetchone()
    finally:
        db.close()
    return int(questions), int(rated), int(up)


def best_sentence(text: str, question: str) -> str:
    """The passage's sentence sharing the most characters with the question, cut to GOLD_CHARS."""
    units = [s for line in text.split("\n") for s in sentences(line)] or [text]
    asked = set(normalize(question))
    best = max(units, key=lambda s: (len(asked & set(normalize(s))), -len(s)))
    return str(best).strip()[:GOLD_CHARS]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _key_for(path: Path) -> bytes:
    """The hashing key: NAME.key beside the database, made once with owner-only permissions."""
    key_path = path.with_name(path.name + ".key")
    try:
        return bytes.fromhex(key_path.read_text(encoding="utf-8").strip())
    except FileNotFoundError:
        key = secrets.token_bytes(32)
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(key.hex())
        return key
