"""Registers the cloud and local backends. Imported lazily by the registry; SDK-heavy modules load on use.

director: openai:, openai-compatible:, google:, local: (TextModel)
judge:    openai:, openai-compatible:, google:, local: (LLMJudge around a TextModel)
producer: google: (Veo), local-diffusers: (Wan2.x)
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import BackendUnavailable
from .registry import register

log = logging.getLogger(__name__)


def openai_text(model: str, settings: Any):
    from .openai_text import OpenAITextModel

    return OpenAITextModel.from_settings(model, settings)


def openai_compatible_text(model: str, settings: Any):
    from .openai_text import OpenAITextModel

    return OpenAITextModel.from_settings(model, settings, compatible=True)


def google_text(model: str, settings: Any):
    if model.startswith("veo"):
        raise BackendUnavailable(f"google:{model} is a video model; use it as NEXTADS_PRODUCER")
    from .google_text import GeminiTextModel

    return GeminiTextModel.from_settings(model, settings)


def local_text(model: str, settings: Any):
    from .local_vlm import LocalVLM

    return LocalVLM.load(model)


def _judge(text_factory):
    """LLM rubric judge with the offline judge behind it (its measurements, and the fallback when enabled)."""

    def factory(model: str, settings: Any):
        from .judge_llm import LLMJudge
        from .registry import resolve

        fallback = bool(getattr(settings, "fallback_offline", False))
        offline = resolve("judge", "offline", settings)
        try:
            text = text_factory(model, settings)
        except BackendUnavailable as exc:
            if not fallback:
                raise
            log.warning("judge backend unavailable (%s); using the offline judge", exc)
            return offline
        return LLMJudge(text, offline=offline, fallback=fallback)

    return factory


def google_video(model: str, settings: Any):
    if not model.startswith("veo"):
        raise BackendUnavailable(f"google:{model} is not a video model; use e.g. google:veo-3.1-fast")
    from .veo import VeoVideoModel

    return VeoVideoModel.from_settings(model, settings)


def wan_video(model: str, settings: Any):
    from .wan import WanVideoModel

    return WanVideoModel.load(model)


TEXT = {
    "openai": (openai_text, "OpenAI chat completions with JSON schema (OPENAI_API_KEY)"),
    "openai-compatible": (openai_compatible_text, "vLLM / SGLang / Ollama at NEXTADS_OPENAI_BASE_URL"),
    "google": (google_text, "Gemini generateContent with JSON schema (GEMINI_API_KEY)"),
    "local": (local_text, "Qwen2.5-VL / Qwen3-VL folder through transformers (CPU or GPU)"),
}
for _prefix, (_factory, _desc) in TEXT.items():
    register("director", _prefix, _factory, _desc)
    register("judge", _prefix, _judge(_factory), "rubric judge on " + _desc)
register("producer", "google", google_video, "Veo through the Gemini API long-running operation (GEMINI_API_KEY)")
register("producer", "local-diffusers", wan_video, "Wan2.x text/image-to-video folder through diffusers")
