"""The Verifier: measure the rendered creative (quality, judge, compliance) and decide accept / revise / reject.

Decision rule: reject on a critical finding or when a utility falls below its `reject_below` floor; revise on a
major finding or a utility under its threshold; otherwise accept (minor findings are reported, not blocking).
Non-accepted verdicts carry rationales naming the scene(s) and the cause, which the Reflector turns into directives.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .. import rules
from ..atomic import sha256_file
from ..backends.base import Embedder, Judge
from ..errors import BackendUnavailable, InputError
from ..schemas import (
    Creative,
    CreativePlan,
    Finding,
    JudgeScore,
    ScreenLine,
    UserHistory,
    UserProfile,
    Utility,
    Verdict,
)
from . import compliance, copy_check, delivery, history_images, product_checks, quality, screen
from .person import NOT_MEASURABLE
from .presence import PresenceDetector

# Accept / reject bars live in rules (shared with the Reflector); a Verifier may be given its own.
DEFAULT_THRESHOLDS: dict[str, Any] = {**rules.ACCEPT_AT, "reject_below": dict(rules.REJECT_BELOW)}
PERSONALIZATION = rules.PERSONALIZATION


def required_judgements(plan: CreativePlan) -> list[str]:
    """The judgements an accept rests on; when one is missing (a judge that failed) the verdict cannot be accept."""
    dims = ["product_alignment"]
    if plan.mode == "nextads":
        dims += list(PERSONALIZATION)
    if plan.task == "pci":
        dims.append("integration_quality")
    return dims


def judge_provenance(utility: Utility, default: str) -> str:
    """Which backends produced the judgements, e.g. "openai-compatible:x" or "offline (fallback for ...)"."""
    used = sorted({s.backend for name in Utility.model_fields
                   if isinstance(s := getattr(utility, name), JudgeScore) and s.backend and not s.missing})
    if not used:
        return default
    if default not in used and default != "offline":
        return f"{', '.join(used)} ({default} gave no judgement)"
    return ", ".join(used)


def _value(utility: Utility, name: str) -> float | None:
    return rules.score_value(utility, name)


def _read_screen(plan: CreativePlan, sample: quality.VideoSample):
    """(reading or None, seconds, why it is missing): OCR of the sampled frames."""
    t = time.perf_counter()
    try:
        return screen.read_screen(plan, sample), time.perf_counter() - t, ""
    except BackendUnavailable as exc:
        return None, time.perf_counter() - t, str(exc)


# the same defect seen by two rules (a caption cut mid-phrase is also a copy fragment): reported once
_SAME_DEFECT = [{"legibility.cut_caption", "copy.fragment"}]


def _once(findings: Sequence[Finding]) -> list[Finding]:
    """Each finding once: one per rule, scene and text, and one per scene for rules that see the same defect."""
    out: list[Finding] = []
    seen: set[tuple] = set()
    for f in findings:
        text = (f.evidence.text or f.evidence.visual_element or "").strip().lower()
        group = next((tuple(sorted(g)) for g in _SAME_DEFECT if f.code in g), None)
        key = (group, f.evidence.scene_index, "") if group else (f.code, f.evidence.scene_index, text)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def _where(f: Finding) -> str:
    e = f.evidence
    scene = f"scene {e.scene_index}" if e.scene_index is not None else "whole creative"
    span = f" ({e.start:.1f}-{e.end:.1f}s)" if e.start is not None and e.end is not None else ""
    return f"{scene}{span}"


def finding_rationale(f: Finding) -> str:
    """One line for the Reflector: where, which rule, what, and the plan field."""
    field = f" [{f.evidence.field}]" if f.evidence.field else ""
    return f"{_where(f)}: {f.severity} {f.code or f.category}: {f.message}{field}"


def _scenes_for(plan: CreativePlan, metric: str) -> list[int]:
    scenes = plan.storyboard.scenes
    if metric == "product_alignment":
        return [s.index for s in scenes if s.product_focus] or [s.index for s in scenes]
    if metric == "caption_legibility":
        return [s.index for s in scenes if s.on_screen_text.strip()]
    return [s.index for s in scenes]


class Verifier:
    """Gatekeeper between the Producer and the Reflector; one instance is shared by the studio."""

    def __init__(self, judge: Judge, embedder: Embedder, thresholds: dict | None = None,
                 other_brands: Iterable[str] = (), audience: Callable[[], Iterable[UserHistory]] | None = None):
        """`audience`: the people a person is contrasted with when personalization is judged (loaded lazily)."""
        self.judge = judge
        self._audience = audience
        self.embedder = embedder
        self.thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
        self.thresholds["reject_below"] = {**DEFAULT_THRESHOLDS["reject_below"],
                                           **(thresholds or {}).get("reject_below", {})}
        self.other_brands = list(other_brands)

    @classmethod
    def from_studio(cls, studio) -> Verifier:
        """Judge and embedder from the studio's backends; other library brands count as third-party marks."""
        try:
            brands = sorted({p.brand for p in studio.library})
        except (OSError, ValueError, InputError):  # no readable library: the built-in brand lexicon still applies
            brands = []
        return cls(studio.backend("judge"), studio.embedder, other_brands=brands,
                   audience=lambda: list(studio.audience.values()))

    def audience_for(self, history: UserHistory | None) -> list[UserHistory]:
        """The audience a person is judged within (the person included, once)."""
        people = list(self._audience()) if self._audience else []
        if history is not None:
            people = [h for h in people if h.user_id != history.user_id] + [history]
        return people

    def verify(self, plan: CreativePlan, creative: Creative, history: UserHistory | None = None,
               profile: UserProfile | None = None,
               peers: Sequence[tuple[CreativePlan, Creative]] = ()) -> Verdict:
        """Measure and judge the creative; `profile` defaults to the plan's (pass the user's for GenericAds)."""
        t_start = time.perf_counter()
        profile = profile or plan.profile
        info = delivery.check_file(creative.video_path)  # not a video at all: refused with a clear message
        sample = quality.sample_video(creative.video_path)
        timings: dict[str, float] = {}
        with ThreadPoolExecutor(max_workers=1) as pool:  # OCR (one thread) runs beside the video metrics
            reading_job = pool.submit(_read_screen, plan, sample)
            q = quality.measure_sample(sample)
            reading, ocr_seconds, ocr_note = reading_job.result()
        timings.update(q["timings"])
        timings["ocr"] = ocr_seconds
        t = time.perf_counter()
        cues = compliance.read_srt(creative.srt_path) if creative.srt_path and Path(creative.srt_path).is_file() \
            else []
        findings: list[Finding] = []
        if reading is not None:
            fh, fw = sample.frames[0].shape[:2]
            screen.check_screen(plan, reading, (fw, fh), cues)
            findings += reading.findings
        findings += copy_check.copy_findings(plan, reading, cues)
        findings += delivery.check_container(plan, creative, info) + delivery.check_pci(plan, creative)
        timings["screen_copy_delivery"] = time.perf_counter() - t
        t = time.perf_counter()
        findings += product_checks.check_product(plan, sample, PresenceDetector(plan.product.images))
        findings += history_images.check_history_images(plan, sample, history, creative.asset_licenses)
        timings["product_and_history_images"] = time.perf_counter() - t
        context: dict[str, Any] = {"sample": sample, "profile": profile, "history": history, "peers": peers,
                                   "timings": timings, "reading": reading, "cues": cues,
                                   "audience": self.audience_for(history)}
        scores = self.judge.score(plan, creative, context)
        if reading is not None and reading.legibility is not None:
            scores["caption_legibility"] = reading.legibility
        elif ocr_note:
            scores["caption_legibility"] = JudgeScore(missing=True, reason=ocr_note)
        t = time.perf_counter()
        report, label_ev = compliance.check(
            plan, creative.srt_path, sample.frames, sample.times, (sample.width, sample.height), sample.metadata,
            profile=profile, history=history, creative_licenses=creative.asset_licenses,
            other_brands=[b for b in self.other_brands if b.lower() != plan.product.brand.lower()], reading=reading)
        report.findings = _once(findings + report.findings)
        timings["compliance"] = time.perf_counter() - t
        utility = Utility(
            motion_smoothness=q["motion_smoothness"], dynamic_degree=q["dynamic_degree"],
            aesthetic_quality=q["aesthetic_quality"], imaging_quality=q["imaging_quality"],
            **{k: v for k, v in scores.items() if k in Utility.model_fields})
        decision, rationales = self.decide(plan, utility, report.findings)
        timings["total"] = time.perf_counter() - t_start
        return Verdict(plan_id=plan.plan_id, plan_version=plan.version,
                       creative_sha256=creative.sha256 or sha256_file(creative.video_path), decision=decision,
                       utility=utility, compliance=report, rationales=rationales,
                       on_screen=[ScreenLine(scene_index=sc, start=round(a, 2), end=round(b, 2), text=tx)
                                  for sc, a, b, tx in (reading.all_text() if reading is not None else [])],
                       judge_backend=judge_provenance(utility, getattr(self.judge, "backend_id", "offline")),
                       timings={k: round(v, 4) for k, v in timings.items()})

    def decide(self, plan: CreativePlan, utility: Utility, findings: Sequence[Finding]) -> tuple[str, list[str]]:
        """accept / revise / reject and the rationales behind anything but accept."""
        rationales = [finding_rationale(f) for f in findings if f.severity in rules.BLOCKING]
        critical = any(f.severity in rules.REJECTING for f in findings)
        floor_breach, misses, breached = [], [], set()
        for name, floor in self.thresholds["reject_below"].items():
            v = _value(utility, name)
            if v is not None and v < floor:
                breached.add(name)
                floor_breach.append(self._utility_rationale(plan, utility, name, v, floor, "very low"))
        for name, minimum in self.thresholds.items():
            if name in breached or name == "reject_below" or (name in PERSONALIZATION and plan.mode != "nextads"):
                continue
            v = _value(utility, name)
            if v is not None and v < minimum:
                misses.append(self._utility_rationale(plan, utility, name, v, minimum, "below threshold"))
        unavailable = [f"judge unavailable: {name}: {score.reason or 'no judgement'}"
                       for name in required_judgements(plan)
                       if isinstance(score := getattr(utility, name, None), JudgeScore) and score.missing
                       and not score.reason.startswith(NOT_MEASURABLE)]
        misses += unavailable
        if critical or floor_breach:
            decision = "reject"
        elif rationales or misses:
            decision = "revise"
        else:
            return "accept", []
        minors = [finding_rationale(f) for f in findings if f.severity not in rules.BLOCKING]
        return decision, rationales + floor_breach + misses + minors

    def _utility_rationale(self, plan: CreativePlan, utility: Utility, name: str, value: float, bound: float,
                           what: str) -> str:
        scenes = _scenes_for(plan, name)
        score = getattr(utility, name)
        why = f": {score.reason}" if isinstance(score, JudgeScore) and score.reason else ""
        where = "scenes " + ",".join(map(str, scenes)) if scenes else "whole creative"
        return f"{where}: utility {name} {value:.2f} {what} ({bound}){why}"


__all__ = ["DEFAULT_THRESHOLDS", "Verifier", "finding_rationale"]
