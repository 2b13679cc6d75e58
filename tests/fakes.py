"""Shared fakes at the network boundary: a queue-based TextModel and HTTP fakes with each API's real shapes."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
from pydantic import BaseModel

from nextads_studio.backends.base import TextModel


class FakeTextModel(TextModel):
    """Returns enqueued answers in order (objects, dicts or callables of the prompt); records every call."""

    backend_id = "fake:text"

    def __init__(self, answers: Sequence[Any] = ()):
        self.queue: list[Any] = list(answers)
        self.history: list[dict[str, Any]] = []

    def enqueue(self, *answers: Any) -> FakeTextModel:
        self.queue.extend(answers)
        return self

    def generate_json(self, prompt, schema, images=(), temperature=0.2):
        self.history.append({"prompt": prompt, "schema": schema, "images": list(images),
                             "temperature": temperature})
        if not self.queue:
            raise AssertionError(f"FakeTextModel: no answer queued for {schema.__name__}")
        answer = self.queue.pop(0)
        if callable(answer) and not isinstance(answer, type):
            answer = answer(prompt)
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, BaseModel):
            return answer
        return schema.model_validate(answer)


# --- HTTP level ------------------------------------------------------------------------------------------------
Handler = Callable[[httpx.Request], httpx.Response]


class ScriptedAPI:
    """An httpx.MockTransport whose answers are scripted in order; `.requests` keeps what the adapter sent."""

    def __init__(self, *steps: httpx.Response | Exception | Handler):
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def add(self, *steps) -> ScriptedAPI:
        self.steps.extend(steps)
        return self

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.steps:
            raise AssertionError(f"ScriptedAPI: unexpected request {request.method} {request.url}")
        step = self.steps.pop(0)
        if isinstance(step, Exception):
            raise step
        if callable(step) and not isinstance(step, httpx.Response):
            return step(request)
        return step

    def bodies(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests if r.content]


def openai_chat(content: str, prompt_tokens: int = 812, completion_tokens: int = 143) -> httpx.Response:
    """A chat.completion object as api.openai.com returns it."""
    return httpx.Response(200, json={
        "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion", "created": 1741569952,
        "model": "gpt-4o-2024-08-06",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, "refusal": None,
                                             "annotations": []},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                  "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0}},
        "service_tier": "default", "system_fingerprint": "fp_fc9f1d7035"})


def openai_error(status: int, message: str, code: str | None = None, retry_after: str | None = None):
    headers = {"retry-after": retry_after} if retry_after else {}
    kind = {429: "requests", 500: "server_error"}.get(status, "invalid_request_error")
    return httpx.Response(status, headers=headers,
                          json={"error": {"message": message, "type": kind, "param": None, "code": code}})


def gemini_content(text: str, prompt_tokens: int = 1024, output_tokens: int = 96) -> httpx.Response:
    """A GenerateContentResponse as generativelanguage.googleapis.com returns it."""
    return httpx.Response(200, json={
        "candidates": [{"content": {"parts": [{"text": text}], "role": "model"}, "finishReason": "STOP",
                        "avgLogprobs": -0.12}],
        "usageMetadata": {"promptTokenCount": prompt_tokens, "candidatesTokenCount": output_tokens,
                          "totalTokenCount": prompt_tokens + output_tokens,
                          "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt_tokens}]},
        "modelVersion": "gemini-2.5-flash", "responseId": "mM3aaOXbKZ2Lz7IPp8fU4Qo"})


def google_error(status: int, message: str, retry_after: str | None = None) -> httpx.Response:
    names = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 400: "INVALID_ARGUMENT"}
    headers = {"retry-after": retry_after} if retry_after else {}
    return httpx.Response(status, headers=headers,
                          json={"error": {"code": status, "message": message, "status": names.get(status, "")}})


def veo_operation(name: str, done: bool = False, video_uri: str | None = None,
                  error: dict | None = None) -> httpx.Response:
    """A long-running operation of models/*:predictLongRunning, as polled with GET /v1beta/{name}."""
    body: dict[str, Any] = {"name": name}
    if done:
        body["done"] = True
        if error:
            body["error"] = error
        else:
            body["response"] = {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta."
                                         "PredictLongRunningResponse",
                                "generateVideoResponse": {"generatedSamples": [{"video": {"uri": video_uri}}]}}
    return httpx.Response(200, json=body)


def tiny_mp4(path: Path, seconds: float = 2.0, size: tuple[int, int] = (64, 112), fps: int = 24) -> bytes:
    """A real small H.264 file (moving gradient) to stand in for a downloaded generated video."""
    import imageio_ffmpeg
    import numpy as np

    w, h = size
    writer = imageio_ffmpeg.write_frames(str(path), (w, h), fps=fps, codec="libx264", pix_fmt_out="yuv420p",
                                         macro_block_size=1, ffmpeg_log_level="error")
    writer.send(None)
    for i in range(int(seconds * fps)):
        frame = np.zeros((h, w, 3), np.uint8)
        frame[..., 0] = (np.arange(w) * 4 + i * 5) % 256
        frame[..., 1] = 80
        writer.send(frame.tobytes())
    writer.close()
    return path.read_bytes()


class FakeVeoServer:
    """The Gemini API's Veo endpoints as a MockTransport: submit, poll (done after `polls_needed`), download.

    `fail_ops` makes that many operations finish with an error; `submit_errors` / `poll_errors` are responses
    returned before the normal ones (e.g. a 429 with Retry-After, 500s).
    """

    def __init__(self, video: bytes, polls_needed: int = 2, fail_ops: int = 0):
        self.video, self.polls_needed, self.fail_ops = video, polls_needed, fail_ops
        self.submitted: list[dict] = []
        self.polls: dict[str, int] = {}
        self.submit_errors: list[httpx.Response] = []
        self.poll_errors: list[httpx.Response] = []
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        if request.method == "POST" and path.endswith(":predictLongRunning"):
            if self.submit_errors:
                return self.submit_errors.pop(0)
            self.submitted.append(json.loads(request.content))
            model = path.split("/models/")[1].split(":")[0]
            name = f"models/{model}/operations/op{len(self.submitted)}"
            self.polls[name] = 0
            return httpx.Response(200, json={"name": name})
        if request.method == "GET" and "/operations/" in path:
            if self.poll_errors:
                return self.poll_errors.pop(0)
            name = path.split("/v1beta/")[1]
            self.polls[name] += 1
            if self.polls[name] < self.polls_needed:
                return veo_operation(name)
            if self.fail_ops:
                self.fail_ops -= 1
                return veo_operation(name, done=True, error={"code": 13, "message": "Video generation failed."})
            uri = f"https://generativelanguage.googleapis.com/v1beta/files/{name.rsplit('/', 1)[1]}:download?alt=media"
            return veo_operation(name, done=True, video_uri=uri)
        if request.method == "GET" and path.endswith(":download"):
            return httpx.Response(200, content=self.video, headers={"content-type": "video/mp4"})
        return httpx.Response(404, json={"error": {"code": 404, "message": f"no route {path}", "status": "NOT_FOUND"}})
