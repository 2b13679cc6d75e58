"""The scorecard a reviewer reads, and a way forward for every reason a creative is not accepted."""

from __future__ import annotations

import pytest

from nextads_studio.reflector import Reflector
from nextads_studio.schemas import Evidence, Finding, JudgeScore, ScreenLine, Utility, Verdict
from nextads_studio.verifier.scorecard import scorecard, to_markdown, where
from nextads_studio.verifier.verifier import DEFAULT_THRESHOLDS

from .conftest import make_plan


def _utility(**over) -> Utility:
    base = dict(motion_smoothness=0.99, dynamic_degree=1.0, aesthetic_quality=0.4, imaging_quality=0.2,
                personalization_presentation=JudgeScore(score=7, reason="good: ranks 1 of 12"),
                personalization_content=JudgeScore(score=8, reason="good: ranks 1 of 12"),
                product_alignment=JudgeScore(score=7, reason="good"),
                caption_legibility=JudgeScore(score=9, reason="good"))
    base.update(over)
    return Utility(**base)


def _finding(code: str, category: str, scene: int, start: float, end: float, field: str, text: str = "x",
             severity: str = "major") -> Finding:
    return Finding(category=category, severity=severity, code=code, message=f"{code} here",
                   evidence=Evidence(scene_index=scene, start=start, end=end, field=field, text=text))


def _verdict(plan, findings=(), decision="revise", **utility) -> Verdict:
    return Verdict(plan_id=plan.plan_id, plan_version=1, decision=decision, utility=_utility(**utility),
                   compliance={"findings": list(findings)},
                   on_screen=[ScreenLine(scene_index=0, start=0.5, end=2.8, text="Your trail, your pace")])


def test_every_score_has_its_bar_verdict_meaning_and_evidence(assets):
    plan = make_plan(assets)
    card = scorecard(_verdict(plan, decision="accept"), DEFAULT_THRESHOLDS)
    rows = {r.key: r for r in card.scores}
    assert rows["imaging_quality"].label == "IQ*" and rows["imaging_quality"].threshold == 0.15
    assert rows["imaging_quality"].passed is True and rows["imaging_quality"].measures
    assert rows["personalization_content"].evidence.startswith("good: ranks 1")
    text = to_markdown(card)
    for label in ("MS*", "DD*", "AQ*", "IQ*"):
        assert f"| {label} |" in text
    assert "weight-free stand-ins for VBench" in text and "Your trail, your pace" in text


def test_a_score_under_its_bar_fails_and_is_named_in_the_headline(assets):
    plan = make_plan(assets)
    card = scorecard(_verdict(plan, imaging_quality=0.1), DEFAULT_THRESHOLDS)
    assert next(r for r in card.scores if r.key == "imaging_quality").passed is False
    assert "IQ*" in card.headline


def test_findings_are_located_in_words():
    f = _finding("copy.fragment", "copy", 5, 9.0, 12.0, "narration")
    assert where(f) == "scene 5 narration, 9.0–12.0 s"
    f = _finding("legibility.cut_caption", "legibility", 2, 4.0, 6.0, "storyboard.scenes[2].on_screen_text")
    assert where(f) == "scene 2 caption, 4.0–6.0 s"


@pytest.mark.parametrize("finding,kind", [
    (_finding("legibility.cut_caption", "legibility", 1, 3.0, 6.0, "on_screen_text", "Stride Runner weighs just"),
     "recaption"),
    (_finding("legibility.low_contrast", "legibility", 2, 6.0, 9.0, "on_screen_text"), "regenerate_scene"),
    (_finding("copy.fragment", "copy", 2, 6.0, 9.0, "narration", "A cushioned sole for long hill runs."),
     "rewrite_scene"),
    (_finding("product.absent_early", "product", 0, 0.0, 2.0, "render"), "rewrite_scene"),
    (_finding("delivery.silent_audio", "delivery", None, 0.0, 15.0, "render"), "regenerate_scene"),
])
def test_every_blocking_finding_has_a_directive(assets, finding, kind):
    plan = make_plan(assets)
    verdict = _verdict(plan, [finding])
    directives = Reflector().reflect(plan, verdict)
    assert kind in [d.kind for d in directives], [d.kind for d in directives]
    card = scorecard(verdict, DEFAULT_THRESHOLDS, directives=directives)
    assert not card.findings[0].way_forward.startswith("needs a person"), card.findings[0].way_forward


def test_a_cut_caption_is_recaptioned_with_a_complete_line(assets):
    plan = make_plan(assets)
    f = _finding("legibility.cut_caption", "legibility", 1, 3.0, 6.0, "on_screen_text", "Only 240")
    d = next(d for d in Reflector().reflect(plan, _verdict(plan, [f])) if d.kind == "recaption")
    assert d.captions[1] == "Stride Runner weighs just 240 g"


def test_low_personalization_rematches(assets):
    plan = make_plan(assets)
    verdict = _verdict(plan, personalization_content=JudgeScore(score=2, reason="poor: ranks 9 of 12"))
    assert "rematch" in [d.kind for d in Reflector().reflect(plan, verdict)]


def test_a_finding_no_directive_can_fix_says_it_needs_a_person(assets):
    plan = make_plan(assets)
    f = Finding(category="licensing", severity="major", code="licensing.unlicensed_asset",
                message="track music.wav has no license", evidence=Evidence(visual_element="music.wav",
                                                                            field="asset_licenses"))
    verdict = _verdict(plan, [f])
    card = scorecard(verdict, DEFAULT_THRESHOLDS, directives=Reflector().reflect(plan, verdict))
    assert card.findings[0].way_forward.startswith("needs a person")
