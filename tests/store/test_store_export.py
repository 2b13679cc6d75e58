"""Export a campaign made from real files, validate it, catch tampering, re-import it; the CLI around it."""

from __future__ import annotations

import json

import pytest

from nextads_studio.errors import InputError
from nextads_studio.store import PlanConflict, validate_export

from .builders import make_creative, make_plan, make_verdict


@pytest.fixture
def demo(store, campaign, media, people):
    """Two plan versions, a creative with MP4 and SRT, a clean verdict, a directive, an approval, a draft."""
    store.save_plan_version(campaign.id, make_plan("second version"), author="april", expected_version=1)
    with pytest.raises(PlanConflict):  # kept as a draft, which the export must carry too
        store.save_plan_version(campaign.id, make_plan("a stale edit"), author="ed", expected_version=1)
    creative = store.add_creative(campaign.id, 2, make_creative(media, 2))
    verdict = store.add_verdict(campaign.id, make_verdict(2, sha=creative.video_sha256))
    d = store.add_directive(campaign.id, {"kind": "rewrite_hook", "reason": "hook is slow", "cause": "weak_hook",
                                          "hook": "Run before sunrise"}, verdict_id=verdict.id)
    store.set_directive_status(d.id, "dismissed", "april")
    store.approve(campaign.id, "april", "good to go")
    return campaign


def test_export_holds_everything_and_validates(store, demo, media, tmp_path):
    out = store.export_campaign(demo.id, tmp_path / "export")
    summary = validate_export(out)
    assert summary["counts"] == {"plan": 2, "draft": 1, "creative": 1, "video": 1, "srt": 1, "verdict": 1,
                                 "directive": 1, "campaign": 1, "audit": 1}
    manifest = json.loads((out / "manifest.json").read_text())
    video = next(r for r, m in manifest["files"].items() if m["kind"] == "video")
    assert (out / video).read_bytes() == media["video"].read_bytes()
    assert manifest["files"][video]["sha256"] == store.creatives(demo.id)[0].video_sha256
    index = json.loads((out / "campaign.json").read_text())
    assert index["approvals"][0]["username"] == "april"
    assert index["directives"][0]["status"] == "dismissed"
    with pytest.raises(InputError, match="not empty"):
        store.export_campaign(demo.id, out)


def test_a_tampered_export_is_caught(store, demo, tmp_path):
    out = store.export_campaign(demo.id, tmp_path / "export")
    plan = out / "plans" / "plan-v002.json"
    plan.write_text(plan.read_text().replace("second version", "sneaky change"))
    (out / "notes.txt").write_text("not part of the export")
    with pytest.raises(InputError) as info:
        validate_export(out)
    assert "plans/plan-v002.json: content does not match its sha256" in str(info.value)
    assert "notes.txt: present but not listed" in str(info.value)


def test_an_export_reimports_into_an_equal_campaign(store, demo, tmp_path):
    out = store.export_campaign(demo.id, tmp_path / "export")
    new_id = store.import_campaign(out, author="importer")
    assert new_id != demo.id
    old_plans = [v.plan.content_hash() for v in store.plan_versions(demo.id)]
    assert [v.plan.content_hash() for v in store.plan_versions(new_id)] == old_plans
    (old_c,), (new_c,) = store.creatives(demo.id), store.creatives(new_id)
    assert new_c.video_sha256 == old_c.video_sha256 and new_c.plan_version == 2
    assert store.verdicts(new_id)[0].creative_id == new_c.id
    assert [d.status for d in store.directives(new_id)] == ["dismissed"]
    validate_export(store.export_campaign(new_id, tmp_path / "again"))


def test_cli_lists_shows_and_exports(store, demo, db_url, tmp_path, capsys, monkeypatch):
    from nextads_studio.cli import main

    if db_url:
        monkeypatch.setenv("NEXTADS_DATABASE_URL", db_url)

    def run(*args):
        capsys.readouterr()
        code = main(list(args))
        return code, *capsys.readouterr()

    code, out, _ = run("campaigns", "list")
    assert [(c["id"], c["versions"], c["approval"]) for c in json.loads(out)] == [(demo.id, 2, "approved")]
    code, out, _ = run("campaigns", "show", str(demo.id))
    shown = json.loads(out)
    assert [v["version"] for v in shown["versions"]] == [1, 2] and shown["approval"]["username"] == "april"
    code, out, err = run("export", str(demo.id), "--out", str(tmp_path / "cli-export"))
    assert code == 0, err
    assert json.loads(out)["counts"]["video"] == 1
    code, _, err = run("campaigns", "show", "999")
    assert code == 2 and "no campaign 999" in err
