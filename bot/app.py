"""The Telegram bot's wiring: python-telegram-bot v22 Application, start-up and shut-down, the commands that
are about the bot itself (/start, /help, /reload), the error handler, and running it.

Private chat: any text is a question. Groups: /ask (also as a reply to someone's message), a mention of
the bot, or a reply to the bot; everything else is ignored. Inline mode: @bot question lists passages.
The handlers live in answers.py (questions), documents.py (the corpus from the chat) and feedback.py (ratings).
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    filters,
)

from retrieval import BuildReport, Index, load_dictionary, open_index

from . import answers, documents, feedback, files, inline, pictures, web
from .common import example_questions, is_admin, refresh, refuse_if_not_allowed
from .logs import configure_logging
from .settings import Settings
from .texts import COMMANDS, FAILED, UNKNOWN_BUTTON, help_text, reload_text, start_failed_text

log = logging.getLogger(__name__)

CONNECTIONS = 16  # to the Bot API, for everything but getUpdates
POOL_WAIT = 30.0  # seconds a request may wait for a free connection in a burst before it fails


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the bot, with example questions drawn from the corpus."""
    if await refuse_if_not_allowed(update, context):
        return
    examples = context.application.bot_data.get("examples", [])
    await update.effective_message.reply_text(help_text(context.bot.username, examples))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Same as /start: how to use the bot."""
    await start(update, context)


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refresh the index after the corpus changed (admins only)."""
    if not is_admin(update, context):
        await update.effective_message.reply_text("只有管理员可以重新加载语料。")
        return
    index, report = await refresh(context.application)
    await update.effective_message.reply_text(reload_text(index, report))


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button this bot did not make (or an older bot's): say so instead of leaving the spinner."""
    await update.callback_query.answer(UNKNOWN_BUTTON)


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with the update, and tell the user briefly that something failed."""
    log.error("error while handling an update: %s", update, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(FAILED)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(FAILED)
    except Exception:  # the notice itself failed (network, flood): the log line above is what counts
        log.warning("could not tell the user about the error", exc_info=True)


async def post_init(application: Application) -> None:
    """Load (or build) the index before polling starts, register the commands, and tell the admins when the
    refresh at start-up failed (the last good index is served)."""
    settings: Settings = application.bot_data["settings"]
    await asyncio.to_thread(load_dictionary)  # a bot segments many questions: from memory, not word by word
    if "index" not in application.bot_data:
        index, report = await asyncio.to_thread(open_index, settings.corpus, settings.index)
        application.bot_data["index"] = index
        application.bot_data["start_report"] = report
    application.bot_data["examples"] = example_questions(application.bot_data["index"])
    feedback.open_feedback(application)
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    if settings.health and application.updater is not None:  # polling: /healthz on a server of its own
        application.bot_data["health"] = await web.start_health(application, settings)
    report = application.bot_data.get("start_report")
    if report is not None and report.failed:
        await tell_admins(application, start_failed_text(report.failed))


async def post_shutdown(application: Application) -> None:
    """Stop the health server (polling with QABOT_HEALTH), let searches in flight finish, free the pool's threads."""
    if "health" in application.bot_data:
        await web.stop_server(application.bot_data.pop("health"))
    await asyncio.to_thread(application.bot_data["searches"].shutdown)
    feedback.close_feedback(application)


async def tell_admins(application: Application, text: str) -> None:
    """A message to every admin; one that cannot be reached (never started a chat with the bot) is logged."""
    for admin in application.bot_data["settings"].admins:
        try:
            await application.bot.send_message(admin, html.escape(text, quote=False))
        except TelegramError:
            log.warning("could not tell admin %s", admin, exc_info=True)


def build_application(
    settings: Settings, index: Index | None = None, start_report: BuildReport | None = None, polling: bool = True
) -> Application:
    """The bot's Application: handlers, HTML defaults, flood control, error handler; without an Updater when
    updates come by webhook (web.serve_webhook puts them on its queue)."""
    defaults = Defaults(
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
        allow_sending_without_reply=True,  # a reply to a message deleted meanwhile is still sent
    )
    builder = Application.builder()
    if not polling:
        builder = builder.updater(None)
    application = (
        builder.token(settings.token())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_url)
        .defaults(defaults)
        .rate_limiter(AIORateLimiter(max_retries=3))
        # The flood limiter lets ~30 requests a second through: a few connections carry them, and httpcore's
        # pool scans every connection for every request, so PTB's default of 256 costs time under load.
        .connection_pool_size(CONNECTIONS)
        .pool_timeout(POOL_WAIT)
        .concurrent_updates(True)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["settings"] = settings
    application.bot_data["searches"] = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="search")
    if index is not None:
        application.bot_data["index"] = index
    if start_report is not None:
        application.bot_data["start_report"] = start_report
    new = filters.UpdateType.MESSAGE  # each message is answered once: an edit does not ask again
    for name, callback in (("start", start), ("help", help_command), ("reload", reload)):
        application.add_handler(CommandHandler(name, callback, filters=new))
    answers.add_handlers(application)
    pictures.add_handlers(application)
    inline.add_handlers(application)
    documents.add_handlers(application)
    files.add_handlers(application)
    feedback.add_handlers(application)
    application.add_handler(CallbackQueryHandler(unknown_button))
    application.add_error_handler(error_handler)
    return application


def run_bot(settings: Settings) -> int:
    """Run until SIGINT/SIGTERM: long polling, or a webhook behind a reverse proxy (QABOT_WEBHOOK_URL), with
    /healthz beside it.

    The index is loaded (or built) first, so a missing corpus is a clear error before any network call.
    """
    configure_logging()
    index, report = open_index(settings.corpus, settings.index)
    if report.failed:
        log.warning("the index was not refreshed, the previous one is served: %s", report.failed)
    built = "" if report.unchanged else f" (built in {report.seconds:.1f} s)"
    log.info("index ready: %d documents, %d chunks%s", len(index.documents), index.n_chunks, built)
    application = build_application(settings, index=index, start_report=report, polling=not settings.webhook_url)
    if settings.webhook_url:
        asyncio.run(web.serve_webhook(application, settings))
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    log.info("stopped")
    return 0
