"""The `qabot` command line: index, search, ask, feedback, eval, status, run."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shlex
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from retrieval import (
    Answer,
    BuildReport,
    CorpusMismatch,
    CorpusUnknown,
    Index,
    InvalidQuery,
    Passage,
    QabotError,
    ask,
    comparison_heading,
    coverage_note,
    load_dictionary,
    open_index,
    regions,
    user_message,
)

from .logs import configure_logging
from .settings import MissingToken, Settings
from .terminal import render_answer

log = logging.getLogger("qabot")


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--corpus",
        type=Path,
        help="folder of documents (default: the one the index was built from, seeds/ for a new one; env QABOT_CORPUS)",
    )
    common.add_argument("--index", type=Path, help="index file (default: .cache/index.sqlite, env QABOT_INDEX)")
    p = argparse.ArgumentParser(prog="qabot", description="Quoted, cited answers from Chinese policy documents.")
    sub = p.add_subparsers(dest="command", required=True)
    idx = sub.add_parser("index", parents=[common], help="build or refresh the index")
    idx.add_argument("--quiet", action="store_true", help="print nothing when the index is up to date")
    idx.add_argument("--rebuild", action="store_true", help="build the index anew from --corpus, whatever it held")
    s = sub.add_parser("search", parents=[common], help="ranked passages for a query (stdin: one query a line)")
    s.add_argument("--json", action="store_true", help="one JSON object per query")
    s.add_argument("-k", type=int, default=5, help="number of results (default 5)")
    s.add_argument("query", nargs="*", help="the query; none: read queries from stdin")
    a = sub.add_parser("ask", parents=[common], help="an answer with quoted passages and citations")
    a.add_argument("--cite", action="store_true", help="add each passage's GB/T 7714 reference")
    a.add_argument("-k", type=int, default=None, help="number of passages (default 3)")
    a.add_argument("--loop", action="store_true", help="answer each line of stdin until EOF")
    a.add_argument("question", nargs="*")
    f = sub.add_parser("feedback", parents=[common], help="what users rated in the bot")
    fsub = f.add_subparsers(dest="action", required=True)
    fx = fsub.add_parser("export", parents=[common], help="rated questions as JSONL ({q, gold}), for qabot eval")
    fx.add_argument("--since", type=dt.date.fromisoformat, metavar="DATE", help="only questions asked since DATE")
    fx.add_argument("--feedback", type=Path, help="feedback database (default: beside the index)")
    e = sub.add_parser("eval", parents=[common], help="R@1, R@3, MRR@5, lead and no-answer accuracy of a JSONL file")
    e.add_argument("file", type=Path, help='questions, one {"q": ..., "gold": [...]} a line')
    e.add_argument("--misses", action="store_true", help="list the questions whose answer was not found")
    st = sub.add_parser("status", parents=[common], help="the index, its folder, skipped files and feedback, read only")
    st.add_argument("--feedback", type=Path, help="feedback database (default: beside the index)")
    r = sub.add_parser("run", parents=[common], help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    r.add_argument(
        "--webhook", metavar="URL", help="serve a webhook at URL instead of long polling (QABOT_WEBHOOK_URL)"
    )
    r.add_argument("--listen", help="address of the webhook and /healthz (default 127.0.0.1, QABOT_LISTEN)")
    r.add_argument("--port", type=int, help="port of the webhook and /healthz (default 8443, QABOT_PORT)")
    return p


def load_settings(args: argparse.Namespace) -> Settings:
    flags = {"corpus": "corpus", "index": "index", "webhook_url": "webhook", "listen": "listen", "port": "port"}
    overrides = {k: getattr(args, flag) for k, flag in flags.items() if getattr(args, flag, None) is not None}
    settings = Settings(**overrides)
    # the commands that read the corpus settle which folder it is; status and feedback only read what is there
    return settings if args.command in ("status", "feedback") else settings.settled()


def load_index(
    settings: Settings, *, verbose: bool = False, keep_serving: bool = True, rebuild: bool = False
) -> tuple[Index, BuildReport]:
    """The index, refreshed when the corpus changed; when the refresh fails, the last good one with a warning."""
    bars: dict[str, Any] = {}

    def bar(name: str, unit: str, done: int, total: int) -> None:
        if name not in bars and sys.stderr.isatty():
            from tqdm import tqdm

            bars[name] = tqdm(total=total, desc=name, unit=unit, file=sys.stderr, position=len(bars))
        if name in bars:
            bars[name].total = total  # pages to read grow as the workers open each scan
            bars[name].n = done
            bars[name].refresh()

    try:
        index, report = open_index(
            settings.corpus,
            settings.index,
            progress=(lambda done, total: bar("indexing", "file", done, total)) if verbose else None,
            pages=(lambda done, total: bar("OCR", "page", done, total)) if verbose else None,
            keep_serving=keep_serving,
            rebuild=rebuild,
        )
    finally:
        for shown in bars.values():
            shown.close()
    if report.failed:
        print(
            f"qabot: {report.failed};继续使用上一版索引({index.meta.get('built_at', '')[:16]} 构建)。", file=sys.stderr
        )
    return index, report


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    index, report = load_index(settings, verbose=not args.quiet, keep_serving=False, rebuild=args.rebuild)
    if report.unchanged:
        if not args.quiet:
            print(f"index up to date: {len(index.documents)} documents, {index.n_chunks} chunks ({settings.index})")
        return 0
    print(summary(report, settings, index), file=sys.stderr if args.quiet else sys.stdout)
    return 0


def summary(report: BuildReport, settings: Settings, index: Index | None = None) -> str:
    lines = [
        f"indexed {report.documents} documents, {report.chunks} chunks, {report.characters:,} characters "
        f"in {report.seconds:.1f} s -> {settings.index}"
    ]
    if report.rebuilt_because:
        lines.append(f"  full build: {report.rebuilt_because}")
    for label, items in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
        if items and report.rebuilt_because is None:
            lines.append(f"  {label}: {', '.join(items)}")
    for name, reason in report.skipped.items():
        lines.append(f"  skipped {name}: {reason}")
    facets = facets_summary(index) if index is not None else None
    if facets:
        lines.append(facets)
    return "\n".join(lines)


def facets_summary(index: Index, named: int = 5, kinds: int = 4) -> str | None:
    """What the corpus has to tell its documents apart (regions, years, kinds), on one line; None without any.
    Read from the stored facets, not built documents: a refresh of one file in a large archive prints it too."""
    read = index.documents.fields("facets.region", "facets.region_code", "facets.year", "facets.kind", "facets.names")
    codes = read["facets.region_code"]
    regions = {r: codes[i] or "" for i, r in read["facets.region"].items() if r}
    years = sorted({y for y in read["facets.year"].values() if y is not None})
    counts = Counter(k for k in read["facets.kind"].values() if k)
    parts = []
    if regions:
        with_region = sum(1 for r in read["facets.region"].values() if r)
        shown = [short_name(n, c) for n, c in sorted(regions.items(), key=lambda nc: (nc[1], nc[0]))]
        listed = "、".join(shown[:named]) + ("…" if len(shown) > named else "")
        parts.append(f"{with_region} documents with a region ({listed})")
    if years:
        parts.append(f"years {years[0]}-{years[-1]}" if len(years) > 1 else f"year {years[0]}")
    if counts:
        top = counts.most_common()
        listed = "、".join(f"{kind} {n}" for kind, n in top[:kinds]) + ("…" if len(top) > kinds else "")
        parts.append(f"kinds: {listed}")
    names = Counter(n for ns in read["facets.names"].values() for n in ns or ())
    if names:
        top_names = [n for n, _ in names.most_common()]
        parts.append("names: " + "、".join(top_names[:named]) + ("…" if len(top_names) > named else ""))
    return "  facets: " + ", ".join(parts) if parts else None


def short_name(name: str, code: str) -> str:
    """浙江 for 浙江省: the summary names many regions on one line."""
    region = regions().get(code)
    return region.short if region is not None else name


def search_json(index: Index, query: str, k: int) -> dict:
    """The `search --json` object of one query."""
    try:
        ans = ask(index, query, k=k).answer
    except InvalidQuery as exc:
        return {"query": query, "results": [], "error": user_message(exc)}
    return answer_json(query, ans)


def answer_json(query: str, ans: Answer) -> dict:
    """An answer as `search --json` writes it."""
    out: dict = {"query": query, "status": ans.status, "results": [passage_json(p) for p in ans.passages]}
    if ans.coverage is not None:
        if ans.coverage.missing:
            out["missing"] = ans.coverage.missing
            out["nearby"] = ans.coverage.nearby
        out["note"] = coverage_note(ans.coverage)
    if ans.related:
        out["related"] = [passage_json(p) for p in ans.related]
    if ans.comparison:
        out["by"] = ans.comparison.by
        out["rows"] = [
            {
                "facet": r.facet,
                "lead": r.text,
                "doc": {"id": r.doc.id, "title": r.doc.title, "path": r.doc.path},
                "paragraph": r.paragraph,
                "citation": r.citation,
            }
            for r in ans.comparison.rows
        ]
        out["not_mentioned"] = ans.comparison.missing
        out["note"] = comparison_heading(ans.comparison)
    if ans.listing:
        out["listing"] = {
            "intro": ans.listing.intro,
            "items": [
                {"text": i.text, "passage": i.passage, "paragraph": i.paragraph, "citation": i.citation}
                for i in ans.listing.items
            ],
            "doc": {"id": ans.listing.doc.id, "title": ans.listing.doc.title, "path": ans.listing.doc.path},
            "citation": ans.listing.citation,
            "reference": ans.listing.reference,
        }
    if ans.lead:
        out["lead"] = {"text": ans.lead.text, "original": ans.lead.original, "citation": ans.lead.citation}
    if ans.suggestions:
        out["suggestions"] = ans.suggestions
    return out


def passage_json(p: Passage) -> dict:
    return {
        "text": p.text,
        "score": round(p.score, 4),
        "doc": {
            "id": p.doc.id,
            "title": p.doc.title,
            "source": p.doc.source,
            "date": p.doc.date,
            "path": p.doc.path,
            "excerpt": p.doc.excerpt,
        },
        "paragraph": p.paragraph,
        "citation": p.citation,
        "reference": p.reference,
        "highlights": [[s.start, s.end] for s in p.highlights],
    }


def cmd_search(settings: Settings, args: argparse.Namespace) -> int:
    index, _ = load_index(settings)
    queries = [" ".join(args.query)] if args.query else (line.rstrip("\n") for line in sys.stdin)
    single = bool(args.query)
    if not single:
        load_dictionary()  # many questions: segmenting them from memory pays for loading it
    for query in queries:
        result = search_json(index, query, args.k)
        if args.json:
            print(json.dumps(result, ensure_ascii=False), flush=True)
        elif "error" in result:
            print(f"qabot: {result['error']}", file=sys.stderr)
        else:
            print(f"# {query}")
            for i, r in enumerate(result["results"], start=1):
                print(f"{i}. [{r['score']:.2f}] {r['text']}\n   —— {r['citation']}")
            if not result["results"]:
                print("(no results)")
        if single and "error" in result:
            return 2
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    index, _ = load_index(settings)
    k = args.k or settings.passages
    colour = sys.stdout.isatty()
    if args.question and not args.loop:
        questions, single = [" ".join(args.question)], True
    else:
        questions, single = (line.strip() for line in sys.stdin), False
        load_dictionary()
        if sys.stdin.isatty():
            print("输入问题,回车提问;Ctrl-D 结束。", file=sys.stderr)
    previous = None
    for question in questions:
        if not question and not single:
            continue
        try:  # in a conversation (--loop) a follow-up (四川呢?) is read as the previous question changed
            ans = ask(index, question, previous=previous, k=k).answer
        except InvalidQuery as exc:
            print(f"qabot: {user_message(exc)}", file=sys.stderr)
            if single:
                return 2
            continue
        previous = ans.asked_as or question
        print(render_answer(ans, colour=colour, cite=args.cite))
        if not single:
            print("\n" + "─" * 40, flush=True)
    return 0


def cmd_feedback(settings: Settings, args: argparse.Namespace) -> int:
    from retrieval import FeedbackLog

    path = args.feedback or settings.feedback_path
    if not path.exists():
        print(f"qabot: no feedback yet ({path} does not exist)", file=sys.stderr)
        return 1
    log_ = FeedbackLog(path)
    try:
        for row in log_.judged(args.since):
            print(json.dumps(row, ensure_ascii=False))
    finally:
        log_.close()
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from retrieval import evaluate, read_questions

    rows = read_questions(args.file)
    index, _ = load_index(settings)
    load_dictionary()
    scores = evaluate(index, rows)
    if args.misses:
        for q in scores.misses:
            print(f"miss: {q}")
    print(scores.line())
    return 0


def cmd_status(settings: Settings, args: argparse.Namespace) -> int:
    from .status import read_status, status_lines

    status = read_status(settings.index, args.feedback or settings.feedback_path)
    print("\n".join(status_lines(status)))
    return 0 if status.ok else 1


def cmd_run(settings: Settings, args: argparse.Namespace) -> int:
    settings.token()  # checked before anything else starts
    from .app import run_bot  # telegram is imported only when the bot runs

    return run_bot(settings)


def rebuild_hint(exc: CorpusMismatch) -> str:
    """How to replace what an index holds on purpose, after it refused another folder."""
    command = f"qabot index --corpus {shlex.quote(exc.given)} --index {shlex.quote(exc.index)} --rebuild"
    return f"要改用 {exc.given} 重建它 / to rebuild it from {exc.given} on purpose: {command}"


def main(argv: list[str] | None = None) -> int:
    configure_logging(logging.WARNING)
    args = parser().parse_args(argv)
    try:
        settings = load_settings(args)
        return {
            "index": cmd_index,
            "search": cmd_search,
            "ask": cmd_ask,
            "feedback": cmd_feedback,
            "eval": cmd_eval,
            "status": cmd_status,
            "run": cmd_run,
        }[args.command](settings, args)
    except QabotError as exc:
        print(f"qabot: {user_message(exc)}", file=sys.stderr)
        if isinstance(exc, CorpusMismatch):
            print(f"qabot: {rebuild_hint(exc)}", file=sys.stderr)
        return 2 if isinstance(exc, InvalidQuery | MissingToken | CorpusMismatch | CorpusUnknown) else 1
    except KeyboardInterrupt:
        return 130
