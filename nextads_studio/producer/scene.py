"""One PCG scene: an owned backdrop, the product (clean matte, contact shadow) and, per layout, a theme panel, a
leader line, kinetic text and the end card's single CTA. Static layers are built once; every frame is one camera
warp plus small blends. Text contrast and product separation are measured here, per scene, before any frame."""

from __future__ import annotations

import math
import threading
import weakref
from collections import OrderedDict

import cv2
import numpy as np
from PIL import Image, ImageDraw

from . import backdrops as B
from . import kinetic as K
from . import layers as L
from .frames import FPS, OVERSCAN, SceneSpec, _motion, _subpixel_slice, ease, ease_out_back
from .layouts import Box, align, boxes, list_items, split_stat
from .motifs import motif_rgba
from .text import button_layer, contrast, darken

# type sizes as fractions of the frame's short side
SIZES = {"hero": 0.095, "callout": 0.066, "stat": 0.24, "sub": 0.062, "reasons": 0.068, "items": 0.056,
         "split": 0.072, "end": 0.066}
# when the end card's CTA button starts to pop in (s into the scene): with the headline, so a 2 s end card still
# shows the button long enough to read
BUTTON_IN = 0.25


class _SpriteMemo:
    """Product sprites by (cut-out array, size): the cut-outs are the process-wide ones from L.cutout_file, so
    an entry is valid while its array is alive (checked by weak reference: ids can be reused)."""

    def __init__(self, limit: int = 48):
        self.limit = limit
        self.items: OrderedDict[tuple, tuple[weakref.ref, tuple[np.ndarray, tuple[int, int]]]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, cut: np.ndarray, size: tuple) -> tuple[np.ndarray, tuple[int, int]] | None:
        with self.lock:
            entry = self.items.get((id(cut), *size))
            if entry is None or entry[0]() is not cut:
                return None
            self.items.move_to_end((id(cut), *size))
            return entry[1]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def put(self, cut: np.ndarray, size: tuple, value: tuple[np.ndarray, tuple[int, int]]) -> None:
        with self.lock:
            self.items[(id(cut), *size)] = (weakref.ref(cut), value)
            while len(self.items) > self.limit:
                self.items.popitem(last=False)


_SPRITES = _SpriteMemo()


class SceneRenderer:
    """Renders one scene's frames; `report` holds what was measured (contrast, separation, plates)."""

    def __init__(self, spec: SceneSpec, cutouts: str | None = None):
        """`cutouts`: a folder where product mattes are cached by image content."""
        self.spec = spec
        w, h = spec.width, spec.height
        self.w, self.h, self.short = w, h, min(w, h)
        self.pal = [L.hex_rgb(c) for c in spec.palette] or [(30, 30, 30), (60, 60, 60)]
        while len(self.pal) < 4:
            self.pal.append((245, 245, 245))
        self.accent = self.pal[2]
        self.motion = "static" if spec.layout in ("callout", "end") else spec.camera_motion
        self.cw, self.ch = int(round(w * OVERSCAN)), int(round(h * OVERSCAN))
        z0, z1 = _motion(self.motion, 0.0)[0], _motion(self.motion, 1.0)[0]
        self.ref = (self.cw / w) / ((z0 + z1) / 2)  # canvas px per frame px at mid-motion
        self.boxes = boxes(spec.layout, w, h)
        self.report: dict[str, float | str | bool] = {"layout": spec.layout}
        self.cut = L.cutout_file(spec.product_image, cutouts) if spec.product_image else None
        edge = self._product_edge()
        name, c0, c1 = B.pick(self.pal, edge)
        self.report["backdrop"] = name
        self.bg_pair = (c0, c1)
        pbox = self.boxes.get("product")
        light = (pbox.cx / w, pbox.cy / h) if pbox else (0.5, 0.4)
        self.canvas = B.backdrop(self.cw, self.ch, c0, c1, light, spec.motif, spec.seed * 1000 + spec.index)
        if "motif" in self.boxes:
            self._bake_panel(self.boxes["motif"])
        self.sprite: L.Sprite | None = None
        self.sprite_xy = (0, 0)
        if self.cut is not None and pbox is not None:
            self._place_product(pbox)
        self._prepare_camera()
        self.logo = self._build_logo()
        self.button = self._build_button()
        self.anchor: tuple[int, int] | None = None
        self.leader_colour: tuple[int, ...] | None = None
        self.blocks: list[tuple[K.TextBlock, float, float]] = []
        self.bullets: list[tuple[int, int, float]] = []
        self._build_text()

    # --- product --------------------------------------------------------------------------------
    def _product_edge(self) -> tuple[int, int, int] | None:
        if self.cut is None:
            return None
        inner, _ = B.edge_colours(self.cut[..., 3])
        if not inner.any():
            return None
        return tuple(int(v) for v in np.median(self.cut[..., :3][inner], axis=0))  # type: ignore[return-value]

    def _to_canvas(self, fx: float, fy: float) -> tuple[float, float]:
        return self.cw / 2 + (fx - self.w / 2) * self.ref, self.ch / 2 + (fy - self.h / 2) * self.ref

    def _to_frame(self, cx: float, cy: float) -> tuple[int, int]:
        return int(self.w / 2 + (cx - self.cw / 2) / self.ref), int(self.h / 2 + (cy - self.ch / 2) / self.ref)

    def _product_sprite(self, box: Box, k: float) -> tuple[np.ndarray, tuple[int, int]]:
        """The cut-out fitted to the box (scaled by k), with a contact shadow; returns (RGBA, product offset).
        Kept in memory per cut-out and size: an edited scene, or the next render, reuses it."""
        size = (int(box.w * 0.92 * k), int(box.h * 0.86 * k), round(self.short * k, 3))
        kept = _SPRITES.get(self.cut, size)
        if kept is not None:
            return kept
        rgba = L.fit(self.cut, size[0], size[1])
        if rgba[..., 3].min() > 250:  # a photo without a clean backdrop: a rounded card
            rgba = L.rounded_card(rgba.copy(), int(min(rgba.shape[:2]) * 0.06))
        sprite, offset = L.with_contact_shadow(rgba, self.short * k)
        sprite.setflags(write=False)
        _SPRITES.put(self.cut, size, (sprite, offset))
        return sprite, offset

    def _place_product(self, box: Box) -> None:
        end = self.spec.layout == "end"
        k = 1.0 if end else self.ref
        sprite, (ox, oy) = self._product_sprite(box, k)
        sh, sw = sprite.shape[:2]
        if end:  # its own layer: it pops in over a static backdrop
            x, y = int(box.cx - sw / 2), int(box.cy - sh / 2)
            cx, cy = self._to_canvas(x, y)
            cx, cy, scale = int(cx), int(cy), self.ref
        else:
            ccx, ccy = self._to_canvas(box.cx, box.cy)
            cx, cy, scale = int(ccx - sw / 2), int(ccy - sh / 2), 1.0
        self._ensure_separation(sprite, cx, cy, scale, ox, oy)
        if end:
            self.sprite, self.sprite_xy = L.Sprite(sprite), (x, y)
        else:
            L.blend(self.canvas, sprite, cx, cy)
            self.report["separation"] = self._measure_separation(sprite, cx, cy)

    def _canvas_region(self, cx: int, cy: int, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """The canvas pixels under a sprite placed at (cx, cy), and a mask of the ones that exist."""
        h, w = shape
        region = np.zeros((h, w, 3), np.uint8)
        valid = np.zeros((h, w), bool)
        x0, y0, x1, y1 = max(0, cx), max(0, cy), min(self.cw, cx + w), min(self.ch, cy + h)
        if x0 < x1 and y0 < y1:
            region[y0 - cy:y1 - cy, x0 - cx:x1 - cx] = self.canvas[y0:y1, x0:x1]
            valid[y0 - cy:y1 - cy, x0 - cx:x1 - cx] = True
        return region, valid

    def _ensure_separation(self, sprite: np.ndarray, cx: int, cy: int, scale: float, ox: int, oy: int) -> None:
        """Measure every part of the product against the backdrop; when one would not separate, put a plate
        behind the product in a colour far from all their edges."""
        trial = sprite if scale == 1.0 else cv2.resize(sprite, None, fx=scale, fy=scale)
        region, valid = self._canvas_region(cx, cy, trial.shape[:2])
        L.blend(region, trial, 0, 0)
        sep, edges = B.part_separation(region, trial[..., 3] > 200, valid)
        self.report["separation_before"] = round(sep, 1)
        self.report["plate"] = sep < B.MIN_SEPARATION
        if sep >= B.MIN_SEPARATION:
            return
        edges = edges or [np.array([128, 128, 128])]
        options = [*self.pal, B.mix(self.pal[0], (0, 0, 0), 0.6), B.mix(self.pal[3], (255, 255, 255), 0.7),
                   (245, 245, 245), (28, 28, 32)]

        def distance(c):
            return min(B.delta_e(c, e) for e in edges)
        colour = next((c for c in options if distance(c) >= 2 * B.MIN_SEPARATION), max(options, key=distance))
        ys, xs = np.nonzero(trial[..., 3] > 200)
        pad = int(self.short * scale * 0.05)
        box = (cx + xs.min() - pad, cy + ys.min() - pad, cx + xs.max() + pad, cy + ys.max() + pad)
        plate = Image.new("L", (self.cw, self.ch), 0)
        ImageDraw.Draw(plate).rounded_rectangle(box, radius=int(pad * 1.6), fill=255)
        a = cv2.GaussianBlur(np.asarray(plate, np.float32) / 255, (0, 0), max(1.0, pad * 0.15))[..., None]
        self.canvas = (self.canvas * (1 - a) + np.array(colour, np.float32) * a).astype(np.uint8)

    def _measure_separation(self, sprite: np.ndarray, cx: int, cy: int) -> float:
        region, valid = self._canvas_region(cx, cy, sprite.shape[:2])
        return round(B.part_separation(region, sprite[..., 3] > 200, valid)[0], 1)

    # --- theme panel ----------------------------------------------------------------------------
    def _bake_panel(self, box: Box) -> None:
        """The split layout's theme visual: a licensed history image if there is one, else the motif, on a card."""
        k = self.ref
        cw, ch = int(box.w * k), int(box.h * k)
        mid = B.mix(*self.bg_pair, 0.5)
        card_col = max((self.pal[2], self.pal[0], self.pal[1], self.pal[3]), key=lambda c: B.delta_e(c, mid))
        if self.spec.user_images:
            card = L.cover(L.load_rgba(self.spec.user_images[0])[..., :3], cw, ch)
            card = np.dstack([card, np.full(card.shape[:2], 255, np.uint8)])
        else:
            card = np.zeros((ch, cw, 4), np.uint8)
            card[..., :3], card[..., 3] = card_col, 255
            ink = (255, 255, 255) if contrast((255, 255, 255), card_col) > contrast(K.INK, card_col) else K.INK
            size = int(min(cw, ch) * 0.72)
            L.blend_rgba(card, motif_rgba(self.spec.motif, size, ink), (cw - size) // 2, (ch - size) // 2)
        card = L.rounded_card(card, int(min(cw, ch) * 0.08))
        card = L.with_shadow(card, blur=self.short * k * 0.02, offset=(0, int(self.short * k * 0.012)), opacity=0.3)
        x, y = self._to_canvas(box.x0, box.y0)
        pad = (card.shape[1] - cw) // 2
        L.blend(self.canvas, card, int(x) - pad, int(y) - pad)

    # --- end card -------------------------------------------------------------------------------
    def _build_logo(self) -> np.ndarray | None:
        s = self.spec
        if s.layout != "end" or "logo" not in self.boxes:
            return None
        box = self.boxes["logo"]
        if s.logo:
            return L.fit(L.load_rgba(s.logo), box.w, box.h)
        return None

    def _build_button(self) -> np.ndarray | None:
        s = self.spec
        if s.layout != "end" or not s.cta:
            return None
        box = self.boxes["cta"]
        fill = self.accent
        # a short label that pulses (it is resized every frame) and is chroma-subsampled by the encoder measures
        # a few tenths below its design contrast at small sizes: design it with a margin above 4.5:1
        if max(contrast((255, 255, 255), fill), contrast(K.INK, fill)) < K.BUTTON_CONTRAST:
            fill = darken(fill, 0.12)
        return button_layer(s.cta, int(self.short * 0.052), fill, box.w, ink=K.INK)

    # --- text -----------------------------------------------------------------------------------
    def _background_samples(self) -> list[np.ndarray]:
        """The scene without text at its start, middle and end: what the text will sit on."""
        out = []
        for p in (0.0, 0.5, 1.0):
            frame = self._warp(*_motion(self.motion, p))
            if self.sprite is not None:
                self.sprite.draw(frame, *self.sprite_xy)
            if self.logo is not None:
                L.blend(frame, self.logo, *self._logo_xy())
            out.append(frame)
        return out

    def _style(self, box: Box, samples: list[np.ndarray]) -> K.Style:
        lum = np.concatenate([K.luminance_map(f[box.y0:box.y1, box.x0:box.x1].reshape(-1, 3)) for f in samples])
        plate_dark = darken(self.pal[0], 0.03)
        plate_light = B.mix(self.pal[3], (255, 255, 255), 0.8)
        return K.choose_style(lum, self.accent, plate_dark, plate_light)

    def _add(self, text: str, role: str, size_key: str, start: float, samples: list[np.ndarray],
             key: str | None = None, side: str | None = None) -> K.TextBlock | None:
        if not text.strip() or role not in self.boxes:
            return None
        box = self.boxes[role]
        style = self._style(box, samples)
        self.report.setdefault("plates", 0)
        self.report["plates"] = int(self.report["plates"]) + (style.plate is not None)
        kw = K.key_word(text, self.spec.accent_words) if key is None else key
        block = K.build_block(text, box, int(self.short * SIZES[size_key]), style, kw,
                              side or align(self.w, self.h, box))
        words = max(1, len(block.words))
        per_word = min(0.3, max(0.08, (self.spec.n_frames / FPS * 0.5) / words))
        self.blocks.append((block, start, per_word))
        lum = self._lum_under(block, samples)
        worst = min(K.worst_contrast(style.fg, lum), K.worst_contrast(style.accent, lum)) if style.plate is None \
            else min(contrast(style.fg, style.plate), contrast(style.accent, style.plate))
        self.report["text_contrast"] = round(min(float(self.report.get("text_contrast", 99.0)), worst), 2)
        return block

    @staticmethod
    def _lum_under(block: K.TextBlock, samples: list[np.ndarray]) -> np.ndarray:
        b = block.box
        return np.concatenate([K.luminance_map(f[b.y0:b.y1, b.x0:b.x1].reshape(-1, 3)) for f in samples])

    def _build_text(self) -> None:
        s = self.spec
        samples = self._background_samples()
        text = s.text.strip()
        start = 0.12 if s.kind == "hook" else 0.25
        stat = split_stat(text, s.brand + " " + " ".join(s.accent_words))
        if s.layout == "stat" and stat:
            number, rest = stat
            self._add(number, "headline", "stat", start, samples, key=number)
            self._add(rest, "sub", "sub", start + 0.35, samples)
        elif s.layout == "reasons":
            items = list_items(text)
            head, items = (s.brand, items) if items else (" ".join(s.accent_words[1:]) or s.brand, self._points(text))
            self._add(head, "headline", "reasons", start, samples)
            self._reasons(items[:3], start + min(0.4, s.n_frames / FPS * 0.15), samples)
        elif s.layout == "callout":
            block = self._add(text, "label", "callout", start + 0.2, samples)  # as the leader line arrives
            if block is not None and self.cut is not None:
                self.anchor = self._anchor_point(block.box)
        elif s.layout == "end":
            self._add(text, "headline", "end", 0.3, samples)
        else:
            self._add(text, "headline", s.layout if s.layout in SIZES else "hero", start, samples)

    def _points(self, text: str) -> list[str]:
        """Three selling points for the list, this scene's own line first."""
        own = " ".join(text.lower().split())
        rest = [p for p in self.spec.points if " ".join(p.lower().split()) != own]
        return ([text] if text else []) + rest[:3 - bool(text)]

    def _reasons(self, items: list[str], start: float, samples: list[np.ndarray]) -> None:
        if not items or "items" not in self.boxes:
            return
        box = self.boxes["items"]
        rows = len(items)
        step = box.h / rows
        stagger = min(0.45, self.spec.n_frames / FPS * 0.35 / rows)
        indent = int(self.short * 0.06)
        for k, item in enumerate(items):
            row = Box(box.x0 + indent, int(box.y0 + k * step), box.x1, int(box.y0 + (k + 1) * step))
            self.boxes[f"item{k}"] = row
            block = self._add(item, f"item{k}", "items", start + stagger * k, samples, key="", side="left")
            if block is not None:
                self.bullets.append((box.x0 + indent // 2 - 2, int(block.box.cy), start + stagger * k))

    def _anchor_point(self, label: Box) -> tuple[int, int]:
        """A point on the product (in frame pixels) for the callout's leader line: its solid pixel nearest the
        label, pulled a little inside."""
        pbox = self.boxes["product"]
        rgba = L.fit(self.cut, int(pbox.w * 0.92), int(pbox.h * 0.86))
        ys, xs = np.nonzero(rgba[..., 3] > 200)
        zoom = _motion(self.motion, 0.5)[0] / ((_motion(self.motion, 0.0)[0] + _motion(self.motion, 1.0)[0]) / 2)
        px = pbox.cx + (xs - rgba.shape[1] / 2) * zoom
        py = pbox.cy + (ys - rgba.shape[0] / 2) * zoom
        d = (px - label.cx) ** 2 + (py - label.cy) ** 2
        i = int(np.argmin(d))
        cx, cy = float(np.mean(px)), float(np.mean(py))
        return int(px[i] + (cx - px[i]) * 0.35), int(py[i] + (cy - py[i]) * 0.35)

    def _logo_xy(self) -> tuple[int, int]:
        box = self.boxes["logo"]
        lg = self.logo
        return int(box.cx - lg.shape[1] / 2), int(box.cy - lg.shape[0] / 2)

    # --- frames ---------------------------------------------------------------------------------
    def frame(self, i: int) -> np.ndarray:
        """Frame i of the scene (i may run past the end during the next scene's transition)."""
        s = self.spec
        t = i / FPS
        p = i / max(1, s.n_frames - 1)
        out = self._warp(*_motion(self.motion, p))
        if self.sprite is not None:
            self._draw_end_product(out, t)
        if self.logo is not None:
            L.blend(out, self.logo, *self._logo_xy(), min(1.0, max(0.0, t / 0.35)))
        if self.anchor is not None and self.blocks:
            self._draw_leader(out, t)
        fade = min(1.0, max(0.0, (s.n_frames / FPS - t) / 0.18)) if s.layout != "end" else 1.0
        for x, y, start in self.bullets:
            if t > start:
                r = max(2, int(self.short * 0.012 * min(1.0, (t - start) / 0.2)))
                cv2.circle(out, (x, y), r, self.accent, -1, lineType=cv2.LINE_AA)
        for block, start, per_word in self.blocks:
            block.draw(out, (t - start) / per_word, fade)
        if self.button is not None:
            self._draw_button(out, t)
        return out

    def _draw_leader(self, out: np.ndarray, t: float) -> None:
        block = self.blocks[0][0]
        b = block.box
        ax, ay = self.anchor
        tx = b.x0 - 6 if ax < b.x0 else b.x1 + 6 if ax > b.x1 else int(min(max(ax, b.x0), b.x1))
        ty = b.y0 - 6 if ay < b.y0 else b.y1 + 6 if ay > b.y1 else int(b.cy)
        p = min(1.0, max(0.0, (t - 0.1) / 0.35))
        if p <= 0:
            return
        ex, ey = int(ax + (tx - ax) * ease(p)), int(ay + (ty - ay) * ease(p))
        if self.leader_colour is None:  # the text's own colour, measured once
            solid = block.glyphs[..., 3] > 200
            self.leader_colour = tuple(int(v) for v in np.clip(block.glyphs[..., :3][solid].mean(axis=0), 0, 255)) \
                if solid.any() else (255, 255, 255)
        colour = self.leader_colour
        th = max(2, int(self.short * 0.006))
        cv2.line(out, (ax, ay), (ex, ey), (0, 0, 0), th + 2, lineType=cv2.LINE_AA)
        cv2.line(out, (ax, ay), (ex, ey), colour, th, lineType=cv2.LINE_AA)
        r = max(3, int(self.short * 0.016))
        cv2.circle(out, (ax, ay), r + 2, (0, 0, 0), -1, lineType=cv2.LINE_AA)
        cv2.circle(out, (ax, ay), r, self.accent, -1, lineType=cv2.LINE_AA)

    def _draw_end_product(self, out: np.ndarray, t: float) -> None:
        k = ease_out_back(t / 0.5)
        x, y = self.sprite_xy
        if k >= 0.999:
            self.sprite.draw(out, x, y)
            return
        rgba = self.sprite.rgba
        sh, sw = rgba.shape[:2]
        size = (max(1, int(sw * max(0.2, k))), max(1, int(sh * max(0.2, k))))
        L.blend(out, cv2.resize(rgba, size, interpolation=cv2.INTER_LINEAR), x + (sw - size[0]) // 2,
                y + (sh - size[1]) // 2)

    def _draw_button(self, out: np.ndarray, t: float) -> None:
        p = min(1.0, max(0.0, (t - BUTTON_IN) / 0.35))
        if p <= 0:
            return
        box = self.boxes["cta"]
        b = self.button
        pulse = 1.0 + 0.035 * math.sin(max(0.0, t - BUTTON_IN - 0.5) * 2 * math.pi * 1.2) if p >= 1 else ease_out_back(p)
        bh, bw = b.shape[:2]
        pulse = min(pulse, box.w / bw)
        size = (max(1, int(bw * pulse)), max(1, int(bh * pulse)))
        img = cv2.resize(b, size, interpolation=cv2.INTER_LINEAR) if size != (bw, bh) else b
        L.blend(out, img, int(box.cx - size[0] / 2), int(box.cy - size[1] / 2), min(1.0, p * 2))

    def _prepare_camera(self) -> None:
        """Pans, tilts and parallax keep one zoom: scale the canvas once, then every frame is a sub-pixel
        slice. Zooms crop a centred window and resize it (cheaper than a general affine warp)."""
        self.scaled = None
        self.still: np.ndarray | None = None
        zoom, ox0, oy0 = _motion(self.motion, 0.0)
        zoom_end, ox1, oy1 = _motion(self.motion, 1.0)
        # An axis the camera does not move along sits on a whole pixel: one blend per frame instead of three.
        self.fixed = (abs(ox0 - ox1) < 1e-9, abs(oy0 - oy1) < 1e-9)
        if abs(zoom - zoom_end) < 1e-9:
            a = zoom / OVERSCAN
            size = (int(round(self.cw * a)), int(round(self.ch * a)))
            self.scaled = cv2.resize(self.canvas, size, interpolation=cv2.INTER_AREA)
            if all(self.fixed):  # a still camera: the backdrop layer is the same in every frame
                self.still = self._warp(zoom, ox0, oy0)

    def _warp(self, zoom: float, ox: float, oy: float) -> np.ndarray:
        w, h = self.w, self.h
        if self.still is not None:
            return self.still.copy()
        if self.scaled is not None:
            sh, sw = self.scaled.shape[:2]
            fx, fy = (sw - w) / 2 * (1 - ox), (sh - h) / 2 * (1 - oy)
            fx, fy = (round(fx) if self.fixed[0] else fx), (round(fy) if self.fixed[1] else fy)
            return _subpixel_slice(self.scaled, fx, fy, w, h)
        a = zoom / OVERSCAN
        cw = min(self.cw, int(round(w / a / 2)) * 2)
        ch = min(self.ch, int(round(h / a / 2)) * 2)
        x0, y0 = (self.cw - cw) // 2, (self.ch - ch) // 2
        return cv2.resize(self.canvas[y0:y0 + ch, x0:x0 + cw], (w, h), interpolation=cv2.INTER_LINEAR)

    # --- measurement hooks used by tests and the report --------------------------------------------
    def text_mask(self, i: int) -> np.ndarray:
        """Boolean mask of the pixels text (plates included) covers in frame i."""
        t = i / FPS
        mask = np.zeros((self.h, self.w), bool)
        for block, start, per_word in self.blocks:
            if (t - start) / per_word <= 0:
                continue
            b = block.box
            a = block.glyphs[..., 3] > 0 if block.plate is None else block.plate[..., 3] > 0
            y0, x0 = max(0, b.y0), max(0, b.x0)
            y1, x1 = min(self.h, b.y1), min(self.w, b.x1)
            mask[y0:y1, x0:x1] |= a[y0 - b.y0:y1 - b.y0, x0 - b.x0:x1 - b.x0]
        if self.button is not None and t > BUTTON_IN:
            box = self.boxes["cta"]
            bh, bw = self.button.shape[:2]
            mask[int(box.cy - bh * 0.52):int(box.cy + bh * 0.52), int(box.cx - bw * 0.52):int(box.cx + bw * 0.52)] = True
        return mask


__all__ = ["SceneRenderer"]
