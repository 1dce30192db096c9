"""The Telegram bot: python-telegram-bot v22 handlers over the retrieval library.

Private chat: any text is a question. Groups: /ask (also as a reply to someone's message), a mention of
the bot, or a reply to the bot; everything else is ignored. Inline mode: @bot question lists passages.
Searches run in worker threads so a burst of inline queries never blocks the event loop.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import time
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar
from urllib.parse import urlparse

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from retrieval.build import open_index
from retrieval.cite import locator
from retrieval.errors import InvalidQuery, QabotError, user_message
from retrieval.qa import Reply, passages_for
from retrieval.qa import ask as answer_question
from retrieval.store import BuildReport, Index
from retrieval.text import CJK
from retrieval.tokenize import load_dictionary

from . import buttons, documents, feedback
from .common import (
    EXPIRED,
    REFUSAL,
    example_questions,
    in_group,
    index_of,
    is_admin,
    is_allowed,
    off_loop,
    refresh,
    refuse_if_not_allowed,
    reply,
    settings_of,
)
from .render import render_answer, render_passage, render_passages, render_references
from .settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

MORE = 8  # next-best chunk ids carried by the 更多结果 button
INLINE_CACHE = 300  # seconds Telegram may serve an inline answer from its cache
COMMANDS = [
    ("ask", "提问:/ask 问题(群里也可回复一条消息发送 /ask)"),
    ("sources", "已收录的文档"),
    ("docs", "已收录的文档(分页;管理员可 /remove)"),
    ("cite", "上一个回答的参考文献(GB/T 7714)"),
    ("help", "使用说明"),
    ("start", "开始使用"),
    ("reload", "重新加载语料(管理员)"),
    ("stats", "提问与评价统计(管理员)"),
]
FAILED = "抱歉,处理这条消息时出错了,请稍后再试。"
ASK_USAGE = "用法:/ask 问题,例如 /ask 岐黄工程是什么;也可以回复一条消息发送 /ask,查询那条消息的内容。"
NO_WORDS = "请用文字提问,例如:岐黄工程是什么。"
TYPING_AFTER = 0.5  # seconds: an answer not ready by then shows "typing…" first
CONNECTIONS = 16  # to the Bot API, for everything but getUpdates
POOL_WAIT = 30.0  # seconds a request may wait for a free connection in a burst before it fails
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
    settings = settings_of(context)
    if not question.strip():
        await reply(update, ASK_USAGE)
        return
    if not has_words(question):
        await reply(update, NO_WORDS)
        return
    short = in_group(update)
    index = index_of(context)  # one version for the search, the passages and every button of this answer
    search = off_loop(context, answer_question, index, question, k=1 if short else settings.passages, more=MORE)
    try:
        result = await typing_while(update, context, search)
    except InvalidQuery as exc:
        await reply(update, html.escape(user_message(exc), quote=False))
        return
    context.chat_data["last"] = (index.generation, [p.chunk_id for p in result.answer.passages])
    rated = feedback.feedback_of(context.application) is not None
    sent = await reply(
        update, render_answer(result.answer, short=short), reply_markup=answer_markup(index.generation, result, rated)
    )
    feedback.record(context, update, sent, result.answer)


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


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the bot, with example questions drawn from the corpus."""
    if await refuse_if_not_allowed(update, context):
        return
    examples = context.application.bot_data.get("examples", [])
    me = context.bot.username
    lines = [
        "<b>政策文件问答</b>:提出问题,返回文件原文段落和可直接引用的出处。",
        "",
        "• 私聊:直接发送问题。",
        f"• 群里:<code>/ask 问题</code>,或回复一条消息发送 /ask,或 @{html.escape(me)} 加问题。",
        f"• 任意聊天:输入 <code>@{html.escape(me)} 问题</code>,选择一个段落发送。",
        "• /sources 已收录的文档;/cite 上一个回答的参考文献。",
    ]
    if examples:
        lines += ["", "可以这样问:"] + [f"• <code>{html.escape(q)}</code>" for q in examples]
    await reply(update, "\n".join(lines))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Same as /start: how to use the bot."""
    await start(update, context)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION, or /ask as a reply to a message whose text is the question."""
    question = " ".join(context.args or [])
    replied = update.effective_message.reply_to_message
    if not question.strip() and replied is not None:
        question = replied.text or replied.caption or ""
    await answer(update, context, question)


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In a private chat any text is a question."""
    await answer(update, context, update.effective_message.text)


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups answer a message that mentions the bot or replies to it; ignore everything else."""
    message = update.effective_message
    me = context.bot.username
    mention = f"@{me}".lower()
    text = message.text or ""
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    if mention not in text.lower() and not to_bot:
        return
    question = re.sub(re.escape(mention), " ", text, flags=re.I).strip()
    await answer(update, context, question)


async def cite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The GB/T 7714 references of the last answer (or of the answer this command replies to)."""
    if await refuse_if_not_allowed(update, context):
        return
    index = index_of(context)
    cited = _cited_by(update.effective_message.reply_to_message) or context.chat_data.get("last")
    if not cited:
        await reply(update, "还没有可引用的回答:先提一个问题吧。")
        return
    generation, ids = cited
    if generation != index.generation:  # never resolve one version's passages against another
        await reply(update, EXPIRED)
        return
    ans = await off_loop(context, passages_for, index, ids)
    await reply(update, render_references(ans.passages))


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


async def reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Refresh the index after the corpus changed (admins only)."""
    if not is_admin(update, context):
        await reply(update, "只有管理员可以重新加载语料。")
        return
    index, report = await refresh(context.application)
    if report.failed:
        text = f"重新加载失败:{report.failed}。仍在使用上一版索引({len(index.documents)} 份文档),下次重新加载时会再试。"
    elif report.unchanged:
        text = f"语料没有变化:{len(index.documents)} 份文档,{index.n_chunks} 个段落。"
    else:
        text = (
            f"已重新加载:{report.documents} 份文档,{report.chunks} 个段落;新增 {len(report.added)},"
            f"修改 {len(report.changed)},删除 {len(report.removed)},跳过 {len(report.skipped)}。"
        )
    await reply(update, text)


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """@bot question: up to N passages; picking one posts it quoted with its citation."""
    query = update.inline_query
    settings = settings_of(context)
    personal = settings.allowed_chats is not None  # never let Telegram serve one user's results to another
    if not is_allowed(settings, query.from_user.id):
        await query.answer(
            [], cache_time=0, is_personal=True, button=InlineQueryResultsButton(REFUSAL[:60], start_parameter="denied")
        )
        return
    text = query.query.strip()
    if not has_words(text):
        await query.answer(
            [],
            cache_time=INLINE_CACHE,
            is_personal=personal,
            button=InlineQueryResultsButton("输入问题,例如:岐黄工程", start_parameter="help"),
        )
        return
    index = index_of(context)
    try:
        result = await off_loop(context, answer_question, index, text, k=settings.inline_results)
    except InvalidQuery:
        result = None
    passages = result.answer.passages if result else []
    if not passages:
        await query.answer(
            [],
            cache_time=INLINE_CACHE,
            is_personal=personal,
            button=InlineQueryResultsButton("没有找到相关段落,点此查看用法", start_parameter="help"),
        )
        return
    results = []
    for p in passages:
        chunk = index.chunk(p.chunk_id)
        title = f"{p.doc.title[:48]} · {locator(chunk)}"
        results.append(
            InlineQueryResultArticle(
                id=f"{index.generation}-{p.chunk_id}",
                title=title,
                description=normalize_space(p.text)[:100],
                input_message_content=InputTextMessageContent(
                    render_passage(p),
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                ),
                reply_markup=InlineKeyboardMarkup(
                    [
                        [
                            InlineKeyboardButton(
                                "引用格式", callback_data=buttons.encode("r", index.generation, [p.chunk_id])
                            )
                        ]
                    ]
                ),
            )
        )
    await query.answer(results, cache_time=INLINE_CACHE, is_personal=personal)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """更多结果 and 引用格式: everything needed is in the callback data."""
    query = update.callback_query
    chat_id = query.message.chat.id if query.message else query.from_user.id
    if not is_allowed(settings_of(context), chat_id):
        await query.answer(REFUSAL)
        return
    index = index_of(context)
    try:
        data = buttons.decode(query.data)
    except buttons.BadCallback:
        await query.answer("无法识别这个按钮。")
        return
    if data.generation != index.generation or not all(index.has_chunk(i) for i in data.ids):
        await query.answer(EXPIRED)
        return
    await query.answer()
    message = query.message
    question = ""
    if message is not None and message.reply_to_message is not None:
        question = message.reply_to_message.text or ""
        question = re.sub(r"^/ask(@\w+)?\s*", "", question)
    if data.kind == "m":
        shown, rest = data.ids[: settings_of(context).passages], data.ids[settings_of(context).passages :]
        ans = await off_loop(context, passages_for, index, shown, question)
        text = render_passages("更多结果:", ans.passages)
        markup_rows = []
        if rest:
            markup_rows.append(
                InlineKeyboardButton("更多结果", callback_data=buttons.encode("m", index.generation, rest))
            )
        markup_rows.append(InlineKeyboardButton("引用格式", callback_data=buttons.encode("c", index.generation, shown)))
        await message.reply_text(
            text,
            reply_markup=InlineKeyboardMarkup([markup_rows]),
            reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
        )
    elif data.kind == "c":
        ans = await off_loop(context, passages_for, index, data.ids)
        await message.reply_text(
            render_references(ans.passages),
            reply_parameters=ReplyParameters(message.message_id, allow_sending_without_reply=True),
        )
    else:  # an inline-mode post: add the reference below the passage
        ans = await off_loop(context, passages_for, index, data.ids)
        text = render_passage(ans.passages[0]) + "\n\n" + render_references(ans.passages)
        try:
            await context.bot.edit_message_text(text, inline_message_id=query.inline_message_id)
        except BadRequest as exc:  # pressed twice: the message already shows the reference
            if "not modified" not in str(exc).lower():
                raise


async def unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button this bot did not make (or an older bot's): say so instead of leaving the spinner."""
    await update.callback_query.answer("无法识别这个按钮。")


async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error with the update, and tell the user briefly that something failed."""
    log.error("error while handling an update: %s", update, exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(FAILED)
        elif update.effective_message is not None:
            await reply(update, FAILED)
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
    report = application.bot_data.get("start_report")
    if report is not None and report.failed:
        await tell_admins(application, f"启动时索引未能更新:{report.failed}。仍在使用上一版索引,发送 /reload 可再试。")


async def post_shutdown(application: Application) -> None:
    """Let searches in flight finish, then free the pool's threads."""
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
    settings: Settings, index: Index | None = None, start_report: BuildReport | None = None
) -> Application:
    """The bot's Application: handlers, HTML defaults, flood control, error handler."""
    if settings.telegram_bot_token is None:
        raise QabotError("TELEGRAM_BOT_TOKEN is not set")
    application = (
        Application.builder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
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
    for name, callback in (("start", start), ("help", help_command), ("ask", ask), ("cite", cite), ("reload", reload)):
        application.add_handler(CommandHandler(name, callback, filters=new))
    text = new & filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & text, private_text))
    application.add_handler(MessageHandler(filters.ChatType.GROUPS & text, group_message))
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_handler(CallbackQueryHandler(button, pattern=buttons.PATTERN))
    documents.add_handlers(application)
    feedback.add_handlers(application)
    application.add_handler(CallbackQueryHandler(unknown_button))
    application.add_error_handler(error_handler)
    return application


def configure_logging() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO, force=True)
    # httpx logs every request URL at INFO, and the URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def run_bot(settings: Settings, *, webhook: str | None = None, listen: str = "127.0.0.1", port: int = 8443) -> int:
    """Run until SIGINT/SIGTERM: long polling, or a webhook behind a reverse proxy.

    The index is loaded (or built) first, so a missing corpus is a clear error before any network call.
    """
    configure_logging()
    index, report = open_index(settings.corpus, settings.index)
    if report.failed:
        log.warning("the index was not refreshed, the previous one is served: %s", report.failed)
    log.info(
        "index ready: %d documents, %d chunks%s",
        len(index.documents),
        index.n_chunks,
        "" if report.unchanged else f" (built in {report.seconds:.1f} s)",
    )
    application = build_application(settings, index=index, start_report=report)
    if webhook:
        application.run_webhook(
            listen=listen,
            port=port,
            url_path=urlparse(webhook).path.lstrip("/"),
            webhook_url=webhook,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
