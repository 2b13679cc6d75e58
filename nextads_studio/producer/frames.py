"""Frame synthesis primitives: the scene spec, camera motion, sub-pixel slicing and transitions. Scenes are drawn
by `scene.SceneRenderer` (PCG layouts) and `pci.PciRenderer` (host-video segments)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

OVERSCAN = 1.15  # the canvas is larger than the frame so zooms and pans never show an edge
FPS = 30


@dataclass(frozen=True)
class SceneSpec:
    """Everything that shapes one scene's pixels (and therefore its cache key)."""

    index: int
    n_frames: int
    width: int
    height: int
    camera_motion: str = "static"
    transition: str = "cut"
    transition_frames: int = 0
    text: str = ""
    kind: str = "body"  # "hook", "body", "end" or "pci"
    layout: str = "hero"
    product_image: str | None = None
    user_images: tuple[str, ...] = ()  # only history images licensed for reuse
    logo: str | None = None
    brand: str = ""
    slogan: str = ""
    cta: str = ""
    palette: tuple[str, ...] = ("#1F2937", "#374151", "#F59E0B", "#F9FAFB")
    motif: str = "tech"
    points: tuple[str, ...] = ()
    accent_words: tuple[str, ...] = ()
    entrance: str = "rise"
    host_frame: str | None = None  # PCI: the host's start frame the segment opens and closes on
    clock: tuple[float, float] = (0.0, 0.0)  # PCI: (this scene's start in the segment, segment length)
    seed: int = 7
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def ease(p: float) -> float:
    """Smoothstep easing: camera moves start and stop gently."""
    p = min(1.0, max(0.0, p))
    return p * p * (3 - 2 * p)


def ease_out_back(p: float) -> float:
    """Overshoot easing for 'pop' text entrances."""
    p = min(1.0, max(0.0, p))
    c = 1.4
    return 1 + (c + 1) * (p - 1) ** 3 + c * (p - 1) ** 2


def _motion(kind: str, p: float) -> tuple[float, float, float]:
    """(zoom in [1, OVERSCAN], x offset, y offset in units of the free room) for the camera at progress p."""
    e = ease(p)
    if kind == "push_in":
        return 1.0 + 0.13 * e, 0.0, 0.0
    if kind == "pull_out":
        return 1.13 - 0.13 * e, 0.0, 0.0
    if kind == "pan_left":
        return 1.12, 0.8 - 1.6 * e, 0.0
    if kind == "pan_right":
        return 1.12, -0.8 + 1.6 * e, 0.0
    if kind == "tilt_up":
        return 1.12, 0.0, -0.8 + 1.6 * e
    if kind == "tilt_down":
        return 1.12, 0.0, 0.8 - 1.6 * e
    if kind == "parallax":
        return 1.08, 0.6 - 1.2 * e, 0.0
    return 1.04, 0.0, 0.0  # static: a slight overscan; the text and CTA animation carry the motion


def _subpixel_slice(img: np.ndarray, fx: float, fy: float, w: int, h: int) -> np.ndarray:
    """img[fy:fy+h, fx:fx+w] at fractional offsets (linear interpolation of neighbouring slices)."""
    ih, iw = img.shape[:2]
    fx = min(max(fx, 0.0), iw - w - 1e-6)
    fy = min(max(fy, 0.0), ih - h - 1e-6)
    x, y = int(fx), int(fy)
    dx, dy = fx - x, fy - y
    x1, y1 = min(x + 1, iw - w), min(y + 1, ih - h)
    base = img[y:y + h, x:x + w]
    if dx > 1e-3:
        base = cv2.addWeighted(base, 1 - dx, img[y:y + h, x1:x1 + w], dx, 0.0)
        if dy > 1e-3:
            lower = cv2.addWeighted(img[y1:y1 + h, x:x + w], 1 - dx, img[y1:y1 + h, x1:x1 + w], dx, 0.0)
            base = cv2.addWeighted(base, 1 - dy, lower, dy, 0.0)
        return base
    if dy > 1e-3:
        return cv2.addWeighted(base, 1 - dy, img[y1:y1 + h, x:x + w], dy, 0.0)
    return base.copy()


def transition(kind: str, prev: np.ndarray, cur: np.ndarray, p: float) -> np.ndarray:
    """Blend the outgoing frame into the incoming one at progress p in [0, 1]."""
    h, w = cur.shape[:2]
    e = ease(p)
    if kind == "crossfade":
        return cv2.addWeighted(prev, 1.0 - e, cur, e, 0.0)
    if kind == "slide":
        dx = int(round(e * w))
        out = np.empty_like(cur)
        out[:, :w - dx] = prev[:, dx:]
        out[:, w - dx:] = cur[:, :dx]
        return out
    if kind == "whip":
        strength = math.sin(math.pi * p)
        dx = int(round(e * w))
        out = np.empty_like(cur)
        out[:, :w - dx] = prev[:, dx:]
        out[:, w - dx:] = cur[:, :dx]
        k = max(1, int(w * 0.12 * strength))
        if k > 1:
            out = cv2.blur(out, (k, 1))  # directional motion blur along the whip
        return out
    return cur
