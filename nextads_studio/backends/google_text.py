"""Gemini through the Generative Language REST API (`models/{model}:generateContent`) with a JSON schema."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ..errors import BackendError, BackendUnavailable
from .retry import JsonHttp, RetryPolicy
from .structured import StructuredTextModel, image_part, token_cost

GOOGLE_URL = "https://generativelanguage.googleapis.com/v1beta"


def google_api_key() -> str | None:
    """GEMINI_API_KEY, else GOOGLE_API_KEY (the names google-genai reads)."""
    return os.environ.get("GEMINI_API_KEY") or os.environ.get("GOOGLE_API_KEY")


class GeminiTextModel(StructuredTextModel):
    """`google:gemini-2.5-flash` for the Director or the Judge."""

    def __init__(self, model: str, *, api_key: str, base_url: str = GOOGLE_URL, policy: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None):
        super().__init__()
        self.model = model
        self.backend_id = f"google:{model}"
        self.http = JsonHttp(self.backend_id, base_url.rstrip("/") + "/", {"x-goog-api-key": api_key}, policy,
                             transport, self.usage)

    @classmethod
    def from_settings(cls, model: str, settings: Any = None, **kw) -> GeminiTextModel:
        key = google_api_key()
        if not key:
            raise BackendUnavailable(f"google:{model} needs the GEMINI_API_KEY (or GOOGLE_API_KEY) environment "
                                     "variable")
        kw.setdefault("policy", RetryPolicy(timeout=float(getattr(settings, "google_timeout", 120.0) or 120.0)))
        return cls(model, api_key=key, **kw)

    def _complete(self, system: str, user: str, schema: dict[str, Any], images: Sequence[Path | str],
                  temperature: float, max_tokens: int | None = None) -> str:
        # no maxOutputTokens: Gemini 2.5 counts its thinking against it, so a step budget would starve answers
        parts: list[dict[str, Any]] = [{"text": user}]
        for path in images:
            mime, b64 = image_part(path)
            parts.append({"inline_data": {"mime_type": mime, "data": b64}})
        body = {
            "system_instruction": {"parts": [{"text": system}]},
            "contents": [{"role": "user", "parts": parts}],
            "generationConfig": {"temperature": temperature, "responseMimeType": "application/json",
                                 "responseJsonSchema": schema},
        }
        reply = self.http.request("POST", f"models/{self.model}:generateContent", operation="generateContent",
                                  json=body, cost=self._cost)
        return _candidate_text(reply, self.backend_id)

    def _cost(self, reply: dict) -> float:
        meta = reply.get("usageMetadata") or {}
        out = int(meta.get("candidatesTokenCount", 0)) + int(meta.get("thoughtsTokenCount", 0))
        return token_cost(self.model, int(meta.get("promptTokenCount", 0)), out)


def _candidate_text(reply: dict, backend_id: str) -> str:
    """Text of the first candidate; a blocked prompt or an empty candidate is a BackendError with the reason."""
    feedback = reply.get("promptFeedback") or {}
    if feedback.get("blockReason"):
        raise BackendError(f"{backend_id} blocked the prompt: {feedback['blockReason']}")
    candidates = reply.get("candidates") or []
    if not candidates:
        raise BackendError(f"{backend_id}: the response has no candidates")
    parts = (candidates[0].get("content") or {}).get("parts") or []
    text = "".join(p.get("text", "") for p in parts if not p.get("thought"))
    if not text.strip():
        raise BackendError(f"{backend_id}: empty answer (finishReason={candidates[0].get('finishReason')})")
    return text
