"""Revision directives: the Reflector's minimal, typed changes to a plan, each naming its target and why."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from .common import CameraMotion, Contract, Transition, max_words

Stage = Literal["director", "producer"]
Cause = Literal[
    # plan level
    "user_modeling", "matching", "style_tone", "weak_hook", "unclear_cta", "claim",
    # execution level
    "rendering", "timing_transitions", "caption_placement", "voice_over", "asset_inconsistency",
]
DirectiveStatus = Literal["proposed", "applied", "dismissed"]


class _Directive(Contract):
    target_stage: Stage
    scenes: list[int] = Field(default_factory=list, description="Scene indices touched; empty = whole plan.")
    reason: str = Field(min_length=1)
    cause: Cause
    confidence: float = Field(default=0.7, ge=0.0, le=1.0)
    source: Literal["verifier", "feedback", "human", "evolution"] = "verifier"
    finding_code: str | None = None


class ScenePatch(Contract):
    shot_goal: str | None = None
    visual: str | None = None
    camera_motion: CameraMotion | None = None
    transition: Transition | None = None
    narration: Annotated[str, max_words(16)] | None = None
    on_screen_text: Annotated[str, max_words(8)] | None = None
    product_focus: bool | None = None


class RewriteHook(_Directive):
    kind: Literal["rewrite_hook"] = "rewrite_hook"
    target_stage: Stage = "director"
    hook: str = Field(min_length=1)
    patches: dict[int, ScenePatch] = Field(default_factory=dict, description="Opening scenes' new content.")


class RewriteScene(_Directive):
    kind: Literal["rewrite_scene"] = "rewrite_scene"
    target_stage: Stage = "director"
    patches: dict[int, ScenePatch] = Field(min_length=1)


class Recaption(_Directive):
    kind: Literal["recaption"] = "recaption"
    target_stage: Stage = "producer"
    captions: dict[int, Annotated[str, max_words(8)]] = Field(min_length=1)


class Retime(_Directive):
    kind: Literal["retime"] = "retime"
    target_stage: Stage = "producer"
    boundaries: list[float] = Field(min_length=2, description="New scene boundaries from 0 to the duration.")


class SwapAsset(_Directive):
    kind: Literal["swap_asset"] = "swap_asset"
    target_stage: Stage = "producer"
    slot: Literal["product_image", "user_image", "logo", "extra"]
    new_path: str | None = Field(default=None, description="None removes the asset from the scenes.")
    old_path: str | None = None


class RegenerateScene(_Directive):
    kind: Literal["regenerate_scene"] = "regenerate_scene"
    target_stage: Stage = "producer"
    seed_offset: int = 1
    camera_motion: CameraMotion | None = None
    transition: Transition | None = None


class UpdateProfile(_Directive):
    kind: Literal["update_profile"] = "update_profile"
    target_stage: Stage = "director"
    exclude_themes: list[str] = Field(default_factory=list)
    prefer_tone_tags: list[str] = Field(default_factory=list)
    note: str = ""


class Rematch(_Directive):
    kind: Literal["rematch"] = "rematch"
    target_stage: Stage = "director"
    force_tier: Literal["strong", "medium", "weak"] | None = None
    avoid_tiers: list[str] = Field(default_factory=list)


class FallbackGeneric(_Directive):
    kind: Literal["fallback_generic"] = "fallback_generic"
    target_stage: Stage = "director"


Directive = Annotated[
    RewriteHook | RewriteScene | Recaption | Retime | SwapAsset | RegenerateScene | UpdateProfile | Rematch
    | FallbackGeneric,
    Field(discriminator="kind"),
]
DirectiveAdapter: TypeAdapter[Directive] = TypeAdapter(Directive)
DirectiveListAdapter: TypeAdapter[list[Directive]] = TypeAdapter(list[Directive])
PLAN_LEVEL_CAUSES = {"user_modeling", "matching", "style_tone", "weak_hook", "unclear_cta", "claim"}
