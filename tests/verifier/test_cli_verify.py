"""`nextads verify` writes verdict.json, prints a summary and exits 0 whatever the decision."""

from __future__ import annotations

import json
import shutil

import pytest

from nextads_studio.cli import main
from nextads_studio.schemas import Verdict

pytestmark = pytest.mark.slow


def test_verify_writes_verdict_and_summary(clean, tmp_path, data_dir, capsys):
    plan, creative, _ = clean
    work = tmp_path / "run"
    work.mkdir()
    shutil.copy(creative.video_path, work / "creative.mp4")
    shutil.copy(creative.srt_path, work / "creative.srt")
    (work / "plan.json").write_text(plan.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["verify", str(work / "plan.json"), str(work / "creative.mp4"), "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    verdict = Verdict.model_validate_json((out / "verdict.json").read_text(encoding="utf-8"))
    assert printed["decision"] == verdict.decision
    assert verdict.plan_id == plan.plan_id and verdict.compliance.ai_label
    assert printed["scores"]["product_alignment"] == verdict.utility.product_alignment.score


def test_verify_reports_a_broken_plan_in_one_line(tmp_path, data_dir, capsys):
    (tmp_path / "plan.json").write_text('{"plan_id": "x"', encoding="utf-8")
    (tmp_path / "creative.mp4").write_bytes(b"")
    assert main(["verify", str(tmp_path / "plan.json"), str(tmp_path / "creative.mp4")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "plan.json" in err and "\n" not in err
    assert not (tmp_path / "verdict.json").exists()
