"""Attribution: findings, utility and feedback map to plan- or execution-level causes with scenes."""

from __future__ import annotations

import pytest

from nextads_studio import schemas as s
from nextads_studio.reflector import UtilitySignal, attribute
from nextads_studio.reflector.attribution import weak_utility


@pytest.mark.parametrize("category, code, evidence, cause, level", [
    ("safety", "safety.health_claim", {"scene_index": 2, "text": "lowers blood pressure"}, "claim", "plan"),
    ("safety", "safety.price_not_in_facts", {"start": 9.5, "end": 10.0, "text": "$9"}, "claim", "plan"),
    ("privacy", "privacy.sensitive_attribute", {"field": "storyboard.scenes[3].narration", "text": "diabetes"},
     "user_modeling", "plan"),
    ("fairness", "fairness.stereotype", {"scene_index": 1, "text": "for moms"}, "style_tone", "plan"),
    ("licensing", "licensing.third_party_brand", {"scene_index": 2, "text": "Starbucks"}, "claim", "plan"),
    ("licensing", "licensing.unlicensed_asset", {"scene_index": 2, "visual_element": "/x/scraped.jpg"},
     "asset_inconsistency", "execution"),
    ("disclosure", "disclosure.label_missing", {"scene_index": 4, "visual_element": "AI Created label"},
     "rendering", "execution"),
])
def test_findings_map_to_causes_and_scenes(plan, category, code, evidence, cause, level):
    finding = s.Finding(category=category, severity="major", code=code, message="m", evidence=s.Evidence(**evidence))
    [first, *_] = attribute(finding, plan)
    assert (first.cause, first.level) == (cause, level)
    expected = {"scene_index": [evidence.get("scene_index")], "field": [3], "start": [3]}
    key = next(k for k in ("scene_index", "field", "start") if k in evidence)
    assert first.scenes == expected[key]
    assert 0.5 <= first.confidence <= 1.0


def test_sensitive_anchor_also_blames_matching(plan):
    finding = s.Finding(category="privacy", severity="critical", code="privacy.sensitive_attribute", message="m",
                        evidence=s.Evidence(scene_index=0, text="sourdough"))
    assert [a.cause for a in attribute(finding, plan)] == ["user_modeling", "matching"]


@pytest.mark.parametrize("event, cause, scenes", [
    (dict(watch_time=2.8, skip_time=2.8), "weak_hook", [0]),
    (dict(watch_time=7.0, skip_time=7.0), "timing_transitions", [2]),
    (dict(watch_time=15.0), "unclear_cta", [4]),
])
def test_feedback_signals(plan, event, cause, scenes):
    atts = attribute(s.FeedbackEvent(impression_id="i", **event), plan)
    assert atts[0].cause == cause and atts[0].scenes == scenes and atts[0].source == "feedback"


def test_early_skip_confidence_matches_the_reference_demo(plan):
    [att] = attribute(s.FeedbackEvent(impression_id="i", watch_time=2.8, skip_time=2.8), plan)
    assert att.confidence == pytest.approx(0.72) and att.level == "plan"


def test_weak_utility_skips_missing_judgements():
    utility = s.Utility(imaging_quality=0.2, motion_smoothness=0.95,
                        personalization_content=s.JudgeScore(missing=True),
                        product_alignment=s.JudgeScore(score=3.0, reason="logo never visible"))
    signals = weak_utility(utility, {"imaging_quality": 0.3, "motion_smoothness": 0.9,
                                     "personalization_content": 4.0, "product_alignment": 5.0})
    assert [x.name for x in signals] == ["imaging_quality", "product_alignment"]
    [att] = attribute(UtilitySignal("product_alignment", 3.0, "logo never visible"))
    assert att.cause == "unclear_cta" and "logo never visible" in att.reason
