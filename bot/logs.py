"""Logging for every front end, set up in one place."""

from __future__ import annotations

import logging
import os

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JournalFormatter(logging.Formatter):
    """Under systemd (which sets JOURNAL_STREAM): no time, the journal stamps every line itself, and the line opens
    with its syslog priority, <3> for an error, which the journal reads (so `journalctl -u qabot -p warning`)."""

    PRIORITIES = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6, logging.DEBUG: 7}

    def __init__(self) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        priority = next((p for level, p in self.PRIORITIES.items() if record.levelno >= level), 7)
        return f"<{priority}>{super().format(record)}"


def configure_logging(level: int = logging.INFO) -> None:
    """Log lines with time, level and logger (for the journal, see JournalFormatter); the httpx logger at WARNING,
    because its INFO lines carry the request URL, and a Bot API URL holds the bot token."""
    logging.basicConfig(format=FORMAT, level=level, force=True)
    if "JOURNAL_STREAM" in os.environ:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JournalFormatter())
    logging.getLogger("httpx").setLevel(logging.WARNING)
