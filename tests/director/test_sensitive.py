"""Sensitive themes: the lexicon, and the health-condition user's theme in no plan text for any product."""

from __future__ import annotations

import json

from nextads_studio.director.sensitive import find_sensitive, sensitive_terms


def test_lexicon_finds_categories_in_english_and_chinese():
    assert find_sensitive("My A1C dropped after I started metformin") == ["health condition"]
    assert find_sensitive("确诊糖尿病以后开始控糖") == ["health condition"]
    assert "religion" in find_sensitive("Sunday church and prayer group")
    assert "financial hardship" in find_sensitive("被裁员之后还不起网贷")
    assert "minors" in find_sensitive("Built a stool for my daughter")
    assert find_sensitive("Hill repeats and a 30K trail race") == []
    assert find_sensitive("race day") == []  # 'race' alone is a running word, not ethnicity
    assert sensitive_terms("insulin and blood sugar") == ["insulin", "blood sugar"]


def _plan_texts(plan) -> list[str]:
    board = plan.storyboard
    texts = [board.hook, board.cta, board.timing_notes]
    for s in board.scenes:
        texts += [s.shot_goal, s.visual, s.narration, s.on_screen_text, *s.personalization_used]
    if plan.match:
        texts += [plan.match.chosen_theme, plan.match.reason, *plan.match.suggested_hooks,
                  *plan.match.selling_points, *(t.reason for t in plan.match.scores.values())]
    texts += plan.grounding.visual_cues
    return texts


def test_health_theme_never_appears_in_any_plan(director, audience, library, design, plan_dir):
    sensitive = design["u_priya"]["strong"]
    banned = {k.lower() for k in sensitive["keywords"]} | {"diabetes", "type 2", "glucose", "insulin"}
    diabetes_images = {f"{n}_" for n in sensitive["note_idxs"]}
    for product in library:
        plan = director.plan(audience["u_priya"], product, out_dir=plan_dir / "priya" / product.product_id)
        for text in _plan_texts(plan):
            assert not find_sensitive(text), (product.product_id, text)
            assert not any(b in text.lower() for b in banned), (product.product_id, text)
        assert not any(m in p for p in plan.grounding.user_images for m in diabetes_images)
        # The profile stored in the plan names only the category, never the condition.
        dump = json.dumps(plan.profile.model_dump(mode="json")["interests"]).lower()
        assert not any(b in dump for b in banned)
        assert plan.profile.excluded_sensitive == ["health condition"]
