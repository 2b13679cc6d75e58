"""The offline judge: measurements on the rendered creative mapped onto the reference rubric (0-10 with a reason).

Bands as in the reference evaluation: 10 perfect, 7-9 good, 4-6 moderate, 1-3 poor, 0 none. A dimension whose
measurement fails is returned as missing (never 0), so averages are not dragged down by errors.

personalization_presentation / personalization_content: against the judge's own view of the person, built from
    the raw history and contrasted with the rest of the audience (see person.py); the Director's profile is not read.
    Both are also scored against the newest 20% of every history (evidence "newest_20pct_score").
product_alignment = 10 * (0.35 presence + 0.1 logo + 0.35 coverage + 0.2 naming) - 1.5 per claim not in the facts
    presence: share of product scenes where presence.PresenceDetector finds a product image (ORB + homography,
    or colour template matching of the product cut-out); logo: the logo found in the closing or product scenes.
context_alignment (PCI) = 10 * (0.6 thematic fit with the host summary + 0.4 palette fit with the host palette).
integration_quality (PCI) = 10 * (0.4 colour continuity + 0.3 loudness continuity + 0.3 thematic fit) across both
    splices of the integrated video (HSV histogram Bhattacharyya distance, |delta LUFS| over 3 s windows).
diversity = 10 * clip((1 - similarity) / 0.7) against the user's other creatives (text, colour, structure); with no
    peers the reference rule gives 10.
caption_legibility = WCAG contrast ratio inside the detected caption boxes: 10 at >= 4.5:1, 0 at <= 1.5:1.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from ..backends.base import Embedder, Judge
from ..schemas import Creative, CreativePlan, JudgeScore, UserHistory
from . import compliance
from .person import NOT_MEASURABLE, PersonJudge
from .presence import PresenceDetector
from .quality import VideoSample, is_cut, sample_video


def band(score: float) -> str:
    if score >= 9.5:
        return "perfect"
    if score >= 6.5:
        return "good"
    if score >= 3.5:
        return "moderate"
    if score >= 0.5:
        return "poor"
    return "none"


def _score(value: float, reason: str, evidence: dict[str, float]) -> JudgeScore:
    value = float(np.clip(value, 0.0, 10.0))
    return JudgeScore(score=round(value, 2), reason=f"{band(value)}: {reason}",
                      evidence={k: round(float(v), 4) for k, v in evidence.items()})


# --- colour helpers ---------------------------------------------------------------------------------
def hex_to_lab(colors: Sequence[str]) -> np.ndarray:
    rgb = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colors], np.float32)[None] / 255.0
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[0]


def palette_distance(frames: Sequence[np.ndarray], palette: Sequence[str]) -> float:
    """Mean CIELAB distance (Delta E 76) from the frames' pixels to the nearest palette colour."""
    lab_pal = hex_to_lab(palette)
    dists = []
    for f in frames:
        small = cv2.resize(f, (48, 48), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
        lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).reshape(-1, 1, 3)
        dists.append(float(np.linalg.norm(lab - lab_pal[None], axis=2).min(axis=1).mean()))
    return float(np.mean(dists))


def colour_hist(frame: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(frame, cv2.COLOR_RGB2HSV)
    h = cv2.calcHist([hsv], [0, 1, 2], None, [8, 4, 4], [0, 180, 0, 256, 0, 256])
    return cv2.normalize(h, h).flatten()


def hist_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Bhattacharyya distance of two frames' colour histograms (0 same .. 1 disjoint)."""
    return float(cv2.compareHist(colour_hist(a), colour_hist(b), cv2.HISTCMP_BHATTACHARYYA))


# --- text helpers -----------------------------------------------------------------------------------
def spoken_and_captioned(plan: CreativePlan, srt_path: str | None = None) -> list[str]:
    """The sentences a viewer hears or reads (narration, captions, hook, CTA, SRT cues)."""
    texts = [plan.storyboard.hook, plan.storyboard.cta]
    for s in plan.storyboard.scenes:
        texts += [s.narration, s.on_screen_text]
    if srt_path and Path(srt_path).is_file():
        texts += [t for _, _, t in compliance.read_srt(srt_path)]
    sentences = [p.strip() for t in texts for p in re.split(r"(?<=[.!?。！？])\s*", t) if p.strip()]
    return list(dict.fromkeys(sentences))


# --- caption legibility -----------------------------------------------------------------------------
def _luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb.astype(np.float32) / 255.0
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * c[..., 0] + 0.7152 * c[..., 1] + 0.0722 * c[..., 2]


def _two_tone(lum: np.ndarray) -> float:
    """Share of a box's luminance variance that one Otsu split explains: near 1 for text on a plain ground or a
    plate, lower for a textured product or photo (which must not be mistaken for a caption)."""
    t, _ = cv2.threshold((lum * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    hi, lo = lum[lum * 255 > t], lum[lum * 255 <= t]
    if not len(hi) or not len(lo):
        return 0.0
    within = (hi.var() * len(hi) + lo.var() * len(lo)) / len(lum)
    return float(1.0 - within / (lum.var() + 1e-9))


def caption_contrast(frame: np.ndarray, skip_box: tuple[int, int, int, int] | None = None) -> float | None:
    """WCAG contrast ratio of the most prominent two-tone text-like box, plates' insides included (None when no
    text is found)."""
    grey = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)
    grad = cv2.morphologyEx(grey, cv2.MORPH_GRADIENT, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3)))
    _, bw = cv2.threshold(grad, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    h, w = grey.shape
    joined = cv2.morphologyEx(bw, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 30, 3), 3)))
    contours, _ = cv2.findContours(joined, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    best, best_area = None, 0
    for c in contours:
        x, y, bw_, bh = cv2.boundingRect(c)
        if bw_ < 2.5 * bh or not (0.02 * h <= bh <= 0.2 * h) or bw_ < 0.15 * w:
            continue
        if skip_box and x < skip_box[2] and y < skip_box[3] and x + bw_ > skip_box[0] and y + bh > skip_box[1]:
            continue
        if _two_tone(_luminance(frame[y:y + bh, x:x + bw_]).ravel()) < 0.85:
            continue
        if bw_ * bh > best_area:
            best, best_area = (x, y, bw_, bh), bw_ * bh
    if best is None:
        return None
    x, y, bw_, bh = best
    lum = _luminance(frame[y:y + bh, x:x + bw_]).ravel()
    t, _ = cv2.threshold((lum * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    hi, lo = lum[lum * 255 > t], lum[lum * 255 <= t]
    if not len(hi) or not len(lo):
        return 1.0
    a, b = float(np.median(hi)), float(np.median(lo))
    return (a + 0.05) / (b + 0.05)


# --- the judge --------------------------------------------------------------------------------------
def viewer_lines(plan: CreativePlan, context: dict[str, Any]) -> list[str]:
    """What the viewer hears and reads: subtitle cues (or the planned narration) and the captions read on screen
    (or the planned ones when OCR did not run)."""
    from .copy_check import heard_lines, shown_lines

    reading = context.get("reading")
    heard = [t for *_, t in heard_lines(plan, context.get("cues") or [])]
    shown = [t for *_, t in shown_lines(plan, reading)] if reading is not None else [
        s.on_screen_text for s in plan.storyboard.scenes if s.on_screen_text.strip()]
    return heard + shown


class OfflineJudge(Judge):
    """Scores a creative from measurements; `context` may carry history, audience, peers, a decoded sample and
    what OCR read on screen (`reading`, `cues`)."""

    backend_id = "offline"

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self.person = PersonJudge(embedder)

    def score(self, plan: CreativePlan, creative: Creative, context: dict[str, Any]) -> dict[str, JudgeScore]:
        sample: VideoSample = context.get("sample") or sample_video(creative.video_path)
        history: UserHistory | None = context.get("history")
        audience = list(context.get("audience") or ())
        lines = viewer_lines(plan, context)
        dims: dict[str, Callable[[], JudgeScore]] = {
            "personalization_presentation": lambda: self._with_newest(
                self.presentation(sample, history, audience),
                lambda: self.presentation(sample, history, audience, "newest")),
            "personalization_content": lambda: self._with_newest(
                self.content(lines, history, audience), lambda: self.content(lines, history, audience, "newest")),
            "product_alignment": lambda: self.product_alignment(plan, creative, sample),
            "diversity": lambda: self.diversity(plan, sample, context.get("peers", ())),
        }
        if context.get("reading") is None:  # without OCR: caption contrast from text-like boxes
            dims["caption_legibility"] = lambda: self.caption_legibility(plan, sample)
        if plan.task == "pci":
            dims["context_alignment"] = lambda: self.context_alignment(plan, creative, sample)
            dims["integration_quality"] = lambda: self.integration_quality(plan, creative)
        timings = context.setdefault("timings", {})
        out = {}
        for name, fn in dims.items():
            t = time.perf_counter()
            try:
                out[name] = fn()
            except Exception as exc:  # a failed measurement is missing, never a 0
                out[name] = JudgeScore(missing=True, reason=f"{type(exc).__name__}: {exc}")
            timings[f"judge.{name}"] = time.perf_counter() - t
        return out

    # personalization -------------------------------------------------------------------------------
    def presentation(self, sample: VideoSample, history: UserHistory | None,
                     audience: Sequence[UserHistory] = (), part: str = "all") -> JudgeScore:
        """The rendered frames' measured style against the person's history style, contrasted with the audience."""
        if history is None:
            return JudgeScore(missing=True,
                              reason=f"{NOT_MEASURABLE} no history of the person to judge personalization against")
        frames = sample.frames[:: max(len(sample.frames) // 12, 1)]
        cpm = cut_count(sample) / max(sample.duration, 1e-3) * 60
        return self.person.presentation(frames, cpm, history, audience, part)

    def content(self, lines: Sequence[str], history: UserHistory | None, audience: Sequence[UserHistory] = (),
                part: str = "all") -> JudgeScore:
        """The ad's seen and heard lines against the person's history items, contrasted with the audience."""
        if history is None:
            return JudgeScore(missing=True,
                              reason=f"{NOT_MEASURABLE} no history of the person to judge personalization against")
        return self.person.content(lines, history, audience, part)

    @staticmethod
    def _with_newest(score: JudgeScore, newest: Callable[[], JudgeScore]) -> JudgeScore:
        """Add the score against the newest 20% of the history (interests a planner on the older 80% never saw)."""
        if score.missing:
            return score
        held = newest()
        if held.missing or held.score is None:
            return score
        return score.model_copy(update={"evidence": {**score.evidence, "newest_20pct_score": held.score}})

    # product ---------------------------------------------------------------------------------------
    def product_alignment(self, plan: CreativePlan, creative: Creative, sample: VideoSample) -> JudgeScore:
        p = plan.product
        scenes = plan.storyboard.scenes
        focus = [s for s in scenes if s.product_focus] or list(scenes)
        finder = PresenceDetector(p.images)
        if not finder.usable:
            return JudgeScore(missing=True, reason="no readable product image to look for")
        seen, best_template, best_inliers = [], 0.0, 0.0
        for s in focus:
            hits = [finder.present(f) for _, f in self._scene_frames(sample, s)[:2]]
            seen.append(any(ok for ok, _ in hits))
            best_template = max([best_template, *(e["template"] for _, e in hits)])
            best_inliers = max([best_inliers, *(e["inliers"] for _, e in hits)])
        presence = float(np.mean(seen))
        logo_score = self._logo(p.logo, sample, scenes)
        sentences = spoken_and_captioned(plan, creative.srt_path)
        coverage = self._coverage(p.selling_points, sentences)
        text = " ".join(sentences).lower()
        naming = float(p.name.lower() in text or p.brand.lower() in text)
        claims = [f for f in compliance.check_safety(compliance.plan_texts(plan), plan)
                  if f.code in {"safety.price_not_in_facts", "safety.number_not_in_facts", "safety.disease_claim",
                                "safety.health_claim", "safety.guaranteed_result"}]
        value = 10 * (0.35 * presence + 0.1 * logo_score + 0.35 * coverage + 0.2 * naming) - 1.5 * len(claims)
        ev = {"presence": presence, "logo": logo_score, "coverage": coverage, "naming": naming,
              "claims_not_in_facts": float(len(claims)), "max_inliers": best_inliers,
              "max_template_match": best_template}
        reason = (f"product seen in {presence:.0%} of product scenes, {coverage:.0%} of selling points covered, "
                  f"{'named' if naming else 'not named'}, {len(claims)} claim(s) not in the facts")
        return _score(value, reason, ev)

    def _logo(self, logo: str | None, sample: VideoSample, scenes) -> float:
        """1 when the logo is found in the closing scene or a product scene, 0 when not, 0.5 with no logo file."""
        if not logo or not Path(logo).is_file():
            return 0.5
        finder = PresenceDetector([logo], size_range=(0.04, 0.4), search_width=480, cut_out=False)  # drawn whole
        closing = [scenes[-1], *[s for s in scenes[:-1] if s.product_focus]][:3]
        frames = [f for s in closing for _, f in self._scene_frames(sample, s)[-1:]]
        return float(any(finder.present(f)[0] for f in frames))

    def _scene_frames(self, sample: VideoSample, scene) -> list[tuple[float, np.ndarray]]:
        inside = sample.frames_between(scene.start, scene.end)
        if not inside:
            mid = (scene.start + scene.end) / 2
            return [(mid, sample.frame_at(mid))]
        return inside[len(inside) // 4:: max(len(inside) // 3, 1)][:3] or inside[:1]

    def _coverage(self, points: Sequence[str], sentences: Sequence[str]) -> float:
        if not points:
            return 1.0
        if not sentences:
            return 0.0
        vecs = self.embedder.embed([*points, *sentences])
        sims = vecs[:len(points)] @ vecs[len(points):].T
        # partial credit: a paraphrase (~0.6) covers a point, a related line (~0.4) half covers it
        return float(np.mean(np.clip((sims.max(axis=1) - 0.25) / 0.35, 0, 1)))

    # PCI ---------------------------------------------------------------------------------------------
    def _host_text(self, plan: CreativePlan) -> str:
        hs = plan.integration.host_summary
        return " ".join([hs.title, hs.topic, hs.content, " ".join(hs.style_tags), plan.integration.bridge]).strip()

    def context_alignment(self, plan: CreativePlan, creative: Creative, sample: VideoSample) -> JudgeScore:
        host = self._host_text(plan)
        if not host:
            return JudgeScore(missing=True, reason="the plan has no host-video summary")
        vecs = self.embedder.embed([" ".join(spoken_and_captioned(plan) + [s.visual for s in plan.storyboard.scenes]),
                                    host])
        theme = float(np.clip((float(vecs[0] @ vecs[1]) - 0.05) / 0.5, 0, 1))
        palette = plan.integration.host_summary.palette
        pal = float(np.clip(1 - (palette_distance(sample.frames[::6], palette) - 8) / 35, 0, 1)) if palette else 0.5
        return _score(10 * (0.6 * theme + 0.4 * pal), f"thematic fit {theme:.2f}, palette fit {pal:.2f} with the host",
                      {"thematic_fit": theme, "palette_fit": pal})

    def integration_quality(self, plan: CreativePlan, creative: Creative) -> JudgeScore:
        from .. import media_io

        if not creative.integrated_path or creative.segment_start is None:
            return JudgeScore(missing=True, reason="no integrated video to judge the splice")
        path, t_in = creative.integrated_path, float(creative.segment_start)
        info = media_io.probe(path)
        size = (160, max(int(round(160 * info.height / info.width / 2)) * 2, 2))
        dists = []
        for t in (t_in, t_in + creative.duration):
            if t <= 0.1 or t >= info.duration - 0.1:
                continue
            frames = list(media_io.read_frames(path, size=size, start=max(t - 0.2, 0), end=t + 0.2))
            if len(frames) >= 2:
                mid = len(frames) // 2
                dists.append(hist_distance(frames[max(mid - 2, 0)], frames[min(mid + 2, len(frames) - 1)]))
        s_vis = float(np.clip(1 - np.mean(dists), 0, 1)) if dists else 0.5
        ev = {"colour_distance": float(np.mean(dists)) if dists else -1.0}
        s_loud = 0.5
        if info.has_audio:
            rate = 16000
            audio = media_io.read_audio(path, rate=rate)
            deltas = []
            for t in (t_in, t_in + creative.duration):
                a, b = int((t - 3) * rate), int((t + 3) * rate)
                if a >= 0 and b <= len(audio):
                    before = media_io.integrated_loudness(audio[a:int(t * rate)], rate)
                    after = media_io.integrated_loudness(audio[int(t * rate):b], rate)
                    if np.isfinite(before) and np.isfinite(after):
                        deltas.append(abs(before - after))
            if deltas:
                ev["loudness_jump_lu"] = float(np.mean(deltas))
                s_loud = float(np.clip(1 - ev["loudness_jump_lu"] / 10, 0, 1))
        vecs = self.embedder.embed([" ".join(spoken_and_captioned(plan)), self._host_text(plan) or "video"])
        theme = float(np.clip((float(vecs[0] @ vecs[1]) - 0.05) / 0.5, 0, 1))
        ev.update({"colour_continuity": s_vis, "loudness_continuity": s_loud, "thematic_fit": theme})
        return _score(10 * (0.4 * s_vis + 0.3 * s_loud + 0.3 * theme),
                      f"colour continuity {s_vis:.2f}, loudness continuity {s_loud:.2f}, thematic fit {theme:.2f}",
                      ev)

    # diversity ---------------------------------------------------------------------------------------
    def diversity(self, plan: CreativePlan, sample: VideoSample,
                  peers: Sequence[tuple[CreativePlan, Creative]]) -> JudgeScore:
        from .. import media_io

        peers = [(pp, pc) for pp, pc in peers if pc.video_path != sample.path]
        if not peers:
            return _score(10.0, "no other creative for this user (reference rule: fewer than 2 videos scores 10)",
                          {"peers": 0})
        mine_text = " ".join(spoken_and_captioned(plan))
        texts = [" ".join(spoken_and_captioned(pp)) for pp, _ in peers]
        vecs = self.embedder.embed([mine_text, *texts])
        text_sim = vecs[1:] @ vecs[0]
        mine_frames = sample.frames[:: max(len(sample.frames) // 8, 1)]
        vis_sim, struct_sim = [], []
        for pp, pc in peers:
            theirs = list(media_io.read_frames(pc.video_path, fps=1, size=(96, 96)))[:12]
            d = [hist_distance(a, b) for a in mine_frames[:6] for b in theirs[:6]]
            vis_sim.append(1 - float(np.mean(d)) if d else 0.5)
            a = [s.camera_motion for s in plan.storyboard.scenes]
            b = [s.camera_motion for s in pp.storyboard.scenes]
            struct_sim.append(0.5 * (sum(x == y for x, y in zip(a, b, strict=False)) / max(len(a), len(b)))
                              + 0.5 * (min(len(a), len(b)) / max(len(a), len(b))))
        sim = float(np.mean(0.4 * np.clip(text_sim, 0, 1) + 0.4 * np.array(vis_sim) + 0.2 * np.array(struct_sim)))
        return _score(10 * np.clip((1 - sim) / 0.7, 0, 1), f"mean similarity {sim:.2f} to {len(peers)} other creative(s)",
                      {"peers": len(peers), "similarity": sim, "text_similarity": float(np.mean(text_sim)),
                       "visual_similarity": float(np.mean(vis_sim)), "structure_similarity": float(np.mean(struct_sim))})

    # captions ------------------------------------------------------------------------------------------
    def caption_legibility(self, plan: CreativePlan, sample: VideoSample) -> JudgeScore:
        from ..disclosure import label_box

        captioned = [s for s in plan.storyboard.scenes if s.on_screen_text.strip()]
        if not captioned:
            return JudgeScore(missing=True, reason="the plan has no on-screen text")
        fh, fw = sample.frames[0].shape[:2]
        scale = fw / sample.width
        skip = tuple(int(v * scale) + (8 if i >= 2 else -8) for i, v in enumerate(label_box(sample.width,
                                                                                           sample.height)))
        ratios = []
        for s in captioned:
            values = [caption_contrast(f, skip) for _, f in self._scene_frames(sample, s)]
            values = [v for v in values if v is not None]
            if values:
                ratios.append(max(values))
        if not ratios:
            return _score(0.0, "no readable caption found in the captioned scenes", {"captioned_scenes": len(captioned)})
        worst = float(min(ratios))
        return _score(10 * np.clip((worst - 1.5) / 3.0, 0, 1),
                      f"lowest caption contrast {worst:.1f}:1 over {len(ratios)} captioned scene(s)",
                      {"min_contrast": worst, "mean_contrast": float(np.mean(ratios)),
                       "captioned_scenes": float(len(captioned)), "found": float(len(ratios))})


def cut_count(sample: VideoSample) -> int:
    """Hard cuts between consecutive sampled frames (evidence for pacing)."""
    return sum(is_cut(a, b) for a, b in zip(sample.frames, sample.frames[1:], strict=False))


__all__ = ["OfflineJudge", "band", "caption_contrast", "cut_count", "palette_distance",
           "spoken_and_captioned"]
