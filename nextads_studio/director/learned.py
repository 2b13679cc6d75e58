"""Reading a plan's style choices back (hook framework, pacing), and the learned preferences the Director applies.

The same readers serve both directions: the Reflector learns which hook framework, tone, pacing and facets engage a
person from the plans they saw; the Director then leads with what was learned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..schemas import CreativePlan, LearnedPreferences, UserProfile

HOOK_FRAMEWORKS = ("question", "problem", "demo", "statement")
_DEMO = re.compile(r"^(watch|see|this is|here is|here's|three seconds|look)\b|\bin action\b|\blooks like\b", re.I)
_PROBLEM = re.compile(r"\b(fix|tired|never enough|too long|takes? time|rushed|missing|struggle|hassle|wish(ed)?|"
                      r"slow|easier|problem|without the|short on time)\b", re.I)


def hook_framework(text: str) -> str:
    """The framework a hook line follows: question, problem, demo or statement."""
    text = (text or "").strip()
    if text.endswith(("?", "？")):
        return "question"
    if _DEMO.search(text):
        return "demo"
    if _PROBLEM.search(text):
        return "problem"
    return "statement"


def pacing_of(plan: CreativePlan) -> str:
    """fast / medium / slow from the plan's recorded pace, else from its mean middle-scene length."""
    m = re.search(r"pace=(fast|medium|slow)", plan.storyboard.timing_notes or "")
    if m:
        return m.group(1)
    middle = plan.storyboard.scenes[1:-1] or plan.storyboard.scenes
    mean = sum(s.end - s.start for s in middle) / len(middle)
    return "fast" if mean <= 2.2 else "slow" if mean >= 2.8 else "medium"


def facets_led(plan: CreativePlan) -> list[str]:
    """The product facets (selling points, fact names) the plan says out loud in its scenes."""
    p = plan.product
    said = " ".join(f"{s.narration} {s.on_screen_text}" for s in plan.storyboard.scenes).lower()
    out = [sp for sp in p.selling_points if _key_words(sp) and all(w in said for w in _key_words(sp)[:3])]
    out += [k.replace("_", " ") for k, v in p.facts.items() if str(v).strip() and str(v).lower() in said]
    return list(dict.fromkeys(out))


def _key_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9$.]+", text.lower()) if len(w) > 3]


def with_learned(profile: UserProfile | None, learned: LearnedPreferences | None) -> UserProfile | None:
    """The profile carrying the learned section (a copy; the cached profile is not changed)."""
    if profile is None:
        return None
    if learned is None or learned.empty:
        return profile.model_copy(update={"learned": None}) if profile.learned else profile
    return profile.model_copy(update={"learned": learned})


def lead_with(values: Sequence[str], first: Sequence[str]) -> list[str]:
    """`values` reordered so the preferred ones (in their order) come first."""
    preferred = [f for f in first if f in values]
    return [*preferred, *[v for v in values if v not in preferred]]
