"""Inline mode: @bot 问题 in any chat lists passages (or a comparison's rows; for a list question, the whole list
first); picking one posts it quoted with its citation, and its 引用格式 button adds the full reference below it.
"""

from __future__ import annotations

import contextlib
import re

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    InlineQueryHandler,
)

from retrieval import (
    Index,
    InvalidQuery,
    Listing,
    Passage,
    Row,
    coverage_note,
    item_head,
    listing_heading,
    locator,
    passages_for,
)
from retrieval import ask as answer_question

from . import buttons
from .answers import pressed
from .common import (
    has_words,
    index_of,
    is_allowed,
    off_loop,
    settings_of,
    unless_not_modified,
)
from .render import (
    render_listing,
    render_passage,
    render_references,
    render_row,
)
from .texts import (
    INLINE_HINT,
    INLINE_NOTHING,
    REFUSAL,
)

INLINE_CACHE = 300  # seconds Telegram may serve an inline answer from its cache


INLINE_TITLE = 48  # characters of a document title in an inline result's title line


INLINE_PREVIEW = 100  # characters of a passage in an inline result's description


INLINE_HINT_CHARS = 64  # the Bot API limits the text of the button above inline results to 64 characters


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
    if (listing := result.answer.listing) is not None:  # the list asked for comes first, whole
        results = [listing_result(index, listing), *results[: settings.inline_results - 1]]
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


def listing_result(index: Index, listing: Listing) -> InlineQueryResultArticle:
    """A whole enumeration as an inline result: how many items and where; it posts the list with its reference."""
    first = listing.items[0]
    return InlineQueryResultArticle(
        id=f"{index.generation}-list-{first.chunk_id}-{len(listing.items)}",
        title=listing_heading(listing)[:INLINE_TITLE],
        description="；".join(item_head(i) for i in listing.items)[:INLINE_PREVIEW],
        input_message_content=InputTextMessageContent(
            render_listing(listing),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
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
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_handler(CallbackQueryHandler(inline_cite_button, pattern=r"^r\|"))
