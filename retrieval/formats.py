"""Readers for binary document formats (Word, PDF). Each returns (text, metadata)."""
from __future__ import annotations

from typing import Callable

BINARY_FORMATS: dict[str, Callable[[bytes], tuple[str, dict]]] = {}
