"""PCI: a seamless splice scores higher integration quality than an abrupt one; no integrated video is missing."""

from __future__ import annotations

import numpy as np
import pytest

from nextads_studio.schemas import Creative, HostSummary, Integration
from nextads_studio.verifier.judge import OfflineJudge

from .clips import pan, write_clip
from .conftest import make_plan


def _pci_plan(assets, host_path):
    summary = HostSummary(title="Ridge run", topic="trail running vlog", content="a runner climbs a mountain trail",
                          duration=6.0, palette=["#2E7D32", "#A5D6A7", "#1B5E20", "#F1F8E9"])
    return make_plan(assets, task="pci", duration=2.0, scenes=[
        dict(narration="Mid-climb, a quick sip.", visual="runner pauses on the trail"),
        dict(narration="Back to the ridge.", visual="returns to the start frame", product_focus=True)],
        integration=Integration(host_video_path=str(host_path), timestamp=3, host_summary=summary))


@pytest.fixture(scope="module")
def splices(tmp_path_factory):
    d = tmp_path_factory.mktemp("pci")
    host = pan(320, 180, 180, 1.0, seed=2)  # 6 s at 30 fps
    same_world = pan(320, 180, 60, 1.0, seed=2)[::-1]
    jarring = [np.full((180, 320, 3), (230, 20, 200), np.uint8)] * 60
    return {
        "host": write_clip(d / "host.mp4", host),
        "smooth": write_clip(d / "smooth.mp4", host[:90] + same_world + host[90:]),
        "abrupt": write_clip(d / "abrupt.mp4", host[:90] + jarring + host[90:]),
    }


def _creative(plan, integrated):
    return Creative(plan_id=plan.plan_id, plan_version=1, video_path=str(integrated), duration=2.0, width=320,
                    height=180, integrated_path=str(integrated) if integrated else None,
                    segment_start=3.0 if integrated else None)


def test_seamless_splice_scores_higher_than_abrupt(assets, embedder, splices):
    judge = OfflineJudge(embedder)
    plan = _pci_plan(assets, splices["host"])
    smooth = judge.integration_quality(plan, _creative(plan, splices["smooth"]))
    abrupt = judge.integration_quality(plan, _creative(plan, splices["abrupt"]))
    assert smooth.evidence["colour_continuity"] > abrupt.evidence["colour_continuity"] + 0.3
    assert smooth.score > abrupt.score


def test_context_alignment_and_missing_integration(assets, embedder, splices):
    judge = OfflineJudge(embedder)
    plan = _pci_plan(assets, splices["host"])
    scores = judge.score(plan, _creative(plan, None).model_copy(update={"video_path": str(splices["smooth"])}),
                         {"profile": None})
    assert scores["integration_quality"].missing and scores["integration_quality"].score is None
    assert not scores["context_alignment"].missing and scores["context_alignment"].evidence["thematic_fit"] > 0.3
