"""Builders for store tests: schema objects and a real tiny MP4."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nextads_studio import schemas as s


def make_product(product_id: str = "aurora-x") -> s.Product:
    return s.Product(product_id=product_id, name="Aurora X", brand="Lumen", category="electronics",
                     images=["/library/aurora.png"], brand_colors=["#112233"])


def make_history(user_id: str = "u1") -> s.UserHistory:
    return s.UserHistory(user_id=user_id, kind="notes",
                         notes=[s.Note(note_idx="n1", title="Trail running at dawn", content="5 km before work")])


def make_plan(narration: str = "hello there", plan_id: str = "p1") -> s.CreativePlan:
    scenes = [{"index": i, "start": a, "end": b, "narration": narration, "camera_motion": "push_in"}
              for i, (a, b) in enumerate([(0, 2), (2, 4), (4, 6)])]
    return s.CreativePlan.model_validate({"plan_id": plan_id, "product": make_product(), "user_id": "u1",
                                         "storyboard": {"duration_sec": 6, "scenes": scenes}})


def make_verdict(version: int, *, critical: bool = False, ai_label: bool = True, sha: str = "") -> s.Verdict:
    findings = [s.Finding(category="safety", severity="critical", code="safety.health_claim",
                          message="scene 1 claims the watch cures insomnia",
                          evidence=s.Evidence(scene_index=1, start=2.0, end=4.0, text="cures insomnia"))]
    return s.Verdict(plan_id="p1", plan_version=version, creative_sha256=sha,
                     decision="reject" if critical else "accept",
                     compliance=s.Compliance(findings=findings if critical else [], ai_label=ai_label))


def make_creative(media: dict[str, Path], version: int, *, ai_label: bool = True) -> s.Creative:
    return s.Creative(plan_id="p1", plan_version=version, video_path=str(media["video"]),
                      srt_path=str(media["srt"]), duration=1.0, width=64, height=64, ai_label=ai_label)


def write_mp4(path: Path, seed: int = 0, n: int = 10) -> Path:
    """A real 1 s, 64x64 H.264 clip (10 fps) written by the bundled ffmpeg."""
    import imageio_ffmpeg

    rng = np.random.default_rng(seed)
    writer = imageio_ffmpeg.write_frames(str(path), (64, 64), fps=10, macro_block_size=2,
                                         ffmpeg_log_level="error", output_params=["-pix_fmt", "yuv420p"])
    writer.send(None)
    for _ in range(n):
        writer.send(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8).tobytes())
    writer.close()
    return path
