"""The Reflector: findings, weak utility and online feedback -> minimal, concrete revision directives.

Each attribution becomes at most one directive routed to the smallest responsible stage, carrying the actual new
content (new narration, caption, hook, asset path), so applying it needs no further planning. Directives touching
the same scene are merged, so one scene gets one rewrite.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import rules
from ..schemas import (
    Creative,
    CreativePlan,
    Directive,
    FallbackGeneric,
    FeedbackEvent,
    Finding,
    LearnedPreferences,
    Recaption,
    RegenerateScene,
    Rematch,
    Retime,
    RewriteHook,
    RewriteScene,
    ScenePatch,
    SwapAsset,
    UpdateProfile,
    Verdict,
)
from . import aggregate, rewrite
from .aggregate import FeedbackDecision
from .attribution import HOOK_WINDOW_S, Attribution, attribute, scenes_overlapping, weak_utility
from .directives import tried_before
from .interventions import Budget, Intervention, choose_interventions, intervention_for
from .interventions import summary as summarize_choice

# A utility is weak exactly when the Verifier would not accept it (rules.ACCEPT_AT).
DEFAULT_THRESHOLDS = dict(rules.ACCEPT_AT)


@dataclass
class Proposal:
    """Everything the Reflector proposes for one plan: the priced options, the ones picked under the budget, the
    feedback aggregate's decisions (with their numbers, decided or not) and a one-line summary."""

    options: list[Intervention]
    chosen: list[Intervention]
    decisions: list[FeedbackDecision] = field(default_factory=list)
    summary: str = ""

    @property
    def directives(self) -> list[Directive]:
        return [i.directive for i in self.chosen]


class Reflector:
    """Turns a verdict and feedback into typed directives for the Director or the Producer, priced as
    interventions and picked under a budget."""

    def __init__(self, embedder: Any = None, thresholds: dict[str, float] | None = None, *,
                 min_impressions: int = aggregate.MIN_IMPRESSIONS, confidence: float = aggregate.DECISION_CONFIDENCE,
                 cloud_price_per_s: float = 0.0):
        self.embedder = embedder
        self.thresholds = dict(DEFAULT_THRESHOLDS if thresholds is None else thresholds)
        self.min_impressions, self.confidence = min_impressions, confidence
        self.cloud_price_per_s = cloud_price_per_s

    @classmethod
    def from_studio(cls, studio) -> Reflector:
        """Share the studio's embedder and read utility thresholds from its Verifier, so both agree on 'low'."""
        thresholds = dict(DEFAULT_THRESHOLDS)
        try:
            gate = studio.verifier.thresholds
            thresholds.update({k: float(v) for k, v in gate.items() if k in rules.UTILITY_NAMES and
                               isinstance(v, (int, float))})
        except Exception:  # noqa: BLE001 - no Verifier configured: the Reflector's own defaults apply
            pass
        return cls(embedder=studio.embedder, thresholds=thresholds,
                   cloud_price_per_s=cloud_price(getattr(studio.settings, "producer", "offline")))

    def attribute(self, plan: CreativePlan, verdict: Verdict | None = None,
                  feedback: Sequence[FeedbackEvent] = ()) -> list[Attribution]:
        """Every cause behind the verdict's findings, its weak utility scores and the feedback aggregate."""
        out: list[Attribution] = []
        if verdict is not None and verdict.decision != "accept":
            for finding in verdict.compliance.findings:
                out += attribute(finding, plan)
            # every reason for not accepting gets its directive: weak scores as well as findings
            for signal in weak_utility(verdict.utility, self.thresholds, plan.mode):
                out += attribute(signal, plan)
        # feedback counts as an aggregate of this version's impressions, never one event at a time
        out += aggregate.attributions(plan, feedback, self.min_impressions, self.confidence)
        return out

    def reflect(self, plan: CreativePlan, verdict: Verdict | None = None, feedback: Sequence[FeedbackEvent] = (),
                *, learned: LearnedPreferences | None = None, budget: float | Budget | None = None,
                creative: Creative | None = None) -> list[Directive]:
        """Minimal directives for this plan (picked under `budget` render seconds); empty when the verdict accepts
        and the feedback shows nothing to fix."""
        return self.propose(plan, verdict, feedback, learned=learned, budget=budget, creative=creative).directives

    def propose(self, plan: CreativePlan, verdict: Verdict | None = None, feedback: Sequence[FeedbackEvent] = (),
                *, learned: LearnedPreferences | None = None, budget: float | Budget | None = None,
                creative: Creative | None = None) -> Proposal:
        """Every option priced as an intervention, and the ones picked under the budget."""
        directives: list[Directive] = []
        weak = {sig.name for sig in weak_utility(verdict.utility, self.thresholds, plan.mode)} if verdict else set()
        for att in self.attribute(plan, verdict, feedback):
            if getattr(att.signal, "name", "") == "personalization_presentation" and _look_only(verdict, weak):
                continue  # see _look_only: re-matching or going generic would drop what works
            d = self._directive(att, plan, directives)
            if d is not None:
                directives.append(d)
        tone = _tone_preference(plan, learned)
        if tone is not None:
            directives.append(tone)
        # a fix already applied to this plan's ancestry that did not clear the issue is not proposed again
        primaries = [d for d in _merge(directives) if not tried_before(plan, d)]
        rate = render_rate(creative)
        severity = _severities(verdict)
        options: list[Intervention] = []
        for n, d in enumerate(primaries):
            issue = f"{n}:{d.cause}"
            for alt in [d, *_cheaper(plan, d)]:
                options.append(intervention_for(alt, plan, severity.get(d.finding_code or ""), render_rate=rate,
                                                cloud_price_per_s=self.cloud_price_per_s, issue=issue))
        chosen = choose_interventions(options, budget)
        decisions = aggregate.decide(plan, aggregate.for_version(plan, feedback), self.min_impressions,
                                     self.confidence) if feedback else []
        return Proposal(options, chosen, decisions, summarize_choice(options, chosen, budget))

    # --- one attribution -> one directive ------------------------------------------------------
    def _directive(self, att: Attribution, plan: CreativePlan, so_far: list[Directive]) -> Directive | None:
        common = {"reason": att.reason or att.cause, "cause": att.cause, "confidence": round(att.confidence, 2),
                  "source": att.source, "finding_code": att.finding.code if att.finding else None}
        finding = att.finding
        if finding is not None and finding.evidence.field == "asset_licenses":
            return None  # a track the Producer chose: no plan change fixes it, the attribution reports it
        if finding is not None and finding.evidence.field == "storyboard.hook" and att.cause != "user_modeling":
            return self._rewrite_hook(plan, common, so_far)
        if finding is not None and finding.code == "product.absent_early":
            return _product_first(plan, common)
        if att.cause == "weak_hook":
            return self._rewrite_hook(plan, common, so_far)
        if finding is not None and finding.category == "legibility":
            return _legibility(plan, att, common)
        if att.cause == "unclear_cta":
            return _cta_directive(plan, common)
        if att.cause in ("claim", "style_tone") and finding is not None:
            return self._rewrite_text(plan, att, common, so_far)
        if att.cause == "user_modeling" and finding is not None:
            return self._privacy(plan, att, common, so_far)
        if att.cause == "matching" or (att.cause == "style_tone" and finding is None and att.signal is not None
                                       and getattr(att.signal, "name", "").startswith("personalization")):
            return self._rematch(plan, common)  # low personalization: re-match (re-theme) on another interest
        if att.cause == "asset_inconsistency" and finding is not None:
            return _swap(plan, att, common)
        if att.cause == "timing_transitions" and att.source == "feedback" and att.scenes:
            return _retime(plan, att.scenes[0], common)
        if att.cause in ("timing_transitions", "rendering", "caption_placement", "voice_over"):
            targets = att.scenes or ([] if finding else [s.index for s in plan.storyboard.scenes])
            transition = "crossfade" if att.cause == "timing_transitions" else None
            return RegenerateScene(scenes=targets, transition=transition, target_stage="producer", **common)
        return None

    def _rewrite_hook(self, plan: CreativePlan, common: dict, so_far: list[Directive]) -> Directive:
        director_rewrite = _director_opening(plan)
        if director_rewrite is not None:
            hook, patches = director_rewrite
            return RewriteHook(hook=hook, patches=patches, scenes=sorted(patches), **common)
        opening = scenes_overlapping(plan, 0.0, HOOK_WINDOW_S)
        hooks = rewrite.hook_candidates(plan)
        used = rewrite.used_texts(plan) | _planned_texts(so_far)
        hook = rewrite.pick_line(hooks, used, near=plan.storyboard.hook, embedder=None)
        p = plan.product
        patches = {}
        for k, i in enumerate(opening):
            scene = plan.scene(i)
            if k == 0:
                visual = f"{p.name} in use within the first second, close-up; {scene.visual}".strip("; ")
                patches[i] = ScenePatch(narration=hook, on_screen_text=rewrite.caption_for(hook, p),
                                        visual=rewrite.trim_words(visual, 60), product_focus=True,
                                        camera_motion="push_in")
            else:
                line = rewrite.safe_narration(plan, near=scene.shot_goal, embedder=self.embedder, avoid=[hook])
                patches[i] = ScenePatch(narration=line, on_screen_text=rewrite.caption_for(line, p))
        return RewriteHook(hook=rewrite.trim_words(hook, 16), patches=patches, scenes=opening, **common)

    def _rewrite_text(self, plan: CreativePlan, att: Attribution, common: dict,
                      so_far: list[Directive]) -> Directive | None:
        finding: Finding = att.finding  # type: ignore[assignment]
        scenes = att.scenes or [s.index for s in plan.storyboard.scenes if finding.evidence.text and any(
            rewrite.mentions(t, finding.evidence.text) for t in (s.narration, s.on_screen_text, s.visual))]
        if not scenes:
            return None
        used = _planned_texts(so_far)
        patches = {i: self._safe_patch(plan, i, finding, used) for i in scenes}
        return RewriteScene(patches=patches, scenes=scenes, **common)

    def _safe_patch(self, plan: CreativePlan, index: int, finding: Finding, used: set[str]) -> ScenePatch:
        """Replace the offending text of one scene with a line backed by the product's facts."""
        scene, p = plan.scene(index), plan.product
        term = (finding.evidence.text or "").strip()
        field = finding.evidence.field or ""
        hit = {name: bool(term) and rewrite.mentions(getattr(scene, name), term)
               for name in ("narration", "on_screen_text", "visual")}
        if not any(hit.values()) and not field.endswith(("visual", "on_screen_text")):
            hit["narration"] = hit["on_screen_text"] = True  # evidence text is a paraphrase: rewrite the words
        if field.endswith("on_screen_text"):
            hit["on_screen_text"] = True
        patch: dict[str, Any] = {}
        if hit["narration"]:
            line = rewrite.safe_narration(plan, near=scene.shot_goal or scene.visual, embedder=self.embedder,
                                          avoid=used)
            used.add(line)
            patch["narration"] = line
            if hit["on_screen_text"] or not rewrite.is_safe(scene.on_screen_text):
                patch["on_screen_text"] = rewrite.caption_for(line, p)
        elif hit["on_screen_text"]:
            patch["on_screen_text"] = self._safe_caption(plan, index, term, used)
        if hit["visual"] or (term and rewrite.mentions(scene.visual, term)):
            patch["visual"] = (rewrite.strip_terms(scene.visual, [term]) + ", unbranded props").strip(", ")
        return ScenePatch(**patch)

    def _safe_caption(self, plan: CreativePlan, index: int, term: str, used: set[str]) -> str:
        """The caption without the offending term if it still reads as a phrase; else the CTA or a fact."""
        cleaned = rewrite.strip_terms(plan.scene(index).on_screen_text, [term]) if term else ""
        if rewrite.reads_whole(cleaned) and rewrite.is_safe(cleaned):
            return cleaned
        cta = plan.storyboard.cta
        if index == len(plan.storyboard.scenes) - 1 and cta and rewrite.is_safe(cta) and not (
                term and rewrite.mentions(cta, term)):
            return cta
        return rewrite.caption_for(rewrite.safe_narration(plan, avoid=used), plan.product)

    def _privacy(self, plan: CreativePlan, att: Attribution, common: dict,
                 so_far: list[Directive]) -> Directive:
        finding: Finding = att.finding  # type: ignore[assignment]
        theme = _sensitive_theme(plan, finding.evidence.text or "")
        update = None
        if theme and not any(isinstance(d, UpdateProfile) and theme in d.exclude_themes for d in so_far):
            update = UpdateProfile(exclude_themes=[theme], scenes=att.scenes,
                                   note=f"never use '{theme}' as a hook or name it", **common)
        rewritten = self._rewrite_text(plan, att, {**common, "cause": "user_modeling"}, so_far)
        if update is not None and rewritten is not None:
            so_far.append(update)  # one cause, two stages: the profile first, then the words on screen
        return rewritten or update

    def unaddressed(self, plan: CreativePlan, verdict: Verdict | None) -> str:
        """Why a verdict that does not accept gets no directive for its weak look, in words for the marketer
        ("" when that is not the case)."""
        if verdict is None or verdict.decision == "accept":
            return ""
        weak = {sig.name: sig for sig in weak_utility(verdict.utility, self.thresholds, plan.mode)}
        look = weak.get("personalization_presentation")
        if look is None or not _look_only(verdict, set(weak)):
            return ""
        content = verdict.utility.personalization_content
        return (f"No directive proposed: the ad's look ranks low against the person's own images (presentation "
                f"{look.value:.2f}, bar {self.thresholds.get('personalization_presentation', 0):g}) while its words "
                f"speak to them (content {content.score:.2f}), and another interest or a generic ad would lose what "
                "works. Try other images in the collage (Plan tab), or approve it as it is.")

    def _rematch(self, plan: CreativePlan, common: dict) -> Directive | None:
        if plan.mode == "generic" or plan.profile is None or plan.match is None:
            return None
        current = plan.match.chosen_tier
        candidates = [i for i in plan.profile.interests if i.tier != current
                      and i.theme not in plan.profile.excluded_sensitive]
        best = self._closest_interest(plan, candidates)
        if best is None:
            return FallbackGeneric(**common)
        return Rematch(force_tier=best.tier, avoid_tiers=[current] if current != "generic" else [], **common)

    def _closest_interest(self, plan: CreativePlan, interests):
        if not interests:
            return None
        if self.embedder is None or len(interests) == 1:
            return interests[0]
        vecs = self.embedder.embed([plan.product.describe(), *[f"{i.theme}. {i.summary}" for i in interests]])
        return interests[int((vecs[1:] @ vecs[0]).argmax())]


def _look_only(verdict: Verdict | None, weak: set[str]) -> bool:
    """A low personalization *presentation* (the ad's look ranks low against the person's images) while its
    *content* personalization passes: the copy speaks to the right interest, so re-matching to another interest,
    or falling back to a generic ad, would throw away the part that works and not change the look. No directive
    is proposed for it; the scorecard keeps the finding for the marketer (Reflector.unaddressed says why)."""
    if verdict is None or "personalization_presentation" not in weak:
        return False
    content = getattr(verdict.utility, "personalization_content", None)
    return content is not None and not getattr(content, "missing", False) and "personalization_content" not in weak


def _director_opening(plan: CreativePlan):
    """The Director's own opening rewriter (its templates, the plan's language), when it is installed."""
    try:
        from ..director.storyboard import rewrite_opening
    except ImportError:
        return None
    try:
        hook, patches = rewrite_opening(plan, seed=plan.seed + plan.version)
    except (ValueError, KeyError, IndexError):  # a plan the templates cannot read: use our own lines
        return None
    if not hook or not patches or hook == plan.storyboard.hook:
        return None
    return hook, patches


_RECAPTION = {"legibility.cut_caption", "legibility.caption_missing", "legibility.caption_partial",
              "legibility.too_brief"}


def _legibility(plan: CreativePlan, att: Attribution, common: dict) -> Directive:
    """Words that did not read (cut, missing, too long for the time) -> recaption with a complete short line;
    text that is hard to see (contrast, size, edge, safe zone) -> relayout: the Producer redraws the scene."""
    finding: Finding = att.finding  # type: ignore[assignment]
    scenes = att.scenes or [s.index for s in plan.storyboard.scenes if s.on_screen_text.strip()]
    if finding.code in _RECAPTION:
        limit, seconds = 8, None
        if finding.code == "legibility.too_brief":
            # short enough to read, at the Verifier's reading speed, in the time the caption was on screen
            ev = finding.evidence
            seconds = ev.end - ev.start if ev.start is not None and ev.end is not None and ev.end > ev.start \
                else None
            limit = 8 if seconds else 4
        captions = {i: complete_caption(plan.scene(i).narration or plan.scene(i).on_screen_text, plan, limit,
                                        seconds) for i in scenes}
        captions = {i: c for i, c in captions.items() if c and c != plan.scene(i).on_screen_text}
        if captions:
            return Recaption(captions=captions, scenes=sorted(captions), **common)
    return RegenerateScene(scenes=scenes, target_stage="producer",
                           **{**common, "reason": f"relayout the caption: {common['reason']}"})


def complete_caption(line: str, plan: CreativePlan, limit: int = 8, seconds: float | None = None) -> str:
    """A caption that reads whole: the line's first clause if it fits (at most `limit` words and, given `seconds`,
    readable in that time at the Verifier's reading speed) and ends on a content word, else the product name."""
    from .rewrite import reads_whole, trim_words

    def fits(text: str) -> bool:
        return trim_words(text, limit) == text and (seconds is None or rules.reading_seconds(text) <= seconds)

    for clause in [line, *re.split(r"[,;:.!?，。！？]\s*", line)]:
        clause = clause.strip().rstrip(".。!！")
        if clause and fits(clause) and (reads_whole(clause) or re.search(r"[\u4e00-\u9fff]", clause)):
            return clause
    name = trim_words(plan.product.name, limit)
    return name if fits(name) else trim_words(plan.product.name, 4)


def _product_first(plan: CreativePlan, common: dict) -> Directive:
    """The product in the picture from the first second: scene 0 becomes a product shot."""
    first = plan.storyboard.scenes[0]
    visual = f"{plan.product.name} in the picture from the first second; {first.visual}".strip("; ")
    return RewriteScene(patches={first.index: ScenePatch(product_focus=True, visual=visual[:300])},
                        scenes=[first.index], **common)


def _planned_texts(directives: list[Directive]) -> set[str]:
    out: set[str] = set()
    for d in directives:
        for patch in getattr(d, "patches", {}).values():
            out |= {t for t in (patch.narration, patch.on_screen_text) if t}
    return out


def _sensitive_theme(plan: CreativePlan, text: str) -> str:
    """The profile theme a privacy finding's text belongs to, or the text itself."""
    text = text.strip()
    if plan.profile:
        for interest in plan.profile.interests:
            blob = " ".join([interest.theme, interest.summary, *interest.keywords]).lower()
            if text and text.lower() in blob:
                return interest.theme
    return text


def _cta_directive(plan: CreativePlan, common: dict) -> Directive:
    last = plan.storyboard.scenes[-1]
    narration, caption = rewrite.cta_line(plan)
    patch = ScenePatch(narration=narration, on_screen_text=caption, product_focus=True)
    if last.narration == narration and last.on_screen_text == caption:
        patch = ScenePatch(camera_motion="push_in", product_focus=True,
                           visual=f"Hero shot of {plan.product.name}, logo and price large on screen")
    return RewriteScene(patches={last.index: patch}, scenes=[last.index], **common)


def _swap(plan: CreativePlan, att: Attribution, common: dict) -> Directive:
    finding: Finding = att.finding  # type: ignore[assignment]
    bad = finding.evidence.visual_element or finding.evidence.text or ""
    licensed = [img for img in plan.product.images
                if any(img.endswith(x.path) for x in plan.product.licenses) and img != bad]
    replacement = (licensed or [i for i in plan.product.images if i != bad] or [None])[0]
    slot = "product_image"
    for assets in plan.grounding.scene_assets:
        if bad and bad in assets.user_images:
            slot, replacement = "user_image", None
        elif bad and bad in assets.extra:
            slot, replacement = "extra", None
    scenes = att.scenes or [a.scene_index for a in plan.grounding.scene_assets
                            if bad in (a.product_image, *a.user_images, *a.extra)]
    return SwapAsset(slot=slot, old_path=bad or None, new_path=replacement, scenes=scenes, **common)


def _merge(directives: list[Directive]) -> list[Directive]:
    """Fold scene rewrites that touch the same scenes into one directive; drop exact duplicates."""
    out: list[Directive] = []
    for d in directives:
        twin = next((o for o in out if o.kind == d.kind and o.kind in ("rewrite_scene", "regenerate_scene",
                                                                         "update_profile")
                     and (set(o.scenes) & set(d.scenes) or o.kind == "update_profile")), None)
        if twin is None:
            if d not in out:
                out.append(d)
            continue
        i = out.index(twin)
        if isinstance(d, RewriteScene) and isinstance(twin, RewriteScene):
            patches = {**d.patches, **twin.patches}
            out[i] = twin.model_copy(update={"patches": patches, "scenes": sorted(set(twin.scenes) | set(d.scenes)),
                                             "reason": _join(twin.reason, d.reason)})
        elif isinstance(d, UpdateProfile) and isinstance(twin, UpdateProfile):
            out[i] = twin.model_copy(update={"exclude_themes": list(dict.fromkeys(
                [*twin.exclude_themes, *d.exclude_themes])), "prefer_tone_tags": list(dict.fromkeys(
                    [*twin.prefer_tone_tags, *d.prefer_tone_tags])), "reason": _join(twin.reason, d.reason)})
        else:
            out[i] = twin.model_copy(update={"scenes": sorted(set(twin.scenes) | set(d.scenes))})
    return out


def _join(a: str, b: str) -> str:
    return a if b in a else f"{a}; {b}"


# --- alternatives, preferences and prices -------------------------------------------------------
def _cheaper(plan: CreativePlan, d: Directive) -> list[Directive]:
    """Cheaper ways to address the same problem: the same words without new visuals, or the caption alone."""
    common = {"reason": d.reason, "cause": d.cause, "confidence": d.confidence, "source": d.source,
              "finding_code": d.finding_code}
    out: list[Directive] = []
    if isinstance(d, RewriteHook) and 0 in d.patches and d.patches[0].narration:
        words = d.patches[0]
        out.append(RewriteScene(patches={0: ScenePatch(narration=words.narration,
                                                       on_screen_text=words.on_screen_text)}, scenes=[0], **common))
        if words.on_screen_text and words.on_screen_text != plan.scene(0).on_screen_text:
            out.append(Recaption(captions={0: words.on_screen_text}, scenes=[0], **common))
    if isinstance(d, RewriteScene) and d.cause == "unclear_cta":
        last = plan.storyboard.scenes[-1].index
        caption = d.patches.get(last).on_screen_text if last in d.patches else None
        if caption and caption != plan.scene(last).on_screen_text:
            out.append(Recaption(captions={last: caption}, scenes=[last], **common))
    return out


def _retime(plan: CreativePlan, index: int, common: dict) -> Directive | None:
    """Tighten the scene where viewers leave: a quarter shorter (at least 1 s left), the time going to the
    closing scene, so the ad keeps its length and the call to action gets longer on screen."""
    scenes = plan.storyboard.scenes
    scene = plan.scene(index)
    cut = round(min((scene.end - scene.start) * 0.25, scene.end - scene.start - 1.0), 2)
    if cut < 0.25 or index == scenes[-1].index:
        return RegenerateScene(scenes=[index], transition="crossfade", target_stage="producer", **common)
    lengths = [s.end - s.start for s in scenes]
    lengths[index] -= cut
    lengths[-1] += cut
    bounds = [0.0]
    for length in lengths:
        bounds.append(round(bounds[-1] + length, 3))
    bounds[-1] = plan.storyboard.duration_sec
    return Retime(boundaries=bounds, scenes=[s.index for s in scenes[index:]],
                  **{**common, "reason": f"{common['reason']}: scene {index} cut by {cut:.2f} s"})


def _tone_preference(plan: CreativePlan, learned: LearnedPreferences | None) -> Directive | None:
    """A learned tone the plan does not lead with becomes a tone preference for the profile and storyboard."""
    if learned is None or not learned.tone or plan.profile is None:
        return None
    if plan.storyboard.tone_tags[:1] == [learned.tone]:
        return None
    sure = learned.confidence.get("tone", 0.0)
    return UpdateProfile(prefer_tone_tags=[learned.tone], cause="style_tone", source="feedback",
                         confidence=round(sure, 2), note=f"lead with a {learned.tone} tone",
                         reason=f"learned from {learned.impressions} impressions: {learned.tone} tone engages most "
                                f"({sure:.0%} sure)")


def _severities(verdict: Verdict | None) -> dict[str, str]:
    order = {"minor": 1, "major": 2, "critical": 3}
    out: dict[str, str] = {}
    for f in (verdict.compliance.findings if verdict else []):
        key = f.code or ""
        if order[f.severity] > order.get(out.get(key, ""), 0):
            out[key] = f.severity
    return out


def render_rate(creative: Creative | None) -> float:
    """Render seconds per second of video, measured on the last creative when it re-rendered anything."""
    from .interventions import DEFAULT_RENDER_RATE

    if creative is None or creative.render_seconds <= 0 or creative.duration <= 0:
        return DEFAULT_RENDER_RATE
    share = len(creative.scenes_rerendered) / max(len(creative.scene_hashes), 1) if creative.scene_hashes else 1.0
    if share <= 0:
        return DEFAULT_RENDER_RATE
    return creative.render_seconds / (creative.duration * share)


def cloud_price(producer_id: str) -> float:
    """Dollars per generated second for a cloud video backend id ('google:veo-3.1'), 0 offline."""
    if not producer_id.startswith("google:veo"):
        return 0.0
    from ..backends.veo import PRICE_PER_SECOND

    return PRICE_PER_SECOND.get(producer_id.split(":", 1)[1], 0.0)
