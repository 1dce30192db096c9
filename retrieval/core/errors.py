"""Errors of the retrieval library. Each docstring is the meaning a user is shown; the edge words the message."""


def user_message(exc: Exception) -> str:
    """An error's user-facing meaning (its class docstring), with the detail it carries."""
    meaning = (type(exc).__doc__ or QabotError.__doc__ or "").strip()
    detail = str(exc)
    return f"{meaning}({detail})" if detail else meaning


class QabotError(Exception):
    """出错了。"""


class InvalidQuery(QabotError):
    """这个问题无法查询。"""


class EmptyQuery(InvalidQuery):
    """问题是空的:请输入要查询的内容。"""


class QueryTooLong(InvalidQuery):
    """问题太长了:请控制在 1000 字以内。"""


class CorpusNotFound(QabotError):
    """找不到语料文件夹。"""


class EmptyCorpus(QabotError):
    """语料文件夹里没有可读的文档。"""


class CorpusMismatch(QabotError):
    """索引建自另一个语料文件夹,未作改动。The index holds another folder's documents; it is left as it is."""

    def __init__(self, index: str, held: str, given: str):
        super().__init__(f"{index} 建自 {held},不是 {given} / was built from {held}, not {given}")
        self.index, self.held, self.given = index, held, given


class CorpusUnknown(QabotError):
    """索引没有记下它建自哪个语料文件夹,请指明(--corpus 或 QABOT_CORPUS)。The index does not say which folder it
    was built from: name it (--corpus or QABOT_CORPUS)."""


class IndexCorrupt(QabotError):
    """索引文件已损坏或版本过旧,需要重建。"""


class UnreadableFile(QabotError):
    """文件无法作为文本文档读取。"""


class RefreshFailed(QabotError):
    """索引未能更新。"""


class DiskFull(RefreshFailed):
    """磁盘空间不足,索引未能更新。"""


class IndexNotWritable(RefreshFailed):
    """索引所在的文件夹不可写(只读或没有权限),索引未能更新。"""


class BuildInProgress(RefreshFailed):
    """另一个索引构建正在进行,这次没有更新。"""


class UploadRejected(QabotError):
    """这个文件不能加入语料库。"""


class NameTaken(QabotError):
    """语料库里已有同名文件,内容不同。"""
