"""Chunk bounds: paragraphs split at sentence ends, never over 600 characters with their heading."""

from __future__ import annotations

from retrieval.indexing.chunk import MAX_CHARS, split_paragraph


def test_seed_chunks_are_bounded(seed_index):
    for doc_id in seed_index.documents:
        for chunk in seed_index.chunks_of(doc_id):
            assert 0 < len(chunk.quoted) <= MAX_CHARS


def test_long_paragraph_splits_at_sentence_ends_into_balanced_parts():
    sentence = "要加快推进分级诊疗制度建设,推动优质医疗资源扩容下沉和区域均衡布局。"  # 34 characters
    text = sentence * 30
    parts = split_paragraph(text)
    assert "".join(parts) == text
    assert all(p.endswith("。") for p in parts)
    assert all(len(p) <= MAX_CHARS for p in parts)
    assert max(map(len, parts)) - min(map(len, parts)) <= len(sentence)


def test_short_paragraph_is_one_chunk():
    assert split_paragraph("会议强调。") == ["会议强调。"]


def test_a_sentence_longer_than_the_limit_splits_at_clauses():
    text = "会议强调," * 200 + "。"
    parts = split_paragraph(text)
    assert "".join(parts) == text
    assert all(len(p) <= MAX_CHARS for p in parts)
    assert all(p.endswith(",") for p in parts[:-1])
