"""Backend selection through settings: the studio says which backend made what, and falls back when allowed."""

from __future__ import annotations

import json

import pytest

from nextads_studio.backends import registry
from nextads_studio.backends.fallback import FallbackDirector
from nextads_studio.cli import main
from nextads_studio.errors import BackendError, BackendUnavailable
from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from tests.backends.test_llm_director import MATCH, PROFILE, VISUAL, storyboard
from tests.fakes import FakeTextModel


def test_backends_cli_lists_states_without_key_values(monkeypatch, capsys, data_dir):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    monkeypatch.setenv("NEXTADS_DIRECTOR", "openai:gpt-4o")
    assert main(["backends"]) == 0
    out = capsys.readouterr().out
    assert "sk-very-secret" not in out
    data = json.loads(out)
    assert data["selected"]["director"] == "openai:gpt-4o"
    rows = {(r["role"], r["prefix"]): r for r in data["backends"]}
    assert rows[("director", "openai")]["keys"] == {"OPENAI_API_KEY": True} and rows[("director", "openai")]["ready"]
    assert rows[("judge", "google")]["keys"]["GEMINI_API_KEY"] is False
    assert {("producer", "google"), ("producer", "local-diffusers"), ("director", "local")} <= set(rows)


def test_offline_stays_the_default(settings):
    studio = Studio(settings)
    assert type(studio.director).__name__ == "Director"
    assert studio.backend("judge").backend_id == "offline"


def test_missing_key_falls_back_to_offline_and_says_so(data_dir, history, product):
    studio = Studio(Settings(data_dir=data_dir, director="openai:gpt-4o"))
    plan = studio.director.plan(history, product, out_dir=data_dir / "p")
    assert plan.backend == "offline"
    assert any("openai:gpt-4o failed" in n and "OPENAI_API_KEY" in n for n in plan.notes)


def test_without_fallback_the_stage_ends_with_the_message(data_dir, history, product):
    studio = Studio(Settings(data_dir=data_dir, director="openai:gpt-4o", fallback_offline=False))
    with pytest.raises(BackendUnavailable, match="OPENAI_API_KEY"):
        studio.director.plan(history, product)


def test_registered_backend_plans_and_reports_its_usage(monkeypatch, data_dir, history, product):
    model = FakeTextModel([PROFILE, MATCH, VISUAL, storyboard()])
    monkeypatch.setitem(registry._REGISTRY, ("director", "fake"), lambda m, s: model)
    studio = Studio(Settings(data_dir=data_dir, director="fake:any"))
    assert isinstance(studio.director, FallbackDirector)
    plan = studio.director.plan(history, product)
    assert plan.backend == "fake:text" and plan.notes[-1].startswith("backend fake:any")


def test_failing_llm_director_falls_back(monkeypatch, data_dir, history, product):
    model = FakeTextModel([BackendError("openai:gpt-4o chat.completions failed after 3 attempts: HTTP 500")])
    monkeypatch.setitem(registry._REGISTRY, ("director", "fake"), lambda m, s: model)
    studio = Studio(Settings(data_dir=data_dir, director="fake:any"))
    plan = studio.director.plan(history, product, out_dir=data_dir / "p")
    assert plan.backend == "offline" and "HTTP 500" in plan.notes[-1]


def test_judge_selection_and_fallback(monkeypatch, data_dir):
    assert Studio(Settings(data_dir=data_dir, judge="google:gemini-2.5-flash")).backend("judge").backend_id \
        == "offline"  # no key, fallback on
    with pytest.raises(BackendUnavailable, match="GEMINI_API_KEY"):
        Studio(Settings(data_dir=data_dir, judge="google:gemini-2.5-flash", fallback_offline=False)).backend("judge")
    monkeypatch.setenv("GEMINI_API_KEY", "g")
    judge = Studio(Settings(data_dir=data_dir, judge="google:gemini-2.5-flash")).backend("judge")
    assert judge.backend_id == "google:gemini-2.5-flash" and judge.offline.backend_id == "offline"


def test_per_run_director_choice(monkeypatch, data_dir, history, product):
    from nextads_studio.backends.fallback import director_for

    model = FakeTextModel([PROFILE, MATCH, VISUAL, storyboard()])
    monkeypatch.setitem(registry._REGISTRY, ("director", "fake"), lambda m, s: model)
    studio = Studio(Settings(data_dir=data_dir))  # offline by settings
    assert director_for(studio, "fake:x").plan(history, product).backend == "fake:text"
    assert type(studio.director).__name__ == "Director"
