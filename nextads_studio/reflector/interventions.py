"""Budgeted interventions (paper 3.3): every proposed change says what kind of work it is, what it is expected
to gain and what it costs, and the Reflector picks under the budget a marketer sets.

Kinds, cheapest first: a recaption (on-screen words only), a text edit (words and voice-over), a retime (scene
boundaries), a re-plan of a scene (words, visuals and assets of a few scenes), a re-render (same plan, new take or
asset), a full re-plan (profile, match or tone: every scene changes).

Cost is in seconds of rendering: the seconds of video whose scenes re-render times the measured render rate
(render seconds per video second, from the last creative when there is one), plus voice-over and planning
overheads; with a cloud video backend, also dollars (generated seconds times the model's price).
Expected gain is confidence x how much of the problem the kind of change addresses x severity, a unitless score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .. import rules
from ..schemas import CreativePlan, Directive

InterventionKind = Literal["recaption", "text_edit", "retime", "replan_scene", "rerender", "full_replan"]
KINDS: tuple[str, ...] = InterventionKind.__args__  # type: ignore[attr-defined]
_LABEL = {"recaption": "recaption", "text_edit": "cheap text edit", "retime": "retime",
          "replan_scene": "re-plan of a scene", "rerender": "re-render", "full_replan": "full re-plan"}

DEFAULT_RENDER_RATE = 1.0  # render seconds per second of video, until a creative tells us the real rate
_VOICE_S = 0.4  # one voice-over line, offline TTS
_PLAN_S = {"full_replan": 2.0, "replan_scene": 0.3}
_SEVERITY = {"critical": 3.0, "major": 2.0, "minor": 1.0}
# How much of the attributed problem a kind of change addresses (1 = all of it).
_IMPACT = {"recaption": 0.35, "text_edit": 0.7, "retime": 0.8, "replan_scene": 1.0, "rerender": 0.6,
           "full_replan": 1.0}


def kind_of(directive: Directive, plan: CreativePlan) -> InterventionKind:
    """The kind of work a directive is, read from what it changes."""
    k = directive.kind
    if k == "recaption":
        return "recaption"
    if k == "retime":
        return "retime"
    if k in ("rewrite_scene", "rewrite_hook"):
        patches = getattr(directive, "patches", {}).values()
        visual = any(p.visual is not None or p.product_focus is not None for p in patches)
        return "replan_scene" if visual or k == "rewrite_hook" else "text_edit"
    if k in ("regenerate_scene", "swap_asset"):
        return "rerender"
    return "full_replan"


@dataclass
class Intervention:
    """One proposed change, as work: kind, expected gain, cost; `issue` groups alternatives for one problem."""

    kind: InterventionKind
    directive: Directive
    expected_gain: float
    cost: float  # render seconds
    mandatory: bool = False
    issue: str = ""
    cloud_usd: float = 0.0
    scenes_rerendered: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _LABEL[self.kind]

    def describe(self) -> str:
        money = f", ${self.cloud_usd:.2f} cloud" if self.cloud_usd else ""
        must = " (required: compliance)" if self.mandatory else ""
        return (f"{self.label}: {self.directive.kind} on scenes {self.directive.scenes or 'all'}; expected gain "
                f"{self.expected_gain:.2f}, cost {self.cost:.1f} s render{money}{must}")


def rerendered_scenes(directive: Directive, plan: CreativePlan) -> list[int]:
    """The scenes the Producer's cache will re-render for this change."""
    every = [s.index for s in plan.storyboard.scenes]
    if directive.kind == "retime":
        old = [s.start for s in plan.storyboard.scenes] + [plan.storyboard.duration_sec]
        moved = [i for i, (a, b) in enumerate(zip(old, directive.boundaries)) if abs(a - b) > 1e-6]
        first = max(0, (moved[0] if moved else len(every)) - 1)
        return every[first:]
    if directive.kind == "recaption":
        return sorted(int(i) for i in directive.captions)
    if kind_of(directive, plan) == "full_replan":
        return every
    return list(directive.scenes) or every


def intervention_for(directive: Directive, plan: CreativePlan, severity: str | None = None, *,
                     render_rate: float = DEFAULT_RENDER_RATE, cloud_price_per_s: float = 0.0,
                     issue: str = "") -> Intervention:
    """Price one directive: render seconds (and cloud dollars) for the scenes it re-renders; gain from confidence."""
    kind = kind_of(directive, plan)
    scenes = rerendered_scenes(directive, plan)
    seconds = sum(plan.scene(i).end - plan.scene(i).start for i in scenes)
    voiced = sum(1 for p in getattr(directive, "patches", {}).values() if p.narration)
    cost = seconds * render_rate + voiced * _VOICE_S + _PLAN_S.get(kind, 0.0)
    gain = directive.confidence * _IMPACT[kind] * _SEVERITY.get(severity or "", 1.0)
    mandatory = directive.source == "verifier" and severity in rules.BLOCKING  # what stops the Verifier's accept
    cloud = seconds * cloud_price_per_s if kind in ("replan_scene", "rerender", "full_replan") else 0.0
    return Intervention(kind, directive, round(gain, 3), round(max(cost, 0.1), 2), mandatory,
                        issue or f"{directive.cause}:{directive.scenes}", round(cloud, 2), scenes)


@dataclass
class Budget:
    """What the marketer allows one revision to spend; None = no limit."""

    render_seconds: float | None = None
    cloud_usd: float | None = None

    def allows(self, seconds: float, usd: float) -> bool:
        return ((self.render_seconds is None or seconds <= self.render_seconds + 1e-9)
                and (self.cloud_usd is None or usd <= self.cloud_usd + 1e-9))


def choose_interventions(interventions: Sequence[Intervention], budget: float | Budget | None) -> list[Intervention]:
    """At most one alternative per issue. Required compliance fixes first (their most effective alternative, even
    over budget); then, by gain per second, the best alternative that still fits. With no budget, every issue gets
    its most effective alternative."""
    if not isinstance(budget, Budget):
        budget = Budget(render_seconds=budget)
    issues: dict[str, list[Intervention]] = {}
    for item in interventions:
        issues.setdefault(item.issue, []).append(item)
    chosen: list[Intervention] = []
    for options in issues.values():
        if any(o.mandatory for o in options):
            chosen.append(max(options, key=lambda o: (o.expected_gain, -o.cost)))
    spent = sum(i.cost for i in chosen)
    usd = sum(i.cloud_usd for i in chosen)
    served = {i.issue for i in chosen}
    unlimited = budget.render_seconds is None and budget.cloud_usd is None
    rank = (lambda o: (-o.expected_gain, o.cost)) if unlimited else (lambda o: (-o.expected_gain / o.cost, o.cost))
    for item in sorted((i for i in interventions if i.issue not in served), key=rank):
        if item.issue in served:
            continue
        if budget.allows(spent + item.cost, usd + item.cloud_usd):
            chosen.append(item)
            served.add(item.issue)
            spent += item.cost
            usd += item.cloud_usd
    # upgrade: where money is left, swap a cheap fix for its issue's more effective alternative
    for n, item in enumerate(chosen):
        for alt in sorted(issues[item.issue], key=lambda o: -o.expected_gain):
            if alt.expected_gain <= item.expected_gain:
                break
            if budget.allows(spent - item.cost + alt.cost, usd - item.cloud_usd + alt.cloud_usd):
                spent += alt.cost - item.cost
                usd += alt.cloud_usd - item.cloud_usd
                chosen[n] = alt
                break
    order = {id(i): n for n, i in enumerate(interventions)}
    return sorted(chosen, key=lambda i: order[id(i)])


def summary(options: Sequence[Intervention], chosen: Sequence[Intervention], budget: float | Budget | None) -> str:
    """One line: what was picked, what it costs, what was left out and why."""
    if not isinstance(budget, Budget):
        budget = Budget(render_seconds=budget)
    spent = sum(i.cost for i in chosen)
    left = [o for o in options if o.issue not in {c.issue for c in chosen}]
    limit = f"{budget.render_seconds:.0f} s" if budget.render_seconds is not None else "no limit"
    text = f"picked {len(chosen)} change(s) costing {spent:.1f} s of render (budget {limit})"
    if left:
        text += f"; left out {len({o.issue for o in left})} issue(s) that did not fit"
    return text
