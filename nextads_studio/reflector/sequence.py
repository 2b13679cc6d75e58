"""A sequence of creatives for one person and one product (paper 3.3.2): each impression is a fresh Director plan
that reads the session memory (the previous plans: hooks, angles, facets already said), written over as one stage
of a progressive arc: problem (product hidden) -> new routine -> lifestyle -> recap (the only call to action).

`check_arc` reads the plans back and lists every way the sequence breaks the arc, so a caller (and a test) can
hold the sequence to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..schemas import CreativePlan, Product, UserHistory
from .storytelling import arc_plan, stage_for

POLICIES = ("arc", "static")


@dataclass
class Impression:
    """One planned impression of a sequence."""

    index: int  # 1-based
    stage: str
    plan: CreativePlan
    facets: list[str] = field(default_factory=list)

    @property
    def hook(self) -> str:
        return self.plan.storyboard.hook

    def summary(self) -> dict:
        return {"impression": self.index, "stage": self.stage, "plan_id": self.plan.plan_id, "hook": self.hook,
                "facets": self.facets, "cta": self.plan.storyboard.cta}


def plan_sequence(director, history: UserHistory | None, product: Product, impressions: int = 4, *,
                  out_dir: Path, policy: str = "arc", seed: int = 7, duration: float = 15, aspect: str = "9:16",
                  mode: str = "nextads") -> list[Impression]:
    """Plan `impressions` creatives. policy 'arc' tells one story across them; 'static' shows the Director's one
    plan every time (the baseline an evolving sequence is compared with)."""
    if policy not in POLICIES:
        raise InputError(f"policy: {policy!r} is not one of {', '.join(POLICIES)}")
    if not 2 <= impressions <= 12:
        raise InputError(f"impressions: {impressions} is not supported; a sequence has 2 to 12 impressions")
    out_dir = Path(out_dir)
    previous: list[CreativePlan] = []
    shown: list[str] = []  # session memory: claim sources said, and every line said
    said: list[str] = []
    out: list[Impression] = []
    for i in range(impressions):
        folder = out_dir / f"impression_{i + 1}"
        if policy == "static":
            plan = out[0].plan if out else director.plan(history, product, mode=mode, duration=duration,
                                                        aspect=aspect, seed=seed, out_dir=folder)
            out.append(Impression(i + 1, "static", plan, _facets(plan)))
            continue
        base = director.plan(history, product, mode=mode, duration=duration, aspect=aspect, seed=seed,
                             out_dir=folder, previous_plans=previous)
        before = len(shown)
        plan = arc_plan(base, i, impressions, shown, said)
        previous.append(plan)
        out.append(Impression(i + 1, stage_for(i, impressions), plan, [facet_name(src, product)
                                                                        for src in shown[before:]]))
    return out


def facet_name(source: str, product: Product) -> str:
    """A claim source as a person reads it: 'selling_points[1]' -> the selling point, 'facts.price' ->
    'Price: $18'."""
    m = re.fullmatch(r"selling_points\[(\d+)\]", source)
    if m and int(m.group(1)) < len(product.selling_points):
        return product.selling_points[int(m.group(1))].rstrip(".")
    key = source.removeprefix("facts.")
    if key in product.facts:
        return f"{key.replace('_', ' ').capitalize()}: {product.facts[key]}"
    return source


def _facets(plan: CreativePlan) -> list[str]:
    from ..director.learned import facets_led

    return facets_led(plan)


# --- holding a sequence to the arc --------------------------------------------------------------
def _said(plan: CreativePlan) -> str:
    return " ".join(f"{s.narration} {s.on_screen_text}" for s in plan.storyboard.scenes)


def product_hidden(plan: CreativePlan) -> bool:
    """Nothing a viewer hears or reads names the product or its brand, and no scene shows the product, a product
    image or the logo. (Scene `visual` fields are the Producer's brief, never shown, so a brand that is also a
    common word, 'Tempo' in 'tempo run', does not count there.)"""
    p = plan.product
    text = _said(plan)
    named = p.name.lower() in text.lower() or bool(p.brand and re.search(rf"\b{re.escape(p.brand)}\b", text))
    shown = any(a.product_image or a.logo for a in plan.grounding.scene_assets)
    return not named and not shown and not any(s.product_focus for s in plan.storyboard.scenes)


# imperative calls to action (a selling point like "live order tracking" is not one)
_CTA = re.compile(r"\b(tap to|tap now|shop now|buy now|order now|get yours|see it today|learn more)\b|"
                  r"(点击|立即购买|马上入手)", re.I)


def has_cta(plan: CreativePlan) -> bool:
    return bool(plan.storyboard.cta) or any(_CTA.search(f"{s.narration} {s.on_screen_text}")
                                            for s in plan.storyboard.scenes)


def claims(plan: CreativePlan) -> list[str]:
    """The product claims a plan makes: its lines that name a selling point or a fact value."""
    p = plan.product
    values = [str(v).lower() for v in p.facts.values() if str(v).strip()]
    points = [sp.lower().rstrip(".") for sp in p.selling_points]
    out = []
    for s in plan.storyboard.scenes:
        line = s.narration.lower()
        if any(v in line for v in values) or any(pt in line for pt in points):
            out.append(s.narration)
    return out


def check_arc(plans: Sequence[CreativePlan]) -> list[str]:
    """Every way the sequence breaks the arc (empty = it follows it)."""
    problems = []
    if plans and not product_hidden(plans[0]):
        problems.append("impression 1 shows or names the product")
    for i, plan in enumerate(plans):
        if i < len(plans) - 1 and has_cta(plan):
            problems.append(f"impression {i + 1} has a call to action before the last impression")
    if plans and not has_cta(plans[-1]):
        problems.append("the last impression has no call to action")
    hooks = [p.storyboard.hook for p in plans]
    if len(set(hooks)) < len(hooks):
        problems.append("hooks repeat across impressions")
    seen: dict[str, int] = {}
    for i, plan in enumerate(plans):
        for claim in claims(plan):
            key = claim.lower()
            if key in seen and seen[key] != i:
                problems.append(f"impression {i + 1} repeats a claim from impression {seen[key] + 1}: {claim!r}")
            seen.setdefault(key, i)
    return problems
