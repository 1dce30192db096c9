"""Laws as staff ask about them, through the real bot against the Bot API stand-in: an article quoted whole and cited
as laws are cited, a version named and said, a law the archive lacks said missing with what it holds instead; in
a private chat and with /ask in a group (the shared laws archive)."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import ARCHIVES
from .fake_telegram import USER, archive_bot, message
from .telegram_html import check_telegram_html

PRIVATE = USER["id"]
GROUP = -1007777
pytestmark = pytest.mark.skipif(not ARCHIVES.is_dir(), reason=f"{ARCHIVES} is not here")


@pytest.fixture
async def laws_bot(fake, tmp_path):
    async with archive_bot(fake, ARCHIVES / "laws" / "corpus", tmp_path / "laws.sqlite", [PRIVATE, GROUP]) as bot:
        yield bot


async def reply_to(fake, chat: int, text: str, count: int) -> str:
    fake.push(message(chat, text))
    sent = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == chat, 20, count)
    return check_telegram_html(sent[-1]["text"])


async def test_an_article_is_quoted_whole_and_cited_as_laws_are(fake, laws_bot):
    text = await reply_to(fake, PRIVATE, "劳动合同法第三十九条怎么规定的", 1)
    assert "《中华人民共和国劳动合同法》第三十九条" in text
    assert "在试用期间被证明不符合录用条件的" in text and "被依法追究刑事责任的" in text  # its first and last items


async def test_a_version_is_said_and_a_missing_law_is_said_missing(fake, laws_bot):
    version = await reply_to(fake, PRIVATE, "2018年版国防教育法第十二条是怎么写的", 1)
    assert "语料中有这份文件的2个版本(2018年4月27日、2024年9月13日),以下引用2018年4月27日的版本。" in version
    assert "国家设立全民国防教育日" in version
    missing = await reply_to(fake, PRIVATE, "工会法对工会经费是怎么规定的", 2)
    assert "语料中没有《工会法》" in missing


async def test_ask_in_a_group_names_the_article_past_the_end(fake, laws_bot):
    text = await reply_to(fake, GROUP, "/ask 劳动合同法第一百二十条说的是什么", 1)
    assert "《中华人民共和国劳动合同法》共九十八条,没有第一百二十条。" in text
    # the passages under the note are the named law's own articles: not labelled as another document's
    assert "以下是所问文件中的相关条文" in text and "其他文件" not in text


async def test_a_clause_past_the_end_of_its_article_is_said_missing(fake, laws_bot):
    text = await reply_to(fake, PRIVATE, "劳动合同法第十九条第九款", 1)
    assert "《中华人民共和国劳动合同法》第十九条共四款,没有第九款。" in text
    assert "同一用人单位与同一劳动者只能约定一次试用期" in text  # the article itself is shown
