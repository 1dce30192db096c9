"""The real bot against a fake Bot API server on loopback: every behaviour as Telegram would see it."""

from __future__ import annotations

import asyncio
import io
import logging
import re

import pytest

from bot import answers, common
from bot.app import build_application
from bot.buttons import decode, encode
from bot.logs import configure_logging
from bot.texts import EXPIRED, REFUSAL

from .conftest import SEEDS
from .fake_telegram import BOT, OTHER_USER, USER, callback, inline, message, polling
from .telegram_html import check_telegram_html

PRIVATE = USER["id"]
GROUP = -1001234
OUTSIDE_GROUP = -1009999
ADMIN = USER["id"]


@pytest.fixture
async def bot(fake, seed_index, tmp_path):
    settings = fake.settings(SEEDS, tmp_path / "bot.sqlite", allowed_chats=[PRIVATE, GROUP], admins=[ADMIN])
    application = build_application(settings, index=seed_index)
    async with polling(application):
        yield application


async def sent(fake, chat_id: int, count: int = 1, timeout: float = 20.0, where=lambda p: True) -> list[dict]:
    return await asyncio.to_thread(
        fake.wait_for, "sendMessage", lambda p: int(p["chat_id"]) == chat_id and where(p), timeout, count
    )


async def ask_private(fake, text: str) -> dict:
    before = len(fake.calls_of("sendMessage", lambda p: int(p["chat_id"]) == PRIVATE))
    fake.push(message(PRIVATE, text))
    return (await sent(fake, PRIVATE, before + 1))[-1]


def assert_answer_message(params: dict) -> str:
    assert params["parse_mode"] == "HTML"
    assert params["link_preview_options"] == {"is_disabled": True}
    return check_telegram_html(params["text"])


async def test_start_up_registers_commands_in_chinese(fake, bot):
    commands = (await asyncio.to_thread(fake.wait_for, "setMyCommands"))[0]["commands"]
    names = {c["command"]: c["description"] for c in commands}
    assert {"ask", "sources", "cite", "help", "start", "reload"} <= set(names)
    assert all(re.search(r"[\u4e00-\u9fff]", d) for d in names.values())


async def test_private_question_gets_quoted_passage_citation_and_buttons(fake, bot):
    reply = await ask_private(fake, "岐黄工程是什么")
    text = assert_answer_message(reply)
    assert "实施中医药特色人才培养工程(岐黄工程)" in text
    assert "《发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作》 · 健康报 · 2024年1月24日" in text
    assert "<blockquote" in reply["text"] and "<b>岐黄工程</b>" in reply["text"]
    keyboard = reply["reply_markup"]["inline_keyboard"][0]
    # two passages speak of 岐黄工程: nothing more to page to
    assert [b["text"] for b in keyboard] == ["引用格式"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in keyboard)
    assert "reply_parameters" not in reply  # private chat: a plain answer
    broad = await ask_private(fake, "中医药文化建设")
    assert [b["text"] for b in broad["reply_markup"]["inline_keyboard"][0]] == ["更多结果", "引用格式"]


async def test_traditional_question_gets_a_traditional_lead(fake, bot):
    text = assert_answer_message(await ask_private(fake, "中醫藥文化弘揚工程"))  # the passage is simplified
    assert "答:“五是統籌中醫藥文化建設和對外交流合作" in text and "深入实施中医药文化弘扬工程" in text


async def test_group_ask_with_bot_name_replies_shortly_to_the_asker(fake, bot):
    update = message(GROUP, f"/ask@{BOT['username']} 医保支付方式改革")
    fake.push(update)
    reply = (await sent(fake, GROUP))[-1]
    text = assert_answer_message(reply)
    assert reply["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert "深化醫保支付方式改革" in text
    assert reply["text"].count("<blockquote") == 1  # groups: the lead and the best passage only


async def test_group_ask_as_reply_looks_up_the_replied_message(fake, bot):
    colleague = message(GROUP, "领导说的中医药文化弘扬工程是哪次会议提的?", user=OTHER_USER)["message"]
    update = message(GROUP, "/ask", reply_to=colleague)
    fake.push(update)
    reply = (
        await sent(fake, GROUP, where=lambda p: p["reply_parameters"]["message_id"] == update["message"]["message_id"])
    )[-1]
    assert "深入实施中医药文化弘扬工程" in assert_answer_message(reply)


async def test_group_mention_and_reply_to_bot_are_answered_chatter_is_not(fake, bot):
    fake.push(message(GROUP, "大家中午吃什么?"))
    fake.push(message(GROUP, "岐黄工程是个好项目"))  # a topic, but not addressed to the bot
    mention = message(
        GROUP,
        f"@{BOT['username']} 医防结合",
        entities=[{"type": "mention", "offset": 0, "length": len(BOT["username"]) + 1}],
    )
    fake.push(mention)
    bot_message = {"message_id": 999, "date": 0, "chat": {"id": GROUP, "type": "supergroup"}, "from": BOT, "text": "…"}
    to_bot = message(GROUP, "健康城市建设呢?", reply_to=bot_message)
    fake.push(to_bot)
    replies = await sent(fake, GROUP, count=2)
    await asyncio.sleep(0.5)
    replies = fake.calls_of("sendMessage", lambda p: int(p["chat_id"]) == GROUP)
    assert sorted(r["reply_parameters"]["message_id"] for r in replies) == sorted(
        [mention["message"]["message_id"], to_bot["message"]["message_id"]]
    )
    texts = [assert_answer_message(r) for r in replies]
    assert any("醫防結合" in t for t in texts) and any("健康城市建設" in t for t in texts)


async def test_edited_question_is_not_answered_twice(fake, bot):
    await ask_private(fake, "医防结合")
    fake.push({"edited_message": {**message(PRIVATE, "医防结合是什么")["message"], "edit_date": 1}})
    after = await ask_private(fake, "岐黄工程")  # a later question is answered, the edit was not
    await asyncio.sleep(1.0)  # updates are handled concurrently: give a reply to the edit time to show up
    answers = fake.calls_of("sendMessage", lambda p: int(p["chat_id"]) == PRIVATE)
    assert len(answers) == 2 and "岐黄" in after["text"]


async def test_inline_query_lists_passages_that_post_quoted_with_citation(fake, bot):
    fake.push(inline("家庭医生签约服务"))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    results = call["results"]
    assert 1 <= len(results) <= 10
    assert int(call["cache_time"]) > 0 and call.get("is_personal") in ("true", True)  # allowlist set: personal
    first = results[0]
    assert first["type"] == "article" and "·" in first["title"] and first["description"]
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML"
    text = check_telegram_html(content["message_text"])
    assert "推廣家庭醫生在線簽約服務" in text and "山西日報" in text
    assert len(first["id"].encode()) <= 64
    assert len(first["reply_markup"]["inline_keyboard"][0][0]["callback_data"].encode()) <= 64


async def test_empty_inline_query_shows_a_hint(fake, bot):
    fake.push(inline(""))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    assert call["results"] == [] and "岐黄工程" in call["button"]["text"]


async def test_more_results_and_citation_buttons(fake, bot):
    reply = await ask_private(fake, "中医药")
    more, cite = reply["reply_markup"]["inline_keyboard"][0]
    answer_message = {
        "message_id": reply["result_message_id"],
        "date": 0,
        "chat": {"id": PRIVATE, "type": "private"},
        "from": BOT,
        "text": "…",
    }
    fake.push(callback(more["callback_data"], answer_message))
    page = (await sent(fake, PRIVATE, where=lambda p: "更多结果" in p["text"]))[-1]
    text = check_telegram_html(page["text"])
    shown_first = decode(cite["callback_data"]).ids
    assert decode(more["callback_data"]).ids[0] not in shown_first and text.count("——") >= 1
    assert "<b>中医药</b>" in page["text"]  # the question's words marked, as in the first answer
    fake.push(callback(cite["callback_data"], answer_message))
    refs = (await sent(fake, PRIVATE, where=lambda p: "参考文献" in p["text"]))[-1]
    assert "[N]. 健康报, 2024-01-24." in check_telegram_html(refs["text"])
    answered = await asyncio.to_thread(fake.wait_for, "answerCallbackQuery", lambda p: True, 15, 2)
    assert len(answered) >= 2


async def test_inline_post_citation_button_edits_the_message(fake, bot, seed_index):
    data = encode("r", seed_index.generation, [0])
    fake.push(callback(data, inline_message_id="inl-1"))
    edit = (await asyncio.to_thread(fake.wait_for, "editMessageText"))[-1]
    assert edit["inline_message_id"] == "inl-1"
    assert "[N]. 健康报" in check_telegram_html(edit["text"])


@pytest.mark.parametrize("data", ["m|000000|1.2", "garbage", "", "c|abc", "x|y|z"])
async def test_old_or_malformed_callback_gets_a_notice(fake, bot, data):
    fake.push(callback(data, {"message_id": 1, "date": 0, "chat": {"id": PRIVATE, "type": "private"}, "text": "…"}))
    notice = (await asyncio.to_thread(fake.wait_for, "answerCallbackQuery"))[-1]
    assert notice.get("text") in (EXPIRED, "无法识别这个按钮。")
    assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))  # still alive


async def test_chat_outside_the_allowlist_is_refused(fake, bot):
    fake.push(message(OUTSIDE_GROUP, "/ask 岐黄工程"))
    reply = (await sent(fake, OUTSIDE_GROUP))[-1]
    assert reply["text"] == REFUSAL
    stranger = {"id": 31337, "is_bot": False, "first_name": "外"}
    fake.push(message(31337, "岐黄工程", user=stranger))
    assert (await sent(fake, 31337))[-1]["text"] == REFUSAL
    fake.push(inline("岐黄工程", user=stranger))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    assert call["results"] == [] and call["button"]["start_parameter"] == "denied"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("岐" * 1001, "1000 字以内"),
        ("<b>岐黄工程</b><script>alert(1)</script> & 是什么", "岐黄工程"),
        ("😀😀👍", "请用文字提问"),
        ("/ask", "用法:/ask"),
        ("今天股市行情如何", "没有找到"),
    ],
)
async def test_bad_inputs_get_helpful_replies_and_the_bot_keeps_running(fake, bot, text, expected):
    reply = await ask_private(fake, text)
    assert expected in check_telegram_html(reply["text"])
    assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))


async def test_start_help_sources_and_cite(fake, bot):
    start = check_telegram_html((await ask_private(fake, "/start"))["text"])
    assert "/ask" in start and "可以这样问" in start
    examples = bot.bot_data["examples"]
    assert examples and all(e in start for e in examples)
    sources = check_telegram_html((await ask_private(fake, "/sources"))["text"])
    assert "已收录 5 份文档" in sources and sources.index("2024年1月24日") < sources.index("2020年12月24日")
    nothing_yet = check_telegram_html((await ask_private(fake, "/cite"))["text"])
    assert "先提一个问题" in nothing_yet
    await ask_private(fake, "中医药局长会议宣读了谁的书面讲话")
    refs = check_telegram_html((await ask_private(fake, "/cite"))["text"])
    assert "崔芳. 发挥叠加优势推进中西医结合工作!全国中医药局长会议部署今年重点工作[N]. 健康报, 2024-01-24." in refs


async def test_help_examples_are_answerable(bot, seed_index):
    from retrieval.answering.qa import ask

    for question in bot.bot_data["examples"]:
        assert ask(seed_index, question).answer.status == "answered", question


async def test_reload_is_for_admins(fake, bot, tmp_path):
    stranger_in_group = message(GROUP, "/reload", user=OTHER_USER)
    fake.push(stranger_in_group)
    assert "只有管理员" in (await sent(fake, GROUP))[-1]["text"]
    reply = await ask_private(fake, "/reload")
    assert "5 份文档" in reply["text"]


async def test_burst_of_100_inline_queries(fake, bot, caplog):
    questions = ["岐黄工程", "医保", "中医药文化", "家庭医生", "健康城市", "", "天气", "醫防結合", "三孩政策", "医联体"]
    for i in range(100):
        fake.push(inline(questions[i % len(questions)] + ("" if i < 10 else str(i % 7))))
    try:
        calls = await asyncio.to_thread(fake.wait_for, "answerInlineQuery", lambda p: True, 60, 100)
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\nlogged errors: {[r.getMessage() for r in caplog.records if r.levelno >= 30]}"
            f"\n{[str(r.exc_info) for r in caplog.records if r.exc_info][:3]}"
        ) from None
    assert len(calls) == 100
    assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))


async def test_flood_limit_is_respected(fake, bot):
    fake.fail_next["sendMessage"] = 1  # the next sendMessage gets 429 Too Many Requests, retry after 1 s
    fake.push(message(PRIVATE, "医防结合"))
    tries = await sent(fake, PRIVATE, count=2, where=lambda p: "醫防結合" in p["text"])
    assert tries[0]["text"] == tries[1]["text"]  # the same message, sent again after the wait
    assert "醫防結合" in assert_answer_message(tries[1])


async def test_error_is_logged_with_the_update_and_the_user_is_told(fake, bot, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(answers, "answer_question", broken)
    with caplog.at_level(logging.ERROR, logger="bot.app"):
        reply = await ask_private(fake, "岐黄工程")
    assert "出错了" in reply["text"]
    record = next(r for r in caplog.records if "error while handling" in r.getMessage())
    assert record.exc_info and "index exploded" in str(record.exc_info[1])
    monkeypatch.undo()
    assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))


async def test_token_never_reaches_the_log(fake, bot):
    configure_logging()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        await ask_private(fake, "岐黄工程")
        assert fake.token not in stream.getvalue()
        # the guard is what keeps it out: at INFO, httpx logs each request URL, token included
        logging.getLogger("httpx").setLevel(logging.INFO)
        await ask_private(fake, "医防结合")
        assert fake.token in stream.getvalue()
    finally:
        logging.getLogger("httpx").setLevel(logging.WARNING)
        logging.getLogger().removeHandler(handler)


def test_qabot_run_polls_answers_and_stops_cleanly_on_sigterm(fake, tmp_path):
    """The real command, as a process: index built before polling, an answer, SIGTERM ends it with exit 0."""
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "QABOT_CORPUS": str(SEEDS),
        "QABOT_INDEX": str(tmp_path / "run.sqlite"),
    }
    env.pop("QABOT_ALLOWED_CHATS", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        fake.wait_for("getUpdates", timeout=60)
        assert (tmp_path / "run.sqlite").exists()  # the index was built before polling started
        fake.push(message(PRIVATE, "医保支付方式改革"))
        reply = fake.wait_for("sendMessage", lambda p: int(p["chat_id"]) == PRIVATE, timeout=30)[-1]
        assert "深化醫保支付方式改革" in check_telegram_html(reply["text"])
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        code = proc.wait(timeout=30)
        assert code == 0 and time.monotonic() - started < 30
    finally:
        if proc.poll() is None:
            proc.kill()
    _, err = proc.communicate()
    assert fake.token not in err
    assert "Application started" in err or "index ready" in err


def test_qabot_run_with_a_missing_corpus_fails_clearly_before_polling(fake, tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "QABOT_CORPUS": str(tmp_path / "nowhere"),
        "QABOT_INDEX": str(tmp_path / "x.sqlite"),
    }
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "找不到语料文件夹" in proc.stderr
    assert fake.calls_of("getUpdates") == [] and fake.token not in proc.stderr


def test_qabot_run_webhook_serves_updates_posted_to_it_and_says_it_is_healthy(fake, tmp_path):
    """`qabot run --webhook URL`: registers the webhook with a secret, answers updates Telegram posts to it (and
    nothing posted without the secret), answers /healthz with the index it serves, and stops on SIGTERM."""
    import json
    import os
    import signal
    import socket
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/qabot-hook"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "QABOT_CORPUS": str(SEEDS),
        "QABOT_INDEX": str(tmp_path / "hook.sqlite"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--webhook", url, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def post(update: dict, secret: str | None) -> int:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        request = urllib.request.Request(url, json.dumps(update).encode(), headers)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        registered = fake.wait_for("setWebhook", timeout=60)[-1]
        assert registered["url"] == url and len(registered["secret_token"]) >= 32
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            health = json.loads(response.read())
        assert response.status == 200 and health["ok"] and health["index"]["documents"] == 5
        assert post({"update_id": 1, **message(PRIVATE, "岐黄工程")}, None) == 403
        assert post({"update_id": 2, **message(PRIVATE, "岐黄工程")}, "wrong") == 403
        assert post({"update_id": 3, **message(PRIVATE, "医防结合")}, registered["secret_token"]) == 200
        reply = fake.wait_for("sendMessage", lambda p: int(p["chat_id"]) == PRIVATE, timeout=30)[-1]
        assert "醫防結合" in check_telegram_html(reply["text"])
        assert len(fake.calls_of("sendMessage")) == 1  # the updates without the secret were never answered
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    _, err = proc.communicate()
    assert fake.token not in err and registered["secret_token"] not in err and "Traceback" not in err


@pytest.fixture
def newer_index(tmp_path):
    """The seeds plus one document, as after an admin added a file and sent /reload: other chunk ids."""
    import shutil

    from retrieval.indexing.build import open_index

    corpus = tmp_path / "grown"
    shutil.copytree(SEEDS, corpus)
    (corpus / "000_added.txt").write_text(
        "标题:新增通知\n\n会议要求实施好岐黄工程,做好中医药人才培养。\n", encoding="utf-8"
    )
    index, _ = open_index(corpus, tmp_path / "newer.sqlite")
    return index


def markup_message(reply: dict) -> dict:
    return {
        "message_id": 6000,
        "date": 0,
        "chat": {"id": PRIVATE, "type": "private"},
        "from": BOT,
        "text": "…",
        "reply_markup": reply["reply_markup"],
    }


async def test_a_reload_between_search_and_reply_never_cites_another_version(
    fake, bot, seed_index, newer_index, monkeypatch
):
    real = answers.answer_question

    def search_then_reload(index, question, **kwargs):
        result = real(index, question, **kwargs)
        bot.bot_data["index"] = newer_index  # an admin's /reload lands between the search and the reply
        return result

    monkeypatch.setattr(answers, "answer_question", search_then_reload)
    reply = await ask_private(fake, "岐黄工程是什么")
    monkeypatch.undo()
    cite = reply["reply_markup"]["inline_keyboard"][0][-1]
    assert decode(cite["callback_data"]).generation == seed_index.generation  # the version that searched
    fake.push(callback(cite["callback_data"], markup_message(reply)))
    notice = (await asyncio.to_thread(fake.wait_for, "answerCallbackQuery"))[-1]
    assert notice["text"] == EXPIRED
    assert check_telegram_html((await ask_private(fake, "/cite"))["text"]) == EXPIRED
    fake.push(message(PRIVATE, "/cite", reply_to=markup_message(reply)))
    replied = (await sent(fake, PRIVATE, where=lambda p: p["text"] == EXPIRED, count=2))[-1]
    assert replied["text"] == EXPIRED
    assert not fake.calls_of("sendMessage", lambda p: "新增通知" in p["text"])  # never the added document


async def test_the_citation_button_cites_exactly_the_passages_shown(fake, bot, seed_index):
    reply = await ask_private(fake, "医保支付方式改革")
    shown = re.findall(r"—— 《([^》]+)》", check_telegram_html(reply["text"]))
    cite = reply["reply_markup"]["inline_keyboard"][0][-1]
    fake.push(callback(cite["callback_data"], markup_message(reply)))
    refs = check_telegram_html((await sent(fake, PRIVATE, where=lambda p: "参考文献" in p["text"]))[-1]["text"])
    cited = re.findall(r"\] (?:[^.]+\. )?(.+?)\[(?:N|EB/OL)\]", refs)
    assert shown and set(cited) == set(shown)


async def test_a_fast_answer_sends_no_typing_action_a_slow_one_does(fake, bot, monkeypatch):
    await ask_private(fake, "岐黄工程")
    assert not fake.calls_of("sendChatAction")
    real = answers.answer_question

    def slow(*args, **kwargs):
        import time

        time.sleep(common.TYPING_AFTER + 0.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(answers, "answer_question", slow)
    await ask_private(fake, "医防结合")
    actions = fake.calls_of("sendChatAction")
    assert len(actions) == 1 and actions[0]["action"] == "typing"


async def test_a_failed_reload_keeps_answering_and_tells_the_admin(fake, bot, monkeypatch):
    from retrieval.core.errors import DiskFull
    from retrieval.indexing import build as build_module

    def full(*args, **kwargs):
        raise DiskFull("/data 所在磁盘剩余 0.0 MiB,这次构建约需 1.2 MiB")

    await ask_private(fake, "/reload")  # the index file the bot serves from exists
    before = bot.bot_data["index"]
    monkeypatch.setattr(build_module, "scan_corpus", full)
    reply = check_telegram_html((await ask_private(fake, "/reload"))["text"])
    assert "重新加载失败" in reply and "磁盘空间不足" in reply and "仍在使用上一版索引" in reply
    assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))
    assert bot.bot_data["index"].generation == before.generation


async def test_start_up_on_a_full_disk_serves_the_last_index_and_tells_the_admins(fake, tmp_path, monkeypatch):
    import shutil
    import sqlite3

    from retrieval.indexing.build import open_index

    from .conftest import fail_writes

    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    path = tmp_path / "index.sqlite"
    open_index(corpus, path)
    (corpus / "new.txt").write_text("标题:新增文件\n\n要做好托育服务。\n", encoding="utf-8")

    fail_writes(monkeypatch, sqlite3.OperationalError("database or disk is full"))
    index, report = open_index(corpus, path)  # what qabot run does before it starts polling
    assert report.failed and "new.txt" not in index.documents
    settings = fake.settings(corpus, path, allowed_chats=[PRIVATE], admins=[ADMIN])
    application = build_application(settings, index=index, start_report=report)
    async with polling(application):
        told = (await sent(fake, ADMIN, where=lambda p: "启动时索引未能更新" in p["text"]))[-1]
        assert "磁盘空间不足" in told["text"] and "/reload" in told["text"]
        assert "岐黄" in assert_answer_message(await ask_private(fake, "岐黄工程"))


async def test_a_region_the_corpus_lacks_is_said_first_and_others_only_as_related(fake, bot):
    text = assert_answer_message(await ask_private(fake, "浙江中医药强省建设有什么要求"))
    assert text.startswith("语料中没有浙江的") and "有:全国、山西" in text
    assert "以下是其他文件中的相关段落,不是所问文件的内容" in text and "答:" not in text


async def test_in_a_group_the_missing_region_is_said_too(fake, bot):
    update = message(GROUP, "/ask 浙江中医药强省建设有什么要求")
    fake.push(update)
    text = assert_answer_message((await sent(fake, GROUP))[-1])
    assert text.startswith("语料中没有浙江的") and "答:" not in text


async def test_inline_says_the_region_is_missing_instead_of_listing_others(fake, bot):
    fake.push(inline("浙江中医药强省建设"))
    call = (await asyncio.to_thread(fake.wait_for, "answerInlineQuery"))[-1]
    assert call["results"] == [] and call["button"]["text"].startswith("语料中没有浙江的")
