"""OpenAI and Gemini adapters against HTTP fakes with the APIs' real response shapes."""

from __future__ import annotations

import json

import httpx
import pytest
from pydantic import BaseModel, Field

from nextads_studio.backends.google_text import GeminiTextModel
from nextads_studio.backends.openai_text import OpenAITextModel
from nextads_studio.backends.retry import RetryPolicy
from nextads_studio.errors import BackendError, BackendUnavailable
from tests.fakes import ScriptedAPI, gemini_content, google_error, openai_chat, openai_error


class Hook(BaseModel):
    hook: str = Field(min_length=3)
    score: float = Field(ge=0, le=10)


GOOD = json.dumps({"hook": "Morning runs, lighter shoes", "score": 8})


def _policy(waits: list[float]) -> RetryPolicy:
    return RetryPolicy(attempts=3, base_delay=1.0, sleep=waits.append, timeout=5)


def _openai(api: ScriptedAPI, waits: list[float]) -> OpenAITextModel:
    return OpenAITextModel("gpt-4o", api_key="sk-test", policy=_policy(waits), transport=api.transport)


def _gemini(api: ScriptedAPI, waits: list[float]) -> GeminiTextModel:
    return GeminiTextModel("gemini-2.5-flash", api_key="g-test", policy=_policy(waits), transport=api.transport)


def test_openai_success_sends_schema_images_and_counts_cost(tmp_path):
    img = tmp_path / "cover.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\nfake")
    api = ScriptedAPI(openai_chat(GOOD, prompt_tokens=1_000_000, completion_tokens=0))
    model = _openai(api, [])
    out = model.generate_json("write a hook", Hook, images=[img], temperature=0.6)
    assert out.hook.startswith("Morning")
    body = api.bodies()[0]
    assert body["temperature"] == 0.6
    assert body["response_format"]["json_schema"]["schema"]["properties"]["hook"]
    parts = body["messages"][1]["content"]
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert api.requests[0].headers["authorization"] == "Bearer sk-test"
    [record] = model.usage.calls
    assert record.ok and record.cost_usd == pytest.approx(2.5)  # 1M input tokens of gpt-4o


def test_openai_429_waits_retry_after_then_succeeds():
    waits: list[float] = []
    api = ScriptedAPI(openai_error(429, "Rate limit reached for gpt-4o", "rate_limit_exceeded", retry_after="7"),
                      openai_chat(GOOD))
    assert _openai(api, waits).generate_json("x", Hook).score == 8
    assert waits == [7.0] and len(api.requests) == 2


def test_openai_500_retries_with_backoff_then_fails_clearly():
    waits: list[float] = []
    api = ScriptedAPI(*[openai_error(500, "The server had an error while processing your request.")] * 3)
    model = _openai(api, waits)
    with pytest.raises(BackendError, match=r"openai:gpt-4o chat.completions failed after 3 attempts.*HTTP 500"):
        model.generate_json("x", Hook)
    assert len(waits) == 2 and 0.75 <= waits[0] <= 1.25 and 1.5 <= waits[1] <= 2.5  # doubling with jitter
    assert model.usage.calls[-1].ok is False


def test_openai_timeout_is_retried_then_reported():
    api = ScriptedAPI(*[httpx.ReadTimeout("read timed out")] * 3)
    with pytest.raises(BackendError, match="timed out"):
        _openai(api, []).generate_json("x", Hook)
    assert len(api.requests) == 3


def test_openai_401_is_not_retried():
    api = ScriptedAPI(openai_error(401, "Incorrect API key provided", "invalid_api_key"))
    with pytest.raises(BackendError, match="check the API key"):
        _openai(api, []).generate_json("x", Hook)
    assert len(api.requests) == 1


def test_malformed_output_is_repaired_once_with_the_error():
    api = ScriptedAPI(openai_chat('{"hook": "no", "score": 14}'), openai_chat(GOOD))
    assert _openai(api, []).generate_json("x", Hook).score == 8
    repair_prompt = api.bodies()[1]["messages"][1]["content"]  # no image: plain string content
    assert "failed validation" in repair_prompt and "score" in repair_prompt


def test_malformed_twice_is_a_clear_error():
    api = ScriptedAPI(openai_chat("Sure! Here is your hook: run faster"), openai_chat("{not json"))
    with pytest.raises(BackendError, match=r"invalid Hook twice \(after one repair\)"):
        _openai(api, []).generate_json("x", Hook)


def test_openai_compatible_needs_base_url(monkeypatch, settings):
    monkeypatch.delenv("NEXTADS_OPENAI_BASE_URL", raising=False)
    with pytest.raises(BackendUnavailable, match="NEXTADS_OPENAI_BASE_URL"):
        OpenAITextModel.from_settings("Qwen3-VL-8B", settings, compatible=True)
    with pytest.raises(BackendUnavailable, match="OPENAI_API_KEY"):
        OpenAITextModel.from_settings("gpt-4o", settings)


def test_gemini_success_and_request_shape(tmp_path):
    api = ScriptedAPI(gemini_content("```json\n" + GOOD + "\n```"))
    model = _gemini(api, [])
    assert model.generate_json("x", Hook, temperature=0.2).hook
    req = api.requests[0]
    assert req.url.path.endswith("/v1beta/models/gemini-2.5-flash:generateContent")
    assert req.headers["x-goog-api-key"] == "g-test"
    config = api.bodies()[0]["generationConfig"]
    assert config["responseMimeType"] == "application/json" and config["responseJsonSchema"]["properties"]
    assert model.usage.calls[0].cost_usd > 0


def test_gemini_429_then_500s_then_error():
    waits: list[float] = []
    api = ScriptedAPI(google_error(429, "Resource has been exhausted (e.g. check quota).", retry_after="3"),
                      google_error(500, "An internal error has occurred."),
                      google_error(503, "The model is overloaded."))
    with pytest.raises(BackendError, match="google:gemini-2.5-flash generateContent failed after 3 attempts"):
        _gemini(api, waits).generate_json("x", Hook)
    assert waits[0] == 3.0


def test_gemini_blocked_prompt_is_reported():
    api = ScriptedAPI(httpx.Response(200, json={"promptFeedback": {"blockReason": "SAFETY"},
                                                "usageMetadata": {"promptTokenCount": 9}}))
    with pytest.raises(BackendError, match="blocked the prompt: SAFETY"):
        _gemini(api, []).generate_json("x", Hook)


def test_parse_json_tolerates_raw_control_characters_in_strings():
    from nextads_studio.backends.structured import parse_json

    answer = 'Here it is:\n{"hook": "Morning runs,\nlighter\tshoes", "score": 8}'
    assert parse_json(answer)["hook"] == "Morning runs,\nlighter\tshoes"


def test_inlined_schema_has_no_refs():
    from nextads_studio.backends.llm_steps import ProfileOut
    from nextads_studio.backends.structured import schema_for

    schema = schema_for(ProfileOut)
    text = json.dumps(schema)
    assert "$ref" not in text and "$defs" not in text
    assert schema["properties"]["strong"]["properties"]["theme"]["type"] == "string"
