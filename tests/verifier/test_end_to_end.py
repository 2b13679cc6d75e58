"""Planted violations in rendered creatives are found with the right category, scene and time; a clean one passes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from nextads_studio import media_io
from nextads_studio.atomic import sha256_file
from nextads_studio.disclosure import label_box

from .conftest import DURATION, SCENES, make_history, make_plan, product_image, scenes_with

pytestmark = pytest.mark.slow

def test_clean_creative_is_accepted(clean):
    plan, creative, verdict = clean
    assert verdict.decision == "accept", verdict.rationales
    assert verdict.compliance.findings == []
    assert verdict.compliance.ai_label and verdict.compliance.ai_label_metadata
    u = verdict.utility
    assert u.product_alignment.score >= 6 and u.personalization_content.score >= 5
    assert {"decode", "motion_smoothness", "judge.product_alignment", "compliance", "total"} <= set(verdict.timings)


def _only(verdict, code):
    hits = [f for f in verdict.compliance.findings if f.code == code]
    assert hits, (code, [f.code for f in verdict.compliance.findings])
    return hits[0]


@pytest.mark.parametrize("index,change,category,code", [
    (2, {"narration": "Clinically proven to boost immunity on hill runs."}, "safety", "safety.health_claim"),
    (1, {"on_screen_text": "Now just $49"}, "safety", "safety.price_not_in_facts"),
    (3, {"narration": "Lighter than any Nike you own."}, "licensing", "licensing.third_party_brand"),
    (1, {"narration": "Made for runners managing diabetes."}, "privacy", "privacy.sensitive_attribute"),
])
def test_planted_text_violation_is_found_in_its_scene(assets, render, verifier, index, change, category, code):
    plan = make_plan(assets, scenes=scenes_with(index, **change), duration=DURATION)
    creative = render(plan, code.replace(".", "-"))
    verdict = verifier.verify(plan, creative, history=make_history())
    f = _only(verdict, code)
    scene = plan.scene(index)
    assert f.category == category
    assert f.evidence.scene_index == index
    assert (f.evidence.start, f.evidence.end) == (scene.start, scene.end)
    assert verdict.decision in ("revise", "reject")
    assert any(f"scene {index}" in r and code in r for r in verdict.rationales)


def test_sensitive_attribute_of_the_user_rejects(assets, render, verifier):
    plan = make_plan(assets, scenes=scenes_with(1, narration="Made for runners managing diabetes."),
                     duration=DURATION)
    verdict = verifier.verify(plan, render(plan, "sensitive"))
    assert _only(verdict, "privacy.sensitive_attribute").severity == "critical"
    assert verdict.decision == "reject"


def test_unlicensed_asset_is_found_in_its_scene(assets, render, verifier, tmp_path_factory):
    stray = product_image(tmp_path_factory.mktemp("stray") / "downloaded.png", seed=21)
    plan = make_plan(assets, scenes=SCENES, duration=DURATION)
    sas = list(plan.grounding.scene_assets)
    sas[2] = sas[2].model_copy(update={"extra": [str(stray)]})
    plan = plan.model_copy(update={"grounding": plan.grounding.model_copy(update={"scene_assets": sas})})
    verdict = verifier.verify(plan, render(plan, "unlicensed"))
    f = _only(verdict, "licensing.unlicensed_asset")
    assert f.category == "licensing" and f.evidence.scene_index == 2
    assert f.evidence.visual_element == str(stray) and f.evidence.start == plan.scene(2).start
    assert verdict.decision == "revise"


def _reencode(src: str, dst: Path, extra: list[str]) -> Path:
    cmd = [media_io.ffmpeg_exe(), "-y", "-loglevel", "error", "-i", src, *extra, str(dst)]
    subprocess.run(cmd, check=True)
    return dst


def test_missing_label_is_found_from_the_time_it_disappears(clean, verifier, tmp_path):
    plan, creative, _ = clean
    x0, y0, x1, y1 = label_box(creative.width, creative.height)
    box = f"drawbox=x={x0 - 2}:y={y0 - 2}:w={x1 - x0 + 4}:h={y1 - y0 + 4}:color=0x808080:t=fill:enable='gte(t,5)'"
    out = _reencode(creative.video_path, tmp_path / "nolabel.mp4",
                    ["-vf", box, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy"])
    verdict = verifier.verify(plan, creative.model_copy(update={"video_path": str(out), "sha256": sha256_file(out)}))
    f = _only(verdict, "disclosure.label_missing")
    assert f.category == "disclosure" and f.evidence.scene_index == 2
    assert f.evidence.start == pytest.approx(5.0, abs=0.2) and f.evidence.end == pytest.approx(DURATION, abs=0.3)
    assert not verdict.compliance.ai_label and verdict.decision != "accept"


def test_missing_metadata_disclosure_is_found(clean, verifier, tmp_path):
    plan, creative, _ = clean
    out = _reencode(creative.video_path, tmp_path / "nometa.mp4", ["-map_metadata", "-1", "-c", "copy"])
    verdict = verifier.verify(plan, creative.model_copy(update={"video_path": str(out), "sha256": sha256_file(out)}))
    assert _only(verdict, "disclosure.metadata_missing").category == "disclosure"
    assert verdict.compliance.ai_label and not verdict.compliance.ai_label_metadata
