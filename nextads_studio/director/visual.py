"""Visual taste from images and frames (k-means palette, brightness, warmth, saturation, contrast) and video pacing."""

from __future__ import annotations

import colorsys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from ..schemas.profile import VisualTaste

THUMB = 48


def load_thumb(path: str | Path, size: int = THUMB) -> np.ndarray | None:
    """A small RGB array of an image, or None when the file is missing or unreadable."""
    try:
        with Image.open(path) as im:
            im = im.convert("RGB")
            im.thumbnail((size, size))
            return np.asarray(im, dtype=np.uint8)
    except (OSError, ValueError):
        return None


def to_hex(rgb: Sequence[float]) -> str:
    r, g, b = (int(round(min(255, max(0, c)))) for c in rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def palette_of(pixels: np.ndarray, k: int = 5, seed: int = 0) -> list[str]:
    """k dominant colours (most common first) by k-means over RGB pixels."""
    from sklearn.cluster import KMeans

    pixels = pixels.reshape(-1, 3).astype(np.float32)
    if len(pixels) > 6000:
        rng = np.random.default_rng(seed)
        pixels = pixels[rng.choice(len(pixels), 6000, replace=False)]
    k = max(1, min(k, len(np.unique(pixels, axis=0))))
    km = KMeans(n_clusters=k, n_init=3, random_state=seed).fit(pixels)
    counts = np.bincount(km.labels_, minlength=k)
    centres = km.cluster_centers_[np.argsort(-counts, kind="stable")]
    colours = list(dict.fromkeys(to_hex(c) for c in centres))
    return _pad_palette(colours)


def _pad_palette(colours: list[str]) -> list[str]:
    """At least four distinct colours: derive lighter/darker tints of the first one if the images are flat."""
    out = list(colours)
    base = out[0] if out else "#808080"
    r, g, b = (int(base[i:i + 2], 16) for i in (1, 3, 5))
    for t in (0.35, -0.35, 0.65, -0.65):
        if len(out) >= 4:
            break
        target = 255 if t > 0 else 0
        cand = to_hex([c + abs(t) * (target - c) for c in (r, g, b)])
        if cand not in out:
            out.append(cand)
    return out[:6]


def taste_from_arrays(images: Iterable[np.ndarray], seed: int = 0) -> VisualTaste | None:
    """Palette and global colour statistics of a set of RGB arrays; None when there are none."""
    arrays = [a.reshape(-1, 3) for a in images if a is not None and a.size]
    if not arrays:
        return None
    pixels = np.concatenate(arrays).astype(np.float32) / 255.0
    luma = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    mx, mn = pixels.max(axis=1), pixels.min(axis=1)
    sat = np.where(mx > 1e-6, (mx - mn) / np.maximum(mx, 1e-6), 0.0)
    warmth = 0.5 + 0.5 * float(np.clip((pixels[:, 0] - pixels[:, 2]).mean() / 0.4, -1, 1))
    return VisualTaste(
        palette=palette_of(pixels * 255.0, k=5, seed=seed),
        brightness=round(float(luma.mean()), 3),
        warmth=round(warmth, 3),
        saturation=round(float(sat.mean()), 3),
        contrast=round(float(np.clip(luma.std() / 0.3, 0, 1)), 3),
    )


def taste_from_paths(paths: Iterable[str | Path], limit: int = 40) -> VisualTaste | None:
    thumbs = []
    for p in paths:
        if len(thumbs) >= limit:
            break
        t = load_thumb(p)
        if t is not None:
            thumbs.append(t)
    return taste_from_arrays(thumbs)


def colour_name(hex_colour: str) -> str:
    """A plain colour word for a hex value (used in visual cues)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    if light > 0.9:
        return "white"
    if light < 0.12:
        return "black"
    if s < 0.15:
        return "grey" if 0.3 < light < 0.75 else ("light grey" if light >= 0.75 else "charcoal")
    names = [(15, "red"), (40, "orange"), (65, "yellow"), (160, "green"), (200, "teal"), (255, "blue"),
             (290, "purple"), (335, "pink"), (360, "red")]
    deg = h * 360
    name = next(n for limit, n in names if deg < limit)
    if name in ("orange", "red") and light < 0.4:
        name = "brown" if name == "orange" else "deep red"
    if light > 0.75:
        name = f"pale {name}"
    return name


# --- frame signals (shared with host-video analysis) -----------------------------------------------------------

def frame_hist(frame: np.ndarray, bins: int = 8) -> np.ndarray:
    """A normalized joint RGB histogram (bins^3) for shot-cut detection."""
    q = (frame.reshape(-1, 3) // (256 // bins)).astype(np.int32)
    idx = q[:, 0] * bins * bins + q[:, 1] * bins + q[:, 2]
    hist = np.bincount(idx, minlength=bins ** 3).astype(np.float32)
    return hist / max(1.0, hist.sum())


def frame_signals(frames: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Per transition: histogram distance (0..1, shot cuts) and mean absolute pixel change (0..1, motion)."""
    if len(frames) < 2:
        return np.zeros(0), np.zeros(0)
    hists = [frame_hist(f) for f in frames]
    cut = np.array([0.5 * np.abs(a - b).sum() for a, b in zip(hists, hists[1:], strict=False)])
    grey = [f.astype(np.float32).mean(axis=2) for f in frames]
    motion = np.array([np.abs(a - b).mean() / 255.0 for a, b in zip(grey, grey[1:], strict=False)])
    return cut, motion


def cut_indices(cut: np.ndarray, threshold: float = 0.35) -> list[int]:
    """Transitions whose histogram change is a hard cut: above an absolute floor and well above the local median."""
    out = []
    for i, v in enumerate(cut):
        local = np.median(cut[max(0, i - 4): i + 5]) if len(cut) else 0.0
        if v >= threshold and v >= 2.5 * local:
            out.append(i)
    return out


def video_pacing(video_paths: Iterable[str | Path], fps: float = 4.0, seconds: float = 20.0,
                 limit: int = 8) -> tuple[float, float] | None:
    """(shots per minute, mean motion 0..1) over the first seconds of up to `limit` videos."""
    from .. import media_io

    cuts_total, dur_total, motions = 0, 0.0, []
    for path in list(video_paths)[:limit]:
        try:
            frames = list(media_io.read_frames(path, fps=fps, size=(64, 36), end=seconds))
        except Exception:  # noqa: BLE001 - an unreadable history video only loses its pacing vote
            continue
        if len(frames) < 2:
            continue
        cut, motion = frame_signals(frames)
        cuts_total += len(cut_indices(cut))
        dur_total += len(frames) / fps
        motions.append(float(np.clip(motion.mean() * 8, 0, 1)))
    if dur_total <= 0:
        return None
    return (cuts_total + len(motions)) / dur_total * 60.0, float(np.mean(motions))


def sample_video_frames(path: str | Path, count: int = 4, size: int = THUMB) -> list[np.ndarray]:
    """A few evenly spread small frames of a video (for visual taste)."""
    from .. import media_io

    try:
        frames = list(media_io.read_frames(path, fps=1.0, size=(size, size), end=20.0))
    except Exception:  # noqa: BLE001 - a broken video contributes no colours
        return []
    if not frames:
        return []
    idx = np.linspace(0, len(frames) - 1, min(count, len(frames))).astype(int)
    return [frames[i] for i in idx]
