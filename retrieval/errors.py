"""Errors of the retrieval library. Each docstring is the meaning a user is shown; the edge words the message."""


class QabotError(Exception):
    """Something went wrong in qabot."""


class EmptyQuery(QabotError):
    """The question is empty."""


class QueryTooLong(QabotError):
    """The question is too long (at most 1,000 characters)."""


class CorpusNotFound(QabotError):
    """The corpus folder does not exist."""


class EmptyCorpus(QabotError):
    """The corpus holds no readable document."""


class IndexCorrupt(QabotError):
    """The saved index is damaged or from an older version and has to be rebuilt."""


class UnreadableFile(QabotError):
    """The file cannot be read as a text document."""
