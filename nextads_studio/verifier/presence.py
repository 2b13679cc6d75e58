"""Is the product (or its logo) in a frame? Two detectors, because product images come in two kinds.

- Feature matching (ORB, Lowe's ratio test, RANSAC homography): photographs and detailed renders.
- Multi-scale colour template matching of the product cut-out: flat, shaded product drawings that have too few
  corners for features. The cut-out is the image minus its backdrop (alpha, or pixels far from the corner colour);
  the backdrop is filled with the product's mean colour so the correlation is about the product itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from .. import rules

MIN_INLIERS = int(rules.PRESENCE["min_inliers"])
TEMPLATE_MATCH = rules.PRESENCE["template_match"]  # colour TM_CCOEFF_NORMED above which the cut-out counts


def _load_rgba(path: str | Path) -> np.ndarray | None:
    img = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if img is None:
        return None
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGRA)
    elif img.shape[2] == 3:
        img = cv2.cvtColor(img, cv2.COLOR_BGR2BGRA)
    return cv2.cvtColor(img, cv2.COLOR_BGRA2RGBA)


def cutout(rgba: np.ndarray, max_side: int = 400) -> tuple[np.ndarray, np.ndarray] | None:
    """The product's pixels (RGB, backdrop filled with the product's mean colour) and its mask, tightly cropped."""
    scale = max_side / max(rgba.shape[:2])
    if scale < 1:
        rgba = cv2.resize(rgba, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    rgb, alpha = rgba[..., :3], rgba[..., 3]
    if alpha.min() < 250:
        mask = (alpha > 128).astype(np.uint8)
    else:
        corners = np.concatenate([rgb[:8, :8], rgb[:8, -8:], rgb[-8:, :8], rgb[-8:, -8:]]).reshape(-1, 3)
        backdrop = np.median(corners.astype(np.float32), axis=0)
        mask = (np.linalg.norm(rgb.astype(np.float32) - backdrop, axis=2) > 40).astype(np.uint8)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    ys, xs = np.nonzero(mask)
    if len(ys) < 64:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    crop, m = rgb[y0:y1, x0:x1].copy(), mask[y0:y1, x0:x1]
    crop[m == 0] = crop[m > 0].mean(axis=0).astype(np.uint8)
    return crop, m


def shown_by(transform: np.ndarray | None, ref: np.ndarray, frame_grey: np.ndarray, min_side: float = 0.15,
             min_match: float = 0.5) -> bool:
    """Whether a similarity transform (2x3, from feature matches) really places the reference image in the frame:
    the image is at least `min_side` of the frame's short side across, and the reference warped there looks like
    the frame (normalised correlation >= `min_match`). Flat drawings and repeated motifs give many RANSAC
    "inliers" on a transform that collapses the whole image onto a few pixels."""
    if transform is None or not np.isfinite(transform).all():
        return False
    scale = float(np.hypot(transform[0, 0], transform[1, 0]))
    if scale * max(ref.shape[:2]) < min_side * min(frame_grey.shape[:2]):
        return False
    fh, fw = frame_grey.shape[:2]
    warped = cv2.warpAffine(ref, transform, (fw, fh))
    inside = cv2.warpAffine(np.full_like(ref, 255), transform, (fw, fh)) > 128
    if inside.sum() < 64:
        return False
    a, b = warped[inside].astype(np.float32), frame_grey[inside].astype(np.float32)
    if a.std() < 1.0 or b.std() < 1.0:
        return bool(abs(float(a.mean()) - float(b.mean())) < 8.0)
    return float(np.corrcoef(a, b)[0, 1]) >= min_match


class PresenceDetector:
    """Finds any of a set of images (product shots or a logo) in frames.

    `size_range`: the sizes sought, as the image's longer side over the frame's shorter side."""

    def __init__(self, image_paths: Sequence[str], size_range: tuple[float, float] = (0.2, 0.95),
                 search_width: int = 192, scales: int = 9):
        self.orb = cv2.ORB_create(nfeatures=800)
        self.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
        self.size_range, self.search_width, self.scales = size_range, search_width, scales
        self.features, self.templates, self.masks = [], [], []
        self.feature_images: list[np.ndarray] = []  # the grey image each entry of `features` was computed on
        for path in image_paths:
            rgba = _load_rgba(path) if Path(path).is_file() else None
            if rgba is None:
                continue
            cut = cutout(rgba)
            if cut is not None:
                self.templates.append(cut[0])
                self.masks.append(cut[1])
            grey = cv2.cvtColor(rgba[..., :3], cv2.COLOR_RGB2GRAY)
            scale = 400 / max(grey.shape)
            grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
            kp, des = self.orb.detectAndCompute(grey, None)
            if des is not None and len(kp) >= MIN_INLIERS:
                self.features.append((kp, des))
                self.feature_images.append(grey)

    @property
    def usable(self) -> bool:
        return bool(self.features or self.templates)

    def inliers(self, frame: np.ndarray) -> int:
        """Most homography inliers of any image in the frame (0 = not found by features)."""
        if not self.features:
            return 0
        kp, des = self.orb.detectAndCompute(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY), None)
        if des is None or len(kp) < MIN_INLIERS:
            return 0
        best = 0
        for rkp, rdes in self.features:
            pairs = self.matcher.knnMatch(rdes, des, k=2)
            good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
            if len(good) < MIN_INLIERS:
                continue
            src = np.float32([rkp[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
            dst = np.float32([kp[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
            _, mask = cv2.findHomography(src, dst, cv2.RANSAC, 5.0)
            best = max(best, int(mask.sum()) if mask is not None else 0)
        return best

    def template_score(self, frame: np.ndarray) -> float:
        """Best colour correlation of any cut-out over the scales sought (0..1)."""
        w = self.search_width
        small = cv2.resize(frame, (w, max(int(round(frame.shape[0] * w / frame.shape[1])), 8)),
                           interpolation=cv2.INTER_AREA)
        best = 0.0
        for tmpl in self.templates:
            for frac in np.geomspace(*self.size_range, self.scales):
                # the template's longer side as a share of the frame's shorter side: portrait products
                # (a watch, a bottle) and landscape ones (a shoe, a laptop) are sought at the same sizes
                scale = frac * min(small.shape[:2]) / max(tmpl.shape[:2])
                tw, th = int(round(tmpl.shape[1] * scale)), int(round(tmpl.shape[0] * scale))
                if th < 6 or tw < 6 or th >= small.shape[0] or tw >= small.shape[1]:
                    continue
                t = cv2.resize(tmpl, (tw, th), interpolation=cv2.INTER_AREA)
                res = cv2.matchTemplate(small, t, cv2.TM_CCOEFF_NORMED)
                best = max(best, float(np.nan_to_num(res, nan=0.0, posinf=0.0, neginf=0.0).max()))
        return best

    def locate(self, frame: np.ndarray) -> tuple[float, tuple[int, int, int, int] | None, np.ndarray | None]:
        """Best colour-template match in the frame: (score, box in frame pixels, the cut-out's mask at that size)."""
        found = self.locate_scales(frame)
        return max(found, key=lambda c: c[0]) if found else (0.0, None, None)

    def locate_scales(self, frame: np.ndarray) -> list[tuple[float, tuple[int, int, int, int], np.ndarray]]:
        """The best match at each size sought: (score, box in frame pixels, the cut-out's mask at that size)."""
        w = self.search_width
        small = cv2.resize(frame, (w, max(int(round(frame.shape[0] * w / frame.shape[1])), 8)),
                           interpolation=cv2.INTER_AREA)
        k = frame.shape[1] / w
        out = []
        for tmpl, mask in zip(self.templates, self.masks, strict=True):
            for frac in np.geomspace(*self.size_range, self.scales):
                scale = frac * min(small.shape[:2]) / max(tmpl.shape[:2])
                tw, th = int(round(tmpl.shape[1] * scale)), int(round(tmpl.shape[0] * scale))
                if th < 6 or tw < 6 or th >= small.shape[0] or tw >= small.shape[1]:
                    continue
                res = cv2.matchTemplate(small, cv2.resize(tmpl, (tw, th), interpolation=cv2.INTER_AREA),
                                        cv2.TM_CCOEFF_NORMED)
                res = np.nan_to_num(res, nan=0.0, posinf=0.0, neginf=0.0)
                _, score, _, (x, y) = cv2.minMaxLoc(res)
                box = (int(x * k), int(y * k), int((x + tw) * k), int((y + th) * k))
                m = cv2.resize(mask, (box[2] - box[0], box[3] - box[1]), interpolation=cv2.INTER_NEAREST)
                out.append((float(score), box, m))
        return out

    def present(self, frame: np.ndarray) -> tuple[bool, dict[str, float]]:
        """Whether any image is in the frame, with the evidence of both detectors."""
        inl = self.inliers(frame)
        if inl >= MIN_INLIERS:
            return True, {"inliers": float(inl), "template": -1.0}
        score = self.template_score(frame)
        return score >= TEMPLATE_MATCH, {"inliers": float(inl), "template": score}


__all__ = ["PresenceDetector", "cutout"]
