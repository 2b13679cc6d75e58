"""The labelled check set: every planted defect is found with its category, scene and time; clean ones pass."""

from __future__ import annotations

import pytest

from . import check_set

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judged(assets, render, verifier, clean, tmp_path_factory):
    folder = tmp_path_factory.mktemp("check-set")
    out = {}
    for case in check_set.cases():
        built = check_set.build(case, assets, render, folder / case.name.replace(" ", "-"), clean[:2])
        out[case.name] = (case, verifier.verify(built.plan, built.creative, history=built.history))
    return out


@pytest.mark.parametrize("name", [c.name for c in check_set.cases() if c.codes])
def test_planted_defect_is_found_at_its_scene_and_time(judged, name):
    case, verdict = judged[name]
    assert check_set.found(case, verdict) == (True, True), [
        (f.code, f.evidence.scene_index, f.evidence.start, f.evidence.end) for f in verdict.compliance.findings]
    assert verdict.decision in ("revise", "reject")


@pytest.mark.parametrize("name", [c.name for c in check_set.cases() if not c.codes])
def test_clean_creative_is_accepted(judged, name):
    _, verdict = judged[name]
    assert verdict.decision == "accept", verdict.rationales
