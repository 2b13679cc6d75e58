"""The Director's user model: interest tiers, style, needs, visual taste, excluded sensitive themes."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import Contract, HexColor, InfoDensity, Tier, ToneTag, Unit


class Interest(Contract):
    tier: Tier
    theme: str = Field(min_length=1, description="A readable name made of key phrases.")
    summary: str = ""
    evidence: list[str] = Field(default_factory=list, description="note_idx / vid values behind the theme.")
    keywords: list[str] = Field(default_factory=list)
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

    @model_validator(mode="after")
    def _one_interest_per_tier(self) -> UserProfile:
        tiers = [i.tier for i in self.interests]
        if len(tiers) != len(set(tiers)):
            raise ValueError(f"each tier appears at most once, got {tiers}")
        return self

    def tier(self, name: str) -> Interest | None:
        return next((i for i in self.interests if i.tier == name), None)
