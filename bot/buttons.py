"""Inline keyboard buttons whose callback_data carries everything needed (no server-side state).

Format: "<kind>|<index generation>|<chunk ids in base 36, dot-separated>", at most 64 bytes. The
generation ties the ids to one build of the index: after a reload, old buttons are reported as expired.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 64
KINDS = {"m": "more", "c": "cite", "r": "inline-cite"}
PATTERN = r"^[mcr]\|"  # what the answer buttons' handler takes; other modules' buttons have their own prefixes
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


class BadCallback(ValueError):
    """The button's data is not one this bot made."""


@dataclass(frozen=True)
class Callback:
    kind: str
    generation: str
    ids: list[int]


def b36(n: int) -> str:
    if n < 0:
        raise ValueError(n)
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _DIGITS[r] + out
        if n == 0:
            return out


def encode(kind: str, generation: str, ids: list[int]) -> str:
    """Callback data for a button; keeps as many ids as fit in 64 bytes."""
    if kind not in KINDS:
        raise ValueError(kind)
    head = f"{kind}|{generation}|"
    parts: list[str] = []
    for i in ids:
        candidate = ".".join(parts + [b36(i)])
        if len((head + candidate).encode()) > MAX_BYTES:
            break
        parts.append(b36(i))
    return head + ".".join(parts)


def decode(data: str | None) -> Callback:
    """Parse callback data; raises BadCallback when it is not ours or is damaged."""
    try:
        kind, generation, ids = (data or "").split("|")
        if kind not in KINDS or not generation or not ids:
            raise ValueError
        return Callback(kind, generation, [int(x, 36) for x in ids.split(".")])
    except ValueError as exc:
        raise BadCallback(data) from exc
