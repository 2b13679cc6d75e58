"""Storyboards from templates: timing, hook, beats, CTA (PCG) or a start-frame round trip (PCI).

Also the Reflector's entry points: `rewrite_opening` (a new 0-3 s after an early skip) and `alternative_angle`
(the next story angle across impressions).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import InputError
from ..schemas.common import ASPECTS, DEFAULT_ASPECT
from ..schemas.plan import CreativePlan, HostSummary, MatchResult, Scene, Storyboard
from ..schemas.product import Product
from ..schemas.profile import Interest, UserProfile
from ..schemas.revision import ScenePatch
from .copy.engine import CopyContext, SceneCopy, copy_context, rewrite_line, write_scenes
from .copy.frameworks import FRAMEWORKS, VISUAL_BEAT, tone_family
from .copy.lexicon import human_theme
from .copy.lint import board_lines, lint
from .matching import product_topics
from .sensitive import find_sensitive
from .templates import BEATS, PCI
from .visual import colour_name

# Framework names in the order progressive storytelling uses them across impressions.
ANGLES: tuple[str, ...] = tuple(f.name for f in FRAMEWORKS)


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
    interest: Interest | None = None  # the chosen interest (personal plans only)


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
    """Fill a visual description (shot text for the Producer, never spoken or shown)."""
    colours = " and ".join(colour_name(c) for c in ctx.palette[:2]) if ctx.palette else "neutral"
    if ctx.language == "zh" and ctx.palette:
        colours = "、".join(colour_name(c) for c in ctx.palette[:2])
    host = ctx.host
    values = {
        "name": ctx.product.name, "brand": ctx.product.brand, "slogan": ctx.product.slogan or ctx.product.name,
        "theme": ctx.theme or ctx.product.subcategory or "everyday", "world": ctx.world, "colours": colours,
        "point": point, "host": (host.topic if host else "the host scene"),
        "host_look": ", ".join(host.style_tags[:3]) if host and host.style_tags else "the host's look",
        "bridge": ctx.bridge,
    }
    return template.format(**values).strip()


def _safe(text: str, ctx: StoryContext, fallback: str) -> str:
    """Never let a sensitive or excluded theme reach a visual description: fall back to product-only text."""
    lowered = text.lower()
    if find_sensitive(text) or any(b and b.lower() in lowered for b in ctx.blocked):
        return fallback
    return text


def copy_context_of(ctx: StoryContext) -> CopyContext:
    """The copy engine's view of a story context."""
    return copy_context(ctx.product, language=ctx.language, interest=ctx.interest, personal=ctx.personal,
                        tone=tone_family(ctx.tone_tags), preferred_points=ctx.points, blocked=ctx.blocked,
                        product_topics=list(product_topics(ctx.product)))


def make_storyboard(ctx: StoryContext, *, task: str = "pcg", duration: float = 15, aspect: str = DEFAULT_ASPECT,
                    seed: int = 7, previous: Sequence[CreativePlan] = (), angle: str | None = None,
                    used_angles: Sequence[str] = (), avoid_hooks: Sequence[str] = ()) -> Storyboard:
    """A storyboard that validates and passes copy lint: PCG hook -> framework beats -> CTA, or PCI in-world.
    `previous` plans and remembered `used_angles` / `avoid_hooks` (oldest first) rotate framework and hook."""
    if aspect not in ASPECTS:
        raise InputError(f"aspect: {aspect!r} is not supported; use one of {', '.join(ASPECTS)}")
    durations = scene_durations(duration, ctx.pace)
    cctx = copy_context_of(ctx)
    said = {s.claim_source for p in previous for s in p.storyboard.scenes if s.claim_source}
    if said:  # consecutive plans lead with claims the person has not heard yet
        cctx.claims = [c for c in cctx.claims if c.source not in said] + [c for c in cctx.claims if c.source in said]
    used = [a for a in used_angles if a] + [plan_angle(p) for p in previous]
    framework, copies = write_scenes(cctx, durations, task=task, seed=seed, used_frameworks=used,
                                     avoid_hooks=[h for h in avoid_hooks if h] + [p.storyboard.hook for p in previous],
                                     framework=angle,
                                     hook_style=ctx.hook_framework)
    scenes = (_pci_scenes if task == "pci" else _pcg_scenes)(ctx, durations, copies)
    board = Storyboard(
        duration_sec=float(sum(durations)), aspect=aspect, hook=scenes[0].narration if task == "pcg" else
        next((s.narration for s in scenes if s.narration), ""), cta=scenes[-1].on_screen_text if task == "pcg"
        else "", tone_tags=ctx.tone_tags[:3], language=ctx.language, scenes=scenes,
        timing_notes=f"angle={framework.name}; framework={framework.label}; pace={ctx.pace}; "
                     f"cuts every {min(durations)}-{max(durations)} s",
    )
    return clean_storyboard(board, ctx.product, task)


def clean_storyboard(board: Storyboard, product: Product, task: str) -> Storyboard:
    """Blank any line lint still flags (the engine checks each line; this is the whole-ad pass)."""
    findings = lint(board_lines(board, task), product=product, language=board.language)
    if not findings:
        return board
    data = board.model_dump()
    for f in findings:
        scene = data["scenes"][f.scene]
        if f.kind in ("narration", "hook", "caption"):
            scene["narration"] = ""
        else:
            scene["on_screen_text"] = ""
    data["hook"] = data["scenes"][0]["narration"] if task == "pcg" else data["hook"]
    name = product.name
    if task == "pcg":
        if not data["scenes"][0]["narration"]:
            data["scenes"][0]["narration"] = data["hook"] = (f"认识{name}。" if board.language == "zh"
                                                             else f"Meet {name}.")
        if not data["scenes"][-1]["on_screen_text"]:
            data["scenes"][-1]["on_screen_text"] = name
        data["cta"] = data["scenes"][-1]["on_screen_text"]
    return Storyboard.model_validate(data)


def _pcg_scenes(ctx: StoryContext, durations: Sequence[int], copies: Sequence[SceneCopy]) -> list[Scene]:
    lang = ctx.language
    motions, transitions = _motions(ctx.pace)
    scenes, t = [], 0
    last = len(durations) - 1
    for i, (d, c) in enumerate(zip(durations, copies, strict=True)):
        if i == 0:
            goal, visual, focus, motion, trans = "hook: stop the scroll within 2 s", _hook_visual(ctx), False, \
                "push_in", "cut"
        elif i == last:
            goal = "CTA with a product hero shot"
            # "logo visible" only for a product that has a logo: otherwise the shot promises what no frame shows
            mark = ("logo" if ctx.product.logo else "product name") if lang == "en" else (
                "品牌标志" if ctx.product.logo else "产品名称")
            visual = _fill(f"product hero shot centred on a clean {{colours}} background, {mark} visible, "
                           "call to action card" if lang == "en" else
                           f"产品主图居中，{{colours}}纯净背景，{mark}清晰可见，行动号召字卡", ctx)
            focus, motion, trans = True, "push_in", transitions[i % len(transitions)]
        else:
            vbeat = VISUAL_BEAT.get(c.beat, "in_use")
            if not (ctx.personal and ctx.world) and vbeat in ("context", "tension"):
                vbeat = "reveal"
            goal, visual, _, _ = BEATS[lang][vbeat]
            visual = _fill(visual, ctx)
            if c.claim_source:
                goal = f"prove one claim from the product record ({c.claim_source})"
            focus = vbeat in ("reveal", "feature", "in_use", "payoff")
            motion, trans = motions[i % len(motions)], transitions[i % len(transitions)]
        visual = _safe(visual, ctx, f"product image of {ctx.product.name} on a clean background")
        scenes.append(Scene(index=i, start=float(t), end=float(t + d), shot_goal=goal, visual=visual,
                            camera_motion=motion, transition=trans, narration=c.narration,
                            on_screen_text=c.on_screen, product_focus=focus, personalization_used=c.cues[:4],
                            claim_source=c.claim_source))
        t += d
    return scenes


def _hook_visual(ctx: StoryContext) -> str:
    if ctx.language == "zh":
        return _fill("快速推近：{world}的特写，{colours}色调，画面干净" if ctx.personal and ctx.world
                     else "快速推近：产品局部特写，{colours}色调", ctx)
    return _fill("fast push-in on {world}, {colours} tones, bold and uncluttered" if ctx.personal and ctx.world
                 else "fast push-in on a product detail, {colours} tones, bold and uncluttered", ctx)


def _pci_scenes(ctx: StoryContext, durations: Sequence[int], copies: Sequence[SceneCopy]) -> list[Scene]:
    parts = PCI[ctx.language]
    scenes, t = [], 0
    n = len(durations)
    for i, (d, c) in enumerate(zip(durations, copies, strict=True)):
        key = "open" if i == 0 else "return" if i == n - 1 else ("bridge" if c.beat == "bridge" else "use")
        goal, visual, _ = parts[key]
        if key == "use":  # rotate so consecutive in-world scenes differ
            visual = visual[(i - 2) % len(visual)]
        motion = {"open": "static", "return": "static", "bridge": "parallax"}.get(key, "pan_right")
        visual = _safe(_fill(visual, ctx), ctx, f"product image of {ctx.product.name} on a clean background")
        scenes.append(Scene(index=i, start=float(t), end=float(t + d), shot_goal=goal, visual=visual,
                            camera_motion=motion, transition="cut" if i == 0 else "crossfade",
                            narration=c.narration, on_screen_text="", product_focus=key in ("bridge", "use"),
                            personalization_used=c.cues[:4], claim_source=c.claim_source))
        t += d
    return scenes


def plan_angle(plan: CreativePlan) -> str:
    """The story angle recorded in a plan's timing notes ('' when unknown)."""
    return board_angle(plan.storyboard)


def board_angle(board: Storyboard) -> str:
    m = re.search(r"angle=([a-z_]+)", board.timing_notes or "")
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
    scenes = plan.storyboard.scenes
    others = [t for s in scenes[1:] for t in (s.narration, s.on_screen_text)] + [plan.storyboard.hook]
    hook, text = rewrite_line(copy_context_of(ctx), "hook", scenes[0].duration, ad_lines=others, seed=seed)
    hook = hook or plan.storyboard.hook
    patches: dict[int, ScenePatch] = {}
    for scene in scenes:
        if scene.start >= 3 or scene.index == len(scenes) - 1:
            break
        if scene.index == 0:
            visual = _fill("{name} already in use in the first second: {world}, fast push-in, {colours} tones"
                           if ctx.world else "{name} already in use in the first second, fast push-in, "
                           "{colours} tones", ctx)
            patches[0] = ScenePatch(narration=hook, on_screen_text=text or scene.on_screen_text, visual=_safe(
                visual, ctx, f"{ctx.product.name} in use, fast push-in"), camera_motion="push_in",
                product_focus=True, shot_goal="hook: product in use within 2 s")
        else:
            patches[scene.index] = ScenePatch(transition="whip", camera_motion="pan_left")
    return hook, patches


def plan_copy_context(plan: CreativePlan, *, tier: str | None = None, personal: bool | None = None) -> CopyContext:
    """The copy engine's context for an existing plan (the Reflector's and directives' entry point); `tier`
    re-targets another interest of the plan's profile, `personal=False` gives product-only copy."""
    ctx = context_from_plan(plan, tier=tier)
    if personal is False:
        ctx.personal, ctx.interest, ctx.theme = False, None, ""
    return copy_context_of(ctx)


def context_from_plan(plan: CreativePlan, tier: str | None = None) -> StoryContext:
    """Rebuild the template context from a plan (the Reflector has the plan, not the history)."""
    profile = plan.profile if plan.mode == "nextads" else None
    match = plan.match
    personal = bool(profile and match and not match.fallback_generic and match.chosen_tier != "generic")
    if tier is not None and profile is not None:
        personal = profile.tier(tier) is not None
    interest = profile.tier(tier or match.chosen_tier) if personal else None
    return StoryContext(
        product=plan.product, language=plan.storyboard.language, personal=personal,
        theme=copy_theme(interest, plan.storyboard.language) if personal else "",
        world=world_of(interest, plan.product, personal), interest=interest,
        keywords=list(interest.keywords[:4]) if interest else [], points=list(match.selling_points) if match else [],
        palette=list(plan.grounding.palette), tone_tags=list(plan.storyboard.tone_tags), pace=pace_of(profile),
        host=plan.integration.host_summary if plan.integration else None,
        hook_framework=profile.learned.hook_framework or "" if profile and profile.learned else "",
        blocked=list(profile.excluded_sensitive) if profile else [],
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
    """The theme as a person would say it ("woodworking", "running"), from the copy lexicon."""
    return human_theme(interest, language) if interest is not None else ""


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
        interest=interest, blocked=list(profile.excluded_sensitive) if profile else [],
        pace=pace_of(profile), host=host, bridge=bridge,
        hook_framework=learned.hook_framework or "" if learned else "",
    )
