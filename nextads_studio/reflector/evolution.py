"""Creative evolution across impressions (paper 3.3), at the plan level: no rendering, so it is fast.

- Session memory: the claims, angles, facets, hooks and visual styles already shown to one person.
- Diversity under consistency: variants differ in angle, hook, visual style and tone; brand, product facts and the
  closing CTA scene stay as verified.
- Facet allocation: later impressions lead with product facets not yet shown.
- Budgeted interventions live in `interventions.py` (re-exported here).
- Exploration/exploitation: factored Thompson sampling (Beta posteriors per angle, hook, style and tone) with a
  novelty factor from session memory, so repeats are discounted before the person tires of them.
Progressive storytelling arcs live in `storytelling.py` and are re-exported here.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..schemas import TONE_TAGS, CreativePlan, Directive, Product, ScenePatch, UserProfile
from . import rewrite
from .directives import apply_all
from .interventions import Intervention, choose_interventions, intervention_for
from .storytelling import ARC_STAGES, progressive_arc

HOOK_STYLES = ("question", "problem", "demo", "statement")
VISUAL_STYLES = ("warm", "cool", "bold", "soft")
_STYLE_WORDS = {"warm": "warm golden light", "cool": "cool crisp daylight", "bold": "bold high-contrast colour",
                "soft": "soft pastel light"}
FACTORS = ("angle", "hook_style", "visual_style", "tone")


@dataclass(frozen=True)
class Variant:
    """One creative hypothesis: which interest angle, hook style, visual style, tone and product facet to lead with."""

    angle: str
    hook_style: str
    visual_style: str
    tone: str
    facet: str = ""

    def key(self) -> str:
        return "|".join((self.angle, self.hook_style, self.visual_style, self.tone))

    def describe(self) -> str:
        return f"{self.angle}. A {self.tone} ad with {_STYLE_WORDS[self.visual_style]} and a {self.hook_style} hook."


@dataclass
class SessionMemory:
    """What one person has already been shown, oldest first."""

    angles: list[str] = field(default_factory=list)
    hooks: list[str] = field(default_factory=list)
    hook_styles: list[str] = field(default_factory=list)
    visual_styles: list[str] = field(default_factory=list)
    tones: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)

    @property
    def impressions(self) -> int:
        return len(self.angles)

    def record(self, variant: Variant, plan: CreativePlan | None = None) -> None:
        self.angles.append(variant.angle)
        self.hook_styles.append(variant.hook_style)
        self.visual_styles.append(variant.visual_style)
        self.tones.append(variant.tone)
        if variant.facet:
            self.facets.append(variant.facet)
        if plan is not None:
            self.hooks.append(plan.storyboard.hook)
            self.claims += [s.narration for s in plan.storyboard.scenes if s.product_focus and s.narration]

    def recent_repeats(self, variant: Variant, window: int = 3) -> float:
        """How much of the variant the person saw in the last `window` impressions (0 = all new)."""
        score = 0.0
        for name, seen in (("angle", self.angles), ("hook_style", self.hook_styles),
                           ("visual_style", self.visual_styles), ("tone", self.tones)):
            score += sum(1 for v in seen[-window:] if v == getattr(variant, name)) * _REPEAT_WEIGHT[name]
        return score


_REPEAT_WEIGHT = {"angle": 1.0, "hook_style": 0.5, "visual_style": 0.3, "tone": 0.2}


# --- variants and facets ----------------------------------------------------------------------------
def facets_of(product: Product) -> list[str]:
    """The product's facets a creative can lead with: selling points, then fact names."""
    return [*product.selling_points, *[k.replace("_", " ") for k in product.facts]]


def facet_label(product: Product, facet: str) -> str:
    """A facet as a person reads it: a fact name with its value ('Price: $699'), never the bare key ('price')."""
    key = facet.replace(" ", "_")
    if key in product.facts and facet not in product.selling_points:
        return f"{facet[:1].upper()}{facet[1:]}: {product.facts[key]}"
    return facet


def allocate_facets(product: Product, memory: SessionMemory, k: int = 1) -> list[str]:
    """The next k facets: never shown first (in the product's order), then the least recently shown."""
    facets = facets_of(product)
    last_seen = {f: i for i, f in enumerate(memory.facets)}
    ranked = sorted(facets, key=lambda f: (f in last_seen, last_seen.get(f, -1), facets.index(f)))
    return ranked[:k]


def candidate_variants(profile: UserProfile | None, product: Product) -> list[Variant]:
    """Every combination of the person's usable angles, hook styles, visual styles and tones."""
    angles = [i.theme for i in (profile.interests if profile else [])
              if i.theme not in (profile.excluded_sensitive if profile else [])]
    angles.append(f"{product.name}: {product.slogan or product.intro}".strip(": "))
    tones = list(dict.fromkeys([*(profile.style.tone_tags if profile else []), "energetic", "informative",
                                "playful"]))[:4]
    return [Variant(a, h, v, t) for a, h, v, t in itertools.product(angles, HOOK_STYLES, VISUAL_STYLES, tones)]


def base_variant(plan: CreativePlan) -> Variant:
    """The variant a Director plan already embodies (the 'static creative')."""
    angle = plan.match.chosen_theme if plan.match and plan.match.chosen_theme and not plan.match.fallback_generic \
        else f"{plan.product.name}: {plan.product.slogan or plan.product.intro}".strip(": ")
    warmth = plan.profile.visual.warmth if plan.profile and plan.profile.visual else 0.5
    tone = (plan.storyboard.tone_tags or (plan.profile.style.tone_tags if plan.profile else []) or ["warm"])[0]
    return Variant(angle, "statement", "warm" if warmth >= 0.5 else "cool", tone)


# --- realizing a variant as a plan -----------------------------------------------------------------
def realize_variant(plan: CreativePlan, variant: Variant, memory: SessionMemory | None = None) -> CreativePlan:
    """The plan's next version expressing `variant`: new hook, tone, style and facet; CTA scene and brand kept."""
    from ..schemas import RewriteHook, RewriteScene

    memory = memory or SessionMemory()
    facet = variant.facet or allocate_facets(plan.product, memory)[0]
    hook = _hook_line(plan, variant)
    scenes = plan.storyboard.scenes
    first, last = scenes[0].index, scenes[-1].index
    style = _STYLE_WORDS[variant.visual_style]
    patches = {first: ScenePatch(narration=hook, on_screen_text=rewrite.caption_for(hook, plan.product),
                                 visual=rewrite.trim_words(f"{scenes[0].visual.split(';')[0]}; {style}", 60))}
    middle = [s.index for s in scenes[1:-1]]
    facet_scene = next((i for i in middle if plan.scene(i).product_focus), middle[0] if middle else None)
    directives: list[Directive] = [RewriteHook(hook=hook, patches=patches, scenes=[first], cause="weak_hook",
                                               reason=f"evolution: {variant.hook_style} hook", source="evolution")]
    if facet_scene is not None and facet_scene != last:
        line = _facet_line(plan, facet)
        directives.append(RewriteScene(patches={facet_scene: ScenePatch(
            narration=line, on_screen_text=rewrite.caption_for(line, plan.product))}, scenes=[facet_scene],
            cause="style_tone", reason=f"evolution: lead with '{facet}'", source="evolution"))
    new = apply_all(plan, directives)
    data = new.model_dump()
    if variant.tone in TONE_TAGS:
        data["storyboard"]["tone_tags"] = [variant.tone]
    data["notes"][-1] += f" | variant {variant.key()} facet '{facet}'"
    return CreativePlan.model_validate(data)


def _hook_line(plan: CreativePlan, v: Variant) -> str:
    """The variant's hook in its framework, written by the copy engine (the one place copy is written)."""
    from ..director.copy.engine import copy_context, variant_lines

    p = plan.product
    interest = next((i for i in (plan.profile.interests if plan.profile else []) if i.theme == v.angle), None)
    ctx = copy_context(p, language=plan.storyboard.language, interest=interest, personal=interest is not None,
                       blocked=list(plan.profile.excluded_sensitive) if plan.profile else [])
    line = variant_lines(ctx, hook_style=v.hook_style, seed=plan.seed, avoid=[plan.storyboard.hook])["hook"]
    line = rewrite.trim_words(line or f"{_copy_theme(plan, v.angle).capitalize()}, meet {p.name}.",
                              rewrite.NARRATION_WORDS)
    return line if rewrite.is_safe(line) else rewrite.trim_words(f"Meet {p.name}.", rewrite.NARRATION_WORDS)


def _copy_theme(plan: CreativePlan, angle: str) -> str:
    """A readable theme for an angle: the interest's lexicon topic ('coffee'), never its raw key phrases; the
    product's own kind for the brand angle."""
    from ..director.storyboard import copy_theme

    interest = next((i for i in (plan.profile.interests if plan.profile else []) if i.theme == angle), None)
    if interest is None:
        return (plan.product.subcategory or plan.product.category).lower()
    return copy_theme(interest, plan.storyboard.language) or interest.theme.split(",")[0].strip()


def _facet_line(plan: CreativePlan, facet: str) -> str:
    p = plan.product
    key = facet.replace(" ", "_")
    if key in p.facts:
        return rewrite.trim_words(f"{p.name}. {facet.capitalize()}: {p.facts[key]}.", rewrite.NARRATION_WORDS)
    return rewrite.trim_words(f"{p.name}: {facet.rstrip('.')}.", rewrite.NARRATION_WORDS)


# --- exploration / exploitation --------------------------------------------------------------------
class ThompsonPolicy:
    """Factored Thompson sampling: a Beta posterior per factor value; a variant's sample is their product,
    discounted by how much of it the person saw recently (diversity under consistency)."""

    def __init__(self, variants: Sequence[Variant], seed: int = 0, prior: dict[str, float] | None = None,
                 novelty: float = 0.2):
        self.variants = list(variants)
        self.rng = np.random.default_rng(seed)
        self.novelty = novelty
        self.alpha: dict[tuple[str, str], float] = {}
        self.beta: dict[tuple[str, str], float] = {}
        for v in self.variants:
            for f in FACTORS:
                key = (f, getattr(v, f))
                # prior from the Director's own ranking (angle first), if given: a mild head start, not a verdict
                boost = (prior or {}).get(key[1], 0.0) if f == "angle" else 0.0
                self.alpha.setdefault(key, 1.0 + boost)
                self.beta.setdefault(key, 1.0)

    def choose(self, memory: SessionMemory) -> Variant:
        samples = {k: self.rng.beta(self.alpha[k], self.beta[k]) for k in self.alpha}
        best, best_score = self.variants[0], -1.0
        for v in self.variants:
            # a product of per-factor samples: factors combine multiplicatively, like additive effects on the
            # log-odds of engagement (a mean let a strong hook hide a weak angle)
            score = float(np.prod([samples[(f, getattr(v, f))] for f in FACTORS]))
            score *= (1.0 - self.novelty) ** memory.recent_repeats(v)
            if score > best_score:
                best, best_score = v, score
        return best

    def update(self, variant: Variant, reward: float) -> None:
        for f in FACTORS:
            key = (f, getattr(variant, f))
            self.alpha[key] += reward
            self.beta[key] += 1.0 - reward

    def posterior(self, factor: str, value: str) -> tuple[float, float]:
        """Posterior mean and standard deviation of one factor value's engagement."""
        a, b = self.alpha[(factor, value)], self.beta[(factor, value)]
        return a / (a + b), float(np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))))

    def explain(self, variant: Variant) -> str:
        """Why this variant: 'exploit' when it is also the best on posterior means, else 'explore' naming the most
        uncertain factor it tries; with each factor's mean +- sd."""
        def mean_score(v: Variant) -> float:
            return float(np.prod([self.posterior(f, getattr(v, f))[0] for f in FACTORS]))

        best = max(self.variants, key=mean_score)
        parts = [f"{f.replace('_', ' ')} {getattr(variant, f)[:24]} {m:.2f}+-{sd:.2f}"
                 for f in FACTORS for m, sd in [self.posterior(f, getattr(variant, f))]]
        if variant.key() == best.key():
            return "exploit (best on posterior means): " + "; ".join(parts)
        f = max(FACTORS, key=lambda f: self.posterior(f, getattr(variant, f))[1])
        return f"explore (most uncertain: {f.replace('_', ' ')}): " + "; ".join(parts)

    def posterior_means(self) -> dict[str, float]:
        return {f"{f}={v}": self.alpha[(f, v)] / (self.alpha[(f, v)] + self.beta[(f, v)]) for f, v in self.alpha}


def tier_prior(profile: UserProfile | None) -> dict[str, float]:
    """Angle prior from the profile's tiers: strong interests start ahead of weak ones."""
    weight = {"strong": 1.0, "medium": 0.5, "weak": 0.2}
    return {i.theme: weight[i.tier] for i in (profile.interests if profile else [])}


def simulate_for_ui(plan: CreativePlan, n: int, seed: int = 7, embedder=None) -> tuple[list[list], dict]:
    """Simulate n impressions for the plan's person: table rows for the evolving policy and cumulative
    expected-engagement series for the static creative, random variants and the evolving policy."""
    from ..schemas import UserProfile
    from .simulator import UserSimulator, reward_of
    from .storytelling import stage_for

    if embedder is None:
        from ..backends.offline import shared_embedder

        embedder = shared_embedder()
    profile = plan.profile or UserProfile(user_id=plan.user_id or "generic")
    variants = candidate_variants(profile, plan.product)
    static = base_variant(plan)
    policy = ThompsonPolicy(variants, seed=seed, prior=tier_prior(profile))
    pick = np.random.default_rng([seed, 3])
    choosers = {"static": lambda m: static, "random": lambda m: variants[int(pick.integers(len(variants)))],
                "evolving": policy.choose}
    series: dict[str, list[float]] = {}
    rows: list[list] = []
    for name, choose in choosers.items():
        sim = UserSimulator(profile, plan.product, embedder, seed=seed, duration=plan.storyboard.duration_sec)
        memory, total, curve = SessionMemory(), 0.0, []
        for i in range(n):
            variant = choose(memory)
            why = policy.explain(variant) if name == "evolving" else ""
            facet = allocate_facets(plan.product, memory)[0] if name == "evolving" else ""
            variant = Variant(variant.angle, variant.hook_style, variant.visual_style, variant.tone, facet)
            p = sim.probability(variant, memory)
            response = sim.respond(variant, memory)
            total += p
            curve.append(round(total, 3))
            if name == "evolving":
                policy.update(variant, reward_of(response, sim.duration))
                realized = realize_variant(plan, variant, memory)
                rows.append([i + 1, stage_for(i, n), facet_label(plan.product, facet), realized.storyboard.hook,
                             round(response.event.watch_time, 1), response.engaged, round(p, 3), why])
            memory.record(variant)
        series[name] = curve
    return rows, series


def variant_counts(chosen: Sequence[Variant]) -> dict[str, int]:
    return dict(Counter(v.angle for v in chosen))


__all__ = [
    "ARC_STAGES", "FACTORS", "HOOK_STYLES", "VISUAL_STYLES", "Intervention", "SessionMemory", "ThompsonPolicy",
    "Variant", "allocate_facets", "base_variant", "candidate_variants", "choose_interventions", "facets_of",
    "intervention_for", "progressive_arc", "realize_variant", "simulate_for_ui", "tier_prior", "variant_counts",
]
