"""The owned theme motifs: which family a person's notes and the product call for, and that each family's drawing
is its own."""

from __future__ import annotations

import itertools

import pytest
from conftest import make_plan

from nextads_studio.producer.motifs import DRAW, FAMILIES, motif_mask, pick_family
from nextads_studio.producer.plan_specs import motif_family
from nextads_studio.schemas.plan import MatchResult
from nextads_studio.schemas.profile import Interest, UserProfile


def test_a_potter_gets_a_pot_not_a_workbench_when_the_apron_mentions_tools(tmp_path):
    """A potter matched on her pottery to an apron whose selling points talk about 'trimming tools': the theme card
    and backdrop show a pot on a wheel. It was a woodworking workbench (no family knew pottery, so the product's
    'tools' decided)."""
    plan = make_plan(tmp_path)
    profile = UserProfile(user_id="u_rhea", interests=[
        Interest(tier="strong", theme="pottery", keywords=["glaze test tiles", "throwing tall cylinders",
                                                           "clay dust everywhere", "trimming foot rings"]),
        Interest(tier="medium", theme="cycling", keywords=["gravel loop", "proper bike fit"])])
    product = plan.product.model_copy(update={
        "name": "Throwline Apron", "subcategory": "apron", "keywords": ["apron", "studio", "canvas"],
        "selling_points": ["Deep pocket for ribs and trimming tools", "Split legs sit comfortably at the wheel",
                           "A tool loop for your needle tool"]})
    match = MatchResult(chosen_tier="strong", chosen_theme="pottery", reason="test")
    assert motif_family(plan.model_copy(update={"profile": profile, "product": product, "match": match})) == "pottery"
    # a matched interest no family knows falls back to the product's field: a pottery apron is pottery too
    product = product.model_copy(update={"subcategory": "pottery apron", "keywords": ["pottery", "ceramics"]})
    unknown = profile.model_copy(update={"interests": [
        profile.interests[0].model_copy(update={"theme": "studio days", "keywords": ["slip", "trimming"]})]})
    match = match.model_copy(update={"chosen_theme": "studio days"})
    assert motif_family(plan.model_copy(update={"profile": unknown, "product": product, "match": match})) == "pottery"


NOTES = {
    "pottery": ("Centred two kilos of stoneware on the wheel, then glaze test tiles for the studio kiln.",
                "周末在陶艺工作室拉坯，第一次给杯子上釉。"),
    "cycling": ("Sunday gravel loop with the club: 60 km on the new bike and a flat tyre at km 40.",
                "周末骑行六十公里，新的公路车终于调好了。"),
    "swimming": ("Swam 2 km in the outdoor pool before work, my breaststroke finally feels smooth.",
                 "早上去游泳馆游了一千米蛙泳。"),
    "climbing": ("Bouldering after work, finally sent the orange overhang problem. Chalk everywhere.",
                 "下班去岩馆抱石，终于完成了那条线。"),
    "art": ("Sunday watercolour session: a quick sketch of the old bridge, then an hour of figure drawing.",
            "今天画了一幅水彩，素描基础还要多练。"),
    "chess": ("Won three blitz chess games at the club with a neat knight fork into checkmate.",
              "周末和朋友下围棋，晚上又去桌游店玩到很晚。"),
    "stars": ("Clear skies at last: saw Saturn's rings through a friend's telescope at the star party.",
              "周末去山顶观星，第一次看到银河。"),
    "birds": ("Counted 14 species at the marsh before the mist lifted, a harrier hunting low.",
              "清晨去湿地观鸟，拍到了一只翠鸟。"),
}


@pytest.mark.parametrize("family", sorted(NOTES))
def test_each_new_family_is_picked_from_a_typical_note_in_english_and_chinese(family):
    english, chinese = NOTES[family]
    assert pick_family([(english, 1.0)]) == family
    assert pick_family([(chinese, 1.0)]) == family


@pytest.mark.parametrize("text, not_family, family", [
    ("Ceramic brake pads and new alloy wheels for your car", "pottery", None),
    ("A rolling suitcase with four spinner wheels for every trip", "pottery", "travel"),
    ("Ceramic non-stick skillet for weeknight dinners", "pottery", "cooking"),
    ("保护牙釉质的美白牙膏，陶瓷涂层电动牙刷", "pottery", None),
    ("State-of-the-art artificial intelligence plans your party, made with artisans", "art", None),
    ("A mechanical keyboard and a controller built for esports", "chess", "gaming"),
    ("Race report: passed five people on the final climb by power hiking", "climbing", None),
    ("Climbed two divisions this week in ranked games", "climbing", "gaming"),
    # old prefix cues: 'tea' read 'teaches', 'app' read 'apple', 'cat' read 'category'
    ("Throwing tall cylinders is humbling. Pottery teaches patience.", "coffee", "pottery"),
    ("Pruning the old apple tree on the allotment. Gardening teaches patience.", "tech", "gardening"),
    ("Best in category for the garden", "pets", "gardening"),
    # 'wood' read a walk in a beech wood, and woodpeckers, as woodworking
    ("12 km loop through the beech wood, woodpeckers drumming everywhere.", "woodworking", "birds"),
])
def test_a_cue_does_not_steal_a_text_that_is_not_its_family(text, not_family, family):
    picked = pick_family([(text, 1.0)], default="none")
    assert picked != not_family
    if family is not None:
        assert picked == family


def test_every_family_has_its_own_drawing():
    """Each family is drawn (not the fallback phone), covers a fair part of its square, and differs from every
    other family's drawing (the masks overlap little: a copy would give IoU 1)."""
    assert set(FAMILIES) == set(DRAW)
    masks = {f: motif_mask(f, 96) > 0.5 for f in FAMILIES}
    for family, m in masks.items():
        assert 0.05 < m.mean() < 0.45, family
    for a, b in itertools.combinations(masks, 2):
        iou = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
        assert iou < 0.6, (a, b, iou)
