"""The contracts catch real mistakes and round-trip through JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from nextads_studio import schemas as s


def _product() -> s.Product:
    return s.Product(product_id="aurora-x", name="Aurora X", brand="Lumen", category="electronics",
                     images=["/tmp/a.png"], brand_colors=["#112233"])


def _scenes(bounds: list[float]) -> list[dict]:
    return [{"index": i, "start": a, "end": b, "narration": "hello there", "camera_motion": "push_in"}
            for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


def _plan(**over) -> s.CreativePlan:
    data = {"plan_id": "p1", "product": _product(),
            "storyboard": {"duration_sec": 6, "scenes": _scenes([0, 2, 4, 6])}}
    data.update(over)
    return s.CreativePlan.model_validate(data)


def test_plan_round_trips_through_json():
    plan = _plan()
    again = s.CreativePlan.model_validate_json(plan.model_dump_json())
    assert again == plan
    assert again.content_hash() == plan.content_hash()


def test_content_hash_ignores_version_but_not_content():
    plan = _plan()
    bumped = plan.model_copy(update={"version": 2, "parent_version": 1})
    assert bumped.content_hash() == plan.content_hash()
    edited = _plan(seed=99)
    assert edited.content_hash() != plan.content_hash()


@pytest.mark.parametrize("bounds, message", [
    ([0, 2, 3.5, 6], None),
    ([0, 2, 4, 5], "last scene ends"),
    ([1, 2, 4, 6], "must start at 0"),
])
def test_storyboard_scenes_must_tile_the_duration(bounds, message):
    board = {"duration_sec": 6, "scenes": _scenes(bounds)}
    if message is None:
        s.Storyboard.model_validate(board)
    else:
        with pytest.raises(ValidationError, match=message):
            s.Storyboard.model_validate(board)


def test_overlap_and_gap_are_named():
    scenes = _scenes([0, 2, 4, 6])
    scenes[1]["start"] = 1.5
    with pytest.raises(ValidationError, match="overlapping scene 0"):
        s.Storyboard.model_validate({"duration_sec": 6, "scenes": scenes})
    scenes[1]["start"] = 2.5
    with pytest.raises(ValidationError, match="gap between scene 0"):
        s.Storyboard.model_validate({"duration_sec": 6, "scenes": scenes})


def test_bad_colour_tier_motion_and_ranges_are_rejected():
    with pytest.raises(ValidationError, match="hex colour"):
        s.VisualTaste(palette=["#112233", "#445566", "red", "#000000"])
    assert s.VisualTaste(palette=["#aabbcc"] * 4).palette[0] == "#AABBCC"
    with pytest.raises(ValidationError):
        s.Interest(tier="superstrong", theme="x")
    with pytest.raises(ValidationError):
        s.Scene(index=0, start=0, end=2, camera_motion="barrel_roll")
    with pytest.raises(ValidationError):
        s.TierScore(product_match=11, ad_ability=5, expressibility=5, total=21)
    with pytest.raises(ValidationError, match="not the sum"):
        s.TierScore(product_match=5, ad_ability=5, expressibility=5, total=20)
    with pytest.raises(ValidationError):
        s.Utility(motion_smoothness=1.2)


def test_word_limits_count_cjk_and_latin():
    assert s.count_words("Fresh coffee, every morning") == 4
    assert s.count_words("每天早上一杯咖啡") == 4
    with pytest.raises(ValidationError, match="at most 8"):
        s.Scene(index=0, start=0, end=2, on_screen_text="one two three four five six seven eight nine")
    s.Scene(index=0, start=0, end=2, on_screen_text="早安咖啡 ☕ 20% off \"today\"")


def test_judge_score_missing_is_not_zero():
    assert s.JudgeScore(missing=True, reason="judge timed out").score is None
    with pytest.raises(ValidationError):
        s.JudgeScore(missing=True, score=0)
    with pytest.raises(ValidationError):
        s.JudgeScore(reason="no score")


def test_directive_union_round_trips():
    d = s.DirectiveAdapter.validate_python({
        "kind": "rewrite_scene", "scenes": [2], "reason": "health claim", "cause": "claim",
        "patches": {"2": {"narration": "Feel fresh all day"}},
    })
    assert isinstance(d, s.RewriteScene) and d.target_stage == "director"
    again = s.DirectiveAdapter.validate_json(s.DirectiveAdapter.dump_json(d))
    assert again == d
    with pytest.raises(ValidationError):
        s.DirectiveAdapter.validate_python({"kind": "teleport", "reason": "x", "cause": "claim"})


def test_plan_rules_for_pci_and_generic():
    with pytest.raises(ValidationError, match="PCI plan needs an integration"):
        _plan(task="pci")
    profile = s.UserProfile(user_id="u1")
    with pytest.raises(ValidationError, match="GenericAds plan carries no user profile"):
        _plan(mode="generic", profile=profile)
    with pytest.raises(ValidationError, match="at least 3s"):
        s.Integration(host_video_path="h.mp4", timestamp=2, host_summary=s.HostSummary(duration=20))


def test_extra_fields_are_mistakes():
    with pytest.raises(ValidationError, match="Extra inputs"):
        s.Scene(index=0, start=0, end=2, narattion="typo")


@pytest.mark.parametrize("name", ["plan", "verdict", "directive"])
def test_schema_command_prints_json_schema(name):
    out = subprocess.run([sys.executable, "-m", "nextads_studio", "schema", name],
                         capture_output=True, text=True, check=True).stdout
    schema = json.loads(out)
    assert schema.get("properties") or schema.get("oneOf") or schema.get("discriminator")
