"""One segmentation everywhere: documents through jieba-rs, questions through the stored dictionary or jieba-rs,
all word for word what jieba itself gives with the same dictionary."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from retrieval.core import tokenize as tk
from retrieval.core.text import normalize

from .conftest import ROOT, SEEDS

QUESTIONS = ["岐黄工程是什么", "2024年全国中医药局长会议提出了哪些重点任务?", "中西医结合工作怎么推进", "GDP贡献"]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    pages = [normalize(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return pages + [normalize(q) for q in QUESTIONS]


def test_documents_are_segmented_as_jieba_segments_them(texts):
    jieba_itself = tk._tokenizer()  # jieba's own, with the same domain words
    for text in texts:
        assert tk.segment(text) == jieba_itself.lcut_for_search(text, HMM=False)


def test_questions_get_the_same_words_with_or_without_the_dictionary_loaded(texts):
    """A one-off `qabot search` reads the stored copy word by word; the bot loads jieba-rs: same words."""
    code = (
        "import json, sys\n"
        "from retrieval.core.tokenize import search_tokens, is_word\n"
        "texts = json.load(sys.stdin)\n"
        "print(json.dumps([[list(search_tokens(t)), list(search_tokens(t, whole_words=True)),"
        " [is_word(w) for w, _, _ in search_tokens(t)]] for t in texts]))"
    )
    import json

    stored = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, cwd=ROOT, check=True
    )
    tk.load_dictionary()
    loaded = [
        [
            [list(x) for x in tk.search_tokens(t)],
            [list(x) for x in tk.search_tokens(t, whole_words=True)],
            [tk.is_word(w) for w, _, _ in tk.search_tokens(t)],
        ]
        for t in texts
    ]
    assert json.loads(stored.stdout) == loaded


def test_parts_of_speech_come_from_a_stored_table_without_loading_jieba(tmp_path):
    """The bot holds jieba-rs only: tagging a question's words must not load jieba's dictionary (150 MB more)."""
    code = (
        "from retrieval.core import tokenize as tk\n"
        "from retrieval.core.postags import word_tag\n"
        "tk.load_dictionary()\n"
        "tags = [word_tag(w) for w in ('关爱', '措施', '中医药', '看', '不是一个词语')]\n"
        "print(tags, tk._tokenizer.cache_info().currsize)"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # no stored table yet: it is written on first use
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, env=env)
    # 中医药 is nt in jieba's dictionary, n in ours: the domain dictionary wins
    assert out.stdout.split() == ["['v',", "'n',", "'n',", "'v',", "None]", "0"]
    assert list(tmp_path.glob("qabot-tags-*.sqlite"))


def test_parts_of_speech_in_memory_when_the_table_cannot_be_written(tmp_path, monkeypatch):
    from retrieval.core import postags

    postags._tags.cache_clear()
    monkeypatch.setattr(postags, "_words_file", lambda: tmp_path / "no such folder" / "qabot-words-x.sqlite")
    try:
        assert postags.word_tag("措施") == "n" and isinstance(postags._tags(), dict)
    finally:
        postags._tags.cache_clear()
