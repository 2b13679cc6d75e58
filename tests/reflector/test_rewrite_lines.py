"""The Reflector's replacement lines come from the copy engine's claims: complete sentences, never cut words."""

from __future__ import annotations

from nextads_studio.director.copy.lint import CopyLine, lint
from nextads_studio.reflector import rewrite
from nextads_studio.schemas.product import Product


def _drill() -> Product:
    return Product(
        product_id="t-drill", name="Torque Mate 18", brand="Benchline", category="retail",
        intro="A compact cordless drill for small home jobs.",
        selling_points=[
            "Ships with two 2.0Ah batteries and a charger so you can keep one on the charger while you work "
            "through a long afternoon of shelves and frames",
            "A 13 mm keyless chuck that takes wood, metal and masonry bits without a key or any fuss",
        ],
        facts={"weight": "1.3 kg"}, images=["/nonexistent/drill.png"],
    )


def test_safe_lines_are_whole_sentences_from_the_record_and_pass_lint():
    product = _drill()
    lines = rewrite.safe_lines(product)
    assert lines, "a record with selling points yields replacement lines"
    for line in lines:
        assert line.endswith((".", "!", "?")), line
        # the old builder cut the first point at 16 words: '... keep one on the charger while' (a fragment)
        assert not lint([CopyLine(1, "narration", line)], product=product, language="en"), line
    assert any("1.3 kg" in line for line in lines)


def test_caption_for_a_claim_line_is_the_same_claims_short_form():
    product = _drill()
    for line in rewrite.safe_lines(product)[:2]:
        caption = rewrite.caption_for(line, product)
        assert caption and len(caption.split()) <= 8
        assert not lint([CopyLine(1, "narration", line), CopyLine(1, "on_screen", caption)], product=product,
                        language="en"), (line, caption)


def _words(scene) -> str:
    return f"{scene.narration} {scene.on_screen_text}".lower()


def test_rematch_rewrites_personal_scenes_through_the_copy_engine():
    """Old: only lines naming the old theme changed ('Hiking, trail moments with Brewline One.'), the rest kept
    the old person's cues and every scene was labelled with the new theme whatever it said."""
    from nextads_studio import schemas as s
    from nextads_studio.director.copy.lint import lint_plan
    from nextads_studio.reflector.directives import apply

    from .conftest import make_plan, make_profile

    profile = make_profile()
    profile.interests[1] = s.Interest(tier="medium", theme="hiking, trail", summary="weekend hikes",
                                      evidence=["n3"], keywords=["hiking", "trail", "tent"], share=0.3)
    plan = make_plan(profile=profile)
    new = apply(plan, s.Rematch(force_tier="medium", reason="fits the product better", cause="matching"))
    assert new.match.chosen_tier == "medium"
    personal = [sc for sc in new.storyboard.scenes if sc.personalization_used]
    assert personal, "the re-matched interest shows in the ad"
    for sc in new.storyboard.scenes:
        assert not any(w in _words(sc) for w in ("sourdough", "bread", "bake")), sc
        for cue in sc.personalization_used:  # a scene lists only the cues its words carry
            assert cue.lower() in _words(sc), (cue, sc)
    assert new.storyboard.hook == new.scene(0).narration
    assert lint_plan(new) == []


def test_fallback_generic_writes_product_lines_with_their_claim_sources():
    from nextads_studio import schemas as s
    from nextads_studio.director.copy.lint import lint_plan
    from nextads_studio.reflector.directives import apply

    from .conftest import make_plan

    plan = make_plan()
    new = apply(plan, s.FallbackGeneric(reason="no safe link", cause="matching"))
    assert not any(sc.personalization_used for sc in new.storyboard.scenes)
    claimed = [sc for sc in new.storyboard.scenes if sc.claim_source]
    assert claimed and all(sc.claim_source.startswith(("selling_points[", "facts.")) for sc in claimed)
    assert lint_plan(new) == []


def test_cta_and_hooks_come_from_the_engine_and_never_speak_an_unknown_brand():
    from .conftest import make_plan, make_product

    product = make_product().model_copy(update={"brand": "unknown"})
    plan = make_plan(product=product)
    narration, caption = rewrite.cta_line(plan)
    assert "unknown" not in f"{narration} {caption}".lower()  # old: "Brewline One by unknown, $249. ..."
    assert "$249" in narration and plan.product.name in caption
    last = plan.storyboard.scenes[-1]
    assert not lint([CopyLine(last.index, "narration", narration), CopyLine(last.index, "cta", caption)],
                    product=product, language="en")
    hooks = rewrite.hook_candidates(plan)
    assert len(hooks) >= 2 and plan.storyboard.hook not in hooks
    first = plan.storyboard.scenes[0]
    from nextads_studio.director.copy import timing

    for hook in hooks:
        assert timing.fits(hook, first.duration, "en"), hook
        assert not lint([CopyLine(0, "hook", hook)], product=product, language="en"), hook
