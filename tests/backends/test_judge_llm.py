"""LLMJudge: rubric calls with frames as evidence; a failed call is missing, never 0."""

from __future__ import annotations

import json

import pytest

from nextads_studio.backends.google_text import GeminiTextModel
from nextads_studio.backends.judge_llm import LLMJudge
from nextads_studio.backends.llm_director import LLMDirector
from nextads_studio.backends.retry import RetryPolicy
from nextads_studio.schemas.creative import Creative
from tests.backends.test_llm_director import MATCH, PROFILE, VISUAL, storyboard
from tests.fakes import FakeTextModel, ScriptedAPI, gemini_content, google_error, tiny_mp4


@pytest.fixture
def plan_and_creative(history, product, tmp_path):
    plan = LLMDirector(FakeTextModel([PROFILE, MATCH, VISUAL, storyboard()]), data_dir=tmp_path).plan(
        history, product)
    video = tmp_path / "ad.mp4"
    tiny_mp4(video, seconds=3.0)
    creative = Creative(plan_id=plan.plan_id, plan_version=1, video_path=str(video), duration=3.0, width=64,
                        height=112)
    return plan, creative


def test_gemini_judge_scores_each_dimension_and_records_failures(plan_and_creative, history):
    plan, creative = plan_and_creative
    score = json.dumps({"score": 7.5, "reason": "warm yarn colours echo the history"})
    api = ScriptedAPI(gemini_content(score), *[google_error(500, "An internal error has occurred.")] * 2,
                      gemini_content(score))
    model = GeminiTextModel("gemini-2.5-flash", api_key="k", transport=api.transport,
                            policy=RetryPolicy(attempts=2, sleep=lambda s: None))
    context = {"history": history}
    scores = LLMJudge(model, frames=4).score(plan, creative, context)
    assert context["timings"]["judge.llm_calls"] == 3 and context["timings"]["judge.llm_cost_usd"] > 0
    assert scores["personalization_presentation"].score == 7.5
    assert scores["personalization_content"].missing and scores["personalization_content"].score is None
    assert "failed after 2 attempts" in scores["personalization_content"].reason
    assert scores["product_alignment"].score == 7.5
    first = api.bodies()[0]["contents"][0]["parts"]
    assert sum("inline_data" in p for p in first) == 4  # frames as evidence
    assert "Crochet" in first[0]["text"] and "temperature" in api.bodies()[0]["generationConfig"]


def test_judge_on_generic_plan_only_scores_alignment(plan_and_creative):
    plan, creative = plan_and_creative
    generic = plan.model_copy(update={"mode": "generic", "profile": None})
    model = FakeTextModel([{"score": 9, "reason": "the can is clear"}])
    assert set(LLMJudge(model, frames=2).score(generic, creative, {})) == {"product_alignment"}


def test_judge_scores_generic_personalization_against_the_same_person_with_the_transcript(plan_and_creative,
                                                                                           history):
    plan, creative = plan_and_creative
    generic = plan.model_copy(update={"mode": "generic", "profile": None})
    model = FakeTextModel([{"score": 3, "reason": "a plain product ad"}] * 3)
    scores = LLMJudge(model, frames=2).score(generic, creative, {"history": history, "cues": []})
    assert set(scores) == {"personalization_presentation", "personalization_content", "product_alignment"}
    content = next(c["prompt"] for c in model.history if "personalization_content" in c["prompt"])
    assert generic.storyboard.scenes[0].narration in content  # the transcript is evidence
    assert "rather than to anyone's interests" in content  # the offline judge's rubric
    assert all(len(c["images"]) >= 2 for c in model.history)  # sampled frames on every call
