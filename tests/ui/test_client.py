"""The studio's named API from gradio_client, against an app launched on loopback (files over real HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nextads_studio.ui import build_app, launch_kwargs

from .conftest import DURATION, RESOLUTION, free_port


@pytest.fixture(scope="module")
def served(studio):
    demo = build_app(studio)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        **launch_kwargs(studio))
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_named_api_plan_render_verify_reflect_approve(served, demo_user, demo_product):
    from gradio_client import Client

    client = Client(served, verbose=False)
    names = set(client.view_api(return_format="dict", print_info=False)["named_endpoints"])
    assert {"/plan", "/render", "/verify", "/reflect", "/approve"} <= names

    out = client.predict(demo_user, demo_product, "pcg", None, DURATION, "9:16", api_name="/plan")
    status = out[0]
    storyboard = next(o for o in out if isinstance(o, dict) and "headers" in o)
    assert "ready" in status, status
    rows = storyboard["data"] if isinstance(storyboard, dict) else storyboard
    assert rows and float(rows[-1][2]) == DURATION

    video, files, _, status = client.predict("9:16", RESOLUTION, "preview", api_name="/render")
    assert "Rendered" in status, status
    video_path = video["video"] if isinstance(video, dict) else video
    assert Path(video_path).is_file() and Path(video_path).stat().st_size > 10_000
    assert {Path(f).suffix for f in files} >= {".mp4", ".srt", ".json"}

    card, findings, decision = client.predict(api_name="/verify")
    assert "Decision" in decision and "nx-bar" in card

    choices, status = client.predict(api_name="/reflect")
    assert "suggested fix" in status or "Nothing to fix" in status or "No directive" in status, status

    # Without sign-in (loopback) the local person is the single admin; the demo ad has no critical finding.
    assert "Worst finding: critical" not in decision, decision
    status, *_ = client.predict("checked in the client test", api_name="/approve")
    assert "approved plan v1 as local" in status, status
