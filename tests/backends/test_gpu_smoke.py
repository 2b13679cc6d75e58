"""GPU smoke test (NEXTADS_GPU_TESTS=1): the local adapters on CUDA, with tiny models or real folders.

Set NEXTADS_GPU_QWEN_DIR / NEXTADS_GPU_WAN_DIR to real Qwen-VL / Wan folders to smoke-test them instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nextads_studio.media_io import probe
from tests.backends.tiny_models import save_tiny_qwen25_vl, save_tiny_wan

pytestmark = pytest.mark.gpu


def test_local_adapters_run_on_cuda(tmp_path, plan, monkeypatch):
    import torch

    from nextads_studio.backends.llm_steps import ProfileOut
    from nextads_studio.backends.local_vlm import LocalVLM
    from nextads_studio.backends.wan import WanVideoModel
    from nextads_studio.errors import BackendError

    assert torch.cuda.is_available()
    qwen = Path(os.environ.get("NEXTADS_GPU_QWEN_DIR") or save_tiny_qwen25_vl(tmp_path / "qwen"))
    wan = Path(os.environ.get("NEXTADS_GPU_WAN_DIR") or save_tiny_wan(tmp_path / "wan"))
    if "NEXTADS_GPU_WAN_DIR" not in os.environ:  # tiny model: keep the GPU defaults' shape, fewer steps
        for key, value in {"STEPS": "2", "FRAMES": "17", "LONG": "128", "SHORT": "64"}.items():
            monkeypatch.setenv(f"NEXTADS_WAN_{key}", value)
    vlm = LocalVLM.load(qwen, max_new_tokens=64)
    assert vlm.device == "cuda"
    try:
        out = vlm.generate_json("Profile this person.", ProfileOut, images=plan.grounding.user_images[:1])
        assert out.strong.theme
    except BackendError as exc:  # a random tiny model cannot write JSON; a real one should
        assert "NEXTADS_GPU_QWEN_DIR" not in os.environ, exc
    assert all("on cuda" in c.detail for c in vlm.usage.calls)
    model = WanVideoModel.load(wan)
    assert model.device == "cuda"
    clips = model.generate(plan, [], tmp_path / "clips")
    assert len(clips) == len(plan.storyboard.scenes)
    assert abs(probe(clips[0]).duration - plan.storyboard.scenes[0].duration) < 0.1
