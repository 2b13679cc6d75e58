"""Scene layouts: where the product, the text blocks and the theme visual sit, per aspect, inside the platform
safe zones (`PLATFORM_MARGINS`: 9:16 keeps text out of the bottom 20% and the right 12%, where TikTok, Reels and
Shorts draw their buttons; 16:9 out of the bottom 18% where YouTube draws its ad bar, advertiser link and Skip
button; 1:1 out of the bottom 14% where feeds draw their sound and caption buttons and progress bar).

Boxes are fractions of the frame (x0, y0, x1, y1). Text boxes always lie inside `text_safe_area`; the product and
the theme visual may use the whole frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAYOUTS = ("hero", "callout", "stat", "reasons", "split", "end")

Frac = tuple[float, float, float, float]


@dataclass(frozen=True)
class Margins:
    """Bands of the frame (fractions of its width or height) where no ad text may be drawn."""

    left: float
    top: float
    right: float
    bottom: float
    why: str


# The one place that says where each platform draws over the ad. The top band everywhere also keeps text clear of
# the AI label (top left) and of status bars.
PLATFORM_MARGINS: dict[str, Margins] = {
    "tall": Margins(0.06, 0.12, 0.12, 0.20, "TikTok, Reels and Shorts: like/comment/share buttons down the right "
                    "12%, account name, caption and CTA bar over the bottom 20%"),
    "wide": Margins(0.05, 0.14, 0.05, 0.18, "YouTube in-stream: ad badge, advertiser link, Skip button and "
                    "progress bar over the bottom 18%; title and channel bar across the top"),
    "square": Margins(0.06, 0.12, 0.06, 0.14, "Instagram and Facebook feeds: sound and caption buttons and the "
                      "progress bar over the bottom 14%; account header above the top"),
}

# Text must stay inside these (fractions of the frame: x0, y0, x1, y1).
SAFE: dict[str, Frac] = {k: (m.left, m.top, 1 - m.right, 1 - m.bottom) for k, m in PLATFORM_MARGINS.items()}

# layout -> role -> box. Roles: product, motif, headline, sub (the rest of a stat), items (reasons), label
# (callout text), logo, cta (button centre line), anchor (the callout's point on the product, x, y only).
_BOXES: dict[str, dict[str, dict[str, Frac]]] = {
    "tall": {
        "hero": {"product": (0.06, 0.30, 0.94, 0.76), "headline": (0.06, 0.12, 0.88, 0.29)},
        "callout": {"product": (0.04, 0.14, 0.80, 0.58), "label": (0.06, 0.63, 0.88, 0.79)},
        "stat": {"headline": (0.06, 0.12, 0.88, 0.29), "sub": (0.06, 0.29, 0.88, 0.39),
                 "product": (0.12, 0.40, 0.88, 0.79)},
        "reasons": {"headline": (0.06, 0.12, 0.88, 0.22), "items": (0.06, 0.23, 0.88, 0.50),
                    "product": (0.16, 0.50, 0.84, 0.79)},
        "split": {"motif": (0.06, 0.15, 0.54, 0.47), "product": (0.38, 0.24, 0.98, 0.62),
                  "headline": (0.06, 0.63, 0.88, 0.79)},
        "end": {"logo": (0.06, 0.12, 0.88, 0.22), "product": (0.12, 0.23, 0.82, 0.53),
                "headline": (0.06, 0.53, 0.88, 0.64), "cta": (0.06, 0.66, 0.88, 0.76)},
    },
    "wide": {
        "hero": {"product": (0.50, 0.08, 0.96, 0.94), "headline": (0.05, 0.22, 0.48, 0.78)},
        "callout": {"product": (0.04, 0.08, 0.52, 0.92), "label": (0.58, 0.30, 0.95, 0.70)},
        "stat": {"headline": (0.05, 0.16, 0.50, 0.52), "sub": (0.05, 0.52, 0.50, 0.78),
                 "product": (0.52, 0.08, 0.96, 0.94)},
        "reasons": {"headline": (0.05, 0.14, 0.55, 0.30), "items": (0.05, 0.31, 0.55, 0.82),
                    "product": (0.56, 0.08, 0.96, 0.94)},
        "split": {"motif": (0.05, 0.16, 0.33, 0.84), "product": (0.30, 0.08, 0.68, 0.92),
                  "headline": (0.68, 0.22, 0.95, 0.78)},
        "end": {"logo": (0.05, 0.16, 0.40, 0.30), "product": (0.52, 0.08, 0.96, 0.94),
                "headline": (0.05, 0.32, 0.50, 0.58), "cta": (0.05, 0.62, 0.50, 0.78)},
    },
    "square": {
        "hero": {"product": (0.08, 0.31, 0.92, 0.95), "headline": (0.06, 0.12, 0.94, 0.30)},
        "callout": {"product": (0.02, 0.12, 0.58, 0.90), "label": (0.58, 0.36, 0.94, 0.72)},
        "stat": {"headline": (0.06, 0.12, 0.94, 0.29), "sub": (0.06, 0.29, 0.94, 0.39),
                 "product": (0.16, 0.40, 0.84, 0.95)},
        "reasons": {"headline": (0.06, 0.12, 0.94, 0.22), "items": (0.06, 0.25, 0.62, 0.86),
                    "product": (0.60, 0.26, 0.98, 0.90)},
        "split": {"motif": (0.06, 0.15, 0.48, 0.64), "product": (0.42, 0.12, 0.98, 0.68),
                  "headline": (0.06, 0.69, 0.94, 0.86)},
        "end": {"logo": (0.28, 0.12, 0.72, 0.23), "product": (0.20, 0.23, 0.80, 0.57),
                "headline": (0.06, 0.57, 0.94, 0.70), "cta": (0.06, 0.72, 0.94, 0.84)},
    },
}


def frame_class(w: int, h: int) -> str:
    """'tall', 'wide' or 'square'."""
    if h > w * 1.2:
        return "tall"
    if w > h * 1.2:
        return "wide"
    return "square"


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def _px(f: Frac, w: int, h: int) -> Box:
    return Box(int(round(f[0] * w)), int(round(f[1] * h)), int(round(f[2] * w)), int(round(f[3] * h)))


def text_safe_area(w: int, h: int) -> Box:
    """Where text may be drawn in a w x h frame."""
    return _px(SAFE[frame_class(w, h)], w, h)


def boxes(layout: str, w: int, h: int) -> dict[str, Box]:
    """Role -> pixel box for one layout in a w x h frame."""
    return {role: _px(f, w, h) for role, f in _BOXES[frame_class(w, h)][layout].items()}


def align(w: int, h: int, box: Box) -> str:
    """Text alignment in a box: centred across a full-width column, else left."""
    safe = text_safe_area(w, h)
    return "center" if box.w >= 0.8 * safe.w else "left"


_NUMBER = re.compile(r"(?:[$€£¥]\s?)?\d[\d.,:/]*\s?(?:%|x\b|×|\+|hz\b|k\b|mah\b|gb\b|tb\b|mm\b|cm\b|kg\b|ml\b|"
                     r"hours?\b|hrs?\b|h\b|days?\b|weeks?\b|min(?:ute)?s?\b|sec(?:ond)?s?\b|steps?\b|km\b|miles?\b|nm\b|w\b|v\b|"
                     r"spf\b|lbs?\b|oz\b|fps\b|in\b)?",
                     re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*(?:·|•|\||;|/|,)\s*")


def split_stat(text: str, name: str = "") -> tuple[str, str] | None:
    """('20%', 'more light') when the text carries a measured number (with a unit, or leading the line) that is
    not part of the product's name ('Strider Trail 2'), else None."""
    m = next((m for m in _NUMBER.finditer(text) if m.group(0).strip() not in name), None)
    if not m:
        return None
    number = m.group(0).strip()
    if not (m.group(0).strip() != re.sub(r"[^\d.,]", "", number) or m.start() == 0):
        return None
    rest = " ".join((text[:m.start()] + " " + text[m.end():]).split()).strip(" -–—:,.")
    return number, rest


def list_items(text: str) -> list[str]:
    """Items of a list-like line ('Light · Loud · Lasting'), or [] when it is not a list of 3+ items."""
    parts = [p.strip() for p in _LIST_SPLIT.split(text) if p.strip()]
    return parts if len(parts) >= 3 else []


def choose_layout(index: int, last: int, text: str, hint: str | None, product_focus: bool, personal: bool,
                  is_point: bool, name: str = "") -> str:
    """The layout of one scene: the plan's hint, else what its own text and role call for. It depends on this
    scene alone, so editing one scene re-renders that scene only; the index alternates repeated roles."""
    if index == last and last > 0:
        return "end"
    if hint in LAYOUTS and hint != "end":
        return hint
    if index == 0:
        return "hero"
    if list_items(text):
        return "reasons"
    if split_stat(text, name):
        return "stat"
    if is_point:
        return "reasons"
    if personal:
        return "split" if index % 2 else "hero"
    return "callout" if product_focus and index % 2 else "hero" if product_focus else "callout"


__all__ = ["LAYOUTS", "PLATFORM_MARGINS", "Box", "Margins", "align", "boxes", "choose_layout", "frame_class",
           "list_items", "split_stat", "text_safe_area"]
