"""The Director end to end: GenericAds, PCI on the MicroLens demo user, plan ids, and the `nextads plan` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nextads_studio.cli import main as cli_main
from nextads_studio.director import plan_id_for
from nextads_studio.director.storyboard import plan_angle
from nextads_studio.schemas.plan import CreativePlan

from .conftest import AUDIENCE


def _user_terms(profile) -> set[str]:
    terms = set()
    for i in profile.interests:
        terms |= {i.theme, *i.keywords}
    return {t.lower() for t in terms if len(t) > 2}


def test_generic_plan_holds_nothing_user_derived(director, audience, library, profiles, plan_dir):
    product = library.get("torquemax-drill")
    plan = director.plan(None, product, mode="generic", out_dir=plan_dir / "generic")
    assert plan.profile is None and plan.user_id is None
    assert plan.match.chosen_tier == "generic" and not plan.match.fallback_generic
    assert plan.grounding.user_images == [] and all(not a.user_images for a in plan.grounding.scene_assets)
    assert all(not s.personalization_used for s in plan.storyboard.scenes)
    dump = json.dumps(plan.model_dump(mode="json"), ensure_ascii=False).lower()
    product_text = json.dumps(product.model_dump(mode="json"), ensure_ascii=False).lower()
    assert "u_leo" not in dump and "audience" not in dump
    leaked = [t for t in _user_terms(profiles["u_leo"]) if t in dump and t not in product_text]
    assert leaked == []
    # Same with a history passed in: mode=generic ignores it.
    with_history = director.plan(audience["u_leo"], product, mode="generic", out_dir=plan_dir / "generic2")
    assert with_history.storyboard == plan.storyboard and with_history.plan_id == plan.plan_id


def test_plan_ids_are_deterministic():
    a = plan_id_for("u_leo", "torquemax-drill", "pcg", "nextads", 7)
    assert a == plan_id_for("u_leo", "torquemax-drill", "pcg", "nextads", 7)
    assert a != plan_id_for("u_leo", "torquemax-drill", "pcg", "nextads", 8)
    assert plan_id_for("u_leo", "x", "pcg", "generic", 7) == plan_id_for(None, "x", "pcg", "generic", 7)


def _kai(audience):
    h = audience.get("v_kai")
    if h is None or not h.host_video or not Path(h.host_video.video_path or "").is_file():
        pytest.skip("demo videos not generated")
    return h


def test_pci_plan_on_the_microlens_user(director, audience, library, plan_dir):
    history = _kai(audience)
    out = plan_dir / "pci-kai"
    plan = director.plan(history, library.get("ferro-skillet"), task="pci", aspect="16:9", out_dir=out)
    CreativePlan.model_validate(plan.model_dump(mode="json"))
    integ = plan.integration
    summary = integ.host_summary
    assert 3 <= integ.timestamp <= summary.duration - 3
    assert min(abs(c - integ.timestamp) for c in summary.shot_cuts) <= 1.0
    assert (out / "start_frame.png").is_file() and integ.start_frame_path == str(out / "start_frame.png")
    board = plan.storyboard
    assert board.cta == "" and not any("today" in s.narration.lower() for s in board.scenes)
    first, last = plan.grounding.scene_assets[0], plan.grounding.scene_assets[-1]
    assert first.start_frame and last.start_frame and not last.logo
    assert board.scenes[-1].start >= board.duration_sec - 2
    assert any(s.product_focus for s in board.scenes[1:-1])
    generic = director.plan(history, library.get("ferro-skillet"), task="pci", mode="generic", aspect="16:9",
                            out_dir=plan_dir / "pci-generic")
    assert generic.profile is None and generic.integration.timestamp == integ.timestamp
    # GenericAds ignores the host's content: no host look or theming in the generic storyboard.
    generic_text = json.dumps(generic.storyboard.model_dump(mode="json"))
    assert not any(tag in generic_text for tag in summary.style_tags)
    assert any(tag in json.dumps(board.model_dump(mode="json")) for tag in summary.style_tags)


def test_cli_plan_writes_plan_and_collage(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    code = cli_main(["plan", "--history", str(AUDIENCE / "notes" / "qilin_demo.csv"), "--user", "u_aisha",
                     "--product", "Dewlight Hydra Serum", "--duration", "6", "--aspect", "1:1", "--out", str(out)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["chosen_tier"] == "strong" and summary["scenes"] == 3
    plan = CreativePlan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
    assert plan.storyboard.aspect == "1:1" and (out / "collage.png").is_file()
    assert list((tmp_path / "data" / "cache" / "profiles").glob("u_aisha--*.json"))


def test_cli_bad_input_is_one_line_and_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    out = tmp_path / "out"
    code = cli_main(["plan", "--history", str(AUDIENCE / "notes" / "qilin_demo.csv"), "--user", "u_aisha",
                     "--product", "no-such-thing", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "no product" in err and len(err.strip().splitlines()) == 1
    assert not (out / "plan.json").exists() and not (out / "collage.png").exists()
    code = cli_main(["plan", "--history", str(AUDIENCE / "notes" / "qilin_demo.csv"), "--user", "u_aisha",
                     "--product", "dewlight-serum", "--task", "pci", "--out", str(out)])
    assert code == 2 and "host video" in capsys.readouterr().err
    assert not (out / "plan.json").exists() and not (out / "collage.png").exists()


def test_three_consecutive_cli_plans_for_one_person_use_three_frameworks(tmp_path, monkeypatch, capsys):
    """Each `nextads plan` is its own Studio; the store remembers the angle and hook, so runs vary."""
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    frameworks, hooks = [], []
    for k in range(3):
        out = tmp_path / f"out{k}"
        code = cli_main(["plan", "--history", str(AUDIENCE / "notes" / "qilin_demo.csv"), "--user", "u_aisha",
                         "--product", "Dewlight Hydra Serum", "--duration", "15", "--out", str(out)])
        assert code == 0
        capsys.readouterr()
        plan = CreativePlan.model_validate_json((out / "plan.json").read_text(encoding="utf-8"))
        frameworks.append(plan_angle(plan))
        hooks.append(plan.storyboard.hook)
    assert all(frameworks) and len(set(frameworks)) == 3, frameworks
    assert len(set(hooks)) == 3, hooks
