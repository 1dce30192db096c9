"""What the bot says that is not an answer: command descriptions, help, refusals and notices, in one place."""

from __future__ import annotations

import html

from retrieval import BuildReport, Facets, Index

from .status import SKIPPED_SHOWN, Status, when

COMMANDS = [
    ("ask", "提问:/ask 问题(群里也可回复一条消息发送 /ask)"),
    ("sources", "已收录的文档(/sources 2024 或 /sources 浙江 筛选)"),
    ("docs", "已收录的文档(分页,可按年份、地区或标题筛选;管理员可 /remove)"),
    ("cite", "上一个回答的参考文献(GB/T 7714)"),
    ("help", "使用说明"),
    ("start", "开始使用"),
    ("reload", "重新加载语料(管理员)"),
    ("stats", "提问与评价统计(管理员)"),
]
REFUSAL = "抱歉,这个机器人只对授权的工作群和用户开放。"
ADMINS_ONLY = "只有管理员可以这样做。"
EXPIRED = "这个回答已过期(语料已更新),请重新提问。"
FAILED = "抱歉,处理这条消息时出错了,请稍后再试。"
ASK_USAGE = "用法:/ask 问题,例如 /ask 岐黄工程是什么;也可以回复一条消息发送 /ask,查询那条消息的内容。"
NO_WORDS = "请用文字提问,例如:岐黄工程是什么。"
NOTHING_TO_CITE = "还没有可引用的回答:先提一个问题吧。"
UNKNOWN_BUTTON = "无法识别这个按钮。"
INLINE_HINT = "输入问题,例如:岐黄工程"
INLINE_NOTHING = "没有找到相关段落,点此查看用法"
META_USAGE = "请回复文档加入后的那条摘要消息,发送 <code>/meta 标题=… 日期=2024-01-05 来源=… 地区=… 年份=…</code>。"
META_NO_FIELDS = (
    "没有可识别的字段:可写 标题=、日期=、来源=、作者=、链接=、文号=、地区=、年份=、"
    "发文机关=、类型=、名称=、会议=、讲话人="
)
META_HINT = (
    "标题、日期、来源或分类不对?回复这条消息:<code>/meta 标题=… 日期=2024-01-05 来源=…</code>"
    "(还可写 地区=、年份=、发文机关=、类型=、名称=十九大、会议=、讲话人=;留空即清除)"
)


def help_text(me: str, examples: list[str]) -> str:
    """/start and /help: how to ask in each kind of chat, and example questions the corpus answers."""
    me = html.escape(me)
    lines = [
        "<b>政策文件问答</b>:提出问题,返回文件原文段落和可直接引用的出处。",
        "",
        "• 私聊:直接发送问题。",
        f"• 群里:<code>/ask 问题</code>,或回复一条消息发送 /ask,或 @{me} 加问题。",
        f"• 任意聊天:输入 <code>@{me} 问题</code>,选择一个段落发送。",
        "• /sources 已收录的文档;/cite 上一个回答的参考文献。",
    ]
    if examples:
        lines += ["", "可以这样问:"] + [f"• <code>{html.escape(q)}</code>" for q in examples]
    return "\n".join(lines)


def reload_text(index: Index, report: BuildReport) -> str:
    """The reply to /reload: what changed, or why nothing did."""
    if report.failed:
        kept = f"仍在使用上一版索引({len(index.documents)} 份文档),下次重新加载时会再试。"
        return f"重新加载失败:{html.escape(report.failed)}。{kept}"
    if report.unchanged:
        return f"语料没有变化:{len(index.documents)} 份文档,{index.n_chunks} 个段落。"
    return (
        f"已重新加载:{report.documents} 份文档,{report.chunks} 个段落;新增 {len(report.added)},"
        f"修改 {len(report.changed)},删除 {len(report.removed)},跳过 {len(report.skipped)}。"
    )


def start_failed_text(failed: str) -> str:
    return f"启动时索引未能更新:{failed}。仍在使用上一版索引,发送 /reload 可再试。"


def facets_text(facets: Facets, source: str | None = None) -> str:
    """A document's facets on one line, plain text: 2025年 · 四川省 · 政府工作报告 · 四川省人民政府 (an issuer that
    is also the listed source is not repeated); then the official names it goes by, its meeting, who speaks:
    2017年 · 全国 · 报告 · 党的十九大 · 讲话人:习近平. A meeting held in one year for the next says both."""
    year = f"{facets.year}年" if facets.year else None
    if facets.held and facets.year and facets.held != facets.year:
        year = f"{facets.held}年举行,部署{facets.year}年"
    issuer = facets.issuer if facets.issuer != source else None
    speakers = f"讲话人:{'、'.join(facets.speakers[:3])}" if facets.speakers else None
    parts = (year, facets.region, facets.kind, issuer, "、".join(facets.names[:3]) or None, facets.meeting, speakers)
    return " · ".join(x for x in parts if x)


def docs_heading(total: int, shown: int, label: str | None, page: int, pages: int) -> str:
    """The first line of /docs: how many documents, which of them (a filter's label), which page."""
    where = f",第 {page + 1}/{pages} 页" if pages > 1 else ""
    if label is None:
        return f"<b>已收录 {total} 份文档</b>(按日期排列{where}):"
    return f"<b>{html.escape(label)}:{shown} 份文档</b>(共收录 {total} 份,按日期排列{where}):"


def docs_nothing(label: str, years: list[int], regions: list[str]) -> str:
    """/docs with a filter nothing matches: say so, and what the corpus has to filter by."""
    lines = [f"没有{html.escape(label)}的文档。"]
    if years:
        lines.append("语料库中的年份:" + "、".join(str(y) for y in years) + "。")
    if regions:
        lines.append("语料库中的地区:" + html.escape("、".join(regions)) + "。")
    lines.append(
        "用法:<code>/docs 2024</code>、<code>/docs 浙江</code>、<code>/docs 十九大</code>、<code>/docs 十四五</code> "
        "或 <code>/docs 标题中的词</code>。"
    )
    return "\n".join(lines)


def meta_bad_year(value: str) -> str:
    return f"年份应写成四位数字,如 年份=2023,而不是 {html.escape(value)}。没有改动。"


def meta_bad_name(value: str) -> str:
    return (
        f"不认识名称“{html.escape(value)}”:请写会议或规划的名称,如 名称=十九大、名称=十三届全国人大二次会议、"
        "名称=十九届五中全会 或 名称=十四五。没有改动。"
    )


def meta_bad_region(value: str) -> str:
    return f"不认识地区“{html.escape(value)}”:请写省、市或区县的名称,如 地区=山西、地区=太原市 或 地区=全国。没有改动。"


OCR_MISSING = "这个机器人没有安装文字识别组件,暂时不能识别图片。"
PHOTO_TOO_LARGE = "图片太大(超过 10 MB),请截取包含这段文字的部分再发。"
PHOTO_UNREADABLE = "无法识别这张图片:"


def scan_reading(pages: int, minutes: int, at_most: int) -> str:
    more = f"只识别前 {at_most} 页," if pages > at_most else ""
    return f"这是扫描件,共 {pages} 页,{more}正在后台文字识别,约需 {minutes} 分钟;识别完成后发送摘要。期间照常回答问题。"


def scan_progress(read: int, to_read: int) -> str:
    if read >= to_read:
        return f"扫描件文字识别完成:{to_read} 页。正在编入索引,稍后发送摘要。"
    return f"这是扫描件,正在后台文字识别:已识别 {read}/{to_read} 页。识别完成后发送摘要。期间照常回答问题。"


def status_html(s: Status) -> str:
    """The top of /stats: what `qabot status` tells, for admins in the chat."""
    folder = html.escape(str(s.folder)) if s.folder else "未记录"
    lines = [
        f"<b>索引</b>:{html.escape(str(s.index))},语料文件夹 {folder}",
        f"版本 {s.generation},更新于 {when(s.refreshed)};{s.documents} 份文档,{s.chunks} 个段落,{s.characters:,} 字",
    ]
    if s.skipped:
        lines.append(f"跳过 {len(s.skipped)} 个文件:")
        names = sorted(s.skipped)
        lines += [f"• {html.escape(n)}:{html.escape(s.skipped[n][:100])}" for n in names[:SKIPPED_SHOWN]]
        if len(names) > SKIPPED_SHOWN:
            lines.append(f"• 另有 {len(names) - SKIPPED_SHOWN} 个")
    else:
        lines.append("没有跳过的文件。")
    lines.append(f"文字识别缓存:{s.ocr_pages} 页")
    if s.questions is not None:
        lines.append(f"问答记录:共 {s.questions} 次提问,{s.rated} 次评价(👍 {s.up})")
    return "\n".join(lines)
