"""The bot's own web server: Telegram's webhook behind a reverse proxy, and /healthz, which says whether the index
is loaded (for a container's health check, a load balancer or a monitor).

PTB's custom-webhook recipe (its examples/customwebhookbot): in webhook mode the Application runs without an
Updater and each update Telegram posts is put on its update_queue. The server is tornado, which PTB's `webhooks`
extra installs for its own webhook server; ours has one more route. In polling mode the same server can answer
/healthz alone (QABOT_HEALTH).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
import signal
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.ext import Application
from tornado.httpserver import HTTPServer
from tornado.web import Application as WebApplication
from tornado.web import HTTPError, RequestHandler

from .settings import Settings

log = logging.getLogger(__name__)
logging.getLogger("tornado.access").setLevel(logging.WARNING)  # a line per update is the proxy's job; errors stay

HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # Telegram sends the secret given to setWebhook in it
MAX_BODY = 2**20  # bytes: an update is a few KiB; a larger body is refused before it is read


def health(application: Application) -> tuple[int, dict[str, Any]]:
    """200 and what the index is when one is loaded, 503 otherwise. No paths: the answer may be public."""
    index = application.bot_data.get("index")
    if index is None:
        return 503, {"ok": False, "index": None}
    facts = {
        "generation": index.generation,
        "documents": len(index.documents),
        "chunks": index.n_chunks,
        "refreshed": index.commit.built_at,
    }
    return 200, {"ok": True, "index": facts}


class _Health(RequestHandler):
    def initialize(self, bot_app: Application) -> None:
        self.bot_app = bot_app

    def get(self) -> None:
        status, body = health(self.bot_app)
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body, ensure_ascii=False))


class _Updates(RequestHandler):
    def initialize(self, bot_app: Application, secret: str) -> None:
        self.bot_app, self.secret = bot_app, secret

    async def post(self) -> None:
        # only Telegram knows the secret: anyone else reaching this path gets nothing into the bot
        if not hmac.compare_digest(self.request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()):
            raise HTTPError(403)
        try:
            update = Update.de_json(json.loads(self.request.body), self.bot_app.bot)
        except (ValueError, TypeError, KeyError) as exc:
            raise HTTPError(400) from exc
        await self.bot_app.update_queue.put(update)
        self.set_status(200)


def web_server(application: Application, webhook_path: str | None = None, secret: str = "") -> HTTPServer:
    """/healthz, and the webhook at `webhook_path` when there is one."""
    routes: list[Any] = [(HEALTH_PATH, _Health, {"bot_app": application})]
    if webhook_path is not None:
        routes.append((webhook_path, _Updates, {"bot_app": application, "secret": secret}))
    return HTTPServer(WebApplication(routes), max_body_size=MAX_BODY, xheaders=True)


async def start_health(application: Application, settings: Settings) -> HTTPServer:
    """Polling mode with QABOT_HEALTH: /healthz alone on QABOT_LISTEN:QABOT_PORT (stopped by stop_server)."""
    server = web_server(application)
    server.listen(settings.port, settings.listen)
    log.info("health check on http://%s:%d%s", settings.listen, settings.port, HEALTH_PATH)
    return server


async def stop_server(server: HTTPServer) -> None:
    server.stop()
    await server.close_all_connections()


async def serve_webhook(application: Application, settings: Settings) -> None:
    """Webhook mode until SIGINT or SIGTERM: start the bot, serve the webhook and /healthz on QABOT_LISTEN:QABOT_PORT,
    then register the webhook with a secret made for this run. On the way out the webhook stays registered, so
    Telegram keeps the updates sent while the bot restarts and delivers them after."""
    url = settings.webhook_url or ""
    secret = secrets.token_urlsafe(32)  # Telegram allows 1-256 of A-Z a-z 0-9 _ -
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    server = web_server(application, urlparse(url).path or "/", secret)
    async with application:  # initialize, and shutdown on the way out
        if application.post_init is not None:
            await application.post_init(application)
        server.listen(settings.port, settings.listen)
        try:
            await application.start()
            await application.bot.set_webhook(url, allowed_updates=Update.ALL_TYPES, secret_token=secret)
            log.info("webhook %s served on %s:%d, health at %s", url, settings.listen, settings.port, HEALTH_PATH)
            await stop.wait()
            log.info("stopping")
        finally:
            await stop_server(server)
            if application.running:
                await application.stop()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)
