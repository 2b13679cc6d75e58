"""contact_sheet.png: one frame per second of a rendered video, in a grid, each labelled with its time."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PIL import Image

from ..atomic import atomic_path
from ..media_io import probe, read_frames
from .text import draw_line, text_width

THUMB_SHORT = 180
LABEL_H = 26


def contact_sheet(video: Path | str, out_path: Path | str, columns: int | None = None,
                  thumb_short: int = THUMB_SHORT) -> Path:
    """Write the sheet for `video` (frames at 0 s, 1 s, 2 s, ...) and return its path."""
    info = probe(video)
    w, h = info.width, info.height
    s = thumb_short / min(w, h)
    tw, th = int(round(w * s / 2)) * 2, int(round(h * s / 2)) * 2
    frames = list(read_frames(video, fps=1, size=(tw, th)))
    if not frames:
        raise ValueError(f"{Path(video).name}: no frames to put on a contact sheet")
    cols = columns or (8 if h > w else 5 if w > h else 6)
    cols = min(cols, len(frames))
    rows = math.ceil(len(frames) / cols)
    gap = 6
    sheet = Image.new("RGB", (cols * (tw + gap) + gap, rows * (th + LABEL_H + gap) + gap), (24, 24, 28))
    for k, frame in enumerate(frames):
        x = gap + (k % cols) * (tw + gap)
        y = gap + (k // cols) * (th + LABEL_H + gap)
        sheet.paste(Image.fromarray(np.ascontiguousarray(frame)), (x, y))
        label = f"{k // 60}:{k % 60:02d}"
        _label(sheet, label, x + tw / 2, y + th)
    out_path = Path(out_path)
    with atomic_path(out_path, suffix=".png") as tmp:
        sheet.save(tmp, format="PNG")  # optimize=True costs ~6x the CPU for ~4% smaller
    return out_path


def _label(sheet: Image.Image, text: str, cx: float, top: int) -> None:
    """The time under a thumbnail, centred on cx."""
    size = 15
    width = int(text_width(text, size)) + 4
    layer = Image.new("RGBA", (width, LABEL_H), (0, 0, 0, 0))
    draw_line(layer, (2, LABEL_H / 2), text, size, (235, 235, 235, 255))
    sheet.paste(layer, (int(cx - width / 2), top), layer)


__all__ = ["contact_sheet"]
