"""Generated scene clips keep their proportions when the render size has another aspect (crop, never stretch)."""

from __future__ import annotations

import imageio_ffmpeg
import numpy as np

from nextads_studio.backends.generated import _encode_picture
from nextads_studio.media_io import read_frames


def _circle_clip(path, w, h, seconds=3.0, fps=30):
    """A white disc (diameter 40% of the short side) on black, centred, at w x h."""
    yy, xx = np.mgrid[0:h, 0:w]
    r = 0.2 * min(w, h)
    frame = np.zeros((h, w, 3), np.uint8)
    frame[(xx - w / 2) ** 2 + (yy - h / 2) ** 2 <= r * r] = 255
    writer = imageio_ffmpeg.write_frames(str(path), (w, h), fps=fps, codec="libx264", pix_fmt_out="yuv420p",
                                         macro_block_size=1, ffmpeg_log_level="error")
    writer.send(None)
    for _ in range(int(seconds * fps)):
        writer.send(frame.tobytes())
    writer.close()
    return path


def _disc_ratio(frame: np.ndarray) -> float:
    """Width / height of the bright disc, measured along the row and the column through the frame's centre (the
    AI label in the corner stays out of it)."""
    mask = frame.mean(axis=2) > 128
    h, w = mask.shape
    return int(mask[h // 2].sum()) / int(mask[:, w // 2].sum())


def test_a_9x16_clip_rendered_at_16x9_keeps_its_circle_round(plan, tmp_path):
    clips = [_circle_clip(tmp_path / f"clip{i}.mp4", 180, 320, seconds=s.end - s.start)
             for i, s in enumerate(plan.storyboard.scenes)]
    out = tmp_path / "picture.mp4"
    _encode_picture(plan, clips, out, 640, 360)
    frame = next(read_frames(out, start=1.0))
    assert frame.shape == (360, 640, 3)
    # stretched, the disc came out about 3.2 times wider than tall; kept, it stays round
    assert 0.9 < _disc_ratio(frame) < 1.1
