"""The four VBench proxies order synthetic clips the way a viewer would."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nextads_studio.errors import InputError
from nextads_studio.verifier import quality

from .clips import pan, texture, write_clip

W, H, N = 640, 360, 60


@pytest.fixture(scope="session")
def measured(tmp_path_factory):
    d = tmp_path_factory.mktemp("quality")
    still = texture(W, H)
    rng = np.random.default_rng(0)
    clips = {
        "smooth": pan(W, H, N, 4),
        "jerky": pan(W, H, N, 4, jitter=12),
        "static": [still] * N,
        "blurred": [cv2.GaussianBlur(still, (0, 0), 4)] * N,
        "noisy": [np.clip(still + rng.normal(0, 25, still.shape), 0, 255).astype(np.uint8) for _ in range(N)],
    }
    out = {name: quality.measure(write_clip(d / f"{name}.mp4", frames)) for name, frames in clips.items()}
    out["compressed"] = quality.measure(write_clip(d / "compressed.mp4", clips["static"], crf=51))
    return out


def test_all_metrics_are_in_unit_range(measured):
    for name, m in measured.items():
        for key in ("motion_smoothness", "dynamic_degree", "dynamic_degree_continuous", "imaging_quality",
                    "aesthetic_quality"):
            assert 0.0 <= m[key] <= 1.0, (name, key, m[key])
        assert set(m["timings"]) >= {"decode", "motion_smoothness", "dynamic_degree", "imaging_quality"}


def test_smooth_pan_is_smoother_than_jerky_pan(measured):
    assert measured["smooth"]["motion_smoothness"] > 0.99
    assert measured["jerky"]["motion_smoothness"] < measured["smooth"]["motion_smoothness"] - 0.03


def test_moving_clip_is_dynamic_and_static_is_not(measured):
    assert measured["smooth"]["dynamic_degree"] == 1.0
    assert measured["static"]["dynamic_degree"] == 0.0
    assert measured["static"]["dynamic_degree_continuous"] < 0.05 < measured["smooth"]["dynamic_degree_continuous"]


def test_imaging_quality_ranks_clean_above_noisy_blurred_and_compressed(measured):
    clean = measured["static"]["imaging_quality"]
    assert clean > measured["noisy"]["imaging_quality"]
    assert clean > measured["blurred"]["imaging_quality"] + 0.1
    assert clean > measured["compressed"]["imaging_quality"] + 0.2


def test_aesthetic_quality_penalises_blur_and_compression(measured):
    clean = measured["static"]["aesthetic_quality"]
    assert clean > measured["blurred"]["aesthetic_quality"]
    assert clean > measured["compressed"]["aesthetic_quality"]


def test_piqe_is_worst_for_a_fully_blurred_image():
    still = texture(512, 288)
    assert quality.piqe(cv2.GaussianBlur(still, (0, 0), 4)) > 95.0
    assert quality.piqe(still) < 60.0


def test_missing_video_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="not found"):
        quality.measure(tmp_path / "nope.mp4")
