"""Encoding: frames streamed to libx264 through imageio-ffmpeg, segments joined and muxed with the soundtrack."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from ..errors import BackendError
from ..media_io import ffmpeg_exe

PRESETS = {"preview": ("ultrafast", 23), "final": ("veryfast", 20)}


def x264_params(quality: str) -> list[str]:
    """Output flags shared by every segment so they can be joined without re-encoding."""
    preset, crf = PRESETS[quality]
    return ["-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-profile:v", "high", "-g", "60",
            "-bf", "0", "-threads", "2"]


def to_yuv420p(frame: np.ndarray) -> np.ndarray:
    """RGB -> planar yuv420p (BT.601 limited range, what ffmpeg's own conversion produces for x264): done in
    the frame thread it halves the bytes piped to ffmpeg and takes the conversion off the encoder's CPU."""
    return cv2.cvtColor(frame, cv2.COLOR_RGB2YUV_I420)


def encode_segments(frames: Iterable[np.ndarray], counts: list[int], out_paths: list[Path], work: Path,
                    width: int, height: int, fps: int, quality: str) -> None:
    """Encode consecutive runs of yuv420p frames (one run per scene) with ONE encoder process, split by
    ffmpeg's segment muxer at forced keyframes, so each scene lands in its own file that starts on a keyframe.
    One process keeps the encoder busy across scene boundaries (no start-up or lookahead drain per scene)."""
    import imageio_ffmpeg

    work.mkdir(parents=True, exist_ok=True)
    bounds = np.cumsum(counts)[:-1].tolist()
    params = list(x264_params(quality))
    if bounds:
        expr = "+".join(f"eq(n,{b})" for b in bounds)
        params += ["-force_key_frames", f"expr:{expr}", "-segment_frames", ",".join(map(str, bounds))]
    else:  # one scene: without a split list the muxer would cut at its default 2 s mark
        params += ["-segment_time", "86400"]
    params += ["-f", "segment", "-segment_format", "mp4", "-reset_timestamps", "1"]
    writer = imageio_ffmpeg.write_frames(
        str(work / "seg%04d.mp4"), (width, height), fps=fps, codec="libx264", macro_block_size=2, quality=None,
        pix_fmt_in="yuv420p", output_params=params, ffmpeg_log_level="error")
    writer.send(None)
    try:
        for frame in frames:
            writer.send(frame)
    finally:
        writer.close()
    produced = sorted(work.glob("seg*.mp4"))
    if len(produced) != len(out_paths):
        raise BackendError(f"the encoder wrote {len(produced)} scene segments, expected {len(out_paths)}")
    for src, dst in zip(produced, out_paths, strict=True):
        src.replace(dst)  # same filesystem: an atomic rename into the cache


def metadata_args(meta: dict[str, str]) -> list[str]:
    """-metadata flags; values go as single argv entries, so quotes and % need no escaping."""
    out: list[str] = []
    for key, value in meta.items():
        out += ["-metadata", f"{key}={value}"]
    return out


AAC_ARGS = ["-c:a", "aac", "-b:a", "160k", "-ar", "48000"]


def encode_aac(wav: Path, out_path: Path) -> Path:
    """The soundtrack as AAC in an .m4a (cached by the caller: a render whose soundtrack did not change muxes
    the same AAC by stream copy instead of encoding it again)."""
    from ..atomic import atomic_path

    with atomic_path(out_path, suffix=".m4a") as tmp:
        run_ffmpeg([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(wav), *AAC_ARGS,
                    "-f", "mp4", str(tmp)], "encoding the soundtrack")
    return out_path


def join_and_mux(segments: list[Path], audio: Path | None, out_path: Path, meta: dict[str, str],
                 work_dir: Path) -> None:
    """Concatenate same-settings H.264 segments (stream copy: each starts on a keyframe, so the join is
    frame-exact), add the soundtrack (a WAV is encoded to AAC; an .m4a is copied as it is), tags and
    faststart."""
    listing = work_dir / "segments.txt"
    listing.write_text("".join(f"file '{p.resolve().as_posix()}'\n" for p in segments))
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
           "-i", str(listing)]
    if audio is not None:
        codec = ["-c:a", "copy"] if Path(audio).suffix == ".m4a" else AAC_ARGS
        cmd += ["-i", str(audio), "-map", "0:v:0", "-map", "1:a:0", *codec]
    cmd += ["-c:v", "copy", *metadata_args(meta), "-movflags", "+faststart", "-f", "mp4", str(out_path)]
    run_ffmpeg(cmd, "joining the scene segments")


def run_ffmpeg(cmd: list[str], what: str) -> None:
    """Run ffmpeg; raise BackendError with its last lines on failure."""
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        tail = " | ".join(proc.stderr.strip().splitlines()[-3:])
        raise BackendError(f"ffmpeg failed while {what}: {tail}")
