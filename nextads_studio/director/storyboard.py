"""Storyboards from templates: timing, hook, beats, CTA (PCG) or a start-frame round trip (PCI).

Also the Reflector's entry points: `rewrite_opening` (a new 0-3 s after an early skip) and `alternative_angle`
(the next story angle across impressions).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import InputError
from ..schemas.common import ASPECTS
from ..schemas.plan import CreativePlan, HostSummary, MatchResult, Scene, Storyboard
from ..schemas.product import Product
from ..schemas.profile import UserProfile
from ..schemas.revision import ScenePatch
from .sensitive import find_sensitive
from .templates import ANGLE_BEATS, ANGLES, BEATS, CTAS, HOOKS, PCI
from .text import clip_words
from .visual import colour_name


@dataclass
class StoryContext:
    """Everything the templates may say. `theme`/`world` are user-derived only in personal plans."""

    product: Product
    language: str = "en"
    personal: bool = False
    theme: str = ""
    world: str = ""
    keywords: list[str] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    palette: list[str] = field(default_factory=list)
    tone_tags: list[str] = field(default_factory=list)
    pace: str = "medium"
    host: HostSummary | None = None
    bridge: str = ""
    blocked: list[str] = field(default_factory=list)  # terms that must never appear (excluded themes)
    hook_framework: str = ""  # learned from feedback: lead with hooks of this framework when there are any


def pace_of(profile: UserProfile | None) -> str:
    """fast for energetic histories (or many shots per minute), slow for calm/premium ones, else medium."""
    if profile is None:
        return "medium"
    if profile.learned is not None and profile.learned.pacing:
        return profile.learned.pacing
    tags = profile.style.tone_tags
    spm = profile.style.shots_per_minute or 0
    if "energetic" in tags[:2] or spm >= 20:
        return "fast"
    if tags and tags[0] in ("calm", "premium"):
        return "slow"
    return "medium"


def scene_durations(duration: float, pace: str) -> list[int]:
    """2-3 s scenes tiling the ad: a 2 s hook, 2 s CTA, 2 s cuts when fast and 3 s when slow in between."""
    total = int(round(duration))
    if abs(total - duration) > 1e-6 or not 4 <= total <= 60:
        raise InputError(f"duration: {duration} s is not supported; use a whole number of seconds from 4 to 60 "
                         "(6, 15 or 30 recommended)")
    middle = total - 4
    options = [(t, (middle - 3 * t) // 2) for t in range(middle // 3 + 1) if (middle - 3 * t) % 2 == 0]
    if pace == "fast":
        threes, twos = min(options)
    elif pace == "slow":
        threes, twos = max(options)
    else:
        threes, twos = min(options, key=lambda o: (abs(o[0] - o[1]), -o[0]))
    mids: list[int] = []
    while threes or twos:  # alternate so the rhythm varies
        if threes:
            mids.append(3)
            threes -= 1
        if twos:
            mids.append(2)
            twos -= 1
    return [2, *mids, 2]


def _motions(pace: str) -> tuple[list[str], list[str]]:
    if pace == "fast":
        return ["push_in", "pan_left", "tilt_up", "pan_right", "parallax"], ["whip", "cut", "slide", "cut"]
    if pace == "slow":
        return ["parallax", "pull_out", "pan_right", "tilt_down", "static"], ["crossfade", "crossfade", "cut"]
    return ["push_in", "parallax", "pan_right", "pull_out", "tilt_up"], ["cut", "crossfade", "slide"]


def _fill(template: str, ctx: StoryContext, point: str = "") -> str:
    colours = " and ".join(colour_name(c) for c in ctx.palette[:2]) if ctx.palette else "neutral"
    if ctx.language == "zh" and ctx.palette:
        colours = "、".join(colour_name(c) for c in ctx.palette[:2])
    host = ctx.host
    values = {
        "name": ctx.product.name, "brand": ctx.product.brand, "slogan": ctx.product.slogan or ctx.product.name,
        "theme": ctx.theme or ctx.product.subcategory or "everyday", "world": ctx.world, "colours": colours,
        "point": point, "short": clip_words(point, 6), "host": (host.topic if host else "the host scene"),
        "host_look": ", ".join(host.style_tags[:3]) if host and host.style_tags else "the host's look",
        "bridge": ctx.bridge,
    }
    return template.format(**values).strip()


def _safe(text: str, ctx: StoryContext, fallback: str) -> str:
    """Never let a sensitive or excluded theme reach the copy: fall back to product-only text."""
    lowered = text.lower()
    if find_sensitive(text) or any(b and b.lower() in lowered for b in ctx.blocked):
        return fallback
    return text


def _pick(options: Sequence[str], rng: random.Random, avoid: set[str] = frozenset()) -> tuple[int, str]:
    order = list(range(len(options)))
    rng.shuffle(order)
    fresh = [i for i in order if options[i] not in avoid]
    i = (fresh or order)[0]
    return i, options[i]


def _points(ctx: StoryContext) -> list[str]:
    pts = list(ctx.points) or list(ctx.product.selling_points)
    pts += [f"{k}: {v}" for k, v in ctx.product.facts.items()]
    return pts or [ctx.product.slogan or ctx.product.name]


def choose_angle(seed: int, used: Sequence[str]) -> str:
    """The first story angle not used yet, starting at a seed-dependent place."""
    start = seed % len(ANGLES)
    rotated = ANGLES[start:] + ANGLES[:start]
    return next((a for a in rotated if a not in used), rotated[0])


def make_storyboard(ctx: StoryContext, *, task: str = "pcg", duration: float = 15, aspect: str = "9:16",
                    seed: int = 7, previous: Sequence[CreativePlan] = (), angle: str | None = None) -> Storyboard:
    """A storyboard that validates: PCG hook -> beats -> CTA hero, or PCI start frame -> product -> start frame."""
    if aspect not in ASPECTS:
        raise InputError(f"aspect: {aspect!r} is not supported; use one of {', '.join(ASPECTS)}")
    used_angles = [plan_angle(p) for p in previous]
    angle = angle or choose_angle(seed, used_angles)
    rng = random.Random(f"{seed}:{angle}:{ctx.product.product_id}")
    durations = scene_durations(duration, ctx.pace)
    if task == "pci":
        scenes, hook, cta = _pci_scenes(ctx, durations, rng)
    else:
        avoid = {p.storyboard.hook for p in previous}
        scenes, hook, cta = _pcg_scenes(ctx, durations, rng, angle, avoid)
    lang = ctx.language
    return Storyboard(
        duration_sec=float(sum(durations)), aspect=aspect, hook=hook, cta=cta, tone_tags=ctx.tone_tags[:3],
        language=lang, scenes=scenes,
        timing_notes=f"angle={angle}; pace={ctx.pace}; cuts every {min(durations)}-{max(durations)} s",
    )


def _hook(ctx: StoryContext, rng: random.Random, avoid: set[str]) -> str:
    kind = "personal" if ctx.personal and ctx.theme else "generic"
    options = [_fill(t, ctx) for t in HOOKS[ctx.language][kind]]
    if ctx.hook_framework:
        from .learned import hook_framework

        options = [o for o in options if hook_framework(o) == ctx.hook_framework] or options
    _, hook = _pick(options, rng, avoid)
    return clip_words(_safe(hook, ctx, _fill(HOOKS[ctx.language]["generic"][0], ctx)), 16)


def _pcg_scenes(ctx, durations, rng, angle, avoid):
    lang = ctx.language
    motions, transitions = _motions(ctx.pace)
    hook = _hook(ctx, rng, avoid)
    cta = clip_words(_fill(_pick(CTAS[lang], rng)[1], ctx), 8)
    points = _points(ctx)
    beats = ANGLE_BEATS[angle]
    scenes, t, used_points = [], 0, 0
    for i, d in enumerate(durations):
        if i == 0:
            scene = _scene(i, t, d, "hook: stop the scroll within 2 s",
                           _hook_visual(ctx), hook, _short_hook(ctx, hook), False, "push_in", "cut", ctx)
        elif i == len(durations) - 1:
            scene = _scene(i, t, d, "CTA with a product hero shot",
                           _fill("product hero shot centred on a clean {colours} background, logo visible, "
                                 "call to action card" if lang == "en" else
                                 "产品主图居中，{colours}纯净背景，品牌标志清晰可见，行动号召字卡", ctx),
                           _fill(ctx.product.slogan or "{name}.", ctx), cta, True, "push_in",
                           transitions[i % len(transitions)], ctx)
        else:
            beat = beats[(i - 1) % len(beats)]
            if not (ctx.personal and ctx.world) and beat in ("context", "tension"):
                beat = "reveal" if i == 1 else "feature"
            goal, visual, narrs, texts = BEATS[lang][beat]
            point = points[used_points % len(points)] if beat == "feature" else ""
            used_points += beat == "feature"
            narr = _fill(rng.choice(narrs), ctx, point)
            text = _fill(rng.choice(texts), ctx, point)
            scene = _scene(i, t, d, goal, _fill(visual, ctx), narr, text,
                           beat in ("reveal", "feature", "in_use", "payoff"),
                           motions[i % len(motions)], transitions[i % len(transitions)], ctx)
        scenes.append(scene)
        t += d
    return scenes, hook, cta


def _hook_visual(ctx: StoryContext) -> str:
    if ctx.language == "zh":
        return _fill("快速推近：{world}的特写，{colours}色调，画面干净" if ctx.personal and ctx.world
                     else "快速推近：产品局部特写，{colours}色调", ctx)
    return _fill("fast push-in on {world}, {colours} tones, bold and uncluttered" if ctx.personal and ctx.world
                 else "fast push-in on a product detail, {colours} tones, bold and uncluttered", ctx)


def _short_hook(ctx: StoryContext, hook: str) -> str:
    return clip_words(hook.rstrip(".!?。！？"), 8)


def _scene(i, start, d, goal, visual, narration, text, product_focus, motion, transition, ctx) -> Scene:
    fallback_n = _fill(ctx.product.slogan or "{name}.", ctx)
    narration = clip_words(_safe(narration, ctx, fallback_n), 16)
    text = clip_words(_safe(text, ctx, ctx.product.name), 8)
    visual = _safe(visual, ctx, f"product image of {ctx.product.name} on a clean background")
    used = []
    if ctx.personal:
        used = [k for k in [ctx.theme, *ctx.keywords] if k and any(k in s for s in (visual, narration, text))]
    used = list(dict.fromkeys(used))
    return Scene(index=i, start=float(start), end=float(start + d), shot_goal=goal, visual=visual,
                 camera_motion=motion if i else "push_in", transition="cut" if i == 0 else transition,
                 narration=narration, on_screen_text=text, product_focus=product_focus,
                 personalization_used=used[:4])


def _pci_scenes(ctx, durations, rng):
    lang = ctx.language
    parts = PCI[lang]
    points = _points(ctx)
    scenes, t = [], 0
    n = len(durations)
    for i, d in enumerate(durations):
        key = "open" if i == 0 else "return" if i == n - 1 else ("bridge" if i == 1 else "use")
        goal, visual, narrs = parts[key]
        point = points[(i - 2) // 2 % len(points)] if key == "use" else ""
        if key == "use":  # rotate so consecutive in-world scenes differ
            visual = visual[(i - 2) % len(visual)]
            narr = _fill(narrs[(i - 2) % len(narrs)], ctx, point)
        else:
            narr = _fill(rng.choice(narrs), ctx, point)
        motion = {"open": "static", "return": "static", "bridge": "parallax"}.get(key, "pan_right")
        scene = _scene(i, t, d, goal, _fill(visual, ctx), narr, "", key in ("bridge", "use"), motion,
                       "crossfade", ctx)
        scenes.append(scene.model_copy(update={"camera_motion": motion, "transition": "cut" if i == 0
                                               else "crossfade"}))
        t += d
    hook = scenes[1].narration if n > 1 else ""
    return scenes, hook, ""  # PCI: no hard CTA


def plan_angle(plan: CreativePlan) -> str:
    """The story angle recorded in a plan's timing notes ('' when unknown)."""
    m = re.search(r"angle=([a-z_]+)", plan.storyboard.timing_notes or "")
    return m.group(1) if m else ""


def alternative_angle(plan: CreativePlan, used_angles: Sequence[str] = ()) -> str:
    """The next angle in progressive order (problem -> routine -> lifestyle -> recap -> ...) not used yet."""
    used = {*used_angles, plan_angle(plan)}
    current = plan_angle(plan)
    start = ANGLES.index(current) + 1 if current in ANGLES else 0
    rotated = ANGLES[start:] + ANGLES[:start]
    return next((a for a in rotated if a not in used), rotated[0])


def rewrite_opening(plan: CreativePlan, seed: int) -> tuple[str, dict[int, ScenePatch]]:
    """A new hook and patches for the scenes that start before 3 s: the product in use within 2 s."""
    ctx = context_from_plan(plan)
    rng = random.Random(f"rewrite:{seed}:{plan.plan_id}")
    hook = _hook(ctx, rng, {plan.storyboard.hook})
    if hook == plan.storyboard.hook:  # every template used: lead with the product instead
        hook = clip_words(_fill(HOOKS[ctx.language]["generic"][rng.randrange(2)], ctx), 16)
    patches: dict[int, ScenePatch] = {}
    for scene in plan.storyboard.scenes:
        if scene.start >= 3 or scene.index == len(plan.storyboard.scenes) - 1:
            break
        if scene.index == 0:
            visual = _fill("the product already in use in the first second: {world}, fast push-in, {colours} tones"
                           if ctx.world else "the product already in use in the first second, fast push-in, "
                           "{colours} tones", ctx)
            patches[0] = ScenePatch(narration=hook, on_screen_text=_short_hook(ctx, hook), visual=_safe(
                visual, ctx, f"{ctx.product.name} in use, fast push-in"), camera_motion="push_in",
                product_focus=True, shot_goal="hook: product in use within 2 s")
        else:
            patches[scene.index] = ScenePatch(transition="whip", camera_motion="pan_left")
    return hook, patches


def context_from_plan(plan: CreativePlan) -> StoryContext:
    """Rebuild the template context from a plan (the Reflector has the plan, not the history)."""
    profile = plan.profile if plan.mode == "nextads" else None
    match = plan.match
    personal = bool(profile and match and not match.fallback_generic and match.chosen_tier != "generic")
    interest = profile.tier(match.chosen_tier) if personal else None
    return StoryContext(
        product=plan.product, language=plan.storyboard.language, personal=personal,
        theme=copy_theme(interest, plan.storyboard.language) if personal else "",
        world=world_of(interest, plan.product, personal),
        keywords=list(interest.keywords[:4]) if interest else [], points=list(match.selling_points) if match else [],
        palette=list(plan.grounding.palette), tone_tags=list(plan.storyboard.tone_tags), pace=pace_of(profile),
        host=plan.integration.host_summary if plan.integration else None,
        hook_framework=profile.learned.hook_framework or "" if profile and profile.learned else "",
    )


def world_of(interest, product: Product, personal: bool) -> str:
    """The everyday scene the ad is set in: the user's theme keywords, or the product's own use context."""
    if personal and interest is not None:
        from .topics import TOPICS

        words = [k for k in interest.keywords if len(k) > 1 and k not in TOPICS][:3]
        if words:
            return ", ".join(words[:-1]) + (" and " if len(words) > 1 else "") + words[-1] \
                if not re.search(r"[\u4e00-\u9fff]", "".join(words)) else "、".join(words)
    use = ", ".join(product.keywords[:2]) or product.subcategory or "everyday life"
    return f"an everyday {use} moment"


def copy_theme(interest, language: str) -> str:
    """The short theme used inside ad copy: the interest's lexicon topic (English) or its top key phrase."""
    from .topics import TOPICS, en_label

    if interest is None:
        return ""
    topics = [k for k in interest.keywords if k in TOPICS]
    phrases = [k for k in interest.keywords if k not in TOPICS]
    if language == "zh":
        return (phrases or [interest.theme.split("·")[0]])[0]
    if topics:
        return en_label(topics[0])
    return (phrases or [interest.theme])[0]


def story_context(product: Product, profile: UserProfile | None, match: MatchResult | None,
                  palette: list[str], host: HostSummary | None = None, bridge: str = "") -> StoryContext:
    """The context for a fresh plan; generic plans get nothing from the profile."""
    from .learned import lead_with

    personal = bool(profile and match and not match.fallback_generic and match.chosen_tier != "generic")
    interest = profile.tier(match.chosen_tier) if personal else None
    learned = profile.learned if profile else None
    tones = list(profile.style.tone_tags) if profile else ["informative", "practical"]
    points = list(match.selling_points) if match else []
    if learned is not None:  # what feedback taught leads: the tone, the facets that converted, the hook framework
        tones = lead_with([learned.tone, *tones] if learned.tone else tones, [learned.tone] if learned.tone else [])
        points = lead_with(list(dict.fromkeys([*points, *[f for f in learned.converting_facets
                                                          if f in product.selling_points]])),
                           learned.converting_facets)
    return StoryContext(
        product=product, language=profile.language if profile else "en", personal=personal,
        theme=copy_theme(interest, profile.language) if personal else "",
        world=world_of(interest, product, personal), keywords=list(interest.keywords[:4]) if interest else [],
        points=points, palette=palette, tone_tags=list(dict.fromkeys(tones)),
        pace=pace_of(profile), host=host, bridge=bridge,
        hook_framework=learned.hook_framework or "" if learned else "",
    )
