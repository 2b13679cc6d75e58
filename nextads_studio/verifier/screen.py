"""What is on screen, read from the rendered frames: is every caption there, whole, legible and long enough to read?

One frame per scene is read by OCR (after entrance animations, ~60% into the scene); each line read there is then
followed through the ~8 fps sampled frames by normalised correlation at its place, which gives how long the viewer
can read it without another OCR pass. Nothing here looks at where the Producer meant to put text: boxes come from
the detector, so a new layout is measured the same way.

Rules (numbers in `rules.SCREEN`):
- caption missing / partial: the plan's on-screen text is not (or only partly) read in its scene;
- cut caption: what is shown stops mid-phrase where the narration goes on ("... up to two" / "... up to two days");
- cut at the frame edge: a text box touches the frame border;
- legibility: WCAG contrast of the text against its own box, text height as a share of the frame's short side,
  time on screen against reading speed (characters per second, Latin and CJK apart);
- safe zone: text inside the platform's UI margins for the aspect (the AI label is the Producer's disclosure
  badge and is exempt: it is checked by the disclosure rule).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from .. import rules
from ..producer.plan_specs import looks_like_cta
from ..schemas import CreativePlan, Evidence, Finding, JudgeScore
from . import ocr
from .quality import VideoSample

SCREEN = rules.LEGIBILITY  # the numbers, shared with the Reflector

_CONTINUES = set("""a an the and or but with without of for to from in on at by into onto up down over under
about than as that which who your our my their its this these those every each more less just only very so
is are was were be been has have had will can""".split())
_NUMBER_WORDS = set("zero one two three four five six seven eight nine ten twelve twenty thirty fifty hundred".split())


@dataclass
class ReadLine:
    """A line of on-screen text as the viewer sees it."""

    text: str
    scene_index: int
    read_at: float
    box: tuple[int, int, int, int]  # in sampled-frame pixels
    score: float
    visible_from: float = 0.0
    visible_to: float = 0.0
    contrast: float | None = None
    height_share: float = 0.0
    in_product_image: bool = False  # printed on the product's own picture (a phone's clock): not ad copy
    ink: tuple[int, int, int, int] | None = None  # the glyphs' own extent inside `box` (the detector pads boxes)

    @property
    def seconds(self) -> float:
        return self.visible_to - self.visible_from


@dataclass
class ScreenReading:
    lines: list[ReadLine] = field(default_factory=list)
    label_times: list[float] = field(default_factory=list)  # OCR'd frames where the AI label was read
    read_times: list[float] = field(default_factory=list)  # every OCR'd frame
    findings: list[Finding] = field(default_factory=list)
    legibility: JudgeScore | None = None

    def text_in(self, scene_index: int) -> str:
        return " ".join(ln.text for ln in self.lines if ln.scene_index == scene_index)

    def all_text(self) -> list[tuple[int, float, float, str]]:
        """(scene, from, to, text) of every line read, except text printed on the product's own pictures."""
        return [(ln.scene_index, ln.visible_from, ln.visible_to, ln.text) for ln in self.lines
                if not ln.in_product_image]


def _frame_index(sample: VideoSample, t: float) -> int:
    return int(np.argmin(np.abs(np.asarray(sample.times) - t)))


def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float32) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def text_contrast(frame: np.ndarray, box: tuple[int, int, int, int]) -> float | None:
    """WCAG contrast ratio between the glyphs and their background inside a text box."""
    x0, y0, x1, y1 = box
    crop = frame[max(y0, 0):y1, max(x0, 0):x1]
    if crop.size < 12:
        return None
    lum = _luminance(crop).ravel()
    t, _ = cv2.threshold((lum * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    hi, lo = lum[lum * 255 > t], lum[lum * 255 <= t]
    if not len(hi) or not len(lo):
        return 1.0
    # the glyphs are the minority class; the contrast is between their median and the background's
    return (float(np.median(hi)) + 0.05) / (float(np.median(lo)) + 0.05)


def ink_box(frame: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The extent of the glyphs inside a detected text box: the minority class of an Otsu split of its luminance
    (text detectors pad their boxes by a fraction of the line height)."""
    x0, y0, x1, y1 = max(box[0], 0), max(box[1], 0), box[2], box[3]
    crop = frame[y0:y1, x0:x1]
    if crop.size < 12:
        return box
    lum = (_luminance(crop) * 255).astype(np.uint8)
    t, split = cv2.threshold(lum, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    glyphs = split > 0 if (split > 0).mean() < 0.5 else split == 0
    ys, xs = np.nonzero(glyphs)
    if not len(xs):
        return box
    return x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1


def _visible_span(sample: VideoSample, at: int, box: tuple[int, int, int, int]) -> tuple[float, float]:
    """First and last sampled time at which the text's pixels are still where they were read (a pulsing button:
    also at +-5% scale). A line typed in word by word is read from its first word: the frames where its opening
    words (the first `type_in_share` of its width) are in place count too, also when it was read while typing."""
    x0, y0, x1, y1 = box
    pad = max(3, int(0.06 * (x1 - x0)))
    window = (slice(max(y0 - pad, 0), y1 + pad), slice(max(x0 - pad, 0), x1 + pad))

    def grey(i: int) -> np.ndarray:
        # a light blur: small text resampled at a slightly other scale (a pulsing button) still correlates
        g = cv2.cvtColor(sample.frames[i][window], cv2.COLOR_RGB2GRAY).astype(np.float32)
        return cv2.GaussianBlur(g, (0, 0), SCREEN["track_blur"])

    tmpl = grey(at)[y0 - max(y0 - pad, 0):y1 - max(y0 - pad, 0), x0 - max(x0 - pad, 0):x1 - max(x0 - pad, 0)]
    if tmpl.size == 0 or tmpl.std() < 1.0:
        return sample.times[at], sample.times[at]
    scaled = [tmpl] + [cv2.resize(tmpl, None, fx=k, fy=k, interpolation=cv2.INTER_AREA) for k in SCREEN["track_scales"]]

    def same(i: int) -> bool:
        roi = grey(i)
        for t in scaled:
            if roi.shape[0] < t.shape[0] or roi.shape[1] < t.shape[1] or t.size == 0:
                continue
            if float(np.nan_to_num(cv2.matchTemplate(roi, t, cv2.TM_CCOEFF_NORMED).max())) >= SCREEN["track_match"]:
                return True
        return False

    opening = tmpl[:, :max(int(tmpl.shape[1] * SCREEN["type_in_share"]), tmpl.shape[0])]
    typed = opening.std() >= 1.0

    def shown(i: int) -> bool:  # the whole line, or its opening words while the rest types in (or was read typing)
        return same(i) or (typed and float(np.nan_to_num(cv2.matchTemplate(grey(i), opening, cv2.TM_CCOEFF_NORMED)
                                                         .max())) >= SCREEN["track_match"])

    lo = at
    while lo > 0 and shown(lo - 1):
        lo -= 1
    hi = at
    while hi < len(sample.frames) - 1 and shown(hi + 1):
        hi += 1
    step = 1.0 / 8.0 if len(sample.times) < 2 else float(np.median(np.diff(sample.times)))
    return sample.times[lo], sample.times[hi] + step


@lru_cache(maxsize=64)
def _image_text(path: str, mtime: float) -> frozenset[str]:
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        return frozenset()
    scale = 640 / max(img.shape[:2])
    if scale < 1:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return frozenset(ocr.normalize(b.text) for b in ocr.read_frame(cv2.cvtColor(img, cv2.COLOR_BGR2RGB)))


def product_image_text(plan: CreativePlan) -> set[str]:
    """Text printed on the product's own pictures and logo (read once per file and process)."""
    out: set[str] = set()
    for path in [*plan.product.images, plan.product.logo]:
        if path and Path(path).is_file():
            out |= _image_text(str(path), Path(path).stat().st_mtime)
    return {t for t in out if t}


def caption_cover(texts: Sequence[str], meant: str) -> float:
    """Share of the planned caption read on screen; the lines may be read in another order than they are meant
    (a wrapped caption), so each line's own match counts too."""
    shown = " ".join(texts)
    # a line counts when it is (nearly) a piece of the caption: letters scattered over other text do not add up
    per_line = sum(len(ocr.normalize(t)) for t in texts if ocr.covered(meant, t) >= 0.8) / max(
        len(ocr.normalize(meant)), 1)
    return max(ocr.covered(shown, meant), min(1.0, per_line))


def read_screen(plan: CreativePlan, sample: VideoSample) -> ScreenReading:
    """OCR one frame per scene (a second one later in the scene when its caption was not yet whole: still typing
    in) and follow each line through the sampled frames."""
    reading = ScreenReading()
    printed = product_image_text(plan)
    fh, fw = sample.frames[0].shape[:2]
    short = min(fh, fw)
    seen: set[int] = set()

    def printed_on_product(text: str) -> bool:
        key = ocr.normalize(text)
        return bool(key) and any(ocr.printed_in(p, key) for p in printed)

    def caption_read(boxes) -> list[str]:
        return [b.text for b in boxes if not b.is_ai_label and not printed_on_product(b.text)]

    def frame_in(scene, share: float) -> int:
        t = scene.start + share * (scene.end - scene.start)
        return _frame_index(sample, min(max(t, scene.start), sample.duration - 1e-3))

    for scene in plan.storyboard.scenes:
        i = frame_in(scene, SCREEN["read_at"])
        if i in seen:
            continue
        seen.add(i)
        boxes = ocr.read_frame(sample.frames[i])
        reading.read_times.append(sample.times[i])
        reading.label_times += [sample.times[i]] if any(b.is_ai_label for b in boxes) else []
        meant = scene.on_screen_text.strip()
        later = frame_in(scene, SCREEN["reread_at"])
        # not read whole yet: a word may still be revealing (6 of 7 words read passes the 'whole' bar, and the
        # caption would then be called cut mid-phrase)
        if meant and later not in seen and caption_cover(caption_read(boxes), meant) < 1.0:
            seen.add(later)
            again = ocr.read_frame(sample.frames[later])
            reading.read_times.append(sample.times[later])
            reading.label_times += [sample.times[later]] if any(b.is_ai_label for b in again) else []
            if caption_cover(caption_read(again), meant) > caption_cover(caption_read(boxes), meant):
                i, boxes = later, again
        frame = sample.frames[i]
        for b in boxes:
            if b.is_ai_label:
                continue
            line = ReadLine(b.text, scene.index, sample.times[i], b.box, b.score)
            line.visible_from, line.visible_to = _visible_span(sample, i, b.box)
            # at its settled look: a line read while a word was still fading in measures lower than it is seen
            span = [k for k, t in enumerate(sample.times) if line.visible_from <= t < line.visible_to] or [i]
            line.contrast = max((c for k in span[len(span) // 2::max(1, len(span) // 6)]
                                 if (c := text_contrast(sample.frames[k], b.box)) is not None),
                                default=text_contrast(frame, b.box))
            line.ink = ink_box(frame, b.box)
            line.height_share = b.height / short
            line.in_product_image = printed_on_product(b.text)
            reading.lines.append(line)
    return reading


# --- checks ---------------------------------------------------------------------------------------
def _finding(code: str, severity: str, message: str, scene, start: float, end: float, text: str | None = None,
             category: str = "legibility", field_name: str | None = None) -> Finding:
    return Finding(category=category, severity=severity, code=code, message=message,
                   evidence=Evidence(scene_index=scene.index if scene is not None else None,
                                     start=round(max(start, 0.0), 2), end=round(max(end, start, 0.0), 2),
                                     text=text, field=field_name))


def is_cut_phrase(shown: str, spoken: str, product_words: Sequence[str] = ()) -> bool:
    """True when `shown` is the start of `spoken` that stops mid-phrase (a caption cut to fit)."""
    s, n = ocr.normalize(shown), ocr.normalize(spoken)
    if not s or not n.startswith(s) or len(n) - len(s) < 2:
        return False
    words = re.findall(r"[\w'’]+", shown.lower())
    if not words:
        return False
    last = words[-1]
    rest = re.findall(r"[\w'’]+", spoken.lower())[len(words):]
    if last in _CONTINUES or last in _NUMBER_WORDS or last.isdigit() or len(rest) == 1:
        return True
    # a product or brand name broken in two ("... with Strider" for "Strider Trail 2")
    for name in product_words:
        parts = name.lower().split()
        if len(parts) > 1 and last in parts[:-1]:
            return True
    return False


reading_seconds = rules.reading_seconds


def _spoken_in(scene, cues: Sequence[tuple[float, float, str]]) -> list[str]:
    """The lines heard during a scene (subtitle cues overlapping it; the planned narration without subtitles)."""
    inside = [text for a, b, text in cues if a < scene.end - 0.05 and b > scene.start + 0.05]
    return inside or [scene.narration]


def check_screen(plan: CreativePlan, reading: ScreenReading, frame_size: tuple[int, int],
                 cues: Sequence[tuple[float, float, str]] = ()) -> None:
    """Fill `reading.findings` and `reading.legibility` (frame_size: sampled frames' (w, h))."""
    fw, fh = frame_size
    names = [plan.product.name, plan.product.brand]
    margins = SCREEN["safe_zone"].get(plan.storyboard.aspect, SCREEN["safe_zone"]["16:9"])
    found = reading.findings
    worst = {"contrast": 10.0, "size": 10.0, "time": 10.0}
    for scene in plan.storyboard.scenes:
        where = f"scene {scene.index} caption"
        lines = [ln for ln in reading.lines if ln.scene_index == scene.index]
        shown = " ".join(ln.text for ln in lines)
        copy = copy_lines(lines, scene, plan)
        span = (min((ln.visible_from for ln in copy), default=scene.start),
                max((ln.visible_to for ln in copy), default=scene.end))
        meant = scene.on_screen_text.strip()
        cta = plan.storyboard.cta.strip()
        as_button = (meant and cta and scene.index == plan.storyboard.scenes[-1].index and meant != cta
                     and looks_like_cta(meant, cta) and caption_cover([ln.text for ln in lines], cta)
                     >= SCREEN["caption_whole_at"])
        if as_button:
            # the end card carries one call to action: a caption that is itself a call to action is drawn as the
            # button, which says the plan's call to action instead (the viewer sees one CTA, not this wording)
            found.append(_finding("legibility.caption_shown_as_cta", "minor",
                                  f"{where} \"{meant}\" is shown as the call-to-action button \"{cta}\"",
                                  scene, *span, meant, field_name="on_screen_text"))
        elif meant:
            cov = caption_cover([ln.text for ln in lines], meant)
            if cov < SCREEN["caption_missing_below"]:
                found.append(_finding("legibility.caption_missing", "major",
                                      f"{where} \"{meant}\" is not readable on screen (read: \"{shown or 'nothing'}\")",
                                      scene, scene.start, scene.end, meant, field_name="on_screen_text"))
            elif cov < SCREEN["caption_whole_at"]:
                found.append(_finding("legibility.caption_partial", "major",
                                      f"{where} shows only part of \"{meant}\" (read: \"{shown}\")",
                                      scene, *span, meant, field_name="on_screen_text"))
        caption = " ".join(ln.text for ln in copy)
        cut = next(((c, heard) for c in dict.fromkeys([caption, meant]) for heard in _spoken_in(scene, cues)
                    if c and heard and is_cut_phrase(c, heard, names)), None)
        if cut:
            found.append(_finding("legibility.cut_caption", "major",
                                  f"{where} \"{cut[0]}\" stops mid-phrase; the narration says \"{cut[1]}\"",
                                  scene, *span, cut[0], field_name="on_screen_text"))
        for ln in longest_per_text(copy):
            _check_line(ln, scene, fw, fh, margins, found, worst)
    for k, v in worst.items():
        worst[k] = float(np.clip(v, 0, 10))
    score = min(worst.values())
    if not reading.lines:
        reading.legibility = JudgeScore(missing=True, reason="no text was read on screen") if not any(
            s.on_screen_text.strip() for s in plan.storyboard.scenes) else JudgeScore(
            score=0.0, reason="none: the plan has captions but no text was read on screen", evidence={"lines": 0})
        return
    reading.legibility = JudgeScore(
        score=round(score, 2),
        reason=f"lowest of contrast {worst['contrast']:.1f}, size {worst['size']:.1f}, "
               f"time on screen {worst['time']:.1f} over {len(reading.lines)} line(s) read",
        evidence={"lines_read": float(len(reading.lines)), "contrast_score": worst["contrast"],
                  "size_score": worst["size"], "time_score": worst["time"]})


def copy_lines(lines: list[ReadLine], scene, plan: CreativePlan) -> list[ReadLine]:
    """The lines that are the ad's own words (caption, hook, CTA, product name), not text inside a product photo
    (a phone's clock) or a backdrop; legibility rules apply to these."""
    board = plan.storyboard
    meant = [t for t in (scene.on_screen_text, scene.narration, board.cta, board.hook, plan.product.name) if t]
    return [ln for ln in lines if not ln.in_product_image and any(ocr.covered(ln.text, m) >= 0.6 or ocr.covered(m, ln.text) >= 0.8
                                      for m in meant)]


def longest_per_text(lines: list[ReadLine]) -> list[ReadLine]:
    """One line per distinct text: the one on screen longest (a pulsing button and its caption say the same)."""
    best: dict[str, ReadLine] = {}
    for ln in lines:
        key = ocr.normalize(ln.text)
        if key not in best or ln.seconds > best[key].seconds:
            best[key] = ln
    return list(best.values())


def _check_line(ln: ReadLine, scene, fw: int, fh: int, margins: dict[str, float], found: list[Finding],
                worst: dict[str, float]) -> None:
    x0, y0, x1, y1 = ln.box
    quote = f"\"{ln.text}\""
    span = (ln.visible_from, ln.visible_to)
    if x0 <= 1 or y0 <= 1 or x1 >= fw - 2 or y1 >= fh - 2:
        found.append(_finding("legibility.cut_at_edge", "major", f"scene {scene.index} text {quote} runs off the "
                              "frame edge", scene, *span, ln.text))
    if ln.contrast is not None:
        lo, ok = SCREEN["contrast_fail"], SCREEN["contrast_ok"]
        worst["contrast"] = min(worst["contrast"], 10 * (ln.contrast - lo) / (ok - lo))
        if ln.contrast < ok:
            sev = "major" if ln.contrast < (lo + ok) / 2 else "minor"
            found.append(_finding("legibility.low_contrast", sev, f"scene {scene.index} text {quote} has contrast "
                                  f"{ln.contrast:.1f}:1 (needs {ok}:1)", scene, *span, ln.text))
    lo_h = SCREEN["caption_min_height"]
    worst["size"] = min(worst["size"], 10 * (ln.height_share - 0.4 * lo_h) / (1.1 * lo_h))
    if ln.height_share < lo_h * 0.6:
        found.append(_finding("legibility.text_too_small", "major" if ln.height_share < lo_h * 0.4 else "minor",
                              f"scene {scene.index} text {quote} is {ln.height_share:.1%} of the frame's short side "
                              f"(needs {lo_h * 0.6:.1%})", scene, *span, ln.text))
    need = reading_seconds(ln.text)
    worst["time"] = min(worst["time"], 10 * ln.seconds / need)
    if ln.seconds < need * SCREEN["read_time_minor"]:
        sev = "major" if ln.seconds < need * SCREEN["read_time_major"] else "minor"
        found.append(_finding("legibility.too_brief", sev, f"scene {scene.index} text {quote} is on screen "
                              f"{ln.seconds:.1f}s; reading it takes {need:.1f}s", scene, *span, ln.text))
    m = margins
    x0, y0, x1, y1 = ln.ink or ln.box  # the glyphs, not the detector's padding, are what a margin covers
    inside = (x0 < m["left"] * fw or x1 > (1 - m["right"]) * fw or y0 < m["top"] * fh or y1 > (1 - m["bottom"]) * fh)
    if inside:
        found.append(_finding("legibility.outside_safe_zone", "major", f"scene {scene.index} text {quote} sits in "
                              "the platform's UI margin (safe zone)", scene, *span, ln.text))


def screen_text(reading: ScreenReading) -> list[tuple[int, float, float, str]]:
    return reading.all_text()


__all__ = ["SCREEN", "ReadLine", "ScreenReading", "caption_cover", "check_screen", "copy_lines", "is_cut_phrase", "longest_per_text",
           "read_screen", "reading_seconds", "screen_text", "text_contrast"]
