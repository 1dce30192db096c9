"""The qabot command line: index, search (single and batch, JSON and text), ask, and its errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from bot.cli import main
from bot.settings import Settings

from .conftest import ROOT


@pytest.fixture
def env(tmp_path, monkeypatch, seeds):
    monkeypatch.setenv("QABOT_INDEX", str(tmp_path / "cli.sqlite"))
    monkeypatch.setenv("QABOT_CORPUS", str(seeds))
    return tmp_path


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_index_builds_then_reports_up_to_date(env, capsys):
    code, out, _ = run(capsys, "index")
    assert code == 0 and "indexed 5 documents" in out
    code, out, _ = run(capsys, "index")
    assert code == 0 and "up to date" in out


def test_index_summarises_the_facets_of_the_corpus(env, capsys):
    code, out, _ = run(capsys, "index")
    lines = out.splitlines()
    facets = [line for line in lines if line.startswith("  facets: ")]
    assert code == 0 and lines[-1] == facets[0]  # one line, after the others
    assert facets == [
        "  facets: 3 documents with a region (全国、山西), years 2021-2024,"
        " kinds: 讲话 2、局长会议 1、会议 1、工作会议 1"
    ]


def test_search_json_follows_the_interface(env, capsys):
    code, out, _ = run(capsys, "search", "--json", "-k", "3", "岐黄工程")
    assert code == 0
    result = json.loads(out)
    assert result["query"] == "岐黄工程" and 1 <= len(result["results"]) <= 3
    first = result["results"][0]
    assert set(first) >= {"text", "score", "doc", "paragraph", "citation", "reference"}
    assert set(first["doc"]) >= {"id", "title", "source", "date", "path", "excerpt"}
    assert first["doc"]["path"].endswith(first["doc"]["id"]) and os.path.exists(first["doc"]["path"])
    assert "岐黄工程" in first["text"] and first["citation"].startswith("《")


def test_batch_search_answers_each_line_in_order_and_survives_bad_lines(env, capsys, monkeypatch):
    lines = ["岐黄工程", "", "怎么做红烧肉", "中" * 1001, "國家醫學中心建設"]
    code, out, _ = run(capsys, "search", "--json", stdin="\n".join(lines) + "\n", monkeypatch=monkeypatch)
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["query"] for r in rows] == lines
    assert rows[0]["results"] and rows[4]["results"]
    assert rows[1]["results"] == [] and "空" in rows[1]["error"]
    assert rows[2]["results"] == [] and "error" not in rows[2]
    assert rows[3]["results"] == [] and "太长" in rows[3]["error"]


@pytest.mark.parametrize("query", ["", "   ", "中" * 1001])
def test_bad_single_query_exits_2(env, capsys, query):
    code, _, err = run(capsys, "search", query)
    assert code == 2 and err.startswith("qabot: 问题")


def test_text_search_is_readable(env, capsys):
    code, out, _ = run(capsys, "search", "医保支付方式改革")
    assert code == 0 and out.startswith("# 医保支付方式改革") and "——" in out


def test_ask_prints_lead_passages_and_references(env, capsys):
    code, out, _ = run(capsys, "ask", "--cite", "中医药局长会议宣读了谁的书面讲话")
    assert code == 0
    assert out.startswith("答:“会议宣读了国家卫生健康委主任、党组书记马晓伟的书面讲话。")
    assert (
        "参考文献:崔芳. 发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作[N]. 健康报, 2024-01-24."
        in out
    )
    assert "\033[" not in out  # piped: no colour codes


def test_ask_loop_reads_questions_until_eof(env, capsys, monkeypatch):
    code, out, _ = run(capsys, "ask", "--loop", stdin="岐黄工程是什么\n\n今天天气怎么样\n", monkeypatch=monkeypatch)
    assert code == 0
    assert "实施中医药特色人才培养工程(岐黄工程)" in out and "健康报" in out
    assert "没有找到" in out


def test_run_without_token_is_a_clear_error(env, capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    code, _, err = run(capsys, "run")
    assert code == 2 and "TELEGRAM_BOT_TOKEN" in err


def test_missing_corpus_is_reported(env, capsys, tmp_path):
    code, _, err = run(capsys, "search", "--corpus", str(tmp_path / "nowhere"), "岐黄工程")
    assert code == 1 and "找不到语料文件夹" in err


def test_status_tells_the_index_its_folder_skipped_files_and_feedback_in_one_screen(env, capsys, corpus):
    (corpus / "empty.txt").write_text("", encoding="utf-8")
    index_path = env / "cli.sqlite"
    run(capsys, "index", "--corpus", str(corpus))
    from retrieval import Index, feedback_totals
    from retrieval.answering.feedback import FeedbackLog
    from retrieval.core.models import Answer

    log_ = FeedbackLog(index_path.with_name("feedback.sqlite"))
    log_.record(1, 10, 5, Answer(question="岐黄工程", status="none"))
    log_.rate(log_.asked(1, 10), 5, "up")
    log_.record(1, 11, 5, Answer(question="医防结合", status="none"))
    log_.close()
    code, out, _ = run(capsys, "status", "--corpus", str(corpus))
    index = Index(index_path)
    lines = out.splitlines()
    assert code == 0 and len(lines) <= 24
    assert lines[0].startswith(f"index      {index_path} (") and f"folder     {corpus.resolve()}" in lines
    assert f"generation {index.generation}, refreshed {index.commit.built_at[:10]}" in out
    assert f"contents   5 documents, {index.n_chunks} chunks" in out
    assert "skipped    1 files:" in out and "empty.txt: 空文件" in out
    assert "feedback   " in out and "2 questions, 1 rated (1 👍)" in out
    assert feedback_totals(index_path.with_name("feedback.sqlite")) == (2, 1, 1)


def test_status_without_an_index_or_with_a_damaged_one_says_so_and_exits_1(env, capsys):
    code, out, _ = run(capsys, "status")
    assert code == 1 and "not built yet" in out and "no questions logged yet" in out
    (env / "cli.sqlite").write_bytes(b"not an index")
    code, out, _ = run(capsys, "status")
    assert code == 1 and "索引文件已损坏" in out


def test_settings_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("QABOT_CORPUS", str(tmp_path))
    monkeypatch.setenv("QABOT_ALLOWED_CHATS", "123, -100456")
    monkeypatch.setenv("QABOT_ADMINS", "[7, 8]")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:abc")
    s = Settings()
    assert s.corpus == tmp_path and s.allowed_chats == [123, -100456] and s.admins == [7, 8]
    assert s.telegram_bot_token.get_secret_value() == "1:abc" and "abc" not in repr(s)


def test_console_script_and_module_entry_point(env):
    script = os.path.join(os.path.dirname(sys.executable), "qabot")
    for cmd in ([script], [sys.executable, "-m", "bot"]):
        proc = subprocess.run(
            cmd + ["search", "--json", "-k", "1"],
            input="医防结合\n",
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        assert "医防结合" in json.loads(proc.stdout)["results"][0]["text"].replace("醫防結合", "医防结合")
