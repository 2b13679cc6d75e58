"""The Director's user model: interest tiers, style, needs, visual taste, excluded sensitive themes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Contract, HexColor, InfoDensity, Tier, ToneTag, Unit


class Interest(Contract):
    tier: Tier
    theme: str = Field(min_length=1, description="A readable name made of key phrases.")
    summary: str = ""
    evidence: list[str] = Field(default_factory=list, description="note_idx / vid values behind the theme.")
    keywords: list[str] = Field(default_factory=list)
    objects: list[str] = Field(default_factory=list, description=(
        "Concrete nouns from the theme's own notes as copy-ready phrases ('the tent'); never names, handles, "
        "places that identify the person, or sensitive themes."))
    share: Unit = 0.0
    recency: Unit = 0.0


class StyleProfile(Contract):
    tone_tags: list[ToneTag] = Field(default_factory=list)
    info_density: InfoDensity = "medium"
    shots_per_minute: float | None = Field(default=None, ge=0.0, description="Videos only.")
    motion: Unit | None = Field(default=None, description="Mean motion energy of the history videos.")


class VisualTaste(Contract):
    palette: list[HexColor] = Field(min_length=4, max_length=6)
    brightness: Unit = 0.5
    warmth: Unit = Field(default=0.5, description="0 cool, 1 warm.")
    saturation: Unit = 0.5
    contrast: Unit = 0.5


class Trait(Contract):
    """An implicit need or a decision tendency, with the notes that show it."""

    name: str = Field(min_length=1)
    evidence: list[str] = Field(default_factory=list)
    strength: Unit = 0.5


HookFramework = Literal["question", "problem", "demo", "statement"]
Pacing = Literal["fast", "medium", "slow"]
PreferenceDimension = Literal["hook_framework", "tone", "pacing", "facet"]


class PreferenceEvidence(Contract):
    """One candidate value of a learned dimension and what the feedback says about it (Beta posterior)."""

    dimension: PreferenceDimension
    value: str = Field(min_length=1)
    impressions: int = Field(ge=0)
    successes: int = Field(ge=0, description="Engaged impressions (conversions for facets).")
    mean: Unit = Field(description="Posterior mean success rate.")
    low: Unit = Field(description="5th percentile of the posterior.")
    high: Unit = Field(description="95th percentile of the posterior.")


class LearnedPreferences(Contract):
    """What a person's feedback taught: a versioned section of the profile the Director reads; resettable.

    A preference is only set when its value beats every alternative with at least `confidence`; `evidence`
    keeps every candidate with its numbers, so a person can see why.
    """

    user_id: str = Field(min_length=1)
    version: int = Field(default=0, ge=0, description="0 = nothing learned yet; each update or reset adds one.")
    hook_framework: HookFramework | None = None
    tone: ToneTag | None = None
    pacing: Pacing | None = None
    converting_facets: list[str] = Field(default_factory=list, description="Facets that converted, best first.")
    confidence: dict[str, Unit] = Field(default_factory=dict, description="dimension -> P(best beats the rest).")
    impressions: int = Field(default=0, ge=0, description="Impressions the estimate is based on.")
    evidence: list[PreferenceEvidence] = Field(default_factory=list)
    note: str = ""

    @property
    def empty(self) -> bool:
        return not (self.hook_framework or self.tone or self.pacing or self.converting_facets)

    def describe(self) -> str:
        """One readable line: what is preferred and how sure."""
        parts = [f"{name.replace('_', ' ')} {value} ({self.confidence.get(name, 0):.0%} sure)"
                 for name, value in (("hook_framework", self.hook_framework), ("tone", self.tone),
                                     ("pacing", self.pacing)) if value]
        if self.converting_facets:
            parts.append(f"facets that convert: {', '.join(self.converting_facets)}")
        return "; ".join(parts) or "nothing learned yet"


class UserProfile(Contract):
    user_id: str
    interests: list[Interest] = Field(default_factory=list)
    style: StyleProfile = Field(default_factory=StyleProfile)
    visual: VisualTaste | None = None
    needs: list[Trait] = Field(default_factory=list)
    decision_tendencies: list[Trait] = Field(default_factory=list)
    excluded_sensitive: list[str] = Field(
        default_factory=list, description="Sensitive themes found; never a hook, never named or implied."
    )
    demographics: dict[str, str] = Field(default_factory=dict)
    language: str = Field(default="en", description="BCP-47-ish code of the history's main language.")
    history_hash: str = ""
    learned: LearnedPreferences | None = Field(
        default=None, description="Preferences learned from feedback (versioned, resettable); None = none yet.")

    @model_validator(mode="after")
    def _one_interest_per_tier(self) -> UserProfile:
        tiers = [i.tier for i in self.interests]
        if len(tiers) != len(set(tiers)):
            raise ValueError(f"each tier appears at most once, got {tiers}")
        return self

    def tier(self, name: str) -> Interest | None:
        return next((i for i in self.interests if i.tier == name), None)
