"""Content-addressed files: stored once, verified on read, kept while referenced, never half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from nextads_studio.store import CorruptArtifact

from .builders import make_creative, make_history, make_plan, make_product, write_mp4


def test_files_are_stored_once_under_their_hash(store, campaign, media):
    a = store.add_creative(campaign.id, 1, make_creative(media, 1))
    b = store.add_creative(campaign.id, 1, make_creative(media, 1))
    assert a.video_sha256 == b.video_sha256 and len(a.video_sha256) == 64
    path = store.creative_file(a.id, "video")
    assert path.name == a.video_sha256 and path.parent.name == a.video_sha256[:2]
    assert path.read_bytes() == media["video"].read_bytes()
    assert store.creative_file(a.id, "srt").read_text().startswith("1\n00:00:00,000")
    assert a.creative.video_path == str(path) and a.creative.sha256 == a.video_sha256
    assert len(store.blobs.all_hashes()) == 2  # the mp4 and the srt, each once


def test_a_corrupted_artifact_is_detected_by_its_hash(store, campaign, media, tmp_path):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    path = store.creative_file(creative.id)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CorruptArtifact, match="corrupted"):
        store.creative_file(creative.id)
    with pytest.raises(CorruptArtifact):
        store.export_campaign(campaign.id, tmp_path / "export")
    assert not (tmp_path / "export").exists()
    path.unlink()
    with pytest.raises(CorruptArtifact, match="missing"):
        store.creative_file(creative.id)


def test_deleting_a_campaign_keeps_files_other_records_use(store, campaign, media, tmp_path):
    other = store.create_campaign(make_history("u2"), make_product(), author="bo")
    store.save_plan_version(other.id, make_plan(), author="bo")
    shared = store.add_creative(campaign.id, 1, make_creative(media, 1))
    store.add_creative(other.id, 1, make_creative(media, 1))
    own_video = write_mp4(tmp_path / "own.mp4", seed=5)
    own = store.add_creative(campaign.id, 1, make_creative({"video": own_video, "srt": media["srt"]}, 1))

    removed = store.delete_campaign(campaign.id, by="ana")
    assert removed == [own.video_sha256]
    assert not store.blobs.exists(own.video_sha256)
    assert store.blobs.verified_path(shared.video_sha256).is_file()
    assert [c.id for c in store.list_campaigns()] == [other.id]
    assert store.creatives(campaign.id) == [] and store.plan_versions(campaign.id) == []
    assert store.audit_log(campaign.id)[-1].action == "campaign_deleted"  # the log outlives the campaign

    store.delete_campaign(other.id)
    assert store.blobs.all_hashes() == set()


_WRITER = textwrap.dedent("""
    import sys, time
    from nextads_studio.settings import Settings
    from nextads_studio.store import Store

    store = Store.open(Settings(data_dir=sys.argv[1], database_url=sys.argv[2] or None))

    def render():
        yield b"\\x00" * 65536
        print("writing", flush=True)
        while True:  # a render that never finishes; the parent kills it half-way
            yield b"\\x01" * 65536
            time.sleep(0.01)

    store.blobs.put_stream(render())
""")


def test_a_writer_killed_half_way_leaves_no_half_file(store, store_settings, campaign, media, open_store):
    creative = store.add_creative(campaign.id, 1, make_creative(media, 1))
    before = store.blobs.all_hashes()
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(store_settings.data_dir),
                             store_settings.database_url or ""], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert proc.stdout.readline().strip() == "writing"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert store.blobs.all_hashes() == before  # nothing appeared under a content name
    assert len(list(store.blobs.root.glob(".incoming-*"))) == 1
    assert store.blobs.sweep_incoming(older_than_s=0) == 1

    restarted = open_store()
    assert restarted.latest_plan(campaign.id).plan.storyboard.scenes[0].narration == "hello there"
    assert restarted.creative_file(creative.id).read_bytes() == media["video"].read_bytes()
