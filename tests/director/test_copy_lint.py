"""Copy lint: the broken lines seen in rendered ads are caught; lines a marketer would ship pass."""

from __future__ import annotations

import pytest

from nextads_studio.director.copy.lint import CopyLine, lint, lint_plan, plan_lines
from nextads_studio.schemas.product import Product


@pytest.fixture(scope="module")
def shoe() -> Product:
    return Product(product_id="strider-trail", name="Strider Trail 2", brand="Vantage", category="retail",
                   selling_points=["5 mm lugs for mud and rock", "Rock plate protects the foot"],
                   facts={"price": "$145", "weight": "290 g"}, images=["x.jpg"])


def rules(text, product=None, kind="narration", language="en"):
    return {(f.rule, f.severity) for f in lint([CopyLine(1, kind, text, 2.0, 5.0)], product=product,
                                               language=language)}


@pytest.mark.parametrize("text", ["Your the outdoors days just got an upgrade.", "Every the outdoors moment counts."])
def test_determiner_before_a_filled_phrase_is_major(text):
    assert ("determiner_stack", "major") in rules(text)


@pytest.mark.parametrize("text", ["Aggressive 5 mm lugs for mud and", "Ships with two 2.",
                                  "0Ah batteries and a charger.", "Rock plate protects the", "Cushioned for ultra,"])
def test_cut_claims_are_major_fragments(text, shoe):
    assert ("fragment", "major") in rules(text, shoe)


def test_cut_product_name_is_a_fragment(shoe):
    assert ("fragment", "major") in rules("This is what fitness looks like with Strider", shoe)
    assert not rules("This is what trail days look like with Strider Trail 2.", shoe)


def test_slot_grammar_agreement_and_stacking():
    assert ("agreement", "major") in rules("This is what movie nights looks like.")
    assert ("stacked_nouns", "major") in rules("It starts with your home life days.")


def test_mixed_language_superlative_and_repeated_name(shoe):
    assert ("mixed_language", "major") in rules("What if your 旅行·建筑 had Strider Trail 2?", shoe)
    assert ("mixed_language", "major") in rules("Built for the long run.", shoe, language="zh")
    assert ("superlative", "major") in rules("The best trail shoe ever.", shoe)
    assert ("redundant_brand", "major") in rules("What if your strider trail 2 had Strider Trail 2?", shoe)


def test_a_superlative_the_record_makes_itself_is_allowed(shoe):
    record = shoe.model_copy(update={"slogan": "The lightest trail shoe we make."})
    assert ("superlative", "major") in rules("The lightest trail shoe.", shoe)
    assert not any(r == "superlative" for r, _ in rules("The lightest trail shoe.", record))


@pytest.mark.parametrize("text", ["You know that moment.", "Not anymore", "Some days, it just takes too long.",
                                  "This changes your everyday."])
def test_filler_only_lines(text):
    assert ("filler", "minor") in rules(text)


@pytest.mark.parametrize("text", ["Love trail running? Watch this.", "Aggressive 5 mm lugs grip mud and loose rock.",
                                  "Your Sunday long run, sorted.", "Strider Trail 2 weighs just 290 g.",
                                  "Made for people who live for the outdoors.", "Water resistant to IP68."])
def test_lines_a_marketer_would_ship_pass(text, shoe):
    assert not rules(text, shoe)


def test_chinese_lines():
    assert ("fragment", "major") in rules("两块电池和", language="zh")
    assert ("superlative", "major") in rules("史上最好的跑鞋。", language="zh")
    assert not rules("周日长跑，脚下更稳。", language="zh")


def test_duplicates_brand_count_and_captions(shoe):
    lines = [CopyLine(0, "hook", "Trail days start here.", 0, 2),
             CopyLine(1, "narration", "Strider Trail 2 grips wet rock.", 2, 5),
             CopyLine(2, "narration", "Strider Trail 2 grips wet rock.", 5, 7),
             CopyLine(3, "narration", "Strider Trail 2 dries fast.", 7, 9),
             CopyLine(4, "narration", "Get Strider Trail 2 today.", 9, 11),
             CopyLine(1, "caption", "Strider Trail 2 grips wet rock.", 2, 5),
             CopyLine(3, "caption", "Half price this weekend only.", 7, 9)]
    found = {(f.rule, f.scene) for f in lint(lines, product=shoe, language="en")}
    assert ("duplicate", 2) in found and ("duplicate", 1) not in found
    assert ("redundant_brand", 3) in found
    assert ("caption_mismatch", 3) in found and ("caption_mismatch", 1) not in found


def test_findings_carry_scene_time_and_text():
    (f,) = [f for f in lint([CopyLine(3, "on_screen", "Your the run", 6.0, 8.5)], language="en")
            if f.rule == "determiner_stack"]
    assert (f.scene, f.kind, f.start, f.end, f.text) == (3, "on_screen", 6.0, 8.5, "Your the run")
    assert "determiners" in f.message


def test_plan_lines_cover_hook_narration_and_cta(director, audience, library, plan_dir):
    plan = director.plan(audience["u_maya"], library.get("strider-trail"), out_dir=plan_dir / "lint-lines")
    lines = plan_lines(plan)
    kinds = {ln.kind for ln in lines}
    assert {"hook", "cta"} <= kinds
    assert sum(ln.kind == "hook" for ln in lines) == 1
    assert isinstance(lint_plan(plan), list)


def test_a_price_ending_a_sentence_is_not_a_cut_number_but_a_split_decimal_is():
    assert not lint([CopyLine(0, "narration", "Just $249.")], language="en")
    assert not lint([CopyLine(0, "narration", "It costs $1,299.")], language="en")
    assert any(f.rule == "fragment" for f in lint([CopyLine(0, "narration", "Ships with two 2.")], language="en"))
