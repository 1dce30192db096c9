"""Telegram HTML rendering: escaping, highlights, length limits, trimming between tags."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.buttons import BadCallback, decode, encode
from bot.render import MAX_TEXT, render_answer, render_passage, render_references, utf16_len
from retrieval.answering.answer import answer
from retrieval.answering.query import parse_query
from retrieval.core.highlight import highlight
from retrieval.core.models import Chunk, Document, Hit

from .telegram_html import check_telegram_html

DOC = Document(id="x.txt", path="x.txt", title="关于<b>“试点”</b>的通知 & 说明", source="某某日报", date="2023-05-01")


def hit(text: str, i: int = 0, coverage: float = 1.0) -> Hit:
    chunk = Chunk(id=i, doc_id="x.txt", paragraph=i + 1, text=text)
    return Hit(chunk=chunk, doc=DOC, score=10 - i, coverage=coverage, answers=coverage >= 0.45, terms=["试点"])


def test_corpus_and_user_text_are_escaped():
    ans = answer(
        parse_query("<i>试点</i> & 什么"), [hit("开展<script>试点</script>工作 & 评估 a<b")], cited=dt.date(2026, 1, 1)
    )
    html = render_answer(ans)
    text = check_telegram_html(html)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "开展<script>试点</script>工作 & 评估 a<b" in text
    assert "<b>试点</b>" in html


def test_long_answers_are_trimmed_between_tags_to_fit_4096():
    sentence = "要扎实推进试点工作,及时总结推广经验。"  # 19 characters
    hits = [hit(sentence * 120, i) for i in range(3)]  # three passages of 2,280 characters each
    ans = answer(parse_query("试点"), hits, cited=dt.date(2026, 1, 1))
    html = render_answer(ans)
    text = check_telegram_html(html)
    assert utf16_len(text) <= MAX_TEXT
    assert "节选段落" in text  # the trim is marked
    assert html.count("<blockquote") >= 2


def test_astral_characters_count_double_toward_the_limit():
    ans = answer(parse_query("试点"), [hit("试点𠀀" * 1500)], cited=dt.date(2026, 1, 1))
    text = check_telegram_html(render_answer(ans))
    assert utf16_len(text) <= MAX_TEXT


def test_long_passage_is_expandable_short_one_is_not():
    ans = answer(parse_query("试点"), [hit("试点工作。" * 80, 0), hit("试点工作。", 1)], cited=dt.date(2026, 1, 1))
    html = render_answer(ans)
    assert html.count("<blockquote expandable>") == 1 and html.count("<blockquote>") == 1


def test_passage_and_references():
    ans = answer(parse_query("试点"), [hit("开展试点工作。")], cited=dt.date(2026, 1, 1))
    check_telegram_html(render_passage(ans.passages[0]))
    refs = check_telegram_html(render_references(ans.passages * 2))
    assert refs.count("[N]. 某某日报, 2023-05-01.") == 1  # one reference per document


def test_weak_and_empty_answers():
    weak = answer(parse_query("试点"), [hit("开展试点工作。", coverage=0.3)], cited=dt.date(2026, 1, 1))
    assert "未找到直接答案" in check_telegram_html(render_answer(weak))
    none = answer(parse_query("天气"), [], cited=dt.date(2026, 1, 1), suggestions=["医改 & 医保"])
    text = check_telegram_html(render_answer(none))
    assert "没有找到" in text and "医改 & 医保" in text


def test_callback_data_round_trips_and_fits_64_bytes():
    data = encode("m", "a1b2c3", list(range(99990, 100010)))
    assert len(data.encode()) <= 64
    decoded = decode(data)
    assert decoded.kind == "m" and decoded.generation == "a1b2c3"
    assert decoded.ids == list(range(99990, 99990 + len(decoded.ids))) and len(decoded.ids) >= 8
    for bad in ["", "m|x", "q|a|1", "m|a|zz!", None, "m||1"]:
        with pytest.raises(BadCallback):
            decode(bad)


def test_highlight_is_on_display_text():
    spans = highlight("開展試點工作", ["试点"])
    assert [(s.start, s.end) for s in spans] == [(2, 4)]


def test_trimmed_traditional_passage_keeps_its_best_sentence_and_highlights():
    filler = "要扎實推進各項工作,及時總結經驗。" * 60
    text = filler + "要加強醫防結合,提升救治能力。" + filler
    passage = answer(parse_query("医防结合"), [hit(text)], cited=dt.date(2026, 1, 1)).passages[0]
    passage = passage.model_copy(update={"highlights": highlight(text, ["医防结合"])})
    from bot.render import Message, add_passage

    msg = Message()
    msg.add_text("x" * 3000)  # little room left: the passage must be trimmed
    assert add_passage(msg, passage, 1)
    html = msg.html()
    assert "<b>醫防結合</b>" in html  # trimmed around the matching sentence, still marked


def _listing(heads: list[str], passages: list[str | None], paragraphs: list[int], intro: str | None = "我讲三点意见。"):
    from retrieval.core.models import Listing, ListItem

    items = [
        ListItem(text=h, passage=p, chunk_id=n, paragraph=n, citation=f"第{n}段")
        for h, p, n in zip(heads, passages, paragraphs, strict=True)
    ]
    return Listing(intro=intro, items=items, doc=DOC, citation="《x》 · 第2–9段", reference="x[EB/OL].")


def test_a_list_shows_every_head_then_every_item_a_tap_away():
    ans = answer(parse_query("试点有哪些"), [hit("试点工作。")], cited=dt.date(2026, 1, 1))
    heads = ["一是抓好试点,", "二是总结经验。", "三是推广<好>做法,"]
    passages = ["一是抓好试点,扩大范围。", None, "三是推广<好>做法,形成制度。"]
    ans.listing = _listing(heads, passages, [2, 5, 9])
    html = render_answer(ans)
    text = check_telegram_html(html)
    assert text.startswith("共3项,出自《x》 · 第2–9段:")
    assert "1. 一是抓好试点(第2段)\n2. 二是总结经验。(第5段)\n3. 三是推广<好>做法(第9段)" in text
    assert "<blockquote expandable>1. 一是抓好试点,扩大范围。\n2. 二是总结经验。\n3. 三是推广&lt;好&gt;做法" in html
    assert "答:" not in text  # the list is the answer; the passage it came from is among its items or under it
    assert "<blockquote>我讲三点意见。</blockquote>" in html


def test_items_of_one_paragraph_are_not_cited_one_by_one():
    ans = answer(parse_query("试点有哪些"), [hit("试点工作。")], cited=dt.date(2026, 1, 1))
    ans.listing = _listing(["一是试点,", "二是推广。"], ["一是试点,扩大。", None], [4, 4])
    text = check_telegram_html(render_answer(ans))
    assert "1. 一是试点\n2. 二是推广。\n" in text and "(第4段)" not in text


def test_a_long_list_fits_and_counts_what_it_leaves_out():
    ans = answer(parse_query("试点有哪些"), [hit("试点工作。")], cited=dt.date(2026, 1, 1))
    n = 200
    heads = [f"第{i}项要求是扎实推进试点工作并及时总结推广经验。" for i in range(n)]
    ans.listing = _listing(heads, [h * 5 for h in heads], list(range(1, n + 1)))
    text = check_telegram_html(render_answer(ans))
    assert utf16_len(text) <= MAX_TEXT and "……另有" in text


def test_a_list_posted_from_inline_mode_carries_its_reference():
    from bot.render import render_listing

    text = check_telegram_html(render_listing(_listing(["一是试点。", "二是推广。"], [None, None], [2, 3])))
    assert text.endswith("参考文献:x[EB/OL].") and "1. 一是试点。(第2段)" in text
