"""Hand-built products, profiles and plans for the Verifier tests (no Director needed)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nextads_studio.schemas import (
    AssetLicense,
    CreativePlan,
    Grounding,
    Interest,
    MatchResult,
    Note,
    Product,
    RenderSettings,
    Scene,
    SceneAssets,
    Storyboard,
    StyleProfile,
    UserHistory,
    UserProfile,
    VisualTaste,
)

from .clips import texture


def product_image(path: Path, seed: int = 11) -> Path:
    """A detailed product shot (a textured sneaker-like shape on a light backdrop) that feature matching can find."""
    img = np.full((480, 480, 3), 235, np.uint8)
    tex = texture(300, 160, seed)
    mask = np.zeros((480, 480), np.uint8)
    cv2.ellipse(mask, (240, 260), (150, 80), 0, 0, 360, 255, -1)
    region = img[180:340, 90:390]
    region[mask[180:340, 90:390] > 0] = tex[mask[180:340, 90:390] > 0]
    cv2.putText(img, "STRIDE", (150, 150), cv2.FONT_HERSHEY_DUPLEX, 1.6, (20, 40, 160), 3, cv2.LINE_AA)
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


@pytest.fixture(scope="session")
def assets(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("assets")
    return {"product": product_image(d / "shoe.png"), "logo": product_image(d / "logo.png", seed=5)}


def make_product(assets) -> Product:
    return Product(
        product_id="stride-runner", name="Stride Runner", brand="Stride", category="retail", subcategory="shoes",
        slogan="Run lighter every day", intro="A light running shoe with a cushioned sole.",
        details="Breathable knit upper, 240 g per shoe.",
        selling_points=["Lightweight at 240 g", "Cushioned sole for long runs", "Breathable knit upper"],
        facts={"price": "$89", "weight": "240 g", "drop": "8 mm"},
        images=[str(assets["product"])], logo=str(assets["logo"]), brand_colors=["#1A2BA0", "#FFFFFF"],
        licenses=[AssetLicense(path=str(assets["product"]), license="Apache-2.0", author="NextAds Studio"),
                  AssetLicense(path=str(assets["logo"]), license="Apache-2.0", author="NextAds Studio")],
        keywords=["running", "shoe"],
    )


def make_profile() -> UserProfile:
    return UserProfile(
        user_id="u1",
        interests=[Interest(tier="strong", theme="trail running in the mountains",
                            summary="weekend trail runs, hill training and race prep", keywords=["trail", "run"]),
                   Interest(tier="medium", theme="home cooking", summary="quick healthy dinners")],
        style=StyleProfile(tone_tags=["energetic", "inspirational"], info_density="medium"),
        visual=VisualTaste(palette=["#2E7D32", "#A5D6A7", "#1B5E20", "#F1F8E9"], brightness=0.55, warmth=0.4,
                           saturation=0.6),
        excluded_sensitive=["health condition"],
    )


def make_history() -> UserHistory:
    notes = [Note(note_idx=f"n{i}", title="Trail day", content=f"Ran the ridge trail with Marta near Lakewood, day {i}.")
             for i in range(6)]
    return UserHistory(user_id="u1", kind="notes", notes=notes)


def make_plan(assets, scenes: list[dict] | None = None, mode: str = "nextads", duration: float = 15.0,
              **kw) -> CreativePlan:
    scenes = scenes or [
        dict(narration="Dawn on the ridge trail, your weekend ritual.", on_screen_text="Your trail, your pace",
             visual="misty mountain trail at dawn"),
        dict(narration="Stride Runner weighs just 240 g.", on_screen_text="Only 240 g", product_focus=True,
             visual="the shoe close up on a rock"),
        dict(narration="A cushioned sole for long hill runs.", on_screen_text="Cushioned for long runs",
             product_focus=True, visual="runner climbing a hill"),
        dict(narration="Breathable knit keeps you cool on the climb.", on_screen_text="Breathable knit",
             visual="knit upper detail"),
        dict(narration="Stride Runner. Run lighter every day.", on_screen_text="Stride Runner, $89",
             product_focus=True, visual="end card with logo"),
    ]
    bounds = np.round(np.linspace(0, duration, len(scenes) + 1), 3)
    sb_scenes = [Scene(index=i, start=float(bounds[i]), end=float(bounds[i + 1]), **s) for i, s in enumerate(scenes)]
    product = make_product(assets)
    grounding = Grounding(
        product_images=[str(assets["product"])], logo_path=str(assets["logo"]),
        palette=["#2E7D32", "#A5D6A7", "#1B5E20", "#F1F8E9"],
        scene_assets=[SceneAssets(scene_index=i, product_image=str(assets["product"]), logo=(i == len(scenes) - 1))
                      for i in range(len(scenes))],
    )
    args = dict(plan_id="p-test", task="pcg", mode=mode, user_id="u1", product=product,
                profile=make_profile() if mode == "nextads" else None,
                match=MatchResult(chosen_tier="strong" if mode == "nextads" else "generic",
                                  fallback_generic=mode != "nextads"),
                storyboard=Storyboard(duration_sec=duration, aspect="16:9", hook="Your trail, your pace",
                                      cta="Get yours today", tone_tags=["energetic"], scenes=sb_scenes),
                grounding=grounding)
    args.update(kw)
    return CreativePlan(**args)


@pytest.fixture
def plan(assets) -> CreativePlan:
    return make_plan(assets)


@pytest.fixture
def profile() -> UserProfile:
    return make_profile()


@pytest.fixture
def history() -> UserHistory:
    return make_history()


# --- rendered creatives (shared by the end-to-end and CLI tests) ---------------------------------------
SCENES = [
    # the product is in the picture from the first second (a creative without it there is flagged)
    dict(narration="Dawn on the ridge trail, your weekend ritual.", on_screen_text="Your trail, your pace",
         visual="the shoe on a misty mountain trail at dawn", product_focus=True),
    dict(narration="Stride Runner weighs just 240 g.", on_screen_text="Only 240 g", product_focus=True,
         visual="the shoe close up on a rock"),
    dict(narration="A cushioned sole for long hill runs.", on_screen_text="Cushioned for long runs",
         product_focus=True, visual="runner climbing a hill"),
    dict(narration="Stride Runner. Run lighter every day.", on_screen_text="Stride Runner, $89",
         product_focus=True, visual="end card with logo"),
]
DURATION = 10.0


def scenes_with(index: int, **change) -> list[dict]:
    scenes = [dict(s) for s in SCENES]
    scenes[index].update(change)
    return scenes


@pytest.fixture(scope="session")
def producer(tmp_path_factory):
    from nextads_studio.producer import Producer
    from nextads_studio.settings import Settings

    return Producer(Settings().assets_dir, tmp_path_factory.mktemp("scene-cache"))


@pytest.fixture(scope="session")
def verifier():
    from nextads_studio.backends.offline import shared_embedder
    from nextads_studio.verifier import OfflineJudge, Verifier

    return Verifier(OfflineJudge(shared_embedder()), shared_embedder())


@pytest.fixture(scope="session")
def render(producer, tmp_path_factory):
    def _render(plan, name: str):
        return producer.render(plan, tmp_path_factory.mktemp(name), RenderSettings(resolution=360))

    return _render


@pytest.fixture(scope="session")
def clean(assets, render, verifier):
    plan = make_plan(assets, scenes=SCENES, duration=DURATION)
    creative = render(plan, "clean")
    return plan, creative, verifier.verify(plan, creative, history=make_history())


