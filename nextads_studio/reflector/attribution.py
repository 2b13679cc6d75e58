"""Attribution: where a failure comes from (paper 3.2.4).

Every Verifier finding, weak utility score and online feedback signal is mapped to one or more causes, each either
plan-level (user modeling, matching, style or tone, weak hook, unclear CTA, claim: fixed by the Director) or
execution-level (rendering, timing or transitions, caption placement, voice-over, asset inconsistency: fixed by the
Producer), with a confidence and the scenes it concerns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from .. import rules
from ..schemas import PLAN_LEVEL_CAUSES, CreativePlan, FeedbackEvent, Finding, JudgeScore
from ..schemas.revision import Cause

Level = Literal["plan", "execution"]

# Early skip: the viewer left before the opening finished (reference demo: skip at 2.8 s -> hook, 0.72).
HOOK_WINDOW_S = 3.0
EARLY_SKIP_CONFIDENCE = 0.72
_PATH_LIKE = re.compile(r"[\\/]|\.(png|jpe?g|webp|gif|mp4|wav|mp3|m4a)$", re.I)


@dataclass(frozen=True)
class UtilitySignal:
    """A utility measurement from a Verdict, e.g. ("personalization_content", 3.1)."""

    name: str
    value: float
    reason: str = ""


@dataclass
class Attribution:
    cause: Cause
    level: Level
    confidence: float
    scenes: list[int] = field(default_factory=list)
    reason: str = ""
    source: Literal["verifier", "feedback"] = "verifier"
    finding: Finding | None = None
    signal: FeedbackEvent | UtilitySignal | None = None


def level_of(cause: str) -> Level:
    return "plan" if cause in PLAN_LEVEL_CAUSES else "execution"


def attribute(item: Finding | FeedbackEvent | UtilitySignal, plan: CreativePlan | None = None) -> list[Attribution]:
    """Map one finding, feedback event or utility signal to its likely causes, most likely first.

    `plan` lets time ranges be turned into scene indices; without it only explicit scene indices are used.
    """
    if isinstance(item, Finding):
        return _from_finding(item, plan)
    if isinstance(item, FeedbackEvent):
        return _from_feedback(item, plan)
    if isinstance(item, UtilitySignal):
        return _from_utility(item, plan)
    raise TypeError(f"cannot attribute a {type(item).__name__}")


# --- findings ------------------------------------------------------------------------------------
def scenes_for_finding(finding: Finding, plan: CreativePlan | None) -> list[int]:
    """The scenes a finding's evidence points at: explicit index, field path, quoted text, or time range."""
    ev = finding.evidence
    if ev.scene_index is not None:
        if plan is None or ev.scene_index < len(plan.storyboard.scenes):
            return [ev.scene_index]
    if ev.field:
        m = re.search(r"scenes\[(\d+)\]", ev.field)
        if m:
            return [int(m.group(1))]
    if plan is None:
        return []
    if ev.text:
        needle = ev.text.strip().lower()
        hits = [s.index for s in plan.storyboard.scenes
                if needle and any(needle in t.lower() for t in (s.narration, s.on_screen_text, s.visual))]
        if hits:
            return hits
    if ev.start is not None:
        return scenes_overlapping(plan, ev.start, ev.end if ev.end is not None else ev.start + 0.01)
    return []


def scenes_overlapping(plan: CreativePlan, start: float, end: float) -> list[int]:
    """Indices of the scenes that overlap the half-open window [start, end)."""
    end = max(end, start + 1e-3)
    return [s.index for s in plan.storyboard.scenes if s.start < end and s.end > start]


def _finding_cause(finding: Finding) -> tuple[Cause, float]:
    code = (finding.code or "").lower()
    ev = finding.evidence
    if finding.category == "safety":
        return "claim", 0.9
    if finding.category == "privacy":
        return "user_modeling", 0.85
    if finding.category == "fairness":
        return "style_tone", 0.8
    if finding.category == "disclosure":
        return "rendering", 0.9
    if finding.category == "copy":
        return "claim", 0.85  # the words themselves: rewrite that line
    if finding.category == "legibility":
        return "caption_placement", 0.85  # recaption (the words on screen) or relayout (where and how)
    if finding.category == "product":
        return ("weak_hook", 0.8) if code == "product.absent_early" else ("rendering", 0.7)
    if finding.category == "delivery":
        return ("voice_over", 0.85) if "audio" in code else ("rendering", 0.85)
    # licensing: an asset without a licence is an execution problem, a brand or person named in text is a claim
    if "asset" in code or "license" in code or "licence" in code or "audio" in code:
        return "asset_inconsistency", 0.85
    if ev.visual_element and _PATH_LIKE.search(ev.visual_element):
        return "asset_inconsistency", 0.8
    if ev.visual_element and not ev.text:
        return "asset_inconsistency", 0.7
    return "claim", 0.85


def _from_finding(finding: Finding, plan: CreativePlan | None) -> list[Attribution]:
    cause, confidence = _finding_cause(finding)
    scenes = scenes_for_finding(finding, plan)
    out = [Attribution(cause, level_of(cause), confidence, scenes, finding.message, "verifier", finding=finding)]
    if finding.category == "privacy" and plan is not None and plan.match and _names_chosen_theme(finding, plan):
        # the sensitive theme was the anchor itself: matching must move off it, not only the text
        out.append(Attribution("matching", "plan", 0.75, scenes, "the chosen theme is a sensitive one", "verifier",
                               finding=finding))
    return out


def _names_chosen_theme(finding: Finding, plan: CreativePlan) -> bool:
    text = (finding.evidence.text or "").lower()
    theme = (plan.match.chosen_theme if plan.match else "").lower()
    return bool(text and theme and (text in theme or theme in text))


# --- feedback ------------------------------------------------------------------------------------
def engaged(event: FeedbackEvent) -> bool:
    return bool(event.clicks or event.conversions or event.replays)


def _from_feedback(event: FeedbackEvent, plan: CreativePlan | None) -> list[Attribution]:
    duration = plan.storyboard.duration_sec if plan else None
    if engaged(event):
        return []  # the creative worked for this impression: nothing to fix
    skip = event.skip_time
    if skip is not None and skip < HOOK_WINDOW_S:
        scenes = scenes_overlapping(plan, 0.0, HOOK_WINDOW_S) if plan else []
        return [Attribution("weak_hook", "plan", EARLY_SKIP_CONFIDENCE, scenes,
                            f"skipped at {skip:.1f}s with no engagement: the opening did not hold attention",
                            "feedback", signal=event)]
    if skip is not None and (duration is None or skip < duration - 2.0):
        scenes = scenes_overlapping(plan, skip - 0.5, skip + 0.01) if plan else []
        return [Attribution("timing_transitions", "execution", 0.45, scenes,
                            f"skipped mid-way at {skip:.1f}s: pacing around that moment lost the viewer",
                            "feedback", signal=event),
                Attribution("style_tone", "plan", 0.3, scenes, "the story's tone may not fit", "feedback",
                            signal=event)]
    watched_to_end = duration is None or event.watch_time >= duration - 2.0 or skip is not None
    if watched_to_end:
        last = [plan.storyboard.scenes[-1].index] if plan else []
        return [Attribution("unclear_cta", "plan", 0.6, last,
                            "watched to the end but did not click: the call to action did not land",
                            "feedback", signal=event)]
    return []


# --- utility -------------------------------------------------------------------------------------
_UTILITY_CAUSES: dict[str, tuple[Cause, float]] = {
    "personalization_content": ("matching", 0.6),
    "personalization_presentation": ("style_tone", 0.55),
    "product_alignment": ("unclear_cta", 0.55),
    "context_alignment": ("style_tone", 0.5),
    "integration_quality": ("timing_transitions", 0.5),
    "motion_smoothness": ("timing_transitions", 0.6),
    "dynamic_degree": ("rendering", 0.5),
    "aesthetic_quality": ("rendering", 0.5),
    "imaging_quality": ("rendering", 0.6),
    "caption_legibility": ("caption_placement", 0.6),
}


def _from_utility(signal: UtilitySignal, plan: CreativePlan | None) -> list[Attribution]:
    cause, confidence = _UTILITY_CAUSES.get(signal.name, ("rendering", 0.4))
    scenes: list[int] = []
    if plan is not None and cause == "unclear_cta":
        scenes = [plan.storyboard.scenes[-1].index]
    if plan is not None and cause == "caption_placement":
        scenes = [s.index for s in plan.storyboard.scenes if s.on_screen_text.strip()]
    reason = f"{signal.name} is low ({signal.value:.2f})" + (f": {signal.reason}" if signal.reason else "")
    return [Attribution(cause, level_of(cause), confidence, scenes, reason, "verifier", signal=signal)]


def weak_utility(verdict_utility, thresholds: dict[str, float], mode: str = "nextads") -> list[UtilitySignal]:
    """The utility measurements below their threshold (missing judgements are skipped, never read as 0)."""
    out: list[UtilitySignal] = []
    for name, value, _limit in rules.below(verdict_utility, thresholds, mode):
        score = getattr(verdict_utility, name, None)
        out.append(UtilitySignal(name, value, score.reason if isinstance(score, JudgeScore) else ""))
    return out


def attribute_all(items: Sequence[Finding | FeedbackEvent | UtilitySignal],
                  plan: CreativePlan | None = None) -> list[Attribution]:
    """Attribute many items, keeping their order."""
    return [a for item in items for a in attribute(item, plan)]
