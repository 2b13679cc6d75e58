"""Soak (bounded, loopback): four signed-in clients plan and render at once while `nextads` store commands run in
a loop and another client downloads every file the pages link. Afterwards a restart shows every write, and every
client got the video made from its own plan."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from nextads_studio.schemas import CreativePlan
from nextads_studio.settings import Settings
from nextads_studio.store import Store
from nextads_studio.studio import Studio

from .conftest import cheap_hasher, serve

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 4


def embedded_plan(video: bytes, tmp: Path) -> dict[str, str]:
    """plan_id and plan_hash from the MP4's comment (written by the Producer), read with the bundled ffmpeg."""
    import imageio_ffmpeg

    path = tmp / "v.mp4"
    path.write_bytes(video)
    out = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "ffmetadata", "-"],
                         capture_output=True, text=True, timeout=60).stdout
    return dict(re.findall(r"(plan_id|plan_hash)\\?=([\w-]+)", out))  # ffmetadata escapes "="


def test_four_clients_render_while_the_cli_and_a_downloader_run(tmp_path):
    from gradio_client import Client

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nextads_studio.store.users._hasher", cheap_hasher())
        data = tmp_path / "data"
        setup = Studio(Settings(data_dir=data, require_login=True))
        for i in range(CLIENTS):
            setup.store.add_user(f"ed{i}", f"ed{i}-secret-pw", "editor")
        setup.store.add_user("april", "april-secret-pw", "approver")
        users = [u for u in ("u_maya", "u_leo") if u in setup.audience]
        product = next(iter(setup.library)).product_id
        served = serve(data, require_login=True)
    results: dict[int, dict] = {}
    errors: list[str] = []
    done = threading.Event()
    cli_runs: list[int] = []

    def work(i: int) -> None:
        try:
            client = Client(served.url, auth=(f"ed{i}", f"ed{i}-secret-pw"), verbose=False, download_files=False)
            user = users[i % len(users)]
            out = client.predict(user, product, "pcg", None, 6, "9:16", api_name="/plan")
            assert "ready" in out[0], out[0]
            video, files, _, status = client.predict("9:16", 360, "preview", api_name="/render")
            assert "Rendered" in status, status
            results[i] = {"user": user, "video": video["video"] if "video" in video else video, "files": files}
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"client {i}: {exc!r}")

    def cli_loop() -> None:
        env = {"NEXTADS_DATA_DIR": str(data), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin",
               "GRADIO_ANALYTICS_ENABLED": "False", "HOME": str(tmp_path)}
        while not done.is_set():
            for args in (("campaigns", "list"), ("users", "list")):
                cli_runs.append(subprocess.run([sys.executable, "-m", "nextads_studio", *args], cwd=ROOT, env=env,
                                               capture_output=True, timeout=120).returncode)

    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(CLIENTS)]
        cli = threading.Thread(target=cli_loop)
        cli.start()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        done.set()
        cli.join(timeout=180)
        assert errors == [] and len(results) == CLIENTS, errors
        assert cli_runs and set(cli_runs) == {0}, cli_runs

        with httpx.Client(base_url=served.url, timeout=60) as downloader:
            assert downloader.post("/login", data={"username": "april", "password": "april-secret-pw"}).status_code \
                == 200
            for i, got in results.items():
                urls = [got["video"]["url"], *[f["url"] for f in got["files"]]]
                blobs = {}
                for url in urls:
                    r = downloader.get(url)
                    assert r.status_code == 200, (url, r.status_code)
                    blobs[url.rsplit("/", 1)[-1]] = r.content
                plan = CreativePlan.model_validate(json.loads(next(v for k, v in blobs.items() if k.endswith(".json"))))
                meta = embedded_plan(blobs[got["video"]["url"].rsplit("/", 1)[-1]], tmp_path)
                assert plan.user_id == got["user"]
                assert meta == {"plan_id": plan.plan_id, "plan_hash": plan.content_hash()}, (i, meta)
            for rel in ("studio.db", "studio.db-wal", "runs"):
                assert downloader.get(f"/gradio_api/file={data.resolve() / rel}").status_code == 403
    finally:
        done.set()
        served.demo.close()

    with Store.open(Settings(data_dir=data)) as store:
        campaigns = store.list_campaigns()
        assert len(campaigns) == CLIENTS
        assert sum(len(store.creatives(c.id)) for c in campaigns) == CLIENTS
        assert sorted(c.created_by for c in campaigns) == [f"ed{i}" for i in range(CLIENTS)]
