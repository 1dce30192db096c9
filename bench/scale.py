"""Speed at scale: a synthetic corpus of N paragraphs, built and queried through the real code paths.

Prints index build time and rate, refresh times, `qabot search` start-up with peak memory, per-query
p50/p95 for our search and for rank-bm25's BM25Okapi.get_scores in the same run (and whether their
top 10 agree), and the bot's update-in to reply-out latency against the fake Bot API server.

    python -m bench.scale --paragraphs 100000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS_PER_FILE = 100


def jieba_words() -> tuple[list[str], np.ndarray]:
    """jieba's dictionary: words (CJK, at least one character) and their frequencies."""
    import jieba

    words, freqs = [], []
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in parts[0]):
                words.append(parts[0])
                freqs.append(int(parts[1]))
    p = np.asarray(freqs, dtype=np.float64)
    return words, p / p.sum()


def make_corpus(folder: Path, paragraphs: int, seed: int = 1) -> int:
    """Write the synthetic corpus: sentences of 8-20 words drawn by frequency, 2-5 sentences a paragraph,
    100 paragraphs a file. Returns the number of characters written."""
    rng = np.random.default_rng(seed)
    words, p = jieba_words()
    folder.mkdir(parents=True, exist_ok=True)
    chars = 0
    for f in range(0, paragraphs, PARAGRAPHS_PER_FILE):
        n = min(PARAGRAPHS_PER_FILE, paragraphs - f)
        sentences_per = rng.integers(2, 6, size=n)
        lengths = rng.integers(8, 21, size=int(sentences_per.sum()))
        drawn = rng.choice(len(words), size=int(lengths.sum()), p=p)
        pos, s_index, paras = 0, 0, []
        for k in sentences_per:
            sentences = []
            for _ in range(k):
                length = int(lengths[s_index])
                sentences.append("".join(words[i] for i in drawn[pos : pos + length]) + "。")
                pos += length
                s_index += 1
            paras.append("".join(sentences))
        text = f"标题:合成文档{f // PARAGRAPHS_PER_FILE:05d}\n\n" + "\n\n".join(paras) + "\n"
        chars += len(text)
        (folder / f"doc{f // PARAGRAPHS_PER_FILE:05d}.txt").write_text(text, encoding="utf-8")
    return chars


def measured(args: list[str]) -> tuple[float, float, str]:
    """Run a command in a fresh Python that reports the child's own peak RSS (ru_maxrss of that child only)."""
    code = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
        "d=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
        "sys.stderr.write(p.stderr);print(f'{d} {r}');print(p.stdout,end='');sys.exit(p.returncode)"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-2000:]}")
    first, _, out = proc.stdout.partition("\n")
    seconds, rss_kib = first.split()
    return float(seconds), int(rss_kib) / 1024, out


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def sample_queries(index, n: int, terms: int, seed: int = 2) -> list[str]:
    """Queries of `terms` words drawn by frequency from jieba's dictionary, kept if the corpus holds them."""
    words, p = jieba_words()
    rng = np.random.default_rng(seed)
    from retrieval.core.tokenize import stopwords

    stop = stopwords()
    queries = []
    while len(queries) < n:
        picks = [words[i] for i in rng.choice(len(words), size=terms * 4, p=p)]
        picks = [w for w in picks if len(w) >= 2 and w not in stop and index.postings(w) is not None][:terms]
        if len(picks) == terms:
            queries.append(" ".join(picks))
    return queries


LIST_QUESTIONS = 100  # of the queries, asked again as list questions:
LIST_ASKS = "有哪些举措"
STAGES = ("parse", "bm25", "reads", "coverage", "chunks", "answer", "json")


def bench_queries(index, queries: list[str], reference_queries: int) -> dict:
    """Per query: the whole search as `qabot search --json` does it, each stage of it, our BM25 stage alone,
    and rank-bm25's and bm25s's own retrieval of the same queries over the same tokens."""
    import datetime as dt
    import json

    from bot.cli import answer_json, search_json
    from retrieval.answering.answer import answer
    from retrieval.answering.query import parse_query
    from retrieval.answering.search import (
        CANDIDATES,
        MIN_COVERAGE,
        best_bm25,
        collapse,
        hits_of,
        measure,
        read_candidates,
        rerank,
    )
    from retrieval.core.bm25 import reference_bm25, score, top_k
    from retrieval.core.tokenize import load_dictionary

    load_dictionary()  # as the bot and batch searches do
    today = dt.date.today()
    stages: dict[str, list[float]] = {name: [] for name in STAGES}
    whole, bm25_ms, first = [], [], []
    for q in queries:  # first pass: every term's postings read from the index file
        t0 = time.perf_counter()
        json.dumps(search_json(index, q, 5), ensure_ascii=False)
        first.append((time.perf_counter() - t0) * 1000)
    for round_ in range(2):  # then with the caches warm, as a running bot's are for recurring words
        for q in queries:
            t = [time.perf_counter()]
            query = parse_query(q, index, today)
            t.append(time.perf_counter())
            best = best_bm25(index, query, max(5, CANDIDATES))
            t.append(time.perf_counter())
            found = read_candidates(index, best)
            t.append(time.perf_counter())
            measure(index, query, found)
            kept = collapse(rerank(index, query, found), 5, MIN_COVERAGE)
            t.append(time.perf_counter())
            hits = hits_of(index, kept, MIN_COVERAGE)
            t.append(time.perf_counter())
            ans = answer(query, hits, cited=today, k=5)
            t.append(time.perf_counter())
            json.dumps(answer_json(q, ans), ensure_ascii=False)
            t.append(time.perf_counter())
            t0 = time.perf_counter()
            json.dumps(search_json(index, q, 5), ensure_ascii=False)
            t1 = time.perf_counter()
            terms = [(w, 1.0) for w, share in query.terms.items() if share == 1.0]
            t2 = time.perf_counter()
            top_k(score(terms, index.postings, index.norms(0.0), index.stats, index.params), 10)
            t3 = time.perf_counter()
            if round_:
                for name, a, b in zip(STAGES, t, t[1:], strict=False):
                    stages[name].append((b - a) * 1000)
                whole.append((t1 - t0) * 1000)
                bm25_ms.append((t3 - t2) * 1000)
    listed = []  # list questions: their best passages' documents read whole for the enumeration they belong to
    for round_ in range(2):
        for q in queries[:LIST_QUESTIONS]:
            t0 = time.perf_counter()
            json.dumps(search_json(index, q + LIST_ASKS, 5), ensure_ascii=False)
            if round_:
                listed.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    tokens = index.token_lists()
    reference = reference_bm25(tokens)
    reference_build = time.perf_counter() - t0
    ids = index.chunk_ids()
    plain_ms, agree = [], 0
    for q in queries[:reference_queries]:
        words = [w for w, share in parse_query(q).terms.items() if share == 1.0]
        t0 = time.perf_counter()
        scores = reference.get_scores(words)
        plain_ms.append((time.perf_counter() - t0) * 1000)
        order = np.lexsort((np.arange(len(scores)), -scores))[:10]
        want = [int(ids[i]) for i in order if scores[i] > 0]
        got = [
            i
            for i, _ in top_k(
                score([(w, 1.0) for w in words], index.postings, index.norms(0.0), index.stats, index.params), 10
            )
        ]
        agree += want == got
    del reference
    out = {
        "stages": stages,
        "whole": whole,
        "first": first,
        "lists": listed,
        "bm25": bm25_ms,
        "plain": plain_ms,
        "agree": agree,
        "compared": min(reference_queries, len(queries)),
        "reference_build": reference_build,
    }
    out["bm25s"] = bench_bm25s(
        tokens, [[w for w, share in parse_query(q).terms.items() if share == 1.0] for q in queries]
    )
    return out


def bench_bm25s(tokens: list[list[str]], queries: list[list[str]]) -> list[float] | None:
    """bm25s (sparse matrices; Lucene's BM25) over the same tokens: its retrieve() per query, top 10."""
    try:
        import bm25s
    except ImportError:
        return None
    retriever = bm25s.BM25(method="lucene", k1=1.5, b=0.75)
    retriever.index(bm25s.tokenization.Tokenized(*_bm25s_ids(tokens)), show_progress=False)
    vocab = retriever.vocab_dict
    times = []
    for words in queries:
        query = [vocab[w] for w in words if w in vocab]
        if not query:
            continue
        t0 = time.perf_counter()
        scores = retriever.get_scores_from_ids(query)  # what its retrieve() does per query, without the batching
        top = np.argpartition(-scores, 10)[:10]
        top[np.argsort(-scores[top])]
        times.append((time.perf_counter() - t0) * 1000)
    return times


def _bm25s_ids(tokens: list[list[str]]) -> tuple[list[list[int]], dict[str, int]]:
    vocab: dict[str, int] = {}
    return [[vocab.setdefault(w, len(vocab)) for w in doc] for doc in tokens], vocab


async def bench_bot(index, corpus: Path, index_path: Path, questions: list[str]) -> dict:
    """Update-in to reply-out through the real Application and the fake Bot API server."""
    sys.path.insert(0, str(ROOT))
    from bot.app import build_application
    from bot.settings import Settings
    from tests.fake_telegram import FakeBotAPI, inline, message, polling

    inline_ms, private_ms = [], []
    with FakeBotAPI() as fake:
        settings = Settings(
            telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url, corpus=corpus, index=index_path
        )
        app = build_application(settings, index=index)
        async with polling(app):
            for q in questions:
                for make, method, out in (
                    (inline, "answerInlineQuery", inline_ms),
                    (lambda t: message(4242, t), "sendMessage", private_ms),
                ):
                    before = len(fake.calls_of(method))
                    t0 = time.monotonic()
                    fake.push(make(q))
                    await asyncio.to_thread(fake.wait_for, method, lambda p: True, 30, before + 1)
                    with fake.cond:
                        t1 = [t for (m, _), t in zip(fake.calls, fake.call_times, strict=False) if m == method][before]
                    out.append((t1 - t0) * 1000)
    return {"inline": inline_ms, "private": private_ms}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paragraphs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200, help="queries timed for our search")
    ap.add_argument("--reference-queries", type=int, default=30, help="queries timed for BM25Okapi.get_scores")
    ap.add_argument("--bot-questions", type=int, default=30)
    ap.add_argument("--workdir", type=Path, help="keep the corpus and index here (default: a temporary folder)")
    args = ap.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="qabot-bench-"))
    table: list[tuple[str, str, str]] = []
    corpus, index_path = work / "corpus", work / "index.sqlite"
    qabot = [sys.executable, "-m", "bot"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    try:
        if corpus.exists():
            shutil.rmtree(corpus)
        index_path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        chars = make_corpus(corpus, args.paragraphs)
        print(
            f"corpus: {args.paragraphs:,} paragraphs, {chars:,} characters, "
            f"{len(list(corpus.iterdir()))} files (made in {time.perf_counter() - t0:.1f} s)"
        )

        seconds, rss, out = measured(qabot + ["index", "--corpus", str(corpus), "--index", str(index_path)])
        print(f"build: {seconds:.1f} s, {chars / seconds:,.0f} characters/s, peak RSS {rss:.0f} MiB")
        table.append(("build: time / peak RSS", f"{seconds:.0f} s / {rss:,.0f} MiB", "1M: ≤ 150 s / ≤ 2 GiB"))
        print("       " + out.strip().splitlines()[0])
        print(
            f"index file: {index_path.stat().st_size / 2**20:,.0f} MiB "
            f"({index_path.stat().st_size / chars:.1f} bytes per character)"
        )
        seconds, rss, _ = measured(qabot + ["index", "--corpus", str(corpus), "--index", str(index_path)])
        print(f"refresh, nothing changed: {seconds:.2f} s (peak RSS {rss:.0f} MiB)")
        table.append(("index file", f"{index_path.stat().st_size / 2**20:,.0f} MiB", "reported"))
        table.append(("refresh, nothing changed", f"{seconds:.2f} s", ""))
        target = sorted(corpus.iterdir())[len(list(corpus.iterdir())) // 2]
        target.write_text(
            target.read_text(encoding="utf-8") + "\n会议强调,要加快推进分级诊疗制度建设。\n", encoding="utf-8"
        )
        seconds, rss, out = measured(qabot + ["index", "--corpus", str(corpus), "--index", str(index_path)])
        print(
            f"refresh, one file changed: {seconds:.1f} s (peak RSS {rss:.0f} MiB); "
            + out.strip().splitlines()[1].strip()
        )
        table.append(("refresh, one file changed", f"{seconds:.1f} s", "≤ 1 s at 100k, ≤ 2 s at 1M"))

        from retrieval.core.store import Index

        index = Index(index_path)
        queries = sample_queries(index, args.queries, 4)
        startup = []
        for q in queries[:3]:
            seconds, rss, _ = measured(
                qabot + ["search", "--json", "--corpus", str(corpus), "--index", str(index_path), q]
            )
            startup.append((seconds, rss))
        print(
            f"qabot search start-up + one query: {statistics.median(s for s, _ in startup):.2f} s median of 3, "
            f"peak RSS {max(r for _, r in startup):.0f} MiB"
        )
        table.append(
            (
                "`qabot search` start-up + 1 query",
                f"{statistics.median(s for s, _ in startup):.2f} s",
                "≤ 0.5 s at 100k, ≤ 0.6 s at 1M",
            )
        )

        r = bench_queries(index, queries, args.reference_queries)
        whole50, whole95 = pct(r["whole"], 50), pct(r["whole"], 95)
        plain50, plain95 = pct(r["plain"], 50), pct(r["plain"], 95)
        print(f"per query ({len(queries)} queries of 4 terms, second pass):")
        print(
            f"  whole search (qabot search --json: parse, BM25, coverage, lead, passages, JSON), first pass: "
            f"p50 {pct(r['first'], 50):.2f} ms, p95 {pct(r['first'], 95):.2f} ms; again: "
            f"p50 {whole50:.2f} ms, p95 {whole95:.2f} ms"
        )
        print(
            f"  list questions ({len(r['lists'])}, the words + {LIST_ASKS}): p50 {pct(r['lists'], 50):.2f} ms, "
            f"p95 {pct(r['lists'], 95):.2f} ms"
        )
        print("  by stage, p50 ms: " + ", ".join(f"{name} {pct(v, 50):.3f}" for name, v in r["stages"].items()))
        print(f"  our BM25 stage alone (top 10): p50 {pct(r['bm25'], 50):.2f} ms, p95 {pct(r['bm25'], 95):.2f} ms")
        print(
            f"  rank-bm25 BM25Okapi.get_scores ({r['compared']} queries): p50 {plain50:.1f} ms, p95 {plain95:.1f} ms "
            f"(built in {r['reference_build']:.1f} s); same top 10 as ours in {r['agree']}/{r['compared']} queries"
        )
        if r["bm25s"]:
            s50 = pct(r["bm25s"], 50)
            print(
                f"  bm25s get_scores_from_ids + top 10: p50 {s50:.2f} ms, p95 {pct(r['bm25s'], 95):.2f} ms "
                f"= {plain50 / s50:.0f}x rank-bm25"
            )
        print(
            f"  speed-up over rank-bm25 at p50: whole search {plain50 / pct(r['first'], 50):.0f}x first pass, "
            f"{plain50 / whole50:.0f}x again ({plain95 / whole95:.0f}x at p95), "
            f"BM25 stage {plain50 / pct(r['bm25'], 50):.0f}x"
        )

        table += [
            (
                "whole search, first pass: p50 / p95",
                f"{pct(r['first'], 50):.2f} / {pct(r['first'], 95):.2f} ms",
                "1M: p95 ≤ 20 ms",
            ),
            ("… vs rank-bm25 `get_scores` at p50", f"{plain50 / pct(r['first'], 50):.0f}×", "≥ 100× (1M: ≥ 300×)"),
            ("whole search, again: p50 / p95", f"{whole50:.2f} / {whole95:.2f} ms", ""),
            (
                f"list questions (+{LIST_ASKS}): p50 / p95",
                f"{pct(r['lists'], 50):.2f} / {pct(r['lists'], 95):.2f} ms",
                "",
            ),
            ("BM25 stage vs rank-bm25 at p50", f"{plain50 / pct(r['bm25'], 50):.0f}×", "keep"),
            ("rank-bm25 `get_scores` p50", f"{plain50:.0f} ms", "reference"),
        ]
        if r["bm25s"]:
            table.append(("bm25s `retrieve` vs rank-bm25 at p50", f"{plain50 / pct(r['bm25s'], 50):.0f}×", "reference"))
        b = asyncio.run(bench_bot(index, corpus, index_path, queries[: args.bot_questions]))
        print(
            f"bot, update in to reply out ({len(b['inline'])} each): inline p50 {pct(b['inline'], 50):.0f} ms, "
            f"p95 {pct(b['inline'], 95):.0f} ms; private p50 {pct(b['private'], 50):.0f} ms, "
            f"p95 {pct(b['private'], 95):.0f} ms"
        )
        table.append(
            (
                "bot: update in to reply out, private p50 / p95",
                f"{pct(b['private'], 50):.0f} / {pct(b['private'], 95):.0f} ms",
                "one question at a time",
            )
        )
        print(
            f"\n| figure ({args.paragraphs:,} paragraphs, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores) "
            "| measured | target |\n|---|---|---|"
        )
        for name, value, target in table:
            print(f"| {name} | {value} | {target} |")
        print(
            f"bench process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB "
            "(holds BM25Okapi for the comparison)"
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
