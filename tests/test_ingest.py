"""Reading user documents: encodings, formats, sidecars, and files that must be skipped."""

from __future__ import annotations

import pytest

from retrieval.core.errors import UnreadableFile
from retrieval.indexing import load
from retrieval.indexing.build import open_index
from retrieval.indexing.ingest import ingest
from retrieval.indexing.load import decode, read_file

BODY = "一、总体要求\n会议强调,要加快推进分级诊疗制度建设,推动优质医疗资源扩容下沉。\n要深化医保支付方式改革。\n"


def test_gb18030_and_utf8_bom_are_detected(tmp_path):
    (tmp_path / "gbk.txt").write_bytes(("标题:分级诊疗工作会议\n" + BODY).encode("gb18030"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ("标题:医保工作会议\n" + BODY).encode("utf-8"))
    for name, title in (("gbk.txt", "分级诊疗工作会议"), ("bom.txt", "医保工作会议")):
        doc = ingest(tmp_path / name, tmp_path)
        assert doc.document.title == title
        assert any("分级诊疗制度建设" in c.text for c in doc.chunks)


def test_undecodable_bytes_are_reported():
    with pytest.raises(UnreadableFile, match="既不是 UTF-8 也不是 GB18030"):
        decode(b"\xff\xfe\xfa\xfb\x80\x81" * 10)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "空文件"),
        ("blank.txt", b"  \n\n ", "空文件"),
        ("binary.txt", b"\x00\x01\x02PK\x03\x04" * 100, "二进制文件"),
        ("furniture.txt", "版权所有 某某网站\nICP备案号:京ICP备12345号\n".encode(), "没有正文"),
    ],
)
def test_bad_files_are_skipped_with_a_reason_and_the_rest_indexed(corpus, tmp_path, name, data, reason):
    (corpus / name).write_bytes(data)
    index, report = open_index(corpus, tmp_path / "idx.sqlite")
    assert reason in report.skipped[name]
    assert report.documents == 5 and name not in index.documents


def test_oversized_file_is_skipped(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_BYTES", 20_000)
    (corpus / "big.txt").write_text("会议强调。" * 2000, encoding="utf-8")
    _, report = open_index(corpus, tmp_path / "idx.sqlite")
    assert "文件太大" in report.skipped["big.txt"]


def test_html_page_is_read_with_a_parser(tmp_path):
    html = """<html><head><title>医改工作会议召开</title><script>var x = "会议强调";</script></head>
    <body><nav>首页 | 新闻</nav><h1>医改工作会议召开</h1>
    <p>会议强调,要<strong>深化</strong>医保支付方式改革&amp;推进分级诊疗。</p><footer>版权所有</footer></body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    doc = ingest(tmp_path / "page.html", tmp_path)
    assert doc.document.title == "医改工作会议召开"
    assert [c.text for c in doc.chunks] == ["会议强调,要深化医保支付方式改革&推进分级诊疗。"]


def test_markdown_is_read_as_text(tmp_path):
    md = "# 基层卫生工作要点\n\n会议要求,要**加强**[村卫生室](http://x)建设。![图](a.png)\n"
    (tmp_path / "notes.md").write_text(md, encoding="utf-8")
    doc = ingest(tmp_path / "notes.md", tmp_path)
    assert doc.document.title == "基层卫生工作要点"
    assert doc.chunks[0].text == "会议要求,要加强村卫生室建设。"


def test_sidecar_completes_and_overrides_metadata(tmp_path):
    (tmp_path / "a.txt").write_text("标题:原标题\n" + BODY, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(
        '{"url": "https://example.org/a", "date": "2021-03-02", "title": "新标题", "unknown": 1}', encoding="utf-8"
    )
    doc = ingest(tmp_path / "a.txt", tmp_path).document
    assert (doc.title, doc.date, doc.url) == ("新标题", "2021-03-02", "https://example.org/a")


def test_seed_sidecar_gives_the_year_the_page_leaves_out(seeds):
    doc = ingest(next(seeds.glob("002*.txt")), seeds).document
    assert doc.date == "2020-12-24"


def test_read_file_names_the_document_by_its_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.txt").write_text(BODY, encoding="utf-8")
    assert read_file(tmp_path / "sub" / "x.txt", tmp_path).id == "sub/x.txt"
