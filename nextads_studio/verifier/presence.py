"""Is the product (or its logo) in a frame? Two detectors, because product images come in two kinds.

- Feature matching (ORB, Lowe's ratio test, RANSAC homography): photographs and detailed renders.
- Shape matching of the product as the Producer draws it: flat drawings with too few corners for features (a white
  bar with a pale ellipse, a line drawing, a one-colour silhouette). The image is cut out the way the Producer cuts
  it (its own alpha, else the Producer's matte), and at each size sought its edge map (the silhouette plus every
  colour edge inside it) is correlated with the frame's edge map over the product and a ring around it, so a flat
  product is found by its outline even when its inside has one colour. The best spot must also have the product's
  colours, pixel by pixel, inside the silhouette (a same-shaped thing in other colours is not the product), and
  edges as strong as the drawing's (a backdrop's faint motif can share a line drawing's shape, not its contrast).
  The Producer keeps every product at least 24 dE from its backdrop at the edge, so the outline is there to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from .. import rules
from ..errors import InputError
from ..producer import layers

MIN_INLIERS = int(rules.PRESENCE["min_inliers"])
SHAPE_MATCH = rules.PRESENCE["shape_match"]  # shape score (edge correlation, colour-checked) above which it counts
# Sobel response of a CIELAB step at which an edge counts fully: a 24 dE step (the Producer's least separation of a
# product from its backdrop) gives 4 x 24; a backdrop's faint motif lines give a quarter of that
EDGE_SCALE = 96.0
STRENGTH_FULL = 0.6  # the frame's edges along the image's outline, as a share of the image's there: full credit
COLOUR_OK, COLOUR_NONE = 6.0, 18.0  # median dE inside the silhouette: full credit at or below, none at or above
BLUR = 1.5  # px at the search width: edges and colours are compared a little soft (sizes are sought in steps)
WHOLE_INSET = 0.2  # an opaque image is sought by its middle: this share of each side is left off
# a line drawing (its strokes cover under SPARSE of its box) smaller than THIN_MIN_SIZE of the frame's short side has
# strokes under a pixel at the search width, where a word of text or rings in a photo have the same blurred shape: it
# is sought only at larger sizes
SPARSE, THIN_MIN_SIZE = 0.3, 0.35
THIN_CREDIT = 0.8  # a line drawing has no inside to check colours on: its outline alone earns this share


def _lab(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb.astype(np.float32) / 255.0, cv2.COLOR_RGB2LAB)


def edge_map(rgb: np.ndarray) -> np.ndarray:
    """Colour edges of an RGB image, 0..1 (the strongest CIELAB channel gradient, saturating at EDGE_SCALE)."""
    lab = _lab(rgb)
    grad = np.zeros(rgb.shape[:2], np.float32)
    for c in range(3):
        gx = cv2.Sobel(lab[..., c], cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(lab[..., c], cv2.CV_32F, 0, 1, ksize=3)
        grad = np.maximum(grad, cv2.magnitude(gx, gy))
    return np.clip(grad / EDGE_SCALE, 0.0, 1.0)


def as_drawn(path: str | Path, cut_out: bool = True, max_side: int = 400) -> np.ndarray | None:
    """The image as the Producer puts it on screen (RGBA, at most max_side): a product is cut out exactly as the
    Producer cuts it (the image's alpha, else its matte); with cut_out=False (a logo) the image is drawn whole."""
    try:
        rgba = np.asarray(layers.cutout_file(str(path)) if cut_out else layers.load_rgba(str(path)))
    except InputError:
        return None
    scale = max_side / max(rgba.shape[:2])
    if scale < 1:
        rgba = cv2.resize(rgba, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return rgba


def cutout(rgba: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The product's pixels (RGB; outside the product each pixel takes the colour of the nearest product pixel, so
    resizing and edge maps see no backdrop), its mask (alpha > 128) and its alpha (0..1), tightly cropped."""
    mask = (rgba[..., 3] > 128).astype(np.uint8)
    ys, xs = np.nonzero(mask)
    if len(ys) < 64:
        return None
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    rgb, m = np.ascontiguousarray(rgba[y0:y1, x0:x1, :3]), mask[y0:y1, x0:x1]
    alpha = rgba[y0:y1, x0:x1, 3].astype(np.float32) / 255.0
    if m.min() == 0:
        _, nearest = cv2.distanceTransformWithLabels(1 - m, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL)
        label_of = np.zeros(int(nearest.max()) + 1, np.int64)
        label_of[nearest[m > 0]] = np.arange(int(m.sum()))
        rgb = rgb[m > 0][label_of[nearest]].reshape(rgb.shape)
    return rgb, m, alpha


class _Shape:
    """One image prepared for shape matching at the sizes sought, per frame size (built on first use)."""

    def __init__(self, rgb: np.ndarray, mask: np.ndarray, alpha: np.ndarray):
        # an opaque image is drawn whole on a card, and a photo in a panel is cropped to the panel's shape: its
        # outline is not the image's, so such an image is sought by the edges and colours of its middle
        self.whole = float(alpha.min()) > 0.98
        if self.whole:
            h, w = mask.shape
            y0, x0 = int(h * WHOLE_INSET), int(w * WHOLE_INSET)
            rgb, mask, alpha = (a[y0:h - y0, x0:w - x0] for a in (rgb, mask, alpha))
        self.rgb, self.mask, self.alpha = rgb, mask, alpha
        self.sparse = float(mask.mean()) < SPARSE  # mostly lines: a line drawing, a wire frame
        self.sizes: dict[tuple[int, int, float], tuple | None] = {}

    def at(self, frame_shape: tuple[int, int], frac: float):
        """(edges, region, lab, inside, strong, pad, size) of the image at `frac` of the frame's short side, or None."""
        key = (*frame_shape, round(float(frac), 4))
        if key not in self.sizes:
            self.sizes[key] = self._build(frame_shape, frac)
        return self.sizes[key]

    def _build(self, frame_shape: tuple[int, int], frac: float):
        # the image's longer side as a share of the frame's shorter side: portrait products (a watch, a bottle)
        # and landscape ones (a shoe, a laptop) are sought at the same sizes
        scale = frac * min(frame_shape) / max(self.rgb.shape[:2])
        tw, th = int(round(self.rgb.shape[1] * scale)), int(round(self.rgb.shape[0] * scale))
        # the ring around the outline that must show no product (none for the middle of a whole image)
        pad = 0 if self.whole else max(2, int(round(0.12 * max(tw, th))))
        if th < 6 or tw < 6 or th + 2 * pad >= frame_shape[0] or tw + 2 * pad >= frame_shape[1]:
            return None
        rgb = cv2.resize(self.rgb, (tw, th), interpolation=cv2.INTER_AREA)
        alpha = cv2.resize(self.alpha, (tw, th), interpolation=cv2.INTER_AREA)
        rgb = cv2.copyMakeBorder(rgb, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
        alpha = cv2.copyMakeBorder(alpha, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        gx, gy = cv2.Sobel(alpha, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(alpha, cv2.CV_32F, 0, 1, ksize=3)
        near = cv2.dilate(alpha, np.ones((3, 3), np.uint8)) > 0.05
        outline = np.zeros_like(alpha) if self.whole else np.clip(cv2.magnitude(gx, gy), 0, 1)
        edges = cv2.GaussianBlur(np.maximum(edge_map(rgb) * near, outline), (0, 0), BLUR)
        # where the drawing's edges must show in the frame as strongly as in the drawing: its outline (the Producer
        # keeps it apart from the backdrop), or for a whole image its strongest inner edges
        key = edges if self.whole else cv2.GaussianBlur(outline, (0, 0), BLUR)
        strong = key >= 0.5 * float(key.max())
        ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * pad + 1, 2 * pad + 1))
        region = cv2.dilate((alpha > 0.05).astype(np.uint8), ring).astype(np.float32)
        inside = alpha > 0.5 if self.whole else cv2.erode((alpha > 0.5).astype(np.uint8), np.ones((3, 3))) > 0
        thin = inside.sum() < max(6, 0.2 * (alpha > 0.5).sum())
        if (thin or self.sparse) and frac < THIN_MIN_SIZE:
            return None
        lab = _lab(cv2.GaussianBlur(rgb, (0, 0), BLUR))
        return edges, region, lab, None if thin else inside, strong, pad, (tw, th)


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

    `size_range`: the sizes sought, as the image's longer side over the frame's shorter side. `cut_out`: images are
    cut out as the Producer cuts product images (False for a logo, which it draws whole). `match_shapes`: build the
    shape matcher too (False where only features are used: it saves the matte)."""

    def __init__(self, image_paths: Sequence[str], size_range: tuple[float, float] = (0.2, 0.95),
                 search_width: int = 192, scales: int = 13, cut_out: bool = True, match_shapes: bool = True):
        self.orb = cv2.ORB_create(nfeatures=800)
        self.matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
        self.size_range, self.search_width, self.scales = size_range, search_width, scales
        self.features, self.templates, self.masks = [], [], []
        self.feature_images: list[np.ndarray] = []  # the grey image each entry of `features` was computed on
        self.shapes: list[_Shape] = []
        for path in image_paths:
            if not Path(path).is_file():
                continue
            try:
                rgba = np.asarray(layers.load_rgba(str(path)))
            except InputError:
                continue
            drawn = as_drawn(path, cut_out) if match_shapes else None
            cut = cutout(drawn) if drawn is not None else None
            if cut is not None:
                self.templates.append(cut[0])
                self.masks.append(cut[1])
                self.shapes.append(_Shape(*cut))
            grey = cv2.cvtColor(np.ascontiguousarray(rgba[..., :3]), cv2.COLOR_RGB2GRAY)
            scale = 400 / max(grey.shape)
            grey = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
            kp, des = self.orb.detectAndCompute(grey, None)
            if des is not None and len(kp) >= MIN_INLIERS:
                self.features.append((kp, des))
                self.feature_images.append(grey)

    @property
    def usable(self) -> bool:
        return bool(self.features or self.shapes)

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
        """Best shape score of any image over the sizes sought (0..1; see the module docstring)."""
        found = self.locate_scales(frame)
        return max((c[0] for c in found), default=0.0)

    def locate(self, frame: np.ndarray) -> tuple[float, tuple[int, int, int, int] | None, np.ndarray | None]:
        """Best shape match in the frame: (score, box in frame pixels, the cut-out's mask at that size)."""
        found = self.locate_scales(frame)
        return max(found, key=lambda c: c[0]) if found else (0.0, None, None)

    def locate_scales(self, frame: np.ndarray) -> list[tuple[float, tuple[int, int, int, int], np.ndarray]]:
        """The best match at each size sought: (score, box in frame pixels, the cut-out's mask at that size)."""
        if not self.shapes:
            return []
        w = self.search_width
        small = cv2.resize(frame, (w, max(int(round(frame.shape[0] * w / frame.shape[1])), 8)),
                           interpolation=cv2.INTER_AREA)
        k = frame.shape[1] / w
        frame_edges = cv2.GaussianBlur(edge_map(small), (0, 0), BLUR)
        frame_lab = _lab(cv2.GaussianBlur(small, (0, 0), BLUR))
        out = []
        for shape in self.shapes:
            for frac in np.geomspace(*self.size_range, self.scales):
                built = shape.at(small.shape[:2], frac)
                if built is None:
                    continue
                edges, region, lab, inside, strong, pad, (tw, th) = built
                res = cv2.matchTemplate(frame_edges, edges, cv2.TM_CCOEFF_NORMED, mask=region)
                res = np.nan_to_num(res, nan=0.0, posinf=0.0, neginf=0.0)
                _, edge_score, _, (x, y) = cv2.minMaxLoc(res)
                th_, tw_ = lab.shape[:2]
                score = (float(edge_score) * _colour_credit(frame_lab[y:y + th_, x:x + tw_], lab, inside)
                         * _strength_credit(frame_edges[y:y + th_, x:x + tw_], edges, strong))
                box = (int((x + pad) * k), int((y + pad) * k), int((x + pad + tw) * k), int((y + pad + th) * k))
                m = cv2.resize(shape.mask, (box[2] - box[0], box[3] - box[1]), interpolation=cv2.INTER_NEAREST)
                out.append((score, box, m))
        return out

    def present(self, frame: np.ndarray) -> tuple[bool, dict[str, float]]:
        """Whether any image is in the frame, with the evidence of both detectors."""
        inl = self.inliers(frame)
        if inl >= MIN_INLIERS:
            return True, {"inliers": float(inl), "template": -1.0}
        score = self.template_score(frame)
        return score >= SHAPE_MATCH, {"inliers": float(inl), "template": score}


def _strength_credit(patch: np.ndarray, edges: np.ndarray, strong: np.ndarray) -> float:
    """Whether the frame's edges at the matched spot are as strong as the drawing's along its outline (a backdrop's
    faint motif can have the shape of a line drawing, never its contrast; a stripe of the right colours without the
    outline around it is not the product)."""
    ratio = float(np.median(patch[strong])) / max(float(np.median(edges[strong])), 1e-6)
    return float(np.clip(ratio / STRENGTH_FULL, 0.0, 1.0))


def _colour_credit(patch: np.ndarray, lab: np.ndarray, inside: np.ndarray | None) -> float:
    """How far the frame at the matched spot has the image's colours inside its silhouette (1: same colours)."""
    if inside is None:
        return THIN_CREDIT
    diff = float(np.median(np.linalg.norm(patch[inside] - lab[inside], axis=1)))
    return float(np.clip((COLOUR_NONE - diff) / (COLOUR_NONE - COLOUR_OK), 0.0, 1.0))


__all__ = ["PresenceDetector", "as_drawn", "cutout", "edge_map"]
