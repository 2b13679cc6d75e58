"""The demo bench builds, runs, resumes after a kill, and gives the same table with Ray as with the local pool."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nextads_studio.bench import build_suite, load_manifest, run_bench, save_manifest, write_report
from nextads_studio.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
NOTES_CSV = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"
VIDEOS = ROOT / "assets" / "audience" / "videos"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def studio(tmp_path_factory):
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    return Studio(Settings(data_dir=tmp_path_factory.mktemp("bench-data")))


@pytest.fixture(scope="module")
def pcg_manifest(studio, tmp_path_factory):
    manifest = build_suite("pcg", NOTES_CSV, studio, {"n_users": 3, "n_products": 2})
    path = tmp_path_factory.mktemp("manifest") / "pcg.json"
    save_manifest(manifest, path)
    return path


def test_pcg_manifest_selects_consistent_users_and_compatible_products(pcg_manifest, studio):
    manifest = load_manifest(pcg_manifest)
    assert manifest.suite == "pcg" and manifest.manifest_hash
    assert 1 <= len(manifest.users) <= 3
    assert len(manifest.pairs) == 2 * len(manifest.users)
    assert all(u.dominant_share >= 0.3 and u.n_items >= 5 for u in manifest.users)
    # A user's first product is at least as compatible as the second.
    by_user: dict[str, list[float]] = {}
    for p in manifest.pairs:
        by_user.setdefault(p.user_id, []).append(p.compatibility)
    assert all(s == sorted(s, reverse=True) for s in by_user.values())


def test_pci_manifest_uses_the_last_video_as_host(studio, tmp_path):
    manifest = build_suite("pci", VIDEOS, studio, {"n_users": 2, "n_products": 1, "min_items": 3})
    assert manifest.pairs and all(p.host_video and Path(p.host_video).exists() for p in manifest.pairs)
    with pytest.raises(InputError, match="PCG-Bench needs note histories"):
        build_suite("pcg", VIDEOS, studio)


def test_edited_manifest_is_refused(pcg_manifest, tmp_path):
    data = json.loads(pcg_manifest.read_text())
    data["pairs"][0]["product_id"] = "something-else"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    with pytest.raises(InputError, match="hash mismatch"):
        load_manifest(bad)


def _results(run_dir: Path) -> dict[str, dict]:
    out = {}
    for p in sorted(run_dir.glob("pairs/*/*/result.json")):
        row = json.loads(p.read_text())
        row["verdict"].pop("timings", None)
        row.pop("seconds", None)
        out[f"{row['pair_id']}/{row['system']}"] = row
    return out


def test_killed_run_resumes_without_redoing_finished_pairs(pcg_manifest, studio, tmp_path):
    out = tmp_path / "run"
    env = {**os.environ, "NEXTADS_DATA_DIR": str(studio.data_dir)}
    cmd = [sys.executable, "-m", "nextads_studio", "bench", "run", str(pcg_manifest), "--out", str(out),
           "--limit", "1", "--workers", "1", "--duration", "6", "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not list(out.glob("pairs/*/*/result.json")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = {p: p.stat().st_mtime_ns for p in out.glob("pairs/*/*/result.json")}
    assert finished, "the first job should have finished before the kill"
    summary = run_bench(pcg_manifest, ["nextads", "generic"], out, limit=1, workers=1, duration=6,
                        settings={"data_dir": str(studio.data_dir)})
    assert summary["skipped"] == len(finished) and summary["ran"] == 2 - len(finished)
    assert not summary["failed"]
    assert {p: p.stat().st_mtime_ns for p in finished} == finished  # finished pairs were not redone
    report = write_report(out)
    assert "| NextAds |" in report["markdown"] and "| GenericAds |" in report["markdown"]
    for col in ("Pers. (Pres.)", "Pers. (Content)", "Product Align.", "Diversity", "MS", "DD", "AQ", "IQ"):
        assert col in report["markdown"]
    assert (out / "report.csv").exists() and (out / "report.png").stat().st_size > 1000

    ray_out = tmp_path / "ray"
    pytest.importorskip("ray")
    ray_summary = run_bench(pcg_manifest, ["nextads", "generic"], ray_out, executor="ray", limit=1, workers=1,
                            duration=6, settings={"data_dir": str(studio.data_dir)})
    assert not ray_summary["failed"]
    local_rows, ray_rows = _results(out), _results(ray_out)
    assert local_rows.keys() == ray_rows.keys()
    for key in local_rows:
        assert local_rows[key]["decision"] == ray_rows[key]["decision"]
        assert local_rows[key]["verdict"]["utility"] == ray_rows[key]["verdict"]["utility"], key
    assert write_report(ray_out)["summary"] == report["summary"]
