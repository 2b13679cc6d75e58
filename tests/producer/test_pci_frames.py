"""PCI on the demo video people's own host videos: the segment takes the host's size, opens and closes on the
host's start frame, shows the product in between, and the joins have no black frames."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from test_frames_quality import _matte_png

from nextads_studio.director.host_video import analyze_host_video, choose_integration_point, host_signals
from nextads_studio.media_io import probe, read_frames
from nextads_studio.producer import Producer
from nextads_studio.schemas.creative import RenderSettings
from nextads_studio.schemas.plan import CreativePlan, Grounding, Integration, Scene, Storyboard
from nextads_studio.schemas.product import Product
from nextads_studio.verifier.presence import PresenceDetector

ROOT = Path(__file__).resolve().parents[2]
ASSETS = ROOT / "assets"
VIDEOS = ASSETS / "audience" / "videos"
PEOPLE = [u["user_id"] for u in json.loads((VIDEOS / "users.json").read_text())]


def _product(pid: str) -> Product:
    entry = next(p for p in json.loads((ROOT / "product_library" / "products.json").read_text())
                 if p["product_id"] == pid)
    entry = {**entry, "images": [str(ROOT / "product_library" / p) for p in entry["images"]],
             "logo": str(ROOT / "product_library" / entry["logo"]) if entry.get("logo") else None, "licenses": []}
    return Product.model_validate(entry)


def pci_plan(person: str) -> CreativePlan:
    user = next(u for u in json.loads((VIDEOS / "users.json").read_text()) if u["user_id"] == person)
    host = VIDEOS / "videos" / f"{user['vids'][-1]}.mp4"
    product = _product(user["products"][0])
    summary = analyze_host_video(host)
    point = choose_integration_point(summary, host_signals(host), product.name,
                                     product_colours=list(product.brand_colors))
    texts = ("", f"A small detail: {product.name}", "Shop now")
    scenes = [Scene(index=i, start=2.0 * i, end=2.0 * (i + 1), on_screen_text=texts[i], product_focus=i == 1)
              for i in range(3)]
    board = Storyboard(duration_sec=6.0, aspect="9:16", cta="Shop now", scenes=scenes)
    return CreativePlan(plan_id=f"pci-{person}", task="pci", product=product, storyboard=board,
                        grounding=Grounding(product_images=product.images, palette=product.brand_colors[:3] + ["#FFFFFF"]),
                        integration=Integration(host_video_path=str(host), timestamp=point.timestamp,
                                                rationale=point.rationale, host_summary=summary))


@pytest.fixture(scope="module")
def pci_renders(producer_tmp):
    producer = Producer(ASSETS, producer_tmp / "pcicache")
    out = {}
    for person in PEOPLE:
        plan = pci_plan(person)
        creative = producer.render(plan, producer_tmp / f"pci-{person}",
                                   RenderSettings(resolution=360, voice=False))
        out[person] = (plan, creative)
    return out


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


@pytest.mark.parametrize("person", PEOPLE)
def test_segment_opens_and_closes_on_the_host_start_frame_without_black(pci_renders, person, tmp_path):
    plan, creative = pci_renders[person]
    host = Path(plan.integration.host_video_path)
    info = probe(host)
    assert (creative.width, creative.height) == (info.width + info.width % 2, info.height + info.height % 2)
    hosted = list(read_frames(host))
    out = list(read_frames(creative.integrated_path))
    cut = int(round(plan.integration.timestamp * info.fps))
    n = int(round(plan.storyboard.duration_sec * 30))
    start = hosted[cut - 1]
    assert _diff(out[cut], start) < 6, "the segment's first frame is not the host's start frame"
    assert _diff(out[cut + n - 1], start) < 6, "the segment's last frame is not the host's start frame"
    assert _diff(out[cut + n], hosted[cut]) < 6  # the host resumes where it stopped
    for k in [*range(cut - 3, cut + 4), *range(cut + n - 3, cut + n + 4)]:
        assert out[k].mean() > 0.6 * start.mean(), f"frame {k} dips toward black at a join"
    assert _diff(out[cut + n // 2], start) > 4  # something happens in between
    detector = PresenceDetector([_matte_png(plan.product.images[0], tmp_path)])
    seen = [detector.present(out[k])[0] for k in range(cut + 20, cut + n - 35, 10)]
    assert any(seen), "the product is not in the segment"


def test_no_call_to_action_in_a_segment(pci_renders):
    from nextads_studio.producer.plan_specs import pci_specs

    plan, creative = pci_renders[PEOPLE[0]]
    specs = pci_specs(plan, creative.width, creative.height, [ASSETS], "unused.png")
    assert all(not s.cta for s in specs) and all("Shop now" not in s.text for s in specs)
    assert {s.transition for s in specs} == {"cut"}
