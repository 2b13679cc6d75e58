"""contact_sheet.png: one frame per second of a rendered video (the frame in the middle of each second, away from
the cuts), in a grid, each labelled with its time."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from ..atomic import atomic_path
from ..media_io import probe, read_frames
from .text import draw_line, text_width

THUMB_SHORT = 180
LABEL_H = 26


def thumb_size(width: int, height: int, thumb_short: int = THUMB_SHORT) -> tuple[int, int]:
    """The thumbnail size of a width x height frame on the sheet (even sides)."""
    s = thumb_short / min(width, height)
    return int(round(width * s / 2)) * 2, int(round(height * s / 2)) * 2


def thumbnail(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """One rendered RGB frame shrunk for the sheet."""
    return cv2.resize(frame, size, interpolation=cv2.INTER_AREA)


def contact_sheet(video: Path | str, out_path: Path | str, columns: int | None = None,
                  thumb_short: int = THUMB_SHORT) -> Path:
    """Write the sheet for `video` (frames at 0.5 s, 1.5 s, ... decoded from the file) and return its path."""
    info = probe(video)
    frames = list(read_frames(video, fps=1, size=thumb_size(info.width, info.height, thumb_short)))
    if not frames:
        raise ValueError(f"{Path(video).name}: no frames to put on a contact sheet")
    return sheet_from_thumbnails(frames, out_path, info.width, info.height, columns)


def sheet_from_thumbnails(frames: list[np.ndarray], out_path: Path | str, width: int, height: int,
                          columns: int | None = None) -> Path:
    """Write the sheet from thumbnails already taken at 0.5 s, 1.5 s, ... (the renderer keeps them as it draws
    the frames, so a render does not decode its own video again)."""
    th, tw = frames[0].shape[:2]
    cols = columns or (8 if height > width else 5 if width > height else 6)
    cols = min(cols, len(frames))
    rows = math.ceil(len(frames) / cols)
    gap = 6
    sheet = Image.new("RGB", (cols * (tw + gap) + gap, rows * (th + LABEL_H + gap) + gap), (24, 24, 28))
    for k, frame in enumerate(frames):
        x = gap + (k % cols) * (tw + gap)
        y = gap + (k // cols) * (th + LABEL_H + gap)
        sheet.paste(Image.fromarray(np.ascontiguousarray(frame)), (x, y))
        label = f"{k // 60}:{k % 60:02d}.5"
        _label(sheet, label, x + tw / 2, y + th)
    out_path = Path(out_path)
    with atomic_path(out_path, suffix=".png") as tmp:
        sheet.save(tmp, format="PNG", compress_level=1)  # level 6 (the default) takes 3.5x the CPU for a 16% smaller file
    return out_path


def _label(sheet: Image.Image, text: str, cx: float, top: int) -> None:
    """The time under a thumbnail, centred on cx."""
    size = 15
    width = int(text_width(text, size)) + 4
    layer = Image.new("RGBA", (width, LABEL_H), (0, 0, 0, 0))
    draw_line(layer, (2, LABEL_H / 2), text, size, (235, 235, 235, 255))
    sheet.paste(layer, (int(cx - width / 2), top), layer)


__all__ = ["contact_sheet", "sheet_from_thumbnails", "thumb_size", "thumbnail"]
