"""The Verifier's Judge through Gemini or OpenAI, on the reference rubric (0-10 and a reason per dimension).

Evidence is frames sampled from the video (the reference sends the whole MP4; frames work with every vision
model and keep requests small). A failed call is recorded as JudgeScore(missing=True), never as 0.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, field_validator

from ..errors import BackendError, BackendUnavailable, InputError
from ..schemas.verdict import JudgeScore
from ..verifier.rubric import BANDS, RUBRIC
from . import llm_steps as steps
from .base import Judge, TextModel
from .frames import sample_frames
from .structured import data_block

log = logging.getLogger(__name__)
JUDGE_T = 0.2
# The same rubric as the offline judge (one text per dimension, shared with the scorecard).
CRITERIA = {k: f"{RUBRIC[k]}? Score on the bands {BANDS}." for k in (
    "personalization_presentation", "personalization_content", "product_alignment", "integration_quality",
    "diversity")}


class ScoreOut(BaseModel):
    score: float = Field(ge=0, le=10)
    reason: str = Field(min_length=1)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:  # "Score" or "None" is not a reason
        return steps._meaningful(v, min_words=2)


class LLMJudge(Judge):
    """Scores a creative with a vision-language model; one call per dimension."""

    def __init__(self, model: TextModel, frames: int = 8, offline: Judge | None = None, fallback: bool = False):
        self.model = model
        self.frames = frames
        self.offline = offline  # measurement-only dimensions (caption legibility, context) and the fallback
        self.fallback = fallback
        self.backend_id = getattr(model, "backend_id", "llm")
        if hasattr(model, "images_optional"):
            model.images_optional = False  # the judge must see the ad: a text-only answer would judge the plan

    def score(self, plan: Any, creative: Any, context: dict[str, Any]) -> dict[str, JudgeScore]:
        """dimension -> JudgeScore; context may hold `history` and `peers` ((plan, creative) of the same user)."""
        usage = getattr(self.model, "usage", None)
        before = len(usage.calls) if usage else 0
        results = self._rubric(plan, creative, context)
        calls = usage.calls[before:] if usage is not None else []
        if usage is not None:  # stored in Verdict.timings by the Verifier, so the run keeps its cost
            timings = context.setdefault("timings", {})
            timings["judge.llm_calls"] = float(len(calls))
            timings["judge.llm_seconds"] = sum(c.seconds for c in calls)
            timings["judge.llm_cost_usd"] = sum(c.cost_usd for c in calls)
        if self.offline is None:
            return results
        measured = self.offline.score(plan, creative, context)
        attempt = (f"{self.backend_id} failed after {len(calls)} calls, "
                   f"{sum(c.seconds for c in calls):.1f}s" if calls else f"{self.backend_id} failed")
        for name, score in measured.items():
            mine = results.get(name)
            offline_id = getattr(self.offline, "backend_id", "offline")
            if mine is None:
                results[name] = score.model_copy(update={"backend": score.backend or offline_id})
            elif mine.missing and self.fallback and not score.missing:
                error = mine.reason.split(" failed: ", 1)[-1]
                reason = f"offline fallback ({attempt}: {error}): {score.reason}"
                results[name] = score.model_copy(update={"reason": reason[:600], "backend": offline_id})
        return results


    def _rubric(self, plan: Any, creative: Any, context: dict[str, Any]) -> dict[str, JudgeScore]:
        with tempfile.TemporaryDirectory(prefix="nextads-judge-") as tmp:
            frames = sample_frames(creative.video_path, Path(tmp) / "ad", count=self.frames)
            # GenericAds are judged on personalization too, against the same person (the history), so both
            # systems' rows share one procedure and one scale
            dims = ["personalization_presentation", "personalization_content", "product_alignment"]
            if context.get("history") is None:
                dims = ["product_alignment"]
            results = {d: self._one(d, _evidence(d, plan, context), frames + _images(d, plan, context))
                       for d in dims}
            if plan.task == "pci" and creative.integrated_path:
                start = creative.segment_start or 0.0
                around = sample_frames(creative.integrated_path, Path(tmp) / "host", count=self.frames,
                                       start=max(0.0, start - 3), end=start + creative.duration + 3)
                results["integration_quality"] = self._one("integration_quality",
                                                           _evidence("integration_quality", plan, context), around)
            peers = [c.video_path for _, c in context.get("peers", ())]
            videos = [v for v in [creative.video_path, *peers] if Path(v).is_file()]
            if len(videos) >= 2:
                pooled = [f for i, v in enumerate(videos[:4])
                          for f in sample_frames(v, Path(tmp) / f"v{i}", count=3)]
                results["diversity"] = self._one("diversity", "", pooled)
        return results

    def _one(self, dimension: str, evidence: str, images: list) -> JudgeScore:
        text = steps.prompt("judge", dimension=dimension, criteria=CRITERIA[dimension], evidence=evidence)
        if getattr(self.model, "sees_images", None) is False:
            return JudgeScore(missing=True, backend=self.backend_id,
                              reason=f"{self.backend_id} failed: this model takes no images and a judge must see the "
                                     "ad; set NEXTADS_JUDGE to a vision model (llama-server --mmproj) or offline")
        try:
            out = self.model.generate_json(text, ScoreOut, images=images, temperature=JUDGE_T)
        except (BackendError, BackendUnavailable, InputError) as exc:
            log.warning("judge %s failed on %s: %s", self.backend_id, dimension, exc)
            return JudgeScore(missing=True, reason=f"{self.backend_id} failed: {exc}"[:500], backend=self.backend_id)
        return JudgeScore(score=round(out.score, 2), reason=out.reason, backend=self.backend_id)


def _evidence(dimension: str, plan: Any, context: dict[str, Any]) -> str:
    """Text evidence as in the reference: 10 of the last 20 history items; product name and slogan."""
    product = plan.product
    if dimension == "product_alignment":
        return "\n".join([data_block("product", {"name": product.name, "brand": product.brand,
                                                 "slogan": product.slogan, "facts": product.facts}),
                          data_block("the ad's transcript (spoken, then shown on screen)",
                                     transcript(plan, context))])
    history = context.get("history")
    items: list[dict] = []
    if history is not None:
        if history.kind == "notes":
            items = [{"title": n.title, "content": n.content[:300]} for n in history.notes[-20:][::2]]
        else:
            items = [{"title": v.title} for v in history.videos[-20:][::2]]
    parts = [data_block("the person's recent history", items)]
    if dimension == "personalization_content":
        parts.append(data_block("product", {"name": product.name, "intro": product.intro}))
    if dimension in ("personalization_content", "product_alignment"):
        parts.append(data_block("the ad's transcript (spoken, then shown on screen)", transcript(plan, context)))
    if dimension == "integration_quality" and plan.integration is not None:
        parts.append(data_block("host video", plan.integration.host_summary.model_dump(
            include={"title", "topic", "content"})))
    return "\n".join(parts)


def transcript(plan: Any, context: dict[str, Any]) -> list[str]:
    """What the viewer hears and reads, as the offline judge uses it (subtitles or narration; captions read by
    OCR or the planned ones)."""
    from ..verifier.judge import viewer_lines

    return viewer_lines(plan, context)


def _images(dimension: str, plan: Any, context: dict[str, Any]) -> list[str]:
    """PCI judges also see history covers (presentation/content) and the product image (alignment)."""
    if plan.task != "pci":
        return []
    if dimension == "product_alignment":
        return plan.product.images[:1]
    history = context.get("history")
    if history is None:
        return []
    return [v.cover_path for v in history.videos[-4:] if v.cover_path and Path(v.cover_path).is_file()]
