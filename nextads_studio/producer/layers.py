"""Per-scene layers built once: palette backdrops, product cut-outs with soft shadows, user photos, logos."""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageOps

from ..errors import InputError


def hex_rgb(value: str) -> tuple[int, int, int]:
    """'#1A2B3C' -> (26, 43, 60)."""
    v = value.lstrip("#")
    return int(v[0:2], 16), int(v[2:4], 16), int(v[4:6], 16)


@lru_cache(maxsize=32)
def load_rgba(path: str, max_side: int = 1600) -> np.ndarray:
    """An image file as RGBA uint8, EXIF-rotated, at most max_side pixels on its long side."""
    try:
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            im.thumbnail((max_side, max_side), Image.LANCZOS)
            arr = np.asarray(im.convert("RGBA"), dtype=np.uint8).copy()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: image file not found (bound in the plan's grounding)") from exc
    except OSError as exc:
        raise InputError(f"{path}: not a readable image ({exc})") from exc
    arr.setflags(write=False)
    return arr


def cover(img: np.ndarray, w: int, h: int) -> np.ndarray:
    """Resize and centre-crop so the image fills w x h."""
    ih, iw = img.shape[:2]
    s = max(w / iw, h / ih)
    nw, nh = max(w, int(round(iw * s))), max(h, int(round(ih * s)))
    res = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    x0, y0 = (nw - w) // 2, (nh - h) // 2
    return np.ascontiguousarray(res[y0:y0 + h, x0:x0 + w])


def gradient(w: int, h: int, c0: tuple[int, int, int], c1: tuple[int, int, int], angle: float = 0.6) -> np.ndarray:
    """A diagonal two-colour gradient (RGB)."""
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs / max(1, w) * np.cos(angle) + ys / max(1, h) * np.sin(angle))
    t = (t - t.min()) / max(1e-6, float(t.max() - t.min()))
    a = np.array(c0, np.float32)
    b = np.array(c1, np.float32)
    return (a + (b - a) * t[..., None]).astype(np.uint8)


def backdrop(w: int, h: int, palette: list[tuple[int, int, int]], seed: int) -> np.ndarray:
    """Palette gradient with soft blurred shapes: the motion-graphics backdrop of a scene."""
    # Everything here is smooth, so it is drawn at quarter size and upscaled (16x fewer pixels to blur).
    small = _backdrop(max(8, w // 4), max(8, h // 4), palette, seed)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _backdrop(w: int, h: int, palette: list[tuple[int, int, int]], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c0, c1 = palette[0], palette[1 % len(palette)]
    img = gradient(w, h, c0, c1, angle=float(rng.uniform(0.3, 1.3))).astype(np.float32)
    shapes = np.zeros((h, w, 3), np.float32)
    weight = np.zeros((h, w), np.float32)
    short = min(w, h)
    for k in range(5):
        color = np.array(palette[(k + 2) % len(palette)], np.float32)
        mask = np.zeros((h, w), np.float32)
        cx, cy = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        r = int(short * rng.uniform(0.18, 0.45))
        cv2.circle(mask, (cx, cy), r, 1.0, -1, lineType=cv2.LINE_AA)
        shapes += mask[..., None] * color
        weight += mask
    sigma = short * 0.06
    shapes = cv2.GaussianBlur(shapes, (0, 0), sigma)
    weight = cv2.GaussianBlur(weight, (0, 0), sigma)
    alpha = np.clip(weight, 0, 1)[..., None] * 0.45
    mixed = np.where(weight[..., None] > 1e-3, shapes / np.maximum(weight[..., None], 1e-3), img)
    out = img * (1 - alpha) + mixed * alpha
    return np.clip(out, 0, 255).astype(np.uint8)


def tint(img: np.ndarray, color: tuple[int, int, int], amount: float) -> np.ndarray:
    """Blend a photo toward a palette colour (keeps user photos on-palette and captions readable)."""
    out = img[..., :3].astype(np.float32) * (1 - amount) + np.array(color, np.float32) * amount
    return out.astype(np.uint8)


def cutout(rgba: np.ndarray, step: int = 3) -> np.ndarray:
    """Remove a clean backdrop (flat or a smooth gradient, soft shadows and glows included): a flood fill from
    the border with a floating tolerance follows smooth colour changes and stops at the product's edges.
    Images that already have transparency, or no clean backdrop, are returned as they are."""
    if rgba[..., 3].min() < 250:
        return rgba
    rgb = cv2.GaussianBlur(np.ascontiguousarray(rgba[..., :3]), (5, 5), 0)  # JPEG noise would stop the fill
    h, w = rgb.shape[:2]
    mask = np.zeros((h + 2, w + 2), np.uint8)
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    border = [(x, 0) for x in range(0, w, 6)] + [(x, h - 1) for x in range(0, w, 6)]
    border += [(0, y) for y in range(0, h, 6)] + [(w - 1, y) for y in range(0, h, 6)]
    for x, y in border:
        if mask[y + 1, x + 1] == 0:
            cv2.floodFill(rgb, mask, (x, y), (0, 0, 0), (step,) * 3, (step,) * 3, flags)
    # A fill can creep through anti-aliased seams into light product areas; only pixels that also match a
    # smooth model of the backdrop (a quadratic surface fitted to the border) and still touch the border count.
    background = (mask[1:-1, 1:-1] > 0) & (_backdrop_distance(rgb) <= 22)
    n, labels = cv2.connectedComponents(background.astype(np.uint8), connectivity=4)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    background = np.isin(labels, edge[edge > 0])
    fg_share = 1.0 - background.mean()
    if fg_share > 0.97 or fg_share < 0.02:  # a photo, not a product shot: keep it whole
        return rgba
    alpha = (~background).astype(np.uint8) * 255
    alpha = cv2.morphologyEx(alpha, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(alpha, connectivity=8)
    if n > 2:  # keep the product, drop specks the fill missed
        keep = 1 + np.flatnonzero(stats[1:, cv2.CC_STAT_AREA] >= 0.02 * stats[1:, cv2.CC_STAT_AREA].max())
        alpha = np.where(np.isin(labels, keep), 255, 0).astype(np.uint8)
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.0)  # feather the edge by about a pixel
    out = rgba.copy()
    out[..., 3] = alpha
    ys, xs = np.nonzero(alpha > 8)
    return np.ascontiguousarray(out[ys.min():ys.max() + 1, xs.min():xs.max() + 1])


@lru_cache(maxsize=32)
def cutout_file(path: str) -> np.ndarray:
    """cutout() of an image file, computed once per process."""
    out = cutout(load_rgba(path))
    out.setflags(write=False)
    return out


def _backdrop_distance(rgb: np.ndarray) -> np.ndarray:
    """Per-pixel max channel distance from a quadratic colour surface fitted to the image border."""
    h, w = rgb.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w]
    edge = np.zeros((h, w), bool)
    edge[:3], edge[-3:], edge[:, :3], edge[:, -3:] = True, True, True, True
    def basis(x, y):
        x, y = x / w - 0.5, y / h - 0.5
        return np.stack([np.ones_like(x), x, y, x * x, y * y, x * y], axis=-1)
    coef, *_ = np.linalg.lstsq(basis(xs[edge], ys[edge]), rgb[edge].astype(np.float64), rcond=None)
    model = basis(xs.astype(np.float64), ys.astype(np.float64)) @ coef
    return np.abs(rgb.astype(np.float64) - model).max(axis=2)


def rounded_card(rgba: np.ndarray, radius: int) -> np.ndarray:
    """Round the corners of an opaque image."""
    h, w = rgba.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    r = max(1, min(radius, h // 2, w // 2))
    cv2.rectangle(mask, (r, 0), (w - r - 1, h - 1), 255, -1)
    cv2.rectangle(mask, (0, r), (w - 1, h - r - 1), 255, -1)
    for cx, cy in ((r, r), (w - r - 1, r), (r, h - r - 1), (w - r - 1, h - r - 1)):
        cv2.circle(mask, (cx, cy), r, 255, -1, lineType=cv2.LINE_AA)
    out = rgba.copy()
    out[..., 3] = np.minimum(out[..., 3], mask)
    return out


def fit(rgba: np.ndarray, max_w: int, max_h: int) -> np.ndarray:
    """Scale to fit inside max_w x max_h."""
    h, w = rgba.shape[:2]
    s = min(max_w / w, max_h / h)
    size = (max(1, int(w * s)), max(1, int(h * s)))
    return cv2.resize(rgba, size, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_CUBIC)


def with_shadow(rgba: np.ndarray, blur: float, offset: tuple[int, int], opacity: float = 0.45) -> np.ndarray:
    """Pad an RGBA sprite and put a soft drop shadow under it."""
    h, w = rgba.shape[:2]
    pad = int(blur * 3 + max(abs(offset[0]), abs(offset[1])))
    out_h, out_w = h + 2 * pad, w + 2 * pad
    shadow = np.zeros((out_h, out_w), np.float32)
    shadow[pad + offset[1]:pad + offset[1] + h, pad + offset[0]:pad + offset[0] + w] = rgba[..., 3] / 255.0
    shadow = cv2.GaussianBlur(shadow, (0, 0), blur) * opacity
    fg_a = np.zeros((out_h, out_w), np.float32)
    fg_a[pad:pad + h, pad:pad + w] = rgba[..., 3] / 255.0
    fg = np.zeros((out_h, out_w, 3), np.float32)
    fg[pad:pad + h, pad:pad + w] = rgba[..., :3]
    alpha = fg_a + shadow * (1 - fg_a)
    rgb = fg * fg_a[..., None] / np.maximum(alpha[..., None], 1e-4)  # shadow colour is black
    return np.dstack([np.clip(rgb, 0, 255), np.clip(alpha * 255, 0, 255)]).astype(np.uint8)


class Sprite:
    """An RGBA overlay with its premultiplied colour and inverse alpha precomputed, so blending it at full
    opacity is two saturating OpenCV ops (about 10x faster than per-frame numpy arithmetic)."""

    def __init__(self, rgba: np.ndarray):
        self.rgba = np.ascontiguousarray(rgba)
        a3 = np.repeat(self.rgba[..., 3:4], 3, axis=2)
        self.pre = cv2.multiply(np.ascontiguousarray(self.rgba[..., :3]), a3, scale=1 / 255)
        self.inv = 255 - a3
        self.shape = self.rgba.shape

    def draw(self, dst: np.ndarray, x: int, y: int, opacity: float = 1.0) -> None:
        """Composite onto an RGB frame in place, clipped to the frame."""
        if opacity < 0.999:
            blend(dst, self.rgba, x, y, opacity)
            return
        h, w = dst.shape[:2]
        sh, sw = self.shape[:2]
        x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + sw), min(h, y + sh)
        if x0 >= x1 or y0 >= y1:
            return
        sl = (slice(y0 - y, y1 - y), slice(x0 - x, x1 - x))
        roi = dst[y0:y1, x0:x1]
        kept = cv2.multiply(roi, self.inv[sl], scale=1 / 255)
        cv2.add(kept, self.pre[sl], dst=roi)


def blend(dst: np.ndarray, rgba: np.ndarray, x: int, y: int, opacity: float = 1.0) -> None:
    """Alpha-composite an RGBA sprite onto an RGB frame in place, clipped to the frame."""
    h, w = dst.shape[:2]
    sh, sw = rgba.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + sw), min(h, y + sh)
    if x0 >= x1 or y0 >= y1 or opacity <= 0:
        return
    src = rgba[y0 - y:y1 - y, x0 - x:x1 - x]
    a = src[..., 3:4].astype(np.uint16)
    if opacity < 1.0:
        a = (a * int(opacity * 256)) >> 8
    roi = dst[y0:y1, x0:x1]
    roi[:] = ((src[..., :3] * a + roi * (255 - a) + 127) // 255).astype(np.uint8)
