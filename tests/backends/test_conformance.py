"""The openai-compatible adapter against the conformance fake of llama-server and llama-cpp-python (real HTTP)."""

from __future__ import annotations

import json
import re

import pytest

from nextads_studio.backends.judge_llm import LLMJudge
from nextads_studio.backends.llm_director import LLMDirector
from nextads_studio.backends.openai_text import OpenAITextModel
from nextads_studio.backends.retry import RetryPolicy
from nextads_studio.errors import BackendError
from nextads_studio.schemas.audience import Note, UserHistory
from tests.backends.test_llm_director import MATCH, PROFILE, VISUAL, storyboard
from tests.llm_servers import NO_MMPROJ, ConformanceServer, answers_by_title, free_port, tiny_mp4_for

SCORE = {"score": 7.0, "reason": "warm yarn colours echo the history"}
BRAIN = answers_by_title({"ProfileOut": PROFILE, "MatchOut": MATCH, "VisualOut": VISUAL,
                          "Storyboard": storyboard(), "ScoreOut": SCORE})


def model_for(server: ConformanceServer, **kw) -> OpenAITextModel:
    policy = RetryPolicy(attempts=3, sleep=lambda s: None, timeout=10)
    return OpenAITextModel(server.model, api_key="none", base_url=kw.pop("base_url", server.base_url),
                           compatible=True, policy=policy, **kw)


@pytest.mark.parametrize("flavor,kw,level", [
    ("llama-server", {}, "json_schema"),
    ("llama-cpp-python", {}, "json_object"),
    ("llama-server", {"formats": ("text",)}, "text"),
])
def test_plan_succeeds_through_each_structured_output_level(flavor, kw, level, history, product, tmp_path):
    with ConformanceServer(flavor, brain=BRAIN, **kw) as server:
        model = model_for(server)
        plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
        assert model.structured_level == level
        assert plan.backend == f"openai-compatible:{server.model}" and len(plan.storyboard.scenes) == 5
        assert plan.profile.tier("strong").theme == "crochet handmade"
        chats = [b for b in server.chats() if b["max_tokens"] > 16]  # the steps, not the probes
        lists = [b for b in chats if any(isinstance(m["content"], list) for m in b["messages"])]
        if flavor == "llama-cpp-python":
            # no /props: the first request tried the history images, the string-only template refused it (500,
            # not retried), and every later request is text only
            assert len(lists) == 1 and chats[0] is lists[0]
            probes = [b for b in server.chats() if b["max_tokens"] == 16]
            assert [p["response_format"]["type"] for p in probes] == ["json_schema", "json_object"]
        else:  # /props said no vision: no image was ever sent, every message is a plain string
            assert lists == []
        steps = [b for b in chats if b not in lists]
        # profile, match, storyboard; the visual-taste step needs images and is skipped (and noted)
        assert len(steps) == 3 and all(b["max_tokens"] >= 400 for b in steps)
        assert any("visual-taste step was skipped" in n for n in plan.notes)
        kinds = {(b.get("response_format") or {}).get("type", "text") for b in steps}
        assert kinds == {level}
        sent = json.dumps(steps)
        assert "$ref" not in sent and "$defs" not in sent  # schemas inlined


def test_llama_cpp_python_images_are_dropped_once_and_remembered(history, product, tmp_path):
    with ConformanceServer("llama-cpp-python", brain=BRAIN) as server:  # no /props: vision unknown at first
        model = model_for(server)
        plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
        rejected = [b for b in server.chats() if any(isinstance(m["content"], list) for m in b["messages"])]
        assert len(rejected) == 1  # one list-form try, then text only
        assert model.sees_images is False
        assert any("takes text only" in n for n in plan.notes) or model.traits.notes


@pytest.mark.parametrize("formats,level", [(None, "json_schema"), (("text", "json_object"), "json_object"),
                                           (("text",), "text")])
def test_vision_server_plans_and_judges_through_each_level(formats, level, history, product, tmp_path):
    with ConformanceServer("llama-server", brain=BRAIN, vision=True, formats=formats) as server:
        model = model_for(server)
        plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
        with_images = [b for b in server.chats() if any(isinstance(m["content"], list) for m in b["messages"])]
        assert with_images, "a vision server is sent images"
        creative = tiny_mp4_for(plan, tmp_path)
        judge_model = model_for(server)
        scores = LLMJudge(judge_model, frames=3).score(plan, creative, {"history": history})
        assert judge_model.structured_level == level
        assert scores["personalization_content"].score == 7.0
        assert scores["product_alignment"].backend == f"openai-compatible:{server.model}"
        last = server.chats()[-1]
        assert (last.get("response_format") or {}).get("type", "text") == level
        assert sum(p.get("type") == "image_url" for p in last["messages"][1]["content"]) == 3  # the ad's frames


def test_no_image_judge_marks_dimensions_missing_without_text_only_guessing(history, product, tmp_path):
    with ConformanceServer("llama-server", brain=BRAIN, vision=False) as server:
        plan = LLMDirector(model_for(server), data_dir=tmp_path).plan(history, product)
        n_before = len(server.chats())
        scores = LLMJudge(model_for(server), frames=3).score(plan, tiny_mp4_for(plan, tmp_path), {})
        assert len(server.chats()) == n_before  # /props said no vision: the judge asked nothing
        assert all(s.missing and "takes no images" in s.reason for s in scores.values())


def test_vision_on_against_a_server_without_mmproj_is_one_clear_error(tmp_path):
    from nextads_studio.backends.judge_llm import ScoreOut

    image = tmp_path / "frame.png"
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(image)
    with ConformanceServer("llama-server", brain=BRAIN, vision=False) as server:
        model = model_for(server, vision="on")
        with pytest.raises(BackendError) as err:
            model.generate_json("judge this", ScoreOut, images=[image])
        message = str(err.value)
        assert "takes no images" in message and "NEXTADS_OPENAI_VISION=off" in message and "--mmproj" in message
        assert server.base_url in message
        image_calls = [b for b in server.chats() if b["max_tokens"] > 16]
        assert len(image_calls) == 1  # the 500 "image input is not supported" is permanent: not retried
        assert NO_MMPROJ.startswith("image input is not supported")


def test_looping_model_is_stopped_by_max_tokens(history, product, tmp_path):
    with ConformanceServer("llama-server", loop=True, n_ctx=32768) as server:
        model = model_for(server, structured="json_schema")
        with pytest.raises(BackendError, match=r"cut off at max_tokens=1500"):
            LLMDirector(model, data_dir=tmp_path).build_profile(history)
        chats = server.chats()
        assert len(chats) == 2  # the answer and one repair, no retries
        assert all(b["max_tokens"] == 1500 for b in chats)
        assert sum(c.seconds for c in model.usage.calls) < 30


def test_long_history_is_trimmed_to_the_server_context_and_the_plan_says_so(product, tmp_path):
    words = "crochet yarn hook stitch pattern colour blanket market weekend evening " * 12
    notes = [Note(note_idx=f"n{i}", title=f"Crochet diary {i}", content=words) for i in range(60)]
    history = UserHistory(user_id="long", kind="notes", notes=notes)
    with ConformanceServer("llama-server", brain=BRAIN, n_ctx=4096) as server:
        plan = LLMDirector(model_for(server), data_dir=tmp_path).plan(history, product)
        assert any("trimmed to fit" in n and "4096-token context" in n for n in plan.notes)
        assert all(r["status_ok"] for r in server.log)


def test_unknown_context_is_learned_from_the_servers_refusal_and_the_history_refitted(product, tmp_path):
    words = "crochet yarn hook stitch pattern colour blanket market weekend evening " * 12
    notes = [Note(note_idx=f"n{i}", title=f"Crochet diary {i}", content=words) for i in range(60)]
    history = UserHistory(user_id="long", kind="notes", notes=notes)
    with ConformanceServer("llama-cpp-python", brain=BRAIN, n_ctx=4096) as server:  # no /props to ask
        model = model_for(server)
        plan = LLMDirector(model, data_dir=tmp_path).plan(history, product)
        assert [r["status"] for r in server.log].count(400) == 1  # "maximum context length is 4096 tokens"
        assert model.context_tokens == 4096
        assert any("trimmed to fit" in n and "4096-token context" in n for n in plan.notes)


def test_history_that_cannot_fit_names_the_context(product, tmp_path):
    notes = [Note(note_idx=f"n{i}", title="x " * 400, content="y " * 600) for i in range(5)]
    history = UserHistory(user_id="huge", kind="notes", notes=notes)
    with ConformanceServer("llama-server", brain=BRAIN, n_ctx=2048) as server:
        with pytest.raises(BackendError, match=r"the history does not fit in 2048 tokens"):
            LLMDirector(model_for(server), data_dir=tmp_path).build_profile(history)


def test_url_without_v1_and_closed_port_give_actionable_errors(history, tmp_path):
    with ConformanceServer("llama-cpp-python", brain=BRAIN) as server:
        model = model_for(server, base_url=server.root)
        with pytest.raises(BackendError, match=r"lacks /v1"):
            LLMDirector(model, data_dir=tmp_path).build_profile(history)
    dead = OpenAITextModel("m", api_key="none", base_url=f"http://127.0.0.1:{free_port()}/v1", compatible=True,
                           policy=RetryPolicy(attempts=2, sleep=lambda s: None, timeout=2))
    with pytest.raises(BackendError, match=r"cannot connect to http://127\.0\.0\.1:\d+/v1/.*server running"):
        LLMDirector(dead, data_dir=tmp_path).build_profile(history)


def test_nonsense_answers_are_repaired_once_then_fail_clearly(history, tmp_path):
    schema_name = dict(PROFILE, strong={"theme": "TierOut", "evidence": ["n0"]})
    made_up = dict(PROFILE, strong={"theme": "crochet", "evidence": ["n99"]})
    answers = iter([schema_name, made_up])
    brain = answers_by_title({"ProfileOut": lambda body, user: next(answers)})
    with ConformanceServer("llama-server", brain=brain) as server:
        with pytest.raises(BackendError, match=r"invalid ProfileOut twice.*strong.evidence cites no item"):
            LLMDirector(model_for(server), data_dir=tmp_path).build_profile(history)
        repair = server.chats()[-1]["messages"][1]["content"]
        assert "failed validation" in repair and "'TierOut' is a placeholder or schema name" in repair


def test_unenforced_bounds_are_caught_and_repaired(tmp_path):
    from nextads_studio.backends.judge_llm import ScoreOut

    answers = iter([{"score": 14, "reason": "very warm colours"}, SCORE])
    brain = answers_by_title({"ScoreOut": lambda body, user: next(answers)})
    with ConformanceServer("llama-server", brain=brain) as server:
        out = model_for(server).generate_json("score it", ScoreOut)
        assert out.score == 7.0
        assert server.chats()[-1]["response_format"]["type"] == "json_schema"


def _check(monkeypatch, capsys, base_url: str, model: str = "SmolLM2-135M-Instruct-Q8_0.gguf"):
    from nextads_studio.cli import main

    monkeypatch.setenv("NEXTADS_DIRECTOR", f"openai-compatible:{model}")
    monkeypatch.setenv("NEXTADS_JUDGE", f"openai-compatible:{model}")
    monkeypatch.setenv("NEXTADS_OPENAI_BASE_URL", base_url)
    code = main(["backends", "--check"])
    return code, json.loads(capsys.readouterr().out)


def test_backends_check_closed_port_says_unreachable(monkeypatch, capsys, data_dir):
    code, out = _check(monkeypatch, capsys, f"http://127.0.0.1:{free_port()}/v1")
    assert code == 1 and out["ok"] is False
    director = out["checks"][0]
    assert director["reachable"] is False and "nothing answers" in director["hint"]
    assert out["checks"][1]["reachable"] is False  # the judge uses the same backend: same verdict, one contact


def test_backends_check_suggests_v1(monkeypatch, capsys, data_dir):
    with ConformanceServer("llama-cpp-python") as server:
        code, out = _check(monkeypatch, capsys, server.root)
    assert code == 1
    assert out["checks"][0]["reachable"] is True and "lacks /v1" in out["checks"][0]["hint"]


def test_backends_check_reports_a_working_server(monkeypatch, capsys, data_dir):
    with ConformanceServer("llama-server", n_ctx=4096, vision=True) as server:
        code, out = _check(monkeypatch, capsys, server.base_url)
    assert code == 0 and out["ok"]
    row = out["checks"][0]
    assert row["model_known"] and row["vision"] == "yes" and row["structured_output"] == "json_schema"
    assert row["context_tokens"] == 4096 and row["latency_s"] >= 0
    with ConformanceServer("llama-cpp-python") as server:
        code, out = _check(monkeypatch, capsys, server.base_url)
    row = out["checks"][0]
    # no /props there: the check's own tiny image finds out (the string-only template refuses it)
    assert code == 0 and row["structured_output"] == "json_object" and row["vision"] == "no"


def test_failed_judge_never_yields_accept(history, product, tmp_path, settings):
    from nextads_studio.verifier import Verifier

    broken = answers_by_title({"ScoreOut": "Score"})  # a model that answers one word, twice
    with ConformanceServer("llama-server", brain=BRAIN, vision=True) as server:
        plan = LLMDirector(model_for(server), data_dir=tmp_path).plan(history, product)
    with ConformanceServer("llama-server", brain=broken, vision=True) as server:
        from nextads_studio.backends.registry import resolve

        judge = LLMJudge(model_for(server), frames=2, offline=resolve("judge", "offline", settings), fallback=False)
        creative = tiny_mp4_for(plan, tmp_path)
        verdict = Verifier(judge, resolve("embedder", "offline", settings)).verify(plan, creative, history=history)
    assert verdict.decision != "accept"
    assert any(r.startswith("judge unavailable: personalization_presentation") for r in verdict.rationales)
    assert verdict.utility.product_alignment.missing and verdict.judge_backend.startswith("offline")


def test_with_fallback_each_score_names_its_backend_and_the_failed_attempt(history, product, tmp_path, settings):
    from nextads_studio.backends.registry import resolve
    from nextads_studio.verifier import Verifier

    with ConformanceServer("llama-server", brain=BRAIN, vision=True) as server:
        plan = LLMDirector(model_for(server), data_dir=tmp_path).plan(history, product)
    with ConformanceServer("llama-server", brain=answers_by_title({"ScoreOut": {"score": 5, "reason": "None"}}), vision=True) as server:
        judge = LLMJudge(model_for(server), frames=2, offline=resolve("judge", "offline", settings), fallback=True)
        verdict = Verifier(judge, resolve("embedder", "offline", settings)).verify(
            plan, tiny_mp4_for(plan, tmp_path), history=history)
    content = verdict.utility.personalization_content
    assert not content.missing and content.backend == "offline"
    assert re.search(r"offline fallback \(openai-compatible:\S+ failed after \d+ calls, [\d.]+s: .*placeholder",
                     content.reason)
    assert verdict.judge_backend == f"offline (openai-compatible:{server.model} gave no judgement)"
    # the offline judge filled personalization, so those judgements are not "unavailable" (product alignment is,
    # if the offline judge could not measure it either: this toy product image is too small to look for)
    assert [r for r in verdict.rationales if r.startswith("judge unavailable: personalization")] == []
