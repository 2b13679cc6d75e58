"""The verdict as a person can act on it: each score with its bar, pass or fail, what it measures and the evidence;
each finding once, located in words, with the way forward (a Reflector directive, or "needs a person").

Pure functions over a Verdict (and, optionally, the directives the Reflector proposed for it): the studio's Verify
tab, the CLI and reports only display what `scorecard()` returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..schemas import Finding, JudgeScore, Verdict
from .rubric import RUBRIC

VBENCH_NOTE = ("* MS*, DD*, AQ*, IQ* are weight-free stand-ins for VBench's Motion Smoothness, Dynamic Degree, "
               "Aesthetic Quality and Imaging Quality (no downloaded models): compare creatives with each other, "
               "not with published VBench numbers.")

# (label, what it measures) per utility, in display order
# (the judged dimensions' lines are the rubric every judge, offline or a model, scores on)
MEASURES: dict[str, tuple[str, str]] = {
    "personalization_content": ("Personalization (content)", RUBRIC["personalization_content"]),
    "personalization_presentation": ("Personalization (presentation)", RUBRIC["personalization_presentation"]),
    "product_alignment": ("Product alignment", RUBRIC["product_alignment"]),
    "caption_legibility": ("Caption legibility", RUBRIC["caption_legibility"]),
    "context_alignment": ("Context alignment", RUBRIC["context_alignment"]),
    "integration_quality": ("Integration quality", RUBRIC["integration_quality"]),
    "diversity": ("Diversity", RUBRIC["diversity"]),
    "motion_smoothness": ("MS*", "how smoothly frames follow each other (1 = no jerk)"),
    "dynamic_degree": ("DD*", "whether the picture moves enough to count as dynamic (VBench's flow rule)"),
    "aesthetic_quality": ("AQ*", "colourfulness, contrast, exposure and sharpness of the frames"),
    "imaging_quality": ("IQ*", "freedom from blur, noise and compression artefacts (PIQE)"),
}
VIDEO_METRICS = ("motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality")
PERSONALIZATION = ("personalization_presentation", "personalization_content")
_FIELD_WORDS = {"narration": "narration", "on_screen_text": "caption", "on screen": "on-screen text",
                "srt": "subtitles", "render": "video", "visual": "picture", "hook": "hook", "cta": "call to action",
                "asset_licenses": "soundtrack or asset", "grounding": "assets", "audio track": "audio"}


@dataclass(frozen=True)
class ScoreRow:
    key: str
    label: str
    value: float | None
    shown: str  # the value as displayed ("0.9931", "7.40", "n/a")
    threshold: float | None
    passed: bool | None  # None: not judged (missing, or not meant for this mode)
    measures: str
    evidence: str


@dataclass(frozen=True)
class FindingRow:
    severity: str
    category: str
    where: str  # "scene 5 narration, 9.0-12.0 s"
    what: str
    way_forward: str


@dataclass
class Scorecard:
    decision: str
    headline: str
    scores: list[ScoreRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    on_screen: list[str] = field(default_factory=list)
    footnote: str = VBENCH_NOTE


def where(f: Finding) -> str:
    """A finding's place in words: scene, what part of it, and when."""
    e = f.evidence
    parts = []
    if e.scene_index is not None:
        part = _FIELD_WORDS.get(_last_field(e.field), "")
        parts.append(f"scene {e.scene_index}" + (f" {part}" if part else ""))
    elif e.visual_element or e.field:
        parts.append(_FIELD_WORDS.get(_last_field(e.field), "") or e.visual_element or "whole creative")
    else:
        parts.append("whole creative")
    if e.start is not None and e.end is not None:
        parts.append(f"{e.start:.1f}–{e.end:.1f} s")
    return ", ".join(p for p in parts if p)


def _last_field(name: str | None) -> str:
    if not name:
        return ""
    return name.rsplit(".", 1)[-1].split("[")[0] if name.startswith(("storyboard", "grounding")) else name


def _score_row(verdict: Verdict, key: str, thresholds: Mapping[str, float], mode: str) -> ScoreRow | None:
    label, measures = MEASURES[key]
    raw = getattr(verdict.utility, key, None)
    if raw is None:
        return None
    limit = thresholds.get(key)
    limit = float(limit) if isinstance(limit, (int, float)) else None
    if isinstance(raw, JudgeScore):
        value = None if raw.missing else raw.score
        evidence = raw.reason
        shown = "n/a" if value is None else f"{value:.2f}"
    else:
        value, evidence = float(raw), "measured on the decoded frames"
        shown = f"{value:.4f}"
    judged = mode == "nextads" or key not in PERSONALIZATION
    if value is None or limit is None:
        passed = None
    else:
        passed = value >= limit if judged else None
    if not judged and value is not None:
        evidence = f"not required of a generic ad (shown for comparison): {evidence}"
    return ScoreRow(key, label, value, shown, limit, passed, measures, evidence)


def way_forward(f: Finding, directives: Sequence | None) -> str:
    """The directive that fixes a finding (matched by rule code, else by scene), or what a person must decide."""
    if directives is not None:
        for d in directives:
            if getattr(d, "finding_code", None) == f.code and (
                    f.evidence.scene_index is None or not d.scenes or f.evidence.scene_index in d.scenes):
                return _describe(d)
        for d in directives:
            if f.evidence.scene_index is not None and f.evidence.scene_index in getattr(d, "scenes", []):
                return _describe(d)
    if f.category == "licensing" and (f.evidence.field == "asset_licenses"):
        return "needs a person: choose a licensed track or asset, or record its licence"
    if f.severity == "minor":
        return "no change required (minor)"
    if directives is None:  # not reflected yet: the kind of fix the Reflector proposes for this finding
        return _EXPECTED.get(f.code, _EXPECTED.get(f.category, "see the Reflect tab"))
    return "needs a person: no automatic fix; edit the plan or the product record"


_EXPECTED = {
    "legibility.cut_caption": "recaption with a complete line (Producer)",
    "legibility.caption_missing": "recaption (Producer)", "legibility.caption_partial": "recaption (Producer)",
    "legibility.too_brief": "recaption shorter (Producer)", "legibility": "relayout the caption (Producer)",
    "copy": "rewrite that line (Director)", "safety": "rewrite that line from the facts (Director)",
    "privacy": "rewrite the line and update the profile (Director)", "fairness": "rewrite that line (Director)",
    "product.absent_early": "show the product in the first scene (Director)",
    "product": "re-render the product scene (Producer)", "delivery": "re-render (Producer)",
    "disclosure": "re-render with the AI label (Producer)", "licensing": "swap the asset (Producer)",
}


def _describe(d) -> str:
    scenes = ", ".join(str(i) for i in d.scenes) if d.scenes else "all scenes"
    return f"{d.kind.replace('_', ' ')} (scenes {scenes}, {d.target_stage})"


def scorecard(verdict: Verdict, thresholds: Mapping[str, float], mode: str = "nextads",
              directives: Sequence | None = None) -> Scorecard:
    """Everything the Verify tab shows, in the order a reviewer reads it."""
    rows = [r for r in (_score_row(verdict, k, thresholds, mode) for k in MEASURES) if r is not None]
    findings = [FindingRow(f.severity, f.category, where(f), f.message, way_forward(f, directives))
                for f in sorted(verdict.compliance.findings,
                                key=lambda f: ({"critical": 0, "major": 1, "minor": 2}[f.severity],
                                               f.evidence.scene_index if f.evidence.scene_index is not None else -1))]
    failed = [r.label for r in rows if r.passed is False]
    blocking = [f for f in findings if f.severity != "minor"]
    if verdict.decision == "accept":
        headline = "accept: every judged score reaches its bar and nothing blocks"
    else:
        why = [f"{len(blocking)} blocking finding(s)"] if blocking else []
        why += [f"below the bar: {', '.join(failed)}"] if failed else []
        headline = f"{verdict.decision}: " + ("; ".join(why) or "see the rationales")
    shown = [f"scene {ln.scene_index}, {ln.start:.1f}–{ln.end:.1f} s: \"{ln.text}\"" for ln in verdict.on_screen]
    return Scorecard(verdict.decision, headline, rows, findings, shown)


def to_markdown(card: Scorecard) -> str:
    """The scorecard as Markdown (the studio and reports show this)."""
    out = [f"**{card.headline}**", "", "| Score | Value | Bar | Pass | What it measures | Evidence |",
           "|---|---|---|---|---|---|"]
    for r in card.scores:
        mark = {True: "pass", False: "FAIL", None: "–"}[r.passed]
        bar = "–" if r.threshold is None else (f"{r.threshold:.2f}" if r.key in VIDEO_METRICS else f"{r.threshold:g}")
        out.append(f"| {r.label} | {r.shown} | {bar} | {mark} | {r.measures} | {_cell(r.evidence)} |")
    out += ["", card.footnote, ""]
    if card.findings:
        out += ["| Severity | Category | Where | What | Way forward |", "|---|---|---|---|---|"]
        out += [f"| {f.severity} | {f.category} | {f.where} | {_cell(f.what)} | {_cell(f.way_forward)} |"
                for f in card.findings]
    else:
        out.append("No findings.")
    if card.on_screen:
        out += ["", "Read on screen: " + "; ".join(card.on_screen)]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


__all__ = ["MEASURES", "VBENCH_NOTE", "FindingRow", "ScoreRow", "Scorecard", "scorecard", "to_markdown",
           "way_forward", "where"]
