"""Reading media with the ffmpeg that ships in imageio-ffmpeg (there is no ffprobe): probe, frames, audio, loudness.

Every stage that looks at a video (host-video analysis, splicing, verification) goes through here, so the
parsing of ffmpeg's output lives in one place.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import InputError


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


@dataclass
class VideoInfo:
    path: str
    duration: float
    fps: float
    width: int
    height: int
    rotation: int = 0
    has_video: bool = True
    has_audio: bool = False
    audio_rate: int | None = None
    audio_channels: int | None = None
    video_codec: str = ""
    audio_codec: str = ""
    pix_fmt: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def n_frames(self) -> int:
        """Frame count implied by duration and fps (use count_frames() for an exact decode count)."""
        return int(round(self.duration * self.fps))


_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_FPS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:fps|tbr)")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")
_ROTATE_TAG = re.compile(r"^\s*rotate\s*:\s*(-?\d+)", re.M)


def _run_ffmpeg_info(path: Path) -> str:
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, text=True,
                          errors="replace")
    return proc.stderr


def probe(path: str | Path) -> VideoInfo:
    """Describe a media file; raises InputError naming the file when ffmpeg cannot read it."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such video file")
    text = _run_ffmpeg_info(path)
    if "Invalid data found" in text or "moov atom not found" in text or "Duration:" not in text:
        raise InputError(f"{path.name}: not a readable video (ffmpeg: {_last_line(text)})")
    d = _DURATION.search(text)
    duration = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3)) if d else 0.0
    info = VideoInfo(path=str(path), duration=duration, fps=0.0, width=0, height=0)
    video_line = next((ln for ln in text.splitlines() if ": Video: " in ln), None)
    if video_line is None:
        info.has_video = False
    else:
        m = re.search(r"Video: (\w+)", video_line)
        info.video_codec = m.group(1) if m else ""
        size = re.search(r"\b(\d{2,5})x(\d{2,5})\b", video_line)
        if size:
            info.width, info.height = int(size.group(1)), int(size.group(2))
        pix = re.search(r"Video: \w+[^,]*,\s*([a-z0-9_]+)", video_line)
        info.pix_fmt = pix.group(1) if pix else ""
        fps = _FPS.search(video_line)
        info.fps = float(fps.group(1)) if fps else 0.0
    rot = _ROTATION.search(text) or _ROTATE_TAG.search(text)
    if rot:
        info.rotation = int(round(float(rot.group(1)))) % 360
        if info.rotation in (90, 270):  # ffmpeg autorotates on decode: report the displayed size
            info.width, info.height = info.height, info.width
    audio_line = next((ln for ln in text.splitlines() if ": Audio: " in ln), None)
    if audio_line is not None:
        info.has_audio = True
        m = re.search(r"Audio: (\w+)", audio_line)
        info.audio_codec = m.group(1) if m else ""
        hz = re.search(r"(\d+) Hz", audio_line)
        info.audio_rate = int(hz.group(1)) if hz else None
        info.audio_channels = 1 if "mono" in audio_line else 2 if "stereo" in audio_line else None
    info.metadata = read_metadata(path)
    return info


def read_metadata(path: str | Path) -> dict[str, str]:
    """Container-level tags (title, comment, ...) as ffmpeg's ffmetadata dump reports them."""
    proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-f", "ffmetadata",
                           "-"], capture_output=True, text=True, errors="replace")
    tags: dict[str, str] = {}
    for line in proc.stdout.splitlines():
        if line.startswith("[") or line.startswith(";") or "=" not in line:
            if line.startswith("["):  # stream/chapter sections follow the global ones
                break
            continue
        key, _, value = line.partition("=")
        tags[key.strip().lower()] = value.replace("\\=", "=").replace("\\;", ";").strip()
    return tags


def count_frames(path: str | Path) -> int:
    """Exact number of decoded video frames."""
    import imageio_ffmpeg

    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(path))
    return int(frames)


def read_frames(path: str | Path, fps: float | None = None, size: tuple[int, int] | None = None,
                start: float | None = None, end: float | None = None, cover: bool = False) -> Iterator[np.ndarray]:
    """Yield RGB uint8 frames (h, w, 3), optionally resampled to `fps`, resized to `size` (w, h), and cut.

    `cover` keeps proportions: the frame is scaled to cover `size` and its centre cropped to it (no stretching,
    no bars); otherwise it is stretched to `size`."""
    path = Path(path)
    if size is None:
        info = probe(path)
        size = (info.width, info.height)
    w, h = int(size[0]), int(size[1])
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error"]
    if start is not None:
        cmd += ["-ss", f"{start:.3f}"]
    cmd += ["-i", str(path)]
    if end is not None:
        cmd += ["-t", f"{max(0.0, end - (start or 0.0)):.3f}"]
    filters = []
    if fps:
        filters.append(f"fps={fps}")
    if cover:
        filters.append(f"scale={w}:{h}:force_original_aspect_ratio=increase:flags=area,crop={w}:{h},setsar=1")
    else:
        filters.append(f"scale={w}:{h}:flags=area")
    cmd += ["-vf", ",".join(filters), "-f", "rawvideo", "-pix_fmt", "rgb24", "-an", "-"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    frame_bytes = w * h * 3
    try:
        while True:
            buf = proc.stdout.read(frame_bytes)
            if len(buf) < frame_bytes:
                break
            yield np.frombuffer(buf, dtype=np.uint8).reshape(h, w, 3)
    finally:
        proc.stdout.close()
        proc.kill()
        proc.wait()


def read_audio(path: str | Path, rate: int = 48000, mono: bool = True) -> np.ndarray:
    """Decode the audio track to float32 samples in [-1, 1]; an empty array when there is no audio."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(path), "-vn", "-ac", "1" if mono else "2",
           "-ar", str(rate), "-f", "f32le", "-"]
    proc = subprocess.run(cmd, capture_output=True)
    samples = np.frombuffer(proc.stdout, dtype=np.float32)
    if not mono:
        samples = samples.reshape(-1, 2)
    return samples.copy()


def _k_weighting(rate: int):
    """BS.1770 K-weighting as two biquads (shelf + high-pass), designed for any sample rate."""
    # Pre-filter: high shelf, +4 dB at high frequencies.
    g, q, fc = 3.99984385397, 0.7071752369554193, 1681.9744509555319
    k = np.tan(np.pi * fc / rate)
    vh = 10 ** (g / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    b1 = np.array([vh + vb * k / q + k * k, 2.0 * (k * k - vh), vh - vb * k / q + k * k]) / a0
    a1 = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])
    # RLB high-pass.
    q, fc = 0.5003270373238773, 38.13547087602444
    k = np.tan(np.pi * fc / rate)
    a0 = 1.0 + k / q + k * k
    b2 = np.array([1.0, -2.0, 1.0])
    a2 = np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0])
    return (b1, a1), (b2, a2)


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770-4 gating); -inf for silence or clips under 400 ms."""
    from scipy.signal import lfilter

    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    block, hop = int(0.4 * rate), int(0.1 * rate)
    if x.shape[0] < block:
        return float("-inf")
    (b1, a1), (b2, a2) = _k_weighting(rate)
    y = lfilter(b2, a2, lfilter(b1, a1, x, axis=0), axis=0)
    power = y**2
    csum = np.concatenate([np.zeros((1, power.shape[1])), np.cumsum(power, axis=0)])
    starts = np.arange(0, x.shape[0] - block + 1, hop)
    z = (csum[starts + block] - csum[starts]) / block  # mean square per block and channel
    zsum = z.sum(axis=1)
    with np.errstate(divide="ignore"):
        lk = -0.691 + 10 * np.log10(zsum)
    gated = zsum[lk > -70.0]
    if gated.size == 0:
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    with np.errstate(divide="ignore"):
        gated = gated[(-0.691 + 10 * np.log10(gated)) > relative]
    return float(-0.691 + 10 * np.log10(gated.mean())) if gated.size else float("-inf")


def file_loudness(path: str | Path, rate: int = 48000) -> float:
    """Integrated loudness of a file's audio track (mono mix), LUFS."""
    return integrated_loudness(read_audio(path, rate=rate), rate)


def _last_line(text: str) -> str:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"


__all__ = ["VideoInfo", "count_frames", "ffmpeg_exe", "file_loudness", "integrated_loudness", "probe",
           "read_audio", "read_frames", "read_metadata"]
