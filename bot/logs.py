"""Logging for every front end, set up in one place."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(level: int = logging.INFO) -> None:
    """Log lines with time, level and logger; the httpx logger at WARNING, because its INFO lines carry the
    request URL, and a Bot API URL holds the bot token."""
    logging.basicConfig(format=FORMAT, level=level, force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
