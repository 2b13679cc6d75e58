"""Asset grounding: the reference collage, per-scene asset bindings, palette, visual cues, constraints, licences."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageOps

from ..atomic import atomic_path
from ..errors import InputError
from ..schemas.plan import Grounding, SceneAssets, Storyboard
from ..schemas.product import Product
from .visual import colour_name

TILE = 384
HEIGHT = 2 * TILE  # 768: the grid and the product image share this height
GAP = 32
CONSTRAINTS = [
    "logo visible at the end",
    "no other brands or logos",
    "no people's likeness taken from the history",
    "claims only from the product facts and selling points",
    "AI-generated label shown",
]


def _open(path: str | Path) -> Image.Image:
    try:
        with Image.open(path) as im:
            return im.convert("RGB")
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read this image ({exc})") from exc


def _fit_height(im: Image.Image, height: int) -> Image.Image:
    return im.resize((max(1, round(im.width * height / im.height)), height), Image.LANCZOS)


# Decoded, resized panels by (file, size on disk, modification time, shape): a person's images and a product's
# image recur across that person's plans, and decoding plus LANCZOS resizing was most of a warm plan's time.
_PANELS: OrderedDict[tuple, Image.Image] = OrderedDict()
_PANELS_MAX = 48
_PANELS_LOCK = threading.Lock()
# A collage already written from the same inputs: (its file, size, sha1), copied instead of encoded again
_COLLAGES: OrderedDict[tuple, tuple[str, int, str]] = OrderedDict()


def _panel(path: str | Path, shape: str) -> Image.Image:
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read this image ({exc})") from exc
    key = (str(path), st.st_size, st.st_mtime_ns, shape)
    with _PANELS_LOCK:
        if key in _PANELS:
            _PANELS.move_to_end(key)
            return _PANELS[key]
    im = _open(path)
    im = ImageOps.fit(im, (TILE, TILE), Image.LANCZOS) if shape == "tile" else _fit_height(im, HEIGHT)
    with _PANELS_LOCK:
        _PANELS[key] = im
        while len(_PANELS) > _PANELS_MAX:
            _PANELS.popitem(last=False)
    return im


def build_collage(user_images: Sequence[str | Path], product_image: str | Path, out_path: Path,
                  start_frame: str | Path | None = None) -> Path:
    """Reference collage: 2x2 grid of user images (384 px tiles, row by row) | 32 px | product (768 px tall)
    [| 32 px | PCI start frame]. Without user images the collage is the product (and start frame) alone."""
    out_path = Path(out_path)
    key = None
    if start_frame is None:  # the same person and product give the same collage: keep its encoded bytes
        try:
            key = tuple((str(p), os.stat(p).st_size, os.stat(p).st_mtime_ns)
                        for p in [*list(user_images)[:4], product_image])
        except OSError:
            key = None
    with _PANELS_LOCK:
        done = _COLLAGES.get(key) if key is not None else None
    if done is not None:
        try:
            data = Path(done[0]).read_bytes() if Path(done[0]) != out_path else b""
        except OSError:
            data = b""
        if len(data) == done[1] and hashlib.sha1(data).hexdigest() == done[2]:
            with atomic_path(out_path, suffix=".png") as tmp:
                Path(tmp).write_bytes(data)
            return out_path
    panels: list[Image.Image] = []
    if user_images:
        grid = Image.new("RGB", (2 * TILE, 2 * TILE), "white")
        for k, path in enumerate(list(user_images)[:4]):
            grid.paste(_panel(path, "tile"), ((k % 2) * TILE, (k // 2) * TILE))
        panels.append(grid)
    panels.append(_panel(product_image, "height"))
    if start_frame is not None:
        panels.append(_fit_height(_open(start_frame), HEIGHT))  # a new frame per PCI plan: not kept
    width = sum(p.width for p in panels) + GAP * (len(panels) - 1)
    canvas = Image.new("RGB", (width, HEIGHT), "white")
    x = 0
    for p in panels:
        canvas.paste(p, (x, 0))
        x += p.width + GAP
    buf = io.BytesIO()
    canvas.save(buf, format="PNG", compress_level=1)  # fast: the collage is rewritten per plan
    data = buf.getvalue()
    with atomic_path(out_path, suffix=".png") as tmp:
        Path(tmp).write_bytes(data)
    if key is not None:
        with _PANELS_LOCK:
            _COLLAGES[key] = (str(out_path), len(data), hashlib.sha1(data).hexdigest())
            while len(_COLLAGES) > 256:
                _COLLAGES.popitem(last=False)
    return out_path


def blend_palette(user: Sequence[str], brand: Sequence[str], size: int = 5) -> list[str]:
    """Brand colours first (the product must stay recognisable), then the user's taste."""
    out = list(dict.fromkeys([c.upper() for c in brand][:2] + [c.upper() for c in user]))
    for c in ("#FFFFFF", "#1A1A1A", "#808080", "#F2F2F2"):
        if len(out) >= 4:
            break
        if c not in out:
            out.append(c)
    return out[:size]


def bind_scenes(storyboard: Storyboard, product: Product, user_images: Sequence[str],
                start_frame: str | None = None, task: str = "pcg") -> list[SceneAssets]:
    """Which product image, user images, logo or start frame each scene uses."""
    out, k, n = [], 0, len(storyboard.scenes)
    for scene in storyboard.scenes:
        last = scene.index == n - 1
        assets = SceneAssets(scene_index=scene.index)
        if scene.product_focus or last:
            assets.product_image = product.images[scene.index % len(product.images)] if not last \
                else product.images[0]
        if user_images and not scene.product_focus and not last:
            assets.user_images = [user_images[k % len(user_images)]]
            k += 1
        elif user_images and scene.personalization_used and not last:
            assets.user_images = [user_images[k % len(user_images)]]
            k += 1
        assets.logo = last and task == "pcg" and product.logo is not None
        assets.start_frame = task == "pci" and (scene.index == 0 or last)
        if task == "pci" and scene.index == 0 and not scene.product_focus:
            assets.product_image = None
        out.append(assets)
    return out


def visual_cues(palette: Sequence[str], tone_tags: Sequence[str], personal: bool, keywords: Sequence[str]) -> list[str]:
    cues = [f"palette: {', '.join(colour_name(c) for c in palette[:4])}"]
    if tone_tags:
        cues.append(f"mood: {', '.join(tone_tags[:3])}")
    if personal and keywords:
        cues.append(f"scene elements: {', '.join(keywords[:4])} (generic objects, no brands, no faces)")
    return cues


def ground(storyboard: Storyboard, product: Product, *, user_images: Sequence[str], user_palette: Sequence[str],
           collage: Path, start_frame: str | None, task: str, personal: bool, keywords: Sequence[str],
           audience_licenses: dict[str, str] | None = None) -> Grounding:
    """The plan's grounding block (the collage must already exist at `collage`)."""
    palette = blend_palette(user_palette if personal else [], product.brand_colors)
    licenses = {lic.path: lic.license for lic in product.licenses}
    for path in user_images:
        licenses.setdefault(str(path), (audience_licenses or {}).get(str(path), "demo audience asset (see its "
                                                                                 "licence record)"))
    constraints = list(CONSTRAINTS) if task == "pcg" else [c for c in CONSTRAINTS if not c.startswith("logo")] + [
        "start and end on the host start frame", "no hard call to action"]
    if not product.logo:  # a product without a logo ends on its name, not on a logo no frame can show
        constraints = [("product name visible at the end" if c.startswith("logo") else c) for c in constraints]
    return Grounding(
        collage_path=str(collage), product_images=list(product.images), user_images=[str(p) for p in user_images],
        logo_path=product.logo, palette=palette,
        visual_cues=visual_cues(palette, storyboard.tone_tags, personal, keywords),
        constraints=constraints,
        scene_assets=bind_scenes(storyboard, product, [str(p) for p in user_images], start_frame, task),
        asset_licenses=licenses,
    )
