"""Questions and their answers: private text, /ask and mentions in groups, inline mode, /cite, and the answer
buttons (更多结果, 引用格式). Each request takes the index once and everything it produces comes from that
version: a button or /cite of an older version says it expired instead of citing another version's passages.
"""

from __future__ import annotations

import html
import re
import secrets
import time
from typing import TypeVar

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from retrieval import Comparison, Index, InvalidQuery, Reply, passages_for, user_message
from retrieval import ask as answer_question

from . import buttons, feedback
from .common import (
    has_words,
    in_group,
    index_of,
    off_loop,
    refuse_if_not_allowed,
    remember,
    settings_of,
    typing_while,
    unless_not_modified,
)
from .pictures import picture_of, where_from
from .render import (
    comparison_pages,
    render_answer,
    render_comparison,
    render_passages,
    render_references,
)
from .texts import (
    ASK_USAGE,
    EXPIRED,
    NO_WORDS,
    NOTHING_TO_CITE,
    UNKNOWN_BUTTON,
)

T = TypeVar("T")

MORE = 8  # next-best chunk ids carried by the 更多结果 button
FOLLOW_UP_WITHIN = 30 * 60  # seconds of silence after which a chat's previous question is forgotten
TABLES_KEPT = 8  # comparisons a chat keeps for their page buttons


def answer_markup(generation: str, result: Reply, rated: bool = False) -> InlineKeyboardMarkup | None:
    """更多结果 and 引用格式, stamped with the generation of the index that made the answer; 👍 / 👎 when `rated`."""
    row = []
    if result.more:
        row.append(InlineKeyboardButton("更多结果", callback_data=buttons.encode("m", generation, result.more)))
    shown = [p.chunk_id for p in result.answer.passages]
    if shown:
        row.append(InlineKeyboardButton("引用格式", callback_data=buttons.encode("c", generation, shown)))
    rows = [row] if row else []
    if rated:
        rows.append(feedback.rating_row())
    return InlineKeyboardMarkup(rows) if rows else None


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
    """Search, answer and send: the path every question takes."""
    if await refuse_if_not_allowed(update, context):
        return
    message = update.effective_message
    if not question.strip():
        await message.reply_text(ASK_USAGE)
        return
    if not has_words(question):
        await message.reply_text(NO_WORDS)
        return
    short = in_group(update)
    index = index_of(context)  # one version for the search, the passages and every button of this answer
    k = 1 if short else settings_of(context).passages
    previous = previous_question(update, context)  # a follow-up (四川呢?) is answered as that question changed
    work = off_loop(context, answer_question, index, question, previous=previous, k=k, more=MORE)
    try:
        result = await typing_while(update, context, work)
    except InvalidQuery as exc:
        await message.reply_text(html.escape(user_message(exc), quote=False))
        return
    asked = result.answer.asked_as or question
    context.chat_data["asked"] = (asked, time.monotonic())  # before sending: a quick follow-up finds it
    if result.answer.comparison is not None:
        sent = await send_comparison(update, context, index, result.answer.comparison, result.answer.asked_as)
    else:
        context.chat_data["last"] = (index.generation, [p.chunk_id for p in result.answer.passages])
        rated = feedback.feedback_of(context.application) is not None
        markup = answer_markup(index.generation, result, rated)
        sent = await message.reply_text(render_answer(result.answer, short=short), reply_markup=markup)
        remember(context, asked, sent.message_id)  # before logging it: a reply to it may come at once
        await feedback.record(context, update, sent, result.answer)
        return
    remember(context, asked, sent.message_id)


def previous_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question a follow-up may change: the one the bot's answer replied to answered; else, in a private chat
    or for /ask in a group, the chat's last question, unless 30 minutes of silence have passed."""
    message = update.effective_message
    replied = message.reply_to_message
    last = context.chat_data.get("asked")
    recent = last[0] if last is not None and time.monotonic() - last[1] <= FOLLOW_UP_WITHIN else None
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        # the question that answer answered; one the chat no longer remembers: the chat's last question
        return context.chat_data.get("answered", {}).get(replied.message_id) or recent
    if in_group(update) and not (message.text or "").startswith("/ask"):
        return None
    return recent


async def send_comparison(
    update: Update, context: ContextTypes.DEFAULT_TYPE, index: Index, table: Comparison, asked_as: str | None = None
) -> Message:
    """A comparison's first page, with 上一页 / 下一页 when it has more; /cite gives the references of every row."""
    context.chat_data["last"] = (index.generation, [r.chunk_id for r in table.rows])
    tables: dict[str, Comparison] = context.chat_data.setdefault("tables", {})
    token = secrets.token_hex(4)
    tables[token] = table
    while len(tables) > TABLES_KEPT:  # the oldest tables go first: their buttons then say they have expired
        tables.pop(next(iter(tables)))
    return await update.effective_message.reply_text(
        render_comparison(table, asked_as=asked_as), reply_markup=table_markup(token, table, 0)
    )


def table_markup(token: str, table: Comparison, page: int) -> InlineKeyboardMarkup | None:
    row = []
    if page > 0:
        row.append(InlineKeyboardButton("上一页", callback_data=f"t|{token}|{page - 1}"))
    if page < comparison_pages(table) - 1:
        row.append(InlineKeyboardButton("下一页", callback_data=f"t|{token}|{page + 1}"))
    return InlineKeyboardMarkup([row]) if row else None


async def table_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """上一页 / 下一页 of a comparison: the same message shows the other page."""
    if await refuse_if_not_allowed(update, context):
        return
    query = update.callback_query
    _, token, page = query.data.split("|")
    table = context.chat_data.get("tables", {}).get(token)
    if table is None:
        await query.answer(EXPIRED)
        return
    await query.answer()
    with unless_not_modified():
        await query.edit_message_text(
            render_comparison(table, int(page)), reply_markup=table_markup(token, table, int(page))
        )


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, or /ask as a reply to a message whose text is the question (or to a picture of a quote)."""
    question = " ".join(context.args or [])
    replied = update.effective_message.reply_to_message
    if not question.strip() and replied is not None and picture_of(replied) is not None:
        await where_from(update, context, replied)
        return
    if not question.strip() and replied is not None:
        question = replied.text or replied.caption or ""
    await answer(update, context, question)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat any text is a question."""
    await answer(update, context, update.effective_message.text)


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups answer a message that mentions the bot or replies to it; ignore everything else."""
    message = update.effective_message
    mention = f"@{context.bot.username}".lower()
    text = message.text or ""
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    if mention not in text.lower() and not to_bot:
        return
    await answer(update, context, re.sub(re.escape(mention), " ", text, flags=re.I).strip())


async def cite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The GB/T 7714 references of the last answer (or of the answer this command replies to)."""
    if await refuse_if_not_allowed(update, context):
        return
    message = update.effective_message
    index = index_of(context)
    cited = _cited_by(message.reply_to_message) or context.chat_data.get("last")
    if not cited:
        await message.reply_text(NOTHING_TO_CITE)
        return
    generation, ids = cited
    if generation != index.generation:  # never resolve one version's passages against another
        await message.reply_text(EXPIRED)
        return
    ans = await off_loop(context, passages_for, index, ids)
    await message.reply_text(render_references(ans.passages))


def _cited_by(message: Message | None) -> tuple[str, list[int]] | None:
    """The index generation and chunk ids of the 引用格式 button of a bot answer, when /cite replies to one."""
    if message is None or message.reply_markup is None:
        return None
    for row in message.reply_markup.inline_keyboard:
        for button in row:
            try:
                data = buttons.decode(button.callback_data)
            except buttons.BadCallback:
                continue
            if data.kind == "c":
                return data.generation, data.ids
    return None


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Index, buttons.Callback] | None:
    """The index and the decoded data of an answer button, or None when it was refused or has expired."""
    if await refuse_if_not_allowed(update, context):
        return None
    query = update.callback_query
    index = index_of(context)
    try:
        data = buttons.decode(query.data)
    except buttons.BadCallback:
        await query.answer(UNKNOWN_BUTTON)
        return None
    if data.generation != index.generation or not all(index.has_chunk(i) for i in data.ids):
        await query.answer(EXPIRED)
        return None
    await query.answer()
    return index, data


async def more_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """更多结果: the next passages, with their own 更多结果 and 引用格式."""
    if (found := await pressed(update, context)) is None:
        return
    index, data = found
    message = update.callback_query.message
    question = asked_for(context, message)  # to mark the question's words as the first answer did
    n = settings_of(context).passages
    shown, rest = data.ids[:n], data.ids[n:]
    ans = await off_loop(context, passages_for, index, shown, question)
    row = [InlineKeyboardButton("更多结果", callback_data=buttons.encode("m", index.generation, rest))] if rest else []
    row.append(InlineKeyboardButton("引用格式", callback_data=buttons.encode("c", index.generation, shown)))
    await message.reply_text(
        render_passages("更多结果:", ans.passages), reply_markup=InlineKeyboardMarkup([row]), do_quote=True
    )


def asked_for(context: ContextTypes.DEFAULT_TYPE, message: Message) -> str:
    """The question an answer message answered: the message it replies to (groups), else the feedback log's
    record of it (private chats, where answers are not replies); "" when neither knows."""
    if message.reply_to_message is not None:
        return re.sub(r"^/ask(@\w+)?\s*", "", message.reply_to_message.text or "")
    log = feedback.feedback_of(context.application)
    asked = log.asked(message.chat.id, message.message_id) if log is not None else None
    return asked.question if asked is not None else ""


async def cite_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """引用格式 under an answer: the references of exactly the passages it showed."""
    if (found := await pressed(update, context)) is None:
        return
    index, data = found
    ans = await off_loop(context, passages_for, index, data.ids)
    await update.callback_query.message.reply_text(render_references(ans.passages), do_quote=True)


def add_handlers(application: Application) -> None:
    new = filters.UpdateType.MESSAGE  # each message is answered once: an edit does not ask again
    application.add_handler(CommandHandler("ask", ask, filters=new))
    application.add_handler(CommandHandler("cite", cite, filters=new))
    text = new & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & text, private_text))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & text, group_message))
    application.add_handler(CallbackQueryHandler(more_button, pattern=r"^m\|"))
    application.add_handler(CallbackQueryHandler(cite_button, pattern=r"^c\|"))
    application.add_handler(CallbackQueryHandler(table_page, pattern=r"^t\|[0-9a-f]+\|\d+$"))
