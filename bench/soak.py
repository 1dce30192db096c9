"""Soak: N varied questions from 50 chats through the real bot and the test Bot API stand-in on loopback.

Prints, per thousand questions, resident memory and replies per second (the flood limiter caps the bot at
about 30 messages a second, as Telegram does), and checks every question got exactly one reply.

    python -m bench.soak --questions 3000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHATS = 50


def rss_mib() -> float:
    """Resident memory now (not the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def questions(n: int) -> list[str]:
    """Realistic questions (ours and the shared dev set), off-topic ones, emoji, gibberish, too long."""
    rows = [json.loads(line) for line in (ROOT / "tests" / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if dev.exists():
        rows += [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    pool = [r["q"] for r in rows] + ["今天天气怎么样", "😀😀😀", "asdfghjkl", "？？？", "中" * 1200, "医保 " * 30]
    rng = random.Random(7)
    return [rng.choice(pool) + ("" if i % 3 else f" {i}") for i in range(n)]


async def soak(n: int) -> list[tuple[int, float, float]]:
    sys.path.insert(0, str(ROOT))
    from bot.app import build_application
    from bot.settings import Settings
    from retrieval.indexing.build import open_index
    from tests.fake_telegram import FakeBotAPI, message, polling

    rows = []
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as fake:
        index, _ = open_index(ROOT / "seeds", Path(tmp) / "index.sqlite")
        settings = Settings(
            telegram_bot_token=fake.token,
            telegram_api_base_url=fake.base_url,
            corpus=ROOT / "seeds",
            index=Path(tmp) / "index.sqlite",
        )
        app = build_application(settings, index=index)
        async with polling(app):
            start = time.monotonic()
            for done, text in enumerate(questions(n), start=1):
                fake.push(message(10_000 + done % CHATS, text))
                if done % 1000 == 0 or done == n:
                    replies = await asyncio.to_thread(fake.wait_for, "sendMessage", lambda p: True, 600, done)
                    elapsed = time.monotonic() - start
                    rows.append((done, rss_mib(), len(replies) / elapsed))
                    print(f"{done:>6} questions: RSS {rows[-1][1]:.0f} MiB, {rows[-1][2]:.1f} replies/s", flush=True)
            replies = fake.calls_of("sendMessage")
            typing = fake.calls_of("sendChatAction")
            print(f"replies {len(replies)} for {n} questions; typing actions {len(typing)}")
            if len(replies) != n:
                raise SystemExit("not every question got exactly one reply")
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=int, default=3000)
    args = ap.parse_args()
    print(f"start: RSS {rss_mib():.0f} MiB")
    asyncio.run(soak(args.questions))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
