"""Diversity for the bench report: how different one user's creatives are from each other, per system."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from ..schemas import Creative, CreativePlan

log = logging.getLogger(__name__)


def _load(job_dir: Path) -> tuple[CreativePlan, Creative] | None:
    try:
        plan = CreativePlan.model_validate_json((job_dir / "plan.json").read_text(encoding="utf-8"))
        creative = Creative.model_validate_json((job_dir / "creative.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return plan, creative


def diversity_judge(studio) -> Callable[[Sequence[Path]], float | None]:
    """Mean of the judge's diversity score of each creative against the user's other creatives.

    Returns None (a missing judgement) when the judge fails or fewer than one creative could be read.
    """
    judge = studio.verifier.judge

    def score(job_dirs: Sequence[Path]) -> float | None:
        items = [x for x in (_load(Path(d)) for d in job_dirs) if x is not None]
        if not items:
            return None
        scores = []
        for i, (plan, creative) in enumerate(items):
            peers = [it for j, it in enumerate(items) if j != i]
            try:
                result = _judge_one(judge, plan, creative, peers)
            except Exception as exc:  # a failed judge is a missing value, never a 0
                log.warning("diversity judge failed for %s: %s", plan.plan_id, exc)
                continue
            if not result.missing and result.score is not None:
                scores.append(result.score)
        return round(sum(scores) / len(scores), 3) if scores else None

    return score


def _judge_one(judge, plan: CreativePlan, creative: Creative, peers) -> object:
    """The offline judge scores diversity alone; other judges score everything and we keep diversity."""
    if hasattr(judge, "diversity"):
        from ..verifier.quality import sample_video

        return judge.diversity(plan, sample_video(creative.video_path), peers)
    return judge.score(plan, creative, {"peers": peers, "profile": plan.profile})["diversity"]
