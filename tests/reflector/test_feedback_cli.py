"""Feedback CSV import (bad files name line and column) and the `nextads reflect` command."""

from __future__ import annotations

import json

import pytest

from nextads_studio import schemas as s
from nextads_studio.errors import InputError
from nextads_studio.reflector import read_feedback_csv
from nextads_studio.reflector.feedback import summarize

from .conftest import plant, verdict_with

GOOD = """impression_id,user_id,watch_time,skip_time,replays,clicks,conversions,time
imp-1,nora,2.8,2.8,0,0,0,1764300000
imp-2,nora,15,,1,1,0,
"""


def test_reads_events_with_optional_cells(tmp_path):
    path = tmp_path / "feedback.csv"
    path.write_text(GOOD, encoding="utf-8")
    events = read_feedback_csv(path)
    assert [e.impression_id for e in events] == ["imp-1", "imp-2"]
    assert events[0].skip_time == 2.8 and events[1].skip_time is None and events[1].clicks == 1
    stats = summarize(events)
    assert stats["early_skip_rate"] == 0.5 and stats["ctr"] == 0.5


@pytest.mark.parametrize("text, message", [
    ("", "empty file"),
    ("impression_id,skip_time\nimp-1,2\n", "line 1: missing column(s) watch_time"),
    ("impression_id,watch_time,colour\nimp-1,2,red\n", "unknown column(s) colour"),
    ("impression_id,watch_time\nimp-1,2\nimp-2,abc\n", "line 3, column watch_time: 'abc' is not a number"),
    ("impression_id,watch_time,clicks\nimp-1,2,1.5\n", "line 2, column clicks: '1.5' is not a whole number"),
    ("impression_id,watch_time\nimp-1,-4\n", "line 2, column watch_time"),
    ("impression_id,watch_time\n,3\n", "line 2, column impression_id: empty"),
    ("impression_id,watch_time\nimp-1,3\nimp-1,4\n", "line 3, column impression_id: 'imp-1' repeats line 2"),
    ("impression_id,watch_time\nimp-1,3,9\n", "line 2: more cells"),
])
def test_bad_feedback_names_line_and_column(tmp_path, text, message):
    path = tmp_path / "fb.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_feedback_csv(path)


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_feedback_csv(tmp_path / "nope.csv")
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00\x00garbage")
    with pytest.raises(InputError, match="UTF-8"):
        read_feedback_csv(bad)


def test_reflect_command_writes_directives_and_next_version(tmp_path, plan, data_dir, capsys):
    from nextads_studio.atomic import write_json
    from nextads_studio.cli import main

    bad = plant(plan, 3, narration="Brewline One lowers your blood pressure.")
    finding = s.Finding(category="safety", severity="major", code="safety.health_claim", message="health claim",
                        evidence=s.Evidence(scene_index=3, text="lowers your blood pressure"))
    write_json(tmp_path / "in" / "plan.json", bad)
    write_json(tmp_path / "in" / "verdict.json", verdict_with(bad, finding))
    # one early skip is one impression, not evidence: the hook stays and the summary says why
    (tmp_path / "one.csv").write_text("impression_id,watch_time,skip_time\nimp-1,2.8,2.8\n", encoding="utf-8")
    code = main(["reflect", str(tmp_path / "in" / "plan.json"), str(tmp_path / "in" / "verdict.json"),
                 "--feedback", str(tmp_path / "one.csv"), "--out", str(tmp_path / "one")])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert [d["kind"] for d in summary["directives"]] == ["rewrite_scene"]
    assert "1 of the 10 impressions needed" in summary["feedback"][0]
    # 14 of 20 skipped in the first 3 s: the aggregate calls for a new hook
    rows = [f"imp-{i},2.{i % 9},2.{i % 9}" for i in range(14)] + [f"fin-{i},15," for i in range(6)]
    (tmp_path / "fb.csv").write_text("impression_id,watch_time,skip_time\n" + "\n".join(rows) + "\n",
                                     encoding="utf-8")
    out = tmp_path / "out"
    code = main(["reflect", str(tmp_path / "in" / "plan.json"), str(tmp_path / "in" / "verdict.json"),
                 "--feedback", str(tmp_path / "fb.csv"), "--out", str(out)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert "early-skip rate 70% (14/20" in summary["feedback"][0]
    directives = s.DirectiveListAdapter.validate_json((out / "directives.json").read_text())
    assert sorted(d.kind for d in directives) == ["rewrite_hook", "rewrite_scene"]
    revised = s.CreativePlan.model_validate_json((out / "revised_plan.json").read_text())
    assert revised.version == 2 and revised.parent_version == 1
    assert "blood pressure" not in revised.scene(3).narration
    assert revised.storyboard.hook != bad.storyboard.hook
    assert {r["scene"] for r in summary["changes"] if r["scene"] is not None} == {0, 3}


def test_reflect_command_bad_input_exits_2_and_writes_nothing(tmp_path, plan, data_dir, capsys):
    from nextads_studio.atomic import write_json
    from nextads_studio.cli import main

    write_json(tmp_path / "plan.json", plan)
    (tmp_path / "verdict.json").write_text('{"plan_id": "nora-brewline", "plan_version": 1, "decision": "maybe"}')
    code = main(["reflect", str(tmp_path / "plan.json"), str(tmp_path / "verdict.json"), "--out",
                 str(tmp_path / "out")])
    assert code == 2
    assert "decision" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
