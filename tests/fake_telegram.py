"""A fake Telegram Bot API server on loopback, for end-to-end tests of the real bot.

It answers getMe, deleteWebhook and getUpdates (long polling, fed by `push`), records every call, and
returns plausible results for sendMessage, editMessageText and the rest. Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from bot.settings import Settings

BOT = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "政策问答",
    "username": "policy_qa_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
JSON_FIELDS = {
    "reply_markup",
    "reply_parameters",
    "results",
    "link_preview_options",
    "commands",
    "entities",
    "allowed_updates",
    "button",
    "scope",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the default backlog of 5 resets connections in a burst of concurrent calls


class FakeBotAPI:
    """Records calls as (method, params) and serves queued updates to getUpdates."""

    def __init__(self, token: str = "123456:TEST-token-secret"):
        self.token = token
        self.calls: list[tuple[str, dict]] = []
        self.call_times: list[float] = []  # time.monotonic() of each call, aligned with self.calls
        self.updates: list[dict] = []
        self.cond = threading.Condition()
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1000)
        self.fail_next: dict[str, int] = {}  # method -> number of 429 answers to give first
        self.files: dict[str, bytes] = {}  # file_path -> content, served under /file/bot<token>/
        self.downloads: list[str] = []  # file paths the bot downloaded
        self.script: dict[int, list[dict]] = {}  # chat id -> updates to push, one after each reply to that chat
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real API: a burst must not open a socket per call

            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                api.handle(self, body)

            do_GET = do_POST

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/bot"

    def settings(self, corpus: Path, index: Path, **more: Any) -> Settings:
        """A bot's settings for talking to this stand-in, over `corpus` with its index at `index`."""
        return Settings(
            telegram_bot_token=self.token, telegram_api_base_url=self.base_url, corpus=corpus, index=index, **more
        )

    def __enter__(self) -> FakeBotAPI:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with self.cond:
            self.cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # --- the HTTP side ------------------------------------------------------------------------------
    def handle(self, request: BaseHTTPRequestHandler, body: str) -> None:
        path = unquote(request.path.split("?")[0])
        if path.startswith("/_test/"):  # the control side, for a stand-in running in another process
            return self._control(request, path.removeprefix("/_test/"), body)
        if path.startswith(f"/file/bot{self.token}/"):
            return self._download(request, path[len(f"/file/bot{self.token}/") :])
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return self._send(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        method = path[len(prefix) :]
        params = self._params(request, body)
        with self.cond:
            self.calls.append((method, params))
            self.call_times.append(time.monotonic())
            self.cond.notify_all()
            if self.fail_next.get(method):
                self.fail_next[method] -= 1
                return self._send(
                    request,
                    429,
                    {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    },
                )
        if method == "getUpdates":
            return self._send(request, 200, {"ok": True, "result": self._get_updates(params)})
        if method == "sendMessage" and self.script:
            with self.cond:
                queue = self.script.get(int(params.get("chat_id", 0)))
                following = queue.pop(0) if queue else None
            if following is not None:
                self.push(following)
        return self._send(request, 200, {"ok": True, "result": self._result(method, params)})

    def _control(self, request: BaseHTTPRequestHandler, action: str, body: str) -> None:
        if action == "push":
            return self._send(request, 200, {"update_id": self.push(json.loads(body))})
        if action == "push_many":
            return self._send(request, 200, {"update_ids": [self.push(u) for u in json.loads(body)]})
        if action == "script":  # users who each ask their next question when the answer to the last arrives
            with self.cond:
                for chat_id, updates in json.loads(body).items():
                    self.script[int(chat_id)] = list(updates)
                first = [self.script[c].pop(0) for c in self.script if self.script[c]]
            for update in first:
                self.push(update)
            return self._send(request, 200, {"scripted": len(first)})
        if action.startswith("count/"):  # calls per chat: cheap to poll often
            counts: dict[str, int] = {}
            for p in self.calls_of(action.removeprefix("count/")):
                counts[str(p.get("chat_id"))] = counts.get(str(p.get("chat_id")), 0) + 1
            return self._send(request, 200, counts)
        return self._send(request, 200, {"calls": self.calls_of(action.removeprefix("calls/"))})

    def _download(self, request: BaseHTTPRequestHandler, file_path: str) -> None:
        with self.cond:
            data = self.files.get(file_path)
            self.downloads.append(file_path)
        if data is None:
            return self._send(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    @staticmethod
    def _params(request, body: str) -> dict:
        ctype = request.headers.get("Content-Type", "")
        if "json" in ctype:
            return json.loads(body or "{}")
        params = dict(parse_qsl(body, keep_blank_values=True))
        for key in JSON_FIELDS & params.keys():
            params[key] = json.loads(params[key])
        return params

    @staticmethod
    def _send(request, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the bot gave up on a long poll
            request.wfile.write(data)

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self.cond:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while not self.updates and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            return list(self.updates[:100])

    def _result(self, method: str, params: dict):
        if method == "getMe":
            return BOT
        if method == "getFile":
            file_id = params["file_id"]
            path = f"documents/{file_id}"
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files.get(path, b"")),
                "file_path": path,
            }
        if method in ("sendMessage", "editMessageText") and "inline_message_id" not in params:
            chat_id = int(params.get("chat_id", 0))
            params["result_message_id"] = int(params.get("message_id") or next(self.message_ids))  # for the tests
            return {
                "message_id": params["result_message_id"],
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT,
                "text": params.get("text", ""),
            }
        return True

    # --- the test side ------------------------------------------------------------------------------
    def push(self, update: dict) -> int:
        """Queue an update for the bot; returns its update_id."""
        with self.cond:
            update = {"update_id": next(self.update_ids), **update}
            self.updates.append(update)
            self.cond.notify_all()
            return update["update_id"]

    def add_file(
        self, data: bytes, file_name: str, *, mime_type: str = "application/octet-stream", file_size: int | None = None
    ) -> dict:
        """Store a file the bot can download; returns the `document` object of a message that carries it."""
        file_id = f"f{next(self.update_ids)}"
        with self.cond:
            self.files[f"documents/{file_id}"] = data
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data) if file_size is None else file_size,
        }

    def wait_for(self, method: str, where=lambda p: True, timeout: float = 15.0, count: int = 1) -> list[dict]:
        """Wait until `count` calls of `method` matching `where` were made; return them all."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = [p for m, p in self.calls if m == method and where(p)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m, {k: str(v)[:80] for k, v in p.items()}) for m, p in self.calls[-10:]]
                    raise AssertionError(f"no {count} {method} call(s) matching; last calls: {seen}")
                self.cond.wait(remaining)

    def calls_of(self, method: str, where=lambda p: True) -> list[dict]:
        with self.cond:
            return [p for m, p in self.calls if m == method and where(p)]


# --- update builders ----------------------------------------------------------------------------------
_ids = itertools.count(1)
USER = {"id": 4242, "is_bot": False, "first_name": "李", "username": "li_staff", "language_code": "zh-hans"}
OTHER_USER = {"id": 5151, "is_bot": False, "first_name": "王"}


def message(chat_id: int, text: str, *, user: dict = USER, reply_to: dict | None = None, entities=None) -> dict:
    chat = (
        {"id": chat_id, "type": "private", "first_name": user["first_name"]}
        if chat_id > 0
        else {"id": chat_id, "type": "supergroup", "title": "卫健委工作群"}
    )
    msg = {"message_id": next(_ids), "date": int(time.time()), "chat": chat, "from": user, "text": text}
    if text.startswith("/"):
        cmd = text.split()[0]
        msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd.encode("utf-16-le")) // 2}]
    if entities:
        msg["entities"] = entities
    if reply_to is not None:
        msg["reply_to_message"] = reply_to
    return {"message": msg}


def document(chat_id: int, file: dict, *, caption: str | None = None, user: dict = USER) -> dict:
    """A message carrying a file (see FakeBotAPI.add_file), with an optional caption such as /add."""
    update = message(chat_id, "", user=user)
    msg = update["message"]
    del msg["text"]
    msg.pop("entities", None)
    msg["document"] = file
    if caption is not None:
        msg["caption"] = caption
        if caption.startswith("/"):
            cmd = caption.split()[0]
            msg["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": len(cmd)}]
    return update


def inline(query: str, user: dict = USER) -> dict:
    return {"inline_query": {"id": str(next(_ids)), "from": user, "query": query, "offset": ""}}


def callback(data: str, message_: dict | None = None, user: dict = USER, inline_message_id: str | None = None) -> dict:
    cq = {"id": str(next(_ids)), "from": user, "chat_instance": "ci", "data": data}
    if message_ is not None:
        cq["message"] = message_
    if inline_message_id is not None:
        cq["inline_message_id"] = inline_message_id
    return {"callback_query": cq}


class FakeBotAPIProcess:
    """The same stand-in in a process of its own, so that benchmarks do not count its work as the bot's.

    The test side (push, wait_for, calls_of) goes through its /_test/ endpoints.
    """

    def __init__(self, token: str = "123456:TEST-token-secret"):
        self.token = token

    def __enter__(self) -> FakeBotAPIProcess:
        import subprocess
        import sys
        from pathlib import Path

        code = (
            "import sys, time; from tests.fake_telegram import FakeBotAPI\n"
            f"with FakeBotAPI({self.token!r}) as api:\n"
            "    print(api.base_url, flush=True); sys.stdin.read()"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        self.base_url = self.process.stdout.readline().strip()
        self.root = self.base_url.removesuffix("/bot")
        return self

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        self.process.wait(10)

    def _get(self, path: str, body: dict | None = None) -> dict:
        import urllib.request

        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.root + path, data=data, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def push(self, update: dict) -> int:
        return self._get("/_test/push", update)["update_id"]

    def push_many(self, updates: list[dict]) -> None:
        self._get("/_test/push_many", updates)

    def script(self, updates: dict[int, list[dict]]) -> None:
        """Each chat's first update now, each next one as soon as the bot replies in that chat."""
        self._get("/_test/script", {str(c): u for c, u in updates.items()})

    def calls_of(self, method: str, where=lambda p: True) -> list[dict]:
        return [p for p in self._get(f"/_test/calls/{method}")["calls"] if where(p)]

    def counts_of(self, method: str) -> dict[int, int]:
        """Calls of `method` per chat id."""
        return {int(k): v for k, v in self._get(f"/_test/count/{method}").items() if k != "None"}

    def wait_for(
        self, method: str, where=lambda p: True, timeout: float = 15.0, count: int = 1, poll: float = 0.02
    ) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.calls_of(method, where)
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} {method} call(s) matching")
            time.sleep(poll)


@asynccontextmanager
async def polling(application):
    """Run a built Application as `qabot run` does (post_init, then long polling) until the block ends."""
    from bot.app import post_init

    await application.initialize()
    await post_init(application)
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


def photo(chat_id: int, file: dict, width: int, height: int, *, user: dict = USER) -> dict:
    """A message carrying a photo as Telegram sends one: a thumbnail and the full size (see FakeBotAPI.add_file)."""
    update = message(chat_id, "", user=user)
    msg = update["message"]
    del msg["text"]
    msg.pop("entities", None)
    sizes = [
        {
            "file_id": f"{file['file_id']}",
            "file_unique_id": file["file_unique_id"],
            "width": width,
            "height": height,
            "file_size": file["file_size"],
        },
        {"file_id": "thumb", "file_unique_id": "thumb", "width": 90, "height": 90 * height // width, "file_size": 100},
    ]
    msg["photo"] = sizes
    return update


@asynccontextmanager
async def archive_bot(fake: FakeBotAPI, corpus: Path, index_path: Path, chats: list[int]):
    """The real bot over one archive's corpus (indexed at `index_path`), answering in `chats`, polling the stand-in
    until the block ends."""
    from bot.app import build_application
    from retrieval import open_index

    index, _ = open_index(corpus, index_path)
    settings = fake.settings(corpus, index_path, allowed_chats=chats)
    async with polling(build_application(settings, index=index)) as application:
        yield application
