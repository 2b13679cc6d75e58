"""Frames as model evidence: sample a video to JPEG files, read its length. Uses media_io when it is there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import InputError


def video_info(path: Path | str) -> tuple[float, float, int, int]:
    """(duration s, fps, width, height) of a video file."""
    p = _existing(path)
    try:
        from ..media_io import probe

        info = probe(p)
        return float(info.duration), float(info.fps), int(info.width), int(info.height)
    except ImportError:
        import cv2

        cap = cv2.VideoCapture(str(p))
        fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        n = cap.get(cv2.CAP_PROP_FRAME_COUNT)
        w, h = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        cap.release()
        return float(n / fps), float(fps), w, h


def frame_at(path: Path | str, second: float) -> np.ndarray:
    """The RGB frame shown at `second`."""
    import cv2

    cap = cv2.VideoCapture(str(_existing(path)))
    cap.set(cv2.CAP_PROP_POS_MSEC, max(0.0, second) * 1000)
    ok, frame = cap.read()
    cap.release()
    if not ok:
        raise InputError(f"{path}: no frame at {second:.1f}s")
    return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)


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
