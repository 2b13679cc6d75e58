"""CreativePlan: the Director's output and the interface every later stage reads."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .common import (
    DEFAULT_ASPECT,
    Aspect,
    CameraMotion,
    ChosenTier,
    Contract,
    HexColor,
    Mode,
    Score10,
    Task,
    ToneTag,
    Transition,
    max_words,
)
from .product import Product
from .profile import UserProfile

_EPS = 1e-6


class TierScore(Contract):
    product_match: Score10
    ad_ability: Score10
    expressibility: Score10
    total: Annotated[float, Field(ge=0.0, le=30.0)]
    reason: str = ""

    @model_validator(mode="after")
    def _total_is_sum(self) -> TierScore:
        expected = self.product_match + self.ad_ability + self.expressibility
        if abs(self.total - expected) > 0.01:
            raise ValueError(f"total {self.total} is not the sum of the three scores ({expected})")
        return self


class MatchResult(Contract):
    scores: dict[Literal["strong", "medium", "weak"], TierScore] = Field(default_factory=dict)
    chosen_tier: ChosenTier
    chosen_theme: str = ""
    fallback_generic: bool = False
    reason: str = ""
    confidence: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    selling_points: list[str] = Field(default_factory=list, description="Product points that fit the theme.")
    suggested_hooks: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _generic_is_consistent(self) -> MatchResult:
        if self.fallback_generic and self.chosen_tier != "generic":
            raise ValueError("fallback_generic=true needs chosen_tier='generic'")
        return self


class Scene(Contract):
    index: int = Field(ge=0)
    start: float = Field(ge=0.0)
    end: float = Field(gt=0.0)
    shot_goal: str = ""
    visual: str = ""
    camera_motion: CameraMotion = "static"
    transition: Transition = Field(default="cut", description="How this scene enters from the previous one.")
    narration: Annotated[str, max_words(16)] = ""
    on_screen_text: Annotated[str, max_words(8)] = ""
    product_focus: bool = False
    personalization_used: list[str] = Field(default_factory=list)
    claim_source: str | None = Field(default=None, description="Where a claim line comes from in the product "
                                     "record: 'selling_points[i]' or 'facts.<key>'.")
    layout: Literal["hero", "callout", "stat", "reasons", "split", "end"] | None = Field(
        default=None, description="Layout hint for the Producer; None lets it choose from the text and the role.")

    @model_validator(mode="after")
    def _positive_length(self) -> Scene:
        if self.end - self.start < 0.5 - _EPS:
            raise ValueError(f"scene {self.index} lasts {self.end - self.start:.2f}s; scenes need at least 0.5s")
        return self

    @property
    def duration(self) -> float:
        return self.end - self.start


class Storyboard(Contract):
    duration_sec: float = Field(gt=0.0, le=120.0)
    aspect: Aspect = DEFAULT_ASPECT
    hook: str = ""
    cta: str = ""
    tone_tags: list[ToneTag] = Field(default_factory=list)
    language: str = "en"
    timing_notes: str = ""
    scenes: list[Scene] = Field(min_length=1)

    @model_validator(mode="after")
    def _scenes_tile_the_duration(self) -> Storyboard:
        scenes = self.scenes
        for i, scene in enumerate(scenes):
            if scene.index != i:
                raise ValueError(f"scene indices must be 0..{len(scenes) - 1} in order; found {scene.index} at {i}")
        if abs(scenes[0].start) > _EPS:
            raise ValueError(f"the first scene must start at 0, not {scenes[0].start}")
        for prev, nxt in zip(scenes, scenes[1:], strict=False):
            if nxt.start < prev.end - _EPS:
                raise ValueError(f"scene {nxt.index} starts at {nxt.start}s, overlapping scene {prev.index} "
                                 f"(ends {prev.end}s)")
            if nxt.start > prev.end + _EPS:
                raise ValueError(f"gap between scene {prev.index} (ends {prev.end}s) and scene {nxt.index} "
                                 f"(starts {nxt.start}s)")
        if abs(scenes[-1].end - self.duration_sec) > _EPS:
            raise ValueError(f"the last scene ends at {scenes[-1].end}s but the ad lasts {self.duration_sec}s")
        return self


class SceneAssets(Contract):
    scene_index: int = Field(ge=0)
    product_image: str | None = None
    user_images: list[str] = Field(default_factory=list)
    logo: bool = False
    start_frame: bool = False
    extra: list[str] = Field(default_factory=list, description="Uploaded assets bound to this scene.")


class Grounding(Contract):
    collage_path: str | None = None
    product_images: list[str] = Field(default_factory=list)
    user_images: list[str] = Field(default_factory=list, description="The collage's user tiles, in order.")
    logo_path: str | None = None
    palette: list[HexColor] = Field(default_factory=list)
    visual_cues: list[str] = Field(default_factory=list)
    constraints: list[str] = Field(default_factory=list)
    scene_assets: list[SceneAssets] = Field(default_factory=list)
    asset_licenses: dict[str, str] = Field(default_factory=dict, description="asset path -> licence")


class HostSummary(Contract):
    title: str = ""
    topic: str = ""
    content: str = ""
    style_tags: list[str] = Field(default_factory=list)
    palette: list[HexColor] = Field(default_factory=list)
    brightness: float = Field(default=0.5, ge=0.0, le=1.0)
    audio_type: str = ""
    loudness_lufs: float | None = None
    pacing_shots_per_minute: float = Field(default=0.0, ge=0.0)
    duration: float = Field(default=0.0, ge=0.0)
    fps: float = Field(default=30.0, gt=0.0)
    width: int = Field(default=0, ge=0)
    height: int = Field(default=0, ge=0)
    shot_cuts: list[float] = Field(default_factory=list)


class Integration(Contract):
    host_video_path: str
    timestamp: int = Field(ge=0, description="Whole second where the segment is inserted.")
    rationale: str = ""
    bridge: str = ""
    visual_cue: str = ""
    start_frame_path: str | None = None
    host_summary: HostSummary = Field(default_factory=HostSummary)

    @model_validator(mode="after")
    def _inside_host(self) -> Integration:
        d = self.host_summary.duration
        if d and not (3 <= self.timestamp <= d - 3):
            raise ValueError(f"integration point {self.timestamp}s must be at least 3s from both ends of a "
                             f"{d:.1f}s host video")
        return self


class CreativePlan(Contract):
    plan_id: str = Field(min_length=1)
    version: int = Field(default=1, ge=1)
    parent_version: int | None = Field(default=None, ge=1)
    task: Task = "pcg"
    mode: Mode = "nextads"
    user_id: str | None = None
    product: Product
    profile: UserProfile | None = None
    match: MatchResult | None = None
    storyboard: Storyboard
    grounding: Grounding = Field(default_factory=Grounding)
    integration: Integration | None = None
    seed: int = 7
    backend: str = "offline"
    notes: list[str] = Field(default_factory=list, description="Human edits and Reflector changes, in order.")

    @field_validator("parent_version")
    @classmethod
    def _parent_before(cls, v: int | None, info) -> int | None:
        version = info.data.get("version")
        if v is not None and version is not None and v >= version:
            raise ValueError(f"parent_version {v} must be lower than version {version}")
        return v

    @model_validator(mode="after")
    def _task_and_mode(self) -> CreativePlan:
        if self.task == "pci" and self.integration is None:
            raise ValueError("a PCI plan needs an integration (host video, timestamp)")
        if self.mode == "generic" and self.profile is not None:
            raise ValueError("a GenericAds plan carries no user profile")
        return self

    def content_hash(self) -> str:
        """Hash of everything that shapes the creative (not version bookkeeping)."""
        data = self.model_dump(mode="json", exclude={"version", "parent_version", "notes"})
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]

    def scene(self, index: int) -> Scene:
        return self.storyboard.scenes[index]

    def palette(self) -> list[str]:
        return list(self.grounding.palette)


__all__ = [
    "CreativePlan", "Grounding", "HexColor", "HostSummary", "Integration", "MatchResult", "Scene",
    "SceneAssets", "Storyboard", "TierScore",
]
