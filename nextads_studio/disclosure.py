"""The visible AI-disclosure label: one deterministic drawing shared by the Producer (draws it) and the Verifier
(looks for it in sampled frames)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

AI_LABEL_TEXT = "AI Created"
_FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "DejaVuSans-Bold.ttf"
_BG = (17, 17, 17)  # near-black pill: readable on any palette, and stable pixels to detect
_FG = (255, 255, 255)
_ACCENT = (255, 196, 0)  # a yellow dot makes the label distinctive next to ordinary dark captions


def _font(size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(str(_FONT), size)
    except OSError:  # the shipped font is missing: Pillow's scalable default keeps the label readable
        return ImageFont.load_default(size)


@lru_cache(maxsize=16)
def _metrics(frame_w: int, frame_h: int) -> tuple[int, int, int, int]:
    """(font size, label width, label height, margin) for a frame size."""
    short = min(frame_w, frame_h)
    size = max(11, round(short * 0.032))
    text_w = _font(size).getlength(AI_LABEL_TEXT)
    pad = max(4, round(size * 0.55))
    dot = round(size * 0.55)
    width = int(round(text_w + 3 * pad + dot))
    height = int(round(size * 1.7))
    margin = max(6, round(short * 0.035))
    return size, width, height, margin


def label_box(frame_w: int, frame_h: int) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the label: the top-left corner inside the safe margin, away from the captions."""
    _, width, height, margin = _metrics(frame_w, frame_h)
    top = margin + (round(frame_h * 0.03) if frame_h > frame_w else 0)  # clear of a portrait feed's status bar
    return margin, top, margin + width, top + height


@lru_cache(maxsize=16)
def _draw(frame_w: int, frame_h: int) -> np.ndarray:
    size, width, height, _ = _metrics(frame_w, frame_h)
    scale = 4  # supersample so the rounded corners and text edges are smooth and identical everywhere
    img = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((0, 0, width * scale - 1, height * scale - 1), radius=height * scale // 2,
                        fill=(*_BG, 235))
    pad = max(4, round(size * 0.55))
    dot = round(size * 0.55)
    cy = height * scale / 2
    x = pad * scale
    d.ellipse((x, cy - dot * scale / 2, x + dot * scale, cy + dot * scale / 2), fill=(*_ACCENT, 255))
    font = _font(size * scale)
    d.text((x + (dot + pad) * scale, cy), AI_LABEL_TEXT, font=font, fill=(*_FG, 255), anchor="lm")
    small = img.resize((width, height), Image.LANCZOS)
    arr = np.asarray(small, dtype=np.uint8).copy()
    arr.setflags(write=False)
    return arr


def draw_ai_label(frame_w: int, frame_h: int) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The label as an RGBA array (read-only) and the box where it goes in a frame of this size."""
    return _draw(frame_w, frame_h), label_box(frame_w, frame_h)


@lru_cache(maxsize=16)
def _premultiplied(frame_w: int, frame_h: int) -> tuple[np.ndarray, np.ndarray]:
    rgba = _draw(frame_w, frame_h).astype(np.uint16)
    pre = ((rgba[..., :3] * rgba[..., 3:4] + 127) // 255).astype(np.uint16)
    return pre, 255 - rgba[..., 3:4]


def composite_label(frame: np.ndarray) -> np.ndarray:
    """Draw the label onto an RGB frame in place and return it."""
    h, w = frame.shape[:2]
    x0, y0, x1, y1 = label_box(w, h)
    pre, inv = _premultiplied(w, h)
    roi = frame[y0:y1, x0:x1]
    roi[:] = (pre + (roi * inv + 127) // 255).astype(np.uint8)
    return frame


def label_similarity(frame: np.ndarray) -> float:
    """How closely a frame's label box matches the label (1.0 = identical, ~0 = absent)."""
    h, w = frame.shape[:2]
    rgba, (x0, y0, x1, y1) = draw_ai_label(w, h)
    roi = frame[y0:y1, x0:x1].astype(np.float32)
    # Compare where the label is opaque: the pill and its text dominate whatever is behind it.
    mask = rgba[..., 3] > 200
    if roi.shape[:2] != mask.shape or not mask.any():
        return 0.0
    want = rgba[..., :3].astype(np.float32)[mask]
    got = roi[mask]
    err = np.abs(want - got).mean() / 255.0
    return float(max(0.0, 1.0 - err * 4.0))


__all__ = ["AI_LABEL_TEXT", "composite_label", "draw_ai_label", "label_box", "label_similarity"]
