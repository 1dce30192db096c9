"""Answers shaped like the question, through the real bot against the Bot API stand-in: a comparison across the
shared archive of provincial reports, paged, with /cite giving every row's reference; a whole list."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.app import build_application
from bot.settings import Settings
from bot.texts import EXPIRED
from retrieval.build import open_index

from .fake_telegram import USER, callback, inline, message, polling
from .telegram_html import check_telegram_html

ARCHIVES = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "archives"
PRIVATE = USER["id"]
pytestmark = pytest.mark.skipif(not ARCHIVES.is_dir(), reason=f"{ARCHIVES} is not here")


@pytest.fixture
async def prov_bot(fake, tmp_path):
    corpus = ARCHIVES / "prov" / "corpus"
    index, _ = open_index(corpus, tmp_path / "prov.sqlite")
    settings = Settings(
        telegram_bot_token=fake.token,
        telegram_api_base_url=fake.base_url,
        corpus=corpus,
        index=tmp_path / "prov.sqlite",
        allowed_chats=[PRIVATE],
    )
    application = build_application(settings, index=index)
    async with polling(application):
        yield application


async def ask(fake, text: str, count: int) -> dict:
    fake.push(message(PRIVATE, text))
    return (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == PRIVATE, 20, count))[
        -1
    ]


async def test_a_comparison_across_the_archive_is_paged_and_cited_row_by_row(fake, prov_bot):
    reply = await ask(fake, "各省2025年地区生产总值增长目标是多少", 1)
    first = check_telegram_html(reply["text"])
    assert first.startswith("14份政府工作报告,14份提及:(第1/2页)")
    assert "北京:地区生产总值增长5%左右" in first and "吉林:地区生产总值增长5.5％左右" in first
    markup = json.loads(reply["reply_markup"]) if isinstance(reply["reply_markup"], str) else reply["reply_markup"]
    (button,) = markup["inline_keyboard"][0]
    assert button["text"] == "下一页" and len(button["callback_data"].encode()) <= 64
    shown = {"message_id": 7000, "date": 0, "chat": {"id": PRIVATE, "type": "private"}, "text": "…"}
    fake.push(callback(button["callback_data"], shown))
    edit = (await asyncio.to_thread(fake.wait_for, "editMessageText"))[-1]
    second = check_telegram_html(edit["text"])
    assert "(第2/2页)" in second and "甘肃:地区生产总值增长5.5%左右" in second and "北京:" not in second
    refs = check_telegram_html((await ask(fake, "/cite", 2))["text"])
    assert "[14] " in refs and "[15]" not in refs  # one reference per row's document
    assert "2025年甘肃省政府工作报告" in refs and "2025年北京市政府工作报告" in refs


async def test_an_expired_table_button_says_so(fake, prov_bot):
    fake.push(callback("t|00000000|1", {"message_id": 1, "date": 0, "chat": {"id": PRIVATE, "type": "private"}}))
    answered = (await asyncio.to_thread(fake.wait_for, "answerCallbackQuery"))[-1]
    assert answered["text"] == EXPIRED


async def test_a_list_question_gets_every_item(fake, prov_bot):
    text = check_telegram_html((await ask(fake, "广西2024年做了哪些工作", 1))["text"])
    assert text.startswith("共9项,出自《2025年广西政府工作报告》")
    assert "(一)扎实推进国家各项政策落地落实" in text and "9. (九)扎实保障和改善民生" in text


async def test_inline_mode_lists_a_comparisons_rows(fake, prov_bot):
    fake.push(inline("各省2025年地区生产总值增长目标是多少"))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    titles = [r["title"] for r in call["results"]]
    assert titles[0].startswith("北京:地区生产总值增长5%左右") and len(titles) == 10
