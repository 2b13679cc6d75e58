"""OpenAI chat completions (and OpenAI-compatible servers: llama.cpp, vLLM, SGLang, Ollama) with structured outputs.

Talks to `POST {base}/chat/completions` through JsonHttp, so timeouts, retries and accounting are ours. Real local
servers differ from api.openai.com, and the adapter adapts to each once, remembering what it learned per
(base URL, model) for the life of the process:

- structured output: a one-time probe picks the first level the server accepts, `json_schema` → `json_object`
  (with the schema in the prompt and in `response_format.schema`, which llama.cpp turns into a grammar) → plain
  text (the schema in the prompt, parsed and repaired);
- images: sent only to a model that can see them (NEXTADS_OPENAI_VISION on/off, or detected from llama-server's
  /props, or learned from the server's refusal); a message without images is a plain string, because many chat
  templates only take strings;
- output budget: `max_tokens` per step, so a model that loops stops instead of filling its context;
- context: NEXTADS_OPENAI_CONTEXT, else the server's own figure (llama-server /props, vLLM /models), so the
  Director trims a long history to fit.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from ..errors import BackendError, BackendUnavailable
from .retry import HttpError, JsonHttp, RetryPolicy
from .structured import Answer, StructuredTextModel, image_part, parse_max_tokens, token_cost

OPENAI_URL = "https://api.openai.com/v1"
LEVELS = ("json_schema", "json_object", "text")
PROBE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
_NO_IMAGES = re.compile(r"image input is not supported|mmproj|does not support (image|vision|multimodal)|"
                        r"(image|vision|multimodal)\w* (input )?(is |are )?not supported|"
                        r"image_url is only supported", re.IGNORECASE)
_STRING_TEMPLATE = re.compile(r"can only concatenate str \(not \"list\"\)|expected str(ing)?.{0,20}list|"
                              r"content must be a string", re.IGNORECASE)
_CONTEXT = re.compile(r"exceed_context_size|exceeds? the available context size|maximum context length|"
                      r"context_length_exceeded|context window", re.IGNORECASE)
_CTX_NUMBERS = re.compile(r"request \((\d+) tokens\) exceeds the available context size \((\d+) tokens\)|"
                          r"maximum context length is (\d+) tokens.{0,40}?requested (\d+) tokens", re.IGNORECASE)


@dataclass
class ServerTraits:
    """What one server+model accepts; learned once and shared by every adapter on that pair."""

    structured: str | None = None  # one of LEVELS once probed or set
    vision: bool | None = None  # None: not known yet (images are tried once)
    context: int | None = None
    models: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


_TRAITS: dict[tuple[str, str], ServerTraits] = {}
# an 8x8 grey PNG: the smallest honest question "do you take images?"
_TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAFElEQVR4nGNsaGhgwAaYsIoOWgkAMBcBkGHHl6YAAAAASUVORK5CYII="


class ContextTooSmall(BackendError):
    """The request did not fit the server's context; `n_ctx` is the server's size when it said so."""

    def __init__(self, message: str, n_ctx: int | None = None, n_prompt: int | None = None):
        super().__init__(message)
        self.n_ctx, self.n_prompt = n_ctx, n_prompt


class OpenAITextModel(StructuredTextModel):
    """`openai:MODEL` or `openai-compatible:MODEL` (base URL from NEXTADS_OPENAI_BASE_URL)."""

    images_optional = True  # the Director can plan from text alone; the judge sets this to False

    def __init__(self, model: str, *, api_key: str | None, base_url: str = OPENAI_URL, compatible: bool = False,
                 policy: RetryPolicy | None = None, transport: httpx.BaseTransport | None = None,
                 vision: str = "auto", structured: str = "auto", context: int | None = None,
                 max_tokens: dict[str, int] | None = None):
        super().__init__(max_tokens)
        if not model:
            raise BackendUnavailable("name a model, e.g. openai:gpt-4o")
        if vision not in ("auto", "on", "off"):
            raise BackendUnavailable(f"NEXTADS_OPENAI_VISION={vision!r}: use auto, on or off")
        if structured not in ("auto", *LEVELS):
            raise BackendUnavailable(f"NEXTADS_OPENAI_STRUCTURED={structured!r}: use auto, {', '.join(LEVELS)}")
        self.model = model
        self.compatible = compatible
        self.prefix = "openai-compatible" if compatible else "openai"
        self.backend_id = f"{self.prefix}:{model}"
        self.base_url = base_url.rstrip("/")
        self.vision_setting, self.structured_setting = vision, structured
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = JsonHttp(self.backend_id, self.base_url + "/", headers, policy, transport, self.usage)
        self.traits = _TRAITS.setdefault((self.base_url, model), ServerTraits())
        if context:
            self.traits.context = int(context)
        if vision != "auto":
            self.traits.vision = vision == "on"
        if structured != "auto":
            self.traits.structured = structured
        elif not compatible:
            self.traits.structured = "json_schema"  # api.openai.com: structured outputs, no probe needed
            self.traits.vision = True if self.traits.vision is None else self.traits.vision

    @classmethod
    def from_settings(cls, model: str, settings: Any, compatible: bool = False, **kw) -> OpenAITextModel:
        """Build from settings/env; a missing key or base URL raises BackendUnavailable naming the variable."""
        key = os.environ.get("OPENAI_API_KEY")
        options = {"vision": str(getattr(settings, "openai_vision", "auto") or "auto"),
                   "structured": str(getattr(settings, "openai_structured", "auto") or "auto"),
                   "context": getattr(settings, "openai_context", None) or None,
                   "max_tokens": parse_max_tokens(getattr(settings, "llm_max_tokens", "")),
                   "policy": RetryPolicy(timeout=float(getattr(settings, "openai_timeout", 120.0) or 120.0))}
        options.update(kw)
        if compatible:
            base = getattr(settings, "openai_base_url", None) or os.environ.get("NEXTADS_OPENAI_BASE_URL")
            if not base:
                raise BackendUnavailable("openai-compatible backends need NEXTADS_OPENAI_BASE_URL "
                                         "(e.g. http://localhost:8080/v1 for llama-server, :8000/v1 for vLLM)")
            return cls(model, api_key=key or "none", base_url=base, compatible=True, **options)
        if not key:
            raise BackendUnavailable(f"openai:{model} needs the OPENAI_API_KEY environment variable")
        return cls(model, api_key=key, **options)

    # --- what the server can do ---------------------------------------------------------------------------------
    @property
    def context_tokens(self) -> int | None:
        self._discover()
        return self.traits.context

    @property
    def sees_images(self) -> bool | None:
        return self.traits.vision

    @property
    def structured_level(self) -> str:
        return self._level()

    def _discover(self) -> None:
        """Ask a compatible server once for its models, context size and vision (llama-server /props)."""
        t = self.traits
        if not self.compatible or t.models is not None:
            return
        with t.lock:
            if t.models is not None:
                return
            t.models = []
            try:
                listed = self.http.request("GET", "models", operation="models")
                t.models = [str(m.get("id")) for m in listed.get("data") or [] if isinstance(m, dict)]
                for m in listed.get("data") or []:
                    if t.context is None and isinstance(m, dict) and m.get("id") == self.model \
                            and isinstance(m.get("max_model_len"), int):  # vLLM
                        t.context = m["max_model_len"]
            except HttpError:
                pass  # the server answered but lists nothing useful; the chat call will say what is wrong
            except BackendError:
                t.models = None  # nothing answered: ask again next time (the server may start later)
                return
            props = self._props()
            if props:
                n_ctx = (props.get("default_generation_settings") or {}).get("n_ctx") or props.get("n_ctx")
                if t.context is None and isinstance(n_ctx, int) and n_ctx > 0:
                    t.context = n_ctx
                modalities = props.get("modalities")
                if t.vision is None and isinstance(modalities, dict) and "vision" in modalities:
                    t.vision = bool(modalities["vision"])

    def _props(self) -> dict:
        """llama-server's GET /props (at the server root, beside /v1); {} from other servers."""
        root = self.base_url[:-3] if self.base_url.endswith("/v1") else self.base_url
        try:
            response = self.http._client.get(root + "/props", timeout=min(10.0, self.http.policy.timeout))
            body = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            return {}
        return body if isinstance(body, dict) else {}

    def _level(self) -> str:
        """The structured-output level this server accepts, probed once with a tiny request."""
        t = self.traits
        if t.structured:
            return t.structured
        with t.lock:
            if t.structured:
                return t.structured
            for level in LEVELS[:-1]:
                body = {"model": self.model, "temperature": 0, "max_tokens": 16,
                        "messages": [{"role": "user", "content": 'Answer with the JSON object {"ok": true}.'}],
                        "response_format": _response_format(level, PROBE_SCHEMA)}
                try:
                    self.http.request("POST", "chat/completions", operation=f"probe {level}", json=body)
                except HttpError as exc:
                    if exc.status in (401, 403, 404) or _CONTEXT.search(exc.server_message):
                        raise
                    said = re.search(r"'msg': \"([^\"]+)\"", exc.server_message)  # FastAPI validation text
                    t.note(f"{self.backend_id} does not take response_format {level} "
                           f"({(said.group(1) if said else exc.server_message)[:120]}); trying the next level")
                    continue
                t.structured = level
                break
            else:
                t.structured = "text"
            return t.structured

    # --- one call -----------------------------------------------------------------------------------------------
    def _complete(self, system: str, user: str, schema: dict[str, Any], images: Sequence[Path | str],
                  temperature: float, max_tokens: int | None = None) -> str:
        self._discover()
        level = self._level()
        send = list(images) if images and self.traits.vision is not False else []
        while True:
            body = self._body(system, user, schema, send, temperature, max_tokens, level)
            try:
                reply = self.http.request("POST", "chat/completions", operation="chat.completions", json=body,
                                          cost=self._cost)
            except HttpError as exc:
                level, send = self._adapt(exc, level, send)
                continue
            return _message_text(reply, self.backend_id, max_tokens)

    def _body(self, system: str, user: str, schema: dict[str, Any], images: Sequence[Path | str],
              temperature: float, max_tokens: int | None, level: str) -> dict[str, Any]:
        content: str | list[dict[str, Any]] = user
        if images:  # list-form content only when there is an image: string-only chat templates break on lists
            content = [{"type": "text", "text": user}]
            for path in images:
                mime, b64 = image_part(path)
                content.append({"type": "image_url", "image_url": {"url": f"data:{mime};base64,{b64}"}})
        body: dict[str, Any] = {"model": self.model, "temperature": temperature,
                                "messages": [{"role": "system", "content": system},
                                             {"role": "user", "content": content}]}
        if max_tokens:
            body["max_tokens"] = int(max_tokens)
        response_format = _response_format(level, schema)
        if response_format:
            body["response_format"] = response_format
        return body

    def _adapt(self, exc: HttpError, level: str, images: list) -> tuple[str, list]:
        """Change what is sent after a permanent refusal the adapter can work around; else raise a clear error."""
        message = exc.server_message
        where = f"{self.backend_id} at {self.base_url}"
        if images and (_NO_IMAGES.search(message) or _STRING_TEMPLATE.search(message)):
            why = "this model takes no images" if _NO_IMAGES.search(message) else \
                "this server's chat template takes text only (no images)"
            if self.vision_setting != "on":
                self.traits.vision = False
            if self.vision_setting == "on" or not self.images_optional:
                raise BackendError(f"{where}: {why} ({message[:160]}): set NEXTADS_OPENAI_VISION=off or serve a "
                                   "vision model (llama-server -m MODEL.gguf --mmproj MMPROJ.gguf)") from exc
            self.traits.note(f"{where}: {why}; images are left out of its requests (set "
                             "NEXTADS_OPENAI_VISION=off to skip the first try, or serve a vision model)")
            return level, []
        if _CONTEXT.search(message):
            n_ctx, n_prompt = _context_numbers(message)
            if n_ctx:
                self.traits.context = n_ctx
            size = f"{n_ctx} tokens" if n_ctx else "the server's context"
            asked = f" ({n_prompt} tokens asked)" if n_prompt else ""
            raise ContextTooSmall(f"{where}: the request does not fit in {size}{asked}: set "
                                  f"NEXTADS_OPENAI_CONTEXT={n_ctx or 'N'} so inputs are trimmed to it, or start the "
                                  "server with a larger context (llama-server -c 16384)", n_ctx, n_prompt) from exc
        if level != "text" and exc.status in (400, 422, 500, 501) and \
                re.search(r"response_format|json_schema|json_object|'text'|grammar|schema", message, re.I):
            lower = LEVELS[LEVELS.index(level) + 1]
            self.traits.structured = lower
            self.traits.note(f"{where} refused response_format {level}; using {lower}")
            return lower, images
        if _STRING_TEMPLATE.search(message):
            raise BackendError(f"{where}: the server's chat template failed ({message[:160]}); use a model "
                               "whose template takes plain text, or start llama-server with --jinja") from exc
        raise exc

    def _cost(self, reply: dict) -> float:
        usage = reply.get("usage") or {}
        return token_cost(self.model, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))

    # --- live check (`nextads backends --check`) ----------------------------------------------------------------
    def check(self) -> dict[str, Any]:
        """One small live request: reachable, model known, vision, structured level, context, latency."""
        out: dict[str, Any] = {"backend": self.backend_id, "url": self.base_url, "ok": False}
        started = time.perf_counter()
        try:
            listed = self.http.request("GET", "models", operation="models")
        except BackendError as exc:
            out.update(reachable=not _unreachable(exc), error=str(exc))
            if not out["reachable"]:
                out["hint"] = (f"nothing answers at {self.base_url}: start the server, or fix the host and port "
                               "in NEXTADS_OPENAI_BASE_URL")
            elif getattr(exc, "status", None) == 404 and not self.base_url.endswith("/v1"):
                out["hint"] = f"the URL probably lacks /v1: try NEXTADS_OPENAI_BASE_URL={self.base_url}/v1"
            elif getattr(exc, "status", None) in (401, 403):
                out["hint"] = "the server refused the key: check OPENAI_API_KEY"
            return out
        out["reachable"] = True
        ids = [str(m.get("id")) for m in listed.get("data") or [] if isinstance(m, dict)]
        out["models"] = ids[:10]
        out["model_known"] = self.model in ids or any(i.endswith("/" + self.model) for i in ids)
        if not out["model_known"] and len(ids) == 1 and self.compatible:
            out["model_known"] = True  # llama-server and llama-cpp-python serve their one model under any name
            out["model_note"] = f"the server has one model ({ids[0]}) and answers to any name"
        if not out["model_known"]:
            out["hint"] = f"the server does not list {self.model!r}; it serves: {', '.join(ids[:5]) or 'nothing'}"
        try:
            self._discover()
            out["structured_output"] = self._level()
            t0 = time.perf_counter()
            content: Any = "Say OK."
            if self.traits.vision is None:  # the check itself finds out: one tiny image
                content = [{"type": "text", "text": "Say OK."},
                           {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{_TINY_PNG}"}}]
            try:
                self.http.request("POST", "chat/completions", operation="check", json={
                    "model": self.model, "temperature": 0, "max_tokens": 8,
                    "messages": [{"role": "user", "content": content}]})
                if isinstance(content, list):
                    self.traits.vision = True
            except HttpError as exc:
                if not isinstance(content, list) or not (_NO_IMAGES.search(exc.server_message)
                                                         or _STRING_TEMPLATE.search(exc.server_message)):
                    raise
                self.traits.vision = False
                t0 = time.perf_counter()
                self.http.request("POST", "chat/completions", operation="check", json={
                    "model": self.model, "temperature": 0, "max_tokens": 8,
                    "messages": [{"role": "user", "content": "Say OK."}]})
            out["latency_s"] = round(time.perf_counter() - t0, 3)
        except BackendError as exc:
            out["error"] = str(exc)
            return out
        out["vision"] = {True: "yes", False: "no", None: "unknown (tried on first image)"}[self.traits.vision]
        out["context_tokens"] = self.traits.context
        out["notes"] = list(self.traits.notes)
        out["seconds"] = round(time.perf_counter() - started, 3)
        out["ok"] = bool(out["model_known"])
        return out


def _response_format(level: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if level == "json_schema":
        # strict mode rejects pydantic's optional fields/defaults; validation + one repair covers the rest
        return {"type": "json_schema", "json_schema": {"name": "answer", "schema": schema, "strict": False}}
    if level == "json_object":
        return {"type": "json_object", "schema": schema}  # llama.cpp servers turn `schema` into a grammar
    return None


def _context_numbers(message: str) -> tuple[int | None, int | None]:
    m = _CTX_NUMBERS.search(message)
    if not m:
        return None, None
    if m.group(1):
        return int(m.group(2)), int(m.group(1))
    return int(m.group(3)), int(m.group(4))


def _unreachable(exc: BackendError) -> bool:
    return "cannot connect" in str(exc) or "timed out" in str(exc)


def _message_text(reply: dict, backend_id: str, max_tokens: int | None = None) -> str:
    """The assistant text of a chat completion; a refusal or an empty choice list is a BackendError."""
    choices = reply.get("choices") or []
    if not choices:
        raise BackendError(f"{backend_id}: the response has no choices")
    message = choices[0].get("message") or {}
    if message.get("refusal"):
        raise BackendError(f"{backend_id} refused: {message['refusal']}")
    text = message.get("content")
    finish = choices[0].get("finish_reason")
    if not isinstance(text, str) or not text.strip():
        raise BackendError(f"{backend_id}: empty answer (finish_reason={finish})")
    return Answer.of(text, truncated=finish == "length", max_tokens=max_tokens)
