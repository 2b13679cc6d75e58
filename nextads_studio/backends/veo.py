"""`google:veo-3.1-fast`: Veo through the Gemini API's long-running operations (submit, poll, download).

The storyboard is cut into segments of at most 8 s (Veo's longest clip); each segment is one job whose prompt is
the visual-only rewrite of its scenes, with the product image and the collage as reference images and, for PCI,
the host's start frame as the first frame. Jobs are keyed by a content hash of the request and recorded on disk
before polling, so a rerun resumes the same operation instead of paying for a second video. After 8 poll
errors or a failed operation a job is resubmitted, at most twice (as in the reference code).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from ..atomic import write_bytes, write_json
from ..errors import BackendError, BackendUnavailable
from .base import CallRecord, Usage, VideoModel
from .clips import clip_duration, fit_clip, segments
from .google_text import GOOGLE_URL, google_api_key
from .retry import JsonHttp, RetryPolicy
from .structured import image_part
from .visual_prompt import visual_prompt

MODELS = {"veo-3.1-fast": "veo-3.1-fast-generate-preview", "veo-3.1": "veo-3.1-generate-preview",
          "veo-3.0-fast": "veo-3.0-fast-generate-001", "veo-3.0": "veo-3.0-generate-001"}
PRICE_PER_SECOND = {"veo-3.1-fast": 0.15, "veo-3.1": 0.40, "veo-3.0-fast": 0.15, "veo-3.0": 0.40}
ASPECTS = {"9:16": "9:16", "16:9": "16:9", "1:1": "9:16"}  # Veo has no square output: crop 9:16 afterwards
NEGATIVE = "on-screen text, subtitles, captions, watermark, logos of other brands, distorted product"


class VeoVideoModel(VideoModel):
    """Generates scene clips with Veo; `generate` returns one silent, scene-length clip per scene."""

    def __init__(self, model: str, *, api_key: str, state_dir: Path, base_url: str = GOOGLE_URL,
                 policy: RetryPolicy | None = None, transport: httpx.BaseTransport | None = None,
                 poll_start: float = 10.0, poll_max: float = 45.0, max_wait: float = 3600.0,
                 max_poll_errors: int = 8, max_resubmits: int = 2):
        self.model = model
        self.api_model = MODELS.get(model, model)
        self.backend_id = f"google:{model}"
        self.state_dir = Path(state_dir)
        self.usage = Usage()
        self.policy = policy or RetryPolicy()
        self.http = JsonHttp(self.backend_id, base_url.rstrip("/") + "/", {"x-goog-api-key": api_key},
                             self.policy, transport, self.usage)
        self.poll_start, self.poll_max, self.max_wait = poll_start, poll_max, max_wait
        self.max_poll_errors, self.max_resubmits = max_poll_errors, max_resubmits

    @classmethod
    def from_settings(cls, model: str, settings: Any = None, **kw) -> VeoVideoModel:
        key = google_api_key()
        if not key:
            raise BackendUnavailable(f"google:{model} needs the GEMINI_API_KEY (or GOOGLE_API_KEY) environment "
                                     "variable")
        data_dir = Path(getattr(settings, "data_dir", "data"))
        return cls(model, api_key=key, state_dir=data_dir / "veo_jobs", **kw)

    # --- public -------------------------------------------------------------------------------------------------
    def generate(self, plan: Any, references: Sequence[Path | str], out_dir: Path) -> list[Path]:
        """Submit (or resume) one job per <=8 s segment, then cut each result into per-scene clips."""
        out_dir = Path(out_dir)
        scenes = plan.storyboard.scenes
        size = (720, 720) if plan.storyboard.aspect == "1:1" else None
        clips: list[Path] = []
        for group in segments([s.duration for s in scenes], 8.0):
            chosen = [scenes[i] for i in group]
            request = self._request(plan, chosen, references, first=group[0] == 0)
            raw = self._run_job(request)
            seg_start, seg_len = chosen[0].start, chosen[-1].end - chosen[0].start
            ratio = clip_duration(raw) / seg_len
            for scene in chosen:
                target = out_dir / f"veo_scene{scene.index:02d}_{raw.stem[4:]}.mp4"
                if not target.is_file():
                    fit_clip(raw, target, scene.duration, size=size, offset=(scene.start - seg_start) * ratio,
                             length=scene.duration * ratio)
                clips.append(target)
        return clips

    # --- one job ------------------------------------------------------------------------------------------------
    def _request(self, plan: Any, scenes: list, references: Sequence[Path | str], first: bool) -> dict:
        length = scenes[-1].end - scenes[0].start
        refs = [*plan.grounding.product_images[:1], *([plan.grounding.collage_path] if plan.grounding.collage_path
                                                      else []), *map(str, references)]
        refs = [r for r in dict.fromkeys(refs) if r and Path(r).is_file()][:3]
        instance: dict[str, Any] = {"prompt": visual_prompt(plan, scenes)}
        if refs:
            instance["referenceImages"] = [{"image": _image(r), "referenceType": "asset"} for r in refs]
        start_frame = plan.integration.start_frame_path if plan.integration else None
        if first and start_frame and Path(start_frame).is_file():
            instance["image"] = _image(start_frame)  # PCI: the segment opens on the host's frame
        duration = 8 if refs else next(d for d in (4, 6, 8) if d >= min(length, 8) - 1e-6)
        params = {"aspectRatio": ASPECTS[plan.storyboard.aspect], "durationSeconds": duration,
                  "negativePrompt": NEGATIVE, "personGeneration": "allow_adult", "resolution": "720p"}
        return {"instances": [instance], "parameters": params}

    def _run_job(self, request: dict) -> Path:
        key = hashlib.sha256(json.dumps([self.api_model, request], sort_keys=True).encode()).hexdigest()[:16]
        video = self.state_dir / f"veo_{key}.mp4"
        if video.is_file():
            return video
        job_file = self.state_dir / f"veo_{key}.json"
        job = json.loads(job_file.read_text()) if job_file.is_file() else {"resubmits": 0, "poll_errors": 0}
        while True:
            if not job.get("operation"):
                job["operation"] = self._submit(request)
                job["submitted_at"] = time.time()
                write_json(job_file, job)  # recorded before polling: a rerun resumes, it does not pay twice
            try:
                uri = self._poll(job, job_file)
            except _Resubmit as why:
                if job["resubmits"] >= self.max_resubmits:
                    raise BackendError(f"{self.backend_id}: job {key} failed after {job['resubmits']} "
                                       f"resubmissions: {why}") from None
                job.update(operation=None, poll_errors=0, resubmits=job["resubmits"] + 1, last_error=str(why))
                write_json(job_file, job)
                continue
            write_bytes(video, uri if isinstance(uri, bytes) else self.http.download(uri, operation="download"))
            seconds = request["parameters"]["durationSeconds"]
            self.usage.add(CallRecord(self.backend_id, "video", time.time() - job["submitted_at"],
                                      cost_usd=seconds * PRICE_PER_SECOND.get(self.model, 0.0),
                                      detail=f"{seconds}s clip, job {key}"))
            job.update(status="done", video=str(video))
            write_json(job_file, job)
            return video

    def _submit(self, request: dict) -> str:
        body = self.http.request("POST", f"models/{self.api_model}:predictLongRunning", operation="submit",
                                 json=request)
        name = body.get("name")
        if not name:
            raise BackendError(f"{self.backend_id}: the submit response has no operation name: {str(body)[:200]}")
        return name

    def _poll(self, job: dict, job_file: Path) -> str | bytes:
        """Poll with backoff (10 s growing to 45 s) until done; returns the video URI (or inline bytes)."""
        delay, waited = self.poll_start, 0.0
        while waited <= self.max_wait:
            self.policy.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, self.poll_max)
            try:
                op = self.http.request("GET", job["operation"], operation="poll")
            except BackendError as exc:
                job["poll_errors"] += 1
                write_json(job_file, job)
                if job["poll_errors"] >= self.max_poll_errors:
                    raise _Resubmit(f"{job['poll_errors']} poll errors, last: {exc}") from exc
                continue
            if op.get("done"):
                return _result(op, self.backend_id)
        raise BackendError(f"{self.backend_id}: operation {job['operation']} still running after "
                           f"{self.max_wait:.0f}s; run again to resume it")


class _Resubmit(Exception):
    """The job is lost or failed in a way a new submission may fix."""


def _result(op: dict, backend_id: str) -> str | bytes:
    if op.get("error"):
        raise _Resubmit(f"operation failed: {op['error'].get('message', op['error'])}")
    response = op.get("response") or {}
    gen = response.get("generateVideoResponse") or response
    samples = gen.get("generatedSamples") or gen.get("videos") or []
    if not samples:
        reasons = gen.get("raiMediaFilteredReasons") or ["no video in the response"]
        raise BackendError(f"{backend_id}: no video returned: {'; '.join(map(str, reasons))}")
    video = samples[0].get("video", samples[0])
    if video.get("uri"):
        return video["uri"]
    encoded = video.get("encodedVideo") or video.get("bytesBase64Encoded")
    if encoded:
        import base64

        return base64.b64decode(encoded)
    raise BackendError(f"{backend_id}: the video has neither a uri nor inline bytes")


def _image(path: str) -> dict:
    mime, b64 = image_part(path)
    return {"bytesBase64Encoded": b64, "mimeType": mime}
