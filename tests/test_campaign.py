"""The campaign core end to end, without Gradio: plan -> edits (a failed one, a stale one, a valid one) -> render
-> verify -> reflect -> apply -> approve, reopened after a restart; and the closed loop, every round stored."""

from __future__ import annotations

import pytest

from nextads_studio import schemas as s
from nextads_studio.campaign import (
    Applied,
    AwaitingApproval,
    Brief,
    Decided,
    Dismissed,
    Edited,
    EditRejected,
    Finished,
    Planned,
    Progressed,
    Proposed,
    Rendered,
    Unchanged,
    Verified,
    drive,
    list_campaigns,
)
from nextads_studio.media_io import probe, read_frames
from nextads_studio.settings import Settings
from nextads_studio.store import PlanConflict
from nextads_studio.studio import Studio

pytestmark = pytest.mark.slow
FAST = s.RenderSettings(resolution=360, quality="preview")
HEALTH = "Ridge Roast lowers your blood pressure."


def _studio(data_dir) -> Studio:
    st = Studio(Settings(data_dir=data_dir))
    # 360p preview renders measure lower imaging proxies than 720p finals (see test_rules for the shared bars)
    st.verifier.thresholds.update(imaging_quality=0.12)
    return st


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("campaign") / "data"


@pytest.fixture(scope="module")
def studio(data_dir):
    return _studio(data_dir)


@pytest.fixture(scope="module")
def nora(studio):
    return studio.audience["u_nora"], studio.library.get("ridge-roast")


def _rows(plan: s.CreativePlan) -> list[dict]:
    return [scene.model_dump() for scene in plan.storyboard.scenes]


def test_the_whole_workflow_is_stored_and_reopens_after_a_restart(studio, nora, data_dir):
    history, product = nora
    camp = studio.new_campaign(history, product, Brief(duration=6), author="ana")
    assert camp.name == "u_nora × Ridge Roast Single Origin"
    planned = camp.plan(author="ana")
    assert isinstance(planned, Planned) and planned.plan.version == 1

    # a failed edit: every bad cell is reported at once, nothing is saved
    rows = _rows(camp.current)
    rows[0]["camera_motion"] = "zoom"
    rows[1]["narration"] = "word " * 20
    rows[2]["start"] = "soon"
    with pytest.raises(EditRejected) as bad:
        camp.edit(rows, camp.current.storyboard.hook, "", author="ana")
    cells = {(e.row, e.field) for e in bad.value.errors}
    assert cells == {(0, "camera_motion"), (1, "narration"), (2, "start"), (None, "call to action")}
    assert camp.version == 1 and len(studio.store.plan_versions(camp.id)) == 1

    # a valid edit: a new hook reaches the opening scene, a typed claim goes into scene 1
    rows = _rows(camp.current)
    rows[1]["narration"] = HEALTH
    edited = camp.edit(rows, "Mornings, sorted", camp.current.storyboard.cta, author="ana")
    assert isinstance(edited, Edited) and camp.version == 2
    assert "hook" in edited.changes and "scene 1 narration" in edited.changes
    first = camp.current.storyboard.scenes[0]
    assert "Mornings, sorted" in (first.on_screen_text, first.narration)
    note = studio.store.plan_versions(camp.id)[-1].note
    assert note.startswith("ana edited") and "hook" in note

    # the same edit again changes nothing and makes no version
    assert isinstance(camp.edit(_rows(camp.current), "Mornings, sorted", camp.current.storyboard.cta), Unchanged)
    assert isinstance(camp.reground(camp.current.grounding.user_images, None), Unchanged)
    assert camp.version == 2

    seen: list[float] = []
    rendered = camp.render(lambda f, m: seen.append(f), settings=FAST)
    assert isinstance(rendered, Rendered) and seen and max(seen) <= 1.0
    info = probe(rendered.creative.video_path)
    assert (info.width, info.height) == (360, 640) and abs(info.duration - 6.0) < 0.2
    verified = camp.verify()
    assert isinstance(verified, Verified) and verified.verdict.decision != "accept"
    assert any("health" in r for r in verified.verdict.rationales)

    proposed = camp.reflect()
    assert isinstance(proposed, Proposed) and proposed.ids
    stored = {d.id: d.status for d in studio.store.directives(camp.id)}
    assert all(stored[i] == "proposed" for i in proposed.ids)
    applied = camp.apply(proposed.ids, author="ana")
    assert isinstance(applied, Applied) and camp.version == 3
    assert HEALTH not in [sc.narration for sc in camp.current.storyboard.scenes]
    assert {d.id: d.status for d in studio.store.directives(camp.id)}[proposed.ids[0]] == "applied"

    camp.render(settings=FAST)
    assert camp.verify().verdict.decision == "accept"
    studio.store.add_user("bea", "a long enough password 1", role="approver", by="test")
    decided = camp.approve("bea", "good to go")
    assert isinstance(decided, Decided) and decided.version == 3

    # a restart: a new Studio on the same data dir reopens the campaign as it was left
    again = _studio(data_dir).open_campaign(camp.id)
    assert again.version == 3 and again.name == camp.name
    assert again.current.content_hash() == camp.current.content_hash()
    assert again.verdict is not None and again.verdict.decision == "accept"
    video = again.media("video")
    assert video.endswith(".mp4") and next(read_frames(video)).shape == (640, 360, 3)
    row = next(r for r in list_campaigns(again.store) if r.id == camp.id)
    assert (row.person, row.versions, row.latest_decision, row.approval) == ("u_nora", 3, "accept", "approved")


def test_a_stale_edit_is_kept_as_a_draft_and_the_latest_version_wins(studio, nora):
    history, product = nora
    ana = studio.new_campaign(history, product, Brief(duration=6), author="ana")
    ana.plan(author="ana")
    ben = studio.open_campaign(ana.id)
    rows = _rows(ana.current)
    rows[0]["on_screen_text"] = "Coffee, your way"
    ana.edit(rows, ana.current.storyboard.hook, ana.current.storyboard.cta, author="ana")
    theirs = _rows(ben.current)
    theirs[1]["on_screen_text"] = "Fresh every week"
    with pytest.raises(PlanConflict) as conflict:
        ben.edit(theirs, ben.current.storyboard.hook, ben.current.storyboard.cta, author="ben")
    assert conflict.value.latest_version == 2 and conflict.value.latest_author == "ana"
    draft = studio.store.drafts(ana.id)[-1]
    assert draft.plan.storyboard.scenes[1].on_screen_text == "Fresh every week"
    assert ben.refresh().version == 2
    assert ben.current.storyboard.scenes[0].on_screen_text == "Coffee, your way"


def test_campaigns_can_be_renamed(studio, nora):
    history, product = nora
    camp = studio.new_campaign(history, product, Brief(duration=6), author="ana")
    assert camp.rename("  Spring   beans ", author="ana") == "Spring beans"
    assert studio.open_campaign(camp.id).name == "Spring beans"
    with pytest.raises(Exception, match="cannot be empty"):
        camp.rename("   ")


def test_the_loop_fixes_a_planted_claim_and_stores_every_round(studio, nora):
    history, product = nora
    camp = studio.new_campaign(history, product, Brief(duration=6), author="ana")
    camp.plan(author="ana")
    rows = _rows(camp.current)
    rows[1]["narration"] = HEALTH
    rows[2]["on_screen_text"] = "Better than Starbucks"
    camp.edit(rows, camp.current.storyboard.hook, camp.current.storyboard.cta, author="ana")
    events: list = []
    done = drive(camp.run_loop(max_rounds=3, settings=FAST), on_event=events.append)
    assert isinstance(done, Finished) and done.decision == "accept"
    assert any(isinstance(e, Progressed) for e in events)
    assert [type(e).__name__ for e in events if isinstance(e, (Rendered, Verified, Applied))][:3] == \
        ["Rendered", "Verified", "Applied"]
    store = studio.store
    assert len(store.plan_versions(camp.id)) == 2 + len(done.rounds) - 1
    assert [v.decision for v in store.verdicts(camp.id)] == [r.decision for r in done.rounds]
    assert len(store.creatives(camp.id)) == len(done.rounds)
    assert all(d.status == "applied" for d in store.directives(camp.id))
    narration = " ".join(sc.narration + sc.on_screen_text for sc in done.plan.storyboard.scenes)
    assert "blood pressure" not in narration and "Starbucks" not in narration
    # the second round renders only what changed (scenes already in the cache are reused)
    assert len(done.rounds[0].rerendered) > len(done.rounds[1].rerendered)


def test_a_human_who_dismisses_every_change_stops_the_loop_and_nothing_changes(studio, nora):
    history, product = nora
    camp = studio.new_campaign(history, product, Brief(duration=6), author="ana")
    camp.plan(author="ana")
    rows = _rows(camp.current)
    rows[1]["narration"] = HEALTH
    camp.edit(rows, camp.current.storyboard.hook, camp.current.storyboard.cta, author="ana")
    asked: list[AwaitingApproval] = []
    events: list = []

    def dismiss(event: AwaitingApproval) -> str:
        asked.append(event)
        return "dismiss"

    done = drive(camp.run_loop(max_rounds=3, human=True, settings=FAST), decide=dismiss, on_event=events.append)
    assert asked and done.plan.version == 2 and len(done.rounds) == 1
    assert any(isinstance(e, Dismissed) for e in events)
    assert {d.status for d in studio.store.directives(camp.id)} == {"dismissed"}
