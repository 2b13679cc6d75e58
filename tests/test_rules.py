"""The shared rules: one set of verdict thresholds, frame sizes, the PCI frame rule, ids and run folders."""

from __future__ import annotations

import subprocess

import pytest
from reflector.conftest import make_plan

from nextads_studio import rules, runs
from nextads_studio.media_io import ffmpeg_exe
from nextads_studio.reflector import Reflector
from nextads_studio.schemas import JudgeScore, Utility, Verdict
from nextads_studio.verifier import Verifier

GOOD = dict(motion_smoothness=0.99, dynamic_degree=1.0, aesthetic_quality=0.5, imaging_quality=0.4,
            personalization_presentation=JudgeScore(score=8, reason="good"),
            personalization_content=JudgeScore(score=8, reason="good"),
            product_alignment=JudgeScore(score=8, reason="good"),
            caption_legibility=JudgeScore(score=8, reason="good"))


def _weak(utility: Utility) -> set[str]:
    plan = make_plan()
    decision, _ = Verifier(judge=None, embedder=None).decide(plan, utility, [])
    verdict = Verdict(plan_id=plan.plan_id, plan_version=plan.version, decision=decision, utility=utility)
    return {a.signal.name for a in Reflector().attribute(plan, verdict) if a.signal is not None}


@pytest.mark.parametrize(("name", "value", "weak"), [
    ("motion_smoothness", 0.87, True),   # the Verifier revises at 0.87; the Reflector used to call it fine (0.85)
    ("imaging_quality", 0.20, False),    # the Verifier accepts 0.20; the Reflector used to call it weak (0.30)
    ("motion_smoothness", 0.95, False),
])
def test_verifier_and_reflector_agree_on_what_is_low(name, value, weak):
    utility = Utility(**{**GOOD, name: value})
    decision, _ = Verifier(judge=None, embedder=None).decide(make_plan(), utility, [])
    assert (decision != "accept") is weak
    assert (name in _weak(utility)) is weak


def test_a_generic_ad_is_not_revised_or_reflected_for_personalization():
    plan = make_plan(mode="generic", user_id=None, profile=None, match=None)
    low = Utility(**{**GOOD, "personalization_content": JudgeScore(score=1, reason="generic")})
    assert Verifier(judge=None, embedder=None).decide(plan, low, [])[0] == "accept"
    assert rules.below(low, rules.ACCEPT_AT, "generic") == []
    assert [n for n, *_ in rules.below(low, rules.ACCEPT_AT, "nextads")] == ["personalization_content"]


def test_score_value_reads_numbers_judgements_and_their_json():
    u = Utility(**{**GOOD, "product_alignment": JudgeScore(missing=True, reason="judge failed")})
    assert rules.score_value(u, "motion_smoothness") == 0.99
    assert rules.score_value(u, "personalization_content") == 8.0
    assert rules.score_value(u, "product_alignment") is None
    assert rules.score_value(u, "context_alignment") is None
    data = u.model_dump(mode="json")
    assert rules.score_value(data, "personalization_content") == 8.0
    assert rules.score_value(data, "product_alignment") is None


@pytest.mark.parametrize(("aspect", "short", "size"), [("9:16", 720, (720, 1280)), ("16:9", 360, (640, 360)),
                                                       ("1:1", 480, (480, 480)), ("9:16", 361, (362, 644))])
def test_frame_size_is_even_with_the_short_side_given(aspect, short, size):
    assert rules.frame_size(aspect, short) == size


def _video(path, w, h):
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"testsrc=size={w}x{h}:rate=10",
                    "-t", "1", "-pix_fmt", "yuv420p", str(path)], check=True)
    return path


def test_a_pci_plan_takes_its_hosts_orientation_and_size(tmp_path):
    wide, tall, four3 = (_video(tmp_path / f"{n}.mp4", w, h) for n, w, h in
                         (("wide", 640, 360), ("tall", 360, 640), ("four3", 320, 240)))
    assert rules.plan_aspect("pci", wide, requested="9:16") == "16:9"
    assert rules.plan_aspect("pci", tall) == "9:16"
    assert rules.plan_aspect("pcg", wide) == rules.DEFAULT_ASPECT
    assert rules.plan_aspect("pcg", None, requested="1:1") == "1:1"
    # the segment is rendered at the host's own size, so a 4:3 host gets a 4:3 segment (no bars in the splice)
    assert rules.render_size("16:9", 720, four3) == (320, 240)
    assert rules.render_size("16:9", 720, None) == (1280, 720)


def test_plan_id_depends_on_the_person_only_for_nextads():
    a = rules.plan_id("u1", "p1", "pcg", "nextads", 7)
    assert a == rules.plan_id("u1", "p1", "pcg", "nextads", 7)
    assert a != rules.plan_id("u2", "p1", "pcg", "nextads", 7)
    assert rules.plan_id("u1", "p1", "pcg", "generic", 7) == rules.plan_id("u2", "p1", "pcg", "generic", 7)


def test_run_folders_are_unique_per_campaign_version_and_attempt(tmp_path):
    first = runs.run_dir(tmp_path, 3, 2, "render")
    second = runs.run_dir(tmp_path, 3, 2, "render")
    other = runs.run_dir(tmp_path, 4, 2, "render")
    assert first != second != other
    assert first.relative_to(tmp_path).parts == ("runs", "c3", "v2", "render-1")
    assert second.name == "render-2" and other.parent.parent.name == "c4"
    assert runs.attempts(tmp_path, 3, 2, "render") == [first, second]
    assert runs.run_dir(tmp_path, None, 1, "plan").parent.parent.name == runs.UNFILED


def test_run_folder_names_from_forms_stay_inside_the_data_dir(tmp_path):
    folder = runs.run_dir(tmp_path, "../../etc", 1, "../x")
    assert tmp_path.resolve() in folder.resolve().parents
    with pytest.raises(ValueError):
        runs.run_dir(tmp_path, 1, -1, "plan")


@pytest.mark.parametrize("severity", ["minor", "major", "critical"])
def test_a_finding_that_stops_an_accept_is_one_the_reflector_must_fix(severity):
    from nextads_studio import schemas as s
    from nextads_studio.reflector.interventions import intervention_for

    plan = make_plan()
    finding = s.Finding(category="legibility", severity=severity, code="legibility.too_brief", message="brief",
                        evidence=s.Evidence(scene_index=1, start=3.0, end=3.4, field="on_screen_text"))
    decision, _ = Verifier(judge=None, embedder=None).decide(plan, Utility(**GOOD), [finding])
    directive = s.Recaption(captions={1: "Coffee worth it"}, scenes=[1], reason="brief", cause="caption_placement",
                            source="verifier", finding_code=finding.code)
    assert (decision != "accept") is intervention_for(directive, plan, severity).mandatory
    assert (decision == "reject") is (severity == "critical")


def test_the_verifier_reads_its_numbers_from_the_shared_rules():
    from nextads_studio.verifier import delivery, product_checks, screen

    assert screen.SCREEN is rules.LEGIBILITY and delivery.DELIVERY is rules.DELIVERY
    assert product_checks.PRODUCT is rules.PRODUCT_CHECKS and screen.reading_seconds is rules.reading_seconds
    assert rules.reading_seconds("Espresso in 40 seconds") == pytest.approx(0.3 + 22 / 20)
