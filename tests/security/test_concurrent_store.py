"""Item 1: the studio writes while `nextads` store commands run beside it; after a restart every write is there.

The studio process here is the real web app plus a writer thread using the same Store code. A client first tries
to download the database through the web server (today's leak made the studio process open and close studio.db,
dropping SQLite's POSIX locks, so the next CLI command deleted the WAL the studio was still writing to)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from nextads_studio.cli.store import PASSWORD_ENV
from nextads_studio.settings import Settings
from nextads_studio.store import Store

ROOT = Path(__file__).resolve().parents[2]


def env(data: Path) -> dict:
    return {**os.environ, "NEXTADS_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "GRADIO_ANALYTICS_ENABLED": "False"}


def start_studio(data: Path, *flags: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.security.studio_writer", str(data), *flags], cwd=ROOT,
                            env=env(data), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.startswith("PORT "), line
    return proc, int(line.split()[1])


def stop_studio(proc: subprocess.Popen) -> int:
    out, _ = proc.communicate("", timeout=120)
    return int(next(line for line in out.splitlines() if line.startswith("WROTE ")).split()[1])


def cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nextads_studio", *args], cwd=ROOT, env=env(data),
                          capture_output=True, text=True, timeout=120)


def test_studio_writes_survive_cli_store_commands_and_a_database_download(tmp_path):
    data = tmp_path / "data"
    added = subprocess.run([sys.executable, "-m", "nextads_studio", "users", "add", "ada", "--role", "admin"],
                           cwd=ROOT, env={**env(data), PASSWORD_ENV: "ada-secret-pw"}, capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    proc, port = start_studio(data)
    try:
        got = httpx.get(f"http://127.0.0.1:{port}/gradio_api/file={data.resolve() / 'studio.db'}", timeout=30)
        for args in (("users", "list"), ("campaigns", "list"), ("users", "list"), ("campaigns", "list")):
            done = cli(data, *args)
            assert done.returncode == 0, done.stderr
            assert "Traceback" not in done.stderr
        time.sleep(0.3)
        live = [p.name for p in data.iterdir()]
    finally:
        wrote = stop_studio(proc)
    assert wrote > 10
    with Store.open(Settings(data_dir=data)) as store:
        rows = [e for e in store.audit_log() if e.action == "writer_row"]
    assert len(rows) == wrote, f"{wrote - len(rows)} of {wrote} studio writes were lost"
    assert "studio.db-wal" in live, live  # the studio's WAL was not deleted under it
    assert got.status_code == 403 and not got.content.startswith(b"SQLite format")
