"""PCI host-video analysis: shot cuts, motion, loudness and silences, colours -> HostSummary; the integration point.

The integration point is a whole second in a calm stretch right at (or next to) a shot boundary, never in the first
or last 3 s. The start frame is the last host frame shown before that second, (t*fps - 1), so the inserted segment
continues exactly where the host stops (the reference's "(t-1)*fps" read as a frame index one second earlier would
make the splice jump back in time).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from .. import media_io
from ..atomic import atomic_path
from ..errors import InputError
from ..schemas.plan import HostSummary
from .topics import topic_counts
from .visual import colour_name, cut_indices, frame_signals, palette_of

SAMPLE_FPS = 4.0
EDGE = 3  # seconds kept free at both ends


@dataclass
class HostSignals:
    """Per-second measurements of a host video."""

    duration: float
    motion: np.ndarray                  # mean frame change per second, 0..1
    loudness_db: np.ndarray             # RMS level per second in dBFS (-90 when silent / no audio)
    cuts: list[float] = field(default_factory=list)
    stills: list[np.ndarray] = field(default_factory=list)  # small frame shown just before each whole second


@dataclass
class IntegrationPoint:
    timestamp: int
    rationale: str
    bridge: str
    visual_cue: str
    calm: float
    cut_distance: float


def _check(path: str | Path) -> Path:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"host video: {p} does not exist")
    return p


@lru_cache(maxsize=16)
def _signals_cached(path: str, mtime: float) -> tuple[HostSignals, tuple[np.ndarray, ...], object]:
    info = media_io.probe(path)
    if not info.has_video or info.duration <= 0:
        raise InputError(f"host video: {path} has no video stream")
    aspect = info.width / max(1, info.height)
    size = (96, max(2, int(round(96 / aspect / 2)) * 2))
    frames = list(media_io.read_frames(path, fps=SAMPLE_FPS, size=size))
    if len(frames) < 2:
        raise InputError(f"host video: {path} is too short to analyse ({info.duration:.1f} s)")
    cut, motion = frame_signals(frames)
    cut_idx = cut_indices(cut)
    moving = motion.copy()
    moving[cut_idx] = np.nan  # a cut is a boundary, not motion
    n_sec = int(np.ceil(info.duration))
    per_sec = np.zeros(n_sec)
    for s in range(n_sec):
        seg = moving[int(s * SAMPLE_FPS): int((s + 1) * SAMPLE_FPS)]
        seg = seg[~np.isnan(seg)] if seg.size else seg
        per_sec[s] = float(seg.mean()) if seg.size else (per_sec[s - 1] if s else 0.0)
    loud = np.full(n_sec, -90.0)
    if info.has_audio:
        audio = media_io.read_audio(path, rate=16000)
        for s in range(n_sec):
            seg = audio[s * 16000:(s + 1) * 16000]
            if seg.size:
                loud[s] = 20 * np.log10(max(1e-9, float(np.sqrt(np.mean(seg ** 2)))))
    cuts = [round((i + 1) / SAMPLE_FPS, 2) for i in cut_idx]
    stills = [frames[max(0, min(len(frames) - 1, int(s * SAMPLE_FPS) - 1))] for s in range(n_sec + 1)]
    return HostSignals(info.duration, per_sec, loud, cuts, stills), tuple(frames), info


def host_signals(path: str | Path) -> HostSignals:
    """Per-second motion and loudness plus shot cuts (cached per file version)."""
    p = _check(path)
    return _signals_cached(str(p.resolve()), p.stat().st_mtime)[0]


def analyze_host_video(path: str | Path, title: str | None = None) -> HostSummary:
    """Summarise a host video offline: topic, content, look, audio environment, pacing."""
    p = _check(path)
    signals, frames, info = _signals_cached(str(p.resolve()), p.stat().st_mtime)
    title = title or info.metadata.get("title", "") or p.stem.replace("_", " ")
    pixels = np.concatenate([f.reshape(-1, 3) for f in frames[:: max(1, len(frames) // 12)]])
    palette = palette_of(pixels, k=5)
    brightness = float((pixels.astype(np.float32) @ [0.299, 0.587, 0.114]).mean() / 255)
    motion = float(signals.motion.mean())
    spm = (len(signals.cuts) + 1) / max(1e-6, signals.duration) * 60
    pace = "fast-cut" if spm >= 20 else "slow-paced" if spm < 8 else "moderately paced"
    look = "bright" if brightness > 0.6 else "dark" if brightness < 0.35 else "balanced exposure"
    style = [look, f"{colour_name(palette[0])} dominant", pace, "dynamic camera" if motion > 0.04 else "steady camera"]
    topics = topic_counts([title])
    topic = next(iter(topics), "") or title
    loud_vals = signals.loudness_db[signals.loudness_db > -89]
    levels = signals.loudness_db
    silences = int(np.sum((levels < -50) | (levels < levels.max() - 25)))  # absolute or relative quiet
    if not info.has_audio or not loud_vals.size:
        audio_type = "no audio track"
        lufs = None
    else:
        lufs = round(media_io.integrated_loudness(media_io.read_audio(p, rate=48000), 48000), 1)
        audio_type = ("quiet ambience" if np.median(loud_vals) < -35 else
                      "steady music or ambience" if np.std(loud_vals) < 4 else "speech or dynamic sound")
        if silences:
            audio_type += f", {silences} s of near-silence"
    content = (f"{len(signals.cuts) + 1} shots over {signals.duration:.1f} s; "
               f"{'lively' if motion > 0.04 else 'calm'} movement; {look}")
    if lufs is not None and not np.isfinite(lufs):
        lufs = None
    return HostSummary(
        title=title, topic=topic, content=content, style_tags=style, palette=palette, brightness=round(brightness, 3),
        audio_type=audio_type, loudness_lufs=lufs, pacing_shots_per_minute=round(spm, 2),
        duration=round(info.duration, 3), fps=info.fps or 30.0, width=info.width, height=info.height,
        shot_cuts=signals.cuts,
    )


def product_fit(still: np.ndarray, colours: list[tuple[int, int, int]]) -> tuple[float, float, str]:
    """How well a product would show in this host frame: (colour separation 0..1, free space 0..1, the frame's
    dominant colour name). The product sits in the lower part of the frame, so that is what is measured."""
    h = still.shape[0]
    lower = still[h // 2:]
    grey = lower.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    detail = float(np.abs(np.diff(grey, axis=0)).mean() + np.abs(np.diff(grey, axis=1)).mean())
    free = float(np.clip(1.0 - detail / 20.0, 0.0, 1.0))
    dominant = palette_of(lower[::2, ::2].reshape(-1, 3), k=3)
    name = colour_name(dominant[0]) if dominant else "neutral"
    if not colours:
        return 0.5, free, name
    frame_lab = _lab(np.array([_rgb(c) for c in dominant[:2]], np.uint8))
    prod_lab = _lab(np.array(colours, np.uint8))
    dist = min(float(np.linalg.norm(f - p)) for f in frame_lab for p in prod_lab)
    return float(np.clip(dist / 50.0, 0.0, 1.0)), free, name


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    v = hex_colour.lstrip("#")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


def _lab(rgb: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(rgb.reshape(-1, 1, 3).astype(np.float32) / 255.0, cv2.COLOR_RGB2Lab).reshape(-1, 3)


def choose_integration_point(summary: HostSummary, signals: HostSignals, product_name: str = "the product",
                             theme: str = "", product_colours: list[str] | None = None,
                             product_topic: str = "") -> IntegrationPoint:
    """A whole second at least 3 s from both ends, scored on calm (the viewer's last two seconds), closeness to
    a shot boundary, quiet, and the product: how its colours stand out against what is on screen there and how
    much free space the frame has for it. Two products can therefore get different points in one host."""
    last = int(np.floor(summary.duration)) - EDGE
    if last < EDGE:
        raise InputError(f"host video: {summary.duration:.1f} s is too short; PCI needs at least {2 * EDGE} s")
    motion = signals.motion
    scale = max(1e-6, float(np.percentile(motion, 90)))
    loud = signals.loudness_db
    cuts = np.array(signals.cuts or [summary.duration / 2])
    colours = [_rgb(c) for c in (product_colours or [])]
    best = None
    for t in range(EDGE, last + 1):
        still = signals.stills[t] if t < len(signals.stills) else None
        sep, free, seen = product_fit(still, colours) if still is not None else (0.5, 0.5, "")
        before = motion[max(0, t - 2):t]           # the viewer's last two seconds before the pause
        after = motion[t:t + 1]
        calm = 1 - min(1.0, (0.75 * before.mean() + 0.25 * (after.mean() if after.size else 0)) / scale)
        dist = float(np.min(np.abs(cuts - t)))
        near = float(np.exp(-dist / 0.8))
        quiet = float(np.clip((-20 - loud[max(0, t - 1):t + 1].mean()) / 40, 0, 1)) if loud.size else 0.5
        fit = 0.6 * sep + 0.4 * free
        score = 0.35 * calm + 0.3 * near + 0.1 * quiet + 0.25 * fit
        if best is None or score > best[0] + 1e-9:
            best = (score, t, calm, dist, sep, free, seen)
    _, t, calm, dist, sep, free, seen = best
    where = "at a shot boundary" if dist <= 0.5 else f"{dist:.1f} s from a shot boundary"
    topic = summary.topic or "story"
    fit_reason = ""
    if colours:
        fit_reason = (f"; {product_name}'s colours stand out against the {seen} frame there (separation "
                      f"{sep:.2f}) with {'plenty of' if free > 0.6 else 'some' if free > 0.3 else 'little'} free "
                      f"space in the lower half")
    related = f" ({product_topic} meets {topic})" if product_topic and product_topic != topic else ""
    rationale = (f"{t} s: calm stretch (calmness {calm:.2f}) {where}, a natural pause in the host's "
                 f"{topic}{related}{fit_reason}; at least {EDGE} s from both ends")
    bridge = (f"{product_name} appears as an everyday object inside the {summary.topic or 'host'} scene, "
              f"lit and graded like the host ({', '.join(summary.style_tags[:2])})"
              + (f", with a nod to {theme}" if theme else ""))
    cue = f"the shot settles before the cut at {t} s; the camera drifts toward a free spot where {product_name} sits"
    return IntegrationPoint(t, rationale, bridge, cue, round(calm, 3), round(dist, 2))


def extract_start_frame(path: str | Path, timestamp: int, fps: float, out_path: Path) -> Path:
    """Save the last host frame before `timestamp` (frame index t*fps - 1) as a PNG."""
    # Decode the second before the point and keep its last frame: seeking straight to t - 1/fps is fragile
    # (a timestamp rounded up lands on the frame at t itself).
    frame = None
    for decoded in media_io.read_frames(path, start=max(0.0, timestamp - 1.0), end=float(timestamp)):
        frame = decoded
    if frame is None:
        raise InputError(f"host video: cannot read a frame before {timestamp} s of {path}")
    with atomic_path(out_path, suffix=".png") as tmp:
        Image.fromarray(frame).save(tmp, format="PNG")
    return Path(out_path)
