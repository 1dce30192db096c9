"""Answers shaped like the question, through the real bot against the Bot API stand-in: a comparison across the
shared archive of provincial reports, paged, with /cite giving every row's reference; a whole list."""

from __future__ import annotations

import asyncio

import pytest

from bot.texts import EXPIRED

from .conftest import ARCHIVES
from .fake_telegram import USER, archive_bot, callback, inline, message
from .telegram_html import check_telegram_html

PRIVATE = USER["id"]
GROUP = -1005555
pytestmark = pytest.mark.skipif(not ARCHIVES.is_dir(), reason=f"{ARCHIVES} is not here")


@pytest.fixture
async def prov_bot(fake, tmp_path):
    async with archive_bot(fake, ARCHIVES / "prov" / "corpus", tmp_path / "prov.sqlite", [PRIVATE, GROUP]) as bot:
        yield bot


async def ask(fake, text: str, count: int) -> dict:
    """Send `text` in the private chat; the bot's `count`-th message there."""
    fake.push(message(PRIVATE, text))
    return await ask_sent(fake, count)


async def ask_sent(fake, count: int) -> dict:
    return (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == PRIVATE, 20, count))[
        -1
    ]


async def test_a_comparison_across_the_archive_is_paged_and_cited_row_by_row(fake, prov_bot):
    reply = await ask(fake, "各省2025年地区生产总值增长目标是多少", 1)
    first = check_telegram_html(reply["text"])
    assert first.startswith("14份政府工作报告,14份提及:(第1/2页)")
    assert "北京:地区生产总值增长5%左右" in first and "吉林:地区生产总值增长5.5％左右" in first
    markup = reply["reply_markup"]  # the stand-in hands back the keyboard decoded
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


async def test_a_list_question_gets_every_item_and_more_expands_them(fake, prov_bot):
    reply = await ask(fake, "广西2024年做了哪些工作", 1)
    text = check_telegram_html(reply["text"])
    assert text.startswith("共9项,出自《2025年广西政府工作报告》")
    assert "(一)扎实推进国家各项政策落地落实" in text and "9. (九)扎实保障和改善民生" in text
    markup = reply["reply_markup"]  # the stand-in hands back the keyboard decoded
    more = next(b for b in markup["inline_keyboard"][0] if b["text"] == "更多结果")
    shown = {"message_id": 7001, "date": 0, "chat": {"id": PRIVATE, "type": "private"}, "text": "…"}
    fake.push(callback(more["callback_data"], shown))
    expanded = check_telegram_html((await ask_sent(fake, 2))["text"])
    assert "(一)扎实推进国家各项政策落地落实" in expanded and "[1]" in expanded  # the items' own passages


async def test_inline_mode_offers_the_whole_list_first(fake, prov_bot):
    fake.push(inline("广西2024年做了哪些工作"))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    first = call["results"][0]
    assert first["title"].startswith("共9项,出自《2025年广西政府工作报告》")
    posted = check_telegram_html(first["input_message_content"]["message_text"])
    assert "1. (一)扎实推进国家各项政策落地落实" in posted and "9. (九)扎实保障和改善民生" in posted
    assert "2025年广西政府工作报告[N]. 广西日报, 2025." in posted and "更多结果" not in posted
    assert len(call["results"]) > 1  # the passages follow


async def test_inline_mode_lists_a_comparisons_rows(fake, prov_bot):
    fake.push(inline("各省2025年地区生产总值增长目标是多少"))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    titles = [r["title"] for r in call["results"]]
    assert titles[0].startswith("北京:地区生产总值增长5%左右") and len(titles) == 10


async def test_a_follow_up_changes_the_previous_question_and_says_which_it_answered(fake, prov_bot):
    first = check_telegram_html((await ask(fake, "广西今年GDP目标是多少?", 1))["text"])
    assert "全区地区生产总值增长5%左右" in first
    second = check_telegram_html((await ask(fake, "四川呢?", 2))["text"])
    assert second.startswith("按「四川今年GDP目标是多少?」回答") and "地区生产总值增长5.5%以上" in second
    third = check_telegram_html((await ask(fake, "那就业目标呢?", 3))["text"])
    assert third.startswith("按「四川今年就业目标是多少?」回答") and "城镇新增就业85万人" in third
    alone = check_telegram_html((await ask(fake, "江苏省明确的城镇新增就业目标是多少", 4))["text"])
    assert not alone.startswith("按「")  # a question of its own


async def test_the_chat_forgets_after_thirty_minutes_of_silence(fake, prov_bot):
    from bot import answers

    await ask(fake, "广西今年GDP目标是多少?", 1)
    question, at = prov_bot.chat_data[PRIVATE]["asked"]
    prov_bot.chat_data[PRIVATE]["asked"] = (question, at - answers.FOLLOW_UP_WITHIN - 1)  # half an hour ago
    text = check_telegram_html((await ask(fake, "四川呢?", 2))["text"])
    assert not text.startswith("按「")


async def ask_in_group(fake, question: str) -> dict:
    """/ask in the group: the bot's answer as sent."""
    fake.push(message(GROUP, f"/ask {question}"))
    return (await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == GROUP))[-1]


def as_received(answer: dict, application) -> dict:
    """The bot's sent answer as the group's members see it: a message to reply to."""
    bot = application.bot
    return {
        "message_id": int(answer["result_message_id"]),
        "date": 0,
        "chat": {"id": GROUP, "type": "supergroup"},
        "from": {"id": bot.id, "is_bot": True, "first_name": "bot", "username": bot.username},
        "text": "…",
    }


async def test_in_a_group_a_reply_to_the_bots_answer_is_a_follow_up(fake, prov_bot):
    group = GROUP
    bot_answer = as_received(await ask_in_group(fake, "广西今年GDP目标是多少?"), prov_bot)
    await asyncio.sleep(0.3)  # a person replies once the answer is on screen: the bot has noted what it answered
    fake.push(message(group, "四川呢?", reply_to=bot_answer))
    replies = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == group, 20, 2)
    assert check_telegram_html(replies[-1]["text"]).startswith("按「四川今年GDP目标是多少?」回答")
    fake.push(message(group, "湖南呢?"))  # not addressed to the bot: ignored
    await asyncio.sleep(0.5)
    assert len(fake.calls_of("sendMessage", lambda p: int(p["chat_id"]) == group)) == 2


async def test_in_a_group_a_reply_at_once_to_the_bots_answer_is_still_its_follow_up(fake, prov_bot, monkeypatch):
    """The answer's question is noted as soon as it is sent, before the log of it is written (a slow write let a
    quick "河南呢?" be read alone: the province's first paragraph); an answer not noted falls back to the chat's last
    question."""
    from bot import feedback

    real = feedback.record

    async def slow_record(*args, **kwargs):
        await asyncio.sleep(2)
        await real(*args, **kwargs)

    monkeypatch.setattr(feedback, "record", slow_record)
    bot_answer = as_received(await ask_in_group(fake, "广西今年GDP目标是多少?"), prov_bot)
    fake.push(message(GROUP, "四川呢?", reply_to=bot_answer))  # at once
    replies = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == GROUP, 20, 2)
    text = check_telegram_html(replies[-1]["text"])
    assert text.startswith("按「四川今年GDP目标是多少?」回答") and "地区生产总值增长5.5%以上" in text


async def test_in_a_group_ask_gets_the_whole_list(fake, prov_bot):
    text = check_telegram_html((await ask_in_group(fake, "四川省2025年重点抓好哪几方面工作"))["text"])
    assert text.startswith("共9项,出自《2025年四川省政府工作报告》") and "重点做好9个方面工作" in text
    assert "1. （一）全方位扩大内需" in text and "9. （九）全力维护社会安全稳定" in text
