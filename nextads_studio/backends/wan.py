"""`local-diffusers:/path/to/Wan2.2-TI2V-5B`: Wan2.x text/image-to-video from a folder, one clip per scene.

The pipeline loads once per folder (GPU in bfloat16, CPU in float32 for tiny test models). Each scene's clip is
cached by a hash of everything that shapes it, so a revision regenerates only the scenes that changed.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import BackendError, BackendUnavailable
from .base import CallRecord, Usage, VideoModel
from .clips import fit_clip, write_frames
from .visual_prompt import visual_prompt

PIP = "pip install 'diffusers>=0.35' transformers accelerate torch"
_CACHE: dict[Path, Any] = {}
_LOCK = threading.Lock()
GPU_DEFAULTS = {"steps": 30, "frames": 81, "long": 832, "short": 480, "guidance": 5.0, "fps": 16}
CPU_DEFAULTS = {"steps": 2, "frames": 9, "long": 64, "short": 32, "guidance": 1.0, "fps": 8}


def _options(device: str) -> dict[str, float]:
    """Defaults per device, overridable by NEXTADS_WAN_STEPS/FRAMES/LONG/SHORT/GUIDANCE/FPS."""
    opts = dict(GPU_DEFAULTS if device == "cuda" else CPU_DEFAULTS)
    for key in opts:
        raw = os.environ.get(f"NEXTADS_WAN_{key.upper()}")
        if raw:
            opts[key] = float(raw)
    return opts


class WanVideoModel(VideoModel):
    """Generates one silent, scene-length clip per storyboard scene."""

    def __init__(self, folder: Path, pipe: Any, device: str, options: dict[str, float] | None = None):
        self.folder, self.pipe, self.device = folder, pipe, device
        self.options = options or _options(device)
        self.backend_id = f"local-diffusers:{folder.name}"
        self.usage = Usage()
        self._lock = threading.Lock()
        # text-to-video folders ignore images; image-to-video ones (Wan I2V, TI2V via its I2V pipeline) use them
        self.takes_image = "image" in inspect.signature(pipe.__call__).parameters

    @classmethod
    def load(cls, folder: str | Path) -> WanVideoModel:
        path = Path(folder).expanduser().resolve()
        if not (path / "model_index.json").is_file():
            raise BackendUnavailable(f"local-diffusers:{folder}: no diffusers folder (model_index.json) at {path}")
        try:
            import accelerate  # noqa: F401  (diffusers cannot load Wan's fp32-pinned modules without it)
            import torch
            from diffusers import DiffusionPipeline
        except ImportError as exc:
            raise BackendUnavailable(f"local-diffusers needs diffusers and torch ({exc.name} is missing).",
                                     pip_hint=PIP) from exc
        device = "cuda" if torch.cuda.is_available() else "cpu"
        with _LOCK:
            if path not in _CACHE:
                _CACHE[path] = _load_pipeline(DiffusionPipeline, path, device, torch)
        return cls(path, _CACHE[path], device)

    def generate(self, plan: Any, references: Sequence[Path | str], out_dir: Path) -> list[Path]:
        """One clip per scene at the scene's exact length (silent, 30 fps); cached by content hash."""
        out_dir = Path(out_dir)
        clips = []
        for scene in plan.storyboard.scenes:
            prompt = visual_prompt(plan, [scene])
            image = _conditioning(plan, scene, references) if self.takes_image else None
            key = _hash(self.folder.name, prompt, image, plan.seed + scene.index, plan.storyboard.aspect,
                        self.options)
            target = out_dir / f"wan_scene{scene.index:02d}_{key}.mp4"
            if not target.is_file():
                raw = self._generate_raw(prompt, image, plan.seed + scene.index, plan.storyboard.aspect,
                                         out_dir / f".wan_raw_{key}.mp4")
                fit_clip(raw, target, scene.duration)
                raw.unlink(missing_ok=True)
            clips.append(target)
        return clips

    def _generate_raw(self, prompt: str, image: str | None, seed: int, aspect: str, out: Path) -> Path:
        import torch
        from PIL import Image

        o = self.options
        width, height = _size(aspect, int(o["long"]), int(o["short"]))
        kwargs: dict[str, Any] = dict(prompt=prompt, height=height, width=width, num_frames=int(o["frames"]),
                                      num_inference_steps=int(o["steps"]), guidance_scale=o["guidance"],
                                      output_type="np", generator=torch.Generator("cpu").manual_seed(seed))
        if self.device == "cpu":
            kwargs["max_sequence_length"] = 64  # tiny test encoders; real folders run on a GPU with the default
        if image:
            kwargs["image"] = Image.open(image).convert("RGB").resize((width, height))
        started = time.perf_counter()
        with self._lock:
            try:
                frames = self.pipe(**kwargs).frames[0]
            except (RuntimeError, ValueError) as exc:
                self.usage.add(CallRecord(self.backend_id, "generate", time.perf_counter() - started, ok=False,
                                          detail=str(exc)[:200]))
                raise BackendError(f"{self.backend_id} failed to generate: {exc}") from exc
        self.usage.add(CallRecord(self.backend_id, "generate", time.perf_counter() - started,
                                  detail=f"{len(frames)} frames {width}x{height} on {self.device}"))
        return write_frames([(f * 255).clip(0, 255).astype("uint8") for f in frames], out, o["fps"])


def _load_pipeline(cls: Any, path: Path, device: str, torch: Any) -> Any:
    """bfloat16 on a GPU; float32 weights as saved on a CPU (diffusers refuses a dtype there without accelerate)."""
    if device == "cpu":
        return cls.from_pretrained(path, local_files_only=True)
    try:
        return cls.from_pretrained(path, local_files_only=True, dtype=torch.bfloat16).to(device)
    except ValueError:  # without `accelerate` some components cannot be loaded straight into bfloat16
        return cls.from_pretrained(path, local_files_only=True).to(device, torch.bfloat16)


def _conditioning(plan: Any, scene: Any, references: Sequence[Path | str]) -> str | None:
    """PCI: the host's start frame opens and closes the segment; product scenes start from the product image."""
    last = len(plan.storyboard.scenes) - 1
    if plan.integration is not None and plan.integration.start_frame_path and scene.index in (0, last):
        return plan.integration.start_frame_path
    if scene.product_focus and plan.grounding.product_images:
        return plan.grounding.product_images[0]
    return str(references[0]) if references and scene.index == 0 else None


def _size(aspect: str, long: int, short: int) -> tuple[int, int]:
    """(width, height), multiples of 16 as the Wan VAE and patching need."""
    r16 = lambda v: max(16, int(v) // 16 * 16)  # noqa: E731
    if aspect == "16:9":
        return r16(long), r16(short)
    if aspect == "1:1":
        return r16(short), r16(short)
    return r16(short), r16(long)


def _hash(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:12]
