"""The shipped demo audience: 8 note users with a clear tier structure, 4 video users with real host videos."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from PIL import Image

from nextads_studio.library import load_audience

from .conftest import ROOT

AUDIENCE = ROOT / "assets" / "audience"


@pytest.fixture(scope="module")
def audience():
    return load_audience(AUDIENCE)


@pytest.fixture(scope="module")
def design():
    return json.loads((AUDIENCE / "notes" / "design.json").read_text())


def test_twelve_users_of_both_kinds(audience):
    kinds = [u.kind for u in audience.values()]
    assert kinds.count("notes") >= 8 and kinds.count("videos") >= 4


def test_note_users_have_strong_medium_weak_structure(audience, design):
    for uid, tiers in design.items():
        notes = audience[uid].notes
        assert 12 <= len(notes) <= 40
        order = [n.note_idx for n in notes]
        counts = {t: len(tiers[t]["note_idxs"]) for t in ("strong", "medium", "weak")}
        assert counts["strong"] > counts["medium"] > counts["weak"] >= 1
        assert sorted(sum((tiers[t]["note_idxs"] for t in counts), [])) == sorted(order)
        # the strong interest is also the current one: the latest notes belong to it
        assert set(order[-3:]) <= set(tiers["strong"]["note_idxs"])
        for n in notes:
            words = len(n.content.split()) if uid != "u_chen" else len(n.content) // 2
            assert 12 <= words <= 90, (uid, n.note_idx)
            assert 1 <= len(n.image_paths) <= 3


def test_notes_are_not_templated_copies(audience):
    contents = [n.content for u in audience.values() if u.kind == "notes" for n in u.notes]
    assert len(set(contents)) == len(contents)
    openings = [" ".join(c.split()[:3]) for c in contents if not re.search(r"[\u4e00-\u9fff]", c)]
    assert len(set(openings)) > 0.9 * len(openings)


def test_chinese_user_and_health_user(audience, design):
    assert all(re.search(r"[\u4e00-\u9fff]{4}", n.title + n.content) for n in audience["u_chen"].notes)
    assert design["u_priya"]["sensitive"] and "diabetes" in design["u_priya"]["strong"]["theme"]
    strong = set(design["u_priya"]["strong"]["note_idxs"])
    texts = " ".join(n.content for n in audience["u_priya"].notes if n.note_idx in strong).lower()
    assert "blood sugar" in texts or "glucose" in texts


def test_note_images_are_small_and_carry_each_users_palette(audience):
    total = 0
    mean_luma = {}
    for uid in ("u_sam", "u_aisha", "u_leo", "u_nora"):
        lumas = []
        for note in audience[uid].notes:
            for path in note.image_paths:
                img = Image.open(path)
                assert img.size == (480, 480)
                size = len(open(path, "rb").read())
                assert size < 40_000
                total += size
                lumas.append(np.asarray(img.convert("L"), dtype=np.float32).mean())
        mean_luma[uid] = float(np.mean(lumas))
    assert mean_luma["u_sam"] < 80 < mean_luma["u_aisha"]  # dark neon vs soft pastel
    all_images = sum(f.stat().st_size for f in (AUDIENCE / "notes" / "images").rglob("*.jpg"))
    assert all_images < 8 * 1024 * 1024


def test_video_users_have_hosts_with_cuts_audio_and_a_calm_stretch(audience):
    from nextads_studio.media_io import probe, read_audio

    vdesign = json.loads((AUDIENCE / "videos" / "design.json").read_text())
    total = sum(f.stat().st_size for f in (AUDIENCE / "videos").rglob("*") if f.is_file())
    assert total < 8 * 1024 * 1024
    for uid, d in vdesign.items():
        user = audience[uid]
        assert 4 <= len(user.videos) + 1 <= 6 and user.host_video.vid == d["host_vid"]
        for item in [*user.videos, user.host_video]:
            assert (AUDIENCE / "videos" / "covers" / f"{item.vid}.jpg").is_file()
            assert (AUDIENCE / "videos" / "videos" / f"{item.vid}.mp4").stat().st_size < 400_000
            cuts = [0.0, *d["videos"][item.vid]["shot_boundaries"], d["videos"][item.vid]["duration"]]
            assert all(2.0 <= b - a <= 6.01 for a, b in zip(cuts, cuts[1:], strict=False))
        info = probe(user.host_video.video_path)
        assert 20 <= info.duration <= 30.1 and info.has_audio and info.fps == pytest.approx(30, abs=0.1)
        assert (info.width, info.height) in ((640, 360), (360, 640))
    # the calm shot of one host video is really quiet
    kai = vdesign["v_kai"]["videos"]["kai05"]
    rate = 8000
    audio = read_audio(audience["v_kai"].host_video.video_path, rate=rate)
    start, end = kai["calm"]
    calm = audio[int((start + 0.3) * rate):int((end - 0.3) * rate)]
    busy = audio[: int(start * rate)]
    assert np.sqrt((calm ** 2).mean()) < 0.2 * np.sqrt((busy ** 2).mean())


def test_every_audience_file_has_a_licence_record():
    records = {r["path"]: r for r in json.loads((AUDIENCE / "licenses.json").read_text())}
    files = [p for p in AUDIENCE.rglob("*") if p.is_file() and p.name not in ("licenses.json", "LICENSES.md")]
    for f in files:
        rec = records[str(f.relative_to(AUDIENCE))]
        assert rec["license"] == "Apache-2.0"
