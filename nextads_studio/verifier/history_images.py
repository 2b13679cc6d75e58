"""A person's own photos must not appear in their ad unless the import marked them licensed for reuse.

History images are style references (palette, motifs, pacing); a frame that shows one (found by ORB features and a
RANSAC similarity transform, confirmed by how the photo looks where it maps; one frame per scene) is a critical licensing finding naming the image, the scene and the time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from ..schemas import CreativePlan, Evidence, Finding, UserHistory
from .presence import MIN_INLIERS, PresenceDetector, shown_by
from .quality import VideoSample

_FINDERS: dict[str, list[tuple[str, PresenceDetector]]] = {}


def unlicensed_images(history: UserHistory) -> list[str]:
    """History images without a reuse licence (notes' photos and video covers)."""
    paths: list[str] = []
    for note in history.notes:
        if not getattr(note, "licensed_for_reuse", False):
            paths += note.image_paths
    for video in history.videos:
        if video.cover_path and not getattr(video, "licensed_for_reuse", False):
            paths.append(video.cover_path)
    if getattr(history, "licensed_for_reuse", False):
        return []
    return [p for p in dict.fromkeys(paths) if p and Path(p).is_file()]


def _finders(paths: Sequence[str]) -> list[tuple[str, PresenceDetector]]:
    key = hashlib.sha256("|".join(paths).encode()).hexdigest()
    if key not in _FINDERS:
        if len(_FINDERS) > 32:
            _FINDERS.clear()
        found = []
        for p in paths:
            # photos have corners: features only (the shape search and its matte would be wasted)
            finder = PresenceDetector([p], size_range=(0.15, 1.0), match_shapes=False)
            if finder.usable:
                found.append((p, finder))
        _FINDERS[key] = found
    return _FINDERS[key]


# many features per frame: a pasted photo competes with the product and backdrop for keypoints
_ORB = cv2.ORB_create(nfeatures=3000)
_MATCHER = cv2.BFMatcher(cv2.NORM_HAMMING)


def _inliers(finder: PresenceDetector, kp, des, grey: np.ndarray) -> int:
    """RANSAC inliers of the photo in the frame, counted only when the photo really is there (see shown_by)."""
    best = 0
    for (rkp, rdes), ref in zip(finder.features, finder.feature_images, strict=True):
        pairs = _MATCHER.knnMatch(rdes, des, k=2)
        good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
        if len(good) < MIN_INLIERS:
            continue
        src = np.float32([rkp[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
        dst = np.float32([kp[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
        # a pasted photo is moved and scaled, not bent: a similarity transform, checked by how the photo looks there
        transform, mask = cv2.estimateAffinePartial2D(src, dst, method=cv2.RANSAC, ransacReprojThreshold=5.0)
        n = int(mask.sum()) if mask is not None else 0
        if n >= MIN_INLIERS and shown_by(transform, ref, grey):
            best = max(best, n)
    return best


def check_history_images(plan: CreativePlan, sample: VideoSample, history: UserHistory | None,
                         licences: dict[str, str] | None = None) -> list[Finding]:
    """`licences`: licence records by path (a history image with a real licence record, like the demo audience's
    own drawings, may be reused)."""
    from .compliance import _licensed

    if history is None:
        return []
    records = {**plan.grounding.asset_licenses, **(licences or {})}
    finders = _finders([p for p in unlicensed_images(history) if not _licensed(p, records)])
    if not finders:
        return []
    found: list[Finding] = []
    reported: set[str] = set()
    for scene in plan.storyboard.scenes:
        inside = sample.frames_between(scene.start, scene.end)
        if not inside:
            continue
        t, frame = inside[len(inside) // 2]
        grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
        kp, des = _ORB.detectAndCompute(grey, None)
        if des is None or len(kp) < MIN_INLIERS:
            continue
        shown = [path for path, finder in finders
                 if path not in reported and _inliers(finder, kp, des, grey) >= MIN_INLIERS]
        if not shown:
            continue
        reported |= set(shown)
        names = ", ".join(Path(p).name for p in shown)
        found.append(Finding(  # one finding per scene, naming every photo it shows
            category="licensing", severity="critical", code="licensing.history_image_shown",
            message=f"scene {scene.index} shows the person's own photo{'s' if len(shown) > 1 else ''} {names}, "
                    "not licensed for reuse", evidence=Evidence(scene_index=scene.index, start=scene.start,
                                                               end=scene.end, visual_element=shown[0], field="render")))
    return found


__all__ = ["check_history_images", "shown_by", "unlicensed_images"]
