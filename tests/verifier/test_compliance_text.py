"""Compliance on plan text: each planted violation is found with its category, scene, time and text."""

from __future__ import annotations

import pytest

from nextads_studio.verifier import compliance

from .conftest import make_plan


def _with_narration(assets, index: int, text: str):
    plan = make_plan(assets)
    scenes = [s.model_dump() for s in plan.storyboard.scenes]
    scenes[index]["narration"] = text
    for s in scenes:
        s.pop("index"), s.pop("start"), s.pop("end")
    return make_plan(assets, scenes=scenes)


def test_clean_plan_has_no_text_findings(plan, history):
    assert compliance.check_text(plan, history=history) == []


@pytest.mark.parametrize("index,text,category,code", [
    (2, "It cures arthritis on every run.", "safety", "safety.disease_claim"),
    (1, "Clinically proven to boost immunity.", "safety", "safety.health_claim"),
    (3, "Now only $49 for you.", "safety", "safety.price_not_in_facts"),
    (3, "Lasts 900 km, guaranteed.", "safety", "safety.number_not_in_facts"),
    (2, "Lighter than any Nike you own.", "licensing", "licensing.third_party_brand"),
    (2, "Worn by Taylor Swift on tour.", "licensing", "licensing.public_figure"),
    (1, "Great for runs despite your diabetes.", "privacy", "privacy.sensitive_attribute"),
    (1, "Message us at @stride_fans today.", "privacy", "privacy.personal_data"),
    (1, "Run the ridge again with Marta.", "privacy", "privacy.history_personal_data"),
    (3, "Girls can't keep this pace.", "fairness", "fairness.stereotype"),
    (3, "Not for old people, only for young people.", "fairness", "fairness.exclusionary"),
    (0, "Only 2 left, last chance!", "safety", "safety.deceptive_urgency"),
])
def test_planted_violation_is_localized(assets, history, index, text, category, code):
    plan = _with_narration(assets, index, text)
    findings = compliance.check_text(plan, history=history)
    hits = [f for f in findings if f.code == code]
    assert hits, [f.code for f in findings]
    f = hits[0]
    assert f.category == category
    assert f.evidence.scene_index == index
    assert f.evidence.start == plan.scene(index).start and f.evidence.end == plan.scene(index).end
    assert f.evidence.field == f"storyboard.scenes[{index}].narration"
    assert f.evidence.text and f.evidence.text.lower() in text.lower()


def test_users_own_sensitive_attribute_is_critical(assets):
    plan = _with_narration(assets, 1, "Made for runners with diabetes.")
    f = next(f for f in compliance.check_text(plan) if f.code == "privacy.sensitive_attribute")
    assert f.severity == "critical"


def test_chinese_health_claim_is_found(assets):
    plan = _with_narration(assets, 2, "穿上它就能减肥")
    assert any(f.code == "safety.health_claim" and f.evidence.scene_index == 2 for f in compliance.check_text(plan))


def test_unlicensed_asset_is_found_in_its_scene(assets, tmp_path):
    plan = make_plan(assets)
    stray = str(tmp_path / "found_online.jpg")
    sa = plan.grounding.scene_assets[3].model_copy(update={"extra": [stray]})
    grounding = plan.grounding.model_copy(update={"scene_assets": [*plan.grounding.scene_assets[:3], sa,
                                                                   *plan.grounding.scene_assets[4:]]})
    plan = plan.model_copy(update={"grounding": grounding})
    hits = [f for f in compliance.check_text(plan) if f.code == "licensing.unlicensed_asset"]
    assert len(hits) == 1
    assert hits[0].evidence.scene_index == 3 and hits[0].evidence.visual_element == stray
    assert hits[0].evidence.start == plan.scene(3).start


def test_srt_cues_are_located_by_time(assets, tmp_path):
    srt = tmp_path / "c.srt"
    srt.write_text("1\n00:00:09,100 --> 00:00:11,900\nThe best in the world\n", encoding="utf-8")
    findings = compliance.check_text(make_plan(assets), srt_path=str(srt))
    f = next(f for f in findings if f.code == "safety.superlative")
    assert f.evidence.scene_index == 3 and f.evidence.field == "srt" and f.evidence.start == pytest.approx(9.1)


def test_history_image_in_a_creative_is_critical_unless_licensed_for_reuse(assets, tmp_path):
    import json

    photo = tmp_path / "hist" / "n1.jpg"
    photo.parent.mkdir()
    photo.write_bytes((assets["product"]).read_bytes())
    plan = make_plan(assets)
    plan = plan.model_copy(update={"grounding": plan.grounding.model_copy(update={"user_images": [str(photo)]})})
    used = {str(photo): "CC-BY-4.0 (the person)"}
    hits = [f for f in compliance.check_text(plan, creative_licenses=used) if f.code == "licensing.history_image_shown"]
    assert len(hits) == 1 and hits[0].severity == "critical"
    (photo.parent / "licenses.json").write_text(json.dumps(
        [{"path": "n1.jpg", "license": "CC-BY-4.0", "licensed_for_reuse": True}]))
    assert not [f for f in compliance.check_text(plan, creative_licenses=used)
                if f.code == "licensing.history_image_shown"]


def test_the_products_own_name_is_not_another_brand(assets, history):
    # a pair of binoculars called "Kestrel 8x42" (brand Fieldglass) in a library that also holds the brand Kestrel:
    # its own name was reported as "names another brand" in every scene that said it
    plan = _with_narration(assets, 2, "Kestrel 8x42 is lighter than any Nike you own.")
    plan = plan.model_copy(update={"product": plan.product.model_copy(update={"name": "Kestrel 8x42",
                                                                             "brand": "Fieldglass"})})
    found = [f.evidence.text for f in compliance.check_text(plan, history=history, other_brands=["Kestrel"])
             if f.code == "licensing.third_party_brand"]
    assert found == ["Nike"], found
