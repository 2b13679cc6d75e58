"""Matching: compatible tiers, the reference rule, and generic fallback for absurd pairs."""

from __future__ import annotations

import pytest

from nextads_studio.director.matching import choose_tier, match
from nextads_studio.schemas.plan import TierScore


def _score(total_each: float) -> TierScore:
    return TierScore(product_match=total_each, ad_ability=total_each, expressibility=total_each,
                     total=3 * total_each)


@pytest.mark.parametrize("uid,product_id", [
    ("u_leo", "torquemax-drill"), ("u_aisha", "dewlight-serum"), ("u_maya", "strider-trail"),
    ("u_nora", "ridge-roast"), ("u_chen", "ferro-skillet"), ("u_priya", "ferro-skillet"),
])
def test_compatible_pairs_personalize(profiles, library, embedder, uid, product_id):
    result = match(profiles[uid], library.get(product_id), embedder)
    assert not result.fallback_generic, result.reason
    assert result.chosen_tier in ("strong", "medium")
    assert result.chosen_theme == profiles[uid].tier(result.chosen_tier).theme
    assert result.selling_points and set(result.selling_points) <= set(library.get(product_id).selling_points)
    assert result.suggested_hooks
    assert set(result.scores) == {"strong", "medium"} & {i.tier for i in profiles[uid].interests}


@pytest.mark.parametrize("uid,product_id", [("u_leo", "dewlight-serum"), ("u_aisha", "torquemax-drill")])
def test_absurd_pairs_fall_back_to_generic(profiles, library, embedder, uid, product_id):
    result = match(profiles[uid], library.get(product_id), embedder)
    assert result.fallback_generic and result.chosen_tier == "generic"
    assert "no forced personalization" in result.reason
    assert result.scores  # the scores are kept in the plan
    assert all(s.product_match < 3 for s in result.scores.values())


def test_threshold_is_configurable(profiles, library, embedder):
    drill, leo = library.get("torquemax-drill"), profiles["u_leo"]
    assert not match(leo, drill, embedder).fallback_generic
    assert match(leo, drill, embedder, threshold=29.9).fallback_generic


def test_reference_rule():
    assert choose_tier({"strong": _score(1), "medium": _score(7)}) == "medium"       # 3 vs 21: > 15 apart
    assert choose_tier({"strong": _score(9), "medium": _score(2)}) == "strong"
    assert choose_tier({"strong": _score(6), "medium": _score(6)}) == "strong"       # a tie: the personal tier
    # strong cannot carry the product at all (below the gate) but medium can: medium.
    assert choose_tier({"strong": _score(1.5), "medium": _score(6)}) == "medium"


def test_kfc_case_the_second_interest_wins_when_it_fits_the_product_better():
    """The paper's case study: within the margin, user-product compatibility beats the top interest."""
    strong = TierScore(product_match=4.0, ad_ability=9.0, expressibility=9.0, total=22.0)   # winter outfits
    medium = TierScore(product_match=8.0, ad_ability=6.0, expressibility=5.0, total=19.0)   # solo living
    assert choose_tier({"strong": strong, "medium": medium}) == "medium"
    assert choose_tier({"strong": medium, "medium": strong}) == "strong"


def test_real_pair_picks_the_better_fitting_tier_and_says_why(profiles, library, embedder):
    result = match(profiles["u_aisha"], library.get("pulse-watch"), embedder)
    s, m = result.scores["strong"], result.scores["medium"]
    assert abs(s.total - m.total) <= 15 and m.product_match > s.product_match
    assert result.chosen_tier == "medium" and "yoga" in result.chosen_theme
    assert "better product fit" in result.reason


def test_fallback_reason_agrees_with_its_numbers(profiles, library, embedder):
    result = match(profiles["u_leo"], library.get("dewlight-serum"), embedder)
    assert result.fallback_generic
    for score in result.scores.values():
        if score.total >= 12:
            assert f"{score.total:.1f}/30 is below" not in result.reason
    assert "below the minimum" in result.reason or "below the threshold" in result.reason


def test_scores_have_reasons_and_sum(profiles, library, embedder):
    result = match(profiles["u_maya"], library.get("ridge-roast"), embedder)
    for s in result.scores.values():
        assert s.reason and abs(s.total - (s.product_match + s.ad_ability + s.expressibility)) < 0.01
    assert result.chosen_tier == "medium" and "coffee" in " ".join(profiles["u_maya"].tier("medium").keywords)
