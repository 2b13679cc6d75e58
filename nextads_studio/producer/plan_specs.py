"""From a CreativePlan to per-scene SceneSpecs: frame ranges, sizes, bound assets, styles, and cache keys."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ..atomic import sha256_file
from ..errors import InputError
from ..schemas.plan import CreativePlan
from .frames import FPS, SceneSpec

RENDERER_VERSION = "producer-4"
DEFAULT_PALETTE = ["#1F2937", "#4B5563", "#F59E0B", "#F9FAFB"]
_LIVELY = {"energetic", "playful", "humorous"}
_SOFT = {"calm", "premium", "warm"}


def frame_size(aspect: str, short: int) -> tuple[int, int]:
    """(width, height), both even, with `short` pixels on the short side."""
    long = int(round(short * 16 / 9 / 2)) * 2
    return {"9:16": (short, long), "16:9": (long, short), "1:1": (short, short)}[aspect]


def frame_bounds(plan: CreativePlan) -> list[tuple[int, int]]:
    """(first frame, frame count) per scene; the counts add up to round(duration * fps) exactly."""
    starts = [int(round(s.start * FPS)) for s in plan.storyboard.scenes]
    total = int(round(plan.storyboard.duration_sec * FPS))
    ends = starts[1:] + [total]
    return [(a, b - a) for a, b in zip(starts, ends, strict=True)]


def tone_tags(plan: CreativePlan) -> list[str]:
    tags = list(plan.storyboard.tone_tags)
    if not tags and plan.profile is not None:
        tags = list(plan.profile.style.tone_tags)
    return tags


def palette(plan: CreativePlan) -> list[str]:
    """The grounding's palette, else the user's visual taste, else the brand colours; at least four colours."""
    pal = list(plan.grounding.palette)
    if not pal and plan.profile is not None and plan.profile.visual is not None:
        pal = list(plan.profile.visual.palette)
    if not pal:
        pal = list(plan.product.brand_colors)
    pal = pal or list(DEFAULT_PALETTE)
    # The person's colours carry the backdrops; the brand's first colour is the accent (CTA, caption stripe).
    brand = {c.upper() for c in plan.product.brand_colors}
    own = [c for c in pal if c.upper() not in brand]
    theirs = [c for c in pal if c.upper() in brand]
    if len(own) >= 2 and theirs:
        pal = own[:2] + theirs[:1] + own[2:] + theirs[1:]
    while len(pal) < 4:
        pal.append(DEFAULT_PALETTE[len(pal)])
    return pal


def resolve_path(path: str | None, roots: list[Path], where: str) -> str | None:
    """An existing absolute path for an asset reference, or InputError naming the plan field."""
    if not path:
        return None
    p = Path(path)
    candidates = [p] if p.is_absolute() else [p, *(r / p for r in roots)]
    for c in candidates:
        if c.is_file():
            return str(c.resolve())
    raise InputError(f"plan {where}: asset file {path!r} not found")


def scene_specs(plan: CreativePlan, width: int, height: int, roots: list[Path]) -> list[SceneSpec]:
    """One SceneSpec per storyboard scene."""
    sb = plan.storyboard
    tags = tone_tags(plan)
    lively = bool(_LIVELY & set(tags[:2]))
    soft = bool(_SOFT & set(tags[:1])) and not lively
    trans_frames = 8 if lively else 18 if soft else 12
    bounds = frame_bounds(plan)
    bound = {a.scene_index: a for a in plan.grounding.scene_assets}
    product_images = list(plan.grounding.product_images) or list(plan.product.images)
    user_images = list(plan.grounding.user_images)
    logo = resolve_path(plan.grounding.logo_path or plan.product.logo, roots, "grounding.logo_path")
    specs = []
    last = len(sb.scenes) - 1
    for scene, (_, n) in zip(sb.scenes, bounds, strict=True):
        i = scene.index
        assets = bound.get(i)
        if assets is not None:
            prod, users = assets.product_image, list(assets.user_images)
        else:  # no explicit binding: product scenes show the product, the others the user's imagery
            prod = product_images[i % len(product_images)] if (scene.product_focus or i == last) else None
            users = [user_images[i % len(user_images)]] if user_images and not scene.product_focus else []
        kind = "end" if i == last and last > 0 else "hook" if i == 0 else "body"
        text = scene.on_screen_text or (sb.hook if i == 0 else "")
        prev_n = bounds[i - 1][1] if i else 0
        tf = 0 if i == 0 or scene.transition == "cut" else min(trans_frames, n // 2, prev_n // 2)
        specs.append(SceneSpec(
            index=i, n_frames=n, width=width, height=height, camera_motion=scene.camera_motion,
            transition=scene.transition if tf else "cut", transition_frames=tf, text=text, kind=kind,
            product_image=resolve_path(prod, roots, f"scene {i} product_image"),
            user_images=tuple(resolve_path(u, roots, f"scene {i} user_images") for u in users),
            logo=logo if kind == "end" else None, brand=plan.product.brand, slogan=plan.product.slogan,
            cta=sb.cta or "Learn more", palette=tuple(palette(plan)),
            caption_style="band" if soft else "bar", entrance="pop" if lively else "rise", seed=plan.seed))
    return specs


_FILE_HASHES: dict[tuple[str, float, int], str] = {}


def file_hash(path: str) -> str:
    st = Path(path).stat()
    key = (path, st.st_mtime, st.st_size)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = sha256_file(path)
    return _FILE_HASHES[key]


def _own_key(spec: SceneSpec, quality: str) -> str:
    data = asdict(spec)
    data.pop("extra", None)
    files = [p for p in (spec.product_image, spec.logo, *spec.user_images) if p]
    data["files"] = [file_hash(p) for p in files]
    data["quality"] = quality
    data["renderer"] = RENDERER_VERSION
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def scene_keys(specs: list[SceneSpec], quality: str) -> list[str]:
    """Content hash per scene. A scene that enters with a transition also depends on the scene before it,
    because its first frames show that scene's tail."""
    own = [_own_key(s, quality) for s in specs]
    keys = []
    for i, s in enumerate(specs):
        parts = [own[i]] + ([own[i - 1]] if s.transition_frames else [])
        keys.append(hashlib.sha256("|".join(parts).encode()).hexdigest()[:24])
    return keys
