"""`local:/path/to/Qwen3-VL`: a Qwen2.5-VL or Qwen3-VL folder run through transformers, loaded once per process.

No torchvision: the Qwen processors need it for video, so images go through Qwen2VLImageProcessorPil and the
prompt is built with Qwen's chat format by hand (one <|image_pad|> per merged patch). Output is free text that
must parse and validate like any backend's; one repair round, then a clear BackendError.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import BackendError, BackendUnavailable
from .structured import StructuredTextModel

PIP = "pip install 'transformers>=4.57' torch"
_CACHE: dict[Path, LocalVLM] = {}
_LOCK = threading.Lock()


def _imports():
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise BackendUnavailable(f"local: backends need torch and transformers ({exc.name} is missing).",
                                 pip_hint=PIP) from exc
    return torch, transformers


class LocalVLM(StructuredTextModel):
    """A Qwen-VL model held in memory; `generate_json` like the cloud text models."""

    def __init__(self, folder: Path, model: Any, tokenizer: Any, image_processor: Any, device: str,
                 max_new_tokens: int):
        super().__init__()
        self.folder = folder
        self.model, self.tokenizer, self.image_processor = model, tokenizer, image_processor
        self.device = device
        self.max_new_tokens = max_new_tokens
        self.backend_id = f"local:{folder.name}"
        self.last_raw = ""
        self._lock = threading.Lock()

    @classmethod
    def load(cls, folder: str | Path, max_new_tokens: int | None = None) -> LocalVLM:
        """Load (once per folder per process) on CUDA when available, else CPU."""
        path = Path(folder).expanduser().resolve()
        if not (path / "config.json").is_file():
            raise BackendUnavailable(f"local:{folder}: no model folder with a config.json at {path}")
        with _LOCK:
            if path not in _CACHE:
                _CACHE[path] = cls._load(path, max_new_tokens or int(os.environ.get("NEXTADS_LOCAL_MAX_TOKENS",
                                                                                    "1024")))
            return _CACHE[path]

    @classmethod
    def _load(cls, path: Path, max_new_tokens: int) -> LocalVLM:
        torch, transformers = _imports()
        device = "cuda" if torch.cuda.is_available() else "cpu"
        dtype = torch.bfloat16 if device == "cuda" else torch.float32
        try:
            model = transformers.AutoModelForImageTextToText.from_pretrained(path, local_files_only=True,
                                                                             dtype=dtype).to(device).eval()
            tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        except (OSError, ValueError) as exc:
            raise BackendUnavailable(f"local:{path} could not be loaded: {exc}") from exc
        return cls(path, model, tokenizer, _image_processor(path, model.config, transformers), device,
                   max_new_tokens)

    def _complete(self, system: str, user: str, schema: dict[str, Any], images: Sequence[Path | str],
                  temperature: float, max_tokens: int | None = None) -> str:
        import time

        from PIL import Image

        from .base import CallRecord

        torch, _ = _imports()
        started = time.perf_counter()
        pixel_inputs: dict[str, Any] = {}
        vision = ""
        if images:
            pil = [Image.open(p).convert("RGB") for p in images]
            feats = self.image_processor(images=pil, return_tensors="pt")
            merge = getattr(self.image_processor, "merge_size", 2) ** 2
            vision = "".join("<|vision_start|>" + "<|image_pad|>" * (int(g.prod()) // merge) + "<|vision_end|>"
                             for g in feats["image_grid_thw"])
            pixel_inputs = {"pixel_values": feats["pixel_values"].to(self.device, self.model.dtype),
                            "image_grid_thw": feats["image_grid_thw"].to(self.device)}
        text = (f"<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{vision}{user}<|im_end|>\n"
                "<|im_start|>assistant\n")
        enc = self.tokenizer(text, return_tensors="pt").to(self.device)
        sampling = {"do_sample": True, "temperature": temperature} if temperature > 0 else {"do_sample": False}
        with self._lock, torch.inference_mode():
            try:
                budget = min(self.max_new_tokens, max_tokens or self.max_new_tokens)
                out = self.model.generate(**enc, **pixel_inputs, max_new_tokens=budget, **sampling)
            except (RuntimeError, ValueError) as exc:
                raise BackendError(f"{self.backend_id} failed to generate: {exc}") from exc
        self.last_raw = self.tokenizer.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        self.usage.add(CallRecord(self.backend_id, "generate", time.perf_counter() - started,
                                  detail=f"{out.shape[1] - enc['input_ids'].shape[1]} tokens on {self.device}"))
        return self.last_raw


def _image_processor(path: Path, config: Any, transformers: Any) -> Any:
    """Qwen2VLImageProcessorPil with the folder's preprocessor settings (works without torchvision)."""
    params: dict[str, Any] = {}
    pre = path / "preprocessor_config.json"
    if pre.is_file():
        raw = json.loads(pre.read_text())
        keys = ("patch_size", "merge_size", "temporal_patch_size", "min_pixels", "max_pixels", "image_mean",
                "image_std")
        params = {k: raw[k] for k in keys if k in raw}
        if "size" in raw and isinstance(raw["size"], dict):  # newer configs keep the pixel bounds in `size`
            params.setdefault("min_pixels", raw["size"].get("shortest_edge"))
            params.setdefault("max_pixels", raw["size"].get("longest_edge"))
    vision = getattr(config, "vision_config", None)
    params.setdefault("patch_size", getattr(vision, "patch_size", 14))
    params.setdefault("merge_size", getattr(vision, "spatial_merge_size", 2))
    params.setdefault("max_pixels", 1280 * 28 * 28)  # bound the prompt on a CPU; Qwen's own default is far larger
    return transformers.Qwen2VLImageProcessorPil(**{k: v for k, v in params.items() if v is not None})
