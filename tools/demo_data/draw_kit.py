"""Small drawing helpers shared by the product and audience generators: colours, gradients, shadows, shading."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

RGB = tuple[int, int, int]


def rgb(color: str | RGB) -> RGB:
    """'#RRGGBB' or an RGB tuple -> RGB tuple."""
    if isinstance(color, tuple):
        return color
    c = color.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16))


def mix(a: str | RGB, b: str | RGB, t: float) -> RGB:
    """Linear blend of two colours; t=0 gives a, t=1 gives b."""
    ca, cb = rgb(a), rgb(b)
    return tuple(int(round(ca[i] + (cb[i] - ca[i]) * t)) for i in range(3))  # type: ignore[return-value]


def lighter(c: str | RGB, t: float = 0.3) -> RGB:
    return mix(c, (255, 255, 255), t)


def darker(c: str | RGB, t: float = 0.3) -> RGB:
    return mix(c, (0, 0, 0), t)


def luminance(c: str | RGB) -> float:
    r, g, b = rgb(c)
    return (0.299 * r + 0.587 * g + 0.114 * b) / 255.0


def vertical_gradient(size: tuple[int, int], top: str | RGB, bottom: str | RGB) -> Image.Image:
    """A clean studio backdrop: one colour fading into another from top to bottom."""
    w, h = size
    t = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None, None]
    a = np.array(rgb(top), dtype=np.float32)[None, None, :]
    b = np.array(rgb(bottom), dtype=np.float32)[None, None, :]
    arr = a + (b - a) * t
    return Image.fromarray(np.broadcast_to(arr, (h, w, 3)).astype(np.uint8), "RGB")


def radial_glow(img: Image.Image, center: tuple[int, int], radius: int, color: str | RGB, strength: float = 0.5) -> None:
    """Brighten a round area in place, like a soft spotlight on the backdrop."""
    w, h = img.size
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt((xx - center[0]) ** 2 + (yy - center[1]) ** 2) / max(radius, 1)
    alpha = (np.clip(1.0 - d, 0.0, 1.0) ** 2 * strength)[..., None]
    arr = np.asarray(img, dtype=np.float32)
    out = arr * (1 - alpha) + np.array(rgb(color), dtype=np.float32) * alpha
    img.paste(Image.fromarray(out.astype(np.uint8), "RGB"))


def soft_shadow(img: Image.Image, box: tuple[int, int, int, int], blur: int = 18, opacity: int = 110) -> None:
    """Paint a blurred dark ellipse (the contact shadow under an object) in place."""
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=opacity)
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    img.paste(Image.new("RGB", img.size, (20, 20, 24)), (0, 0), mask)


def shaded_shape(img: Image.Image, mask: Image.Image, base: str | RGB, light_from: str = "left",
                 highlight: float = 0.45, shade: float = 0.35) -> None:
    """Fill `mask` with `base` lit from one side: a horizontal (or vertical) light-to-dark ramp plus a rim."""
    w, h = img.size
    bbox = mask.getbbox()
    if not bbox:
        return
    x0, y0, x1, y1 = bbox
    if light_from in ("left", "right"):
        ramp = np.linspace(0.0, 1.0, x1 - x0, dtype=np.float32)[None, :]
        ramp = ramp if light_from == "left" else ramp[:, ::-1]
        ramp = np.broadcast_to(ramp, (y1 - y0, x1 - x0))
    else:
        ramp = np.linspace(0.0, 1.0, y1 - y0, dtype=np.float32)[:, None]
        ramp = np.broadcast_to(ramp, (y1 - y0, x1 - x0))
    lo = np.array(lighter(base, highlight), dtype=np.float32)
    hi = np.array(darker(base, shade), dtype=np.float32)
    # light side -> lo (lighter), far side -> hi (darker), with a smooth curve so the middle stays near base
    t = ramp[..., None] ** 1.3
    mid = np.array(rgb(base), dtype=np.float32)
    fill = np.where(t < 0.5, lo + (mid - lo) * (t / 0.5), mid + (hi - mid) * ((t - 0.5) / 0.5))
    layer = Image.new("RGB", (w, h))
    layer.paste(Image.fromarray(fill.astype(np.uint8), "RGB"), (x0, y0))
    img.paste(layer, (0, 0), mask)


def shape_mask(size: tuple[int, int], draw_fn) -> Image.Image:
    """A mask drawn by `draw_fn(ImageDraw)` with fill=255."""
    m = Image.new("L", size, 0)
    draw_fn(ImageDraw.Draw(m))
    return m


def gloss(img: Image.Image, box: tuple[int, int, int, int], opacity: int = 70, blur: int = 10) -> None:
    """A soft white highlight streak inside `box`, like light catching a glossy surface."""
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius=max(2, (box[2] - box[0]) // 2), fill=opacity)
    mask = mask.filter(ImageFilter.GaussianBlur(blur))
    img.paste(Image.new("RGB", img.size, (255, 255, 255)), (0, 0), mask)


def finish(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Downscale a supersampled canvas to its final size (this is the anti-aliasing)."""
    return img.resize(size, Image.LANCZOS)
