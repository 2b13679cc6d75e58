"""Apply revision directives to a plan: each returns a NEW plan version whose diff touches only the targets.

The directive types live in `schemas.revision` (a discriminated union on `kind`). `apply` never mutates its input:
it returns version + 1 with `parent_version` set to the old version and a note saying what changed and why.
Execution-level directives change only the targeted scenes' content, so the Producer's scene cache re-renders
only those scenes.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError
from ..schemas import (
    CAMERA_MOTIONS,
    TONE_TAGS,
    CreativePlan,
    Directive,
    FallbackGeneric,
    MatchResult,
    Recaption,
    RegenerateScene,
    Rematch,
    Retime,
    RewriteHook,
    RewriteScene,
    ScenePatch,
    SwapAsset,
    UpdateProfile,
)
from . import rewrite

_EPS = 1e-6


def apply(plan: CreativePlan, directive: Directive) -> CreativePlan:
    """Return the next plan version with `directive` applied (the input plan is left unchanged)."""
    data = plan.model_dump(mode="python")
    handler = _HANDLERS[directive.kind]
    handler(data, directive, plan)
    data["notes"] = [*plan.notes, f"v{plan.version + 1}: {note_for(directive)}"]
    data["version"] = plan.version + 1
    data["parent_version"] = plan.version
    try:
        return CreativePlan.model_validate(data)
    except ValueError as exc:
        raise InputError(f"directive {directive.kind} on plan {plan.plan_id} v{plan.version} gives an invalid "
                         f"plan: {exc}") from exc


def note_for(directive: Directive) -> str:
    """The plan note recording a directive (without the version prefix)."""
    scenes = ",".join(str(i) for i in directive.scenes) or "all"
    return f"{directive.kind} [scenes {scenes}] ({directive.source}, {directive.cause}): {directive.reason}"


def tried_before(plan: CreativePlan, directive: Directive) -> bool:
    """True when the plan's history already holds this exact fix (so repeating it would not help)."""
    body = note_for(directive)
    return any(n.split(": ", 1)[-1].split(" | ")[0] == body for n in plan.notes)


def apply_all(plan: CreativePlan, directives: list[Directive]) -> CreativePlan:
    """Apply several directives as ONE new version (version + 1), keeping every directive's note."""
    if not directives:
        return plan
    current = plan
    for d in directives:
        current = apply(current, d)
    data = current.model_dump(mode="python")
    data["version"], data["parent_version"] = plan.version + 1, plan.version
    data["notes"] = [*plan.notes, *[n.replace(f"v{plan.version + i + 1}:", f"v{plan.version + 1}:", 1)
                                    for i, n in enumerate(current.notes[len(plan.notes):])]]
    return CreativePlan.model_validate(data)


# --- handlers: each edits the plain-dict copy in place ------------------------------------------
def _check_scenes(plan: CreativePlan, indices) -> None:
    n = len(plan.storyboard.scenes)
    bad = [i for i in indices if not 0 <= int(i) < n]
    if bad:
        raise InputError(f"directive names scene(s) {bad}, but plan {plan.plan_id} has scenes 0..{n - 1}")


def _patch_scenes(data: dict, patches: dict[int, ScenePatch], plan: CreativePlan) -> None:
    _check_scenes(plan, patches)
    for index, patch in patches.items():
        scene = data["storyboard"]["scenes"][int(index)]
        scene.update({k: v for k, v in patch.model_dump(exclude_none=True).items()})
        if patch.product_focus is not None:
            _reground(data, int(index), patch.product_focus, plan)
    _sync_mirrors(data, plan)


def _reground(data: dict, index: int, product_focus: bool, plan: CreativePlan) -> None:
    """Bind the scene's picture to its new words: a scene that now shows the product gets a product image (the
    person's imagery stays as its backdrop); one that must hide it loses the product image and the logo."""
    grounding = data["grounding"]
    assets = next((a for a in grounding["scene_assets"] if a["scene_index"] == index), None)
    if assets is None:
        return
    if product_focus and not assets["product_image"]:
        images = grounding["product_images"] or list(plan.product.images)
        if images:
            assets["product_image"] = images[index % len(images)]
    elif not product_focus:
        assets["product_image"] = None
        assets["logo"] = False


def _sync_mirrors(data: dict, plan: CreativePlan) -> None:
    """The hook mirrors the first scene's words and the CTA the last scene's caption: keep them in step."""
    board, old = data["storyboard"], plan.storyboard
    first, last = board["scenes"][0], board["scenes"][-1]
    if board["hook"] == old.hook and old.hook and old.hook in (old.scenes[0].narration, old.scenes[0].on_screen_text):
        board["hook"] = first["narration"] if old.hook == old.scenes[0].narration else first["on_screen_text"]
    if board["cta"] == old.cta and old.cta and old.cta == old.scenes[-1].on_screen_text:
        board["cta"] = last["on_screen_text"]


def _rewrite_hook(data: dict, d: RewriteHook, plan: CreativePlan) -> None:
    data["storyboard"]["hook"] = d.hook
    _patch_scenes(data, d.patches, plan)


def _rewrite_scene(data: dict, d: RewriteScene, plan: CreativePlan) -> None:
    _patch_scenes(data, d.patches, plan)


def _recaption(data: dict, d: Recaption, plan: CreativePlan) -> None:
    _check_scenes(plan, d.captions)
    for index, text in d.captions.items():
        data["storyboard"]["scenes"][int(index)]["on_screen_text"] = text


def _retime(data: dict, d: Retime, plan: CreativePlan) -> None:
    scenes = data["storyboard"]["scenes"]
    b = d.boundaries
    duration = plan.storyboard.duration_sec
    if len(b) != len(scenes) + 1:
        raise InputError(f"retime needs {len(scenes) + 1} boundaries for {len(scenes)} scenes, got {len(b)}")
    if abs(b[0]) > _EPS or abs(b[-1] - duration) > _EPS:
        raise InputError(f"retime boundaries must run from 0 to {duration}s, got {b[0]}..{b[-1]}")
    for scene, start, end in zip(scenes, b, b[1:]):
        scene["start"], scene["end"] = float(start), float(end)


def _swap_asset(data: dict, d: SwapAsset, plan: CreativePlan) -> None:
    grounding = data["grounding"]
    targets = set(d.scenes) if d.scenes else {a["scene_index"] for a in grounding["scene_assets"]}
    _check_scenes(plan, targets)
    for assets in grounding["scene_assets"]:
        if assets["scene_index"] not in targets:
            continue
        if d.slot == "product_image":
            if d.old_path is None or assets["product_image"] == d.old_path:
                assets["product_image"] = d.new_path
        elif d.slot == "logo":
            assets["logo"] = d.new_path is not None
        else:
            key = "user_images" if d.slot == "user_image" else "extra"
            items = [p for p in assets[key] if p != d.old_path] if d.old_path else []
            if d.new_path:
                items.append(d.new_path)
            assets[key] = items
    if d.old_path:  # the asset leaves the plan everywhere, not only where it was bound to a scene
        for key in ("product_images", "user_images"):
            grounding[key] = [p for p in grounding[key] if p != d.old_path]
        if grounding["collage_path"] == d.old_path:
            grounding["collage_path"] = None
        if grounding["logo_path"] == d.old_path:
            grounding["logo_path"] = None
    if d.slot == "product_image" and d.new_path and d.new_path not in grounding["product_images"]:
        grounding["product_images"].append(d.new_path)
    if d.new_path:
        lic = next((x.license for x in plan.product.licenses if d.new_path.endswith(x.path)), None)
        if lic:
            grounding["asset_licenses"][d.new_path] = lic


def _regenerate(data: dict, d: RegenerateScene, plan: CreativePlan) -> None:
    targets = d.scenes or [s.index for s in plan.storyboard.scenes]
    _check_scenes(plan, targets)
    for index in targets:
        scene = data["storyboard"]["scenes"][index]
        if d.camera_motion is None and d.transition is None:
            # a new take: step to another camera move so the scene's content (and cache key) changes
            motions = list(CAMERA_MOTIONS)
            scene["camera_motion"] = motions[(motions.index(scene["camera_motion"]) + d.seed_offset) % len(motions)]
        if d.camera_motion is not None:
            scene["camera_motion"] = d.camera_motion
        if d.transition is not None and index > 0:
            scene["transition"] = d.transition


def _update_profile(data: dict, d: UpdateProfile, plan: CreativePlan) -> None:
    profile = data.get("profile")
    if profile is None:
        return
    excluded = [t for t in d.exclude_themes if t.strip()]
    profile["excluded_sensitive"] = list(dict.fromkeys([*profile["excluded_sensitive"], *excluded]))
    profile["interests"] = [i for i in profile["interests"] if not _touches(i, excluded)]
    tones = [t for t in d.prefer_tone_tags if t in TONE_TAGS]
    if tones:
        profile["style"]["tone_tags"] = list(dict.fromkeys([*tones, *profile["style"]["tone_tags"]]))[:3]
        data["storyboard"]["tone_tags"] = list(dict.fromkeys([*tones, *data["storyboard"]["tone_tags"]]))[:3]
    for scene in data["storyboard"]["scenes"]:
        scene["personalization_used"] = [u for u in scene["personalization_used"]
                                         if not any(t.lower() in u.lower() or u.lower() in t.lower()
                                                    for t in excluded)]


def _touches(interest: dict, themes: list[str]) -> bool:
    blob = " ".join([interest["theme"], interest.get("summary", ""), *interest.get("keywords", [])]).lower()
    return any(t.lower() in blob for t in themes)


def _rematch(data: dict, d: Rematch, plan: CreativePlan) -> None:
    profile, match = plan.profile, plan.match
    if profile is None or match is None:
        raise InputError(f"plan {plan.plan_id} has no profile or match to re-match")
    tier = d.force_tier or next((i.tier for i in profile.interests
                                 if i.tier not in d.avoid_tiers and i.tier != match.chosen_tier), None)
    if tier is None or profile.tier(tier) is None:
        _fallback(data, FallbackGeneric(reason=d.reason, cause="matching"), plan)
        return
    old_theme, new = match.chosen_theme, profile.tier(tier)
    data["match"].update(chosen_tier=tier, chosen_theme=new.theme, fallback_generic=False,
                         reason=f"re-matched from '{old_theme}' to '{new.theme}': {d.reason}")
    from ..director.storyboard import plan_copy_context

    ctx = plan_copy_context(plan, tier=tier)
    for scene in data["storyboard"]["scenes"]:
        if scene["personalization_used"]:
            scene["visual"] = _retheme(scene["visual"], old_theme, new.theme)
            got = _rewrite_words(data, scene, ctx, plan)
            scene["personalization_used"] = got.cues[:4]  # only cues the new words really carry


def _retheme(text: str, old: str, new: str) -> str:
    head = old.split(",")[0].strip()
    if head and rewrite.mentions(text, head):
        return rewrite.strip_terms(text, [head]) + f", set in a {new.split(',')[0].strip()} scene"
    return f"{text}, set in a {new.split(',')[0].strip()} scene" if text else f"A {new} scene"


def _rewrite_words(data: dict, scene: dict, ctx, plan: CreativePlan):
    """New words for one scene from the copy engine (the scene's role: the opening is a hook, the close keeps
    its call to action, a middle scene gets a line of its kind), repeating nothing the ad already says."""
    from ..director.copy.engine import rewrite_scene

    scenes = data["storyboard"]["scenes"]
    index, last = scene["index"], len(scenes) - 1
    others = [t for sc in scenes if sc["index"] != index for t in (sc["narration"], sc["on_screen_text"]) if t]
    pcg = plan.task == "pcg"
    beat = "hook" if index == 0 and pcg else "close" if index == last and pcg else (
        "use" if not pcg else "claim" if not ctx.personal else "in_use")
    got = rewrite_scene(ctx, beat, scene["end"] - scene["start"], ad_lines=others,
                        seed=plan.seed + plan.version + index, task=plan.task)
    scene["narration"] = got.narration
    if beat != "close" and pcg:
        scene["on_screen_text"] = got.on_screen
    scene["claim_source"] = got.claim_source
    if index == 0 and pcg:
        data["storyboard"]["hook"] = got.narration or data["storyboard"]["hook"]
    return got


def _fallback(data: dict, d: FallbackGeneric, plan: CreativePlan) -> None:
    """GenericAds: drop everything derived from the user; personalized scenes become product-centred."""
    data["mode"] = "generic"
    data["profile"] = None
    data["match"] = MatchResult(chosen_tier="generic", fallback_generic=True,
                                reason=f"fell back to a generic creative: {d.reason}").model_dump()
    from ..director.storyboard import plan_copy_context

    ctx = plan_copy_context(plan, personal=False)
    for i, scene in enumerate(data["storyboard"]["scenes"]):
        if not scene["personalization_used"]:
            continue
        scene.update(personalization_used=[], visual=rewrite.generic_visual(plan, i))
        _rewrite_words(data, scene, ctx, plan)
    grounding = data["grounding"]
    grounding["user_images"], grounding["collage_path"] = [], None
    for assets in grounding["scene_assets"]:
        assets["user_images"] = []


_HANDLERS = {
    "rewrite_hook": _rewrite_hook, "rewrite_scene": _rewrite_scene, "recaption": _recaption,
    "retime": _retime, "swap_asset": _swap_asset, "regenerate_scene": _regenerate,
    "update_profile": _update_profile, "rematch": _rematch, "fallback_generic": _fallback,
}


# --- diffs ---------------------------------------------------------------------------------------
def changed_paths(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every leaf that differs between two model_dumps (or models)."""
    if hasattr(old, "model_dump"):
        old = old.model_dump(mode="json")
    if hasattr(new, "model_dump"):
        new = new.model_dump(mode="json")
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in sorted(set(old) | set(new), key=str):
            out += changed_paths(old.get(key), new.get(key), f"{prefix}.{key}" if prefix else str(key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [p for i, (a, b) in enumerate(zip(old, new)) for p in changed_paths(a, b, f"{prefix}[{i}]")]
    return [] if old == new else [prefix]


_BOOKKEEPING = ("version", "parent_version", "notes")


def plan_diff(old: CreativePlan, new: CreativePlan) -> list[dict]:
    """Scene-level before/after rows for the UI: {scene, start, end, field, before, after}; scene None = plan."""
    rows: list[dict] = []
    old_scenes, new_scenes = old.storyboard.scenes, new.storyboard.scenes
    for a, b in zip(old_scenes, new_scenes):
        for key, before in a.model_dump(mode="json").items():
            after = getattr(b, key)
            after = after.model_dump(mode="json") if hasattr(after, "model_dump") else after
            if before != after:
                rows.append({"scene": a.index, "start": b.start, "end": b.end, "field": key,
                             "before": before, "after": after})
    old_assets = {x.scene_index: x for x in old.grounding.scene_assets}
    for x in new.grounding.scene_assets:
        before = old_assets.get(x.scene_index)
        for key, after in x.model_dump(mode="json").items():
            prev = getattr(before, key) if before else None
            if key != "scene_index" and prev != after:
                s = new_scenes[x.scene_index] if x.scene_index < len(new_scenes) else None
                rows.append({"scene": x.scene_index, "start": s.start if s else None, "end": s.end if s else None,
                             "field": f"assets.{key}", "before": prev, "after": after})
    scene_level = {"storyboard", "grounding"}
    for path in changed_paths(old, new):
        top = path.split(".")[0].split("[")[0]
        if top in _BOOKKEEPING or (top in scene_level and ("scenes[" in path or "scene_assets" in path)):
            continue
        rows.append({"scene": None, "start": None, "end": None, "field": path,
                     "before": _get(old, path), "after": _get(new, path)})
    return rows


def _get(plan: CreativePlan, path: str) -> Any:
    node: Any = plan.model_dump(mode="json")
    for part in path.replace("]", "").replace("[", ".").split("."):
        if node is None:
            return None
        node = node[int(part)] if isinstance(node, list) else node.get(part)
    return node


def changed_scenes(old: CreativePlan, new: CreativePlan) -> list[int]:
    """Scene indices whose content or bound assets differ between two versions."""
    return sorted({r["scene"] for r in plan_diff(old, new) if r["scene"] is not None})
