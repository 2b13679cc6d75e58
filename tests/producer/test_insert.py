"""Host-video splicing: frame-exact, matched size/fps/loudness, odd sizes, rotation, no audio, bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import make_host, make_plan

from nextads_studio.errors import InputError
from nextads_studio.media_io import (
    count_frames,
    ffmpeg_exe,
    file_loudness,
    integrated_loudness,
    probe,
    read_audio,
    read_frames,
)
from nextads_studio.producer import Producer
from nextads_studio.producer.insert import insert_segment
from nextads_studio.schemas.creative import RenderSettings
from nextads_studio.schemas.plan import Integration

ASSETS = Path(__file__).resolve().parents[2] / "assets"


@pytest.fixture(scope="session")
def pci(producer_tmp):
    host = make_host(producer_tmp / "host.mp4")
    plan = make_plan(producer_tmp / "pci", task="pci", host=host, aspect="16:9", duration=4.0)
    creative = Producer(ASSETS, producer_tmp / "cache").render(plan, producer_tmp / "outpci",
                                                               RenderSettings(resolution=360))
    return host, plan, creative


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def test_pci_render_writes_integrated_and_standalone(pci):
    host, plan, creative = pci
    assert Path(creative.video_path).name == "creative.mp4" and Path(creative.integrated_path).is_file()
    assert creative.segment_start == pytest.approx(3.0)
    info = probe(creative.integrated_path)
    assert (info.width, info.height, round(info.fps)) == (320, 240, 30)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert count_frames(creative.integrated_path) == 240 + 120


def test_splice_is_frame_exact(pci):
    host, plan, creative = pci
    hosted = list(read_frames(host))
    out = list(read_frames(creative.integrated_path))
    cut, seg = 90, 120
    # Away from the short dips, the host's frames are where they were, and resume right after the segment.
    assert _diff(out[60], hosted[60]) < 3
    assert _diff(out[cut + seg + 20], hosted[cut + 20]) < 3
    assert _diff(out[cut + seg + 20], hosted[cut + 21]) > _diff(out[cut + seg + 20], hosted[cut + 20])
    assert _diff(out[cut + 60], hosted[cut + 60]) > 20  # the ad plays in between


def test_segment_loudness_matches_the_host(pci):
    host, plan, creative = pci
    host_lufs = file_loudness(host)
    audio = read_audio(creative.integrated_path)
    part = audio[int(3.3 * 48000):int(6.7 * 48000)]
    assert abs(integrated_loudness(part, 48000) - host_lufs) < 2.5


@pytest.mark.parametrize("variant", ["odd", "rotated", "silent", "fps25"])
def test_awkward_hosts(pci, producer_tmp, variant):
    _, _, creative = pci
    base = producer_tmp / f"h_{variant}.mp4"
    if variant == "odd":
        make_host(base, extra=["-vf", "scale=321:241"], pix_fmt="yuv444p")
    elif variant == "rotated":
        plain = make_host(producer_tmp / "h_plain.mp4")
        subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-display_rotation", "90", "-i", str(plain), "-c", "copy",
                        str(base)], check=True)
    elif variant == "silent":
        make_host(base, audio=False)
    else:
        make_host(base, rate="25")
    src = probe(base)
    out = producer_tmp / f"int_{variant}.mp4"
    start = insert_segment(Path(creative.video_path), Integration(host_video_path=str(base), timestamp=3), out,
                           producer_tmp)
    info = probe(out)
    assert start == pytest.approx(3.0)
    assert (info.width - src.width, info.height - src.height) in {(0, 0), (1, 1)}  # odd sizes pad to even
    assert info.rotation == 0 and info.has_audio
    fps = round(src.fps)
    assert round(info.fps) == fps
    assert count_frames(out) == 8 * fps + 4 * fps
    if variant == "rotated":
        assert info.height > info.width


def test_bad_hosts_fail_with_a_clear_message(pci, producer_tmp):
    _, _, creative = pci
    junk = producer_tmp / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(InputError, match="junk.mp4"):
        insert_segment(Path(creative.video_path), Integration(host_video_path=str(junk), timestamp=3),
                       producer_tmp / "x.mp4", producer_tmp)
    host = make_host(producer_tmp / "short.mp4", seconds=4)
    with pytest.raises(InputError, match="outside the host video"):
        insert_segment(Path(creative.video_path), Integration(host_video_path=str(host), timestamp=9),
                       producer_tmp / "x.mp4", producer_tmp)
    assert not (producer_tmp / "x.mp4").exists()


DEMO_HOSTS = sorted((ASSETS / "audience" / "videos" / "videos").glob("*.mp4"))


@pytest.mark.skipif(not DEMO_HOSTS, reason="demo host videos not shipped")
@pytest.mark.parametrize("index", [0, -1])
def test_demo_host_videos_splice_frame_exactly(pci, producer_tmp, index):
    _, _, creative = pci
    host = DEMO_HOSTS[index]
    n_host = count_frames(host)
    out = producer_tmp / f"demo_{host.stem}.mp4"
    start = insert_segment(Path(creative.video_path), Integration(host_video_path=str(host), timestamp=4), out,
                           producer_tmp)
    info, src = probe(out), probe(host)
    cut = round(start * src.fps)
    assert cut == round(4 * src.fps)
    assert (info.width, info.height) == (src.width, src.height)
    assert count_frames(out) == n_host + 120
    hosted = list(read_frames(host, start=(cut + 15) / src.fps, end=(cut + 17) / src.fps))
    spliced = list(read_frames(out, start=(cut + 120 + 15) / src.fps, end=(cut + 120 + 17) / src.fps))
    assert _diff(spliced[0], hosted[0]) < 4
