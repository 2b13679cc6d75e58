"""Caption and title drawing: per-character font fallback (Latin, CJK, emoji), wrapping, bars with contrast."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "assets" / "fonts"
LATIN_BOLD = "DejaVuSans-Bold.ttf"
LATIN = "DejaVuSans.ttf"
CJK = "NotoSansSC-Bold-subset.otf"
EMOJI = "NotoColorEmoji-subset.ttf"
_EMOJI_PX = 109  # the only size the colour-bitmap emoji font has
_SKIP = {"\ufe0f", "\ufe0e", "\u200d"}


def font_files() -> list[Path]:
    """The font files captions may draw with (for licence records)."""
    return [FONT_DIR / name for name in (LATIN_BOLD, LATIN, CJK, EMOJI)]


@lru_cache(maxsize=64)
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


def script_of(ch: str) -> str:
    """'emoji', 'cjk' or 'latin': which shipped font draws this character."""
    cp = ord(ch)
    if cp >= 0x1F000 or 0x2600 <= cp <= 0x27BF or cp in (0x2B50, 0x2B55):
        return "emoji"
    if (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF or 0xFF00 <= cp <= 0xFFEF
            or 0x3000 <= cp <= 0x303F):
        return "cjk"
    return "latin"


def _tokens(text: str) -> list[str]:
    """Wrap units: Latin words (with their trailing space) and single CJK characters / emoji."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch in _SKIP:
            continue
        if script_of(ch) != "latin":
            if word:
                out.append(word)
                word = ""
            out.append(ch)
        elif ch == " ":
            out.append(word + " ")
            word = ""
        else:
            word += ch
    if word:
        out.append(word)
    return [t for t in out if t]


@dataclass
class _Run:
    text: str
    script: str


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    for ch in text:
        if ch in _SKIP:
            continue
        s = script_of(ch)
        if runs and runs[-1].script == s and s != "emoji":
            runs[-1].text += ch
        else:
            runs.append(_Run(ch, s))
    return runs


def text_width(text: str, size: int, bold: bool = True) -> float:
    """Rendered width in pixels of one line."""
    total = 0.0
    for run in _runs(text):
        if run.script == "emoji":
            total += size * 1.15
        elif run.script == "cjk":
            total += _font(CJK, size).getlength(run.text)
        else:
            total += _font(LATIN_BOLD if bold else LATIN, size).getlength(run.text)
    return total


# a number stays on the line of the short unit or word after it ("2 m", "30 h", "5 mm"), never "2" / "m"
_NUMBER_AND_UNIT = re.compile(r"(\d[\d.,]*) ([A-Za-z%°]{1,3}\b|%)")
_GLUE = "\u00a0"


def wrap(text: str, size: int, max_width: float, bold: bool = True) -> list[str]:
    """Greedy line filling by measured width; CJK may break between any two characters; a number keeps its
    unit."""
    lines: list[str] = []
    line = ""
    glued = _NUMBER_AND_UNIT.sub(lambda m: m.group(1) + _GLUE + m.group(2), " ".join(text.split()))
    for tok in _tokens(glued):
        trial = line + tok
        if line and text_width(trial.rstrip(), size, bold) > max_width:
            lines.append(line.rstrip())
            line = tok.lstrip()
        else:
            line = trial
    if line.strip():
        lines.append(line.rstrip())
    return [ln.replace(_GLUE, " ") for ln in lines]


def fit_lines(text: str, size: int, max_width: float, max_lines: int = 3, bold: bool = True) -> tuple[list[str], int]:
    """Wrap, shrinking the font until the text fits in max_lines."""
    while True:
        lines = wrap(text, size, max_width, bold)
        if len(lines) <= max_lines or size <= 10:
            return lines, size
        size = int(size * 0.9)


def draw_line(draw_img: Image.Image, xy: tuple[float, float], line: str, size: int, fill: tuple,
              bold: bool = True) -> None:
    """Draw one line at (left, middle-y), switching fonts per run."""
    x, cy = xy
    draw = ImageDraw.Draw(draw_img)
    for run in _runs(line):
        if run.script == "emoji":
            glyph = Image.new("RGBA", (_EMOJI_PX + 40, _EMOJI_PX + 40), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((4, 4), run.text, font=_font(EMOJI, _EMOJI_PX), embedded_color=True)
            box = glyph.getbbox()
            if box:
                glyph = glyph.crop(box)
                px = int(size * 1.05)
                glyph = glyph.resize((px, max(1, int(px * glyph.height / max(1, glyph.width)))), Image.LANCZOS)
                draw_img.alpha_composite(glyph, (int(x + size * 0.05), int(cy - glyph.height / 2)))
            x += size * 1.15
            continue
        font = _font(CJK, size) if run.script == "cjk" else _font(LATIN_BOLD if bold else LATIN, size)
        draw.text((x, cy), run.text, font=font, fill=fill, anchor="lm")
        x += font.getlength(run.text)


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG) of an sRGB colour."""
    def lin(c: float) -> float:
        c /= 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = rgb
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio between two colours."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(bg: tuple[int, int, int]) -> tuple[int, int, int]:
    """White or near-black, whichever reads better on bg."""
    return (255, 255, 255) if contrast((255, 255, 255), bg) >= contrast((20, 20, 20), bg) else (20, 20, 20)


def darken(rgb: tuple[int, int, int], target_lum: float = 0.06) -> tuple[int, int, int]:
    """Scale a colour down until its luminance is at most target_lum (keeps the hue for caption bars)."""
    c = np.array(rgb, dtype=np.float64)
    for _ in range(40):
        if luminance(tuple(int(v) for v in c)) <= target_lum:
            break
        c *= 0.85
    return tuple(int(v) for v in c)  # type: ignore[return-value]


def caption_layer(text: str, width: int, size: int, bar: tuple[int, int, int], accent: tuple[int, int, int],
                  style: str = "bar", max_lines: int = 3, behind: tuple[int, int, int] | None = None) -> np.ndarray:
    """An RGBA caption block `width` wide: wrapped text on a rounded bar (style 'bar'), a soft band ('band')
    or a bold title ('title': white with a shadow, or dark when `behind`, the colour under it, is light)."""
    pad = int(size * 0.6)
    lines, size = fit_lines(text, size, width - 2 * pad - size, max_lines)
    line_h = int(size * 1.32)
    height = line_h * len(lines) + 2 * pad
    img = Image.new("RGBA", (width, max(height, 1)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    widths = [text_width(ln, size) for ln in lines]
    if style == "bar":
        bw = int(max(widths, default=0) + 2 * pad + size * 0.4)
        x0 = (width - bw) // 2
        draw.rounded_rectangle((x0, 0, x0 + bw, height - 1), radius=int(size * 0.45), fill=(*bar, 230))
        draw.rounded_rectangle((x0, 0, x0 + max(4, size // 5), height - 1), radius=2, fill=(*accent, 255))
        fg = readable_on(bar)
    elif style == "band":
        for y in range(height):
            a = int(200 * min(1.0, 1.6 * min(y, height - y) / max(1, height / 2)))
            draw.line((0, y, width, y), fill=(*bar, a))
        fg = readable_on(bar)
    else:
        fg = readable_on(behind) if behind is not None else (255, 255, 255)
    for i, (ln, lw) in enumerate(zip(lines, widths, strict=True)):
        cy = pad + line_h * i + line_h / 2
        x = (width - lw) / 2
        if style == "title" and fg == (255, 255, 255):
            draw_line(img, (x + max(2, size // 14), cy + max(2, size // 14)), ln, size, (0, 0, 0, 170))
        draw_line(img, (x, cy), ln, size, (*fg, 255))
    return np.asarray(img, dtype=np.uint8).copy()


def button_layer(text: str, size: int, fill: tuple[int, int, int], max_width: int,
                 ink: tuple[int, int, int] = (20, 20, 20)) -> np.ndarray:
    """A pill-shaped call-to-action button as RGBA (label in white or `ink`, whichever reads better)."""
    lines, size = fit_lines(text, size, max_width - 2 * size, max_lines=1)
    line = lines[0] if lines else text
    tw = text_width(line, size)
    w, h = int(tw + 2.2 * size), int(size * 2.1)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ImageDraw.Draw(img).rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=(*fill, 255))
    label = (255, 255, 255) if contrast((255, 255, 255), fill) >= contrast(ink, fill) else ink
    draw_line(img, ((w - tw) / 2, h / 2), line, size, (*label, 255))
    return np.asarray(img, dtype=np.uint8).copy()
