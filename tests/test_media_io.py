"""media_io reads what ffmpeg wrote: sizes, rates, rotation, tags, frames, audio and loudness."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from nextads_studio import media_io
from nextads_studio.errors import InputError


def _make_video(path, w=160, h=90, seconds=1.0, fps=30, audio=True, extra=()):
    cmd = [media_io.ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i",
           f"testsrc2=size={w}x{h}:rate={fps}:duration={seconds}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=997:sample_rate=48000:duration={seconds}"]
    cmd += ["-c:v", "libx264", "-pix_fmt", "yuv420p", *extra]
    if audio:
        cmd += ["-c:a", "aac"]
    subprocess.run([*cmd, str(path)], check=True)
    return path


def test_probe_reports_size_rate_streams_and_tags(tmp_path):
    path = _make_video(tmp_path / "a.mp4", extra=["-metadata", "comment=AI Created; plan_id=p1"])
    info = media_io.probe(path)
    assert (info.width, info.height) == (160, 90)
    assert info.fps == pytest.approx(30)
    assert info.duration == pytest.approx(1.0, abs=0.05)
    assert info.has_audio and info.audio_rate == 48000 and info.audio_codec == "aac"
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p"
    assert info.metadata["comment"] == "AI Created; plan_id=p1"
    assert media_io.count_frames(path) == 30


def test_rotation_metadata_reports_the_displayed_size(tmp_path):
    src = _make_video(tmp_path / "src.mp4", audio=False)
    path = tmp_path / "rot.mp4"
    subprocess.run([media_io.ffmpeg_exe(), "-y", "-loglevel", "error", "-display_rotation", "90", "-i", str(src),
                    "-c", "copy", str(path)], check=True)
    info = media_io.probe(path)
    assert info.rotation in (90, 270)
    assert (info.width, info.height) == (90, 160)
    assert not info.has_audio
    frame = next(media_io.read_frames(path))
    assert frame.shape == (160, 90, 3)


def test_frames_resample_and_cut(tmp_path):
    path = _make_video(tmp_path / "a.mp4", seconds=2.0)
    frames = list(media_io.read_frames(path, fps=10, size=(80, 44), start=0.5, end=1.5))
    assert len(frames) == 10
    assert frames[0].shape == (44, 80, 3) and frames[0].dtype == np.uint8


def test_audio_and_loudness(tmp_path):
    path = _make_video(tmp_path / "a.mp4", seconds=2.0)
    samples = media_io.read_audio(path, rate=48000)
    assert samples.size == pytest.approx(96000, rel=0.03)
    # ffmpeg's sine source is at 1/8 amplitude: a full-scale 997 Hz sine is -3.01 LUFS, so about -21.1 here.
    assert media_io.file_loudness(path) == pytest.approx(-21.1, abs=0.6)
    assert media_io.read_audio(_make_video(tmp_path / "silent.mp4", audio=False)).size == 0


def test_loudness_matches_the_standard_reference():
    rate = 48000
    t = np.arange(rate * 3) / rate
    assert media_io.integrated_loudness(np.sin(2 * np.pi * 997 * t), rate) == pytest.approx(-3.01, abs=0.05)
    assert media_io.integrated_loudness(np.zeros(rate), rate) == float("-inf")


def test_unreadable_files_get_a_clear_error(tmp_path):
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(b"this is not a video at all" * 100)
    with pytest.raises(InputError, match="clip.mp4: not a readable video"):
        media_io.probe(bad)
    with pytest.raises(InputError, match="no such video"):
        media_io.probe(tmp_path / "missing.mp4")
