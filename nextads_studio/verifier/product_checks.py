"""Can the viewer see the product? Findings on the rendered frames (category `product`):

- product.absent_early: the product is not in the picture in the first 2 s (viewers skip early);
- product.lost_on_backdrop: in a product scene the product's edge does not stand out from what surrounds it
  (CIELAB distance between a band just inside its silhouette and a ring just outside), or most of the frame is the
  product's own colour.
The product is found by the same detector the product-alignment score uses (features or the colour cut-out).
"""

from __future__ import annotations

import cv2
import numpy as np

from .. import rules
from ..schemas import CreativePlan, Evidence, Finding
from .presence import PresenceDetector
from .quality import VideoSample

PRODUCT = rules.PRODUCT_CHECKS


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def product_colour(finder: PresenceDetector) -> np.ndarray | None:
    """Median CIELAB colour of the product's own pixels (its cut-out)."""
    if not finder.templates:
        return None
    tmpl, mask = finder.templates[0], finder.masks[0]
    return np.median(_lab(tmpl)[mask > 0], axis=0)


def edge_contrast(frame: np.ndarray, box: tuple[int, int, int, int], mask: np.ndarray) -> float | None:
    """CIELAB distance between the product's rim (inside) and its surroundings (outside), medians."""
    x0, y0, x1, y1 = box
    h, w = frame.shape[:2]
    full = np.zeros((h, w), np.uint8)
    mx0, my0 = max(x0, 0), max(y0, 0)
    mx1, my1 = min(x1, w), min(y1, h)
    if mx1 - mx0 < 4 or my1 - my0 < 4:
        return None
    full[my0:my1, mx0:mx1] = mask[my0 - y0:my1 - y0, mx0 - x0:mx1 - x0]
    r = max(2, int(0.04 * max(x1 - x0, y1 - y0)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    inner = full & ~cv2.erode(full, kernel)
    outer = cv2.dilate(full, kernel) & ~full
    if inner.sum() < 20 or outer.sum() < 20:
        return None
    lab = _lab(frame)
    return float(np.linalg.norm(np.median(lab[inner > 0], axis=0) - np.median(lab[outer > 0], axis=0)))


def _is_product(frame: np.ndarray, box: tuple[int, int, int, int], mask: np.ndarray, colour: np.ndarray) -> bool:
    x0, y0, x1, y1 = box
    crop = frame[max(y0, 0):y1, max(x0, 0):x1]
    m = mask[:crop.shape[0], :crop.shape[1]] > 0
    if crop.size == 0 or m.sum() < 20:
        return False
    return float(np.linalg.norm(np.median(_lab(crop)[m], axis=0) - colour)) < 25.0


def _finding(code: str, message: str, scene, start: float, end: float) -> Finding:
    return Finding(category="product", severity="major", code=code, message=message,
                   evidence=Evidence(scene_index=scene.index, start=round(start, 2), end=round(end, 2),
                                     visual_element="product", field="render"))


def check_product(plan: CreativePlan, sample: VideoSample, finder: PresenceDetector) -> list[Finding]:
    if not finder.usable:
        return []
    found: list[Finding] = []
    early = [(t, f) for t, f in zip(sample.times, sample.frames, strict=True) if t < PRODUCT["early_s"]]
    probe = early[1::max(len(early) // 3, 1)][:3] or early[:1]
    if probe and not any(finder.present(f)[0] for _, f in probe):
        first = plan.storyboard.scenes[0]
        found.append(_finding("product.absent_early", f"the product is not in the picture in the first "
                              f"{PRODUCT['early_s']:.0f} s", first, 0.0, PRODUCT["early_s"]))
    colour = product_colour(finder)
    for scene in plan.storyboard.scenes:
        if not scene.product_focus:
            continue
        inside = sample.frames_between(scene.start, scene.end)
        if not inside:
            continue
        t, frame = inside[len(inside) * 3 // 5]
        why = _lost(frame, finder, colour)
        if why:
            found.append(_finding("product.lost_on_backdrop", f"scene {scene.index}: the product does not stand "
                                  f"out from its backdrop ({why})", scene, scene.start, scene.end))
    return found


def _lost(frame: np.ndarray, finder: PresenceDetector, colour: np.ndarray | None) -> str:
    if colour is not None:
        small = cv2.resize(frame, (96, max(int(96 * frame.shape[0] / frame.shape[1]), 8)),
                           interpolation=cv2.INTER_AREA)
        share = float(np.mean(np.linalg.norm(_lab(small) - colour, axis=2) < PRODUCT["own_colour_de"]))
        if share >= PRODUCT["own_colour_share"]:
            return f"{share:.0%} of the frame is the product's own colour"
    if not PRODUCT["edge_test"]:
        return ""
    # every size at which the product's colours match: a match at the wrong size lands inside the product (no
    # edge at all), so the product is lost only when no size shows an edge
    edges = [edge_contrast(frame, box, mask) for score, box, mask in finder.locate_scales(frame)
             if score >= PRODUCT["locate_min"] and (colour is None or _is_product(frame, box, mask, colour))]
    edges = [e for e in edges if e is not None]
    if edges and max(edges) < PRODUCT["edge_delta_e"]:
        return f"colour difference at its edge {max(edges):.0f} dE, needs {PRODUCT['edge_delta_e']:.0f}"
    return ""


__all__ = ["PRODUCT", "check_product", "edge_contrast", "product_colour"]
