"""A simulated viewer grounded in a user profile, for evaluating evolution policies without real traffic.

Engagement probability of a variant = sigmoid of
  (a) how well its angle matches the person's interests (MiniLM cosine, weighted by tier),
  (b) hidden affinities for tone, visual style and hook style (profile tone tags and warmth shift them; a seeded
      random part plays the tastes no profile captures),
minus fatigue: exposure to the same angle and the same exact creative decays with recency (a different form from
the policy's own novelty discount, so the policy cannot simply read it off). Responses are drawn with a seeded RNG.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..schemas import TONE_TAGS, FeedbackEvent, Product, UserProfile
from .evolution import HOOK_STYLES, VISUAL_STYLES, SessionMemory, Variant

_TIER_WEIGHT = {"strong": 1.0, "medium": 0.75, "weak": 0.5}


@dataclass
class Response:
    probability: float
    engaged: bool
    event: FeedbackEvent


class UserSimulator:
    """One simulated person: call `respond(variant, memory)` once per impression."""

    def __init__(self, profile: UserProfile, product: Product, embedder, seed: int = 0, fatigue: float = 0.25,
                 noise: float = 0.04, duration: float = 15.0):
        self.profile, self.product, self.embedder = profile, product, embedder
        self.fatigue, self.noise, self.duration = fatigue, noise, duration
        taste = np.random.default_rng([seed, 1])
        self.rng = np.random.default_rng([seed, 2])
        interests = [i for i in profile.interests if i.theme not in profile.excluded_sensitive]
        texts = [f"{i.theme}. {i.summary}. {' '.join(i.keywords)}" for i in interests]
        self._vecs = embedder.embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        self._weights = np.array([_TIER_WEIGHT[i.tier] for i in interests], dtype=np.float32)
        warm = (profile.visual.warmth if profile.visual else 0.5) - 0.5
        self.tone_aff = {t: (0.35 if t in profile.style.tone_tags else 0.0) + taste.normal(0, 0.25)
                         for t in TONE_TAGS}
        base_style = {"warm": warm, "cool": -warm, "bold": 0.0, "soft": 0.0}
        self.style_aff = {s: base_style[s] + taste.normal(0, 0.25) for s in VISUAL_STYLES}
        self.hook_aff = {h: taste.normal(0, 0.3) for h in HOOK_STYLES}
        self._angle_cache: dict[str, float] = {}

    def match(self, variant: Variant) -> float:
        """Tier-weighted cosine between the variant's angle and the person's interests, in [-1, 1]."""
        if variant.angle not in self._angle_cache:
            if len(self._vecs) == 0:
                self._angle_cache[variant.angle] = 0.0
            else:
                v = self.embedder.embed([variant.angle])[0]
                self._angle_cache[variant.angle] = float(np.max((self._vecs @ v) * self._weights))
        return self._angle_cache[variant.angle]

    def appeal(self, variant: Variant) -> float:
        """Engagement probability on first sight (no fatigue)."""
        logit = (-3.0 + 5.0 * (self.match(variant) - 0.25) + self.tone_aff.get(variant.tone, 0.0)
                 + self.style_aff[variant.visual_style] + self.hook_aff[variant.hook_style])
        return 1.0 / (1.0 + math.exp(-logit))

    def fatigue_level(self, variant: Variant, memory: SessionMemory) -> float:
        level = 0.0
        n = memory.impressions
        for age, (angle, hook, style, tone) in enumerate(reversed(list(zip(
                memory.angles, memory.hook_styles, memory.visual_styles, memory.tones)))):
            decay = 0.7 ** age
            if angle == variant.angle:
                level += decay
                if (hook, style, tone) == (variant.hook_style, variant.visual_style, variant.tone):
                    level += 0.6 * decay  # the very same creative again tires fastest
        return level if n else 0.0

    def probability(self, variant: Variant, memory: SessionMemory) -> float:
        return self.appeal(variant) * math.exp(-self.fatigue * self.fatigue_level(variant, memory))

    def respond(self, variant: Variant, memory: SessionMemory, impression_id: str = "") -> Response:
        """Draw one impression's outcome; early skips happen when the creative barely appeals."""
        p = float(np.clip(self.probability(variant, memory) + self.rng.normal(0, self.noise), 0.0, 1.0))
        engaged = bool(self.rng.random() < p)
        iid = impression_id or f"sim-{memory.impressions + 1}"
        if engaged:
            event = FeedbackEvent(impression_id=iid, user_id=self.profile.user_id, watch_time=self.duration,
                                  clicks=1, replays=int(self.rng.random() < 0.2))
        else:
            # less appealing creatives are abandoned earlier (the hook window is the first 3 s)
            skip = float(np.clip(self.rng.normal(1.0 + 12.0 * p, 1.5), 0.3, self.duration))
            event = FeedbackEvent(impression_id=iid, user_id=self.profile.user_id, watch_time=skip, skip_time=skip)
        return Response(p, engaged, event)


def reward_of(response: Response, duration: float) -> float:
    """What the policy learns from: 1 for an engagement, else the watched share at half weight (dwell time)."""
    if response.engaged:
        return 1.0
    return 0.5 * min(response.event.watch_time / duration, 1.0)


def run_policy(sim: UserSimulator, choose, update=None, impressions: int = 20) -> dict[str, object]:
    """Serve `impressions` creatives chosen by `choose(memory)`.

    Returns expected engagement (sum of the engagement probabilities of what was shown: the low-variance measure),
    realized engagements (sum of the drawn outcomes) and the variants shown.
    """
    memory = SessionMemory()
    expected, realized, chosen = 0.0, 0, []
    for _ in range(impressions):
        variant = choose(memory)
        expected += sim.probability(variant, memory)
        response = sim.respond(variant, memory)
        realized += int(response.engaged)
        if update is not None:
            update(variant, reward_of(response, sim.duration))
        memory.record(variant)
        chosen.append(variant)
    return {"expected": expected, "realized": realized, "variants": chosen}


def compare_policies(profile: UserProfile, product: Product, embedder, static: Variant,
                     variants: Sequence[Variant], seeds: Sequence[int] = range(20), impressions: int = 20,
                     prior: dict[str, float] | None = None, oracle: bool = False) -> dict[str, float]:
    """Mean cumulative engagement of static, random and evolving (Thompson) policies over seeded simulations:
    `name` is the expected engagement (sum of probabilities), `name_realized` the drawn engagements."""
    from .evolution import ThompsonPolicy

    names = ("static", "random", "evolving", *(("oracle",) if oracle else ()))
    results: dict[str, list[float]] = {f"{n}{k}": [] for n in names for k in ("", "_realized")}
    for seed in seeds:
        pick = np.random.default_rng([seed, 3])
        policy = ThompsonPolicy(variants, seed=seed, prior=prior)
        runs = {
            "static": (lambda m: static, None),
            "random": (lambda m, pick=pick: variants[int(pick.integers(len(variants)))], None),
            "evolving": (policy.choose, policy.update),
        }
        current: list[UserSimulator] = []
        if oracle:  # headroom: greedy on the simulator's true probabilities (no policy can see these)
            runs["oracle"] = (lambda m, cur=current: max(variants, key=lambda v: cur[0].probability(v, m)), None)
        for name, (choose, update) in runs.items():
            sim = UserSimulator(profile, product, embedder, seed=seed)  # same person and same draws per policy
            current[:] = [sim]
            out = run_policy(sim, choose, update, impressions)
            results[name].append(out["expected"])
            results[f"{name}_realized"].append(out["realized"])
    return {name: float(np.mean(v)) for name, v in results.items()}


def explain_static_lead(profile: UserProfile, product: Product, embedder, static: Variant,
                        variants: Sequence[Variant], impressions: int, seed: int = 0) -> str:
    """Why, on the simulator, showing the same creative can beat evolving it for this person (one line)."""
    sim = UserSimulator(profile, product, embedder, seed=seed)
    appeal = {v: sim.appeal(v) for v in variants}
    best = max(appeal, key=appeal.get)
    mine = sim.appeal(static)
    ranked = sorted(appeal.values(), reverse=True)
    angles = {v.angle for v in variants}
    if mine >= 0.9 * appeal[best]:
        return (f"the Director's own creative is already close to the best the simulator knows ({mine:.2f} vs "
                f"{appeal[best]:.2f} first-sight appeal), so exploring other variants costs more than repeats tire")
    top = [v for v in variants if appeal[v] >= 0.8 * appeal[best]]
    if len({v.angle for v in top}) == 1 and len(angles) > 1:
        return (f"one angle dominates ('{best.angle}': every variant within 80% of the best uses it), so varying the "
                "angle only loses engagement")
    if ranked[0] - ranked[len(ranked) // 2] < 0.05:
        return (f"variants barely differ for this person (best {ranked[0]:.2f}, median {ranked[len(ranked) // 2]:.2f}"
                " first-sight appeal): there is little to learn")
    return (f"{impressions} impressions are too few to learn among {len(variants)} variants (best first-sight appeal "
            f"{appeal[best]:.2f}, the static creative's {mine:.2f})")
