"""The Verifier's verdict: utility scores, compliance findings with localized evidence, a decision."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Contract, Unit

# The first five are the paper's compliance categories; the rest are what the Verifier reads off the rendered file:
# copy (lint on the words shown and spoken), legibility (on-screen text), product (visibility of the product),
# delivery (the file itself: length, frame rate, audio, bars, splices).
Category = Literal["safety", "privacy", "fairness", "licensing", "disclosure", "copy", "legibility", "product",
                   "delivery"]
Severity = Literal["minor", "major", "critical"]
Decision = Literal["accept", "revise", "reject"]


class JudgeScore(Contract):
    """A 0-10 judgement with its reason. A failed judge is missing (score None), never 0."""

    score: float | None = Field(default=None, ge=0.0, le=10.0)
    reason: str = ""
    missing: bool = False
    evidence: dict[str, float] = Field(default_factory=dict, description="The measurements behind the score.")
    backend: str = Field(default="", description="Which judge backend produced this score (provenance).")

    @model_validator(mode="after")
    def _missing_has_no_score(self) -> JudgeScore:
        if self.missing and self.score is not None:
            raise ValueError("a missing judgement has no score")
        if not self.missing and self.score is None:
            raise ValueError("a judgement needs a score or missing=true")
        return self


class Utility(Contract):
    motion_smoothness: Unit | None = None
    dynamic_degree: Unit | None = None
    aesthetic_quality: Unit | None = None
    imaging_quality: Unit | None = None
    personalization_presentation: JudgeScore | None = None
    personalization_content: JudgeScore | None = None
    product_alignment: JudgeScore | None = None
    context_alignment: JudgeScore | None = None
    integration_quality: JudgeScore | None = None
    diversity: JudgeScore | None = None
    caption_legibility: JudgeScore | None = Field(default=None, description="Contrast of the captions (offline judge).")


class Evidence(Contract):
    scene_index: int | None = Field(default=None, ge=0)
    start: float | None = Field(default=None, ge=0.0)
    end: float | None = Field(default=None, ge=0.0)
    text: str | None = None
    visual_element: str | None = None
    field: str | None = Field(default=None, description="Plan field, e.g. storyboard.scenes[2].narration.")


class Finding(Contract):
    category: Category
    severity: Severity
    code: str = Field(default="", description="Stable rule id, e.g. safety.health_claim.")
    message: str = Field(min_length=1)
    evidence: Evidence = Field(default_factory=Evidence)


class Compliance(Contract):
    findings: list[Finding] = Field(default_factory=list)
    ai_label: bool = False
    ai_label_metadata: bool = False

    def worst(self) -> Severity | None:
        order = {"minor": 0, "major": 1, "critical": 2}
        return max((f.severity for f in self.findings), key=order.__getitem__, default=None)


class ScreenLine(Contract):
    """A line of text the Verifier read on screen (OCR), with the scene and the time it was visible."""

    scene_index: int = Field(ge=0)
    start: float = Field(ge=0.0)
    end: float = Field(ge=0.0)
    text: str


class Verdict(Contract):
    plan_id: str
    plan_version: int = Field(ge=1)
    creative_sha256: str = ""
    decision: Decision
    utility: Utility = Field(default_factory=Utility)
    compliance: Compliance = Field(default_factory=Compliance)
    rationales: list[str] = Field(default_factory=list, description="Why not accepted, for the Reflector.")
    on_screen: list[ScreenLine] = Field(default_factory=list, description="What the Verifier read on screen.")
    judge_backend: str = "offline"
    timings: dict[str, float] = Field(default_factory=dict)

    @property
    def ai_label(self) -> bool:
        return self.compliance.ai_label

    def has_critical(self) -> bool:
        return any(f.severity == "critical" for f in self.compliance.findings)
