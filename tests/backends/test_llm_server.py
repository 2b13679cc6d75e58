"""Opt-in: plan, verify and the closed loop against a real OpenAI-compatible server.

Runs only when NEXTADS_TEST_OPENAI_BASE_URL is set (e.g. http://127.0.0.1:8080/v1 for llama-server);
NEXTADS_TEST_OPENAI_MODEL names the model (default: whatever the server lists first).
"""

from __future__ import annotations

import json
import os

import httpx
import pytest

from nextads_studio.cli import main
from tests.conftest import ROOT

BASE = os.environ.get("NEXTADS_TEST_OPENAI_BASE_URL")
pytestmark = [pytest.mark.llm_server, pytest.mark.network, pytest.mark.slow,
              pytest.mark.skipif(not BASE, reason="set NEXTADS_TEST_OPENAI_BASE_URL to run against a real server")]
CSV = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"


@pytest.fixture
def llm_env(monkeypatch, data_dir):
    model = os.environ.get("NEXTADS_TEST_OPENAI_MODEL") or \
        httpx.get(f"{BASE.rstrip('/')}/models", timeout=10).json()["data"][0]["id"]
    backend = f"openai-compatible:{model}"
    monkeypatch.setenv("NEXTADS_OPENAI_BASE_URL", BASE)
    monkeypatch.setenv("NEXTADS_DIRECTOR", backend)
    monkeypatch.setenv("NEXTADS_JUDGE", backend)
    return backend


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_check_plan_and_run_against_the_server(llm_env, tmp_path, capsys):
    assert main(["backends", "--check"]) == 0, "the server should pass `nextads backends --check`"
    check = _json(capsys)["checks"][0]
    assert check["reachable"] and check["structured_output"] in ("json_schema", "json_object", "text")

    assert main(["plan", "--history", str(CSV), "--user", "u_maya", "--product", "torquemax-drill",
                 "--out", str(tmp_path / "plan")]) == 0
    plan = _json(capsys)
    assert plan["backend"] in (llm_env, "offline") and plan["notes"]
    if plan["backend"] == "offline":  # fallback on: the note says what the model did and why it failed
        assert any(llm_env in n and "failed" in n for n in plan["notes"])

    assert main(["run", "--history", str(CSV), "--user", "u_maya", "--product", "torquemax-drill",
                 "--max-rounds", "1", "--resolution", "360", "--duration", "6",
                 "--out", str(tmp_path / "run")]) == 0
    run = _json(capsys)
    verdict = json.loads(next((tmp_path / "run").rglob("verdict.json")).read_text(encoding="utf-8"))
    missing = [k for k, v in verdict["utility"].items() if isinstance(v, dict) and v.get("missing")]
    required = {"product_alignment", "personalization_presentation", "personalization_content"}
    if required & set(missing):
        assert run["decision"] != "accept"


def test_without_fallback_a_failure_is_one_line_naming_backend_and_url(llm_env, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NEXTADS_FALLBACK_OFFLINE", "false")
    code = main(["plan", "--history", str(CSV), "--user", "u_maya", "--product", "torquemax-drill",
                 "--out", str(tmp_path / "plan")])
    captured = capsys.readouterr()
    if code == 0:
        assert json.loads(captured.out)["backend"] == llm_env
    else:
        assert code == 2 and captured.err.count("\n") == 1 and llm_env in captured.err
