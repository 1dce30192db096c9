"""The bot under load: questions from 50 chats through the real Application and the test Bot API stand-in.

Two loads: a burst (every question sent at once) and 50 chats each asking its next question when the answer
to the last one arrives. For each, our own time per question (the update handed to our handler -> the reply
handed to PTB to send, so Telegram's flood limiter is not counted) at p50/p95, replies per second, and the
longest stall of the event loop (a timer that should fire every 5 ms, how late it fired at worst).

    python -m bench.bot                                   # the seeds
    python -m bench.bot --corpus DIR --index FILE         # another corpus, e.g. bench.scale's --workdir
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CHATS = 50
TICK = 0.005
POLL = 0.05  # how often the replies sent so far are read from the stand-in (not counted as our time)


def questions(n: int) -> list[str]:
    rows = [json.loads(line) for line in (ROOT / "tests" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    rng = random.Random(3)
    return [rng.choice(rows)["q"] for _ in range(n)]


async def watch_loop(stalls: list[float], stop: asyncio.Event) -> None:
    """How late a 5 ms timer fires: the longest time the event loop was kept from running."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        start = loop.time()
        await asyncio.sleep(TICK)
        stalls.append(loop.time() - start - TICK)


async def run(corpus: Path, index_path: Path, n: int) -> None:
    sys.path.insert(0, str(ROOT))
    from telegram import Message

    from bot import answers
    from bot import app as bot_app
    from bot.settings import Settings
    from retrieval.indexing.build import open_index
    from tests.fake_telegram import FakeBotAPIProcess, message, polling

    index, _ = open_index(corpus, index_path)
    started: dict[tuple[int, int], float] = {}
    own: list[float] = []
    real_answer, real_reply = answers.answer, Message.reply_text

    async def timed_answer(update, context, question):
        started[(update.effective_chat.id, update.effective_message.message_id)] = time.perf_counter()
        await real_answer(update, context, question)

    async def timed_reply(message, text, *args, **kwargs):  # the asking message's reply_text: our work is done
        key = (message.chat_id, message.message_id)
        if key in started:
            own.append((time.perf_counter() - started.pop(key)) * 1000)
        return await real_reply(message, text, *args, **kwargs)

    answers.answer, Message.reply_text = timed_answer, timed_reply
    async with AsyncExitStack() as stack:
        stack.callback(setattr, answers, "answer", real_answer)
        stack.callback(setattr, Message, "reply_text", real_reply)
        fake = stack.enter_context(FakeBotAPIProcess())  # in its own process: its work is Telegram's, not ours
        settings = Settings(
            telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url, corpus=corpus, index=index_path
        )
        app = bot_app.build_application(settings, index=index)
        await stack.enter_async_context(polling(app))
        replies: dict[int, int] = {}  # chat id -> replies sent so far, polled from the stand-in
        arrived = asyncio.Condition()

        async def poll_replies(stop: asyncio.Event) -> None:
            while not stop.is_set():
                counts = await asyncio.to_thread(fake.counts_of, "sendMessage")
                async with arrived:
                    replies.clear()
                    replies.update(counts)
                    arrived.notify_all()
                await asyncio.sleep(POLL)

        async def replied(chat_id: int, count: int) -> None:
            async with arrived:
                await arrived.wait_for(lambda: replies.get(chat_id, 0) >= count)

        for load in ("burst", "50 chats in turn"):
            own.clear()
            stalls: list[float] = []
            stop = asyncio.Event()
            watcher = asyncio.create_task(watch_loop(stalls, stop))
            poller = asyncio.create_task(poll_replies(stop))
            asked = questions(n)
            base = 20_000 if load == "burst" else 30_000
            start, cpu = time.perf_counter(), time.process_time()

            by_chat = {base + c: [message(base + c, q) for q in asked[c::CHATS]] for c in range(CHATS)}
            if load == "burst":  # every question queued before the bot reads any
                await asyncio.to_thread(fake.push_many, [u for ups in by_chat.values() for u in ups])
            else:
                await asyncio.to_thread(fake.script, by_chat)
            await asyncio.wait_for(asyncio.gather(*(replied(c, len(ups)) for c, ups in by_chat.items())), 600)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            stop.set()
            await watcher
            await poller
            print(
                f"{load}: {n} questions from {CHATS} chats, {n / seconds:.1f} answers/s; our time per question "
                f"p50 {np.percentile(own, 50):.0f} ms, p95 {np.percentile(own, 95):.0f} ms; "
                f"longest event-loop stall {max(stalls) * 1000:.0f} ms; our CPU {cpu / n * 1000:.1f} ms a question",
                flush=True,
            )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=int, default=200)
    ap.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    ap.add_argument("--index", type=Path, help="default: a temporary index of the corpus")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.corpus, args.index or Path(tmp) / "index.sqlite", args.questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
