"""Plan versions: immutable rows, a parent chain, optimistic edits that never lose work, restarts."""

from __future__ import annotations

import threading

import pytest

from nextads_studio.errors import ConflictError, InputError
from nextads_studio.store import PlanConflict

from .builders import make_plan


def test_each_save_is_a_new_immutable_version(store, campaign):
    v2 = store.save_plan_version(campaign.id, make_plan("second take"), author="bo", expected_version=1)
    assert (v2.version, v2.parent_version, v2.author) == (2, 1, "bo")
    versions = store.plan_versions(campaign.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].plan.storyboard.scenes[0].narration == "hello there"
    assert versions[1].plan.storyboard.scenes[0].narration == "second take"
    assert versions[1].plan.parent_version == 1 and versions[0].content_hash != versions[1].content_hash
    assert store.latest_plan(campaign.id).version == 2
    assert versions[0].created_at.tzinfo is not None
    assert [e.action for e in store.audit_log(campaign.id)] == ["campaign_created", "plan_saved", "plan_saved"]


def test_a_stale_edit_is_refused_clearly_and_kept_as_a_draft(store, campaign):
    store.save_plan_version(campaign.id, make_plan("ana's edit"), author="ana", expected_version=1)
    mine = make_plan("bo's edit from version 1")
    with pytest.raises(ConflictError, match="the plan changed since you opened it") as info:
        store.save_plan_version(campaign.id, mine, author="bo", expected_version=1)
    err = info.value
    assert isinstance(err, PlanConflict)
    assert "you edited version 1, the latest is 2 by ana" in str(err)
    assert store.latest_plan(campaign.id).plan.storyboard.scenes[0].narration == "ana's edit"
    drafts = store.drafts(campaign.id)
    assert [d.id for d in drafts] == [err.draft_id]
    assert drafts[0].plan.storyboard.scenes[0].narration == "bo's edit from version 1"
    assert err.plan.storyboard.scenes[0].narration == "bo's edit from version 1"
    assert "plan_conflict" in [e.action for e in store.audit_log(campaign.id)]


def test_two_editors_saving_at_once_one_wins_and_nothing_is_lost(open_store, campaign):
    stores = [open_store(), open_store()]
    barrier = threading.Barrier(2)
    outcomes: list = [None, None]

    def edit(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = stores[i].save_plan_version(campaign.id, make_plan(f"edit {i}"), author=f"e{i}",
                                                      expected_version=1)
        except PlanConflict as exc:
            outcomes[i] = exc

    threads = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    wins = [o for o in outcomes if not isinstance(o, PlanConflict)]
    losses = [o for o in outcomes if isinstance(o, PlanConflict)]
    assert len(wins) == 1 and len(losses) == 1, outcomes
    assert [v.version for v in stores[0].plan_versions(campaign.id)] == [1, 2]
    kept = {d.plan.storyboard.scenes[0].narration for d in stores[0].drafts(campaign.id)}
    saved = stores[0].latest_plan(campaign.id).plan.storyboard.scenes[0].narration
    assert kept | {saved} == {"edit 0", "edit 1"}


def test_invalid_plans_and_unknown_campaigns_are_refused(store, campaign):
    bad = make_plan().model_dump(mode="json")
    bad["storyboard"]["duration_sec"] = 9
    with pytest.raises(InputError, match="plan: storyboard"):
        store.save_plan_version(campaign.id, bad, author="ana")
    with pytest.raises(InputError, match="no campaign 999"):
        store.save_plan_version(999, make_plan(), author="ana")
    assert [v.version for v in store.plan_versions(campaign.id)] == [1]


def test_a_restart_keeps_everything(open_store, store, campaign, people):
    store.save_plan_version(campaign.id, make_plan("v2"), author="ana", expected_version=1)
    store.close()
    again = open_store()
    assert again.migrate() == []
    assert [c.id for c in again.list_campaigns()] == [campaign.id]
    assert again.latest_plan(campaign.id).plan.storyboard.scenes[0].narration == "v2"
    assert again.authenticate("april", "april-secret-pw").role == "approver"
    assert len(again.audit_log(campaign.id)) == 3
