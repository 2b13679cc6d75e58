"""The copy engine through the Director: lint-clean plans, Chinese throughout, rotation, timing, rewrites."""

from __future__ import annotations

import re

import pytest

from nextads_studio.director.copy import engine, timing
from nextads_studio.director.copy.lint import CopyLine, lint, lint_plan
from nextads_studio.director.storyboard import context_from_plan, copy_context_of, plan_angle

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("uid,pid,mode,duration,aspect", [
    ("u_maya", "strider-trail", "nextads", 6, "9:16"), ("u_leo", "torquemax-drill", "nextads", 30, "16:9"),
    ("u_sam", "flickbox", "nextads", 15, "1:1"), ("u_aisha", "pulse-watch", "generic", 15, "9:16"),
    ("u_chen", "ferro-skillet", "nextads", 30, "9:16"), ("u_nora", "zipride", "nextads", 15, "16:9"),
])
def test_plans_pass_lint_and_every_line_fits_its_scene(director, audience, library, plan_dir, uid, pid, mode,
                                                       duration, aspect):
    plan = director.plan(audience[uid], library.get(pid), mode=mode, duration=duration, aspect=aspect,
                         out_dir=plan_dir / f"engine-{uid}-{pid}-{duration}")
    assert lint_plan(plan) == []
    lang = plan.storyboard.language
    for s in plan.storyboard.scenes:
        if s.narration:
            assert s.narration[-1] in ".!?。！？", s.narration  # a complete sentence
            assert timing.fits(s.narration, s.duration, lang), (s.narration, s.duration)
    assert plan.storyboard.hook and plan.product.name in plan.storyboard.cta


def test_chinese_person_hears_chinese_throughout(director, audience, library, plan_dir):
    for pid in ("ferro-skillet", "strider-trail", "sonique-air"):
        plan = director.plan(audience["u_chen"], library.get(pid), out_dir=plan_dir / f"zh-{pid}")
        spoken = [s.narration for s in plan.storyboard.scenes if s.narration]
        assert plan.storyboard.language == "zh" and spoken
        for line in spoken:
            latin = re.sub(re.escape(plan.product.name), "", line)
            assert CJK.search(line) and not re.search(r"[A-Za-z]{3,}", latin), line
        assert CJK.search(plan.storyboard.cta)


def test_three_consecutive_plans_use_three_frameworks_and_hooks(director, audience, library, plan_dir):
    previous: list = []
    for k in range(3):
        previous.append(director.plan(audience["u_maya"], library.get("ridge-roast"), out_dir=plan_dir / f"rot{k}",
                                      previous_plans=previous))
    assert len({plan_angle(p) for p in previous}) == 3
    assert len({p.storyboard.hook for p in previous}) == 3


def test_personal_copy_uses_lexicon_forms_not_theme_names(director, audience, library, plan_dir):
    plan = director.plan(audience["u_leo"], library.get("torquemax-drill"), out_dir=plan_dir / "forms")
    text = " ".join(s.narration + " " + s.on_screen_text for s in plan.storyboard.scenes)
    assert "walnut & table" not in text and "&" not in text
    assert any(s.personalization_used for s in plan.storyboard.scenes)


def test_reflector_and_evolution_entry_points_write_clean_lines(director, audience, library, plan_dir):
    plan = director.plan(audience["u_maya"], library.get("strider-trail"), out_dir=plan_dir / "entry")
    ctx = copy_context_of(context_from_plan(plan))
    lines = [t for s in plan.storyboard.scenes for t in (s.narration, s.on_screen_text) if t]
    narration, on_screen = engine.rewrite_line(ctx, "payoff", 3.0, ad_lines=lines, seed=4)
    assert narration and narration not in lines
    got = engine.variant_lines(ctx, hook_style="question", facet="weight", seed=2)
    assert got["hook"] and got["facet"]
    for text in (narration, got["hook"], got["facet"]):
        assert not lint([CopyLine(1, "narration", text)], product=plan.product, language="en"), text
