"""Frame synthesis: each scene's layers are built once, then every frame is one affine warp (camera motion)
plus small alpha blends (product in parallax, captions, CTA) and, at scene starts, a transition."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from . import layers as L
from .text import button_layer, caption_layer, darken

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
    kind: str = "body"  # "hook", "body" or "end"
    product_image: str | None = None
    user_images: tuple[str, ...] = ()
    logo: str | None = None
    brand: str = ""
    slogan: str = ""
    cta: str = ""
    palette: tuple[str, ...] = ("#1F2937", "#374151", "#F59E0B", "#F9FAFB")
    caption_style: str = "bar"
    entrance: str = "rise"
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


def _caption_zone(w: int, h: int) -> tuple[int, int]:
    """(top y, width) of the caption block: the lower safe zone, clear of a feed's bottom UI."""
    if h > w * 1.3:
        return int(h * 0.64), int(w * 0.86)
    if w > h * 1.3:
        return int(h * 0.70), int(w * 0.70)
    return int(h * 0.68), int(w * 0.84)


def _product_box(w: int, h: int, kind: str) -> tuple[int, int, int, int]:
    """(centre x, centre y, max w, max h) for the product sprite."""
    if kind == "end":
        return w // 2, int(h * 0.30), int(w * 0.42), int(h * 0.24)
    if h > w * 1.3:
        return w // 2, int(h * 0.39), int(w * 0.80), int(h * 0.40)
    if w > h * 1.3:
        return w // 2, int(h * 0.40), int(w * 0.42), int(h * 0.56)
    return w // 2, int(h * 0.40), int(w * 0.62), int(h * 0.48)


class SceneRenderer:
    """Renders one scene's frames from layers built once in __init__."""

    def __init__(self, spec: SceneSpec):
        self.spec = spec
        w, h = spec.width, spec.height
        self.pal = [L.hex_rgb(c) for c in spec.palette] or [(30, 30, 30), (60, 60, 60)]
        self.cw, self.ch = int(round(w * OVERSCAN)), int(round(h * OVERSCAN))
        self.canvas = self._build_canvas()
        self.sprite: np.ndarray | None = None
        self.sprite_xy = (0, 0)
        self._build_product()
        self._prepare_camera()
        self.caption = self._build_caption()
        self.button = self._build_button()
        self.logo = self._build_logo()
        self._sprites = {id(a): L.Sprite(a) for a in (self.sprite, self.caption, self.button, self.logo)
                         if a is not None}

    def _blend(self, out: np.ndarray, rgba: np.ndarray, x: int, y: int, opacity: float = 1.0) -> None:
        """Blend a layer: the precomputed fast path for the scene's own layers, plain blending otherwise."""
        sprite = self._sprites.get(id(rgba))
        if sprite is not None:
            sprite.draw(out, x, y, opacity)
        else:
            L.blend(out, rgba, x, y, opacity)

    # --- layers --------------------------------------------------------------------------------
    def _scale(self) -> float:
        """Canvas pixels per frame pixel."""
        return self.cw / self.spec.width

    def _build_canvas(self) -> np.ndarray:
        s = self.spec
        if s.user_images and s.kind != "end":
            photo = L.load_rgba(s.user_images[0])
            bg = L.cover(photo[..., :3], self.cw, self.ch)
            bg = L.tint(bg, darken(self.pal[0], 0.08), 0.38 if s.product_image else 0.22)
            if len(s.user_images) > 1 and not s.product_image:
                self._inset(bg, s.user_images[1])
            return bg
        return L.backdrop(self.cw, self.ch, self.pal, s.seed * 1000 + s.index)

    def _inset(self, bg: np.ndarray, path: str) -> None:
        """A second user photo as a tilted rounded card: the collage look."""
        card = L.fit(L.load_rgba(path), int(self.cw * 0.5), int(self.ch * 0.34))
        card = L.rounded_card(card.copy(), int(min(card.shape[:2]) * 0.06))
        card = L.with_shadow(card, blur=self.cw * 0.012, offset=(0, int(self.cw * 0.01)))
        angle = -5.0 if self.spec.index % 2 else 5.0
        hh, ww = card.shape[:2]
        m = cv2.getRotationMatrix2D((ww / 2, hh / 2), angle, 1.0)
        card = cv2.warpAffine(card, m, (ww, hh), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
        L.blend(bg, card, int(self.cw * 0.46), int(self.ch * 0.08))

    def _product_sprite(self, max_w: int, max_h: int) -> np.ndarray:
        rgba = L.cutout_file(self.spec.product_image)
        if rgba.shape[:2] == L.load_rgba(self.spec.product_image).shape[:2] and rgba[..., 3].min() > 250:
            rgba = L.rounded_card(L.fit(rgba, max_w, max_h).copy(), int(min(max_w, max_h) * 0.05))
        else:
            rgba = L.fit(rgba, max_w, max_h)
        short = min(self.spec.width, self.spec.height)
        return L.with_shadow(rgba, blur=short * 0.025, offset=(0, int(short * 0.02)))

    def _build_product(self) -> None:
        s = self.spec
        if not s.product_image:
            return
        cx, cy, mw, mh = _product_box(s.width, s.height, s.kind)
        if s.camera_motion == "parallax" or s.kind == "end":
            # Its own layer: it moves against the backdrop (parallax) or stays put on the end card.
            self.sprite = self._product_sprite(mw, mh)
            sh, sw = self.sprite.shape[:2]
            self.sprite_xy = (cx - sw // 2, cy - sh // 2)
            return
        k = self._scale()
        sprite = self._product_sprite(int(mw * k), int(mh * k))
        sh, sw = sprite.shape[:2]
        ccx = self.cw / 2 + (cx - s.width / 2) * k
        ccy = self.ch / 2 + (cy - s.height / 2) * k
        L.blend(self.canvas, sprite, int(ccx - sw / 2), int(ccy - sh / 2))

    def _build_caption(self) -> np.ndarray | None:
        s = self.spec
        text = s.text.strip()
        if s.kind == "end":
            text = text or s.slogan
        if not text:
            return None
        short = min(s.width, s.height)
        size = int(short * (0.068 if s.kind == "hook" else 0.056) * (1.15 if s.width > s.height else 1.0))
        _, width = _caption_zone(s.width, s.height)
        style = "title" if s.kind == "end" else s.caption_style
        bar = darken(self.pal[0], 0.05)
        accent = self.pal[2 % len(self.pal)]
        return caption_layer(text, width, size, bar, accent, style=style, behind=self._behind(0.5))

    def _build_button(self) -> np.ndarray | None:
        s = self.spec
        if s.kind != "end" or not s.cta:
            return None
        short = min(s.width, s.height)
        accent = self.pal[2 % len(self.pal)]
        return button_layer(s.cta, int(short * 0.05), accent, int(s.width * 0.8))

    def _build_logo(self) -> np.ndarray | None:
        s = self.spec
        if s.kind != "end":
            return None
        if s.logo:
            return L.fit(L.load_rgba(s.logo), int(s.width * 0.34), int(s.height * 0.08))
        if not s.brand:
            return None
        short = min(s.width, s.height)
        return caption_layer(s.brand, int(s.width * 0.8), int(short * 0.07), (0, 0, 0), (0, 0, 0), style="title",
                             max_lines=1, behind=self._behind(0.1))

    def _behind(self, y_frac: float) -> tuple[int, int, int]:
        """Mean backdrop colour in a band around height y_frac (to pick title text that reads on it)."""
        y = int(self.ch * y_frac)
        band = self.canvas[max(0, y - self.ch // 10):y + self.ch // 10]
        return tuple(int(v) for v in band.reshape(-1, 3).mean(axis=0))  # type: ignore[return-value]

    # --- frames --------------------------------------------------------------------------------
    def frame(self, i: int) -> np.ndarray:
        """Frame i of the scene (i may run past the end during the next scene's transition)."""
        s = self.spec
        t = i / FPS
        p = i / max(1, s.n_frames - 1)
        zoom, ox, oy = _motion(s.camera_motion, p)
        out = self._warp(zoom, ox, oy)
        if self.sprite is not None:
            self._draw_sprite(out, p, t)
        if s.kind == "end":
            self._draw_end(out, t)
        elif self.caption is not None:
            self._draw_caption(out, t)
        return out

    def _prepare_camera(self) -> None:
        """Pans, tilts and parallax keep one zoom: scale the canvas once, then every frame is a sub-pixel
        slice. Zooms crop a centred window and resize it (cheaper than a general affine warp)."""
        self.scaled = None
        zoom, _, _ = _motion(self.spec.camera_motion, 0.0)
        zoom_end, _, _ = _motion(self.spec.camera_motion, 1.0)
        if abs(zoom - zoom_end) < 1e-9:
            a = zoom / OVERSCAN
            size = (int(round(self.cw * a)), int(round(self.ch * a)))
            self.scaled = cv2.resize(self.canvas, size, interpolation=cv2.INTER_AREA)

    def _warp(self, zoom: float, ox: float, oy: float) -> np.ndarray:
        s = self.spec
        w, h = s.width, s.height
        if self.scaled is not None:
            sh, sw = self.scaled.shape[:2]
            fx = (sw - w) / 2 * (1 - ox)
            fy = (sh - h) / 2 * (1 - oy)
            return _subpixel_slice(self.scaled, fx, fy, w, h)
        a = zoom / OVERSCAN
        # Even crop sizes on an even canvas keep the zoom centre exact (no sub-pixel wobble).
        cw = min(self.cw, int(round(w / a / 2)) * 2)
        ch = min(self.ch, int(round(h / a / 2)) * 2)
        x0, y0 = (self.cw - cw) // 2, (self.ch - ch) // 2
        crop = self.canvas[y0:y0 + ch, x0:x0 + cw]
        return cv2.resize(crop, (w, h), interpolation=cv2.INTER_LINEAR)

    def _draw_sprite(self, out: np.ndarray, p: float, t: float) -> None:
        s = self.spec
        x, y = self.sprite_xy
        if s.kind == "end":
            k = ease_out_back(t / 0.5)
            sprite = self.sprite
            if k < 0.999:
                sh, sw = sprite.shape[:2]
                size = (max(1, int(sw * max(0.05, k))), max(1, int(sh * max(0.05, k))))
                sprite = cv2.resize(sprite, size, interpolation=cv2.INTER_LINEAR)
                x, y = x + (sw - size[0]) // 2, y + (sh - size[1]) // 2
            self._blend(out, sprite, x, y)
            return
        shift = (0.5 - ease(p)) * s.width * 0.12  # the foreground travels 3x the backdrop's distance
        self._blend(out, self.sprite, int(round(x + shift)), y)

    def _draw_caption(self, out: np.ndarray, t: float) -> None:
        s = self.spec
        top, width = _caption_zone(s.width, s.height)
        x = (s.width - width) // 2
        cap = self.caption
        start = 0.12
        p = (t - start) / 0.38
        if p <= 0:
            return
        fade_out = min(1.0, max(0.0, (s.n_frames / FPS - t) / 0.2))
        if s.entrance == "pop" and p < 1:
            k = max(0.05, ease_out_back(p))
            h, w = cap.shape[:2]
            size = (max(1, int(w * k)), max(1, int(h * k)))
            scaled = cv2.resize(cap, size, interpolation=cv2.INTER_LINEAR)
            self._blend(out, scaled, x + (w - size[0]) // 2, top + (h - size[1]) // 2, min(1.0, p * 2) * fade_out)
            return
        rise = (1 - ease(p)) * s.height * 0.04
        self._blend(out, cap, x, int(top + rise), min(1.0, p) * fade_out)

    def _draw_end(self, out: np.ndarray, t: float) -> None:
        s = self.spec
        h, w = s.height, s.width
        if self.logo is not None:
            p = min(1.0, max(0.0, t / 0.35))
            lg = self.logo
            self._blend(out, lg, (w - lg.shape[1]) // 2, int(h * 0.09 if h > w else h * 0.06), p)
        if self.caption is not None:
            cap = self.caption
            p = min(1.0, max(0.0, (t - 0.2) / 0.4))
            y = int(h * (0.50 if h > w else 0.52) + (1 - ease(p)) * h * 0.03)
            self._blend(out, cap, (w - cap.shape[1]) // 2, y, p)
        if self.button is not None:
            p = min(1.0, max(0.0, (t - 0.45) / 0.35))
            pulse = 1.0 + 0.045 * math.sin(max(0.0, t - 0.8) * 2 * math.pi * 1.3) if p >= 1 else ease_out_back(p)
            b = self.button
            bh, bw = b.shape[:2]
            size = (max(1, int(bw * pulse)), max(1, int(bh * pulse)))
            scaled = cv2.resize(b, size, interpolation=cv2.INTER_LINEAR) if size != (bw, bh) else b
            cy = int(h * (0.74 if h > w else 0.80))
            self._blend(out, scaled, (w - size[0]) // 2, cy - size[1] // 2, min(1.0, p * 2))


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
