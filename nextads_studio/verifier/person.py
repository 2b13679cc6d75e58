"""The judge's own view of a person, built from the raw history, and personalization scored against it.

The Director's profile is never read here: a wrong reading of the person (a woodworker modelled as a camper) must
not be confirmed by the same reading. The judge keeps, per person,
- the history items as texts (note title + body, video titles), embedded one by one;
- a measured style: a CIELAB colour histogram, brightness, saturation, warmth and colourfulness of their note
  images, video covers and a few frames of their videos, and the cut rate of those videos.

Both scores contrast the person with the rest of the audience, so an ad that fits everybody (or nobody) is not
"personalized":
  content      = the ad's seen and heard lines vs each person's items: sim(H) = mean of the 3 best-matched items
                 (each item's best ad line); score = 10 * (0.7 * share of other people this person beats
                 + 0.3 * clip(margin over the others' median / 0.5)) (numbers in rules.PERSONALIZATION_CONTRAST).
  presentation = the rendered frames' style vs each person's style: sim = 0.6 * (1 - Bhattacharyya(histograms))
                 + 0.4 * (1 - mean |look difference|) (+ pacing when both have video); scored the same way.
With no one else to contrast with, the absolute similarity is mapped to 0-10 and the reason says so.
A temporal split (`part="newest"`) keeps only the newest 20% of every history: what the Director never saw when it
planned from the older 80%.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .. import rules
from ..schemas import JudgeScore, UserHistory

HIST_BINS = (4, 6, 6)  # L, a, b
TOP_ITEMS = 3
NEWEST_SHARE = rules.NEWEST_SHARE
# A judgement that has nothing to be measured on (no history given, a history without pictures) is missing but is
# not a judge failure: it does not stand in the way of an accept.
NOT_MEASURABLE = "not measurable:"


@dataclass(frozen=True)
class Style:
    hist: np.ndarray  # normalised Lab histogram
    look: np.ndarray  # brightness, saturation, warmth, colourfulness in [0, 1]
    cuts_per_minute: float | None = None


@dataclass(frozen=True)
class PersonView:
    user_id: str
    texts: tuple[str, ...]
    vectors: np.ndarray  # (items, dim), unit rows
    style: Style | None


# --- style measurement ------------------------------------------------------------------------------
def style_of(images: Sequence[np.ndarray], cuts_per_minute: float | None = None) -> Style | None:
    """The measured look of a set of RGB images (each reduced to 64 px)."""
    hists, looks = [], []
    for img in images:
        small = cv2.resize(img, (64, 64), interpolation=cv2.INTER_AREA)
        lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)
        h = cv2.calcHist([lab], [0, 1, 2], None, list(HIST_BINS), [0, 256, 0, 256, 0, 256]).ravel()
        hists.append(h / max(h.sum(), 1))
        hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV).astype(np.float32)
        rgb = small.astype(np.float32)
        rg, yb = rgb[..., 0] - rgb[..., 1], 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
        colourful = (np.hypot(rg.std(), yb.std()) + 0.3 * np.hypot(rg.mean(), yb.mean())) / 100
        looks.append([hsv[..., 2].mean() / 255, hsv[..., 1].mean() / 255,
                      0.5 + 0.5 * (rgb[..., 0] - rgb[..., 2]).mean() / 255, min(colourful, 1.0)])
    if not hists:
        return None
    return Style(np.mean(hists, axis=0), np.mean(looks, axis=0), cuts_per_minute)


def style_similarity(a: Style, b: Style) -> float:
    """0..1: how alike two measured styles are."""
    bc = float(np.sum(np.sqrt(a.hist * b.hist)))  # Bhattacharyya coefficient
    look = 1.0 - float(np.mean(np.abs(a.look - b.look))) * 2
    sim = 0.6 * bc + 0.4 * max(look, 0.0)
    if a.cuts_per_minute is not None and b.cuts_per_minute is not None:
        ratio = abs(np.log((a.cuts_per_minute + 2) / (b.cuts_per_minute + 2)))
        sim = 0.85 * sim + 0.15 * float(np.exp(-ratio))
    return sim


def _read_image(path: str | None) -> np.ndarray | None:
    if not path or not Path(path).is_file():
        return None
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    return None if img is None else cv2.cvtColor(img, cv2.COLOR_BGR2RGB)


def _video_frames(path: str | None, count: int = 4) -> tuple[list[np.ndarray], float | None]:
    """A few frames of a history video and its cut rate (cuts per minute at 2 fps)."""
    from .. import media_io
    from .quality import is_cut

    if not path or not Path(path).is_file():
        return [], None
    try:  # the first 20 s at 2 fps are enough for a look and a cut rate
        frames = list(media_io.read_frames(path, fps=2, size=(96, 64), end=20.0))
    except Exception:  # noqa: BLE001 - an unreadable history video only loses its style evidence
        return [], None
    if len(frames) < 2:
        return frames, None
    cuts = sum(is_cut(a, b) for a, b in zip(frames, frames[1:]))
    minutes = len(frames) / 2 / 60
    step = max(len(frames) // count, 1)
    return frames[::step][:count], cuts / minutes


def item_texts(history: UserHistory) -> list[str]:
    if history.kind == "notes":
        return [f"{n.title}. {n.content[:300]}".strip(". ") for n in history.notes]
    return [v.title for v in history.videos if v.title]


def _split(items: list, part: str) -> list:
    if part == "all" or len(items) < 2:
        return items
    k = max(1, int(round(len(items) * NEWEST_SHARE)))
    return items[-k:] if part == "newest" else items[:-k]


def history_style(history: UserHistory, part: str = "all") -> Style | None:
    images: list[np.ndarray] = []
    rates: list[float] = []
    if history.kind == "notes":
        for note in _split(list(history.notes), part):
            images += [img for img in (_read_image(p) for p in note.image_paths[:1]) if img is not None]
    else:
        for video in _split(list(history.videos), part):
            cover = _read_image(video.cover_path)
            if cover is not None:
                images.append(cover)
            frames, rate = _video_frames(video.video_path)
            images += frames
            if rate is not None:
                rates.append(rate)
    return style_of(images, float(np.median(rates)) if rates else None)


# --- the judge's view of the audience ---------------------------------------------------------------
class PersonJudge:
    """Builds and caches each person's view; scores an ad's text and frames against one person and the others."""

    def __init__(self, embedder):
        self.embedder = embedder
        self._views: dict[tuple[str, str, str], PersonView] = {}

    def view(self, history: UserHistory, part: str = "all") -> PersonView:
        key = (history.user_id, hashlib.sha256(history.model_dump_json(exclude={"source"}).encode()).hexdigest(),
               part)
        if key not in self._views:
            texts = _split(item_texts(history), part) or [history.user_id]
            vecs = np.asarray(self.embedder.embed(texts), np.float32)
            self._views[key] = PersonView(history.user_id, tuple(texts), vecs, history_style(history, part))
        return self._views[key]

    def views(self, history: UserHistory, audience: Sequence[UserHistory], part: str = "all"):
        others = [h for h in audience if h.user_id != history.user_id]
        return self.view(history, part), [self.view(h, part) for h in others]

    # content ------------------------------------------------------------------------------------------
    def content(self, lines: Sequence[str], history: UserHistory, audience: Sequence[UserHistory],
                part: str = "all") -> JudgeScore:
        lines = [ln for ln in dict.fromkeys(x.strip() for x in lines) if ln]
        if not lines:
            return JudgeScore(score=0.0, reason="none: nothing is said or shown in words", evidence={"lines": 0})
        me, others = self.views(history, audience, part)
        ad = np.asarray(self.embedder.embed([" ".join(lines), *lines]), np.float32)

        def sim(v: PersonView) -> float:
            per_item = (ad @ v.vectors.T).max(axis=0)
            return float(np.sort(per_item)[-TOP_ITEMS:].mean())

        mine = sim(me)
        best = int(np.argmax((ad @ me.vectors.T).max(axis=0)))
        item = me.texts[best][:60]
        return _contrast(mine, [sim(o) for o in others], [o.user_id for o in others], "text",
                         f"closest history item \"{item}\"", absolute=(0.1, 0.5))

    # presentation -------------------------------------------------------------------------------------
    def presentation(self, frames: Sequence[np.ndarray], cuts_per_minute: float | None, history: UserHistory,
                     audience: Sequence[UserHistory], part: str = "all") -> JudgeScore:
        me, others = self.views(history, audience, part)
        if me.style is None:
            return JudgeScore(missing=True,
                              reason=f"{NOT_MEASURABLE} the history has no images or videos to measure a style from")
        ad = style_of(frames, cuts_per_minute)
        if ad is None:
            return JudgeScore(missing=True, reason="no frames to measure")
        scored = [o for o in others if o.style is not None]
        mine = style_similarity(ad, me.style)
        return _contrast(mine, [style_similarity(ad, o.style) for o in scored], [o.user_id for o in scored],
                         "style", "palette, brightness, saturation, warmth" + (", pacing" if ad.cuts_per_minute
                                                                                is not None else ""),
                         absolute=(0.4, 0.9))


def _contrast(mine: float, theirs: list[float], ids: list[str], what: str, detail: str,
              absolute: tuple[float, float]) -> JudgeScore:
    """Score from how this person's similarity ranks among the audience's (0-10 with the evidence)."""
    from .judge import band

    if not theirs:
        lo, hi = absolute
        value = 10 * float(np.clip((mine - lo) / (hi - lo), 0, 1))
        return JudgeScore(score=round(value, 2), reason=f"{band(value)}: {what} similarity {mine:.2f} ({detail}); "
                          "no other people to contrast with", evidence={"similarity": round(mine, 4)})
    beaten = float(np.mean([mine > t for t in theirs]))
    margin = mine - float(np.median(theirs))
    w, full = rules.PERSONALIZATION_CONTRAST["rank_weight"], rules.PERSONALIZATION_CONTRAST["margin_full"]
    value = 10 * (w * beaten + (1 - w) * float(np.clip(margin / full, 0, 1)))
    rank = 1 + sum(t >= mine for t in theirs)
    closer = [i for i, t in sorted(zip(ids, theirs), key=lambda p: -p[1]) if t >= mine][:3]
    reason = (f"{band(value)}: ranks {rank} of {len(theirs) + 1} people by {what} similarity ({mine:.2f}; "
              f"median of the others {np.median(theirs):.2f}); {detail}"
              + (f"; fits {', '.join(closer)} as well or better" if closer else ""))
    return JudgeScore(score=round(value, 2), reason=reason,
                      evidence={"similarity": round(mine, 4), "others_median": round(float(np.median(theirs)), 4),
                                "rank": float(rank), "people": float(len(theirs) + 1), "beaten_share": beaten})


__all__ = ["PersonJudge", "PersonView", "Style", "history_style", "item_texts", "style_of", "style_similarity"]
