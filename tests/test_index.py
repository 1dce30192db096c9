"""The saved index: refresh by content hash, atomic writes, corrupt files, and scores equal to rank-bm25's."""

from __future__ import annotations

import math
import random
import sqlite3
from collections import Counter

import numpy as np
import pytest

from retrieval.core.bm25 import BM25Params, build_postings, corpus_stats, length_norms, reference_bm25, score, top_k
from retrieval.core.errors import IndexCorrupt
from retrieval.core.store import Index
from retrieval.core.tokenize import tokenize
from retrieval.indexing.build import open_index
from retrieval.indexing.writer import DocRows

from .conftest import fail_writes, find

NEW_DOC = "标题:托育服务工作推进会\n会议要求,要大力发展普惠托育服务,扩大婴幼儿照护服务供给。\n"


def test_second_open_loads_without_rebuilding(corpus, tmp_path):
    path = tmp_path / "idx.sqlite"
    first, report = open_index(corpus, path)
    assert report.rebuilt_because == "no saved index" and report.documents == 5
    generation = first.generation
    again, report = open_index(corpus, path)
    assert report.unchanged and again.generation == generation


def test_added_changed_and_removed_files_are_noticed(corpus, tmp_path):
    path = tmp_path / "idx.sqlite"
    open_index(corpus, path)
    (corpus / "new.txt").write_text(NEW_DOC, encoding="utf-8")
    index, report = open_index(corpus, path)
    assert report.added == ["new.txt"] and not report.changed
    # only the new file was cleaned and tokenized
    assert report.tokenized_chars == sum(len(c.text) for c in index.chunks_of("new.txt"))
    assert index.documents["new.txt"].title == "托育服务工作推进会"

    (corpus / "new.txt").write_text(NEW_DOC.replace("托育服务工作推进会", "托育工作会"), encoding="utf-8")
    index, report = open_index(corpus, path)
    assert report.changed == ["new.txt"] and index.documents["new.txt"].title == "托育工作会"

    (corpus / "new.txt").unlink()
    index, report = open_index(corpus, path)
    assert report.removed == ["new.txt"] and "new.txt" not in index.documents


def test_touching_a_file_without_changing_it_rebuilds_nothing(corpus, tmp_path):
    path = tmp_path / "idx.sqlite"
    open_index(corpus, path)
    target = next(corpus.glob("000*.txt"))
    target.write_bytes(target.read_bytes())
    _, report = open_index(corpus, path)
    assert report.unchanged


@pytest.mark.parametrize("damage", ["garbage", "truncated", "old_format", "missing_table"])
def test_damaged_index_is_reported_and_rebuilt(corpus, tmp_path, damage, caplog):
    path = tmp_path / "idx.sqlite"
    open_index(corpus, path)
    if damage == "garbage":
        path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:5000])
    else:
        db = sqlite3.connect(path)
        if damage == "old_format":
            db.execute("UPDATE meta SET value = 'qabot-index-0' WHERE key = 'format'")
        else:
            db.execute("DROP TABLE arrays")
        db.commit()
        db.close()
    with pytest.raises(IndexCorrupt):
        Index(path)
    index, report = open_index(corpus, path)
    assert report.rebuilt_because and "unusable" in report.rebuilt_because
    assert "rebuilding the index" in caplog.text
    assert len(index.documents) == 5


def test_interrupted_refresh_leaves_the_old_index_as_it_was(corpus, tmp_path, monkeypatch):
    path = tmp_path / "idx.sqlite"
    open_index(corpus, path)
    before = path.read_bytes()
    (corpus / "new.txt").write_text(NEW_DOC, encoding="utf-8")
    fail_writes(monkeypatch, KeyboardInterrupt())  # after the new rows are written, before the commit
    with pytest.raises(KeyboardInterrupt):
        open_index(corpus, path)
    assert path.read_bytes() == before  # rolled back
    # no journal or temporary file left behind (the lock file stays: it is how builds take turns)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", path.name, path.name + ".lock"]
    assert len(Index(path).documents) == 5


def test_interrupted_full_build_leaves_nothing(corpus, tmp_path, monkeypatch):
    fail_writes(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        open_index(corpus, tmp_path / "idx.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "idx.sqlite.lock"]


def _equal_rankings(token_lists: list[list[str]], queries: list[list[str]]) -> None:
    reference = reference_bm25(token_lists)
    n = len(token_lists)
    df = Counter(t for tokens in token_lists for t in set(tokens))
    for term, value in reference.idf.items():  # the reference is rank-bm25 with Lucene's idf, written out here
        assert value == pytest.approx(math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5)))
    postings, lengths = build_postings(token_lists)
    stats = corpus_stats(lengths)
    for query in queries:
        expected = reference.get_scores(query)
        got = score(
            [(t, 1.0) for t in query], postings.get, length_norms(lengths, stats, BM25Params()), stats, BM25Params()
        )
        full = np.zeros(len(token_lists))
        full[got.ids] = got.scores
        np.testing.assert_allclose(full, expected, rtol=1e-9, atol=1e-12)
        order = np.lexsort((np.arange(len(expected)), -expected))
        want = [int(i) for i in order[:10] if expected[i] > 0]
        assert [i for i, _ in top_k(got, 10)] == want


def test_scores_equal_rank_bm25_on_the_seeds(seed_index):
    queries = [tokenize(q) for q in ["岐黄工程", "中医药文化弘扬工程", "國家醫學中心建設", "会议 会议 强调", "中医药"]]
    _equal_rankings(seed_index.token_lists(), queries)


def test_a_documents_postings_count_each_term_of_each_chunk(seed_index):
    """DocRows.of counts a document's tokens in one sort: the same (term, chunk, count) rows as counting chunk by
    chunk, terms numbered in order of first use, and an empty chunk or document holding nothing."""
    doc_id = next(iter(seed_index.documents))
    stored = seed_index.stored[doc_id]
    token_lists = [tokenize(seed_index.chunk(i).text) for i in range(stored.first, stored.first + stored.count)]
    token_lists.insert(1, [])
    rows = DocRows.of(token_lists, id="x", sha256="", stamp="", document="{}", chunks=[], bares=[], characters=0)
    assert rows.terms == list(dict.fromkeys(t for tokens in token_lists for t in tokens))
    got = {(rows.terms[term], chunk): tf for term, chunk, tf in rows.postings.tolist()}
    want = {(t, chunk): tf for chunk, tokens in enumerate(token_lists) for t, tf in Counter(tokens).items()}
    assert got == want and len(rows.postings) == len(want)
    assert rows.lengths.tolist() == [len(tokens) for tokens in token_lists]
    empty = DocRows.of([[]], id="x", sha256="", stamp="", document="{}", chunks=[], bares=[], characters=0)
    assert empty.terms == [] and empty.postings.shape == (0, 3) and empty.lengths.tolist() == [0]


def test_fields_read_without_building_documents_equal_the_documents(laws_index):
    """Index.documents.fields reads what the title table and the series need from the stored JSON; it gives what
    the built documents hold, in their order, and `some` builds just the documents asked for."""
    laws_index = Index(laws_index.path)  # a snapshot of its own: nothing built yet
    read = laws_index.documents.fields("facets.titles", "facets.statute", "facets.year", "date", "title")
    assert not laws_index.documents._built  # nothing built to read them
    docs = list(laws_index.documents.values())
    assert list(read["title"]) == [d.id for d in docs]
    assert read["facets.titles"] == {d.id: d.facets.titles for d in docs}
    assert read["facets.statute"] == {d.id: d.facets.statute for d in docs}
    assert read["facets.year"] == {d.id: d.facets.year for d in docs}
    assert read["date"] == {d.id: d.date for d in docs} and read["title"] == {d.id: d.title for d in docs}
    assert any(read["facets.titles"].values()) and any(read["date"].values())
    picked = [d.id for d in docs[::7]]
    assert [d.id for d in laws_index.documents.some(reversed(picked))] == picked[::-1]


def test_chunks_and_documents_read_back_as_written(laws_index):
    """A stored chunk or document is parsed and validated from its JSON in one step: what comes back is what
    ingestion wrote (ids from the rows, every field, articles and facets included), and a chunk's id counts as set."""
    rows = sqlite3.connect(laws_index.path).execute("SELECT id, data FROM chunks ORDER BY id LIMIT 400").fetchall()
    for chunk_id, data in rows:
        chunk = laws_index.chunks([chunk_id])[chunk_id]
        assert chunk.id == chunk_id and "id" in chunk.model_fields_set
        assert chunk.model_dump_json(exclude={"id"}) == data
    assert any(laws_index.chunks([i])[i].article for i, _ in rows)
    stored = dict(sqlite3.connect(laws_index.path).execute("SELECT id, data FROM documents").fetchall())
    for doc in laws_index.documents.values():
        assert doc.model_dump_json() == stored[doc.id]
    assert any(doc.facets.titles for doc in laws_index.documents.values())


def test_scores_equal_rank_bm25_on_a_synthetic_corpus():
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(400)]
    weights = [1 / (i + 1) for i in range(400)]  # Zipf-like: some terms are in most documents (negative idf)
    docs = [rng.choices(vocab, weights, k=rng.randint(5, 60)) for _ in range(1500)]
    queries = [rng.choices(vocab, weights, k=rng.randint(1, 6)) for _ in range(40)] + [["w0", "w0", "w399"], ["nope"]]
    _equal_rankings(docs, queries)


def test_a_term_in_most_chunks_still_adds_to_a_score():
    # BM25Okapi's own idf is negative here (3 of 4 chunks hold 会议), so holding it would lower a score
    docs = [["会议", "强调"], ["会议", "家庭医生"], ["会议", "签约"], ["家庭医生", "签约", "服务"]]
    postings, lengths = build_postings(docs)
    stats = corpus_stats(lengths)
    got = score(
        [("会议", 1.0), ("签约", 1.0)], postings.get, length_norms(lengths, stats, BM25Params()), stats, BM25Params()
    )
    scores = dict(zip(got.ids.tolist(), got.scores.tolist(), strict=False))
    assert all(v > 0 for v in scores.values())
    assert scores[2] > scores[3] > scores[0]  # both terms beat one; a rarer term beats a common one


def test_build_reports_progress_file_by_file(corpus, tmp_path):
    seen: list[tuple[int, int]] = []
    open_index(corpus, tmp_path / "idx.sqlite", progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_large_builds_tokenize_in_a_process_pool(tmp_path, monkeypatch):
    from retrieval.indexing import build as build_module

    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 1)  # force the pool for a small corpus
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(6):
        (folder / f"d{i}.txt").write_text(f"标题:文件{i}\n会议强调,要推进第{i}项工作。\n", encoding="utf-8")
    index, report = open_index(folder, tmp_path / "idx.sqlite")
    assert report.documents == 6 and index.n_chunks == 6
    assert [c.text for c in index.chunks_of("d3.txt")] == ["会议强调,要推进第3项工作。"]


def test_a_build_spilled_in_many_runs_writes_the_same_postings(corpus, tmp_path, monkeypatch):
    """A large build sorts its postings in runs on disk and merges them a block of terms at a time, reading each
    run's slices from its files; runs and blocks of any size give the postings one run gives."""
    from retrieval.indexing import writer

    def postings(path):
        with sqlite3.connect(path) as db:
            return db.execute("SELECT term, segment, ids, tfs FROM postings ORDER BY term").fetchall()

    one, _ = open_index(corpus, tmp_path / "one.sqlite")
    monkeypatch.setattr(writer, "RUN_POSTINGS", 300)  # a run every document or so
    monkeypatch.setattr(writer, "MERGE_POSTINGS", 500)  # a few terms a block
    many, _ = open_index(corpus, tmp_path / "many.sqlite")
    assert len(postings(one.path)) > 1000 and postings(one.path) == postings(many.path)
    _index_scores_equal_reference(many, [tokenize(q) for q in ["岐黄工程", "中医药文化弘扬工程", "会议 会议 强调"]])


def _index_scores_equal_reference(index: Index, queries: list[list[str]]) -> None:
    """The index's own postings, lengths and figures score as rank-bm25 over the tokens of its current chunks."""
    reference = reference_bm25(index.token_lists())
    ids = index.chunk_ids()
    for query in queries:
        expected = reference.get_scores(query)
        got = score([(t, 1.0) for t in query], index.postings, index.norms(0.0), index.stats, index.params)
        full = dict(zip(got.ids.tolist(), got.scores.tolist(), strict=False))
        np.testing.assert_allclose([full.get(int(i), 0.0) for i in ids], expected, rtol=1e-9, atol=1e-12)


def test_refreshes_keep_scores_equal_to_rank_bm25(corpus, tmp_path):
    path = tmp_path / "idx.sqlite"
    queries = [tokenize(q) for q in ["托育服务", "岐黄工程", "会议 要求", "婴幼儿照护服务供给"]]
    open_index(corpus, path)
    (corpus / "new.txt").write_text(NEW_DOC, encoding="utf-8")
    index, report = open_index(corpus, path)
    assert report.added == ["new.txt"] and len(index.commit.segments) == 2
    _index_scores_equal_reference(index, queries)
    (corpus / "new.txt").write_text(NEW_DOC.replace("婴幼儿", "三岁以下婴幼儿"), encoding="utf-8")
    next(corpus.glob("001*.txt")).unlink()
    index, report = open_index(corpus, path)
    assert report.changed == ["new.txt"] and len(report.removed) == 1
    assert index.n_chunks == sum(s.count for s in index.stored.values()) < index.commit.next_id  # old chunks gone
    _index_scores_equal_reference(index, queries)
    assert "三岁以下婴幼儿" in find(index, "婴幼儿照护服务")[0].chunk.text


def test_a_snapshot_keeps_answering_from_its_version_while_the_file_changes(corpus, tmp_path):
    path = tmp_path / "idx.sqlite"
    (corpus / "new.txt").write_text(NEW_DOC, encoding="utf-8")
    before, _ = open_index(corpus, path)
    first = find(before, "托育服务")
    (corpus / "new.txt").write_text(NEW_DOC.replace("托育服务", "托育服务体系"), encoding="utf-8")
    after, report = open_index(corpus, path)
    assert report.changed == ["new.txt"] and after.generation != before.generation
    before.postings.cache_clear()
    before.chunk.cache_clear()  # read everything again, from the changed file
    again = find(before, "托育服务")
    assert [(h.chunk.id, h.chunk.text) for h in again] == [(h.chunk.id, h.chunk.text) for h in first]
    assert "托育服务体系" in find(after, "托育服务体系")[0].chunk.text


def test_refreshes_pile_up_then_compact(corpus, tmp_path, monkeypatch):
    from retrieval.indexing import compact

    monkeypatch.setattr(compact, "MAX_SEGMENTS", 2)
    path = tmp_path / "idx.sqlite"
    open_index(corpus, path)
    held, index, report = None, None, None
    for i in range(3):
        (corpus / "new.txt").write_text(NEW_DOC.replace("托育服务", f"托育服务{i}号"), encoding="utf-8")
        index, report = open_index(corpus, path)
        held = held or index  # a snapshot opened before the compaction
        if report.compacted:
            break
    assert report.compacted and index.commit.segments == (0,) and index.alive is None
    assert index.commit.next_id == index.n_chunks == sum(s.count for s in index.stored.values())
    assert f"托育服务{i}号" in find(index, f"托育服务{i}号")[0].chunk.text
    _index_scores_equal_reference(index, [tokenize(f"托育服务{i}号 婴幼儿"), tokenize("岐黄工程")])
    held.chunk.cache_clear()
    assert "托育服务0号" in find(held, "托育服务0号")[0].chunk.text  # the replaced file, still readable


@pytest.mark.parametrize("dense_share", [1, 10**9])
def test_both_ways_of_summing_scores_equal_rank_bm25(dense_share, monkeypatch):
    from retrieval.core import bm25

    monkeypatch.setattr(bm25, "DENSE_SHARE", dense_share)  # always the array over all chunks / always the sort
    test_scores_equal_rank_bm25_on_a_synthetic_corpus()


def test_every_module_the_ingestion_runs_is_in_the_index_version():
    """A change to any module that makes chunks (gongwen.py was missing) rebuilds saved indexes; the index's own
    format (store, subset, writer and its runs, bm25) has FORMAT."""
    import subprocess
    import sys

    code = "import sys, retrieval.indexing.ingest; print(' '.join(m for m in sys.modules if m.startswith('retrieval')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    from retrieval.core import schema

    modules = {m.split(".", 1)[1].replace(".", "/") + ".py" for m in loaded if m.count(".") == 2}
    reading = {
        "core/bm25.py",
        "core/errors.py",
        "core/schema.py",
        "core/store.py",
        "core/subset.py",
        "indexing/runs.py",
        "indexing/writer.py",
    }
    assert modules - set(schema.PIPELINE) == reading
