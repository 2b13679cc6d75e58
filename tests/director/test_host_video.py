"""PCI: host-video analysis and the integration point on a synthetic host with known shots and calm stretches."""

from __future__ import annotations

import subprocess
import wave

import numpy as np
import pytest
from PIL import Image

from nextads_studio import media_io
from nextads_studio.director.host_video import (
    analyze_host_video,
    choose_integration_point,
    extract_start_frame,
    host_signals,
)

FPS, W, H = 12, 160, 90
# (start, end, background, moving?) : dynamic 0-6 s, calm 6-11 s, dynamic 11-16 s
SHOTS = [(0, 6, (200, 60, 40), True), (6, 11, (40, 80, 200), False), (11, 16, (40, 170, 60), True)]


def _frame(t: float, bg, moving: bool) -> np.ndarray:
    im = np.empty((H, W, 3), np.uint8)
    im[:] = bg
    x = int((t * 90) % (W - 30)) if moving else 60 + int(2 * np.sin(t))
    y = int((t * 50) % (H - 30)) if moving else 30
    im[y:y + 30, x:x + 30] = (250, 250, 250)
    im[(H - 10):, : int(W * (t % 1))] = (20, 20, 20) if moving else bg
    return im


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    d = tmp_path_factory.mktemp("host")
    rate = 16000
    t = np.arange(16 * rate) / rate
    loud = np.where((t < 6) | (t >= 11), 0.4, 0.01)
    audio = (loud * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    wav = d / "a.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((audio * 32767).astype(np.int16).tobytes())
    path = d / "cooking_vlog.mp4"
    cmd = [media_io.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
           f"{W}x{H}", "-r", str(FPS), "-i", "-", "-i", str(wav), "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-shortest", str(path)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    for k in range(16 * FPS):
        tt = k / FPS
        _, _, bg, moving = next(s for s in SHOTS if s[0] <= tt < s[1])
        proc.stdin.write(_frame(tt, bg, moving).tobytes())
    proc.stdin.close()
    assert proc.wait() == 0
    return path


def test_analysis_finds_cuts_pacing_audio_and_colours(host):
    summary = analyze_host_video(host, title="Weeknight cooking vlog")
    assert summary.duration == pytest.approx(16, abs=0.2)
    assert any(abs(c - 6) <= 0.5 for c in summary.shot_cuts) and any(abs(c - 11) <= 0.5 for c in summary.shot_cuts)
    expected_spm = (len(summary.shot_cuts) + 1) * 60 / summary.duration
    assert summary.pacing_shots_per_minute == pytest.approx(expected_spm, rel=0.02)
    assert summary.topic == "cooking" and summary.title == "Weeknight cooking vlog"
    assert 4 <= len(summary.palette) <= 6 and summary.loudness_lufs is not None
    assert "near-silence" in summary.audio_type


def test_integration_point_is_calm_and_next_to_a_cut(host):
    summary = analyze_host_video(host)
    signals = host_signals(host)
    point = choose_integration_point(summary, signals, "Ferro Skillet 28")
    t = point.timestamp
    assert 3 <= t <= summary.duration - 3
    assert min(abs(c - t) for c in summary.shot_cuts) <= 1.0
    assert signals.motion[t - 2:t].mean() < np.median(signals.motion)  # calm before the pause
    assert 6 <= t <= 11  # inside or at the end of the calm shot
    assert "Ferro Skillet 28" in point.bridge and point.rationale and point.visual_cue


def test_start_frame_is_the_last_host_frame_before_the_point(host, tmp_path):
    path = extract_start_frame(host, 11, FPS, tmp_path / "start.png")
    frame = np.asarray(Image.open(path).convert("RGB")).astype(int)
    assert frame.shape == (H, W, 3)
    assert abs(frame[5, 5] - np.array(SHOTS[1][2])).max() < 25  # still the calm blue shot (t = 11 - 1/fps)


@pytest.fixture(scope="module")
def two_calm_shots(tmp_path_factory):
    """12 s, three calm shots: orange 0-4 s, blue 4-8 s, orange 8-12 s (cuts at 4 and 8, both equally calm)."""
    path = tmp_path_factory.mktemp("host2") / "calm.mp4"
    cmd = [media_io.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
           f"{W}x{H}", "-r", str(FPS), "-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE)
    for k in range(12 * FPS):
        colour = (40, 80, 200) if 4 <= k / FPS < 8 else (230, 120, 30)
        im = np.empty((H, W, 3), np.uint8)
        im[:] = colour
        proc.stdin.write(im.tobytes())
    proc.stdin.close()
    assert proc.wait() == 0
    return path


def test_the_product_changes_the_integration_point_and_the_reason_says_why(two_calm_shots):
    summary = analyze_host_video(two_calm_shots)
    signals = host_signals(two_calm_shots)
    blue = choose_integration_point(summary, signals, "Blue Bottle", product_colours=["#2850C8", "#3060D0"])
    orange = choose_integration_point(summary, signals, "Orange Drill", product_colours=["#E6781E", "#F08020"])
    # the point's start frame is the frame before it: a blue product is shown over orange, and vice versa
    assert blue.timestamp in (4, 3) and orange.timestamp in (8, 7)
    assert "Blue Bottle" in blue.rationale and "stand out" in blue.rationale and "orange" in blue.rationale.lower()
