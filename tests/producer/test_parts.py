"""The Producer's parts: captions and fonts, the label, music, voice timing, scene styles, the CLI."""

from __future__ import annotations

import json
import os
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest
from conftest import draw_product, make_plan

from nextads_studio.disclosure import AI_LABEL_TEXT, draw_ai_label, label_box
from nextads_studio.producer import audio as A
from nextads_studio.producer.layers import hex_rgb
from nextads_studio.producer.layouts import text_safe_area
from nextads_studio.producer.music import RATE, mood_for, synthesize_music
from nextads_studio.producer.plan_specs import scene_keys, scene_specs
from nextads_studio.producer.scene import SceneRenderer
from nextads_studio.producer.speech import EspeakSpeech, OfflineSpeech, PiperSpeech, piper_model
from nextads_studio.producer.text import caption_layer, contrast, darken, readable_on, wrap
from nextads_studio.rules import frame_size

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def _ink(rgba: np.ndarray) -> np.ndarray:
    return rgba[..., 3] > 128


def test_cjk_and_emoji_draw_real_glyphs():
    a = caption_layer("新品", 400, 40, (0, 0, 0), (255, 0, 0), style="title")
    b = caption_layer("上市", 400, 40, (0, 0, 0), (255, 0, 0), style="title")
    assert _ink(a).sum() > 200 and not np.array_equal(_ink(a), _ink(b))  # distinct glyphs, not tofu boxes
    e = caption_layer("🔥", 200, 60, (0, 0, 0), (0, 0, 0), style="title")
    rgb = e[..., :3][_ink(e)].astype(int)
    assert rgb.size and (rgb.max(axis=1) - rgb.min(axis=1)).mean() > 40  # coloured, not a grey outline


def test_wrapping_keeps_words_and_handles_percent_and_quotes():
    text = 'Save 20% on the "everyday" buds today'
    lines = wrap(text, 40, 300)
    assert len(lines) > 1 and " ".join(lines) == text
    cjk = wrap("认识新耳机轻巧舒适立即购买", 40, 200)
    assert len(cjk) > 1 and "".join(cjk) == "认识新耳机轻巧舒适立即购买"


def test_a_number_is_never_wrapped_away_from_its_unit():
    """'Close focus of 2 m' once read '... of 2' / 'm ...' in a leader-line callout."""
    text = "Close focus of 2 m for butterflies and 30 h of battery"
    for width in range(120, 420, 10):
        lines = wrap(text, 30, width)
        assert " ".join(lines) == text
        assert not any(ln.endswith((" 2", " 30")) or ln == "2" or ln.startswith(("m ", "h ")) for ln in lines), lines


def test_the_motif_comes_from_the_matched_interest_not_another_one(tmp_path):
    """A birder who also bakes, matched to binoculars on her birding: a bird, never the baking pan; a matched
    interest no motif knows falls back to the product's field, not to her baking."""
    from nextads_studio.producer.plan_specs import motif_family
    from nextads_studio.schemas.plan import MatchResult
    from nextads_studio.schemas.profile import Interest, UserProfile

    plan = make_plan(tmp_path)
    profile = UserProfile(user_id="u_ines", interests=[
        Interest(tier="strong", theme="birding", keywords=["estuary count", "birding list", "common redstart"]),
        Interest(tier="medium", theme="cooking", keywords=["sourdough", "seeded rye", "bake", "kitchen"])])
    product = plan.product.model_copy(update={"name": "Kestrel 8x42", "keywords": ["binoculars", "optics"],
                                              "selling_points": ["Bright 42 mm lenses"]})
    match = MatchResult(chosen_tier="strong", chosen_theme="birding", reason="test")
    assert motif_family(plan.model_copy(update={"profile": profile, "product": product, "match": match})) == "birds"
    stars = profile.model_copy(update={"interests": [
        profile.interests[0].model_copy(update={"theme": "stargazing", "keywords": ["dark sky", "orion"]}),
        profile.interests[1]]})
    product = product.model_copy(update={"keywords": ["telescope"], "selling_points": ["Sharp glass for night"],
                                         "name": "Nightfield", "subcategory": "camera lens"})
    match = match.model_copy(update={"chosen_theme": "stargazing"})
    assert motif_family(plan.model_copy(update={"profile": stars, "product": product, "match": match})) == "stars"
    unknown = profile.model_copy(update={"interests": [
        profile.interests[0].model_copy(update={"theme": "origami", "keywords": ["paper cranes", "fold"]}),
        profile.interests[1]]})
    match = match.model_copy(update={"chosen_theme": "origami"})
    family = motif_family(plan.model_copy(update={"profile": unknown, "product": product, "match": match}))
    assert family == "photography"


def test_a_sailing_ad_shows_a_boat_not_a_book(tmp_path):
    """A sailor whose notes read 'reading tide tables', matched on sailing for a sailing watch: the motif is a boat
    (it was an open book, from 'reading'), and the boat is drawn (not the fallback phone)."""
    from nextads_studio.producer.motifs import motif_mask
    from nextads_studio.producer.plan_specs import motif_family
    from nextads_studio.schemas.plan import MatchResult
    from nextads_studio.schemas.profile import Interest, UserProfile

    plan = make_plan(tmp_path)
    profile = UserProfile(user_id="u_oskar", interests=[
        Interest(tier="strong", theme="chess", keywords=["chess club opening", "blitz chess"]),
        Interest(tier="medium", theme="sailing", keywords=["reading tide tables", "means reading tide",
                                                           "anchored overnight", "reefed early"])])
    product = plan.product.model_copy(update={"name": "Tidemark", "subcategory": "sailing watch",
                                              "keywords": ["sailing", "watch", "tide", "regatta"],
                                              "selling_points": ["Tide graph for 3,000 ports on your wrist"]})
    match = MatchResult(chosen_tier="medium", chosen_theme="sailing", reason="test")
    assert motif_family(plan.model_copy(update={"profile": profile, "product": product, "match": match})) == "sailing"
    assert not np.array_equal(motif_mask("sailing", 64), motif_mask("tech", 64))


def test_caption_bars_have_readable_contrast():
    for palette in (["#FFF1C1", "#FFD6A5", "#FDFFB6", "#CAFFBF"], ["#0B132B", "#1C2541", "#F2A541", "#F7F7FF"]):
        bar = darken(hex_rgb(palette[0]), 0.05)
        assert contrast(bar, readable_on(bar)) >= 4.5


@pytest.mark.parametrize("aspect", ["9:16", "16:9", "1:1"])
def test_label_sits_in_a_corner_clear_of_captions(aspect):
    w, h = frame_size(aspect, 720)
    rgba, box = draw_ai_label(w, h)
    x0, y0, x1, y1 = box
    assert rgba.shape[:2] == (y1 - y0, x1 - x0) and x1 < w / 2 and y1 < h * 0.15
    assert (y1 - y0) >= 0.04 * min(w, h)  # readable size
    assert y1 < text_safe_area(w, h).y0  # no scene text can reach the label
    assert label_box(w, h) == box and AI_LABEL_TEXT == "AI Created"
    assert np.array_equal(draw_ai_label(w, h)[0], rgba)  # deterministic


def test_music_follows_the_mood_and_is_deterministic():
    calm = synthesize_music(4.0, ["calm"], 3)
    loud = synthesize_music(4.0, ["energetic"], 3)
    assert len(calm) == len(loud) == 4 * RATE
    assert np.array_equal(calm, synthesize_music(4.0, ["calm"], 3))
    assert mood_for(["energetic"])[0] > mood_for(["calm"])[0]

    def onsets(x):  # rises of the 10 ms loudness envelope, relative to its level: drums make many
        rms = np.sqrt((x[: len(x) // 480 * 480].reshape(-1, 480) ** 2).mean(axis=1))
        return np.clip(np.diff(rms), 0, None).sum() / rms.sum()

    assert onsets(loud) > 1.5 * onsets(calm)


def test_ducking_lowers_music_under_the_voice():
    voice = np.zeros(RATE * 3, np.float32)
    voice[RATE:2 * RATE] = 0.5 * np.sin(np.arange(RATE) * 0.05)
    env = A.duck_envelope(voice)
    assert env[int(1.5 * RATE)] < 0.35 and env[int(0.2 * RATE)] > 0.95


def test_three_users_look_different(tmp_path):
    looks = []
    for palette, tone, seed in ((["#0B132B", "#1C2541", "#F2A541", "#F7F7FF"], ("energetic",), 1),
                                (["#FDE2E4", "#FAD2E1", "#E2ECE9", "#BEE1E6"], ("calm",), 2),
                                (["#2D6A4F", "#40916C", "#FFB703", "#FB8500"], ("informative",), 3)):
        plan = make_plan(tmp_path / f"looks{seed}", palette=palette, tone=tone, seed=seed)
        specs = scene_specs(plan, 180, 320, [ASSETS])
        frame = SceneRenderer(specs[0]).frame(20)
        looks.append((frame.reshape(-1, 3).mean(axis=0), specs[1].transition_frames))
    colours = [c for c, _ in looks]
    assert min(np.linalg.norm(a - b) for i, a in enumerate(colours) for b in colours[i + 1:]) > 25
    assert len({t for _, t in looks}) == 3  # pacing: energetic cuts faster than calm


def test_camera_motion_moves_the_frame(tmp_path):
    plan = make_plan(tmp_path)
    spec = scene_specs(plan, 180, 320, [ASSETS])[0]  # push_in
    r = SceneRenderer(spec)
    assert np.abs(r.frame(2).astype(int) - r.frame(spec.n_frames - 1).astype(int)).mean() > 3


def test_cache_keys_depend_on_content_resolution_and_quality(tmp_path):
    plan = make_plan(tmp_path)
    a = scene_keys(scene_specs(plan, 180, 320, [ASSETS]), "preview")
    assert a == scene_keys(scene_specs(plan, 180, 320, [ASSETS]), "preview")
    assert set(a).isdisjoint(scene_keys(scene_specs(plan, 360, 640, [ASSETS]), "preview"))
    assert set(a).isdisjoint(scene_keys(scene_specs(plan, 180, 320, [ASSETS]), "final"))


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_piper_speaks_faster_when_asked(tmp_path):
    piper = PiperSpeech()
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    piper.synthesize_many(["Light enough for every run.", "Light enough for every run."], tmp_path, 1.0,
                          [slow, tmp_path / "x.wav"])
    piper.synthesize(" Light enough\nfor every run. ", fast, speed=1.33)
    assert 0.8 < A.wav_seconds(slow) < 4 and A.wav_seconds(fast) < A.wav_seconds(slow) * 0.9
    assert slow.read_bytes() == (tmp_path / "x.wav").read_bytes()  # deterministic voice


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_long_narration_is_sped_up_not_cut(tmp_path):
    long = "This sentence has far too many words for a scene that lasts only a second"
    lines = [A.Line(0, long, 0.0, 1.5), A.Line(1, "Shop now.", 1.5, 4.0), A.Line(2, "Shop now.", 4.0, 6.0)]
    engine, notes = A.narrate(lines, OfflineSpeech(), "en", tmp_path, total=6.0)  # a repeated line is fine
    assert lines[0].speed == pytest.approx(A.MAX_SPEED, abs=0.01)
    assert any("into the next scene" in n for n in notes)
    assert lines[1].start >= lines[0].end and lines[-1].end <= 6.0 and lines[1].wav == lines[2].wav


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_fitted_line_is_the_same_take_faster_with_every_word(tmp_path):
    text = "A battery that keeps up with your whole long weekend away from home."
    base = [A.Line(0, text, 0.0, 20.0)]
    A.narrate(base, OfflineSpeech(), "en", tmp_path / "a", total=20.0)
    fitted = [A.Line(0, text, 0.0, 2.4)]
    A.narrate(fitted, OfflineSpeech(), "en", tmp_path / "b", total=2.4)
    speed = fitted[0].speed
    assert 1.05 < speed <= A.MAX_SPEED + 1e-6
    assert fitted[0].duration == pytest.approx(base[0].duration / speed, rel=0.03)
    slow, fast = A.read_wav(base[0].wav), A.read_wav(fitted[0].wav)
    # the last word is still spoken: voiced audio runs as close to the end as in the original take
    tail = [(len(x) - np.nonzero(np.abs(x) > 0.02)[0][-1]) / A.RATE for x in (slow, fast)]
    assert tail[1] <= tail[0] + 0.05


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")
def test_chinese_narration_uses_espeak_mandarin(tmp_path):
    speech = OfflineSpeech()
    engine = speech.for_language("zh")
    assert isinstance(engine, EspeakSpeech) and engine.voice("zh") == "cmn"
    out = engine.synthesize("立即购买", tmp_path / "zh.wav", language="zh")
    with wave.open(str(out)) as w:
        assert w.getnframes() > 0.3 * w.getframerate()


def test_no_voice_engine_skips_narration_with_a_note(tmp_path):
    class Mute:
        def for_language(self, language):
            return None

    lines = [A.Line(0, "Hello there.", 0.0, 2.0)]
    engine, notes = A.narrate(lines, Mute(), "xx", tmp_path, total=2.0)
    assert engine == "" and not lines and "skipped" in notes[0]


def test_cli_render_prints_a_summary(tmp_path, monkeypatch, capsys):
    from nextads_studio.cli import main

    plan = make_plan(tmp_path / "in", duration=2.0, narration=False)
    (tmp_path / "plan.json").write_text(plan.model_dump_json())
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEXTADS_ASSETS_DIR", str(ASSETS))
    code = main(["render", str(tmp_path / "plan.json"), "--out", str(tmp_path / "out"), "--resolution", "360"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["render_time_s"] > 0
    assert (tmp_path / "out" / "creative.mp4").is_file() and (tmp_path / "out" / "creative.srt").is_file()
    assert summary["width"] == 360 and summary["scenes_rerendered"] == [0, 1, 2]
    (tmp_path / "bad.json").write_text('{"plan_id": "x"}')
    assert main(["render", str(tmp_path / "bad.json")]) == 2
    assert "bad.json" in capsys.readouterr().err


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_one_piper_process_serves_every_line_and_is_restarted_if_it_dies(tmp_path):
    from nextads_studio.producer import speech as S

    a, b = PiperSpeech(), PiperSpeech()  # two backends in one studio process share the worker
    a.synthesize_many(["Coffee first.", "Then the hills."], tmp_path, 1.0, [tmp_path / "1.wav", tmp_path / "2.wav"])
    worker = S._worker(a.model, a.config, 1.0)
    b.synthesize("Then the hills.", tmp_path / "3.wav")
    assert S._worker(b.model, b.config, 1.0).proc.pid == worker.proc.pid
    assert (tmp_path / "2.wav").read_bytes() == (tmp_path / "3.wav").read_bytes()
    assert A.wav_seconds(tmp_path / "1.wav") > 0.4
    worker.proc.kill()
    worker.proc.wait()
    b.synthesize("Still speaking.", tmp_path / "4.wav")  # a dead worker is replaced, not fatal
    assert A.wav_seconds(tmp_path / "4.wav") > 0.4
    assert S._worker(b.model, b.config, 1.0).proc.pid != worker.proc.pid


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_voice_model_is_prepared_once_and_speaks_the_same(tmp_path, monkeypatch):
    """The first voice start loads the packaged model and prepares an optimized copy in the background; later
    starts load that copy (faster) and speak the same audio. A copy that will not load is dropped, and the line
    is still spoken with the packaged model."""
    import time

    from nextads_studio.producer import speech as S

    monkeypatch.setenv("NEXTADS_VOICE_CACHE", str(tmp_path / "voice"))
    S.close_voice_workers()
    piper = PiperSpeech()
    piper.synthesize("Coffee first, then the hills.", tmp_path / "original.wav")
    assert S._worker(piper.model, piper.config, 1.0).prepared is False
    prepared, _ = S.prepared_model(piper.model, piper.config)
    deadline = time.monotonic() + 120
    while not prepared.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert prepared.is_file() and not list(prepared.parent.glob("*.part"))
    S.close_voice_workers()
    piper.synthesize("Coffee first, then the hills.", tmp_path / "prepared.wav")
    assert S._worker(piper.model, piper.config, 1.0).prepared is True
    a, b = A.read_wav(tmp_path / "original.wav"), A.read_wav(tmp_path / "prepared.wav")
    assert len(a) == len(b) and np.abs(a - b).max() < 0.01
    S.close_voice_workers()
    prepared.write_bytes(b"not an onnx model")
    piper.synthesize("Still speaking.", tmp_path / "fallback.wav")
    assert A.wav_seconds(tmp_path / "fallback.wav") > 0.4 and not prepared.exists()
    S.close_voice_workers()


def test_product_matte_is_cached_by_image_content(tmp_path, monkeypatch):
    from nextads_studio.producer import layers as L

    first = draw_product(tmp_path / "a.png")
    copy = tmp_path / "renamed.png"
    copy.write_bytes(first.read_bytes())
    cache = tmp_path / "cutouts"
    a = L.cutout_file(str(first), str(cache))
    assert len(list(cache.glob("*.png"))) == 1 and a[..., 3].min() == 0  # a real matte, stored once
    monkeypatch.setattr(L, "matte", lambda rgba: pytest.fail("the matte was computed again"))
    b = L.cutout_file(str(copy), str(cache))  # same pixels under another name: served from the cache
    assert len(list(cache.glob("*.png"))) == 1 and np.array_equal(a, b)
    assert np.array_equal(L.cutout_file(str(first)), a)  # the Verifier's call (no cache folder) shares it too
    L.forget_mattes()  # a fresh process: the matte comes back from the folder, not from GrabCut
    assert np.array_equal(L.cutout_file(str(copy), str(cache)), a)
    monkeypatch.undo()
    draw_product(tmp_path / "navy.png", color=(20, 30, 70))
    L.cutout_file(str(tmp_path / "navy.png"), str(cache))
    assert len(list(cache.glob("*.png"))) == 2


def test_a_library_images_matte_made_at_import_serves_its_first_render(tmp_path, monkeypatch):
    """Products are cut out when they enter the library, so a product's first render does not wait for GrabCut;
    the stored matte gives the same cut-out as computing it, and a damaged one is made again, not trusted."""
    from nextads_studio.producer import layers as L

    (tmp_path / "images").mkdir()
    shot = draw_product(tmp_path / "images" / "shot.png")
    fresh = L.cutout(L.load_rgba(str(shot)))
    assert [p.name for p in L.prepare_mattes([shot])] == [L.library_matte(shot).name]
    assert L.prepare_mattes([shot]) == []  # already matted: nothing made twice
    L.forget_mattes()
    with monkeypatch.context() as m:
        m.setattr(L, "matte", lambda rgba: pytest.fail("a stored matte was computed again"))
        assert np.array_equal(L.cutout_file(str(shot), str(tmp_path / "cache")), fresh)
    assert not (tmp_path / "cache").exists()  # nothing cached twice
    L.library_matte(shot).write_bytes(b"not a png")
    L.forget_mattes()
    assert np.array_equal(L.cutout_file(str(shot), str(tmp_path / "cache")), fresh)


def test_backdrop_is_a_tint_of_a_brand_colour_never_a_grey_from_white_and_ink():
    """A GenericAds palette is the brand's colours plus white and ink; when the product wears the first brand
    colour, the backdrop must come from the other brand colour, not from mixing ink toward white (grey)."""
    from nextads_studio.producer.backdrops import MIN_SEPARATION, chroma, delta_e, mix, pick

    palette = [hex_rgb(c) for c in ("#E76F51", "#264653", "#FFFFFF", "#1A1A1A")]
    orange_edge = (222, 110, 80)
    name, a, b = pick(palette, orange_edge)
    assert chroma(mix(a, b, 0.5)) > 6, f"{name} backdrop {a}->{b} is grey"
    assert delta_e(mix(a, b, 0.5), orange_edge) >= MIN_SEPARATION
    assert delta_e(mix(a, b, 0.5), palette[1]) < delta_e(mix(a, b, 0.5), palette[0])  # the teal, not the orange


def test_captions_are_balanced_not_left_with_a_lone_last_word():
    from nextads_studio.producer.kinetic import fit_box
    from nextads_studio.producer.text import text_width

    lines, size = fit_box("Write like you mean it.", 40, 460, 400)
    assert len(lines) == 2 and " ".join(lines) == "Write like you mean it."
    widths = [text_width(ln, size) for ln in lines]
    assert min(widths) > 0.6 * max(widths), lines  # not "Write like you mean" over a lone "it."
    assert max(widths) <= 460


def test_generic_palette_of_brand_colours_white_and_ink_renders_a_coloured_backdrop(tmp_path):
    """GenericAds grounding palettes are the brand's colours plus white and ink: the frames used to show a
    white-to-ink (grey) gradient behind the product."""
    from nextads_studio.producer.backdrops import lab

    plan = make_plan(tmp_path, palette=("#E76F51", "#264653", "#FFFFFF", "#1A1A1A"))
    plan = plan.model_copy(update={"product": plan.product.model_copy(update={"brand_colors": ["#E76F51", "#264653"]})})
    spec = scene_specs(plan, 180, 320, [ASSETS])[0]
    assert spec.palette[2] == "#E76F51"  # the brand's first colour stays the accent
    frame = SceneRenderer(spec).frame(5)
    corners = np.concatenate([frame[40:90, :30].reshape(-1, 3), frame[-60:, -30:].reshape(-1, 3)])
    chroma = np.hypot(*lab(corners).reshape(-1, 3)[:, 1:].T)
    assert np.median(chroma) > 6, "the backdrop is grey"


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_a_dead_process_voice_folder_is_removed_when_a_worker_starts(tmp_path):
    import subprocess
    import sys
    import tempfile

    from nextads_studio.producer import speech as S

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = Path(tempfile.gettempdir()) / f"nextads-voice-{int(gone.stdout)}-abc"
    stale.mkdir()
    mine = Path(tempfile.mkdtemp(prefix=f"nextads-voice-{os.getpid()}-"))
    S.close_voice_workers()
    PiperSpeech().synthesize("Fresh start.", tmp_path / "a.wav")
    assert not stale.exists() and mine.exists()  # a live process's folder is left alone
    shutil.rmtree(mine)


@pytest.mark.skipif(piper_model() is None, reason="piper voice not installed")
def test_serving_the_studio_starts_the_voice_that_the_first_render_then_uses(tmp_path, monkeypatch):
    """`nextads serve` starts the piper worker before the UI, so a marketer's first render does not wait while
    the voice loads; the render speaks through that same process."""
    import argparse

    import nextads_studio.ui as ui
    from nextads_studio.cli import serve
    from nextads_studio.producer import speech as S

    S.close_voice_workers()
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(ui, "launch", lambda studio: None)  # everything up to the blocking web server
    assert serve.run(argparse.Namespace(host=None, port=None)) == 0
    started = [w for w in S._WORKERS.values() if w.alive()]
    assert len(started) == 1
    PiperSpeech().synthesize("Ready when you are.", tmp_path / "first.wav")
    assert A.wav_seconds(tmp_path / "first.wav") > 0.4
    assert [w.proc.pid for w in S._WORKERS.values() if w.alive()] == [started[0].proc.pid]


def test_a_products_matte_does_not_depend_on_what_ran_before():
    """GrabCut draws its first colour models from OpenCV's random generator: the same image must give the same
    matte whatever used that generator before (the Verifier and a bench worker found different outlines)."""
    import cv2

    from nextads_studio.producer import layers as L

    library = Path(__file__).resolve().parents[2] / "product_library"
    serum = next(p for p in json.loads((library / "products.json").read_text()) if p["product_id"] == "dewlight-serum")
    rgba = L.load_rgba(str(library / serum["images"][0]))  # a shaded shot: GrabCut's models matter here
    first = L.cutout(rgba)
    noise = np.zeros((64, 64), np.float32)
    cv2.randu(noise, 0, 1)  # anything else in the process that draws random numbers
    assert np.array_equal(L.cutout(rgba), first)


def test_a_white_product_the_matte_cannot_see_is_shown_whole_not_as_fragments(tmp_path):
    """A white telescope tube on a pale sweep: the matte kept only the dark tripod and lens cap (3% of the photo),
    so the ad showed a tripod and a dot. Such a matte is not trusted: the photo is kept whole (shown as a card),
    also when the bad matte was stored before; a normal product shot is still cut out."""
    from PIL import Image, ImageDraw

    from nextads_studio.producer import layers as L

    img = Image.new("RGB", (800, 800), (232, 233, 236))
    d = ImageDraw.Draw(img)
    d.polygon([(180, 450), (590, 240), (630, 310), (220, 520)], fill=(236, 236, 240))  # the white tube
    d.ellipse((560, 225, 655, 330), fill=(40, 40, 48))  # lens cap
    for x in (260, 360, 460):
        d.line([(360, 510), (x, 720)], fill=(30, 30, 34), width=11)  # tripod
    img.save(tmp_path / "telescope.png")
    rgba = L.load_rgba(str(tmp_path / "telescope.png"))
    cut = L.cutout_file(str(tmp_path / "telescope.png"), str(tmp_path / "cutouts"))
    assert cut.shape == rgba.shape and cut[..., 3].min() == 255  # the whole photo: the tube is in it
    fragments = np.zeros(rgba.shape[:2], np.uint8)
    fragments[225:330, 560:655] = 255  # what the old matte kept
    assert L.apply_matte(rgba, fragments).shape == rgba.shape
    normal = L.cutout_file(str(draw_product(tmp_path / "product.png")), str(tmp_path / "cutouts"))
    assert normal[..., 3].min() == 0
