"""The decision rule: accept / revise / reject, with rationales naming scene and cause."""

from __future__ import annotations

from nextads_studio.schemas import Evidence, Finding, JudgeScore, Utility
from nextads_studio.verifier import Verifier

from .conftest import make_plan

GOOD = dict(motion_smoothness=0.99, dynamic_degree=1.0, aesthetic_quality=0.5, imaging_quality=0.4,
            personalization_presentation=JudgeScore(score=8, reason="good"),
            personalization_content=JudgeScore(score=8, reason="good"),
            product_alignment=JudgeScore(score=8, reason="good"))


def _verifier(**thresholds):
    return Verifier(judge=None, embedder=None, thresholds=thresholds)


def _finding(severity, scene=2):
    return Finding(category="safety", severity=severity, code="safety.health_claim", message="makes a health claim",
                   evidence=Evidence(scene_index=scene, start=6.0, end=9.0, text="boost immunity",
                                     field=f"storyboard.scenes[{scene}].narration"))


def test_good_utility_and_no_findings_is_accepted(assets):
    assert _verifier().decide(make_plan(assets), Utility(**GOOD), []) == ("accept", [])


def test_minor_finding_does_not_block(assets):
    assert _verifier().decide(make_plan(assets), Utility(**GOOD), [_finding("minor")])[0] == "accept"


def test_major_finding_revises_with_a_localized_rationale(assets):
    decision, why = _verifier().decide(make_plan(assets), Utility(**GOOD), [_finding("major")])
    assert decision == "revise"
    assert why == ["scene 2 (6.0-9.0s): major safety.health_claim: makes a health claim "
                   "[storyboard.scenes[2].narration]"]


def test_critical_finding_rejects(assets):
    assert _verifier().decide(make_plan(assets), Utility(**GOOD), [_finding("critical")])[0] == "reject"


def test_low_utility_revises_and_very_low_rejects(assets):
    plan = make_plan(assets)
    low = Utility(**{**GOOD, "product_alignment": JudgeScore(score=4, reason="product seen in 0% of scenes")})
    decision, why = _verifier().decide(plan, low, [])
    assert decision == "revise"
    assert why[0].startswith("scenes 1,2,4: utility product_alignment 4.00 below threshold")
    very_low = Utility(**{**GOOD, "product_alignment": JudgeScore(score=1, reason="absent")})
    assert _verifier().decide(plan, very_low, [])[0] == "reject"


def test_thresholds_are_configurable(assets):
    plan = make_plan(assets)
    assert _verifier(personalization_content=9.0).decide(plan, Utility(**GOOD), [])[0] == "revise"


def test_a_missing_required_judgement_is_never_accept(assets):
    plan = make_plan(assets)
    u = Utility(**{**GOOD, "product_alignment": JudgeScore(missing=True, reason="openai-compatible:m failed: HTTP "
                                                                                "500")})
    decision, why = _verifier().decide(plan, u, [])
    assert decision == "revise"
    assert why == ["judge unavailable: product_alignment: openai-compatible:m failed: HTTP 500"]
    optional = Utility(**{**GOOD, "diversity": JudgeScore(missing=True, reason="one video only")})
    assert _verifier().decide(plan, optional, [])[0] == "accept"  # not a required judgement


def test_generic_plans_are_not_held_to_personalization(assets):
    u = Utility(**{**GOOD, "personalization_content": JudgeScore(score=1, reason="generic")})
    assert _verifier().decide(make_plan(assets, mode="generic"), u, [])[0] == "accept"
    assert _verifier().decide(make_plan(assets), u, [])[0] == "revise"


def test_from_studio_treats_other_library_brands_as_third_party(settings):
    from nextads_studio.studio import Studio

    studio = Studio(settings)
    verifier = studio.verifier
    brands = {p.brand for p in studio.library}
    assert brands and brands <= set(verifier.other_brands)
    assert verifier.judge.backend_id == "offline"
