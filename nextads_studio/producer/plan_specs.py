"""From a CreativePlan to per-scene SceneSpecs: frame ranges, sizes, bound assets, styles, and cache keys."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from ..atomic import sha256_file
from ..errors import InputError
from ..library.reuse import licensed_for_reuse
from ..rules import frame_size  # noqa: F401 - the producer reads it from here
from ..schemas.plan import CreativePlan
from .frames import FPS, SceneSpec
from .layouts import choose_layout
from .motifs import family_scores, pick_family

RENDERER_VERSION = "producer-10"
DEFAULT_PALETTE = ["#1F2937", "#4B5563", "#F59E0B", "#F9FAFB"]
_LIVELY = {"energetic", "playful", "humorous"}
_SOFT = {"calm", "premium", "warm"}


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
    # White and ink (added for text) are nobody's colour: they never lead, or the backdrop would be a grey.
    brand = {c.upper() for c in plan.product.brand_colors}
    own = [c for c in pal if c.upper() not in brand and _coloured(c)]
    theirs = [c for c in pal if c.upper() in brand]
    if len(own) >= 2 and theirs:
        pal = own[:2] + theirs[:1] + [c for c in pal if c not in own[:2] + theirs[:1]]
    elif theirs and len(pal) > 2:
        others = [c for c in pal if c != theirs[0]]
        lead = sorted(others, key=lambda c: not _coloured(c))[:2]  # coloured first, the order kept otherwise
        pal = lead + [theirs[0]] + [c for c in others if c not in lead]
    while len(pal) < 4:
        pal.append(DEFAULT_PALETTE[len(pal)])
    return pal


def _coloured(hex_colour: str) -> bool:
    """Not white, black or a grey (CIE chroma of at least 8)."""
    from .backdrops import chroma
    from .layers import hex_rgb

    try:
        return chroma(hex_rgb(hex_colour)) >= 8.0
    except ValueError:
        return False


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


_CTA_VERBS = ("shop", "buy", "get", "grab", "try", "download", "order", "book", "tap", "join", "start", "learn",
              "sign up", "subscribe", "discover", "claim", "install", "see", "find", "stream", "listen", "ride")


def looks_like_cta(text: str, cta: str) -> bool:
    """Whether an on-screen line is itself a call to action (then the end card must not repeat it)."""
    low = " ".join(text.lower().split()).strip(" .!")
    return bool(low) and (low == " ".join(cta.lower().split()).strip(" .!") or low.startswith(_CTA_VERBS))


def motif_family(plan: CreativePlan) -> str:
    """The theme motif: the interest the ad was matched to (its theme, keywords and the scenes' personal cues),
    else the product's own field, else the person's other interests. Another interest never overrides the
    matched one's field: a birding ad for binoculars must not show the person's baking."""
    p = plan.product
    product_text = [(" ".join([p.name, p.category, p.subcategory, *p.keywords, *p.selling_points]), 1.0)]
    chosen: list[tuple[str, float]] = []
    others: list[tuple[str, float]] = []
    if plan.match is not None and not plan.match.fallback_generic:
        chosen.append((plan.match.chosen_theme, 3.0))
        for s in plan.storyboard.scenes:
            chosen += [(u, 2.0) for u in s.personalization_used]
        if plan.profile is not None:
            for k, interest in enumerate(plan.profile.interests[:3]):
                text = interest.theme + " " + " ".join(interest.keywords)
                (chosen if interest.theme == plan.match.chosen_theme else others).append((text, 1.0 / (k + 1)))
    for texts in (chosen, product_text, others):
        if family_scores(texts):
            return pick_family(texts)
    return "tech"


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .!")


def short_points(plan: CreativePlan) -> tuple[str, ...]:
    """Up to three selling points short enough for a 'reasons' list (never cut: longer ones are skipped)."""
    pts = [" ".join(p.split()) for p in plan.product.selling_points]
    return tuple(p for p in pts if len(p.split()) <= 5 and len(p) <= 34)


def scene_specs(plan: CreativePlan, width: int, height: int, roots: list[Path]) -> list[SceneSpec]:
    """One SceneSpec per storyboard scene. Every PCG scene shows the product; history images appear only when
    their licence record allows reuse."""
    sb = plan.storyboard
    tags = tone_tags(plan)
    lively = bool(_LIVELY & set(tags[:2]))
    soft = bool(_SOFT & set(tags[:1])) and not lively
    trans_frames = 8 if lively else 18 if soft else 12
    bounds = frame_bounds(plan)
    bound = {a.scene_index: a for a in plan.grounding.scene_assets}
    product_images = [p for p in (list(plan.grounding.product_images) or list(plan.product.images))]
    logo = resolve_path(plan.grounding.logo_path or plan.product.logo, roots, "grounding.logo_path")
    family = motif_family(plan)
    points = short_points(plan)
    accent_words = tuple(w for w in (shown_brand(plan.product), *plan.product.name.split()) if len(w) >= 3)
    personal = plan.mode != "generic" and plan.profile is not None
    specs: list[SceneSpec] = []
    last = len(sb.scenes) - 1
    # the plan decides the call to action: a plan that binds its scenes and has no CTA draws no button
    cta = sb.cta or ("" if bound else "Learn more")
    # a plan whose grounding lists no product images keeps the product out of the scenes bound without one
    # (the first impression of a progressive arc: the problem, before the product)
    keep_out = bool(bound) and not plan.grounding.product_images
    for scene, (_, n) in zip(sb.scenes, bounds, strict=True):
        i = scene.index
        assets = bound.get(i)
        hidden = keep_out and assets is not None and not assets.product_image and not assets.logo
        prod = (assets.product_image if assets is not None and assets.product_image else None) \
            or (None if hidden else product_images[i % len(product_images)])
        if i == last and not hidden:
            prod = product_images[0] if not (assets and assets.product_image) else assets.product_image
        users = list(assets.user_images) if assets is not None else []
        reusable = tuple(p for p in (resolve_path(u, roots, f"scene {i} user_images") for u in users)
                         if p and licensed_for_reuse(p))
        text = scene.on_screen_text or (sb.hook if i == 0 else "")
        is_point = len(points) >= 3 and scene.product_focus and _norm(text) == _norm(points[0])  # one list per ad
        layout = choose_layout(i, last, text, scene.layout, scene.product_focus,
                               personal and (bool(scene.personalization_used) or not scene.product_focus),
                               is_point, plan.product.name)
        if layout == "end":
            if looks_like_cta(text, cta):
                cta = sb.cta or text
                text = plan.product.slogan or plan.product.name
            text = text or ("" if hidden else plan.product.slogan or plan.product.name)
        kind = "end" if layout == "end" else "hook" if i == 0 else "body"
        prev_n = bounds[i - 1][1] if i else 0
        tf = 0 if i == 0 or scene.transition == "cut" else min(trans_frames, n // 2, prev_n // 2)
        specs.append(SceneSpec(
            index=i, n_frames=n, width=width, height=height, camera_motion=scene.camera_motion,
            transition=scene.transition if tf else "cut", transition_frames=tf, text=text, kind=kind, layout=layout,
            product_image=resolve_path(prod, roots, f"scene {i} product_image"), user_images=reusable,
            # an impression that keeps the product hidden (end scene bound without logo or product) signs off
            # without logo or brand
            logo=logo if kind == "end" and (assets is None or assets.logo) else None,
            brand="" if hidden else shown_brand(plan.product), slogan="" if hidden else plan.product.slogan,
            cta=cta if kind == "end" else "", palette=tuple(palette(plan)), motif=family, points=points,
            accent_words=accent_words, entrance="pop" if lively else "rise", seed=plan.seed))
    return specs


def shown_brand(product) -> str:
    """The brand to draw: '' for an import whose record had none (marked 'unknown' until the marketer sets it)."""
    return "" if product.brand.strip().lower() in ("", "unknown") else product.brand


def pci_specs(plan: CreativePlan, width: int, height: int, roots: list[Path], start_frame: str) -> list[SceneSpec]:
    """One SceneSpec per scene of a host-video segment: all share the start frame and one clock, every scene is
    joined by a plain cut (the shot is continuous), and no scene carries a call to action."""
    sb = plan.storyboard
    bounds = frame_bounds(plan)
    total = sum(n for _, n in bounds) / FPS
    images = list(plan.grounding.product_images) or list(plan.product.images)
    product = resolve_path(images[0], roots, "grounding.product_images[0]")
    accent_words = tuple(w for w in (shown_brand(plan.product), *plan.product.name.split()) if len(w) >= 3)
    specs = []
    for scene, (start, n) in zip(sb.scenes, bounds, strict=True):
        text = scene.on_screen_text
        if looks_like_cta(text, sb.cta or ""):
            text = ""  # PCI: no hard call to action
        specs.append(SceneSpec(
            index=scene.index, n_frames=n, width=width, height=height, text=text, kind="pci", layout="pci",
            product_image=product, brand=shown_brand(plan.product), palette=tuple(palette(plan)),
            accent_words=accent_words, host_frame=start_frame, clock=(start / FPS, total), seed=plan.seed))
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
    files = [p for p in (spec.product_image, spec.logo, spec.host_frame, *spec.user_images) if p]
    data["files"] = [file_hash(p) for p in files]
    data["quality"] = quality
    data["renderer"] = RENDERER_VERSION
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class Piece:
    """A run of one scene's frames encoded as one cached segment: frames [start, end) of scene `scene`."""

    scene: int
    start: int
    end: int
    key: str


def pieces(specs: list[SceneSpec], quality: str) -> list[Piece]:
    """The cached segments of an ad, in order. A scene that enters with a transition is two pieces: its first
    frames (which show the previous scene's tail, so they depend on both scenes) and the rest (which depend on
    it alone); editing one scene then redraws the next scene's few transition frames, not the whole scene."""
    own = [_own_key(s, quality) for s in specs]
    out = []
    for i, s in enumerate(specs):
        head = min(s.transition_frames, s.n_frames) if i else 0
        if head:
            out.append(Piece(i, 0, head, hashlib.sha256(f"head|{own[i - 1]}|{own[i]}".encode()).hexdigest()[:24]))
        if head < s.n_frames:
            out.append(Piece(i, head, s.n_frames, hashlib.sha256(f"body|{own[i]}".encode()).hexdigest()[:24]))
    return out


def scene_keys(specs: list[SceneSpec], quality: str) -> list[str]:
    """Content hash per scene. A scene that enters with a transition also depends on the scene before it,
    because its first frames show that scene's tail."""
    own = [_own_key(s, quality) for s in specs]
    keys = []
    for i, s in enumerate(specs):
        parts = [own[i]] + ([own[i - 1]] if s.transition_frames else [])
        keys.append(hashlib.sha256("|".join(parts).encode()).hexdigest()[:24])
    return keys
