"""`nextads verify --history` reads the same formats as `plan` (CSV, notes.json, MicroLens) with --user."""

from __future__ import annotations

import pytest

from nextads_studio.cli.verify import _history
from nextads_studio.errors import InputError
from tests.conftest import ROOT

CSV = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"


def test_csv_history_with_user_is_read_like_plan_does():
    history = _history(str(CSV), "u_maya")
    assert history.user_id == "u_maya" and history.notes and history.notes[0].note_idx.startswith("maya_")


def test_saved_user_history_json_still_works_and_user_must_match(tmp_path):
    saved = tmp_path / "maya.json"
    saved.write_text(_history(str(CSV), "u_maya").model_dump_json(), encoding="utf-8")
    assert _history(str(saved), None).user_id == "u_maya"
    with pytest.raises(InputError, match="holds user 'u_maya', not 'u_other'"):
        _history(str(saved), "u_other")


def test_unknown_user_in_a_csv_is_one_actionable_error():
    with pytest.raises(InputError, match="nobody"):
        _history(str(CSV), "nobody")
