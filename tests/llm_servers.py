"""A conformance fake of real local OpenAI-compatible servers, served over real HTTP on loopback.

Two flavours reproduce what the servers do with the requests our adapters send (behaviours and error bodies read
from their sources, llama.cpp `tools/server` and llama-cpp-python `llama_cpp/server`):

- "llama-server" (llama.cpp): routes with and without /v1; `response_format` json_schema / json_object (+ schema)
  / text, other types are a 400; a schema is accepted but number bounds are not enforced (the brain's answer goes
  out as it is); without a vision projector an image is a 500 "image input is not supported - hint: ..."; a prompt
  over the context is a 400 exceed_context_size_error; GET /props tells n_ctx and modalities; errors are
  {"error": {"code", "message", "type"}}.
- "llama-cpp-python": routes only under /v1 (else FastAPI's 404 {"detail": "Not Found"}); a `response_format.type`
  other than text/json_object is a 500 carrying FastAPI's validation text (its route handler turns every
  exception into 500 internal_server_error); a string-only chat template fails on list-form content with
  "can only concatenate str (not "list") to str"; no /props.

The model is a `brain`: a function (schema title, request body, user text) -> dict, standing in for a model
that answers the question it was asked. `loop=True` makes a model that repeats itself until max_tokens (or the
context) runs out, answering finish_reason "length". Tokens are counted as whitespace-separated words.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Brain = Callable[[str, dict, str], Any]
IMAGE_TOKENS = 256
NO_MMPROJ = "image input is not supported - hint: if this is unexpected, you may need to provide the mmproj"
STRING_TEMPLATE = 'can only concatenate str (not "list") to str'


def _fastapi_literal_error(value: str) -> str:
    """str(RequestValidationError) as FastAPI formats it for llama-cpp-python's response_format Literal."""
    err = {"type": "literal_error", "loc": ("body", "response_format", "type"),
           "msg": "Input should be 'text' or 'json_object'", "input": value,
           "ctx": {"expected": "'text' or 'json_object'"}}
    return f"1 validation error:\n  {err}\n"


def free_port() -> int:
    """A loopback port with nothing listening on it (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _schema_title(body: dict, user: str) -> str:
    """Which answer the request asks for: from response_format, else from the schema pasted in the prompt."""
    rf = body.get("response_format") or {}
    schema = (rf.get("json_schema") or {}).get("schema") or rf.get("schema")
    if isinstance(schema, dict) and schema.get("title"):
        return str(schema["title"])
    marker = "JSON schema of the answer:\n"
    if marker in user:
        tail = user.split(marker, 1)[1]
        try:
            return str(json.JSONDecoder().raw_decode(tail)[0].get("title", ""))
        except ValueError:
            pass
    return ""


class ConformanceServer:
    def __init__(self, flavor: str = "llama-server", *, brain: Brain | None = None, vision: bool = False,
                 n_ctx: int = 8192, model: str = "SmolLM2-135M-Instruct-Q8_0.gguf", loop: bool = False,
                 text_style: str = "prose", formats: tuple[str, ...] | None = None):
        assert flavor in ("llama-server", "llama-cpp-python")
        self.flavor, self.brain, self.vision, self.n_ctx = flavor, brain, vision, n_ctx
        self.model, self.loop, self.text_style = model, loop, text_style
        self.formats = formats  # an older server that accepts only these response_format types
        self.requests: list[dict[str, Any]] = []  # {"method", "path", "body"}
        self.log: list[dict[str, Any]] = []  # {"path", "status", "status_ok"}
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle ------------------------------------------------------------------------------------------------
    def __enter__(self) -> ConformanceServer:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                outer._handle(self, "GET")

            def do_POST(self):
                outer._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.root + "/v1"

    def chats(self) -> list[dict]:
        return [r["body"] for r in self.requests if r["path"].endswith("/chat/completions")]

    # --- HTTP ---------------------------------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        path = handler.path.split("?")[0]
        self.requests.append({"method": method, "path": path, "body": body})
        try:
            status, payload = self._route(method, path, body)
        except Exception as exc:  # a brain without an answer: a 500 the test will show
            status, payload = 500, self._error(500, f"conformance brain: {exc}", "server_error")
        self.log.append({"path": path, "status": status, "status_ok": status < 400})
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, body: Any) -> tuple[int, dict]:
        if self.flavor == "llama-cpp-python":
            if not path.startswith("/v1/"):
                return 404, {"detail": "Not Found"}
            route = path[3:]
        else:
            route = path[3:] if path.startswith("/v1/") else path
        if method == "GET" and route == "/models":
            return 200, self._models()
        if method == "GET" and route == "/props" and self.flavor == "llama-server":
            return 200, {"default_generation_settings": {"n_ctx": self.n_ctx, "params": {"n_predict": -1}},
                         "total_slots": 1, "model_path": f"/models/{self.model}", "chat_template": "...",
                         "modalities": {"vision": self.vision, "audio": False}, "build_info": "b6000-conformance"}
        if method == "GET" and route == "/health":
            return 200, {"status": "ok"}
        if method == "POST" and route == "/chat/completions":
            return self._chat(body or {})
        if self.flavor == "llama-cpp-python":
            return 404, {"detail": "Not Found"}
        return 404, self._error(404, "File Not Found", "not_found_error")

    def _models(self) -> dict:
        if self.flavor == "llama-server":
            return {"object": "list", "data": [{"id": self.model, "object": "model", "created": int(time.time()),
                                                "owned_by": "llamacpp",
                                                "meta": {"n_ctx_train": 8192, "n_vocab": 49152}}]}
        return {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "me",
                                            "permissions": []}]}

    def _error(self, code: int, message: str, kind: str) -> dict:
        if self.flavor == "llama-server":
            return {"error": {"code": code, "message": message, "type": kind}}
        return {"error": {"message": message, "type": kind, "param": None, "code": None}}

    # --- the chat endpoint ------------------------------------------------------------------------------------
    def _chat(self, body: dict) -> tuple[int, dict]:
        rf = body.get("response_format") or {}
        kind = rf.get("type", "text") if isinstance(rf, dict) else "text"
        if self.formats is not None and kind not in self.formats:
            return 400, self._error(400, f"response_format type {kind} is not supported", "invalid_request_error")
        if self.flavor == "llama-cpp-python" and kind not in ("text", "json_object"):
            return 500, self._error(500, _fastapi_literal_error(kind), "internal_server_error")
        if self.flavor == "llama-server" and kind not in ("text", "json_object", "json_schema"):
            return 400, self._error(400, f'response_format type must be one of "text" or "json_object", but got: '
                                         f"{kind}", "invalid_request_error")
        texts, images = [], 0
        for message in body.get("messages") or []:
            content = message.get("content")
            if isinstance(content, list):
                if self.flavor == "llama-cpp-python":  # string-only Jinja chat template
                    return 500, self._error(500, STRING_TEMPLATE, "internal_server_error")
                for part in content:
                    if part.get("type") == "image_url":
                        images += 1
                    else:
                        texts.append(str(part.get("text", "")))
            else:
                texts.append(str(content))
        if images and not self.vision:
            return 500, self._error(500, NO_MMPROJ, "server_error")
        prompt_tokens = sum(len(t.split()) for t in texts) + IMAGE_TOKENS * images
        max_tokens = body.get("max_tokens") or body.get("n_predict")
        if prompt_tokens >= self.n_ctx:
            if self.flavor == "llama-server":
                err = self._error(400, f"request ({prompt_tokens} tokens) exceeds the available context size "
                                       f"({self.n_ctx} tokens), try increasing it", "exceed_context_size_error")
                err["error"].update(n_prompt_tokens=prompt_tokens, n_ctx=self.n_ctx)
                return 400, err
            return 400, {"error": {"message": f"This model's maximum context length is {self.n_ctx} tokens. However, "
                                              f"you requested {prompt_tokens + (max_tokens or 0)} tokens "
                                              f"({prompt_tokens} in the messages, {max_tokens} in the completion). "
                                              "Please reduce the length of the messages or completion.",
                                   "type": "invalid_request_error", "param": "messages",
                                   "code": "context_length_exceeded"}}
        user = texts[-1] if texts else ""
        budget = min(int(max_tokens), self.n_ctx - prompt_tokens) if max_tokens else self.n_ctx - prompt_tokens
        content, finish = self._generate(body, user, kind, budget)
        return 200, {"id": "chatcmpl-conformance", "object": "chat.completion", "created": int(time.time()),
                     "model": body.get("model", self.model), "system_fingerprint": "b6000-conformance",
                     "choices": [{"index": 0, "finish_reason": finish,
                                  "message": {"role": "assistant", "content": content}}],
                     "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(content.split()),
                               "total_tokens": prompt_tokens + len(content.split())}}

    def _generate(self, body: dict, user: str, kind: str, budget: int) -> tuple[str, str]:
        if self.loop:
            words = ('{"theme": "' + "crochet " * (budget + 5)).split()
            return " ".join(words[:budget]), "length"
        title = _schema_title(body, user)
        answer = self.brain(title, body, user) if self.brain else {"ok": True}
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        if kind == "text" and self.text_style == "prose":  # what small chat models do without a grammar
            text = f"Sure! Here is the JSON you asked for:\n```json\n{text}\n```\nLet me know if you need more."
        words = text.split(" ")
        if len(text.split()) > budget:
            return " ".join(words[:budget]), "length"
        return text, "stop"


def answers_by_title(answers: dict[str, Any]) -> Brain:
    """A brain that answers each schema (by title) from a table; a callable value gets (body, user)."""

    def brain(title: str, body: dict, user: str) -> Any:
        if not title:  # the adapter's probe or a check: any small JSON will do
            return {"ok": True}
        if title not in answers:
            raise AssertionError(f"conformance brain: no answer for schema {title!r}")
        value = answers[title]
        return value(body, user) if callable(value) else value

    return brain


def echo_ids(user: str) -> list[str]:
    """Item ids present in a prompt's history block (a model citing only what it was shown)."""
    return re.findall(r'"id": "([^"]+)"', user)


def tiny_mp4_for(plan: Any, folder) -> Any:
    """A real small video standing in for the rendered ad of `plan` (the judge samples its frames)."""
    from nextads_studio.schemas.creative import Creative
    from tests.fakes import tiny_mp4

    video = folder / "ad.mp4"
    tiny_mp4(video, seconds=3.0)
    return Creative(plan_id=plan.plan_id, plan_version=1, video_path=str(video), duration=3.0, width=64, height=112)
