"""Owned scene backdrops: a palette gradient with a key light, a vignette, paper texture, a faint pattern of the
person's theme motifs and film grain; chosen so the product separates from it."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np

from .motifs import motif_mask

RGB = tuple[int, int, int]
MIN_SEPARATION = 24.0  # CIE76 colour difference between the product's edge and what surrounds it


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIE L*a*b* of RGB uint8 pixels (any shape ending in 3)."""
    arr = np.asarray(rgb, np.float32).reshape(-1, 1, 3) / 255.0
    return cv2.cvtColor(arr, cv2.COLOR_RGB2Lab).reshape(np.asarray(rgb).shape)


def delta_e(a: np.ndarray, b: np.ndarray) -> float:
    """CIE76 difference between two colours."""
    return float(np.linalg.norm(lab(np.array(a, np.uint8)) - lab(np.array(b, np.uint8))))


def chroma(rgb: RGB) -> float:
    """CIE L*a*b* chroma: 0 for white, black and greys."""
    v = lab(np.array(rgb, np.uint8))
    return float(np.hypot(v[1], v[2]))


def tone(rgb: RGB, lightness: float) -> RGB:
    """The colour's hue at another L* lightness, with enough chroma to read as that colour (a pale or deep teal,
    not a grey): mixing toward white or black would wash the hue out."""
    v = lab(np.array(rgb, np.uint8))
    c = float(np.hypot(v[1], v[2]))
    k = float(np.clip(c, 14.0, 26.0)) / max(c, 1e-6)
    arr = np.array([[[lightness, v[1] * k, v[2] * k]]], np.float32)
    out = np.clip(cv2.cvtColor(arr, cv2.COLOR_Lab2RGB)[0, 0] * 255.0, 0, 255)
    return tuple(int(round(x)) for x in out)  # type: ignore[return-value]


def candidates(palette: list[RGB], product_edge: RGB | None = None) -> list[tuple[str, RGB, RGB]]:
    """Backdrop colour pairs to try: the person's (or brand's) palette first, then light tints and deep shades of
    its coloured entries (the ones furthest from the product's colour first, so an orange shoe gets the brand's
    teal, not a paler orange), then neutral paper and ink. A palette's white or ink never becomes a grey backdrop:
    neutrals are not tinted."""
    p0, p1 = palette[0], palette[1 % len(palette)]
    coloured = [c for c in dict.fromkeys(tuple(c) for c in palette) if chroma(c) >= 8.0]
    if product_edge is not None:
        coloured.sort(key=lambda c: -delta_e(c, product_edge))
    out = [("palette", p0, p1)] if chroma(p0) >= 8.0 and chroma(p1) >= 8.0 else []  # white-to-ink is a grey
    out += [("light", tone(c, 93.0), tone(c, 83.0)) for c in coloured]
    out += [("deep", tone(c, 18.0), tone(c, 28.0)) for c in coloured]
    out += [("paper", (242, 239, 232), (226, 222, 214)), ("ink", (24, 24, 28), (44, 44, 52))]
    return out


def pick(palette: list[RGB], product_edge: RGB | None) -> tuple[str, RGB, RGB]:
    """The first candidate whose colours both differ enough from the product's edge colour."""
    options = candidates(palette, product_edge)
    if product_edge is None:
        return options[0]  # the palette pair, else the first coloured tint, else paper
    for name, a, b in options:
        if min(delta_e(a, product_edge), delta_e(b, product_edge), delta_e(mix(a, b, 0.5), product_edge)) \
                >= MIN_SEPARATION * 1.25:
            return name, a, b
    return max(options, key=lambda o: delta_e(mix(o[1], o[2], 0.5), product_edge))


def backdrop(w: int, h: int, c0: RGB, c1: RGB, light_xy: tuple[float, float], motif: str | None,
             seed: int) -> np.ndarray:
    """A w x h RGB backdrop (see the module docstring); a fresh copy the caller may draw on."""
    return _backdrop(w, h, tuple(c0), tuple(c1), tuple(light_xy), motif, seed).copy()


@lru_cache(maxsize=8)
def _backdrop(w: int, h: int, c0: RGB, c1: RGB, light_xy: tuple[float, float], motif: str | None,
              seed: int) -> np.ndarray:
    """Drawn once per process for the same arguments (a re-render of a scene reuses it)."""
    rng = np.random.default_rng(seed)
    sw, sh = max(8, w // 4), max(8, h // 4)  # smooth parts at quarter size, then upscaled
    ys, xs = np.mgrid[0:sh, 0:sw].astype(np.float32)
    t = np.clip(0.65 * ys / sh + 0.35 * xs / sw, 0, 1)[..., None]
    img = np.array(c0, np.float32) * (1 - t) + np.array(c1, np.float32) * t
    short = min(sw, sh)
    lx, ly = light_xy[0] * sw, light_xy[1] * sh
    r2 = ((xs - lx) ** 2 + (ys - ly) ** 2) / (0.55 * max(sw, sh)) ** 2
    glow = np.exp(-r2 * 1.6)[..., None]
    img = img + (255 - img) * 0.16 * glow
    vig = (((xs / sw - 0.5) ** 2 + (ys / sh - 0.5) ** 2) * 2.0)[..., None]
    img = img * (1 - 0.22 * np.clip(vig, 0, 1))
    paper = cv2.GaussianBlur(rng.normal(0, 1, (sh, sw)).astype(np.float32), (0, 0), short * 0.02 + 0.5)
    img += (paper / (paper.std() + 1e-6) * 2.5)[..., None]
    out = cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)
    if motif:
        _pattern(out, motif, rng)
    grain = rng.standard_normal((h, w, 1), dtype=np.float32)  # film grain (same on all channels)
    grain *= 1.6
    out += grain
    return np.clip(out, 0, 255, out=out).astype(np.uint8)


def _pattern(img: np.ndarray, motif: str, rng: np.random.Generator) -> None:
    """A loose grid of the theme's motif, slightly rotated, a few percent lighter or darker than the backdrop."""
    h, w = img.shape[:2]
    short = min(w, h)
    size = max(16, int(short * 0.13))
    step = int(size * 2.1)
    mean = float(img.mean())
    sign = -1.0 if mean > 150 else 1.0
    base = motif_mask(motif, size, weight=12.0)
    rots = []
    for angle in (-14.0, 9.0):
        m = cv2.getRotationMatrix2D((size / 2, size / 2), angle, 1.0)
        rots.append(cv2.warpAffine(base, m, (size, size), flags=cv2.INTER_LINEAR))
    for row, y in enumerate(range(-size // 2, h, step)):
        for col, x in enumerate(range(-size // 2 + (step // 2 if row % 2 else 0), w, step)):
            x0, y0 = max(0, x), max(0, y)
            x1, y1 = min(w, x + size), min(h, y + size)
            if x0 >= x1 or y0 >= y1:
                continue
            mask = rots[(row + col) % 2][y0 - y:y1 - y, x0 - x:x1 - x]
            img[y0:y1, x0:x1] += (sign * 16.0 * mask)[..., None]


def edge_colours(alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks (inner edge band of the product, band just outside it) from an alpha channel."""
    solid = (alpha > 128).astype(np.uint8)
    short = max(1, min(alpha.shape[:2]))
    k = max(3, int(short * 0.025) | 1)
    kernel = np.ones((k, k), np.uint8)
    inner = solid.astype(bool) & ~cv2.erode(solid, kernel).astype(bool)
    outer = cv2.dilate(solid, kernel, iterations=2).astype(bool) & ~cv2.dilate(solid, kernel).astype(bool)
    return inner, outer


def separation(frame: np.ndarray, inner: np.ndarray, outer: np.ndarray) -> float:
    """CIE76 difference between the median colour just inside the product's edge and just outside it."""
    if not inner.any() or not outer.any():
        return 0.0
    a = np.median(frame[inner], axis=0)
    b = np.median(frame[outer], axis=0)
    return delta_e(a, b)


def part_separation(frame: np.ndarray, solid: np.ndarray, valid: np.ndarray | None = None
                    ) -> tuple[float, list[np.ndarray]]:
    """The worst separation over the product's sizeable parts (a printed wordmark beside a shoe is judged on its
    own), and each part's edge colour."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid.astype(np.uint8), connectivity=8)
    total = max(1, int(stats[1:, cv2.CC_STAT_AREA].sum())) if n > 1 else 1
    worst, edges = float("inf"), []
    for k in range(1, n):
        if stats[k, cv2.CC_STAT_AREA] < 0.02 * total:
            continue
        inner, outer = edge_colours((labels == k).astype(np.uint8) * 255)
        outer &= ~solid.astype(bool)
        if valid is not None:
            outer &= valid
        if inner.any():
            edges.append(np.median(frame[inner], axis=0))
        worst = min(worst, separation(frame, inner, outer))
    return (0.0 if worst == float("inf") else worst), edges


__all__ = ["part_separation", "MIN_SEPARATION", "backdrop", "candidates", "chroma", "delta_e", "tone", "edge_colours", "lab", "mix", "pick",
           "separation"]
