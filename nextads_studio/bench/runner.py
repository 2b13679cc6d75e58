"""Run a bench: for every pair and system, plan -> render -> verify, one folder per job, resumable.

A job is finished when its `result.json` exists (written last, atomically), so a rerun skips finished jobs and a
crash loses at most the jobs in flight. Jobs are deterministic (seeded per pair), so the local process pool and Ray
give identical results.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import rules
from ..atomic import write_json
from ..errors import InputError
from .manifest import BenchManifest, BenchPair, load_manifest

log = logging.getLogger(__name__)
SYSTEMS = ("nextads", "generic")


@dataclass(frozen=True)
class Job:
    pair: dict
    system: str
    suite: str
    source: str
    out_dir: str
    duration: float
    resolution: int
    settings: dict

    @property
    def job_dir(self) -> Path:
        return Path(self.out_dir) / "pairs" / self.pair["pair_id"] / self.system

    @property
    def key(self) -> str:
        return f"{self.pair['pair_id']}/{self.system}"


_STUDIOS: dict[str, Any] = {}
_HISTORIES: dict[tuple[str, str], Any] = {}


def _studio(settings: dict):
    """One Studio per worker process (models load once), keyed by its settings."""
    key = json.dumps(settings, sort_keys=True, default=str)
    if key not in _STUDIOS:
        from ..settings import Settings
        from ..studio import Studio

        studio = Studio(Settings(**settings))
        # A bench pair must come out the same whatever was planned before it (another run, another executor): no
        # copy rotation from the store's memory of earlier plans, no learned preferences; the history alone.
        for hook in ("recent_source", "recent_sink", "learned_source"):
            if hasattr(studio.director, hook):
                setattr(studio.director, hook, None)
        _STUDIOS[key] = studio
    return _STUDIOS[key]


def _history(source: str, user_id: str):
    if (source, user_id) not in _HISTORIES:
        from .build import load_histories

        for uid, h in load_histories(Path(source)).items():
            _HISTORIES[(source, uid)] = h
    return _HISTORIES[(source, user_id)]


def older_part(history, newest: float = rules.NEWEST_SHARE):
    """The history without its newest items (the Director's view in the bench's temporal split); the items left
    out are exactly those the judge's newest-share score is measured against."""
    def keep(n: int) -> int:
        return n - max(1, int(round(n * newest)))

    if history.kind == "notes" and len(history.notes) >= 2:
        return history.model_copy(update={"notes": history.notes[:keep(len(history.notes))]})
    if history.kind == "videos" and len(history.videos) >= 2:
        return history.model_copy(update={"videos": history.videos[:keep(len(history.videos))]})
    return history


def run_job(job: Job) -> dict:
    """Plan, render and verify one pair for one system; returns the result row (also written to disk)."""
    from ..schemas import RenderSettings

    done = job.job_dir / "result.json"
    if done.exists():
        return json.loads(done.read_text(encoding="utf-8"))
    studio = _studio(job.settings)
    pair = BenchPair.model_validate(job.pair)
    history = _history(job.source, pair.user_id)
    product = studio.library.get(pair.product_id)
    profile = studio.director.build_profile(history)
    job.job_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    mode = "generic" if job.system == "generic" else "nextads"
    # temporal split: the Director plans from the older 80% of the history; the judge scores against all of it
    # and, in the verdict's evidence, against the newest 20% it never saw
    seen = older_part(history)
    plan = studio.director.plan(seen if mode == "nextads" else None, product, task=job.suite, mode=mode,
                                host_video=pair.host_video, duration=job.duration,
                                aspect=rules.plan_aspect(job.suite, pair.host_video), seed=7, out_dir=job.job_dir)
    write_json(job.job_dir / "plan.json", plan)
    creative = studio.producer.render(plan, job.job_dir, RenderSettings(resolution=job.resolution))
    write_json(job.job_dir / "creative.json", creative)
    verdict = studio.verifier.verify(plan, creative, history=history, profile=profile)
    write_json(job.job_dir / "verdict.json", verdict)
    row = {"pair_id": pair.pair_id, "user_id": pair.user_id, "product_id": pair.product_id,
           "system": job.system, "decision": verdict.decision, "seconds": round(time.perf_counter() - started, 2),
           "backends": {"director": studio.settings.director, "producer": creative.backend or studio.settings.producer,
                        "judge": verdict.judge_backend},
           "verdict": verdict.model_dump(mode="json")}
    write_json(done, row)
    return row


def plan_jobs(manifest: BenchManifest, manifest_path: Path, systems: Iterable[str], out_dir: Path,
              limit: int | None, duration: float, resolution: int, settings: dict) -> list[Job]:
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise InputError(f"unknown system(s) {sorted(unknown)}; choose from {', '.join(SYSTEMS)}")
    pairs = manifest.pairs[:limit] if limit else manifest.pairs
    source = str(manifest.source_path(manifest_path))
    return [Job(pair=p.model_dump(), system=s, suite=manifest.suite, source=source, out_dir=str(out_dir),
                duration=duration, resolution=resolution, settings=settings)
            for p in pairs for s in systems]


def run_bench(manifest_path: str | Path, systems: Iterable[str], out_dir: str | Path, *, executor: str = "local",
              address: str | None = None, workers: int = 2, limit: int | None = None, duration: float = 15,
              resolution: int = 360, settings: dict | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Run every unfinished job; returns counts. `executor` is "local" (process pool) or "ray"."""
    from .executors import get_executor

    manifest_path = Path(manifest_path)
    manifest = load_manifest(manifest_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json(out_dir / "manifest.json", manifest)
    jobs = plan_jobs(manifest, manifest_path, list(systems), out_dir, limit, duration, resolution, settings or {})
    todo = [j for j in jobs if not (j.job_dir / "result.json").exists()]
    skipped = len(jobs) - len(todo)
    started = time.perf_counter()
    failures: list[str] = []
    done = skipped
    for job, result in get_executor(executor, workers=workers, address=address).map(run_job, todo):
        done += 1
        if isinstance(result, BaseException):
            failures.append(f"{job.key}: {result}")
            log.warning("bench job %s failed: %s", job.key, result)
        if progress:
            progress(done, len(jobs), job.key)
    return {"jobs": len(jobs), "skipped": skipped, "ran": len(todo), "failed": failures,
            "seconds": round(time.perf_counter() - started, 2), "executor": executor, "out_dir": str(out_dir)}
