"""The service recipes of deploy/: the systemd unit is run as systemd would run it (its ExecStart, in its working
directory, with its environment file) against the Bot API stand-in; the container file is parsed and its paths
checked against the checkout, the lock and the settings; /healthz says whether the index is loaded."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath

import pytest

from bot.app import build_application, post_shutdown
from bot.settings import Settings
from bot.web import health

from .conftest import ROOT, SEEDS
from .fake_telegram import USER, message, polling
from .telegram_html import check_telegram_html

DEPLOY = ROOT / "deploy"
INSTALLED = "/opt/qabot"  # where the unit expects the checkout
STATE = "/var/lib/qabot"  # the unit's StateDirectory


def unit() -> dict[str, str]:
    """The [Service] section of deploy/qabot.service (one value per key: the unit sets none twice)."""
    section, found = None, {}
    for line in (DEPLOY / "qabot.service").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Service" and line and not line.startswith("#"):
            key, _, value = line.partition("=")
            assert key not in found, f"{key} set twice"
            found[key] = value
    return found


def environment_file(commented: bool = False) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= and docker's --env-file both read them (with `commented`, the
    settings shown commented out too)."""
    values = {}
    for line in (DEPLOY / "qabot.env").read_text(encoding="utf-8").splitlines():
        if commented and line.startswith("# ") and "=" in line and line[2:].split("=")[0].isupper():
            line = line[2:]
        if line.strip() and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep and key == key.strip() and "#" not in value and '"' not in value, line
            values[key] = value
    return values


def unit_environment() -> dict[str, str]:
    """The unit's Environment= assignments."""
    return dict(pair.split("=", 1) for pair in shlex.split(unit()["Environment"]))


def test_the_unit_runs_as_its_own_user_restarts_on_failure_and_logs_to_the_journal():
    service = unit()
    assert service["User"] == service["Group"] == "qabot"
    assert service["WorkingDirectory"] == INSTALLED and service["EnvironmentFile"] == "/etc/qabot/qabot.env"
    assert service["ExecStart"] == f"{INSTALLED}/.venv/bin/qabot run"  # what `make install` puts there
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert service["StandardOutput"] == service["StandardError"] == "journal"
    assert service["StateDirectory"] == PurePosixPath(STATE).name and service["ProtectSystem"] == "strict"
    for key in ("QABOT_CORPUS", "QABOT_INDEX", "QABOT_FEEDBACK"):  # the one place ProtectSystem leaves writable
        assert unit_environment()[key].startswith(STATE + "/"), key
    assert not {"QABOT_CORPUS", "QABOT_INDEX", "QABOT_FEEDBACK", "QABOT_LISTEN"} & set(environment_file())


def setting_names() -> set[str]:
    """The environment variables Settings reads."""
    names = set()
    for name, spec in Settings.model_fields.items():
        names.add(f"QABOT_{name.upper()}")
        alias = spec.validation_alias
        names.update(a for a in getattr(alias, "choices", []) if isinstance(a, str) and a.isupper())
    return names


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd here")
def test_systemd_finds_nothing_wrong_with_the_unit(tmp_path):
    """`systemd-analyze verify`: every key known, in its section, values it can parse (the paths made this
    checkout's, since it also checks that ExecStart is there)."""
    text = (DEPLOY / "qabot.service").read_text(encoding="utf-8")
    here = tmp_path / "qabot.service"
    here.write_text(text.replace(f"{INSTALLED}/.venv/bin", str(Path(sys.executable).parent)), encoding="utf-8")
    checked = subprocess.run(["systemd-analyze", "verify", str(here)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr


def test_the_environment_file_names_only_real_settings():
    names = setting_names()
    named = set(environment_file(commented=True)) | set(unit_environment())
    assert named <= names, named - names
    assert {"TELEGRAM_BOT_TOKEN", "QABOT_ADMINS", "QABOT_WEBHOOK_URL"} <= set(environment_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_what_the_unit_starts_answers_and_stops_cleanly_on_sigterm(fake, tmp_path):
    """ExecStart in WorkingDirectory with the unit's environment and its environment file, as systemd starts it: the
    state folder moved under tmp_path, the token and Bot API URL of the stand-in, nothing else from the test's."""
    service = unit()
    state = tmp_path / "state"
    shutil.copytree(SEEDS, state / "corpus")
    env = {key: value.replace(STATE, str(state)) for key, value in {**unit_environment(), **environment_file()}.items()}
    env.update(TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url, PATH=os.environ["PATH"])
    env["JOURNAL_STREAM"] = "8:4242"  # what systemd sets when stdout and stderr go to the journal
    here = Path(sys.executable).parent  # this checkout's .venv/bin
    argv = [arg.replace(f"{INSTALLED}/.venv/bin", str(here)) for arg in shlex.split(service["ExecStart"])]
    cwd = Path(service["WorkingDirectory"].replace(INSTALLED, str(ROOT)))
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        fake.wait_for("getUpdates", timeout=90)
        fake.push(message(USER["id"], "岐黄工程是什么"))
        reply = fake.wait_for("sendMessage", lambda p: int(p["chat_id"]) == USER["id"], timeout=30)[-1]
        assert "岐黄工程" in check_telegram_html(reply["text"])
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=int(service["TimeoutStopSec"])) == 0
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
    _, err = proc.communicate()
    assert "Traceback" not in err and fake.token not in err, err[-2000:]
    assert (state / "index.sqlite").exists() and (state / "feedback.sqlite").exists()  # where the file says
    ready = "<6>INFO bot.app: index ready: 5 documents"  # the journal's priority first, no time of ours
    assert any(line.startswith(ready) for line in err.splitlines()), err[-2000:]


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of deploy/Dockerfile, continuation lines joined, comments left out."""
    steps, pending = [], ""
    for line in (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip().removesuffix("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            instruction, _, arguments = pending.strip().partition(" ")
            steps.append((instruction.upper(), arguments.strip()))
            pending = ""
    assert not pending, "a continuation line ends the file"
    return steps


def test_the_container_file_installs_the_locked_ocr_build_and_keeps_its_data_on_volumes():
    steps = dockerfile()
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11-slim")  # the Python the lock is for
    runs = " && ".join(a for i, a in steps if i == "RUN")
    assert "--require-hashes -r requirements/build.txt" in runs
    assert "--require-hashes --no-build-isolation -r requirements/run.txt" in runs
    assert "rapidocr-onnxruntime==" in (ROOT / "requirements" / "run.txt").read_text(encoding="utf-8")
    for instruction, arguments in steps:
        if instruction == "COPY":
            *sources, _ = arguments.split()
            for source in sources:
                assert (ROOT / source).exists(), f"COPY {source}: not in the checkout"
    env: dict[str, str] = {}
    for instruction, arguments in steps:
        if instruction == "ENV":
            env.update(pair.split("=", 1) for pair in arguments.split())
    volumes = json.loads(next(a for i, a in steps if i == "VOLUME"))
    for key in ("QABOT_CORPUS", "QABOT_INDEX", "QABOT_FEEDBACK"):
        path = PurePosixPath(env[key])
        assert any(path == PurePosixPath(v) or PurePosixPath(v) in path.parents for v in volumes), key
    assert env["QABOT_HEALTH"] == "true" and env["QABOT_LISTEN"] == "0.0.0.0"
    assert next(a for i, a in steps if i == "EXPOSE") == env["QABOT_PORT"]
    check = next(a for i, a in steps if i == "HEALTHCHECK")
    assert "/healthz" in check and "QABOT_PORT" in check
    assert next(a for i, a in steps if i == "USER") not in ("root", "0")
    assert json.loads(next(a for i, a in steps if i == "CMD")) == ["qabot", "run"]
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".cache", ".git"} <= set(ignored)
    for key in env:  # every setting the image sets is a real one
        assert key.startswith(("PYTHON", "PIP_")) or key in setting_names(), key


async def test_healthz_says_whether_the_index_is_loaded_in_polling_mode_too(fake, seed_index, tmp_path):
    port = free_port()
    settings = fake.settings(SEEDS, tmp_path / "i.sqlite", health=True, port=port)
    application = build_application(settings, index=seed_index)
    async with polling(application):
        body = await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/healthz")
        assert body == {
            "ok": True,
            "index": {
                "generation": seed_index.generation,
                "documents": 5,
                "chunks": seed_index.n_chunks,
                "refreshed": seed_index.commit.built_at,
            },
        }
        del application.bot_data["index"]
        assert health(application) == (503, {"ok": False, "index": None})
        with pytest.raises(urllib.error.HTTPError) as unhealthy:
            await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/healthz")
        assert unhealthy.value.code == 503
        application.bot_data["index"] = seed_index
    await post_shutdown(application)  # as run_polling does after the bot stopped
    with pytest.raises(OSError):  # the server stopped with the bot
        await asyncio.to_thread(_get, f"http://127.0.0.1:{port}/healthz")


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())
