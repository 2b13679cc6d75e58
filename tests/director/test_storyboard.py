"""Storyboards: timing, hook and CTA, limits, pacing, claims, variety, language, and the Reflector helpers."""

from __future__ import annotations

import pytest

from nextads_studio.director.storyboard import alternative_angle, plan_angle, rewrite_opening, scene_durations
from nextads_studio.errors import InputError
from nextads_studio.schemas.common import CAMERA_MOTIONS, TRANSITIONS, count_words
from nextads_studio.schemas.plan import CreativePlan

CJK = __import__("re").compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("duration", [6, 15, 30])
@pytest.mark.parametrize("aspect", ["9:16", "16:9", "1:1"])
def test_pcg_structure(director, audience, library, plan_dir, duration, aspect):
    product = library.get("strider-trail")
    plan = director.plan(audience["u_maya"], product, duration=duration, aspect=aspect,
                         out_dir=plan_dir / f"maya-{duration}-{aspect.replace(':', 'x')}")
    CreativePlan.model_validate(plan.model_dump(mode="json"))
    board = plan.storyboard
    assert board.duration_sec == duration and board.aspect == aspect
    for s in board.scenes:
        assert 2 <= s.duration <= 3
        assert count_words(s.narration) <= 16 and count_words(s.on_screen_text) <= 8
        assert s.camera_motion in CAMERA_MOTIONS and s.transition in TRANSITIONS
        assert s.visual
    first, last = board.scenes[0], board.scenes[-1]
    assert first.end <= 2 and first.narration == board.hook
    assert last.start >= duration - 2 and last.product_focus and last.on_screen_text == board.cta
    assert product.name in board.cta


def test_claims_come_only_from_product_facts(director, audience, library, plan_dir):
    product = library.get("torquemax-drill")
    plan = director.plan(audience["u_leo"], product, out_dir=plan_dir / "claims")
    claims = [s for s in plan.storyboard.scenes if s.claim_source]
    assert claims
    for s in claims:  # every claim points at its record entry and says nothing that entry does not
        kind, _, key = s.claim_source.partition(".")
        source = (product.facts[key] if kind == "facts" else
                  product.selling_points[int(s.claim_source.split("[")[1].rstrip("]"))])
        words = {w.strip(".,").lower() for w in s.narration.split()} - {"it", "weighs", "just", "a", "battery:"}
        assert words <= {w.strip(".,()").lower() for w in (source + " " + key.replace("_", " ")).split()}, \
            (s.narration, source)
    numbers = {w for s in plan.storyboard.scenes for w in s.narration.split() if any(c.isdigit() for c in w)}
    allowed = list(product.selling_points) + [f"{k}: {v}" for k, v in product.facts.items()]
    source = " ".join(allowed + [product.name, product.slogan])
    assert all(n.strip(".,") in source for n in numbers), numbers


def test_energetic_user_gets_faster_cuts(director, audience, library, plan_dir, profiles):
    assert "energetic" in profiles["u_maya"].style.tone_tags[:2]
    assert profiles["u_leo"].style.tone_tags[0] in ("premium", "calm")
    fast = director.plan(audience["u_maya"], library.get("pulse-watch"), out_dir=plan_dir / "fast")
    slow = director.plan(audience["u_leo"], library.get("torquemax-drill"), out_dir=plan_dir / "slow")
    assert len(fast.storyboard.scenes) > len(slow.storyboard.scenes)
    assert "whip" in {s.transition for s in fast.storyboard.scenes}
    assert scene_durations(15, "fast").count(2) > scene_durations(15, "slow").count(2)


def test_consecutive_plans_vary_hook_and_angle(director, audience, library, plan_dir):
    product = library.get("ridge-roast")
    plans: list = []
    for seed in range(4):
        plans.append(director.plan(audience["u_nora"], product, seed=7 + seed, out_dir=plan_dir / f"seq{seed}",
                                   previous_plans=plans))
    assert len({p.storyboard.hook for p in plans}) == 4
    assert len({plan_angle(p) for p in plans}) == 4
    assert len({p.plan_id for p in plans}) == 4


def test_chinese_user_gets_chinese_captions_and_cta(director, audience, library, plan_dir):
    product = library.get("ferro-skillet")
    plan = director.plan(audience["u_chen"], product, out_dir=plan_dir / "chen")
    board = plan.storyboard
    assert board.language == "zh" and CJK.search(board.cta) and CJK.search(board.hook)
    # Claims stay verbatim (English product facts); every other caption is Chinese.
    claims = list(product.selling_points) + [f"{k}: {v}" for k, v in product.facts.items()]
    framing = [s.on_screen_text for s in board.scenes
               if s.on_screen_text and not any(c.startswith(s.on_screen_text) for c in claims)]
    assert framing and all(CJK.search(t) for t in framing)


def test_same_input_same_plan(director, audience, library, plan_dir):
    a = director.plan(audience["u_sam"], library.get("flickbox"), out_dir=plan_dir / "det")
    b = director.plan(audience["u_sam"], library.get("flickbox"), out_dir=plan_dir / "det")
    assert a == b


def test_rewrite_opening_and_alternative_angle(director, audience, library, plan_dir):
    plan = director.plan(audience["u_maya"], library.get("pulse-watch"), out_dir=plan_dir / "rw")
    hook, patches = rewrite_opening(plan, seed=3)
    assert hook != plan.storyboard.hook and count_words(hook) <= 16
    assert 0 in patches and patches[0].product_focus and patches[0].narration == hook
    assert all(plan.scene(i).start < 3 for i in patches)
    nxt = alternative_angle(plan, [])
    assert nxt != plan_angle(plan)
    assert alternative_angle(plan, [nxt]) not in (nxt, plan_angle(plan))


def test_bad_duration_and_aspect_are_input_errors(director, audience, library, plan_dir):
    with pytest.raises(InputError, match="duration"):
        director.plan(audience["u_maya"], library.get("pulse-watch"), duration=7.5, out_dir=plan_dir / "bad")
    with pytest.raises(InputError, match="aspect"):
        director.plan(audience["u_maya"], library.get("pulse-watch"), aspect="4:3", out_dir=plan_dir / "bad")
