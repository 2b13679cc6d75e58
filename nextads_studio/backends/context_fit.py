"""Fit a person's history into a model's context window, and say what was left out.

A 60-note history is ~12k prompt tokens; a local server often runs with 4096. When the model's context is known
(a setting, or the server's own figure), the newest items are kept and long texts are cut until the prompt, the
images and the step's answer budget fit. The note returned goes into the plan, so the trimming is visible.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from ..errors import BackendError
from .structured import DEFAULT_MAX_TOKENS, SYSTEM, data_block, estimate_tokens, schema_for, step_of

IMAGE_TOKENS = 600  # a generous per-image estimate for local vision models (Qwen2.5-VL, Gemma 3, LLaVA)
MARGIN = 64
CUTS = (700, 400, 200, 100)
MIN_ITEMS = 3


def budget_for(model: Any, schema: type[BaseModel]) -> int:
    max_tokens_for = getattr(model, "max_tokens_for", None)
    return max_tokens_for(schema) if callable(max_tokens_for) else DEFAULT_MAX_TOKENS.get(step_of(schema), 1024)


def fit_items(model: Any, schema: type[BaseModel], render: Callable[[str], str], items: Sequence[dict],
              images: Sequence[Any], label: str) -> tuple[str, list[dict], list[Any], str | None]:
    """(prompt, kept items, kept images, note or None). `render(block)` builds the prompt around a data block.

    Raises BackendError when even the newest MIN_ITEMS items with short texts do not fit.
    """
    items, images = list(items), list(images)
    context = getattr(model, "context_tokens", None)
    if not context:
        return render(data_block(label, items)), items, images, None
    answer = budget_for(model, schema)
    if getattr(model, "sees_images", None) is False:
        images = []
    fixed = estimate_tokens(SYSTEM) + estimate_tokens(render(data_block(label, []))) \
        + estimate_tokens(json.dumps(schema_for(schema))) + answer + MARGIN
    room = context - fixed
    while images and room - IMAGE_TOKENS * len(images) < room // 2:
        images.pop()
    room -= IMAGE_TOKENS * len(images)
    if estimate_tokens(data_block(label, items)) <= room:
        return render(data_block(label, items)), items, images, None
    backend = getattr(model, "backend_id", "the model")
    for cut in CUTS:
        shortened = [{**i, **({"content": i["content"][:cut]} if isinstance(i.get("content"), str) else {})}
                     for i in items]
        kept = list(shortened)
        while len(kept) > MIN_ITEMS and estimate_tokens(data_block(label, kept)) > room:
            kept.pop(0)  # items run oldest -> newest: the oldest goes first
        if estimate_tokens(data_block(label, kept)) <= room and len(kept) >= min(MIN_ITEMS, len(items)):
            cut_note = f", texts cut to {cut} characters" if any(
                isinstance(i.get("content"), str) and len(i["content"]) > cut for i in items) else ""
            note = (f"{label} trimmed to fit {backend}'s {context}-token context: the newest {len(kept)} of "
                    f"{len(items)} items{cut_note}")
            return render(data_block(label, kept)), kept, images, note
    need = fixed + estimate_tokens(data_block(label, kept)) + IMAGE_TOKENS * len(images)
    raise BackendError(f"the {label} does not fit in {context} tokens: even the newest {len(kept)} items cut to "
                       f"{CUTS[-1]} characters need ~{need} tokens with the {answer}-token answer; start the server "
                       "with a larger context (llama-server -c 16384) or lower NEXTADS_LLM_MAX_TOKENS")
