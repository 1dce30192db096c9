"""A small collection like a department's archive, made in the tests: Word, PDF, wrapped text, years.

Every file here is generated, so the expectations below were written against text we control.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

SHARED = "要持续推进紧密型县域医共体建设,{goal},推动优质医疗资源下沉。"

YEARLY = {
    2021: (
        "2021年全市卫生健康工作会议讲话",
        "今年县域医共体覆盖一半以上的县",
        "要开展智慧医院评审,首批评出三家智慧医院。\n要在三级医院推广日间手术。",
    ),
    2022: (
        "2022年全市卫生健康工作会议讲话",
        "今年实现县域医共体全覆盖",
        "要加强院前急救体系建设,全市急救站点达到四十个。",
    ),
    2023: ("2023年全市卫生健康工作会议讲话", "今年县域医共体考核全面达标", "要建设一批胸痛中心,提升急危重症救治能力。"),
}

WRAPPED = (
    "标题:老中医学术经验整理工作会议纪要\n"
    "2023年3月2日\n"
    "\n"
    "\u3000\u3000会议回顾了本市中医药事业\n"
    "自１９５５年建院以来的发展历\n"
    "程,要求各单位系统整理老中医\n"
    "学术经验。\n"
    "\u3000\u3000会议指出,中医药服务\n"
    "对全市ＧＤＰ的贡献占比逐年提高,\n"
    "要做好統計監測工作,按季度報送數據。\n"
    "一是建立名老中医工作室。\n"
    "二是开展\u200b师承教育。\n"
)

QUESTIONS = [
    ("家庭医生签约覆盖率目标", "覆盖率达到75%"),
    ("医疗服务工作回顾", "医疗服务"),  # a question about a section: any passage under its heading answers it
    ("胸痛中心建设", "要建设一批胸痛中心"),
    ("卒中中心", "卒中中心和创伤中心实现县域全覆盖"),
    ("1955年建院", "自１９５５年建院以来"),
    ("GDP贡献", "ＧＤＰ的贡献占比逐年提高"),
    ("统计监测数据报送", "按季度報送數據"),
    ("师承教育", "开展师承教育"),
    ("2022年县域医共体建设", SHARED.format(goal=YEARLY[2022][1])),
    ("2023年县域医共体建设目标", SHARED.format(goal=YEARLY[2023][1])),
    ("去年县域医共体建设", SHARED.format(goal=YEARLY[2023][1])),
    ("2023年智慧医院评审", "首批评出三家智慧医院"),  # only in 2021's speech: another year's exact match still shows
    # 2021's results are in the 2022 report (过去一年…), not in 2021's speech, which only plans them
    ("2021年日间手术开展情况", "全市三级医院全部开展日间手术"),
]
TODAY = dt.date(2024, 5, 1)  # so that 去年 is 2023


def write_docx(path: Path) -> None:
    import docx

    d = docx.Document()
    d.core_properties.author = "市卫生健康委员会"
    d.core_properties.created = dt.datetime(2022, 2, 10, 9, 0)
    d.core_properties.title = "Microsoft Word - 文档1"
    d.add_heading("2022年全市卫生健康工作报告", level=0)
    d.add_heading("工作回顾", level=1)
    d.add_heading("医疗服务", level=2)
    d.add_paragraph("过去一年,全市三级医院全部开展日间手术,平均住院日下降0.5天。")
    d.add_paragraph("卒中中心和创伤中心实现县域全覆盖,急诊急救能力明显提升。")
    table = d.add_table(rows=3, cols=3)
    for row, cells in zip(
        table.rows,
        [
            ("项目", "目标", "责任单位"),
            ("家庭医生签约", "覆盖率达到75%", "基层卫生科"),
            ("慢病管理", "规范管理率达到65%", "疾控中心"),
        ],
        strict=False,
    ):
        for cell, text in zip(row.cells, cells, strict=False):
            cell.text = text
    d.add_heading("下一步工作", level=1)
    d.add_paragraph("要深化公立医院改革,推进检查检验结果互认。")
    d.save(path)


def write_pdf(
    path: Path, *, pages: list[list[str]], title: str | None = None, encrypt: bool = False, text_layer: bool = True
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt="secret" if encrypt else None)
    if title:
        c.setTitle(title)
        c.setAuthor("市卫生健康委员会")
    for number, lines in enumerate(pages, start=1):
        if text_layer:
            c.setFont("STSong-Light", 11)
            c.drawString(72, 800, "某市卫生健康委员会文件")  # running header
            y = 760
            for line in lines:
                c.drawString(72, y, line)
                y -= 18
            c.drawString(290, 40, f"- {number} -")  # page number
        else:
            c.rect(72, 400, 300, 300, fill=1)  # a scan: pictures, no text
        c.showPage()
    c.save()


def make_collection(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_docx(folder / "report_2022.docx")
    write_pdf(
        folder / "speech_2023.pdf",
        title="2023年全市医疗质量工作会议讲话",
        pages=[
            ["2023年全市医疗质量工作会议讲话", "一、主要工作", "会议强调,要建设一批胸痛中心,", "提升急危重症救治能力,"],
            ["推动院前急救与院内救治无缝衔接。", "二、保障措施", "要加强医疗质量安全管理,落实", "十八项核心制度。"],
            ["要强化督导检查,确保各项措施落地见效。"],
        ],
    )
    write_pdf(folder / "locked.pdf", title="加密文件", pages=[["加密的内容。"]], encrypt=True)
    write_pdf(folder / "scan.pdf", pages=[[], []], text_layer=False)
    (folder / "wrapped.txt").write_text(WRAPPED, encoding="utf-8")
    for year, (title, goal, extra) in YEARLY.items():
        text = f"标题:{title}\n\n一、重点工作\n{SHARED.format(goal=goal)}\n{extra}\n"
        (folder / f"work_{year}.txt").write_text(text, encoding="utf-8")
    return folder
