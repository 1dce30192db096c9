"""Logging for every front end, set up in one place."""

from __future__ import annotations

import logging
import os

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"  # the journal stamps every line itself


def configure_logging(level: int = logging.INFO) -> None:
    """Log lines with time, level and logger (without the time under systemd, which sets JOURNAL_STREAM); the
    httpx logger at WARNING, because its INFO lines carry the request URL, and a Bot API URL holds the bot token."""
    logging.basicConfig(format=JOURNAL_FORMAT if "JOURNAL_STREAM" in os.environ else FORMAT, level=level, force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
