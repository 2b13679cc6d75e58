"""What a viewer sees, checked on decoded frames of real renders (one NextAds and one GenericAds ad per aspect):
the product early and most of the time, no text in the 9:16 platform margins, readable text, and none of the
person's history images unless their licence record allows reuse."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from conftest import draw_photo, draw_product, make_plan

from nextads_studio.disclosure import composite_label
from nextads_studio.media_io import read_frames
from nextads_studio.producer import Producer
from nextads_studio.producer.backdrops import MIN_SEPARATION
from nextads_studio.producer.frames import FPS
from nextads_studio.producer.kinetic import luminance_map
from nextads_studio.producer.plan_specs import frame_bounds, scene_specs
from nextads_studio.producer.scene import SceneRenderer
from nextads_studio.schemas.creative import RenderSettings
from nextads_studio.schemas.plan import Scene
from nextads_studio.schemas.profile import Interest, UserProfile, VisualTaste
from nextads_studio.verifier.presence import PresenceDetector

ASSETS = Path(__file__).resolve().parents[2] / "assets"
ASPECTS = ["9:16", "16:9", "1:1"]
TEXTS = ("Trail days, sorted", "Your running mornings", "30 hours of battery", "Light, loud, lasting",
         "Get Aero Buds today")


def personal_plan(root: Path, aspect: str, mode: str):
    """A 5-scene, 7.5 s plan whose history images are bound to the personal scenes (as the Director binds them)."""
    plan = make_plan(root, aspect=aspect, duration=7.5, narration=False)
    cuts = [0.0, 1.5, 3.0, 4.5, 6.0, 7.5]
    focus = (True, False, True, True, True)
    scenes = [Scene(index=i, start=cuts[i], end=cuts[i + 1], on_screen_text=TEXTS[i], product_focus=focus[i],
                    camera_motion=("push_in", "pan_left", "static", "pull_out", "static")[i],
                    transition="cut" if i == 0 else "crossfade",
                    personalization_used=["running"] if i == 1 and mode == "nextads" else []) for i in range(5)]
    assets = [a.model_copy(update={"scene_index": i}) for i, a in
              enumerate([plan.grounding.scene_assets[0], plan.grounding.scene_assets[1],
                         plan.grounding.scene_assets[0], plan.grounding.scene_assets[0],
                         plan.grounding.scene_assets[2]])]
    profile = None
    if mode == "nextads":
        profile = UserProfile(user_id="u-runner", interests=[Interest(tier="strong", theme="trail running",
                                                                      keywords=["running", "trail"])],
                              visual=VisualTaste(palette=["#0B132B", "#1C2541", "#F2A541", "#F7F7FF"]))
    board = plan.storyboard.model_copy(update={"scenes": scenes, "duration_sec": 7.5})
    return plan.model_copy(update={
        "mode": mode, "profile": profile, "storyboard": board,
        "grounding": plan.grounding.model_copy(update={"scene_assets": assets}),
        "plan_id": f"q-{mode}-{aspect.replace(':', '')}"})


@pytest.fixture(scope="module")
def renders(producer_tmp):
    producer = Producer(ASSETS, producer_tmp / "qcache")
    out = {}
    for aspect in ASPECTS:
        for mode in ("nextads", "generic"):
            plan = personal_plan(producer_tmp / f"q{aspect.replace(':', '')}{mode}", aspect, mode)
            creative = producer.render(plan, producer_tmp / f"qout{aspect.replace(':', '')}{mode}",
                                       RenderSettings(resolution=360, voice=False, music=False))
            out[(aspect, mode)] = (plan, creative, list(read_frames(creative.video_path)))
    return out


def _matte_png(path: str, folder: Path) -> str:
    """The product image with its matte as alpha (the detector then ignores its backdrop, not its light parts),
    written into the test's folder (never next to the library's image)."""
    from PIL import Image

    from nextads_studio.producer.layers import cutout_file

    out = Path(folder) / f"{Path(path).stem}.matte.png"
    Image.fromarray(np.ascontiguousarray(cutout_file(path))).save(out)
    return str(out)


def _ratio(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _specs(plan, creative):
    return scene_specs(plan, creative.width, creative.height, [ASSETS])


def _renderer_at(specs, plan, frame_index):
    """The scene renderer and the frame index inside that scene for a frame of the ad."""
    for spec, (start, n) in zip(specs, frame_bounds(plan), strict=True):
        if start <= frame_index < start + n:
            return SceneRenderer(spec), frame_index - start
    raise IndexError(frame_index)


CASES = [(a, m) for a in ASPECTS for m in ("nextads", "generic")]


@pytest.mark.parametrize("aspect,mode", CASES)
def test_product_on_screen_in_the_first_two_seconds_and_most_of_the_ad(renders, aspect, mode, tmp_path):
    plan, _, frames = renders[(aspect, mode)]
    detector = PresenceDetector([_matte_png(plan.grounding.product_images[0], tmp_path)])
    early = [detector.present(frames[i])[0] for i in (0, 15, 30, 45)]
    assert any(early[:3]), "product missing in the first 2 s"
    sampled = [detector.present(f)[0] for f in frames[::FPS // 2]]
    assert sum(sampled) / len(sampled) >= 0.5


@pytest.mark.parametrize("aspect,mode", CASES)
def test_no_history_image_pixels_without_a_reuse_licence(renders, aspect, mode):
    plan, _, frames = renders[(aspect, mode)]
    history = PresenceDetector(plan.grounding.user_images, cut_out=False)  # a photo is drawn whole, not cut out
    assert not any(history.present(f)[0] for f in frames[::FPS // 2])


def test_a_history_licensed_for_reuse_may_be_shown(producer_tmp):
    root = producer_tmp / "licensed"
    plan = personal_plan(root, "9:16", "nextads")
    records = [{"path": Path(p).name, "license": "CC-BY-4.0", "author": "the person", "licensed_for_reuse": True}
               for p in plan.grounding.user_images]
    (root / "licenses.json").write_text(json.dumps(records))
    specs = scene_specs(plan, 360, 640, [ASSETS])
    shown = [s for s in specs if s.user_images]
    assert shown and shown[0].layout == "split"
    frame = SceneRenderer(shown[0]).frame(shown[0].n_frames // 2)
    assert PresenceDetector(plan.grounding.user_images, cut_out=False).present(frame)[0]
    (root / "licenses.json").unlink()


# Where each platform draws its own buttons and bars over the ad (fractions of the frame): text must stay out.
PLATFORM_BANDS = {
    "9:16": {"bottom": 0.20, "right": 0.12},  # TikTok / Reels / Shorts: caption + CTA bar, action buttons
    "16:9": {"bottom": 0.18},  # YouTube in-stream: ad bar, advertiser link, Skip button, progress bar
    "1:1": {"bottom": 0.14},  # feeds: sound and caption buttons, progress bar
}


@pytest.mark.parametrize("aspect,mode", CASES)
def test_no_text_in_the_platform_safe_zone_margins(renders, aspect, mode):
    plan, creative, frames = renders[(aspect, mode)]
    specs = _specs(plan, creative)
    w, h = creative.width, creative.height
    bands = PLATFORM_BANDS[aspect]
    checked = 0
    for i in range(0, len(frames), 10):
        renderer, k = _renderer_at(specs, plan, i)
        if k < renderer.spec.transition_frames:
            continue  # the frame blends two scenes
        ours = composite_label(renderer.frame(k))
        assert np.abs(ours.astype(int) - frames[i].astype(int)).mean() < 4  # the renderer made this frame
        mask = renderer.text_mask(k)
        checked += bool(mask.any())
        assert not mask[int(h * (1 - bands["bottom"])):].any(), f"text in the bottom {bands['bottom']:.0%} at frame {i}"
        if "right" in bands:
            assert not mask[:, int(w * (1 - bands["right"])):].any(), f"text in the right {bands['right']:.0%} at frame {i}"
    assert checked >= 10  # the frames checked do carry text


@pytest.mark.parametrize("aspect,mode", CASES)
def test_text_reaches_wcag_contrast_on_the_decoded_frames(renders, aspect, mode):
    plan, creative, frames = renders[(aspect, mode)]
    specs = _specs(plan, creative)
    checked = 0
    for spec, (start, n) in zip(specs, frame_bounds(plan), strict=True):
        renderer = SceneRenderer(spec)
        k = n - 6  # every word has been revealed
        frame = frames[start + k]
        for block, _, _ in renderer.blocks:
            b = block.box
            a = block.glyphs[..., 3]
            core = cv2.erode((a > 250).astype(np.uint8), np.ones((2, 2), np.uint8)).astype(bool)
            around = ~cv2.dilate((a > 0).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
            region = frame[b.y0:b.y1, b.x0:b.x1]
            if core.sum() < 10 or around.sum() < 10:
                continue
            fg = float(np.median(luminance_map(region[core])))
            worst = min(_ratio(fg, x) for x in np.percentile(luminance_map(region[around]), [10, 90]))
            assert worst >= 4.5, f"scene {spec.index} {spec.layout}: text contrast {worst:.2f}"
            assert renderer.report["text_contrast"] >= 4.5
            checked += 1
    assert checked >= 4


@pytest.mark.parametrize("accent", ["#808080", "#D04A3A"])
def test_call_to_action_label_reads_at_small_sizes_after_encoding(producer_tmp, accent):
    """Mid-tone brand accents on which white and ink text both sit near 4.5:1: the pulsing button's label,
    decoded from a 360p encode (resized every frame, chroma-subsampled), still reads at 4.5:1 on its fill."""
    root = producer_tmp / f"cta{accent.strip('#')}"
    plan = make_plan(root, palette=("#0B132B", "#1C2541", accent, "#F7F7FF"), narration=False)
    creative = Producer(ASSETS, root / "cache").render(plan, root / "out",
                                                       RenderSettings(resolution=360, voice=False, music=False))
    frames = list(read_frames(creative.video_path))
    spec = scene_specs(plan, creative.width, creative.height, [ASSETS])[-1]
    renderer = SceneRenderer(spec)
    start, n = frame_bounds(plan)[-1]
    bh, bw = renderer.button.shape[:2]
    box = renderer.boxes["cta"]
    x0, y0 = int(box.cx - bw / 2), int(box.cy - bh / 2)
    worst = 99.0
    for k in range(n - 30, n, 6):  # the settled, pulsing button
        inner = frames[start + k][y0 + bh // 4:y0 + bh - bh // 4, x0 + bh // 2:x0 + bw - bh // 2]
        lum = luminance_map(inner).ravel()
        fill = float(np.median(lum))  # the label covers far less than half of the button's inner band
        far = np.abs(lum - fill)
        label = float(np.median(lum[far >= np.percentile(far, 97)]))  # the label's fully covered strokes
        worst = min(worst, _ratio(label, fill))
    assert worst >= 4.5, f"CTA label on {accent}: {worst:.2f}:1"


def test_navy_product_on_a_navy_palette_gets_separated(producer_tmp):
    root = producer_tmp / "navy"
    plan = make_plan(root, palette=("#14213D", "#1B2A4A", "#22335A", "#101828"))
    draw_product(root / "product.png", color=(22, 34, 66))
    spec = scene_specs(plan, 360, 640, [ASSETS])[0]
    renderer = SceneRenderer(spec)
    assert renderer.report["separation"] >= MIN_SEPARATION
    assert renderer.report["backdrop"] != "palette" or renderer.report["plate"]


def test_exactly_one_call_to_action(renders):
    plan, creative, _ = renders[("9:16", "nextads")]
    specs = _specs(plan, creative)
    with_cta = [s for s in specs if s.cta]
    assert len(with_cta) == 1 and with_cta[0].layout == "end"
    assert with_cta[0].text != TEXTS[-1]  # the CTA-like last line is the button, not repeated as a headline


def test_six_layouts_render_in_every_aspect(producer_tmp):
    from nextads_studio.producer.layouts import LAYOUTS

    root = producer_tmp / "layouts"
    plan = make_plan(root)
    photo = draw_photo(root / "x.jpg", 3)
    assert photo.is_file()
    for aspect, (w, h) in {"9:16": (360, 640), "16:9": (640, 360), "1:1": (360, 360)}.items():
        base = scene_specs(plan, w, h, [ASSETS])[0]
        for layout in LAYOUTS:
            text = {"stat": "30 hours of battery", "reasons": "Light · Loud · Lasting"}.get(layout, "Made to move")
            spec = base.__class__(**{**base.__dict__, "layout": layout, "text": text,
                                     "cta": "Shop now" if layout == "end" else "",
                                     "kind": "end" if layout == "end" else "body"})
            r = SceneRenderer(spec)
            assert r.blocks, f"{aspect} {layout}: no text drawn"
            assert r.report["text_contrast"] >= 4.5
