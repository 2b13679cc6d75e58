"""Host-video splice (PCI): cut the host at the integration point, frame-exact, and insert the segment,
matched to the host's size, frame rate and loudness. The segment opens and closes on the host's start frame,
so the joins are plain cuts (no dip to black); the audio gets a few milliseconds of fade against clicks."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

from ..atomic import atomic_path
from ..errors import InputError
from ..media_io import ffmpeg_exe, file_loudness, probe
from ..schemas.plan import Integration
from .encode import run_ffmpeg, x264_params

CLICK = 0.03  # seconds of audio fade on each side of each join (against clicks; inaudible as a dip)


def _rate(fps: float) -> Fraction:
    """The host frame rate as a fraction (29.97 -> 30000/1001)."""
    for common in (Fraction(24000, 1001), Fraction(30000, 1001), Fraction(60000, 1001)):
        if abs(float(common) - fps) < 0.01:
            return common
    return Fraction(fps).limit_denominator(1001)


def insert_segment(segment: Path, integration: Integration, out_path: Path, work: Path,
                   quality: str = "preview") -> float:
    """Write the host video with `segment` inserted at integration.timestamp; returns where the segment starts
    (seconds, on a frame boundary of the host)."""
    host = Path(integration.host_video_path)
    info = probe(host)
    if not info.has_video or info.width <= 0 or info.height <= 0:
        raise InputError(f"{host.name}: integration.host_video_path has no video stream")
    if info.fps <= 0:
        raise InputError(f"{host.name}: cannot read the host video's frame rate")
    rate = _rate(info.fps)
    n_host = int(math.floor(info.duration * float(rate) + 1e-6))
    cut = int(round(integration.timestamp * float(rate)))
    if not 0 < cut < n_host:
        raise InputError(f"integration.timestamp {integration.timestamp}s is outside the host video "
                         f"{host.name} ({info.duration:.2f}s)")
    # yuv420p needs even sizes: an odd host size is padded by one pixel rather than resampled.
    w, h = info.width + info.width % 2, info.height + info.height % 2
    t_cut = cut / float(rate)
    seg = probe(segment)
    gain = 0.0
    if info.has_audio and seg.has_audio:
        host_lufs, seg_lufs = file_loudness(host), file_loudness(segment)
        if math.isfinite(host_lufs) and math.isfinite(seg_lufs):
            gain = max(-20.0, min(12.0, host_lufs - seg_lufs))
    graph = _graph(rate, cut, w, h, t_cut, n_host / float(rate), seg.duration, info.has_audio, gain)
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(host), "-i", str(segment)]
    if not info.has_audio:
        cmd += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo"]
    cmd += ["-filter_complex", graph, "-map", "[v]", "-map", "[a]", "-c:v", "libx264", *x264_params(quality),
            "-r", str(rate), "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-movflags", "+faststart"]
    with atomic_path(out_path) as tmp:
        run_ffmpeg([*cmd, "-f", "mp4", str(tmp)], f"splicing into {host.name}")
    return t_cut


def _graph(rate: Fraction, cut: int, w: int, h: int, t_cut: float, t_host: float, seg_dur: float,
           host_audio: bool, gain_db: float) -> str:
    r = f"{rate.numerator}/{rate.denominator}"
    d = CLICK
    fit = f"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    host_v = f"fps={r},{fit},format=yuv420p"
    parts = [
        f"[0:v]{host_v},split=2[h0][h1]",
        f"[h0]trim=end_frame={cut},setpts=PTS-STARTPTS[va]",
        f"[h1]trim=start_frame={cut},setpts=PTS-STARTPTS[vb]",
        f"[1:v]fps={r},{fit},format=yuv420p,setpts=PTS-STARTPTS[vs]",
    ]
    src = "0:a" if host_audio else "2:a"
    norm = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
    parts += [
        # padded then cut to the video's length: missing or short host audio becomes silence
        f"[{src}]{norm},apad,atrim=end={t_host:.6f},asplit=2[a0][a1]",
        f"[a0]atrim=end={t_cut:.6f},asetpts=PTS-STARTPTS,afade=t=out:st={max(0.0, t_cut - d):.4f}:d={d}[aa]",
        f"[a1]atrim=start={t_cut:.6f},asetpts=PTS-STARTPTS,afade=t=in:st=0:d={d}[ab]",
        f"[1:a]{norm},volume={gain_db:.2f}dB,asetpts=PTS-STARTPTS,afade=t=in:st=0:d={d},"
        f"afade=t=out:st={max(0.0, seg_dur - d):.4f}:d={d}[as]",
    ]
    parts.append("[va][aa][vs][as][vb][ab]concat=n=3:v=1:a=1[v][a]")
    return ";".join(parts)
