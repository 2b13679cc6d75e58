"""The local adapters load tiny random models from disk through the real loading code."""

from __future__ import annotations

import pytest

from nextads_studio.backends.clips import clip_duration
from nextads_studio.backends.llm_steps import ProfileOut
from nextads_studio.backends.local_vlm import LocalVLM
from nextads_studio.backends.registry import resolve
from nextads_studio.backends.visual_prompt import visual_prompt
from nextads_studio.backends.wan import WanVideoModel
from nextads_studio.errors import BackendError, BackendUnavailable
from nextads_studio.media_io import probe, read_frames
from tests.backends.tiny_models import save_tiny_qwen25_vl, save_tiny_wan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def qwen_dir(tmp_path_factory):
    return save_tiny_qwen25_vl(tmp_path_factory.mktemp("qwen25vl"))


@pytest.fixture(scope="module")
def wan_dir(tmp_path_factory):
    return save_tiny_wan(tmp_path_factory.mktemp("wan"))


def test_local_vlm_loads_once_generates_with_images_and_fails_validation_clearly(qwen_dir, history):
    model = resolve("director", f"local:{qwen_dir}")
    assert model is LocalVLM.load(qwen_dir), "the folder is loaded once per process"
    model.max_new_tokens = 16
    images = history.notes[0].image_paths
    # A random model writes random tokens: the adapter must say which schema failed, after one repair round.
    with pytest.raises(BackendError, match=r"local:qwen25vl\d* returned an invalid ProfileOut twice"):
        model.generate_json("Profile this history.", ProfileOut, images=images)
    assert len(model.usage.calls) == 2 and all("16 tokens on cpu" in c.detail for c in model.usage.calls)
    assert model.last_raw  # generation produced text that went to validation


def test_local_vlm_valid_answer_becomes_a_plan_step(qwen_dir, monkeypatch):
    """The validation path turns the model's text into the schema object (text injected at the model boundary)."""
    model = LocalVLM.load(qwen_dir)
    answer = '{"strong": {"theme": "crochet", "evidence": ["n0"]}, "tone_tags": ["warm"]}'
    monkeypatch.setattr(model.tokenizer, "decode", lambda *a, **k: answer)
    out = model.generate_json("Profile this history.", ProfileOut)
    assert out.strong.theme == "crochet" and out.tone_tags == ["warm"]


def test_missing_local_folder_is_unavailable(tmp_path):
    with pytest.raises(BackendUnavailable, match="config.json"):
        resolve("director", f"local:{tmp_path / 'nope'}")
    with pytest.raises(BackendUnavailable, match="model_index.json"):
        resolve("producer", f"local-diffusers:{tmp_path}")


def test_wan_generates_one_scene_length_clip_per_scene_and_caches(wan_dir, plan, tmp_path):
    model = resolve("producer", f"local-diffusers:{wan_dir}")
    assert isinstance(model, WanVideoModel) and model.device == "cpu"
    clips = model.generate(plan, plan.grounding.product_images, tmp_path / "clips")
    assert len(clips) == len(plan.storyboard.scenes) == 5
    info = probe(clips[0])
    assert abs(info.duration - 3.0) < 0.1 and info.fps == 30 and not info.has_audio
    assert (info.width, info.height) == (32, 64)  # 9:16 at the CPU defaults
    frames = list(read_frames(clips[0]))
    assert len(frames) == 90 and frames[0].std() > 0  # generated pixels, not a blank frame
    calls = len(model.usage.calls)
    assert model.generate(plan, [], tmp_path / "clips") == clips and len(model.usage.calls) == calls  # cached
    assert abs(clip_duration(clips[-1]) - 3.0) < 0.1


def test_visual_prompt_is_visual_only_and_bounded(plan):
    text = visual_prompt(plan)
    assert "vertical 9:16" in text and "Shot 5" in text and "Fizz Cola Zero" in text
    assert "A cold Fizz after the last stitch" not in text  # narration is voiced later, not drawn
    long = plan.storyboard.model_copy(update={"scenes": [s.model_copy(update={"visual": "yarn " * 150})
                                                         for s in plan.storyboard.scenes]})
    assert len(visual_prompt(plan.model_copy(update={"storyboard": long})).split()) <= 400


def test_generated_clips_go_through_the_offline_post_processing(wan_dir, history, product, data_dir):
    import numpy as np

    from nextads_studio.backends.llm_director import LLMDirector
    from nextads_studio.disclosure import label_box
    from nextads_studio.schemas.creative import RenderSettings
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio
    from tests.backends.test_llm_director import MATCH, PROFILE, VISUAL, storyboard
    from tests.fakes import FakeTextModel

    model = FakeTextModel([PROFILE, MATCH, VISUAL, storyboard(n=3, length=2.0)])
    plan = LLMDirector(model, data_dir=data_dir / "director").plan(history, product, duration=6.0)
    render = RenderSettings(resolution=360, voice=False)
    offline = Studio(Settings(data_dir=data_dir)).producer.render(plan, data_dir / "offline", render)
    studio = Studio(Settings(data_dir=data_dir, producer=f"local-diffusers:{wan_dir}"))
    creative = studio.producer.render(plan, data_dir / "generated", render)
    assert creative.backend.startswith("local-diffusers:") and offline.backend == "offline"
    info = probe(creative.video_path)
    assert info.has_audio and abs(info.duration - 6.0) < 0.1 and (info.width, info.height) == (360, 640)
    assert "AI Created" in " ".join(info.metadata.values())  # the render's disclosure tags are kept
    assert creative.srt_path and creative.sha256 != offline.sha256
    gen = next(read_frames(creative.video_path, start=1.0))
    off = next(read_frames(offline.video_path, start=1.0))
    x0, y0, x1, y1 = label_box(360, 640)
    body = np.ones(gen.shape[:2], bool)
    body[y0:y1, x0:x1] = False
    assert np.abs(gen.astype(int) - off.astype(int))[body].mean() > 10  # a different picture...
    assert np.abs(gen.astype(int) - off.astype(int))[y0:y1, x0:x1].mean() < 25  # ...under the same AI label
    assert any(n.startswith("backend local-diffusers:") for n in studio.producer.last_notes)


def test_missing_sdk_names_the_pip_command(monkeypatch, wan_dir, qwen_dir):
    import sys

    from nextads_studio.backends import local_vlm

    monkeypatch.setitem(sys.modules, "diffusers", None)  # import diffusers -> ImportError
    with pytest.raises(BackendUnavailable, match="pip install 'diffusers"):
        WanVideoModel.load(wan_dir)
    monkeypatch.setitem(sys.modules, "transformers", None)
    monkeypatch.setattr(local_vlm, "_CACHE", {})
    with pytest.raises(BackendUnavailable, match="pip install 'transformers"):
        LocalVLM.load(qwen_dir)
