"""Follow-ups read deterministically as the previous question with one part replaced."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.answering.followup import follow_up

TODAY = dt.date(2026, 12, 1)
PREVIOUS = "广西今年GDP目标是多少?"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("四川呢?", "四川今年GDP目标是多少?"),
        ("那2023年呢?", "广西2023年GDP目标是多少?"),
        ("去年的呢", "广西去年GDP目标是多少?"),
        ("四川2023年呢", "四川2023年GDP目标是多少?"),
        ("就业目标呢?", "广西今年就业目标是多少?"),
        ("那就业目标呢", "广西今年就业目标是多少?"),
        ("实际完成了多少?", "广西今年GDP目标实际完成了多少?"),
    ],
)
def test_a_message_changing_one_part_is_the_previous_question_changed(message, expected):
    assert follow_up(PREVIOUS, message, TODAY) == expected


@pytest.mark.parametrize(
    "message",
    [
        "岐黄工程是什么",
        "江苏省明确的城镇新增就业目标是多少",
        "谢谢",
        "好的",
        "医防结合",
        "四川省今年财政收入预期增长多少",
    ],
)
def test_a_message_that_stands_on_its_own_is_a_new_question(message):
    assert follow_up(PREVIOUS, message, TODAY) is None


def test_a_year_replaces_an_explicit_year():
    assert follow_up("1986年粮食产量是多少", "1987年呢?", TODAY) == "1987年粮食产量是多少"
