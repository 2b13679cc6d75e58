"""OpenAI chat completions (and OpenAI-compatible servers: vLLM, SGLang, Ollama) with structured outputs.

Talks to `POST {base}/chat/completions` through JsonHttp, so timeouts, retries and accounting are ours and the
tests can replay the API's real response shapes with httpx.MockTransport.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ..errors import BackendError, BackendUnavailable
from .retry import JsonHttp, RetryPolicy
from .structured import StructuredTextModel, image_part, token_cost

OPENAI_URL = "https://api.openai.com/v1"


class OpenAITextModel(StructuredTextModel):
    """`openai:MODEL` or `openai-compatible:MODEL` (base URL from NEXTADS_OPENAI_BASE_URL)."""

    def __init__(self, model: str, *, api_key: str | None, base_url: str = OPENAI_URL, compatible: bool = False,
                 policy: RetryPolicy | None = None, transport: httpx.BaseTransport | None = None):
        super().__init__()
        if not model:
            raise BackendUnavailable("name a model, e.g. openai:gpt-4o")
        self.model = model
        self.compatible = compatible
        self.backend_id = f"{'openai-compatible' if compatible else 'openai'}:{model}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.http = JsonHttp(self.backend_id, base_url.rstrip("/") + "/", headers, policy, transport, self.usage)

    @classmethod
    def from_settings(cls, model: str, settings: Any, compatible: bool = False, **kw) -> OpenAITextModel:
        """Build from settings/env; a missing key or base URL raises BackendUnavailable naming the variable."""
        key = os.environ.get("OPENAI_API_KEY")
        if compatible:
            base = getattr(settings, "openai_base_url", None) or os.environ.get("NEXTADS_OPENAI_BASE_URL")
            if not base:
                raise BackendUnavailable("openai-compatible backends need NEXTADS_OPENAI_BASE_URL "
                                         "(e.g. http://localhost:8000/v1 for vLLM)")
            return cls(model, api_key=key or "none", base_url=base, compatible=True, **kw)
        if not key:
            raise BackendUnavailable(f"openai:{model} needs the OPENAI_API_KEY environment variable")
        return cls(model, api_key=key, **kw)

    def _complete(self, system: str, user: str, schema: dict[str, Any], images: Sequence[Path | str],
                  temperature: float) -> str:
        content: list[dict[str, Any]] = [{"type": "text", "text": user}]
        for path in images:
            mime, b64 = image_part(path)
            content.append({"type": "image_url", "image_url": {"url": f"data:{mime};base64,{b64}"}})
        body = {
            "model": self.model,
            "temperature": temperature,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": content}],
            # strict mode rejects pydantic's optional fields/defaults; validation + one repair covers the rest
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": "answer", "schema": schema, "strict": False}},
        }
        reply = self.http.request("POST", "chat/completions", operation="chat.completions", json=body,
                                  cost=self._cost)
        return _message_text(reply, self.backend_id)

    def _cost(self, reply: dict) -> float:
        usage = reply.get("usage") or {}
        return token_cost(self.model, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0)))


def _message_text(reply: dict, backend_id: str) -> str:
    """The assistant text of a chat completion; a refusal or an empty choice list is a BackendError."""
    choices = reply.get("choices") or []
    if not choices:
        raise BackendError(f"{backend_id}: the response has no choices")
    message = choices[0].get("message") or {}
    if message.get("refusal"):
        raise BackendError(f"{backend_id} refused: {message['refusal']}")
    text = message.get("content")
    if not isinstance(text, str) or not text.strip():
        raise BackendError(f"{backend_id}: empty answer (finish_reason={choices[0].get('finish_reason')})")
    return text
