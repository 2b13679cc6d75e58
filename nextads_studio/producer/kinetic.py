"""Kinetic typography: a text block fitted into a layout box (wrapped, then shrunk, never cut), its words revealed
one after another with the narration, the key word in the brand accent colour, and a plate behind it only when the
backdrop would not give WCAG 4.5:1 contrast."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from . import layers as L
from .layouts import Box
from .text import _tokens, contrast, draw_line, luminance, text_width, wrap

MIN_CONTRAST = 4.5
BUTTON_CONTRAST = 5.0  # the CTA label's design contrast: 4.5:1 plus a margin for resizing and encoding
WHITE, INK = (255, 255, 255), (17, 17, 20)
_STOP = {"the", "and", "for", "with", "your", "you", "that", "this", "from", "into", "every", "more", "than",
         "what", "when", "just", "our", "all", "its", "are", "was", "get", "one"}


def fit_box(text: str, size: int, max_w: float, max_h: float, line_gap: float = 1.22) -> tuple[list[str], int]:
    """Wrap `text` to max_w and shrink it until every line fits the width and all lines fit the height; the
    lines are then balanced (no lone last word)."""
    while True:
        lines = wrap(text, size, max_w)
        widest = max((text_width(ln, size) for ln in lines), default=0.0)
        if (widest <= max_w and len(lines) * size * line_gap <= max_h) or size <= 9:
            return balance(text, lines, size), size
        size = max(9, int(size * 0.92))


def balance(text: str, lines: list[str], size: int) -> list[str]:
    """The same number of lines at the narrowest width that still holds them (what CSS calls text-wrap:
    balance): "Write like you mean / it." becomes "Write like / you mean it."."""
    if len(lines) < 2:
        return lines
    hi = max(text_width(ln, size) for ln in lines)
    lo = hi / len(lines)
    best = lines
    for _ in range(12):
        mid = (lo + hi) / 2
        trial = wrap(text, size, mid)
        if len(trial) <= len(lines) and max(text_width(ln, size) for ln in trial) <= mid + 0.5:
            best, hi = trial, mid
        else:
            lo = mid
        if hi - lo < 1.0:
            break
    return best


def key_word(text: str, prefer: tuple[str, ...] = ()) -> str:
    """The word to colour: a number, else a brand or product word, else the longest content word."""
    tokens = [t.strip() for t in text.split()]
    for t in tokens:
        if re.search(r"\d", t):
            return t.strip(".,!?:;")
    low = {p.lower() for p in prefer if p}
    for t in tokens:
        if t.strip(".,!?:;").lower() in low:
            return t.strip(".,!?:;")
    words = [t.strip(".,!?:;\"'") for t in tokens]
    words = [w for w in words if w.isalpha() and len(w) >= 4 and w.lower() not in _STOP]
    return max(words, key=len) if words else ""


def readable_accent(accent: tuple[int, int, int], bg_lum: np.ndarray, fg: tuple[int, int, int]) -> tuple[int, int, int]:
    """The accent colour, tinted toward the text colour until it reads at 4.5:1 on every background pixel."""
    target = np.array(fg, np.float64)
    base = np.array(accent, np.float64)
    for k in range(11):
        c = tuple(int(v) for v in base + (target - base) * k / 10)
        if worst_contrast(c, bg_lum) >= MIN_CONTRAST:
            return c  # type: ignore[return-value]
    return fg


# Enough pixels to place a 0.5th percentile within a fraction of a percent of the whole area's value; larger areas
# are read on an even stride (a stride of whole pixels over the flattened area samples every row).
CONTRAST_SAMPLES = 40_000


def worst_contrast(fg: tuple[int, int, int], bg_lum: np.ndarray, pct: float = 0.5) -> float:
    """The pct-th percentile of fg's WCAG contrast over background luminances (0.5: nearly the worst pixel)."""
    lf = luminance(fg)
    if bg_lum.size > CONTRAST_SAMPLES:
        bg_lum = bg_lum[:: -(-bg_lum.size // CONTRAST_SAMPLES)]
    hi, lo = np.maximum(bg_lum, lf), np.minimum(bg_lum, lf)
    return float(np.percentile((hi + 0.05) / (lo + 0.05), pct))


_LINEAR = np.array([c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in np.arange(256) / 255.0])
_WEIGHTS = np.array([0.2126, 0.7152, 0.0722])


def luminance_map(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance per pixel (sRGB linearised through a 256-entry table)."""
    lin = _LINEAR[rgb.reshape(-1, 3)]
    return (lin @ _WEIGHTS).reshape(rgb.shape[:-1])


@dataclass
class Style:
    """How a block reads: colours decided from what is behind it."""

    fg: tuple[int, int, int]
    accent: tuple[int, int, int]
    plate: tuple[int, int, int] | None


def choose_style(bg_lum: np.ndarray, accent: tuple[int, int, int], plate_dark: tuple[int, int, int],
                 plate_light: tuple[int, int, int]) -> Style:
    """White or ink text straight on the backdrop when it reaches 4.5:1 there, else on a plate that does."""
    fg = max((WHITE, INK), key=lambda c: worst_contrast(c, bg_lum))
    if worst_contrast(fg, bg_lum) >= MIN_CONTRAST:
        return Style(fg, readable_accent(accent, bg_lum, fg), None)
    light = float(np.median(bg_lum)) > 0.3
    plate = plate_light if light else plate_dark
    fg = INK if light else WHITE
    if contrast(fg, plate) < MIN_CONTRAST:
        plate = (250, 250, 250) if light else (18, 18, 22)
    lum = np.array([luminance(plate)])
    return Style(fg, readable_accent(accent, lum, fg), plate)


@dataclass
class TextBlock:
    """A fitted text block: glyphs (and plate) as RGBA layers at (x, y), plus each word's box for the reveal."""

    glyphs: np.ndarray
    plate: np.ndarray | None
    x: int
    y: int
    words: list[tuple[int, int, int, int]]

    def __post_init__(self) -> None:
        # fully revealed blocks are drawn through the precomputed fast path (most frames of a scene)
        self._glyph_sprite = L.Sprite(self.glyphs)
        self._plate_sprite = L.Sprite(self.plate) if self.plate is not None else None

    @property
    def box(self) -> Box:
        h, w = self.glyphs.shape[:2]
        return Box(self.x, self.y, self.x + w, self.y + h)

    def draw(self, out: np.ndarray, revealed: float, opacity: float = 1.0) -> None:
        """Draw with `revealed` words visible (fractional: the next word is fading in)."""
        if opacity <= 0 or revealed <= 0:
            return
        if self._plate_sprite is not None:
            self._plate_sprite.draw(out, self.x, self.y, opacity * min(1.0, revealed * 2))
        n = len(self.words)
        if revealed >= n:
            self._glyph_sprite.draw(out, self.x, self.y, opacity)
            return
        for k, (x0, y0, x1, y1) in enumerate(self.words):
            a = min(1.0, revealed - k)
            if a <= 0:
                break
            L.blend(out, self.glyphs[y0:y1, x0:x1], self.x + x0, self.y + y0 + int((1 - a) * (y1 - y0) * 0.25),
                    a * opacity)


def build_block(text: str, box: Box, size: int, style: Style, key: str = "", align: str = "center",
                bold: bool = True) -> TextBlock:
    """Fit `text` into `box` and draw it (words in reading order, the key word in the accent colour)."""
    pad = int(size * 0.45) if style.plate is not None else 0
    lines, size = fit_box(text, size, box.w - 2 * pad, box.h - 2 * pad)
    line_h = int(round(size * 1.22))
    widths = [text_width(ln, size, bold) for ln in lines]
    bw = int(max(widths, default=0) + 2 * pad + 2)
    bh = line_h * len(lines) + 2 * pad
    glyphs = Image.new("RGBA", (max(bw, 1), max(bh, 1)), (0, 0, 0, 0))
    words: list[tuple[int, int, int, int]] = []
    keys = {k.lower() for k in key.split()} if key else set()
    for i, (ln, lw) in enumerate(zip(lines, widths, strict=True)):
        x = pad + ((bw - 2 * pad - lw) / 2 if align == "center" else 0)
        top = pad + i * line_h
        for tok in _tokens(ln):
            word = tok.strip()
            tw = text_width(tok, size, bold)
            if word:
                colour = style.accent if word.strip(".,!?:;\"'").lower() in keys else style.fg
                draw_line(glyphs, (x, top + line_h / 2), word, size, (*colour, 255), bold)
                ww = text_width(word, size, bold)
                words.append((int(x), top, min(bw, int(np.ceil(x + ww)) + 2), min(bh, top + line_h)))
            x += tw
    plate = None
    if style.plate is not None:
        img = Image.new("RGBA", (bw, bh), (0, 0, 0, 0))
        ImageDraw.Draw(img).rounded_rectangle((0, 0, bw - 1, bh - 1), radius=int(size * 0.35),
                                              fill=(*style.plate, 255))
        plate = np.asarray(img, dtype=np.uint8).copy()
    bx = int(box.cx - bw / 2) if align == "center" else box.x0
    by = int(box.cy - bh / 2)
    bx = max(box.x0, min(bx, box.x1 - bw))
    by = max(box.y0, min(by, box.y1 - bh))
    return TextBlock(np.asarray(glyphs, dtype=np.uint8).copy(), plate, bx, by, words)


__all__ = ["MIN_CONTRAST", "Style", "TextBlock", "balance", "build_block", "choose_style", "fit_box", "key_word",
           "luminance_map", "readable_accent", "worst_contrast"]
