"""Host-video segments (PCI): the segment is one continuous shot of the host's start frame with the product
composited into it (placed on the calmest free area, graded to the frame's light and colour, with a contact
shadow, sized from the frame), a slow push toward it, a short line of text, and a return to the exact start
frame in the last second. No dip to black, no CTA card, no button, no end card."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from . import backdrops as B
from . import kinetic as K
from . import layers as L
from .frames import FPS, SceneSpec, ease
from .layouts import Box, frame_class, text_safe_area
from .text import contrast

RETURN = 1.0  # seconds at the end spent returning to the start frame
PUSH = 0.10  # how far the camera pushes in toward the product


def host_frame_size(width: int, height: int) -> tuple[int, int]:
    """The segment's size: the host's, made even (yuv420p); an odd host is padded by a pixel when spliced."""
    return width + width % 2, height + height % 2


@lru_cache(maxsize=8)
def _start_frame(path: str, w: int, h: int) -> np.ndarray:
    img = L.load_rgba(path, max_side=4096)[..., :3]
    out = L.cover(np.ascontiguousarray(img), w, h)
    out.setflags(write=False)
    return out


def free_spot(frame: np.ndarray, box_w: int, box_h: int) -> tuple[int, int]:
    """Top-left of the box_w x box_h area with the least detail (edges) among places where the box stands in
    the lower part of the frame (a product rests on a surface), preferring the sides (the subject is usually
    in the middle) and never under the top-left AI label."""
    h, w = frame.shape[:2]
    small_w = 96
    s = small_w / w
    grey = cv2.cvtColor(cv2.resize(frame, (small_w, max(8, int(h * s)))), cv2.COLOR_RGB2GRAY).astype(np.float32)
    detail = np.abs(cv2.Sobel(grey, cv2.CV_32F, 1, 0)) + np.abs(cv2.Sobel(grey, cv2.CV_32F, 0, 1))
    integral = cv2.integral(detail)
    bw, bh = max(2, int(box_w * s)), max(2, int(box_h * s))
    sh, sw = detail.shape
    best, best_xy = None, (0, 0)
    y_lo = max(0, min(sh - bh, int(sh * 0.70) - bh))
    y_hi = max(y_lo + 1, sh - bh - int(sh * 0.04))
    for y in range(y_lo, y_hi, 2):
        for x in range(int(sw * 0.03), max(int(sw * 0.03) + 1, sw - bw - int(sw * 0.03)), 2):
            total = integral[y + bh, x + bw] - integral[y, x + bw] - integral[y + bh, x] + integral[y, x]
            mean = total / (bw * bh)
            cx = (x + bw / 2) / sw
            cost = (mean + 2.0) * (1.0 + 0.6 * (1 - abs(cx - 0.5) * 2))
            if best is None or cost < best:
                best, best_xy = cost, (x, y)
    return int(best_xy[0] / s), int(best_xy[1] / s)


def grade_to(rgba: np.ndarray, frame_region: np.ndarray, amount: float = 0.35) -> np.ndarray:
    """Move the product's light level and colour cast part of the way toward the area it is placed in."""
    solid = rgba[..., 3] > 128
    if not solid.any():
        return rgba
    prod = B.lab(rgba[..., :3])
    host = B.lab(frame_region.reshape(-1, 3)).reshape(-1, 3)
    shift = np.zeros(3, np.float32)
    shift[0] = (float(np.median(host[:, 0])) - float(np.median(prod[..., 0][solid]))) * amount * 0.6
    shift[1:] = (np.median(host[:, 1:], axis=0) - np.median(prod[..., 1:][solid], axis=0)) * amount * 0.5
    out_lab = (prod + shift).astype(np.float32)
    rgb = cv2.cvtColor(out_lab, cv2.COLOR_Lab2RGB)
    out = rgba.copy()
    out[..., :3] = np.clip(rgb * 255, 0, 255).astype(np.uint8)
    return out


class PciRenderer:
    """Renders one scene of a PCI segment; the shot runs on the segment's clock (spec.clock: where this scene
    starts in the segment and how long the segment is), so consecutive scenes continue one shot."""

    def __init__(self, spec: SceneSpec, cutouts: str | None = None):
        self.spec = spec
        self.cutouts = cutouts  # folder of cached product mattes
        self.w, self.h, self.short = spec.width, spec.height, min(spec.width, spec.height)
        self.t0, self.total = spec.clock
        self.base = _start_frame(spec.host_frame, self.w, self.h)
        self.composite = self.base.copy()
        self.focus = (self.w / 2, self.h / 2)
        self.product_box: tuple[int, int, int, int] | None = None
        self.report: dict[str, float | str | bool] = {"layout": "pci"}
        if spec.product_image:
            self._composite_product()
        self.block: K.TextBlock | None = None
        self.per_word = 0.25
        self._build_text()

    def _composite_product(self) -> None:
        cut = L.cutout_file(self.spec.product_image, self.cutouts)
        tall = frame_class(self.w, self.h) == "tall"
        box_w, box_h = int(self.w * (0.56 if tall else 0.34)), int(self.h * (0.32 if tall else 0.52))
        rgba = L.fit(cut, box_w, box_h)
        x, y = free_spot(np.asarray(self.base), rgba.shape[1], rgba.shape[0])
        region = self.base[y:y + rgba.shape[0], x:x + rgba.shape[1]]
        rgba = grade_to(rgba, region)
        sprite, (ox, oy) = L.with_contact_shadow(rgba, self.short)
        L.blend(self.composite, sprite, x - ox, y - oy)
        self.focus = (x + rgba.shape[1] / 2, y + rgba.shape[0] / 2)
        pad = int(self.short * 0.04)
        self.product_box = (x - pad, y - pad, x + rgba.shape[1] + pad, y + rgba.shape[0] + pad)
        inner, outer = B.edge_colours(np.pad(rgba[..., 3], 8))
        patch = np.zeros((rgba.shape[0] + 16, rgba.shape[1] + 16, 3), np.uint8)
        ys, xs = slice(max(0, y - 8), y + rgba.shape[0] + 8), slice(max(0, x - 8), x + rgba.shape[1] + 8)
        src = self.composite[ys, xs]
        patch[:src.shape[0], :src.shape[1]] = src
        self.report["separation"] = round(B.separation(patch, inner, outer), 1)
        self.report["product_box"] = f"{x},{y},{rgba.shape[1]},{rgba.shape[0]}"

    def _text_box(self) -> Box:
        """Inside the safe area, clear of the product: the half beside it, else the band above it."""
        safe = text_safe_area(self.w, self.h)
        top = 0.62 if frame_class(self.w, self.h) == "tall" else 0.66
        band = Box(safe.x0, max(safe.y0, int(self.h * top)), safe.x1, safe.y1)
        if self.product_box is None:
            return band
        px0, py0, px1, py1 = self.product_box
        if frame_class(self.w, self.h) != "tall":
            left_free = px0 - safe.x0 > safe.x1 - px1
            side = Box(safe.x0, band.y0, min(px0, self.w // 2) - 8, safe.y1) if left_free else \
                Box(max(px1, self.w // 2) + 8, band.y0, safe.x1, safe.y1)
            if side.w >= 0.3 * safe.w:
                return side
        return Box(safe.x0, safe.y0 + int(self.h * 0.04), safe.x1, min(py0 - 8, int(self.h * 0.40)))

    def _build_text(self) -> None:
        text = self.spec.text.strip()
        if not text:
            return
        box = self._text_box()
        samples = [self._at(t) for t in (self.t0, self.t0 + self.spec.n_frames / FPS / 2)]
        lum = np.concatenate([K.luminance_map(f[box.y0:box.y1, box.x0:box.x1].reshape(-1, 3)) for f in samples])
        pal = [L.hex_rgb(c) for c in self.spec.palette]
        style = K.choose_style(lum, pal[2 % len(pal)], (16, 16, 20), (248, 248, 246))
        self.block = K.build_block(text, box, int(self.short * 0.06), style,
                                   K.key_word(text, self.spec.accent_words), "center")
        self.per_word = min(0.3, max(0.08, self.spec.n_frames / FPS * 0.45 / max(1, len(self.block.words))))
        self.report["text_contrast"] = round(K.worst_contrast(style.fg, lum) if style.plate is None
                                             else contrast(style.fg, style.plate), 2)

    # --- the shot -------------------------------------------------------------------------------
    def _product_alpha(self, t: float) -> float:
        if t >= self.total - RETURN:
            return 1.0 - ease((t - (self.total - RETURN)) / (RETURN - 0.15))
        return ease((t - 0.1) / 0.5)

    def _zoom(self, t: float) -> float:
        end_push = self.total - RETURN - 0.4
        if t < end_push:
            return 1.0 + PUSH * ease((t - 0.4) / max(0.5, end_push - 0.4))
        return 1.0 + PUSH * (1.0 - ease((t - end_push) / 0.4))

    def _at(self, t: float) -> np.ndarray:
        """The shot at segment time t, without text."""
        a = self._product_alpha(t)
        if a <= 0.001:
            img = self.base
        elif a >= 0.999:
            img = self.composite
        else:
            img = cv2.addWeighted(self.composite, a, self.base, 1 - a, 0.0)
        z = self._zoom(t)
        if z <= 1.0005:
            return np.array(img)
        fx, fy = self.focus
        cx = self.w / 2 + (fx - self.w / 2) * (1 - 1 / z) * 0.9 / (1 - 1 / (1 + PUSH))
        cy = self.h / 2 + (fy - self.h / 2) * (1 - 1 / z) * 0.9 / (1 - 1 / (1 + PUSH))
        m = np.float32([[z, 0, (1 - z) * cx], [0, z, (1 - z) * cy]])
        return cv2.warpAffine(img, m, (self.w, self.h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)

    def frame(self, i: int) -> np.ndarray:
        """Frame i of this scene."""
        t_local = i / FPS
        t = self.t0 + t_local
        out = self._at(t)
        if self.block is not None:
            n = self.spec.n_frames / FPS
            fade = min(1.0, max(0.0, (n - t_local) / 0.2), max(0.0, (self.total - RETURN - t) / 0.25))
            self.block.draw(out, (t_local - 0.2) / self.per_word, fade)
        return out

    def text_mask(self, i: int) -> np.ndarray:
        mask = np.zeros((self.h, self.w), bool)
        if self.block is not None and (i / FPS - 0.2) > 0:
            b = self.block.box
            a = self.block.glyphs[..., 3] > 0 if self.block.plate is None else self.block.plate[..., 3] > 0
            mask[b.y0:b.y1, b.x0:b.x1] |= a[:max(0, min(self.h, b.y1) - b.y0), :max(0, min(self.w, b.x1) - b.x0)]
        return mask


def start_frame_file(host: Path, timestamp: int, out_dir: Path) -> Path:
    """The last host frame shown before the integration point (frame round(t * fps) - 1), as a PNG, cached by
    the host file's identity and the point."""
    from PIL import Image

    from ..media_io import probe, read_frames

    st = host.stat()
    key = hashlib.sha256(f"{host.resolve()}|{st.st_mtime_ns}|{st.st_size}|{timestamp}".encode()).hexdigest()[:20]
    out = out_dir / f"start-{key}.png"
    if out.is_file():
        return out
    info = probe(host)
    rate = info.fps or 30.0
    cut = int(round(timestamp * rate))
    frames = list(read_frames(host, start=max(0.0, (cut - 1) / rate - 0.25), end=cut / rate - 0.5 / rate))
    if not frames:
        frames = list(read_frames(host, end=cut / rate))
    out_dir.mkdir(parents=True, exist_ok=True)
    Image.fromarray(frames[-1]).save(out)
    return out


__all__ = ["PciRenderer", "free_spot", "grade_to", "host_frame_size", "start_frame_file"]
