"""Questions and their answers: private text, /ask and mentions in groups, inline mode, /cite, and the answer
buttons (更多结果, 引用格式). Each request takes the index once and everything it produces comes from that
version: a button or /cite of an older version says it expired instead of citing another version's passages.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import html
import re
import secrets
import time
from collections.abc import Awaitable
from typing import TypeVar

from telegram import Document as TelegramDocument
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    PhotoSize,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from retrieval import ocr
from retrieval.answer import coverage_note
from retrieval.cite import locator
from retrieval.errors import InvalidQuery, UnreadableFile, user_message
from retrieval.followup import follow_up
from retrieval.models import Comparison, Passage, Row
from retrieval.qa import Reply, passages_for
from retrieval.qa import ask as answer_question
from retrieval.quote import QuoteSource, locate
from retrieval.store import Index
from retrieval.text import CJK

from . import buttons, feedback
from .common import in_group, index_of, is_allowed, off_loop, refuse_if_not_allowed, settings_of, unless_not_modified
from .render import (
    comparison_pages,
    render_answer,
    render_comparison,
    render_passage,
    render_passages,
    render_references,
    render_row,
    render_source,
)
from .texts import (
    ASK_USAGE,
    EXPIRED,
    INLINE_HINT,
    INLINE_NOTHING,
    NO_WORDS,
    NOTHING_TO_CITE,
    OCR_MISSING,
    PHOTO_TOO_LARGE,
    PHOTO_UNREADABLE,
    REFUSAL,
    UNKNOWN_BUTTON,
)

T = TypeVar("T")

MORE = 8  # next-best chunk ids carried by the 更多结果 button
INLINE_CACHE = 300  # seconds Telegram may serve an inline answer from its cache
INLINE_TITLE = 48  # characters of a document title in an inline result's title line
INLINE_PREVIEW = 100  # characters of a passage in an inline result's description
FOLLOW_UP_WITHIN = 30 * 60  # seconds of silence after which a chat's previous question is forgotten
ANSWERS_REMEMBERED = 64  # answers per chat whose question a reply to them can change
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a photo larger than this is not downloaded (Telegram's own limit is 10 MB)
MAX_QUOTE_QUESTION = 200  # characters of a pictured quote kept as the chat's last question
TABLES_KEPT = 8  # comparisons a chat keeps for their page buttons
INLINE_HINT_CHARS = 64  # the Bot API limits the text of the button above inline results to 64 characters
TYPING_AFTER = 0.5  # seconds: an answer not ready by then shows "typing…" first
TYPING_LASTS = 5.0  # seconds Telegram shows "typing…" for (or until the answer arrives): one action covers them


def has_words(text: str) -> bool:
    """False for text with nothing to search for: emoji, punctuation, blanks."""
    return bool(CJK.search(text) or re.search(r"[0-9A-Za-z]", text))


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
    previous = previous_question(update, context)
    rewritten = follow_up(previous, question, dt.date.today()) if previous else None
    asked = rewritten or question
    try:
        result = await typing_while(update, context, off_loop(context, answer_question, index, asked, k=k, more=MORE))
    except InvalidQuery as exc:
        await message.reply_text(html.escape(user_message(exc), quote=False))
        return
    result.answer.asked_as = rewritten
    context.chat_data["asked"] = (asked, time.monotonic())  # before sending: a quick follow-up finds it
    if result.answer.comparison is not None:
        sent = await send_comparison(update, context, index, result.answer.comparison, rewritten)
    else:
        context.chat_data["last"] = (index.generation, [p.chunk_id for p in result.answer.passages])
        rated = feedback.feedback_of(context.application) is not None
        markup = answer_markup(index.generation, result, rated)
        sent = await message.reply_text(render_answer(result.answer, short=short), reply_markup=markup)
        await feedback.record(context, update, sent, result.answer)
    remember(context, asked, sent.message_id)


def previous_question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question a follow-up may change: the one the bot's answer replied to answered; else, in a private chat
    or for /ask in a group, the chat's last question, unless 30 minutes of silence have passed."""
    message = update.effective_message
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        return context.chat_data.get("answered", {}).get(replied.message_id)
    if in_group(update) and not (message.text or "").startswith("/ask"):
        return None
    last = context.chat_data.get("asked")
    return last[0] if last is not None and time.monotonic() - last[1] <= FOLLOW_UP_WITHIN else None


def remember(context: ContextTypes.DEFAULT_TYPE, question: str, message_id: int) -> None:
    """Which question each recent answer of the chat answered (for replies to it)."""
    answered: dict[int, str] = context.chat_data.setdefault("answered", {})
    answered[message_id] = question
    while len(answered) > ANSWERS_REMEMBERED:
        answered.pop(next(iter(answered)))


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


async def private_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A picture sent in a private chat: where the passage it shows comes from."""
    await where_from(update, context, update.effective_message)


async def where_from(update: Update, context: ContextTypes.DEFAULT_TYPE, pictured: Message) -> None:
    """Read the picture of `pictured` by OCR and answer with the document, paragraph and page it comes from."""
    if await refuse_if_not_allowed(update, context):
        return
    message = update.effective_message
    if not ocr.available():
        await message.reply_text(OCR_MISSING)
        return
    picture = picture_of(pictured)
    if picture is None:
        return
    if (picture.file_size or 0) > MAX_PHOTO_BYTES:
        await message.reply_text(PHOTO_TOO_LARGE)
        return
    data = bytes(await (await picture.get_file()).download_as_bytearray())
    index = index_of(context)
    try:
        text, found = await typing_while(update, context, off_loop(context, read_and_locate, index, data))
    except UnreadableFile as exc:
        await message.reply_text(html.escape(f"{PHOTO_UNREADABLE}{exc}", quote=False))
        return
    reply = await message.reply_text(render_source(found, text))
    if found.passage is not None:
        context.chat_data["last"] = (index.generation, [found.passage.chunk_id])
        remember(context, text[:MAX_QUOTE_QUESTION], reply.message_id)


def picture_of(message: Message) -> PhotoSize | TelegramDocument | None:
    """The picture a message carries: its largest photo size, or an image sent as a file (a screenshot sent
    uncompressed)."""
    if message.photo:
        return max(message.photo, key=lambda p: p.width * p.height)
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        return document
    return None


def read_and_locate(index: Index, data: bytes) -> tuple[str, QuoteSource]:
    """The picture's text, and where in the corpus it comes from."""
    text = ocr.image_text(ocr.open_image(data))
    if not text.strip():
        raise UnreadableFile("没有识别出文字")
    return text, locate(index, text)


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


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question: up to N passages; picking one posts it quoted with its citation."""
    query = update.inline_query
    settings = settings_of(context)
    personal = settings.allowed_chats is not None  # never let Telegram serve one user's results to another
    if not is_allowed(settings, query.from_user.id):
        hint = InlineQueryResultsButton(REFUSAL[:60], start_parameter="denied")
        await query.answer([], cache_time=0, is_personal=True, button=hint)
        return
    text = query.query.strip()
    index = index_of(context)
    result = None
    if has_words(text):
        with contextlib.suppress(InvalidQuery):  # an invalid inline query lists nothing, with the hint
            result = await off_loop(context, answer_question, index, text, k=settings.inline_results)
    if result is not None and result.answer.comparison is not None and result.answer.comparison.rows:
        rows = result.answer.comparison.rows[: settings.inline_results]
        await query.answer([row_result(index, r) for r in rows], cache_time=INLINE_CACHE, is_personal=personal)
        return
    if result is None or not result.answer.passages:
        # a region or year the corpus lacks is said, not answered from another document
        said = coverage_note(result.answer.coverage) if result is not None else None
        words = said or (INLINE_NOTHING if has_words(text) else INLINE_HINT)
        hint = InlineQueryResultsButton(words[:INLINE_HINT_CHARS], start_parameter="help")
        await query.answer([], cache_time=INLINE_CACHE, is_personal=personal, button=hint)
        return
    results = [inline_result(index, p) for p in result.answer.passages]
    await query.answer(results, cache_time=INLINE_CACHE, is_personal=personal)


def inline_result(index: Index, p: Passage) -> InlineQueryResultArticle:
    """One passage as an inline result: title and place, a preview, and the quoted passage it posts."""
    cite_button = InlineKeyboardButton("引用格式", callback_data=buttons.encode("r", index.generation, [p.chunk_id]))
    return InlineQueryResultArticle(
        id=f"{index.generation}-{p.chunk_id}",
        title=f"{p.doc.title[:INLINE_TITLE]} · {locator(index.chunk(p.chunk_id))}",
        description=re.sub(r"\s+", " ", p.text).strip()[:INLINE_PREVIEW],
        input_message_content=InputTextMessageContent(
            render_passage(p), parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
        reply_markup=InlineKeyboardMarkup([[cite_button]]),
    )


def row_result(index: Index, row: Row) -> InlineQueryResultArticle:
    """One row of a comparison as an inline result: the region or year and its figure; it posts the row cited."""
    return InlineQueryResultArticle(
        id=f"{index.generation}-{row.chunk_id}",
        title=f"{row.facet}:{row.text}"[:INLINE_TITLE],
        description=row.citation[:INLINE_PREVIEW],
        input_message_content=InputTextMessageContent(
            render_row(row), parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
        ),
    )


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


async def inline_cite_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """引用格式 under a passage posted from inline mode: the reference is added below the passage."""
    if (found := await pressed(update, context)) is None:
        return
    index, data = found
    ans = await off_loop(context, passages_for, index, data.ids)
    text = render_passage(ans.passages[0]) + "\n\n" + render_references(ans.passages)
    with unless_not_modified():  # pressed twice: the message already shows the reference
        await context.bot.edit_message_text(text, inline_message_id=update.callback_query.inline_message_id)


def add_handlers(application: Application) -> None:
    new = filters.UpdateType.MESSAGE  # each message is answered once: an edit does not ask again
    application.add_handler(CommandHandler("ask", ask, filters=new))
    application.add_handler(CommandHandler("cite", cite, filters=new))
    text = new & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & text, private_text))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & new & filters.PHOTO, private_photo))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & text, group_message))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_handler(CallbackQueryHandler(more_button, pattern=r"^m\|"))
    application.add_handler(CallbackQueryHandler(cite_button, pattern=r"^c\|"))
    application.add_handler(CallbackQueryHandler(inline_cite_button, pattern=r"^r\|"))
    application.add_handler(CallbackQueryHandler(table_page, pattern=r"^t\|[0-9a-f]+\|\d+$"))
