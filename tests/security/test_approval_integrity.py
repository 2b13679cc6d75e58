"""Item 11: approval checks the stored creative's bytes against its hash; a damaged blob refuses approval."""

from __future__ import annotations

import pytest

from nextads_studio.store import ApprovalBlocked
from tests.store.builders import make_creative, make_verdict


def test_a_corrupted_creative_blob_refuses_approval(store, campaign, media, people):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_verdict(campaign.id, make_verdict(1, sha=creative.video_sha256))
    blob = store.blobs.path_for(creative.video_sha256)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte on disk
    blob.write_bytes(bytes(data))
    with pytest.raises(ApprovalBlocked, match="no longer matches its hash.*re-render"):
        store.approve(campaign.id, people["approver"], "ship it")
    assert store.get_campaign(campaign.id).status == "draft"
    assert [e.action for e in store.audit_log(campaign.id)][-1] == "approve_refused"


def test_a_missing_creative_blob_refuses_approval(store, campaign, media, people):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_verdict(campaign.id, make_verdict(1, sha=creative.video_sha256))
    store.blobs.path_for(creative.video_sha256).unlink()
    with pytest.raises(ApprovalBlocked, match="missing"):
        store.approve(campaign.id, people["approver"], "ship it")


def test_an_intact_creative_is_approved(store, campaign, media, people):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_verdict(campaign.id, make_verdict(1, sha=creative.video_sha256))
    assert store.approve(campaign.id, people["approver"], "ship it").creative_id == creative.id
