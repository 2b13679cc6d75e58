"""The studio's shared rules, in one place: what "good enough" means, what the utilities are called, how big a
frame is, which aspect a plan gets, and how plans and histories are identified.

Every stage reads these instead of keeping its own copy:

- ``ACCEPT_AT`` / ``REJECT_BELOW``: the Verifier accepts a creative when no utility is under ``ACCEPT_AT`` and
  rejects it when one is under ``REJECT_BELOW``; the Reflector treats a utility as weak exactly when it is under
  ``ACCEPT_AT``, so "revise because X is low" always comes with a directive about X.
- ``UTILITY_NAMES`` and :func:`score_value`: a utility read as a plain number (a missing judgement is ``None``,
  never 0).
- ``DEFAULT_ASPECT``, :func:`frame_size`, :func:`aspect_of`: the one default aspect and the frame size for each.
- :func:`host_frame`: a PCI segment takes the host video's orientation and size (no pillar- or letterboxing).
- :func:`plan_id` and :func:`history_hash`: the same ids whichever Director (offline or LLM) made the plan.
- ``BLOCKING``, ``LEGIBILITY`` / :func:`reading_seconds`, ``DELIVERY``, ``PRESENCE``, ``PRODUCT_CHECKS``,
  ``DISCLOSURE_LABEL``, ``NEWEST_SHARE``: what the Verifier measures on the rendered ad; the Reflector reads the
  same (a finding it must fix, a caption short enough to read in its scene).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .schemas.common import ASPECTS, DEFAULT_ASPECT
from .schemas.verdict import JudgeScore

if TYPE_CHECKING:
    from .schemas import UserHistory

# --- utilities --------------------------------------------------------------------------------------------------
# Feedback: the Reflector decides from a version's aggregate only once it has this many impressions, and acts when
# it is this sure that a rate is on the wrong side of its norm.
MIN_FEEDBACK_IMPRESSIONS = 10
FEEDBACK_CONFIDENCE = 0.9

VIDEO_METRICS = ("motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality")  # [0, 1]
JUDGED = ("personalization_presentation", "personalization_content", "product_alignment", "context_alignment",
          "integration_quality", "diversity", "caption_legibility")  # 0-10 judgements with a reason
UTILITY_NAMES = VIDEO_METRICS + JUDGED
PERSONALIZATION = ("personalization_presentation", "personalization_content")  # judged for NextAds plans only

# A creative is accepted when every measured utility reaches these (video metrics in [0,1], judgements 0-10).
# PIQE (the imaging-quality proxy) reads the flat colour fields of motion graphics as artefacts: offline renders
# score ~0.2-0.45 where photographs score ~0.6, so its bar is low; the aesthetic proxy is weak offline (a floor).
ACCEPT_AT: Mapping[str, float] = MappingProxyType({
    "motion_smoothness": 0.90,
    "imaging_quality": 0.15,
    "aesthetic_quality": 0.25,
    "personalization_presentation": 4.0,
    "personalization_content": 4.0,
    "product_alignment": 5.0,
    "context_alignment": 4.0,
    "integration_quality": 4.0,
    "caption_legibility": 4.0,
})
# Under these the creative is rejected outright, not revised.
REJECT_BELOW: Mapping[str, float] = MappingProxyType({
    "motion_smoothness": 0.6, "imaging_quality": 0.05, "product_alignment": 2.0,
})


def score_value(utility: Any, name: str) -> float | None:
    """Utility ``name`` as a number: a video metric as is, a judgement's score; ``None`` when missing.

    ``utility`` is a :class:`~nextads_studio.schemas.Utility`, or its JSON form (a dict)."""
    value = utility.get(name) if isinstance(utility, Mapping) else getattr(utility, name, None)
    if isinstance(value, JudgeScore):
        return None if value.missing else value.score
    if isinstance(value, Mapping):
        return None if value.get("missing") or value.get("score") is None else float(value["score"])
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def judged(name: str, mode: str) -> bool:
    """Whether utility ``name`` counts for a plan in ``mode`` (a generic ad is not meant to be personalized)."""
    return mode == "nextads" or name not in PERSONALIZATION


def below(utility: Any, limits: Mapping[str, float], mode: str = "nextads") -> list[tuple[str, float, float]]:
    """``(name, value, limit)`` for every judged utility under its limit; missing scores are skipped."""
    out = []
    for name, limit in limits.items():
        value = score_value(utility, name)
        if value is not None and value < limit and judged(name, mode):
            out.append((name, value, float(limit)))
    return out


# --- what the Verifier measures on the rendered ad (the Reflector sizes its fixes by the same numbers) ------------
# Findings of these severities stop an accept (the Verifier revises; the Reflector treats their fixes as
# mandatory); a finding of REJECTING severity rejects the creative outright.
BLOCKING = ("major", "critical")
REJECTING = ("critical",)

# On-screen text. WCAG AA asks 4.5:1 for body text; subtitle guidelines allow ~17-20 Latin and ~9-10 CJK characters
# per second; a caption line under ~2.5% of the short side is hard to read on a phone.
LEGIBILITY: Mapping[str, Any] = MappingProxyType({
    "read_at": 0.6,  # where in a scene its frame is read by OCR (after entrance animations)
    "track_match": 0.75,  # correlation at which a text box still shows the same text
    "track_blur": 1.0, "track_scales": (0.97, 1.03, 0.95, 1.05, 0.9, 1.1),  # a pulsing button's text still matches
    "type_in_share": 0.3,  # a line typed in word by word is on screen (being read) once this share of it is
    "reread_at": 0.85,  # a scene whose caption was not read whole at `read_at` is read again here (still typing)
    "caption_missing_below": 0.5, "caption_whole_at": 0.85,  # share of the planned caption read on screen
    "contrast_ok": 4.5, "contrast_fail": 1.5,
    "caption_min_height": 0.04,  # a caption line's box height as a share of the short side (scores 10 at 0.1)
    "min_read_s": 0.3, "latin_cps": 20.0, "cjk_cps": 10.0,
    "read_time_minor": 1.0, "read_time_major": 0.7,  # time on screen / reading time under which it is a finding
    # platform UI margins (share of width/height) where text may be covered: 16:9 title-safe 5%; 9:16 feeds put
    # captions, buttons and the account line over the bottom ~20% and the right ~12%
    "safe_zone": {"16:9": {"top": 0.05, "bottom": 0.05, "left": 0.05, "right": 0.05},
                  "1:1": {"top": 0.05, "bottom": 0.05, "left": 0.05, "right": 0.05},
                  "9:16": {"top": 0.08, "bottom": 0.15, "left": 0.05, "right": 0.10}},
})
OCR_MIN_SCORE = 0.6  # recognition confidence below which an OCR read is dropped (noise, textures)


def reading_seconds(text: str) -> float:
    """Seconds a viewer needs to read ``text`` once (Latin and CJK at their own characters per second): the
    Verifier's "long enough to read" and the Reflector's caption length for a scene's time."""
    import re

    cjk = sum(1 for ch in text if "\u2e80" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    latin = len(re.sub(r"\s+", " ", text).strip()) - cjk
    return LEGIBILITY["min_read_s"] + latin / LEGIBILITY["latin_cps"] + cjk / LEGIBILITY["cjk_cps"]


# The file as delivered against the plan, and a PCI segment's splice.
DELIVERY: Mapping[str, float] = MappingProxyType({
    "length_tolerance_s": 0.5, "length_tolerance_share": 0.05,  # |rendered - planned| allowed
    "fps_tolerance": 0.5,
    "silent_peak": 10 ** (-50 / 20),  # an audio track whose peak stays under -50 dBFS is silent
    "bar_luma": 18, "bar_min_share": 0.04,  # a border band darker than this, at least this wide, is a bar
    "black_luma": 16, "dip_minor_s": 0.3, "dip_major_s": 1.0,
    "resume_max_diff": 18.0,  # mean abs difference (0-255) between the resumed frame and the host's cut frame
})

# The product in the frames: found by keypoints (or its cut-out by template), early, separable from its backdrop.
PRESENCE: Mapping[str, float] = MappingProxyType({
    "min_inliers": 10,
    # the drawn product's shape score (outline and inner edges correlated, times its colours' agreement) above which
    # it counts as present
    "shape_match": 0.55,
})
PRODUCT_CHECKS: Mapping[str, Any] = MappingProxyType({
    "early_s": 2.0,  # the product must be on screen before this
    "edge_delta_e": 12.0,  # CIELAB distance at the silhouette below which the product melts into its backdrop
    "own_colour_share": 0.5,  # share of a frame within `own_colour_de` of the product's colour
    "own_colour_de": 10.0,
    "locate_min": 0.5,  # template score above which the located box is trusted for the edge test
    # the silhouette-edge test reads product cards and shadows of new layouts as weak edges: off until calibrated
    # on them; the own-colour test above stays on
    "edge_test": False,
})

# The AI-disclosure badge: seen (normalised cross-correlation) in this share of sampled frames.
DISCLOSURE_LABEL: Mapping[str, float] = MappingProxyType({"match": 0.6, "coverage": 0.9})

# Personalization: the newest share of a history is held out (the bench's Director sees the rest; the judge also
# scores the ad against it alone).
NEWEST_SHARE = 0.2
# A personalization score contrasts the person with the audience: RANK_WEIGHT of it is the share of other people
# this person beats, the rest the margin over the others' median similarity, full at MARGIN_FULL. Cosine
# similarities of an ad to the demo histories spread over about 0.1-0.9 with medians near 0.2-0.7, so a margin
# of 0.5 is about the widest a top-ranked ad reaches; a bar at 0.15 gave most top-ranked ads a "perfect" 10 and
# hid the difference between an ad made for the person and a generic one that suits them.
PERSONALIZATION_CONTRAST: Mapping[str, float] = MappingProxyType({"rank_weight": 0.7, "margin_full": 0.5})


# --- aspect and frame size ----------------------------------------------------------------------------------------


def frame_size(aspect: str, short: int) -> tuple[int, int]:
    """(width, height) for ``aspect`` with ``short`` pixels on the short side; both even."""
    if aspect not in ASPECTS:
        raise ValueError(f"aspect must be one of {', '.join(ASPECTS)}, got {aspect!r}")
    short = int(short) + int(short) % 2
    long = int(round(short * 16 / 9 / 2)) * 2
    return {"9:16": (short, long), "16:9": (long, short), "1:1": (short, short)}[aspect]


def aspect_of(width: int, height: int) -> str:
    """The aspect closest to a width x height frame (within 10% of square counts as 1:1)."""
    if width > height * 1.1:
        return "16:9"
    if height > width * 1.1:
        return "9:16"
    return "1:1"


@dataclass(frozen=True)
class HostFrame:
    """What a PCI segment must look like to sit in its host without bars: the host's displayed size."""

    width: int
    height: int

    @property
    def aspect(self) -> str:
        return aspect_of(self.width, self.height)

    @property
    def short(self) -> int:
        return min(self.width, self.height)


def host_frame(host_video: str | Path) -> HostFrame:
    """The displayed size of a host video (probe applies its rotation), rounded up to even numbers.

    A PCI segment takes the host video's orientation and size, so the splice needs no pillar- or letterboxing."""
    from . import media_io

    info = media_io.probe(host_video)
    if not info.has_video or info.width <= 0 or info.height <= 0:
        raise ValueError(f"{Path(host_video).name}: no video stream to take a frame size from")
    return HostFrame(info.width + info.width % 2, info.height + info.height % 2)


def render_size(aspect: str, resolution: int, host_video: str | Path | None = None) -> tuple[int, int]:
    """(width, height) to render at: a PCI segment (``host_video`` given) at its host's size, else
    :func:`frame_size`."""
    if host_video is not None and Path(host_video).is_file():
        frame = host_frame(host_video)
        return frame.width, frame.height
    return frame_size(aspect, resolution)


def plan_aspect(task: str, host_video: str | Path | None = None, requested: str | None = None) -> str:
    """The aspect a plan gets: for PCI always the host's (a different one would be boxed in the splice), else the
    requested one, else ``DEFAULT_ASPECT``."""
    if task == "pci" and host_video and Path(host_video).is_file():
        return host_frame(host_video).aspect
    return requested or DEFAULT_ASPECT


# --- ids ----------------------------------------------------------------------------------------------------------
def history_hash(history: UserHistory) -> str:
    """Stable hash of the items that shape a profile (where the history was read from does not count)."""
    data = history.model_dump_json(exclude={"source"})
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def plan_id(user: str | None, product_id: str, task: str, mode: str, seed: int) -> str:
    """Deterministic plan id from (user or 'generic', product, task, mode, seed); the same for every Director."""
    key = f"{user if mode == 'nextads' and user else 'generic'}|{product_id}|{task}|{mode}|{seed}"
    return "plan-" + hashlib.sha256(key.encode()).hexdigest()[:12]


__all__ = ["ACCEPT_AT", "ASPECTS", "BLOCKING", "DEFAULT_ASPECT", "DELIVERY", "DISCLOSURE_LABEL", "JUDGED",
           "LEGIBILITY", "NEWEST_SHARE", "OCR_MIN_SCORE", "PERSONALIZATION", "PERSONALIZATION_CONTRAST", "PRESENCE", "PRODUCT_CHECKS",
           "REJECTING", "REJECT_BELOW", "UTILITY_NAMES", "VIDEO_METRICS", "HostFrame", "aspect_of", "below",
           "frame_size", "history_hash", "host_frame", "judged", "plan_aspect", "plan_id", "reading_seconds",
           "render_size", "score_value"]
