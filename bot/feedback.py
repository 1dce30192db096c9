"""👍 / 👎 under every answer, and /stats for admins: the ratings become the project's own evaluation set.

The buttons carry only what was pressed; the question and the passages shown are in the feedback log, keyed by
the answer message (chat id, message id), so they survive restarts and index rebuilds.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from retrieval import Answer, FeedbackLog

from .common import index_of, is_allowed, refuse_unless_admin, settings_of, unless_not_modified
from .render import MAX_TEXT, utf16_len
from .status import read_status
from .texts import status_html

log = logging.getLogger(__name__)

PATTERN = r"^fb:(up|down|pick:\d+)$"
THANKS = "已记录,谢谢!"
WHICH = "哪一段回答了这个问题?请在下面选择。"
ASKING = f"\n\n<b>{WHICH}</b>"  # added under the answer while the choice is open
GONE = "这个回答没有记录(可能早于评价功能),无法评价。"


def rating_row() -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton("👍", callback_data="fb:up"), InlineKeyboardButton("👎", callback_data="fb:down")]


def feedback_of(application: Application) -> FeedbackLog | None:
    return application.bot_data.get("feedback")


def open_feedback(application: Application) -> None:
    """Open the feedback log beside the index; without it the bot answers as before, with no rating buttons."""
    path = application.bot_data["settings"].feedback_path
    try:
        application.bot_data["feedback"] = FeedbackLog(path)
    except Exception:  # a read-only folder must not stop the answers
        log.warning("feedback log %s cannot be opened: answers carry no rating buttons", path, exc_info=True)


def close_feedback(application: Application) -> None:
    log_ = application.bot_data.pop("feedback", None)
    if log_ is not None:
        log_.close()


async def record(context: ContextTypes.DEFAULT_TYPE, update: Update, sent: Message, answer: Answer) -> None:
    """Log the question and what its answer showed, keyed by the answer message (the write off the event loop)."""
    log_ = feedback_of(context.application)
    if log_ is None:
        return
    user = update.effective_user.id if update.effective_user else None
    try:
        await asyncio.to_thread(log_.record, sent.chat_id, sent.message_id, user, answer)
    except Exception:  # a full disk costs the feedback, never the answer
        log.warning("could not log a question", exc_info=True)


async def rate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍, 👎, and after 👎 the passage that does answer (or none of them)."""
    query = update.callback_query
    message = query.message
    log_ = feedback_of(context.application)
    if message is None or log_ is None or not is_allowed(settings_of(context), message.chat.id):
        await query.answer(GONE)
        return
    asked = log_.asked(message.chat.id, message.message_id)
    if asked is None:
        await query.answer(GONE)
        return
    user = query.from_user.id if query.from_user else None
    kept = [
        row
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else [])
        if not any((b.callback_data or "").startswith("fb:") for b in row)
    ]
    vote = query.data.removeprefix("fb:")
    if vote == "down" and asked.shown:
        log_.rate(asked, user, "down")
        choices = [
            InlineKeyboardButton(f"第{i}段", callback_data=f"fb:pick:{i}") for i in range(1, len(asked.shown) + 1)
        ]
        choices.append(InlineKeyboardButton("都不是", callback_data="fb:pick:0"))
        await query.answer(WHICH)
        asking = message.text_html + ASKING if utf16_len(message.text or "") + len(ASKING) <= MAX_TEXT else None
        await _set_markup(query, kept + [choices], asking)  # the question in the message itself, when it fits
        return
    if vote.startswith("pick:"):
        log_.rate(asked, user, "down", int(vote.split(":")[1]))
    else:
        log_.rate(asked, user, vote)
    await query.answer(THANKS)
    html_text = message.text_html if message.text else ""
    await _set_markup(query, kept, html_text.removesuffix(ASKING) if html_text.endswith(ASKING) else None)


async def _set_markup(query: CallbackQuery, rows: list[list[InlineKeyboardButton]], text: str | None = None) -> None:
    """New buttons under the rated answer, and its text too when `text` is given."""
    markup = InlineKeyboardMarkup(rows) if rows else None
    with unless_not_modified():
        if text is None:
            await query.edit_message_reply_markup(markup)
        else:
            await query.edit_message_text(text, reply_markup=markup)


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The index as `qabot status` tells it, then questions per day, share answered, 👍 rate, the most frequent
    unanswered questions (admins only)."""
    if await refuse_unless_admin(update, context):
        return
    settings = settings_of(context)
    served = index_of(context)
    status = await asyncio.to_thread(read_status, settings.index, settings.feedback_path, served)
    head = status_html(status)
    log_ = feedback_of(context.application)
    if log_ is None:
        await update.effective_message.reply_text(f"{head}\n\n没有问答记录:记录数据库无法打开。")
        return
    days = int(context.args[0]) if context.args and re.fullmatch(r"\d{1,3}", context.args[0]) else 14
    s = log_.stats(days)
    if not s.questions:
        await update.effective_message.reply_text(f"{head}\n\n最近 {days} 天没有提问。")
        return
    lines = [
        head,
        "",
        f"<b>最近 {days} 天</b>:提问 {s.questions} 次,有答案 {s.answered} 次({s.answered / s.questions:.0%})",
        f"评价 {s.rated} 次,👍 {s.up} 次" + (f"({s.up / s.rated:.0%})" if s.rated else ""),
        "",
        "<b>每天</b>:",
    ]
    lines += [f"• {day}:{n} 问,{a} 答" for day, n, a in s.days[-14:]]
    if s.unanswered:
        lines += ["", "<b>最常见的未答问题</b>:"]
        lines += [f"• {html.escape(q[:60], quote=False)}({n} 次)" for q, n in s.unanswered]
    await update.effective_message.reply_text("\n".join(lines))


def add_handlers(application: Application) -> None:
    application.add_handler(CommandHandler("stats", stats, filters=filters.UpdateType.MESSAGE))
    application.add_handler(CallbackQueryHandler(rate, pattern=PATTERN))
