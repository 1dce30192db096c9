"""Scanned pages made by the tests themselves: a seed's paragraphs drawn in a CJK font (Noto Sans CJK, from the
noto-cjk-sans-otc package), slightly rotated, blurred and speckled as a scanner or a phone camera leaves them,
saved as an image-only PDF (no text layer) or as a picture. Nothing here is committed as an image."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

A4_200DPI = (1654, 2339)
CHARS_PER_LINE = 40


def font(size: int):
    import noto_cjk_sans_otc
    from PIL import ImageFont

    return ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), size, index=2)  # index 2: Simplified Chinese


def page_image(paragraphs: list[str], *, size=A4_200DPI, rotate: float = 0.6, noise: float = 0.002, seed: int = 1):
    """A page of paragraphs, each first line indented, as a scanner returns it."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    face = font(30)
    y = MARGIN
    for text in paragraphs:
        for i in range(0, len(text), CHARS_PER_LINE):
            draw.text((MARGIN + (60 if i == 0 else 0), y), text[i : i + CHARS_PER_LINE], font=face, fill=0)
            y += LINE
        y += GAP
    image = image.rotate(rotate, fillcolor=255).filter(ImageFilter.GaussianBlur(0.5))
    pixels = np.asarray(image).copy()
    pixels[np.random.default_rng(seed).random(pixels.shape) < noise] = 0
    return Image.fromarray(pixels).convert("RGB")


LINE, GAP, MARGIN = 48, 24, 150  # pixels: a line's height, the space after a paragraph, the page's top and bottom


def paginate(paragraphs: list[str], height: int = A4_200DPI[1]) -> list[list[str]]:
    """Paragraphs set on as many pages as they need, none cut (a paragraph longer than a page gets its own)."""
    pages: list[list[str]] = [[]]
    room = height - 2 * MARGIN
    used = 0
    for text in paragraphs:
        need = LINE * -(-len(text) // CHARS_PER_LINE) + GAP
        if pages[-1] and used + need > room:
            pages.append([])
            used = 0
        pages[-1].append(text)
        used += need
    return [p for p in pages if p]


def printed(path: Path, corpus: Path) -> list[str]:
    """A corpus file as a printed copy shows it: every line of its text (a web page's furniture and table of
    contents too), with what no printer shows (pinyin after characters, stray tags, mojibake) left out."""
    from retrieval.indexing.clean import clean_line
    from retrieval.indexing.load import read_file

    lines = (clean_line(line).strip() for line in read_file(path, corpus).text.splitlines())
    return [line for line in lines if line]


def scanned_pdf(path: Path, pages: list[list[str]]) -> Path:
    """An image-only PDF, one page image per list of paragraphs."""
    images = [page_image(p, seed=i) for i, p in enumerate(pages)]
    images[0].save(path, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return path


def red_header_page(body: list[str]):
    """A stamped 红头文件 as scanned: the issuer's red mark, the number, the red rule, the title, the addressees,
    the text, the signature and date under a red seal, the 版记 (抄送, 印发) at the foot (GB/T 9704-2012)."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = A4_200DPI
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    red, black = (200, 20, 20), (0, 0, 0)
    draw.text((width // 2, 260), "山西省卫生健康委员会文件", font=font(96), fill=red, anchor="mm")
    draw.text((width // 2, 420), "晋卫发〔2024〕12号", font=font(34), fill=black, anchor="mm")
    draw.line((150, 470, width - 150, 470), fill=red, width=6)
    title = "山西省卫生健康委员会关于推进紧密型县域医共体建设的通知"
    draw.text((width // 2, 600), title, font=font(44), fill=black, anchor="mm")
    draw.text((150, 720), "各市卫生健康委:", font=font(34), fill=black)
    y = 790
    for text in body:
        for i in range(0, len(text), 40):
            draw.text((150 + (68 if i == 0 else 0), y), text[i : i + 40], font=font(34), fill=black)
            y += 52
        y += 20
    draw.text((width - 700, y + 120), "山西省卫生健康委员会", font=font(34), fill=black)
    draw.text((width - 660, y + 180), "2024年3月15日", font=font(34), fill=black)
    x, top = width - 520, y + 150  # the seal over the signature
    draw.ellipse((x - 170, top - 170, x + 170, top + 170), outline=red, width=8)
    draw.text((x, top), "★", font=font(80), fill=red, anchor="mm")
    draw.text((x, top - 100), "山西省卫生健康委员会", font=font(30), fill=red, anchor="mm")
    draw.text((150, height - 300), "抄送:国家卫生健康委。", font=font(30), fill=black)
    draw.line((150, height - 250, width - 150, height - 250), fill=black, width=2)
    draw.text((150, height - 230), "山西省卫生健康委员会办公室          2024年3月15日印发", font=font(30), fill=black)
    return image.rotate(0.4, fillcolor="white").filter(ImageFilter.GaussianBlur(0.5))


def phone_photo(paragraphs: list[str], *, tilt: float = 0.08, angle: float = 4, quality: int = 70) -> bytes:
    """A phone's photo of a printed page as Telegram forwards it: the page in perspective and turned on a dark
    desk, lit unevenly, grainy, slightly out of focus, scaled to 1280 pixels and JPEG-compressed."""
    from PIL import Image, ImageFilter

    image = page_image(paragraphs, rotate=0, noise=0)
    w, h = image.size
    inset = tilt * w  # the top edge nearer the camera's horizon: narrower
    rows = []
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    for (x, y), (u, v) in zip([(inset, 0), (w - inset, 0), (w, h), (0, h)], corners, strict=True):
        rows += [([x, y, 1, 0, 0, 0, -u * x, -u * y], u), ([0, 0, 0, x, y, 1, -v * x, -v * y], v)]
    coefficients = np.linalg.solve(np.array([r for r, _ in rows], float), np.array([t for _, t in rows], float))
    desk = (90, 80, 70)
    image = image.transform((w, h), Image.PERSPECTIVE, tuple(coefficients), Image.BICUBIC, fillcolor=desk)
    pixels = np.asarray(image.rotate(angle, fillcolor=desk, expand=True)).astype(float)
    across, down = np.linspace(1.0, 0.5, pixels.shape[1]), np.linspace(1.0, 0.8, pixels.shape[0])
    light = across[None, :, None] * down[:, None, None]
    grain = np.random.default_rng(0).normal(0, 6, pixels.shape)
    image = Image.fromarray((pixels * light + grain).clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(1))
    image.thumbnail((1280, 1280))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def long_scan(path: Path, sentences: list[str], pages: int) -> Path:
    """An image-only PDF of `pages` small pages, each a sentence of `sentences` in turn (the same line atop every
    page would be a running header): a hostile length, quick to make."""
    from PIL import Image, ImageDraw

    face, images = font(16), []
    for number in range(pages):
        image = Image.new("RGB", (700, 60), "white")
        ImageDraw.Draw(image).text((10, 20), sentences[number % len(sentences)][:42], font=face, fill="black")
        images.append(image)
    images[0].save(path, "PDF", resolution=72, save_all=True, append_images=images[1:])
    return path


def screenshot(paragraphs: list[str], *, width: int = 1080, quality: int = 70, article: str | None = None) -> bytes:
    """A phone screenshot of a passage as Telegram sends a photo: narrow, large type, JPEG-compressed. With
    `article` (its title), a WeChat article's: the status bar, the title, the account line, 阅读 / 在看 below."""
    from PIL import Image, ImageDraw

    face, small = font(42), font(34)
    per_line = (width - 80) // 44
    lines = [t[i : i + per_line] for t in paragraphs for i in range(0, len(t), per_line)]
    top = 120 + (420 if article else 0)
    image = Image.new("RGB", (width, top + 40 + 64 * (len(lines) + len(paragraphs)) + (200 if article else 0)), "white")
    draw = ImageDraw.Draw(image)
    if article:
        draw.text((40, 20), "9:41", font=small, fill=(0, 0, 0))
        draw.text((width - 200, 20), "5G 87%", font=small, fill=(0, 0, 0))
        draw.text((40, 110), "×", font=face, fill=(0, 0, 0))
        draw.text((width - 100, 110), "···", font=face, fill=(0, 0, 0))
        draw.text((40, 220), article[:per_line], font=font(50), fill=(20, 20, 20))
        draw.text((40, 330), "原创 健康报 2024-01-24 09:30 北京", font=small, fill=(87, 107, 149))
    y = top
    for text in paragraphs:
        for i in range(0, len(text), per_line):
            draw.text((40, y), text[i : i + per_line], font=face, fill=(30, 30, 30))
            y += 64
        y += 64
    if article:
        draw.text((40, y + 40), "阅读 1.2万    赞 56    分享    推荐", font=small, fill=(120, 120, 120))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
