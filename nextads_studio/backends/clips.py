"""Generated clips -> one silent 30 fps clip per scene, each exactly as long as its scene.

Veo and Wan return clips of their own lengths, frame rates and sizes (Veo with audio). The Producer's
post-processing (voice, captions, music, label, splice) expects scene backgrounds that match the storyboard's
timing, so every generated clip is retimed, resized and stripped of audio here.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..atomic import atomic_path
from ..errors import BackendError

FPS = 30


def ffmpeg() -> str:
    from ..media_io import ffmpeg_exe

    return ffmpeg_exe()


def clip_duration(path: Path) -> float:
    from ..media_io import probe

    return float(probe(path).duration)


def fit_clip(src: Path, out: Path, duration: float, size: tuple[int, int] | None = None,
             offset: float = 0.0, length: float | None = None) -> Path:
    """Write `src[offset:offset+length]` stretched to `duration` seconds, silent, 30 fps, optional WxH."""
    length = length or max(0.1, clip_duration(src) - offset)
    factor = duration / length
    filters = [f"trim=start={offset:.3f}:duration={length:.3f}", f"setpts=(PTS-STARTPTS)*{factor:.5f}",
               f"fps={FPS}"]
    if size:
        w, h = size
        filters.append(f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out, suffix=".mp4") as tmp:
        cmd = [ffmpeg(), "-y", "-loglevel", "error", "-i", str(src), "-vf", ",".join(filters), "-an",
               "-frames:v", str(max(1, round(duration * FPS))), "-c:v", "libx264", "-pix_fmt", "yuv420p",
               "-preset", "veryfast", str(tmp)]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise BackendError(f"could not fit generated clip {src.name}: {result.stderr.strip()[-300:]}")
    return out


def write_frames(frames: Iterable[np.ndarray], out: Path, fps: float) -> Path:
    """RGB uint8 frames (H, W, 3) -> H.264 mp4."""
    import imageio_ffmpeg

    frames = list(frames)
    h, w = frames[0].shape[:2]
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out, suffix=".mp4") as tmp:
        writer = imageio_ffmpeg.write_frames(str(tmp), (w, h), fps=fps, codec="libx264", pix_fmt_out="yuv420p",
                                             macro_block_size=1, ffmpeg_log_level="error")
        writer.send(None)
        for frame in frames:
            writer.send(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
        writer.close()
    return out


def segments(durations: Sequence[float], max_len: float) -> list[list[int]]:
    """Group consecutive scene indices so each group lasts at most max_len (a scene longer than that alone)."""
    groups: list[list[int]] = []
    total = 0.0
    for i, d in enumerate(durations):
        if groups and total + d <= max_len + 1e-6:
            groups[-1].append(i)
            total += d
        else:
            groups.append([i])
            total = d
    return groups
