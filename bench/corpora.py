"""The corpora our benchmarks and their question checkers read (the seeds, and the shared archives beside the
project), and the one way they compare an answer or a document with a gold phrase."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from retrieval.core.text import strip_annotations, to_simplified

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARCHIVES = ROOT.parent / "shared" / "eval" / "archives"
CORPORA = {"seeds": SEEDS, "cpc": ARCHIVES / "cpc" / "corpus", "gwr-old": ARCHIVES / "gwr-old" / "corpus"}
_SPACE = re.compile(r"[\s\u200b-\u200f\u2060\ufeff]+")  # white space and zero-width characters


def norm(text: str) -> str:
    """Pinyin glued to characters removed (中醫(yī) -> 中醫), width folded, simplified script, no spaces."""
    return _SPACE.sub("", to_simplified(unicodedata.normalize("NFKC", strip_annotations(text))))
