"""Flat product drawings are seen in the rendered ad: a product the Producer draws from a two-colour image (a near-white
bar with a pale ellipse, a pale box with one stripe, a thin line drawing) is found where it is on screen and not where
it is not. The products are drawn here; the detector was not tuned on them."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from nextads_studio.schemas import AssetLicense, CreativePlan
from nextads_studio.settings import Settings
from nextads_studio.verifier.presence import PresenceDetector
from nextads_studio.verifier.quality import sample_video

from .conftest import SCENES, make_history, make_plan

pytestmark = pytest.mark.slow
DURATION = 6.0


def white_pill(path: Path) -> Path:
    """A near-white rounded bar with a light-blue ellipse on it, on a plain light-grey card."""
    img = np.full((360, 640, 3), 232, np.uint8)
    cv2.rectangle(img, (150, 130), (490, 230), (251, 251, 249), -1)
    for x in (150, 490):
        cv2.circle(img, (x, 180), 50, (251, 251, 249), -1, cv2.LINE_AA)
    cv2.ellipse(img, (270, 180), (80, 30), 0, 0, 360, (168, 205, 238), -1, cv2.LINE_AA)
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


def beige_box(path: Path) -> Path:
    """A pale beige box with one dark stripe across it, on white."""
    img = np.full((420, 420, 3), 255, np.uint8)
    cv2.rectangle(img, (110, 90), (310, 340), (236, 222, 196), -1)
    cv2.rectangle(img, (110, 250), (310, 272), (58, 44, 36), -1)
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


def line_bicycle(path: Path) -> Path:
    """A thin dark line drawing of a bicycle, on white."""
    img = np.full((360, 560, 3), 255, np.uint8)
    ink = (34, 34, 40)
    for cx in (150, 410):
        cv2.circle(img, (cx, 240), 80, ink, 5, cv2.LINE_AA)
    for a, b in [((150, 240), (260, 240)), ((260, 240), (360, 130)), ((360, 130), (410, 240)), ((220, 130), (360, 130)),
                 ((220, 130), (260, 240)), ((150, 240), (220, 130)), ((200, 110), (245, 110)), ((350, 100), (390, 95))]:
        cv2.line(img, a, b, ink, 5, cv2.LINE_AA)
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


def with_product(plan: CreativePlan, image: Path, without_first: bool = False) -> CreativePlan:
    """The plan with `image` as its product; `without_first`: the opening scene draws no product at all (a plan
    whose grounding lists no product images keeps the product out of scenes bound without one, as the first
    impression of a progressive arc does)."""
    product = plan.product.model_copy(update={
        "images": [str(image)],
        "licenses": [*plan.product.licenses, AssetLicense(path=str(image), license="Apache-2.0", author="NextAds Studio")]})
    assets = [a.model_copy(update={"product_image": None if without_first and a.scene_index == 0 else str(image)})
              for a in plan.grounding.scene_assets]
    scenes = plan.storyboard.scenes
    if without_first:
        scenes = [scenes[0].model_copy(update={"product_focus": False}), *scenes[1:]]
    return plan.model_copy(update={
        "product": product,
        "grounding": plan.grounding.model_copy(update={"product_images": [] if without_first else [str(image)],
                                                       "scene_assets": assets}),
        "storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})


DRAWINGS = {"white pill with a pale-blue ellipse": white_pill, "beige box with a dark stripe": beige_box,
            "thin line-drawn bicycle": line_bicycle,
            # a multi-colour, shaded product shot from the product library: the photo-like kind still works
            "shaded smartwatch shot": lambda path: Settings().library_dir / "images" / "pulse-watch_1.jpg"}


@pytest.fixture(scope="module")
def drawn(assets, tmp_path_factory):
    folder = tmp_path_factory.mktemp("flat-products")
    return {name: Path(draw(folder / f"{k}.png")) for k, (name, draw) in enumerate(DRAWINGS.items())}


def shown_share(plan: CreativePlan, video: str) -> tuple[float, float]:
    """(share of the sampled frames in which the product is found, share of those in the first 2 s)."""
    sample = sample_video(video)
    finder = PresenceDetector(plan.product.images)
    seen = [finder.present(f)[0] for f in sample.frames[::2]]
    early = [ok for ok, t in zip(seen, sample.times[::2], strict=True) if t < 2.0]
    return float(np.mean(seen)), float(np.mean(early))


@pytest.mark.parametrize("name", list(DRAWINGS))
def test_product_is_seen_where_the_producer_drew_it(assets, drawn, render, verifier, name):
    plan = with_product(make_plan(assets, scenes=SCENES, duration=DURATION), drawn[name])
    creative = render(plan, f"flat-{name[:10].replace(' ', '-')}")
    verdict = verifier.verify(plan, creative, history=make_history())
    codes = [f.code for f in verdict.compliance.findings]
    assert "product.absent_early" not in codes, verdict.rationales
    share, early = shown_share(plan, creative.video_path)
    assert share >= 0.5 and early >= 0.5, (share, early)


@pytest.mark.parametrize("name", list(DRAWINGS)[:3])
def test_an_opening_without_the_product_is_still_flagged(assets, drawn, render, verifier, name):
    plan = with_product(make_plan(assets, scenes=SCENES, duration=DURATION), drawn[name], without_first=True)
    creative = render(plan, f"flat-empty-{name[:10].replace(' ', '-')}")
    verdict = verifier.verify(plan, creative, history=make_history())
    early = [f for f in verdict.compliance.findings if f.code == "product.absent_early"]
    assert early and early[0].evidence.scene_index == 0, verdict.rationales
    assert verdict.decision != "accept"
