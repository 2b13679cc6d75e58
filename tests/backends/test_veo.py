"""Veo adapter: long-running operations against a fake Gemini API with the real shapes."""

from __future__ import annotations

import json

import pytest

from nextads_studio.backends.retry import RetryPolicy
from nextads_studio.backends.veo import VeoVideoModel
from nextads_studio.errors import BackendError
from nextads_studio.media_io import probe
from tests.fakes import FakeVeoServer, google_error, tiny_mp4


@pytest.fixture(scope="module")
def mp4(tmp_path_factory) -> bytes:
    return tiny_mp4(tmp_path_factory.mktemp("veo") / "veo.mp4", seconds=8.0, size=(72, 128))


def _veo(server: FakeVeoServer, state, waits=None, **kw) -> VeoVideoModel:
    waits = waits if waits is not None else []
    return VeoVideoModel("veo-3.1-fast", api_key="g-key", state_dir=state, transport=server.transport,
                         policy=RetryPolicy(attempts=3, sleep=waits.append), **kw)


def test_veo_generates_scene_clips_with_references_and_cost(plan, tmp_path, mp4):
    server = FakeVeoServer(mp4)
    model = _veo(server, tmp_path / "jobs")
    clips = model.generate(plan, [], tmp_path / "clips")
    assert len(clips) == 5 and len(server.submitted) == 3  # scenes of 3 s grouped into 6 + 6 + 3 s segments
    info = probe(clips[0])
    assert abs(info.duration - 3.0) < 0.1 and info.fps == 30 and not info.has_audio
    body = server.submitted[0]
    inst, params = body["instances"][0], body["parameters"]
    assert params == {"aspectRatio": "9:16", "durationSeconds": 8, "negativePrompt": params["negativePrompt"],
                      "personGeneration": "allow_adult", "resolution": "720p"}
    assert [r["referenceType"] for r in inst["referenceImages"]] == ["asset", "asset"]  # product + collage
    assert "Shot 1" in inst["prompt"] and "Shot 3" not in inst["prompt"]
    video_calls = [c for c in model.usage.calls if c.operation == "video"]
    assert sum(c.cost_usd for c in video_calls) == pytest.approx(3 * 8 * 0.15)
    assert all(r.headers["x-goog-api-key"] == "g-key" for r in server.requests)


def test_rerun_resumes_the_recorded_operation_instead_of_resubmitting(plan, tmp_path, mp4):
    server = FakeVeoServer(mp4, polls_needed=50)
    with pytest.raises(BackendError, match="still running.*run again to resume"):
        _veo(server, tmp_path / "jobs", max_wait=30).generate(plan, [], tmp_path / "clips")
    job = json.loads(next((tmp_path / "jobs").glob("veo_*.json")).read_text())
    assert job["operation"].endswith("/operations/op1") and len(server.submitted) == 1
    server.polls_needed = 2
    clips = _veo(server, tmp_path / "jobs").generate(plan, [], tmp_path / "clips")  # a new process, same disk
    assert len(clips) == 5 and len(server.submitted) == 3  # op1 resumed; only the two other segments submitted
    before = len(server.requests)
    assert _veo(server, tmp_path / "jobs").generate(plan, [], tmp_path / "clips") == clips
    assert len(server.requests) == before  # finished videos are never requested again


def test_429_on_submit_waits_retry_after_and_polls_back_off(plan, tmp_path, mp4):
    server = FakeVeoServer(mp4, polls_needed=3)
    server.submit_errors = [google_error(429, "Resource has been exhausted (e.g. check quota).", retry_after="20")]
    waits: list[float] = []
    _veo(server, tmp_path / "jobs", waits=waits).generate(plan, [], tmp_path / "clips")
    assert waits[:4] == [20.0, 10.0, 15.0, 22.5]  # Retry-After, then poll backoff x1.5


def test_failed_operation_is_resubmitted_then_gives_up(plan, tmp_path, mp4):
    server = FakeVeoServer(mp4, polls_needed=1, fail_ops=1)
    _veo(server, tmp_path / "a").generate(plan, [], tmp_path / "clips")
    assert len(server.submitted) == 4  # the failed segment was submitted again, once
    server = FakeVeoServer(mp4, polls_needed=1, fail_ops=10)
    with pytest.raises(BackendError, match="failed after 2 resubmissions: operation failed: Video generation"):
        _veo(server, tmp_path / "b").generate(plan, [], tmp_path / "clips2")


def test_poll_errors_trigger_a_resubmission(plan, tmp_path, mp4):
    server = FakeVeoServer(mp4, polls_needed=1)
    server.poll_errors = [google_error(500, "An internal error has occurred.")] * 6  # 2 polls x 3 attempts
    _veo(server, tmp_path / "jobs", max_poll_errors=2).generate(plan, [], tmp_path / "clips")
    assert len(server.submitted) == 4
    job = json.loads(sorted((tmp_path / "jobs").glob("veo_*.json"))[0].read_text())
    assert job["status"] == "done"
