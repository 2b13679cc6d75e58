"""Item 12: temp folders left by interrupted renders, encodes, voices and imports are swept; live ones stay."""

from __future__ import annotations

import os
import time
from pathlib import Path

from nextads_studio.sweep import GRACE_S, sweep_stale

STALE = ["runs/plan-1/v1/render_9x16_720/.render-abc123", "runs/plan-1/v1/render_9x16_720/.enc-x1",
         "runs/plan-1/v1/render_9x16_720/.voice-k2", "runs/plan-1/v1/render_9x16_720/tmpa1b2c3d4",
         "audience/.staging-h-q1", "uploads/.history-z9", "cache/generated/.generated-77"]
KEEP = ["runs/plan-1/v1/render_9x16_720/segments", "audience/h", "uploads/assets", "blobs/.render-not-ours"]


def make(root: Path, rel: str, age_s: float) -> Path:
    p = root / rel
    p.mkdir(parents=True, exist_ok=True)
    (p / "part.bin").write_bytes(b"x" * 100)
    old = time.time() - age_s
    os.utime(p, (old, old))
    return p


def test_stale_temp_folders_are_swept_and_live_work_is_kept(tmp_path):
    root = tmp_path / "data"
    for rel in STALE + KEEP:
        make(root, rel, GRACE_S + 60)
    live = make(root, "runs/plan-2/v1/render_9x16_720/.render-live", 5)
    removed = sweep_stale(root)
    assert sorted(p.relative_to(root).as_posix() for p in removed) == sorted(STALE)
    assert all(not (root / rel).exists() for rel in STALE)
    assert all((root / rel).exists() for rel in KEEP) and live.exists()
