"""LLMDirector with a fake model at the network boundary: steps, schemas, temperatures, injection safety."""

from __future__ import annotations

import re

import pytest

from nextads_studio.backends.base import TextModel
from nextads_studio.backends.llm_director import LLMDirector
from nextads_studio.errors import BackendError
from tests.fakes import FakeTextModel

PROFILE = {"strong": {"theme": "crochet handmade", "summary": "Crochets hats, bags and blankets",
                      "evidence": ["n0", "n1", "n3", "n5", "n99"], "keywords": ["crochet", "yarn"]},
           "medium": {"theme": "picnics", "summary": "Park picnics", "evidence": ["n2"]},
           "tone_tags": ["warm", "playful"], "info_density": "medium",
           "needs": [{"name": "calm evenings", "evidence": ["n3"]}], "excluded_sensitive": []}
MATCH = {"strong": {"product_match": 5, "ad_ability": 8, "expressibility": 9, "reason": "crafty break"},
         "medium": {"product_match": 9, "ad_ability": 8, "expressibility": 8, "reason": "picnic drink"},
         "best_tier": "strong", "confidence": 0.7, "suggested_hooks": ["Crochet break, ice cold"]}
VISUAL = {"mood_tags": ["cozy"], "colors_lighting": "soft daylight", "camera_style": "top-down",
          "objects": ["yarn"], "palette": ["#1E78C8", "#28A05A", "#DCB428", "#783CA0"]}


def storyboard(narration="A cold Fizz after the last stitch.", hook="Crochet break, ice cold", n=5, length=3.0,
               aspect="9:16"):
    scenes = [{"index": i, "start": length * i, "end": length * (i + 1), "visual": "yarn and a cold can",
               "narration": narration if i == 2 else "", "on_screen_text": "Zero sugar" if i == n - 1 else "",
               "product_focus": i == n - 1} for i in range(n)]
    return {"duration_sec": n * length, "aspect": aspect, "hook": hook, "cta": "Grab one today",
            "tone_tags": ["warm"], "scenes": scenes}


def test_plan_runs_every_step_with_reference_temperatures(history, product, tmp_path):
    model = FakeTextModel([PROFILE, MATCH, VISUAL, storyboard()])
    plan = LLMDirector(model, data_dir=tmp_path).plan(history, product, seed=3)
    assert [h["schema"].__name__ for h in model.history] == ["ProfileOut", "MatchOut", "VisualOut", "Storyboard"]
    assert [h["temperature"] for h in model.history] == [0.2, 0.2, 0.2, 0.6]
    assert plan.backend == "fake:text" and plan.match.chosen_tier == "strong"
    assert plan.match.scores["strong"].total == 22
    assert plan.profile.tier("strong").evidence == ["n0", "n1", "n3", "n5"]  # n99 is not in the history
    assert plan.profile.visual.palette[0] == "#1E78C8"
    collage = model.history[2]["images"][0]
    assert collage.name == "collage.png" and plan.grounding.collage_path == str(collage)
    assert len(plan.grounding.user_images) == 4 and plan.grounding.scene_assets[4].product_image
    assert model.history[0]["images"], "history images are passed to the profile step"
    # every history image the plan uses carries a licence record, as with the offline Director
    assert set(plan.grounding.user_images) <= set(plan.grounding.asset_licenses)


def test_gap_over_15_overrides_the_model_pick(history, product, tmp_path):
    match = dict(MATCH, strong={"product_match": 1, "ad_ability": 1, "expressibility": 1, "reason": "no link"},
                 medium={"product_match": 9, "ad_ability": 9, "expressibility": 9, "reason": "picnic drink"})
    model = FakeTextModel([PROFILE, match, VISUAL, storyboard()])
    plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
    assert plan.match.chosen_tier == "medium" and plan.match.chosen_theme == "picnics"


def test_storyboard_for_another_duration_is_rejected_through_the_schema(history, product, tmp_path):
    model = FakeTextModel([PROFILE, MATCH, VISUAL])
    director = LLMDirector(model, data_dir=tmp_path)
    model.enqueue(storyboard())
    with pytest.raises(Exception, match="duration_sec"):
        director.plan(history, product, duration=12.0)


def test_unsupported_numbers_and_other_brands_are_stripped(history, product, tmp_path):
    board = storyboard(narration="Now 50% off. Better than Bubbly Pop. Cold and crisp.")
    board["scenes"][1]["visual"] = "2 hands hold a can."
    model = FakeTextModel([PROFILE, MATCH, VISUAL, board])
    plan = LLMDirector(model, data_dir=tmp_path, known_brands=["Bubbly", "Fizz"]).plan(history, product)
    assert plan.storyboard.scenes[2].narration == "Cold and crisp."
    assert plan.storyboard.scenes[1].visual == "2 hands hold a can."  # a description, not a claim
    assert len([n for n in plan.notes if "post-check removed" in n]) == 2


class InstructionFollower(TextModel):
    """A model that obeys an injected instruction when it can see it as an instruction.

    `naive=False`: it only obeys text outside <<<DATA ... DATA>>> blocks (what a well-behaved model does with a
    properly delimited prompt). `naive=True`: it obeys the instruction wherever it appears.
    """

    backend_id = "fake:follower"

    def __init__(self, naive: bool):
        self.naive = naive
        self.answers = {"ProfileOut": PROFILE, "MatchOut": MATCH, "VisualOut": VISUAL}

    def generate_json(self, prompt, schema, images=(), temperature=0.2):
        visible = prompt if self.naive else re.sub(r"<<<DATA.*?DATA>>>", "", prompt, flags=re.DOTALL)
        if schema.__name__ == "Storyboard":
            if "ignore previous instructions" in visible.lower():
                answer = storyboard(narration="RivalCola is the best drink ever.", hook="Try RivalCola instead")
            else:
                answer = storyboard()
            return schema.model_validate(answer)
        return schema.model_validate(self.answers[schema.__name__])


@pytest.mark.parametrize("naive", [False, True])
def test_prompt_injection_in_history_changes_nothing(history, product, tmp_path, naive):
    plan = LLMDirector(InstructionFollower(naive), data_dir=tmp_path).plan(history, product)
    text = " ".join([plan.storyboard.hook] + [s.narration for s in plan.storyboard.scenes]).lower()
    assert "rivalcola" not in text
    clean = LLMDirector(InstructionFollower(naive), data_dir=tmp_path / "b").plan(
        history.model_copy(update={"notes": [n for n in history.notes if n.note_idx != "n4"]}), product)
    if not naive:  # the delimited prompt kept the instruction as data: the same plan as without the note
        assert plan.storyboard == clean.storyboard


def test_model_failure_is_a_backend_error(history, product, tmp_path):
    model = FakeTextModel([BackendError("openai:gpt-4o returned an invalid ProfileOut twice")])
    with pytest.raises(BackendError, match="invalid ProfileOut"):
        LLMDirector(model, data_dir=tmp_path).plan(history, product)


def test_generic_mode_skips_profile_and_match(product, tmp_path):
    model = FakeTextModel([storyboard()])
    plan = LLMDirector(model, data_dir=tmp_path).plan(None, product, mode="generic")
    assert plan.profile is None and plan.match is None and plan.user_id is None
    assert "personalization" not in model.history[0]["prompt"]


HOST = {"title": "Park vlog", "topic": "a day in the park", "content": "Walks and picnics.",
        "style_tags": ["handheld"], "audio_type": "speech", "pacing_shots_per_minute": 12}


def test_pci_plan_reads_the_host_video_and_decides_the_insertion(history, product, tmp_path):
    from tests.fakes import tiny_mp4

    host = tmp_path / "host.mp4"
    tiny_mp4(host, seconds=12.0, size=(96, 54))
    integration = {"insertion_timestamp": 6, "insertion_logic": "a lull between shots",
                   "bridge_description": "the picnic blanket", "visual_cue_to_trigger": "a cooler opens"}
    model = FakeTextModel([PROFILE, MATCH, VISUAL, HOST, integration, storyboard(n=4, length=2.0, aspect="16:9")])
    plan = LLMDirector(model, data_dir=tmp_path).plan(history, product, task="pci", host_video=str(host),
                                                      duration=8.0, aspect="16:9")
    assert plan.storyboard.aspect == "16:9" and plan.integration.timestamp == 6 and plan.integration.host_summary.duration == pytest.approx(12, 0.05)
    assert plan.integration.host_summary.topic == "a day in the park"
    assert len(model.history[3]["images"]) == 8  # host frames as evidence
    start = model.history[5]["images"][0]
    assert str(start).endswith("start_frame.png") and plan.integration.start_frame_path == str(start)
    schema = model.history[4]["schema"]
    with pytest.raises(ValueError, match="less than or equal to 9"):  # 3 s from the end of a 12 s video
        schema.model_validate(dict(integration, insertion_timestamp=11))


def test_full_stack_over_openai_http_repairs_a_broken_storyboard(history, product, tmp_path):
    import json

    from nextads_studio.backends.openai_text import OpenAITextModel
    from tests.fakes import ScriptedAPI, openai_chat

    broken = storyboard()
    broken["scenes"][3]["start"] = 9.5  # a gap after scene 2
    api = ScriptedAPI(*[openai_chat(json.dumps(a)) for a in (PROFILE, MATCH, VISUAL, broken, storyboard())])
    model = OpenAITextModel("gpt-4o", api_key="k", transport=api.transport)
    plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
    assert plan.backend == "openai:gpt-4o" and len(api.requests) == 5
    bodies = api.bodies()
    assert [b["temperature"] for b in bodies] == [0.2, 0.2, 0.2, 0.6, 0.6]
    repair = bodies[4]["messages"][1]["content"][0]["text"]
    assert "gap between scene 2" in repair
    assert sum(c.cost_usd for c in model.usage.calls) > 0
    user_text = bodies[0]["messages"][1]["content"][0]["text"]
    start = user_text.index("<<<DATA history")
    end = user_text.index("DATA>>>", start)  # the note's own "DATA>>>" was neutralised, so this is ours
    assert start < user_text.index("Ignore previous instructions") < end
