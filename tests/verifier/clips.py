"""Synthetic clips whose quality order is known, written with the bundled ffmpeg."""

from __future__ import annotations

from pathlib import Path

import cv2
import imageio_ffmpeg
import numpy as np


def texture(width: int, height: int, seed: int = 3) -> np.ndarray:
    """A natural-looking still: 1/f colour noise (octaves of upsampled noise) with thin rings (RGB uint8)."""
    rng = np.random.default_rng(seed)
    acc = np.zeros((height, width, 3), np.float32)
    for octave, amp in [(4, 1.0), (8, 0.7), (16, 0.5), (32, 0.35), (64, 0.25), (128, 0.18), (256, 0.12)]:
        base = rng.normal(0, 1, (max(height * octave // width, 2) + 1, octave + 1, 3)).astype(np.float32)
        acc += amp * cv2.resize(base, (width, height), interpolation=cv2.INTER_CUBIC)
    img = ((acc - acc.min()) / (acc.max() - acc.min()) * 255).astype(np.uint8)
    for _ in range(25):
        c = tuple(int(v) for v in rng.integers(0, 255, 3))
        cv2.circle(img, (int(rng.integers(0, width)), int(rng.integers(0, height))), int(rng.integers(8, 50)), c, 2,
                   lineType=cv2.LINE_AA)
    return img


def write_clip(path: Path, frames, fps: int = 30, crf: int = 18) -> Path:
    frames = list(frames)
    h, w = frames[0].shape[:2]
    writer = imageio_ffmpeg.write_frames(str(path), (w, h), fps=fps, codec="libx264", quality=None,
                                         macro_block_size=2, output_params=["-crf", str(crf), "-preset", "ultrafast"])
    writer.send(None)
    for f in frames:
        writer.send(np.ascontiguousarray(f))
    writer.close()
    return path


def pan(width: int, height: int, n: int, speed: float, jitter: float = 0.0, seed: int = 3) -> list[np.ndarray]:
    """A horizontal pan over a wide texture; `jitter` px of alternating offset makes it jerky."""
    big = texture(width + int(abs(speed) * n + 4 * jitter + 40), height, seed)
    out = []
    for i in range(n):
        x = 20 + jitter + speed * i + (jitter if i % 2 else -jitter)
        m = np.float32([[1, 0, -x], [0, 1, 0]])
        out.append(cv2.warpAffine(big, m, (width, height), flags=cv2.INTER_LINEAR))
    return out
