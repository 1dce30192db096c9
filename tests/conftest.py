"""Shared fixtures: the seed corpus, a copy of it to modify, and an index over it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from retrieval.core.store import Index
from retrieval.indexing.build import open_index

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARCHIVES = ROOT.parent / "shared" / "eval" / "archives"  # the shared look-alike archives, beside the project


@pytest.fixture(scope="session")
def seeds() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Index:
    """An index over the shipped seeds, built once for the session."""
    index, _ = open_index(SEEDS, tmp_path_factory.mktemp("index") / "seeds.sqlite")
    return index


@pytest.fixture(scope="session")
def prov_index(tmp_path_factory) -> Index:
    """The 14 provincial government work reports of 2025 (shared archive), indexed once for the session."""
    return _archive_index(tmp_path_factory, "prov")


def _archive_index(tmp_path_factory, name: str) -> Index:
    if not ARCHIVES.is_dir():
        pytest.skip(f"{ARCHIVES} is not here")
    index, _ = open_index(ARCHIVES / name / "corpus", tmp_path_factory.mktemp(name) / "index.sqlite")
    return index


@pytest.fixture(scope="session")
def cpc_index(tmp_path_factory) -> Index:
    """Reports to CPC national congresses (shared archive), indexed once for the session."""
    return _archive_index(tmp_path_factory, "cpc")


@pytest.fixture(scope="session")
def gwr_index(tmp_path_factory) -> Index:
    """National government work reports, 1954 on (shared archive), indexed once for the session."""
    return _archive_index(tmp_path_factory, "gwr-old")


@pytest.fixture(scope="session")
def laws_index(tmp_path_factory) -> Index:
    """Laws and regulations of education, environment, labour, work safety and traffic (shared archive)."""
    return _archive_index(tmp_path_factory, "laws")


SETS = ROOT / "bench" / "sets"  # our own look-alike archives, in the repository


@pytest.fixture(scope="session")
def health_index(tmp_path_factory) -> Index:
    """152 health laws and regulations, national and local, some in two versions (bench/sets/health)."""
    index, _ = open_index(SETS / "health" / "corpus", tmp_path_factory.mktemp("health") / "index.sqlite")
    return index


@pytest.fixture(scope="session")
def provyears_index(tmp_path_factory) -> Index:
    """Provincial government work reports of 2025 and 2026, some left out (bench/sets/provyears)."""
    index, _ = open_index(SETS / "provyears" / "corpus", tmp_path_factory.mktemp("provyears") / "index.sqlite")
    return index


@pytest.fixture
def fake():
    """The Bot API stand-in on loopback, for the real bot to talk to."""
    from .fake_telegram import FakeBotAPI

    with FakeBotAPI() as server:
        yield server


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def seed_text(name_prefix: str) -> str:
    path = next(SEEDS.glob(f"{name_prefix}*.txt"))
    return path.read_text(encoding="utf-8")


def fail_writes(monkeypatch, exc: BaseException) -> None:
    """Make every index write fail with `exc` after its rows are written, before it commits: as a disk that
    fills up midway would."""
    from types import SimpleNamespace

    from retrieval.indexing import writer

    def fail(*args, **kwargs):
        raise exc

    monkeypatch.setattr(writer, "secrets", SimpleNamespace(token_hex=fail))


def find(index, question: str, k: int = 5, today=None, **kwargs):
    """The search of a question as the front ends make it: parsed once, then searched."""
    from retrieval.answering.query import parse_query
    from retrieval.answering.search import search

    return search(index, parse_query(question, index, today), k=k, **kwargs)
