"""The Director's steps as LLM schemas: what each prompt asks for, and how answers become contract objects."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from string import Template
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from ..schemas.common import HexColor, InfoDensity, Score10, ToneTag
from ..schemas.plan import MatchResult, TierScore
from ..schemas.profile import Interest, StyleProfile, Trait, UserProfile, VisualTaste

PROMPTS = Path(__file__).resolve().parent / "prompts"
MAX_NOTES = 60
NOTE_CHARS = 700


@cache
def _template(name: str) -> Template:
    return Template((PROMPTS / f"{name}.md").read_text(encoding="utf-8"))


def prompt(name: str, **values: object) -> str:
    """Fill a prompt template from backends/prompts/; missing values stay visible as $name."""
    return _template(name).safe_substitute({k: str(v) for k, v in values.items()}).strip()


# --- semantic checks: well-formed JSON can still be nonsense ----------------------------------------------------
# Words a small model copies from the schema instead of answering ("TierOut", "string", "Score", "None").
PLACEHOLDERS = {"tierout", "traitout", "profileout", "matchout", "tierscoreout", "scoreout", "visualout",
                "storyboard", "string", "str", "theme", "summary", "name", "reason", "score", "none", "null", "n/a",
                "na", "unknown", "example", "object", "interest", "tier", "strong", "medium", "weak", "todo", "tbd",
                "text", "value", "...", "-", "answer", "json", "title"}


def says_something(text: str, min_words: int = 1) -> str | None:
    """Why `text` is an empty phrase (None when it names something real)."""
    t = " ".join(str(text).split())
    if sum(ch.isalpha() for ch in t) < 2:
        return f"{t!r} says nothing"
    if t.lower().strip(".:!\"' ") in PLACEHOLDERS:
        return f"{t!r} is a placeholder or schema name, not an answer"
    if len(t.split()) < min_words:
        return f"{t!r} is too short: give the reason in a sentence (at least {min_words} words)"
    return None


def _meaningful(value: str, min_words: int = 1) -> str:
    problem = says_something(value, min_words)
    if problem:
        raise ValueError(problem)
    return value


# --- answers the model gives ------------------------------------------------------------------------------------
class TierOut(BaseModel):
    theme: str = Field(min_length=1)
    summary: str = ""
    evidence: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)

    @field_validator("theme")
    @classmethod
    def _theme(cls, v: str) -> str:
        return _meaningful(v)


class TraitOut(BaseModel):
    name: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        return _meaningful(v)


class ProfileOut(BaseModel):
    """Interest tiers, style and needs of one person, citing history item ids as evidence."""

    strong: TierOut
    medium: TierOut | None = None
    weak: TierOut | None = None
    tone_tags: list[ToneTag] = Field(default_factory=list)
    info_density: InfoDensity = "medium"
    needs: list[TraitOut] = Field(default_factory=list)
    decision_tendencies: list[TraitOut] = Field(default_factory=list)
    excluded_sensitive: list[str] = Field(default_factory=list)
    language: str = "en"


def profile_schema(known_ids: set[str]) -> type[ProfileOut]:
    """ProfileOut that also checks its evidence against the history: every tier cites at least one real item."""
    shown = ", ".join(sorted(known_ids)[:6])

    class ProfileOut(_ProfileOut):  # same name, so prompts and logs read the same
        @model_validator(mode="after")
        def _grounded(self):
            problems = []
            for tier in ("strong", "medium", "weak"):
                t = getattr(self, tier)
                if t is not None and not set(t.evidence) & known_ids:
                    problems.append(f"{tier}.evidence cites no item of the history (use item ids such as {shown})")
            if problems:
                raise ValueError("; ".join(problems))
            return self

    ProfileOut.__doc__ = _ProfileOut.__doc__
    return ProfileOut


class VisualOut(BaseModel):
    mood_tags: list[str] = Field(default_factory=list)
    colors_lighting: str = ""
    camera_style: str = ""
    scenes: list[str] = Field(default_factory=list)
    objects: list[str] = Field(default_factory=list)
    actions: list[str] = Field(default_factory=list)
    composition: str = ""
    palette: list[HexColor] = Field(min_length=4, max_length=6)
    brightness: float = Field(default=0.5, ge=0, le=1)
    warmth: float = Field(default=0.5, ge=0, le=1)


class TierScoreOut(BaseModel):
    product_match: Score10
    ad_ability: Score10
    expressibility: Score10
    reason: str = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:  # scores come with the reason behind them
        return _meaningful(v, min_words=2)


class MatchOut(BaseModel):
    strong: TierScoreOut
    medium: TierScoreOut | None = None
    best_tier: Literal["strong", "medium", "generic"]
    confidence: float = Field(default=0.5, ge=0, le=1)
    suggested_hooks: list[str] = Field(default_factory=list)
    selling_points: list[str] = Field(default_factory=list)
    reason: str = ""


class HostOut(BaseModel):
    title: str = ""
    topic: str = ""
    content: str = ""
    style_tags: list[str] = Field(default_factory=list)
    audio_type: str = ""
    pacing_shots_per_minute: float = Field(default=0.0, ge=0)


class IntegrationOut(BaseModel):
    insertion_timestamp: int = Field(ge=0)
    insertion_logic: str = ""
    bridge_description: str = ""
    visual_cue_to_trigger: str = ""


_ProfileOut = ProfileOut


# --- answers -> contracts ----------------------------------------------------------------------------------------
def to_profile(out: ProfileOut, user_id: str, known_ids: set[str], demographics: dict[str, str],
               history_hash: str, visual: VisualTaste | None = None) -> UserProfile:
    """A UserProfile whose evidence only cites items that exist in the history."""
    interests = []
    for tier in ("strong", "medium", "weak"):
        t: TierOut | None = getattr(out, tier)
        if t is None:
            continue
        evidence = [e for e in t.evidence if e in known_ids]
        interests.append(Interest(tier=tier, theme=t.theme, summary=t.summary, evidence=evidence,
                                  keywords=t.keywords[:8], share=len(evidence) / max(1, len(known_ids))))

    def traits(items: list[TraitOut]) -> list[Trait]:
        return [Trait(name=i.name, evidence=[e for e in i.evidence if e in known_ids]) for i in items]

    return UserProfile(user_id=user_id, interests=interests,
                       style=StyleProfile(tone_tags=list(dict.fromkeys(out.tone_tags)), info_density=out.info_density),
                       visual=visual, needs=traits(out.needs), decision_tendencies=traits(out.decision_tendencies),
                       excluded_sensitive=out.excluded_sensitive, demographics=demographics,
                       language=out.language or "en", history_hash=history_hash)


def to_match(out: MatchOut, profile: UserProfile | None) -> MatchResult:
    """Totals computed here; the reference rule: a gap over 15 points picks the higher total, else the model's pick."""
    scores = {}
    for tier in ("strong", "medium"):
        s: TierScoreOut | None = getattr(out, tier)
        if s is not None and profile is not None and profile.tier(tier) is not None:
            scores[tier] = TierScore(product_match=s.product_match, ad_ability=s.ad_ability,
                                     expressibility=s.expressibility,
                                     total=s.product_match + s.ad_ability + s.expressibility, reason=s.reason)
    chosen = out.best_tier
    if len(scores) == 2 and abs(scores["strong"].total - scores["medium"].total) > 15:
        chosen = max(scores, key=lambda t: scores[t].total)
    if chosen != "generic" and chosen not in scores:
        chosen = next(iter(scores), "generic")
    theme = profile.tier(chosen).theme if chosen != "generic" and profile else ""
    return MatchResult(scores=scores, chosen_tier=chosen, chosen_theme=theme, fallback_generic=chosen == "generic",
                       reason=out.reason, confidence=out.confidence, selling_points=out.selling_points[:5],
                       suggested_hooks=out.suggested_hooks[:4])


def visual_taste(out: VisualOut) -> VisualTaste:
    return VisualTaste(palette=out.palette, brightness=out.brightness, warmth=out.warmth)


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
