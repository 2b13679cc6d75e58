"""Learned preferences: which hook framework, tone, pacing and facets engage one person, from the feedback of
every plan version they were shown.

Each version's style is read from its plan (hook framework, lead tone, pacing, facets said out loud); its
impressions count as successes when the viewer engaged (clicked, converted, replayed or watched to the end; for
facets: converted, or clicked when no conversions are recorded). Per dimension, every value gets a Beta posterior;
the best value becomes a preference only when it has at least `MIN_IMPRESSIONS` impressions and beats every
alternative with probability >= `LEARN_CONFIDENCE` (Monte Carlo over the posteriors, seeded, so reruns agree).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..director.learned import facets_led, hook_framework, pacing_of
from ..schemas import CreativePlan, FeedbackEvent, LearnedPreferences, PreferenceEvidence
from .aggregate import MIN_IMPRESSIONS

LEARN_CONFIDENCE = 0.8
_DRAWS = 4000
_END_SLACK_S = 2.0


def _success(event: FeedbackEvent, duration: float) -> bool:
    return bool(event.clicks or event.conversions or event.replays or event.watch_time >= duration - _END_SLACK_S)


def _style(plan: CreativePlan) -> dict[str, list[str]]:
    return {"hook_framework": [hook_framework(plan.storyboard.hook)],
            "tone": plan.storyboard.tone_tags[:1], "pacing": [pacing_of(plan)], "facet": facets_led(plan)}


def _counts(shown: Sequence[tuple[CreativePlan, Sequence[FeedbackEvent]]]) -> dict[str, dict[str, list[int]]]:
    """dimension -> value -> [impressions, successes]."""
    any_conversions = any(e.conversions for _, events in shown for e in events)
    out: dict[str, dict[str, list[int]]] = {}
    for plan, events in shown:
        if not events:
            continue
        duration = plan.storyboard.duration_sec
        engaged = sum(1 for e in events if _success(e, duration))
        converted = sum(1 for e in events if (e.conversions if any_conversions else e.clicks))
        for dim, values in _style(plan).items():
            for value in values:
                cell = out.setdefault(dim, {}).setdefault(value, [0, 0])
                cell[0] += len(events)
                cell[1] += converted if dim == "facet" else engaged
    return out


def _evidence(dim: str, value: str, n: int, k: int) -> PreferenceEvidence:
    a, b = 1 + k, 1 + n - k
    from scipy.stats import beta

    return PreferenceEvidence(dimension=dim, value=value, impressions=n, successes=k, mean=round(a / (a + b), 4),
                              low=round(float(beta.ppf(0.05, a, b)), 4), high=round(float(beta.ppf(0.95, a, b)), 4))


def _p_best(cells: dict[str, list[int]], rng: np.random.Generator) -> dict[str, float]:
    """P(value has the highest true rate) for every value."""
    names = list(cells)
    draws = np.stack([rng.beta(1 + k, 1 + n - k, _DRAWS) for n, k in (cells[v] for v in names)])
    wins = np.bincount(draws.argmax(axis=0), minlength=len(names)) / _DRAWS
    return {v: float(w) for v, w in zip(names, wins)}


def _p_above_rest(cells: dict[str, list[int]], value: str, rng: np.random.Generator) -> float:
    """P(value's rate beats the pooled rate of every other value)."""
    n, k = cells[value]
    rest_n = sum(c[0] for v, c in cells.items() if v != value)
    rest_k = sum(c[1] for v, c in cells.items() if v != value)
    if rest_n == 0:
        return 0.0
    mine = rng.beta(1 + k, 1 + n - k, _DRAWS)
    rest = rng.beta(1 + rest_k, 1 + rest_n - rest_k, _DRAWS)
    return float((mine > rest).mean())


def learn_preferences(user_id: str, shown: Sequence[tuple[CreativePlan, Sequence[FeedbackEvent]]], *,
                      min_n: int = MIN_IMPRESSIONS, confidence: float = LEARN_CONFIDENCE,
                      seed: int = 0) -> LearnedPreferences:
    """What the feedback on the plans a person was shown says they prefer (see the module docstring)."""
    rng = np.random.default_rng(seed)
    counts = _counts(shown)
    evidence = [_evidence(dim, v, n, k) for dim, cells in counts.items() for v, (n, k) in cells.items()]
    chosen: dict[str, str] = {}
    sure: dict[str, float] = {}
    for dim in ("hook_framework", "tone", "pacing"):
        cells = counts.get(dim, {})
        if len(cells) < 2:
            continue  # nothing to compare it with: no preference, however good it did
        p = _p_best(cells, rng)
        best = max(p, key=p.get)
        if cells[best][0] >= min_n and p[best] >= confidence:
            chosen[dim], sure[dim] = best, round(p[best], 3)
    facets = counts.get("facet", {})
    converting = []
    for value, (n, k) in sorted(facets.items(), key=lambda kv: -(1 + kv[1][1]) / (2 + kv[1][0])):
        p = _p_above_rest(facets, value, rng)
        if n >= min_n and k and p >= confidence:
            converting.append(value)
            sure.setdefault("facet", round(p, 3))
    impressions = sum(len(events) for _, events in shown)
    return LearnedPreferences(
        user_id=user_id, hook_framework=chosen.get("hook_framework"), tone=chosen.get("tone"),
        pacing=chosen.get("pacing"), converting_facets=converting, confidence=sure, impressions=impressions,
        evidence=sorted(evidence, key=lambda e: (e.dimension, -e.mean)),
        note=f"from {impressions} impressions over {sum(1 for _, ev in shown if ev)} plan version(s)",
    )


def shown_to(store, user_id: str) -> list[tuple[CreativePlan, list[FeedbackEvent]]]:
    """Every plan version of the person's campaigns with the feedback stored for it since their last reset."""
    out = []
    since = store.feedback_seen_at_reset(user_id)
    for camp in store.campaigns_of(user_id):
        by_version = store.feedback_by_version(camp.id, since_id=since)
        latest = None
        for row in store.plan_versions(camp.id):
            latest = row
            out.append((row.plan, by_version.get(row.version, [])))
        if latest is not None and by_version.get(None):  # events recorded without a version: the latest one's
            out[-1] = (out[-1][0], [*out[-1][1], *by_version[None]])
    return out


def update_learned(store, user_id: str, *, by: str = "reflector", min_n: int = MIN_IMPRESSIONS,
                   confidence: float = LEARN_CONFIDENCE) -> LearnedPreferences | None:
    """Re-learn from everything stored for the person; a new version is saved only when the preferences change.
    Returns the current preferences (None while nothing is learned)."""
    learned = learn_preferences(user_id, shown_to(store, user_id), min_n=min_n, confidence=confidence)
    current = store.learned_preferences(user_id)
    if learned.empty and current is None:
        return None
    if current is not None and _same(current, learned):
        return current
    saved = store.save_learned_preferences(learned, by=by)
    return None if saved.empty else saved


def _same(a: LearnedPreferences, b: LearnedPreferences) -> bool:
    keys = ("hook_framework", "tone", "pacing", "converting_facets")
    return all(getattr(a, k) == getattr(b, k) for k in keys)
