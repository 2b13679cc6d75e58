"""Feedback decisions from aggregates, never from one impression.

The events of one plan version are counted into rates (early-skip, mid-way drop-off, completion, CTR among
viewers who finished, conversions). Each rate gets a Beta posterior (uniform prior); a rate becomes a decision only
when the version has at least `MIN_IMPRESSIONS` impressions and the posterior puts the rate on the wrong side of
its norm with probability >= `DECISION_CONFIDENCE`. That probability is the decision's stated confidence.

The norms are short-form video rules of thumb (a third of viewers gone in the first 3 s is a weak hook; under
one in ten finishers clicking is a CTA that does not land); they are defaults a caller can override.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from scipy.stats import beta as beta_dist

from .. import rules
from ..schemas import CreativePlan, FeedbackEvent
from .attribution import HOOK_WINDOW_S, Attribution, scenes_overlapping

MIN_IMPRESSIONS = rules.MIN_FEEDBACK_IMPRESSIONS
DECISION_CONFIDENCE = rules.FEEDBACK_CONFIDENCE
# rate -> (norm, which side is bad)
NORMS: dict[str, tuple[float, Literal["above", "below"]]] = {
    "early_skip_rate": (0.35, "above"),
    "midway_drop_rate": (0.35, "above"),
    "completion_rate": (0.30, "below"),
    "finisher_ctr": (0.10, "below"),
    "ctr": (0.05, "below"),
    "cvr": (0.01, "below"),
}
_LABELS = {"early_skip_rate": "early-skip rate", "midway_drop_rate": "mid-way drop-off", "completion_rate":
           "completion rate", "finisher_ctr": "CTR among finishers", "ctr": "CTR", "cvr": "conversion rate"}
_END_SLACK_S = 2.0  # watching to within 2 s of the end counts as finishing (the CTA card is on screen)


@dataclass(frozen=True)
class Rate:
    """k of n impressions, with the Beta(1 + k, 1 + n - k) posterior against a norm."""

    name: str
    k: int
    n: int
    norm: float
    bad_side: Literal["above", "below"]

    @property
    def value(self) -> float:
        return self.k / self.n if self.n else 0.0

    @property
    def mean(self) -> float:
        return (1 + self.k) / (2 + self.n)

    def interval(self, mass: float = 0.9) -> tuple[float, float]:
        lo = (1 - mass) / 2
        a, b = 1 + self.k, 1 + self.n - self.k
        return float(beta_dist.ppf(lo, a, b)), float(beta_dist.ppf(1 - lo, a, b))

    @property
    def p_bad(self) -> float:
        """Posterior probability that the true rate is on the bad side of the norm."""
        a, b = 1 + self.k, 1 + self.n - self.k
        above = float(beta_dist.sf(self.norm, a, b))
        return above if self.bad_side == "above" else 1.0 - above

    def decided(self, min_n: int = MIN_IMPRESSIONS, confidence: float = DECISION_CONFIDENCE) -> bool:
        return self.n >= min_n and self.p_bad >= confidence

    def describe(self) -> str:
        lo, hi = self.interval()
        side = "above" if self.bad_side == "above" else "below"
        return (f"{_LABELS.get(self.name, self.name)} {self.value:.0%} ({self.k}/{self.n}; 90% interval "
                f"{lo:.0%}-{hi:.0%}); P({side} the {self.norm:.0%} norm) = {self.p_bad:.0%}")


@dataclass
class VersionFeedback:
    """The aggregate of one plan version's impressions."""

    plan_version: int | None
    duration: float
    events: list[FeedbackEvent] = field(default_factory=list)

    @property
    def impressions(self) -> int:
        return len(self.events)

    def _rate(self, name: str, k: int, n: int | None = None) -> Rate:
        norm, side = NORMS[name]
        return Rate(name, k, self.impressions if n is None else n, norm, side)

    def early_skips(self) -> list[FeedbackEvent]:
        return [e for e in self.events if _skipped_at(e) is not None and _skipped_at(e) < HOOK_WINDOW_S
                and not _engaged(e)]

    def midway_drops(self) -> list[FeedbackEvent]:
        return [e for e in self.events if (t := _skipped_at(e)) is not None and HOOK_WINDOW_S <= t
                < self.duration - _END_SLACK_S and not _engaged(e)]

    def finishers(self) -> list[FeedbackEvent]:
        return [e for e in self.events if e.watch_time >= self.duration - _END_SLACK_S]

    def rates(self) -> dict[str, Rate]:
        finishers = self.finishers()
        return {
            "early_skip_rate": self._rate("early_skip_rate", len(self.early_skips())),
            "midway_drop_rate": self._rate("midway_drop_rate", len(self.midway_drops())),
            "completion_rate": self._rate("completion_rate", len(finishers)),
            "finisher_ctr": self._rate("finisher_ctr", sum(1 for e in finishers if e.clicks), len(finishers)),
            "ctr": self._rate("ctr", sum(1 for e in self.events if e.clicks)),
            "cvr": self._rate("cvr", sum(1 for e in self.events if e.conversions)),
        }

    def mean_watch_time(self) -> float:
        return sum(e.watch_time for e in self.events) / self.impressions if self.events else 0.0


def _skipped_at(event: FeedbackEvent) -> float | None:
    return event.skip_time


def _engaged(event: FeedbackEvent) -> bool:
    return bool(event.clicks or event.conversions or event.replays)


def for_version(plan: CreativePlan, events: Sequence[FeedbackEvent]) -> VersionFeedback:
    """The events that belong to this plan version (events naming another version or plan are left out)."""
    mine = [e for e in events if (e.plan_version is None or e.plan_version == plan.version)
            and (e.plan_id is None or e.plan_id == plan.plan_id)]
    return VersionFeedback(plan.version, plan.storyboard.duration_sec, mine)


def by_version(events: Sequence[FeedbackEvent], duration: float) -> dict[int | None, VersionFeedback]:
    """Events grouped by the plan version they record (None: not recorded)."""
    out: dict[int | None, VersionFeedback] = {}
    for e in events:
        out.setdefault(e.plan_version, VersionFeedback(e.plan_version, duration)).events.append(e)
    return dict(sorted(out.items(), key=lambda kv: (kv[0] is None, kv[0] or 0)))


@dataclass
class FeedbackDecision:
    """What the aggregate says about one rate: a cause to fix, or why nothing is decided yet."""

    rate: Rate
    cause: str
    decided: bool
    reason: str
    scenes: list[int] = field(default_factory=list)


def decide(plan: CreativePlan, agg: VersionFeedback, min_n: int = MIN_IMPRESSIONS,
           confidence: float = DECISION_CONFIDENCE) -> list[FeedbackDecision]:
    """One decision per actionable rate, decided or not, each with its numbers."""
    rates = agg.rates()
    out = []
    checks = (("early_skip_rate", "weak_hook", "rewrite the opening"),
              ("midway_drop_rate", "timing_transitions", "tighten the scene where viewers leave"),
              ("finisher_ctr", "unclear_cta", "sharpen the call to action"))
    for name, cause, action in checks:
        rate = rates[name]
        ok = rate.decided(min_n, confidence)
        if rate.n < min_n:
            why = f"{rate.describe()}: not decided, {rate.n} of the {min_n} impressions needed"
        elif ok:
            why = f"{rate.describe()}: {action}"
        else:
            why = f"{rate.describe()}: below the {confidence:.0%} needed to act"
        out.append(FeedbackDecision(rate, cause, ok, why, _scenes_for(cause, plan, agg)))
    return out


def _scenes_for(cause: str, plan: CreativePlan, agg: VersionFeedback) -> list[int]:
    if cause == "weak_hook":
        return scenes_overlapping(plan, 0.0, HOOK_WINDOW_S)
    if cause == "unclear_cta":
        return [plan.storyboard.scenes[-1].index]
    drop_scene = drop_off_scene(plan, agg)
    return [] if drop_scene is None else [drop_scene]


def drop_off_scene(plan: CreativePlan, agg: VersionFeedback) -> int | None:
    """The scene in which most mid-way drop-offs happen (None without drop-offs)."""
    counts: dict[int, int] = {}
    for e in agg.midway_drops():
        t = _skipped_at(e) or 0.0
        for s in plan.storyboard.scenes:
            if s.start <= t < s.end:
                counts[s.index] = counts.get(s.index, 0) + 1
    return max(counts, key=lambda i: (counts[i], -i)) if counts else None


def attributions(plan: CreativePlan, events: Sequence[FeedbackEvent], min_n: int = MIN_IMPRESSIONS,
                 confidence: float = DECISION_CONFIDENCE) -> list[Attribution]:
    """The Reflector's feedback attributions: one per decided rate, its confidence the posterior probability."""
    agg = for_version(plan, events)
    out = []
    for d in decide(plan, agg, min_n, confidence):
        if d.decided:
            out.append(Attribution(d.cause, "plan" if d.cause != "timing_transitions" else "execution",  # type: ignore[arg-type]
                                   round(d.rate.p_bad, 3), d.scenes, d.reason, "feedback"))
    return out
