"""Short forms users type for the long forms documents write, learned from the corpus rather than a hand list.

Two sources, both checked against what the corpus holds:
- definitions in the text: 国家基本药物制度(以下简称基药制度) gives 基药制度 <-> 基本药物制度, found when a
  document is ingested and kept with it;
- abbreviations by initials: a question word the corpus lacks or rarely uses (公卫, 家医, 基药), whose
  characters begin, in order, the parts of a term the corpus does use (公共|卫生, 家庭|医生).
Either way the long form is searched as a synonym is: at a discount, and counting for the short form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .tokenize import is_word, search_tokens, stopwords

if TYPE_CHECKING:
    from .store import Index

# (以下简称“基药制度”), (简称公卫), (下称医共体): matched on normalized text
_DEFINITION = re.compile(
    r"[((]\s*(?:以下)?(?:简称|简写为|下称|以下称)\s*[::]?\s*[“\"「『']?"
    r"([\u3400-\u9fffa-z0-9]{2,10})[”\"」』']?\s*[))]"
)
_CLAUSE_END = re.compile(r"[\W_]")
MAX_LONG = 20  # characters of a long form
RARE = 2  # a question word in at most this many chunks may be a short form
MAX_EXPANSIONS = 2  # long forms kept for one short form (the most used ones)


def definitions(norm_text: str) -> list[tuple[str, str]]:
    """(short, long) pairs a normalized text defines: 国家基本药物制度(以下简称基药制度) -> (基药制度, 基本药物制度)."""
    pairs = []
    for m in _DEFINITION.finditer(norm_text):
        short = m.group(1)
        before = norm_text[max(0, m.start() - MAX_LONG) : m.start()]
        clause = _CLAUSE_END.split(before)[-1]
        long = _spelled_by(short, clause)
        if long and long != short:
            pairs.append((short, long))
    return pairs


def _spelled_by(short: str, clause: str) -> str | None:
    """The shortest end of `clause` that begins with the short form's first character and holds all of its
    characters in order: the long form the short one abbreviates."""
    for start in range(len(clause) - len(short), -1, -1):
        if clause[start] == short[0] and _in_order(short, clause[start:]):
            return clause[start:]
    return None


def _in_order(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def initials(term: str) -> str:
    """The characters that begin the parts of a term: 公共卫生 (公共|卫生) -> 公卫; 医疗保险 -> 医保."""
    starts = {start for word, start, end in search_tokens(term) if end - start >= 2 and is_word(word)}
    return "".join(ch for i, ch in enumerate(term) if i == 0 or i in starts)


def short_form_candidates(whole_words: Iterable[tuple[str, int, int]]) -> list[tuple[str, int]]:
    """Runs of two to four single characters in a question segmented into whole words (word, start, end), which
    jieba could not join into a word: 公卫 in 公卫体系 segments as 公|卫. Each with where it starts."""
    out, run, start = [], "", 0
    for word, s, e in whole_words:
        if e - s == 1 and "\u3400" <= word <= "\u9fff" and word not in stopwords():
            if not run:
                start = s
            run += word
            continue
        if 2 <= len(run) <= 4:
            out.append((run, start))
        run = ""
    if 2 <= len(run) <= 4:
        out.append((run, start))
    return out


def expansions(index: Index, short: str) -> list[str]:
    """Long forms the corpus uses for a short form it lacks or rarely uses: its definitions, else the most used
    terms whose initials hold the short form's characters in order, beginning with its first."""
    defined = index.aliases.get(short, [])
    if defined:
        return defined[:MAX_EXPANSIONS]
    p = index.postings(short)
    used = p.df if p is not None else 0
    if used > RARE:
        return []
    found = [
        (df, term)
        for term, df in index.terms_starting(short[0])
        if len(term) > len(short) and df > used and _in_order(short, term) and _in_order(short, initials(term))
    ]
    return [term for _, term in sorted(found, reverse=True)[:MAX_EXPANSIONS]]
