"""What every handler module shares: the application's settings, index and pools, chat checks, replies, refresh."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TypeVar

from telegram import Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest
from telegram.ext import Application, ContextTypes

from retrieval import CJK, BuildReport, Index, PageProgress, domain_terms, normalize, open_index

from .settings import Settings
from .texts import ADMINS_ONLY, REFUSAL

log = logging.getLogger("bot")
T = TypeVar("T")


def settings_of(context: ContextTypes.DEFAULT_TYPE) -> Settings:
    return context.application.bot_data["settings"]


def index_of(context: ContextTypes.DEFAULT_TYPE) -> Index:
    return context.application.bot_data["index"]


def off_loop(context: ContextTypes.DEFAULT_TYPE, function: Callable[..., T], *args, **kwargs) -> Awaitable[T]:
    """Run a search in the bot's pool of threads (one per core), so that it never holds up the event loop."""
    searches = context.application.bot_data["searches"]
    return asyncio.get_running_loop().run_in_executor(searches, partial(function, *args, **kwargs))


def is_allowed(settings: Settings, chat_id: int | None) -> bool:
    return settings.allowed_chats is None or chat_id in settings.allowed_chats


def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    return update.effective_user is not None and update.effective_user.id in settings_of(context).admins


def in_group(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)


async def refuse_if_not_allowed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Send the refusal and return True when this chat may not use the bot. For a button, the chat is the one
    its message is in (the presser's own id for a message posted from inline mode), and the refusal a notice."""
    query = update.callback_query
    if query is not None:
        chat_id = query.message.chat.id if query.message else query.from_user.id
        if is_allowed(settings_of(context), chat_id):
            return False
        await query.answer(REFUSAL)
        return True
    if is_allowed(settings_of(context), update.effective_chat.id):
        return False
    await update.effective_message.reply_text(REFUSAL)
    return True


async def refuse_unless_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Send a refusal and return True unless an admin sent this, in a chat that may use the bot."""
    if await refuse_if_not_allowed(update, context):
        return True
    if is_admin(update, context):
        return False
    await update.effective_message.reply_text(ADMINS_ONLY)
    return True


@contextmanager
def unless_not_modified() -> Iterator[None]:
    """An edit that changes nothing (a button pressed twice) is not an error; any other BadRequest is."""
    try:
        yield
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def refresh(application: Application, pages: PageProgress | None = None) -> tuple[Index, BuildReport]:
    """Bring the index up to date with the corpus, one refresh at a time, and swap it in when it is built.

    Questions keep being answered from the old index meanwhile: each request took its own handle. A file saved
    while a refresh runs is picked up by the refresh that its sender then waits for.
    """
    settings: Settings = application.bot_data["settings"]
    async with application.bot_data.setdefault("refreshing", asyncio.Lock()):
        index, report = await asyncio.to_thread(open_index, settings.corpus, settings.index, isolate=True, pages=pages)
        application.bot_data["index"] = index
        application.bot_data["examples"] = example_questions(index)
    return index, report


def example_questions(index: Index, n: int = 4) -> list[str]:
    """Example questions for /help: domain terms the corpus holds, in a few paragraphs but not everywhere."""
    scored = []
    for term in domain_terms():
        p = index.postings(normalize(term))
        if p is not None and 1 <= p.df <= max(3, index.n_chunks // 10) and len(term) >= 3:
            scored.append((-p.df, term))
    return [term for _, term in sorted(scored)[:n]]


ANSWERS_REMEMBERED = 64  # answers per chat whose question a reply to them can change


TYPING_AFTER = 0.5  # seconds: an answer not ready by then shows "typing…" first


TYPING_LASTS = 5.0  # seconds Telegram shows "typing…" for (or until the answer arrives): one action covers them


def has_words(text: str) -> bool:
    """False for text with nothing to search for: emoji, punctuation, blanks."""
    return bool(CJK.search(text) or re.search(r"[0-9A-Za-z]", text))


def remember(context: ContextTypes.DEFAULT_TYPE, question: str, message_id: int) -> None:
    """Which question each recent answer of the chat answered (for replies to it)."""
    answered: dict[int, str] = context.chat_data.setdefault("answered", {})
    answered[message_id] = question
    while len(answered) > ANSWERS_REMEMBERED:
        answered.pop(next(iter(answered)))


async def typing_while(update: Update, context: ContextTypes.DEFAULT_TYPE, work: Awaitable[T]) -> T:
    """Await the work, showing "typing…" only when it takes longer than TYPING_AFTER: a fast answer costs one
    request to the Bot API, not two. The action is sent beside the work, never before the answer (under load it
    waits in the flood limiter's queue), and at most once per TYPING_LASTS in a chat, as long as it shows."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER)
    now = time.monotonic()
    if done or now - context.chat_data.get("typing", -TYPING_LASTS) < TYPING_LASTS:
        return await task
    context.chat_data["typing"] = now
    typing = asyncio.create_task(update.effective_chat.send_action(ChatAction.TYPING))
    try:
        return await task
    finally:
        if not typing.done():  # still queued: the answer itself says we are done
            typing.cancel()
