"""Generated video (Veo, Wan) through the same post-processing as offline renders.

The offline Producer renders the plan first: that gives the voice, music, loudness, SRT captions, the AI label
metadata and the per-scene timing. The generated scene clips then replace the motion-graphics picture: each
frame gets the scene's on-screen text (the Producer's caption style) and the visible AI label, the picture is
muxed with the offline render's soundtrack and tags, and PCI segments are spliced into the host video again.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_path, sha256_file, write_json
from ..errors import BackendError
from ..media_io import ffmpeg_exe, probe, read_frames
from ..redact import redact
from .clips import FPS
from .fallback import FAILURES, usage_note

log = logging.getLogger(__name__)


class GenerativeProducer:
    """Producer facade: offline render for sound/captions/label, generated clips for the picture."""

    def __init__(self, producer: Any, video_model: Callable[[], Any], *, cache_dir: Path, fallback: bool):
        self.producer = producer
        self._video_factory = video_model
        self._video = None
        self.cache_dir = Path(cache_dir)
        self.fallback = fallback
        self.last_notes: list[str] = []

    @property
    def video_model(self) -> Any:
        if self._video is None:
            self._video = self._video_factory()
        return self._video

    @property
    def last_timings(self) -> dict[str, float]:
        """The offline render's stage timings (the generated picture is replaced after it)."""
        return dict(getattr(self.producer, "last_timings", {}))

    def render(self, plan: Any, out_dir: Path, settings: Any = None, progress: Any = None,
               cancel: threading.Event | None = None) -> Any:
        """Render with generated scene clips; falls back to the offline picture when enabled and generation fails."""
        creative = self.producer.render(plan, out_dir, settings, progress, cancel)
        self.last_notes = list(getattr(self.producer, "last_notes", []))
        try:
            model = self.video_model
            refs = [*plan.grounding.product_images[:1], *plan.grounding.user_images[:2]]
            clips = model.generate(plan, refs, self.cache_dir / plan.product.product_id)
        except FAILURES as exc:
            if not self.fallback:
                raise
            log.warning("video backend failed (%s); keeping the offline render", exc)
            self.last_notes.append(redact(f"video backend failed, offline render kept: {exc}")[:400])
            return creative
        return self._replace_picture(plan, creative, clips, Path(out_dir), model)

    def _replace_picture(self, plan: Any, creative: Any, clips: list[Path], out_dir: Path, model: Any) -> Any:
        from ..producer.insert import insert_segment

        final = Path(creative.video_path)
        with tempfile.TemporaryDirectory(prefix=".generated-", dir=out_dir) as tmp:
            work = Path(tmp)
            picture = work / "picture.mp4"
            _encode_picture(plan, clips, picture, creative.width, creative.height)
            with atomic_path(final) as out:
                _mux(picture, final, out)
            update: dict[str, Any] = {"sha256": sha256_file(final), "backend": model.backend_id,
                                      "duration": round(probe(final).duration, 3)}
            if plan.task == "pci" and plan.integration is not None:
                integrated = out_dir / "integrated.mp4"
                update["segment_start"] = insert_segment(final, plan.integration, integrated, work)
                update["integrated_path"] = str(integrated)
        self.last_notes.append(usage_note(model.backend_id, getattr(model, "usage", None)))
        creative = creative.model_copy(update=update)
        write_json(out_dir / "creative.json", creative)  # keep the sidecar `nextads verify` reads in step
        return creative


def _encode_picture(plan: Any, clips: list[Path], out: Path, width: int, height: int) -> None:
    """Scene clips -> one H.264 picture with on-screen text and the visible AI label on every frame."""
    import imageio_ffmpeg

    from ..disclosure import composite_label

    if len(clips) != len(plan.storyboard.scenes):
        raise BackendError(f"the video backend returned {len(clips)} clips for {len(plan.storyboard.scenes)} "
                           "scenes")
    writer = imageio_ffmpeg.write_frames(str(out), (width, height), fps=FPS, codec="libx264",
                                         pix_fmt_out="yuv420p", macro_block_size=1, ffmpeg_log_level="error",
                                         output_params=["-preset", "veryfast", "-crf", "20"])
    writer.send(None)
    try:
        for scene, clip in zip(plan.storyboard.scenes, clips, strict=True):
            overlay = _caption(plan, scene, width, height)
            n = round(scene.end * FPS) - round(scene.start * FPS)
            frames = list(read_frames(clip, size=(width, height), cover=True))[:n] or [np.zeros((height, width, 3), np.uint8)]
            frames += [frames[-1]] * (n - len(frames))  # a short clip holds its last frame
            for frame in frames:
                frame = np.array(frame, dtype=np.uint8, copy=True)  # read_frames may hand out read-only buffers
                if overlay is not None:
                    from ..producer.layers import blend

                    blend(frame, overlay[0], overlay[1], overlay[2])
                writer.send(composite_label(frame).tobytes())
    finally:
        writer.close()


def _caption(plan: Any, scene: Any, width: int, height: int) -> tuple[np.ndarray, int, int] | None:
    """The scene's on-screen text as the Producer draws it (rounded bar, palette colours), lower third."""
    if not scene.on_screen_text.strip():
        return None
    from ..producer.layers import hex_rgb
    from ..producer.text import caption_layer, darken

    palette = [hex_rgb(c) for c in (plan.grounding.palette or ["#202020", "#FFFFFF", "#FFC83C"])]
    short = min(width, height)
    layer = caption_layer(scene.on_screen_text, int(width * 0.86), int(short * 0.06), darken(palette[0], 0.05),
                          palette[2 % len(palette)])
    return layer, (width - layer.shape[1]) // 2, int(height * 0.72)


def _mux(picture: Path, offline: Path, out: Path) -> None:
    """Generated picture + the offline render's soundtrack and tags (AI label metadata included)."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i", str(picture), "-i", str(offline),
           "-map", "0:v:0", "-map", "1:a:0?", "-map_metadata", "1", "-c:v", "copy", "-c:a", "copy",
           "-movflags", "+faststart", "-f", "mp4", str(out)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackendError(f"muxing the generated picture failed: {result.stderr.strip()[-300:]}")
