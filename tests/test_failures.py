"""When a refresh fails (full disk, read-only folder, another build, an I/O error), the last good index answers.

Where the tests run as root, a small tmpfs is a real full disk and a real read-only folder; elsewhere the same
failures are injected where the index is written.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from bot.cli import main
from retrieval.core.errors import BuildInProgress, DiskFull, IndexNotWritable
from retrieval.indexing.build import open_index
from retrieval.indexing.conditions import build_lock

from .conftest import SEEDS, fail_writes, find, seed_text


def grow(corpus: Path, paragraphs: int = 400) -> None:
    """Add a long document to the corpus: its index needs far more room than the seeds'."""
    sentences = [s for s in seed_text("000").replace("\n", "").split("。") if len(s) > 10]
    body = "\n\n".join(
        f"第{i}项:{sentences[i % len(sentences)]},编号{uuid.uuid4().hex[:8]}。" for i in range(paragraphs)
    )
    (corpus / "added.txt").write_text("标题:新增文件\n\n" + body, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def small_disk(tmp_path):
    """A 600 KiB tmpfs: room for the seeds' index, not for a much larger one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_old_index_answers(capsys, corpus: Path, index: Path) -> None:
    """search and ask answer from the old index, with a one-line warning; nothing half-written is left."""
    code, out, err = run(capsys, "search", "--corpus", str(corpus), "--index", str(index), "岐黄工程")
    assert code == 0 and "岐黄工程" in out
    assert err.count("\n") == 1 and "继续使用上一版索引" in err and "Traceback" not in err
    code, out, err = run(capsys, "ask", "--corpus", str(corpus), "--index", str(index), "岐黄工程是什么")
    assert code == 0 and "实施中医药特色人才培养工程(岐黄工程)" in out and "继续使用上一版索引" in err
    assert not [p for p in index.parent.iterdir() if p.name.endswith(".tmp")]


def test_full_disk_keeps_the_old_index_answering(small_disk, corpus, capsys):
    index = small_disk / "index.sqlite"
    assert run(capsys, "index", "--corpus", str(corpus), "--index", str(index))[0] == 0
    before = index.read_bytes()
    grow(corpus)
    code, out, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(index))
    assert code == 1 and "磁盘空间不足" in err and "约需" in err and "Traceback" not in err
    assert index.read_bytes() == before
    assert_old_index_answers(capsys, corpus, index)
    (corpus / "added.txt").unlink()  # with the added file gone, nothing needs writing: the same index answers
    assert run(capsys, "search", "--corpus", str(corpus), "--index", str(index), "岐黄工程")[2] == ""


def test_read_only_index_folder_keeps_the_old_index_answering(small_disk, corpus, capsys):
    index = small_disk / "index.sqlite"
    assert run(capsys, "index", "--corpus", str(corpus), "--index", str(index))[0] == 0
    grow(corpus, 5)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, _, err = run(capsys, "index", "--corpus", str(corpus), "--index", str(index))
    assert code == 1 and "不可写" in err and "Traceback" not in err
    assert_old_index_answers(capsys, corpus, index)


def test_injected_full_disk_is_reported_and_served_around(corpus, tmp_path, capsys, monkeypatch):
    index = tmp_path / "index.sqlite"
    assert run(capsys, "index", "--corpus", str(corpus), "--index", str(index))[0] == 0
    grow(corpus, 5)

    fail_writes(monkeypatch, sqlite3.OperationalError("database or disk is full"))
    with pytest.raises(DiskFull, match="约需"):
        open_index(corpus, index, keep_serving=False)
    served, report = open_index(corpus, index)
    assert "磁盘空间不足" in report.failed and "added.txt" not in served.documents
    assert find(served, "岐黄工程")
    assert_old_index_answers(capsys, corpus, index)


def test_injected_unwritable_folder(corpus, tmp_path, monkeypatch):
    index = tmp_path / "index.sqlite"
    open_index(corpus, index)
    grow(corpus, 5)

    fail_writes(monkeypatch, sqlite3.OperationalError("attempt to write a readonly database"))
    with pytest.raises(IndexNotWritable):
        open_index(corpus, index, keep_serving=False)
    served, report = open_index(corpus, index)
    assert "不可写" in report.failed and find(served, "岐黄工程")


def test_a_build_holding_the_lock_leaves_the_old_index_serving(corpus, tmp_path):
    index = tmp_path / "index.sqlite"
    open_index(corpus, index)
    grow(corpus, 5)
    with build_lock(index):
        with pytest.raises(BuildInProgress):
            open_index(corpus, index, keep_serving=False)
        served, report = open_index(corpus, index)
        assert "另一个索引构建正在进行" in report.failed and "added.txt" not in served.documents
    served, report = open_index(corpus, index)  # the next refresh tries again
    assert report.failed is None and "added.txt" in served.documents


def test_no_saved_index_and_a_failing_build_is_an_error(corpus, tmp_path, monkeypatch):
    fail_writes(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(DiskFull):
        open_index(corpus, tmp_path / "index.sqlite")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "index.sqlite.lock"]  # nothing half-written
