"""Frames as model evidence: sample a video to JPEG files, read its length (through media_io)."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import InputError
from ..media_io import probe, read_frames


def video_info(path: Path | str) -> tuple[float, float, int, int]:
    """(duration s, fps, width, height) of a video file."""
    info = probe(_existing(path))
    return float(info.duration), float(info.fps), int(info.width), int(info.height)


def frame_at(path: Path | str, second: float) -> np.ndarray:
    """The RGB frame shown at `second`."""
    t = max(0.0, second)
    with closing(read_frames(_existing(path), start=t, end=t + 1.0)) as frames:  # stops ffmpeg right away
        frame = next(frames, None)
    if frame is None:
        raise InputError(f"{path}: no frame at {second:.1f}s")
    return frame


def sample_frames(path: Path | str, out_dir: Path, *, count: int = 8, start: float = 0.0,
                  end: float | None = None, width: int = 512) -> list[Path]:
    """`count` evenly spaced frames between start and end, saved as JPEGs (short side <= width)."""
    duration = video_info(path)[0]
    end = min(end or duration, duration)
    if end <= start:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    step = (end - start) / count
    paths = []
    for i in range(count):
        t = start + step * (i + 0.5)
        image = Image.fromarray(frame_at(path, t))
        image.thumbnail((width, width))
        target = out_dir / f"frame_{i:02d}_{t:06.2f}.jpg"
        image.save(target, quality=85)
        paths.append(target)
    return paths


def _existing(path: Path | str) -> Path:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"video {p} does not exist")
    return p
