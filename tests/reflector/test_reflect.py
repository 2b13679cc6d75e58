"""Findings and feedback become minimal directives whose application changes only the targeted scenes."""

from __future__ import annotations

from nextads_studio import schemas as s
from nextads_studio.reflector import Reflector, apply, apply_all, changed_paths, changed_scenes, plan_diff
from nextads_studio.reflector.rewrite import is_safe, safe_lines

from .conftest import plant, verdict_with

HEALTH = "Brewline One lowers your blood pressure."


def _health_finding(index: int, start: float, end: float) -> s.Finding:
    return s.Finding(category="safety", severity="major", code="safety.health_claim",
                     message="health claim not backed by the product facts",
                     evidence=s.Evidence(scene_index=index, start=start, end=end, text="lowers your blood pressure",
                                         field=f"storyboard.scenes[{index}].narration"))


def test_planted_health_claim_is_removed_by_one_directive_touching_only_that_scene(plan):
    bad = plant(plan, 3, narration=HEALTH)
    verdict = verdict_with(bad, _health_finding(3, 9.0, 12.0))
    directives = Reflector().reflect(bad, verdict)
    assert len(directives) == 1
    d = directives[0]
    assert d.kind == "rewrite_scene" and d.scenes == [3] and d.cause == "claim"
    assert d.target_stage == "director" and d.finding_code == "safety.health_claim"
    new = apply(bad, d)
    assert new.version == bad.version + 1 and new.parent_version == bad.version
    assert "blood pressure" not in new.scene(3).narration
    # the replacement is a whole sentence taken from the product record (the copy engine's claims)
    assert is_safe(new.scene(3).narration) and new.scene(3).narration in safe_lines(new.product)
    # every changed leaf is in scene 3 (plus the version bookkeeping)
    paths = [p for p in changed_paths(bad, new) if p not in ("version", "parent_version") and
             not p.startswith("notes")]
    assert paths and all(p.startswith("storyboard.scenes[3].") for p in paths), paths
    assert changed_scenes(bad, new) == [3]
    assert "rewrite_scene" in new.notes[-1] and "v2" in new.notes[-1]
    # the input plan is untouched
    assert bad.scene(3).narration == HEALTH and bad.version == 1


def test_the_new_line_comes_from_the_product_facts(plan):
    bad = plant(plan, 3, narration=HEALTH)
    new = apply(bad, Reflector().reflect(bad, verdict_with(bad, _health_finding(3, 9, 12)))[0])
    line = new.scene(3).narration.lower()
    facts = [p.lower() for p in bad.product.selling_points] + [v.lower() for v in bad.product.facts.values()]
    assert any(f.rstrip(".") in line for f in facts) or bad.product.slogan.lower() in line
    assert line not in {sc.narration.lower() for i, sc in enumerate(bad.storyboard.scenes) if i != 3}


def test_competitor_brand_in_caption_and_visual_is_removed_only_there(plan):
    bad = plant(plan, 1, on_screen_text="Better than Nespresso", visual="A Nespresso pod machine on the counter")
    finding = s.Finding(category="licensing", severity="major", code="licensing.other_brand",
                        message="names another brand: Nespresso",
                        evidence=s.Evidence(scene_index=1, start=3, end=6, text="Nespresso"))
    [d] = Reflector().reflect(bad, verdict_with(bad, finding))
    new = apply(bad, d)
    scene = new.scene(1)
    assert "nespresso" not in (scene.on_screen_text + scene.visual + scene.narration).lower()
    assert not scene.on_screen_text.lower().endswith("than")  # no dangling half-phrase left behind
    assert changed_scenes(bad, new) == [1]


def test_brand_cut_from_the_cta_caption_falls_back_to_the_cta(plan):
    bad = plant(plan, 4, on_screen_text="Better than Starbucks")
    finding = s.Finding(category="licensing", severity="major", code="licensing.third_party_brand",
                        message="names another brand", evidence=s.Evidence(
                            scene_index=4, text="Starbucks", field="storyboard.scenes[4].on_screen_text"))
    [d] = Reflector().reflect(bad, verdict_with(bad, finding))
    assert apply(bad, d).scene(4).on_screen_text == "Shop Brewline One"


def _skips(n: int, at: float = 2.8, finishers: int = 0, clicks: int = 0) -> list[s.FeedbackEvent]:
    out = [s.FeedbackEvent(impression_id=f"skip-{i}", watch_time=at, skip_time=at) for i in range(n)]
    return out + [s.FeedbackEvent(impression_id=f"fin-{i}", watch_time=15.0, clicks=int(i < clicks))
                  for i in range(finishers)]


def test_one_early_skip_among_four_impressions_changes_nothing(plan):
    # regression: one skip among four impressions used to rewrite the hook
    events = _skips(1, finishers=3, clicks=1)
    proposal = Reflector().propose(plan, None, events)
    assert proposal.directives == []
    assert "not decided, 4 of the 10 impressions needed" in proposal.decisions[0].reason


def test_early_skip_rewrites_only_the_opening(plan):
    events = _skips(14, finishers=6, clicks=3)
    directives = Reflector().reflect(plan, None, events)
    assert len(directives) == 1
    d = directives[0]
    assert d.kind == "rewrite_hook" and d.source == "feedback" and d.confidence > 0.99
    assert "14/20" in d.reason
    assert d.scenes == [0]  # 15 s / 5 scenes: only scene 0 overlaps [0, 3)
    new = apply(plan, d)
    assert changed_scenes(plan, new) == [0]
    assert new.storyboard.hook != plan.storyboard.hook and new.scene(0).product_focus
    assert plan.product.name in new.scene(0).narration or plan.product.name in new.scene(0).visual
    # nothing else moved: every other scene is byte-identical
    for i in range(1, len(plan.storyboard.scenes)):
        assert new.scene(i) == plan.scene(i)


def test_early_skip_covers_every_scene_that_overlaps_the_first_three_seconds():
    from .conftest import make_plan

    short = make_plan(duration=6.0)  # scenes of 1.2 s: 0, 1, 2 overlap [0, 3)
    [d] = Reflector().reflect(short, None, _skips(12, at=1.0))
    assert d.scenes == [0, 1, 2]
    assert changed_scenes(short, apply(short, d)) == [0, 1, 2]


def test_engaged_impression_needs_no_change_and_accept_gives_nothing(plan):
    clicked = [s.FeedbackEvent(impression_id=f"i{i}", watch_time=2.0, skip_time=2.0, clicks=1) for i in range(20)]
    assert Reflector().reflect(plan, None, clicked) == []
    assert Reflector().reflect(plan, verdict_with(plan, decision="accept")) == []


def test_events_of_another_version_do_not_count(plan):
    other = [e.model_copy(update={"plan_version": 2}) for e in _skips(20)]
    assert Reflector().reflect(plan, None, other) == []
    assert Reflector().reflect(plan, None, [e.model_copy(update={"plan_version": 1}) for e in other]) != []


def test_watched_without_click_sharpens_the_cta_in_the_last_scene(plan):
    [d] = Reflector().reflect(plan, None, _skips(0, finishers=30))
    assert d.cause == "unclear_cta" and d.scenes == [4]
    new = apply(plan, d)
    assert changed_scenes(plan, new) == [4]
    assert "$249" in new.scene(4).narration


def test_sensitive_mention_updates_the_profile_and_rewrites_the_scene(plan):
    bad = plant(plan, 3, narration="Great coffee for your diabetes care routine.")
    finding = s.Finding(category="privacy", severity="critical", code="privacy.sensitive_attribute",
                        message="implies a health condition", evidence=s.Evidence(scene_index=3, text="diabetes"))
    directives = Reflector().reflect(bad, verdict_with(bad, finding, decision="reject"))
    kinds = [d.kind for d in directives]
    assert kinds == ["update_profile", "rewrite_scene"]
    assert directives[0].exclude_themes == ["diabetes care"]
    new = apply_all(bad, directives)
    assert new.version == 2 and len(new.notes) == 2
    assert "diabetes care" in new.profile.excluded_sensitive
    assert all(i.theme != "diabetes care" for i in new.profile.interests)
    assert "diabetes" not in new.scene(3).narration.lower()
    assert changed_scenes(bad, new) == [3]


def test_unlicensed_asset_is_swapped_for_a_licensed_product_image(plan):
    data = plan.model_dump()
    data["grounding"]["scene_assets"][2]["product_image"] = "/uploads/scraped.jpg"
    bad = s.CreativePlan.model_validate(data)
    finding = s.Finding(category="licensing", severity="major", code="licensing.unlicensed_asset",
                        message="no licence record", evidence=s.Evidence(scene_index=2,
                                                                         visual_element="/uploads/scraped.jpg"))
    [d] = Reflector().reflect(bad, verdict_with(bad, finding))
    assert d.kind == "swap_asset" and d.target_stage == "producer" and d.new_path == "/lib/brewline/front.png"
    new = apply(bad, d)
    assert new.grounding.scene_assets[2].product_image == "/lib/brewline/front.png"
    assert new.grounding.asset_licenses["/lib/brewline/front.png"] == "CC0-1.0"
    assert changed_scenes(bad, new) == [2]
    # the scene's storyboard text is untouched: an execution-level fix
    assert new.storyboard == bad.storyboard


def test_poor_personalization_rematches_or_falls_back(plan, embedder):
    v = s.Verdict(plan_id=plan.plan_id, plan_version=1, decision="revise", utility=s.Utility(
        personalization_content=s.JudgeScore(score=2.0, reason="theme not visible")))
    [d] = Reflector(embedder=embedder).reflect(plan, v)
    assert d.kind == "rematch" and d.force_tier in ("medium", "weak")
    new = apply(plan, d)
    assert new.match.chosen_tier == d.force_tier and new.match.chosen_theme != plan.match.chosen_theme
    generic = apply(plan, s.FallbackGeneric(reason="no safe link", cause="matching"))
    assert generic.mode == "generic" and generic.profile is None and generic.match.fallback_generic
    text = " ".join(sc.narration + sc.visual for sc in generic.storyboard.scenes).lower()
    assert "sourdough" not in text and not any(sc.personalization_used for sc in generic.storyboard.scenes)


def test_a_look_that_misses_the_persons_images_does_not_throw_away_copy_that_speaks_to_them(plan, embedder):
    """Presentation low (the frames' palette and light rank low against the person's images) while content
    personalization passes: no re-match to another interest and no generic fallback (a birder's binoculars ad,
    ranked first of 13 people on content, was replaced by a generic ad and accepted). With content low as well,
    the re-match still comes."""
    style = s.JudgeScore(score=2.3, reason="poor: ranks 9 of 13 people by style similarity")
    good = s.Verdict(plan_id=plan.plan_id, plan_version=1, decision="revise", utility=s.Utility(
        personalization_presentation=style, personalization_content=s.JudgeScore(score=7.8, reason="ranks 1 of 13")))
    reflector = Reflector(embedder=embedder)
    assert [d.kind for d in reflector.reflect(plan, good)] == []
    why = reflector.unaddressed(plan, good)  # what the Reflect tab says instead of "no directive applies"
    assert "presentation 2.30" in why and "content 7.80" in why and "collage" in why
    poor = s.Verdict(plan_id=plan.plan_id, plan_version=1, decision="revise", utility=s.Utility(
        personalization_presentation=style, personalization_content=s.JudgeScore(score=2.0, reason="ranks 9")))
    kinds = [d.kind for d in Reflector(embedder=embedder).reflect(plan, poor)]
    assert kinds and set(kinds) <= {"rematch", "fallback_generic"}
    assert reflector.unaddressed(plan, poor) == ""


def test_plan_diff_rows_name_scene_field_before_and_after(plan):
    bad = plant(plan, 3, narration=HEALTH)
    new = apply(bad, Reflector().reflect(bad, verdict_with(bad, _health_finding(3, 9, 12)))[0])
    rows = plan_diff(bad, new)
    narr = [r for r in rows if r["field"] == "narration"]
    assert narr == [{"scene": 3, "start": 9.0, "end": 12.0, "field": "narration", "before": HEALTH,
                     "after": new.scene(3).narration}]
    assert all(r["scene"] == 3 for r in rows)


def test_retime_and_recaption(plan):
    new = apply(plan, s.Retime(boundaries=[0, 2, 6, 9, 12, 15], reason="faster hook", cause="timing_transitions"))
    assert [sc.end for sc in new.storyboard.scenes] == [2, 6, 9, 12, 15]
    cap = apply(plan, s.Recaption(captions={2: "Espresso, 40 seconds"}, reason="long", cause="caption_placement"))
    assert changed_paths(plan, cap) == ["notes", "parent_version", "storyboard.scenes[2].on_screen_text",
                                        "version"]


def test_bad_directive_is_an_input_error(plan):
    import pytest

    from nextads_studio.errors import InputError

    with pytest.raises(InputError, match="scenes 0..4"):
        apply(plan, s.Recaption(captions={9: "x"}, reason="r", cause="caption_placement"))
    with pytest.raises(InputError, match="6 boundaries"):
        apply(plan, s.Retime(boundaries=[0, 15], reason="r", cause="timing_transitions"))


def test_a_caption_on_screen_too_briefly_is_recaptioned_to_read_in_that_time(plan):
    # the Verifier's reading speed (rules.reading_seconds) sizes the Reflector's caption: the old fix cut any
    # too-brief caption to 4 words, whether it was on screen 0.5 s or 1.4 s
    from nextads_studio import rules

    bad = plant(plan, 1, on_screen_text="Instant coffee never matched the bread you bake")
    captions = {}
    for shown in (0.9, 1.6, 3.0):
        finding = s.Finding(category="legibility", severity="major", code="legibility.too_brief",
                            message="caption on screen too briefly",
                            evidence=s.Evidence(scene_index=1, start=3.0, end=3.0 + shown, field="on_screen_text"))
        d = Reflector().reflect(bad, verdict_with(bad, finding))[0]
        assert d.kind == "recaption" and list(d.captions) == [1]
        caption = d.captions[1]
        assert rules.reading_seconds(caption) <= shown, (shown, caption)
        assert caption != bad.scene(1).on_screen_text
        captions[shown] = caption
    # with time enough the scene's own line stays (it was cut to the product name whatever the time)
    assert captions[3.0] == "Instant coffee never matched your bread" and captions[0.9] == "Brewline One"
