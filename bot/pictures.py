"""Where is this from: a photo or screenshot (or an image sent as a file) is read by OCR and traced to the
document, paragraph and page it shows, with how closely it matches.
"""

from __future__ import annotations

import html

from telegram import Document as TelegramDocument
from telegram import (
    Message,
    PhotoSize,
    Update,
)
from telegram.ext import (
    Application,
    ContextTypes,
    MessageHandler,
    filters,
)

from retrieval import Index, QuoteSource, UnreadableFile, locate, ocr

from .common import (
    index_of,
    off_loop,
    refuse_if_not_allowed,
    remember,
    typing_while,
)
from .render import (
    render_source,
)
from .texts import (
    OCR_MISSING,
    PHOTO_TOO_LARGE,
    PHOTO_UNREADABLE,
)

MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a photo larger than this is not downloaded (Telegram's own limit is 10 MB)


MAX_QUOTE_QUESTION = 200  # characters of a pictured quote kept as the chat's last question


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


def add_handlers(application: Application) -> None:
    new = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & new & filters.PHOTO, private_photo))
