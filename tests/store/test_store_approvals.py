"""Approval rules: only approvers approve, only clean and labelled creatives, who and when, edits clear it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nextads_studio.errors import InputError, PermissionDenied
from nextads_studio.store import ApprovalBlocked

from .builders import make_creative, make_plan, make_verdict


@pytest.fixture
def rendered(store, campaign, media):
    """Version 1 rendered (with the AI label) and verified clean."""
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_verdict(campaign.id, make_verdict(1, sha=creative.video_sha256))
    return creative


def test_an_editor_cannot_approve_and_the_attempt_is_audited(store, campaign, rendered, people):
    with pytest.raises(PermissionDenied, match="ed is an editor; only an approver or admin"):
        store.approve(campaign.id, people["editor"], "looks good to me")
    with pytest.raises(PermissionDenied):
        store.reject(campaign.id, "ed", "I do not like it")
    assert store.approvals(campaign.id) == [] and store.current_approval(campaign.id) is None
    assert store.get_campaign(campaign.id).status == "draft"
    refused = [e for e in store.audit_log(campaign.id) if e.action.endswith("_refused")]
    assert [(e.action, e.actor) for e in refused] == [("approve_refused", "ed"), ("reject_refused", "ed")]


def test_an_approver_approves_and_who_and_when_are_recorded(store, campaign, rendered, people):
    before = datetime.now(UTC)
    event = store.approve(campaign.id, people["approver"], "ship it")
    assert (event.username, event.action, event.plan_version, event.creative_id) == ("april", "approve", 1,
                                                                                      rendered.id)
    stored = store.current_approval(campaign.id)
    assert stored.id == event.id and stored.comment == "ship it"
    assert stored.at.utcoffset() == timedelta(0) and before - timedelta(seconds=1) <= stored.at
    assert store.get_campaign(campaign.id).status == "approved"
    assert store.approve(campaign.id, "ada", "admin agrees").username == "ada"


def test_a_critical_finding_blocks_approval_until_a_clean_verdict(store, campaign, media, people):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_verdict(campaign.id, make_verdict(1, critical=True))
    with pytest.raises(ApprovalBlocked, match="critical finding: scene 1 claims the watch cures insomnia"):
        store.approve(campaign.id, "april", "")
    clean = store.add_verdict(campaign.id, make_verdict(1), creative_id=creative.id)
    assert clean.creative_id == creative.id
    assert store.approve(campaign.id, "april", "fixed").creative_id == creative.id


@pytest.mark.parametrize("creative_label, verdict_label, message", [
    (False, True, "does not carry the 'AI generated' label"),
    (True, False, "Verifier did not find the AI label"),
])
def test_a_creative_without_the_ai_label_is_not_approved(store, campaign, media, people, creative_label,
                                                         verdict_label, message):
    store.add_creative(campaign.id, 1, make_creative(media, 1, ai_label=creative_label))
    store.add_verdict(campaign.id, make_verdict(1, ai_label=verdict_label))
    with pytest.raises(ApprovalBlocked, match=message):
        store.approve(campaign.id, "april", "")
    assert store.current_approval(campaign.id) is None


def test_unrendered_or_unverified_work_is_not_approved(store, campaign, media, people):
    with pytest.raises(ApprovalBlocked, match="render plan version 1"):
        store.approve(campaign.id, "april", "")
    store.add_creative(campaign.id, 1, make_creative(media, 1))
    with pytest.raises(ApprovalBlocked, match="has not been verified"):
        store.approve(campaign.id, "april", "")


def test_editing_an_approved_plan_makes_a_new_version_and_clears_approval(store, campaign, rendered, people):
    store.approve(campaign.id, "april", "ship it")
    v2 = store.save_plan_version(campaign.id, make_plan("edited after approval"), author="ed",
                                 expected_version=1)
    assert v2.version == 2
    assert store.current_approval(campaign.id) is None
    assert store.get_campaign(campaign.id).status == "draft"
    assert store.plan_version(campaign.id, 1).plan.storyboard.scenes[0].narration == "hello there"
    assert "approval_cleared" in [e.action for e in store.audit_log(campaign.id)]
    with pytest.raises(ApprovalBlocked, match="render plan version 2"):
        store.approve(campaign.id, "april", "")


def test_reject_needs_a_reason_and_records_it(store, campaign, rendered, people):
    with pytest.raises(InputError, match="say why"):
        store.reject(campaign.id, "april", "  ")
    event = store.reject(campaign.id, "april", "the hook is weak")
    assert (event.action, event.comment) == ("reject", "the hook is weak")
    assert store.get_campaign(campaign.id).status == "rejected"


def test_directives_move_from_proposed_to_applied_with_who_and_when(store, campaign):
    d = store.add_directive(campaign.id, {"kind": "recaption", "scenes": [1], "reason": "caption too long",
                                          "cause": "caption_placement", "captions": {"1": "Fresh all day"}})
    assert (d.status, d.kind, d.plan_version) == ("proposed", "recaption", 1)
    applied = store.set_directive_status(d.id, "applied", "ana")
    assert (applied.status, applied.status_by) == ("applied", "ana") and applied.status_at.tzinfo is not None
    assert store.directives(campaign.id, status="proposed") == []
    assert store.directives(campaign.id)[0].directive.captions == {1: "Fresh all day"}
    with pytest.raises(InputError, match="applied' or 'dismissed"):
        store.set_directive_status(d.id, "maybe", "ana")
    with pytest.raises(InputError, match="directive"):
        store.add_directive(campaign.id, {"kind": "teleport", "reason": "x", "cause": "claim"})


def test_feedback_finds_its_campaign_by_plan_id(store, campaign):
    from nextads_studio.schemas import FeedbackEvent

    row = store.add_feedback(FeedbackEvent(impression_id="imp-1", plan_id="p1", plan_version=1, watch_time=4.5,
                                           clicks=1))
    assert row.campaign_id == campaign.id
    assert [f.event.watch_time for f in store.feedback(campaign.id)] == [4.5]
