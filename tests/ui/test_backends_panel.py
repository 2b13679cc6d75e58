"""The Backends panel shows the same live check as `nextads backends --check`."""

from __future__ import annotations

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui import backends
from nextads_studio.ui.session import Session
from tests.llm_servers import ConformanceServer, free_port


def _studio(data_dir, base_url):
    return Studio(Settings(data_dir=data_dir, director="openai-compatible:SmolLM2", judge="offline",
                           openai_base_url=base_url))


def test_panel_reports_a_live_server_and_a_closed_port(data_dir):
    with ConformanceServer("llama-server", n_ctx=4096) as server:
        rows, status = backends.on_check(_studio(data_dir, server.base_url), Session())
    director = rows[0]
    assert director[:6] == ["director", "openai-compatible:SmolLM2", "yes", "yes", "no", "json_schema"]
    assert director[6] == 4096 and "answered" in status
    assert rows[1][1] == "offline"

    rows, status = backends.on_check(_studio(data_dir, f"http://127.0.0.1:{free_port()}/v1"), Session())
    assert rows[0][2] == "no" and "nothing answers" in rows[0][8] and "failed its check" in status


def test_panel_lists_the_selected_backends(data_dir):
    text = backends.selected_markdown(_studio(data_dir, "http://127.0.0.1:9/v1"))
    assert "`openai-compatible:SmolLM2`" in text and "http://127.0.0.1:9/v1" in text


def test_a_text_only_judge_fails_the_check(data_dir):
    with ConformanceServer("llama-server", vision=False) as server:
        studio = Studio(Settings(data_dir=data_dir, director="offline", judge="openai-compatible:SmolLM2",
                                 openai_base_url=server.base_url))
        rows, status = backends.on_check(studio, Session())
    judge = rows[1]
    assert judge[0] == "judge" and judge[4] == "no" and "cannot judge a video" in judge[8]
    assert "failed its check" in status
