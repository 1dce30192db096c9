"""An index knows the folder it was built from: given alone it is refreshed from there, a command naming another
folder is stopped before anything is written, a rebuild from another folder is asked for by name, and an index
built before folders were recorded finds its own (issue: `qabot ask --index X` rebuilt X from seeds/ silently)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from bot.app import build_application
from bot.cli import main
from bot.settings import Settings
from retrieval import CorpusMismatch, open_index, recorded_corpus
from retrieval.indexing.compact import compact

from .conftest import SEEDS
from .fake_telegram import USER, document, message, polling

REPORT = (
    "2025年江城市卫生健康工作报告\n\n"
    "一、智慧医疗\n\n"
    "今年全市建成互联网医院七家,实现检查检验结果互认的医疗机构达到一百二十家。\n\n"
    "二、适老化改造\n\n"
    "完成社区卫生服务中心适老化改造三十个,为八十岁以上老人提供上门巡诊服务。\n"
)
QUESTION = "全市建成互联网医院几家"


@pytest.fixture
def reports(tmp_path) -> Path:
    """A folder of reports that is not seeds/: what a team indexes."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "江城市2025年卫生健康工作报告.txt").write_text(REPORT, encoding="utf-8")
    (folder / "通知.txt").write_text(
        "关于开展家庭医生签约服务的通知\n\n各区要做好家庭医生签约服务。\n", encoding="utf-8"
    )
    return folder


@pytest.fixture
def cli(monkeypatch, capsys):
    """`qabot …` in this process, with no QABOT_CORPUS or QABOT_INDEX in the environment."""
    monkeypatch.delenv("QABOT_CORPUS", raising=False)
    monkeypatch.delenv("QABOT_INDEX", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def forget_folder(index_path: Path) -> None:
    """Make the index look built before folders were recorded."""
    with sqlite3.connect(index_path) as db:
        db.execute("DELETE FROM meta WHERE key = 'corpus'")
    db.close()


def test_an_index_given_alone_answers_from_its_own_folder(cli, reports, tmp_path):
    index = tmp_path / "reports.sqlite"
    code, out, _ = cli("index", "--corpus", str(reports), "--index", str(index))
    assert code == 0 and "indexed 2 documents" in out
    code, out, err = cli("ask", "--index", str(index), QUESTION)
    assert code == 0 and "互联网医院七家" in out and "江城市" in out, err
    code, out, _ = cli("index", "--index", str(index))
    assert code == 0 and "up to date: 2 documents" in out
    assert recorded_corpus(index) == reports.resolve()


def test_another_folder_is_refused_with_the_folders_and_the_way_to_rebuild(cli, reports, tmp_path):
    index = tmp_path / "reports.sqlite"
    cli("index", "--corpus", str(reports), "--index", str(index))
    before = digest(index)
    code, out, err = cli("ask", "--corpus", str(SEEDS), "--index", str(index), "岐黄工程")
    assert code == 2 and out == ""
    assert "索引建自另一个语料文件夹,未作改动" in err and "another folder" in err
    assert str(reports.resolve()) in err and str(SEEDS) in err
    assert f"qabot index --corpus {SEEDS} --index {index} --rebuild" in err
    assert digest(index) == before
    code, out, _ = cli("index", "--corpus", str(SEEDS), "--index", str(index), "--rebuild")
    assert code == 0 and "indexed 5 documents" in out and "rebuild asked for" in out
    code, out, _ = cli("search", "--index", str(index), "岐黄工程")
    assert code == 0 and "岐黄工程" in out and recorded_corpus(index) == SEEDS


def test_a_folder_named_in_the_environment_counts_as_given(cli, reports, tmp_path, monkeypatch):
    index = tmp_path / "reports.sqlite"
    cli("index", "--corpus", str(reports), "--index", str(index))
    monkeypatch.setenv("QABOT_CORPUS", str(SEEDS))
    code, _, err = cli("search", "--index", str(index), "岐黄工程")
    assert code == 2 and "--rebuild" in err
    monkeypatch.setenv("QABOT_CORPUS", str(reports / "." / ".." / "reports"))  # the same folder, spelt otherwise
    code, out, _ = cli("search", "--index", str(index), QUESTION)
    assert code == 0 and "互联网医院七家" in out


def test_an_index_built_before_folders_were_recorded_finds_its_own(cli, reports, tmp_path):
    index = tmp_path / "old.sqlite"
    open_index(reports, index)
    forget_folder(index)
    assert recorded_corpus(index) == reports.resolve()  # from its documents' paths
    code, out, _ = cli("ask", "--index", str(index), QUESTION)
    assert code == 0 and "互联网医院七家" in out
    with sqlite3.connect(f"file:{index}?mode=ro", uri=True) as db:  # and it is written down now
        assert db.execute("SELECT value FROM meta WHERE key = 'corpus'").fetchone() == (str(reports.resolve()),)
    db.close()
    forget_folder(index)
    code, _, err = cli("ask", "--corpus", str(SEEDS), "--index", str(index), "岐黄工程")
    assert code == 2 and str(reports.resolve()) in err


def test_an_old_index_whose_folder_cannot_be_told_is_never_refreshed_from_the_default(
    cli, reports, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    index = tmp_path / "old.sqlite"
    open_index(Path("reports"), index)  # a relative folder: the paths say "reports/…"
    forget_folder(index)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = digest(index)
    code, _, err = cli("ask", "--index", str(index), QUESTION)
    assert code == 2 and "没有记下它建自哪个语料文件夹" in err and "--corpus" in err
    assert digest(index) == before
    code, out, _ = cli("ask", "--corpus", str(reports), "--index", str(index), QUESTION)
    assert code == 0 and "互联网医院七家" in out and recorded_corpus(index) == reports.resolve()


def test_the_library_refuses_another_folder_and_keeps_the_folder_through_refresh_and_compaction(reports, tmp_path):
    index_path = tmp_path / "lib.sqlite"
    index, _ = open_index(reports, index_path)
    with pytest.raises(CorpusMismatch) as refused:
        open_index(SEEDS, index_path)
    assert refused.value.held == str(reports.resolve()) and refused.value.given == str(SEEDS)
    (reports / "新增.txt").write_text("新增文件\n\n全市新建村卫生室二十个。\n", encoding="utf-8")
    index, report = open_index(reports, index_path)
    assert report.added == ["新增.txt"] and index.meta["corpus"] == str(reports.resolve())
    compact(index)
    assert recorded_corpus(index_path) == reports.resolve()
    rebuilt, report = open_index(SEEDS, index_path, rebuild=True)
    assert report.rebuilt_because and len(rebuilt.documents) == 5 and recorded_corpus(index_path) == SEEDS


def test_settings_take_the_folder_of_the_index_unless_one_is_named(reports, tmp_path, monkeypatch):
    monkeypatch.delenv("QABOT_CORPUS", raising=False)
    index = tmp_path / "s.sqlite"
    assert Settings(index=index).settled().corpus == SEEDS  # no index yet: the default
    open_index(reports, index)
    assert Settings(index=index).settled().corpus == reports.resolve()
    assert Settings(index=index, corpus=SEEDS).settled().corpus == SEEDS  # named: checked when the index opens


async def test_the_bot_reloads_and_refreshes_from_the_folder_of_its_index(fake, reports, tmp_path, monkeypatch):
    """A bot started with the index alone keeps its folder: /reload and an admin's upload refresh from it."""
    monkeypatch.delenv("QABOT_CORPUS", raising=False)
    index_path = tmp_path / "bot.sqlite"
    open_index(reports, index_path)
    settings = Settings(
        telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url, index=index_path, admins=[USER["id"]]
    ).settled()
    application = build_application(settings)
    async with polling(application):
        (reports / "补充.txt").write_text("补充说明\n\n全市新建村卫生室二十个。\n", encoding="utf-8")
        fake.push(message(USER["id"], "/reload"))
        await _wait_for_text(fake, "已重新加载:3 份文档")
        assert set(application.bot_data["index"].documents) == {*os.listdir(reports)}
        upload = fake.add_file("上传的文件\n\n社区医院开设夜间门诊。\n".encode(), "上传.txt")
        fake.push(document(USER["id"], upload))
        await _wait_for_text(fake, "已加入语料库")
    assert (reports / "上传.txt").exists() and not (SEEDS / "上传.txt").exists()
    assert set(application.bot_data["index"].documents) == {*os.listdir(reports)}
    assert recorded_corpus(index_path) == reports.resolve()


async def _wait_for_text(fake, text: str) -> None:
    await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: text in p.get("text", ""), 60)
