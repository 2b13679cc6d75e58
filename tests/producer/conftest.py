"""Hand-built plans and drawn test images for the Producer tests (the Director's plans are not needed here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nextads_studio.media_io import ffmpeg_exe
from nextads_studio.schemas.plan import (
    CreativePlan,
    Grounding,
    HostSummary,
    Integration,
    Scene,
    SceneAssets,
    Storyboard,
)
from nextads_studio.schemas.product import AssetLicense, Product


def draw_product(path: Path, color=(40, 90, 200)) -> Path:
    """A product shot on a clean light backdrop (what the library's images look like)."""
    img = Image.new("RGB", (600, 600), (236, 236, 232))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((170, 90, 430, 520), radius=60, fill=color)
    d.ellipse((230, 150, 370, 290), fill=(240, 240, 240))
    d.rectangle((250, 360, 350, 460), fill=(20, 20, 30))
    img.save(path)
    return path


def draw_photo(path: Path, seed: int) -> Path:
    """A 'user photo': a busy, colourful image with no clean backdrop."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:480, 0:640]
    base = np.stack([xs / 640 * 255, ys / 480 * 255, np.full_like(xs, 120 + seed * 20 % 120)], -1)
    img = Image.fromarray(base.astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.integers(0, 640), rng.integers(0, 480)
        r = int(rng.integers(20, 90))
        d.ellipse((x - r, y - r, x + r, y + r), fill=tuple(int(v) for v in rng.integers(0, 255, 3)))
    img.save(path)
    return path


def draw_logo(path: Path) -> Path:
    img = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse((0, 10, 100, 110), fill=(255, 180, 0, 255))
    d.rectangle((120, 40, 390, 80), fill=(255, 255, 255, 255))
    img.save(path)
    return path


def make_plan(tmp: Path, *, aspect="9:16", duration=6.0, task="pcg", host: Path | None = None, narration=True,
              palette=("#0B132B", "#1C2541", "#F2A541", "#F7F7FF"), tone=("energetic",), seed=7,
              texts=("Sound that moves 20% faster", 'Your "everyday" soundtrack', "Grab yours today"),
              motions=("push_in", "parallax", "static"), transitions=("cut", "crossfade", "whip"),
              language="en", plan_id="p-test") -> CreativePlan:
    """A 3-scene plan with bound product/user images, logo and narration."""
    tmp.mkdir(parents=True, exist_ok=True)
    prod = draw_product(tmp / "product.png")
    users = [draw_photo(tmp / f"user{i}.jpg", i) for i in range(2)]
    logo = draw_logo(tmp / "logo.png")
    cuts = [0.0, round(duration * 0.36, 2), round(duration * 0.7, 2), duration]
    narr = ["Meet the Aero buds.", "Light enough for every run.", "Tap to grab yours."] if narration else [""] * 3
    if language.startswith("zh"):
        narr = ["认识新耳机。", "轻巧舒适。", "立即购买。"] if narration else [""] * 3
    scenes = [Scene(index=i, start=cuts[i], end=cuts[i + 1], camera_motion=motions[i], transition=transitions[i],
                    narration=narr[i], on_screen_text=texts[i], product_focus=i != 1) for i in range(3)]
    product = Product(product_id="aero-buds", name="Aero Buds", brand="Aero", category="electronics",
                      slogan="Sound that moves with you", images=[str(prod)], logo=str(logo),
                      licenses=[AssetLicense(path="product.png", license="CC0-1.0", author="test")])
    grounding = Grounding(
        product_images=[str(prod)], user_images=[str(u) for u in users], logo_path=str(logo), palette=list(palette),
        scene_assets=[SceneAssets(scene_index=0, product_image=str(prod)),
                      SceneAssets(scene_index=1, user_images=[str(users[0]), str(users[1])]),
                      SceneAssets(scene_index=2, product_image=str(prod), logo=True)],
        asset_licenses={str(u): "CC0-1.0 (test photo)" for u in users})
    integration = None
    if task == "pci":
        integration = Integration(host_video_path=str(host), timestamp=3,
                                  host_summary=HostSummary(duration=8.0))
    sb = Storyboard(duration_sec=duration, aspect=aspect, hook="Meet Aero", cta="Shop now", tone_tags=list(tone),
                    language=language, scenes=scenes)
    return CreativePlan(plan_id=plan_id, task=task, product=product, storyboard=sb, grounding=grounding,
                        integration=integration, seed=seed)


def make_host(path: Path, *, size="320x240", rate="30", seconds=8, audio=True, extra: list[str] = (),
              pix_fmt: str = "yuv420p") -> Path:
    """A synthetic host video (test pattern + tone) made with ffmpeg."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
           "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds}:sample_rate=44100"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, *extra]
    if audio:
        cmd += ["-c:a", "aac"]
    subprocess.run([*cmd, str(path)], check=True)
    return path


@pytest.fixture(scope="session")
def producer_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("producer")
