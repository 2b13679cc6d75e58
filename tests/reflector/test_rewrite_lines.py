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
