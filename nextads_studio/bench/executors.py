"""Where bench jobs run: a local process pool (default) or a Ray cluster (optional extra `ray`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..errors import BackendUnavailable, InputError


class LocalExecutor:
    """A process pool; each worker builds its Studio once and keeps the models loaded."""

    def __init__(self, workers: int = 2):
        self.workers = max(1, workers)

    def map(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        if not jobs:
            return
        if self.workers == 1:
            for job in jobs:
                yield job, _call(fn, job)
            return
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")  # fork after torch/ffmpeg threads start is unsafe
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
            futures = {pool.submit(_call, fn, job): job for job in jobs}
            for fut in as_completed(futures):
                yield futures[fut], fut.result()


class RayExecutor:
    """Ray tasks; `address=None` starts a local Ray instance, otherwise connects to a cluster."""

    def __init__(self, workers: int = 2, address: str | None = None):
        try:
            import ray
        except ImportError:
            raise BackendUnavailable("the Ray executor needs Ray.", pip_hint='pip install "nextads-studio[ray]"') \
                from None
        self.ray = ray
        if not ray.is_initialized():
            kwargs = {"address": address} if address else {"num_cpus": max(1, workers)}
            ray.init(include_dashboard=False, log_to_driver=False, ignore_reinit_error=True, **kwargs)

    def map(self, fn: Callable[[Any], Any], jobs: Sequence[Any]) -> Iterator[tuple[Any, Any]]:
        remote = self.ray.remote(_call)
        pending = {remote.remote(fn, job): job for job in jobs}
        while pending:
            ready, _ = self.ray.wait(list(pending), num_returns=1)
            for ref in ready:
                yield pending.pop(ref), self.ray.get(ref)


def _call(fn, job):
    """Run one job; an exception comes back as a value so one failed pair never stops the bench."""
    try:
        return fn(job)
    except Exception as exc:  # noqa: BLE001 - reported per job by the runner
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def get_executor(name: str, workers: int = 2, address: str | None = None):
    if name == "local":
        return LocalExecutor(workers)
    if name == "ray":
        return RayExecutor(workers, address)
    raise InputError(f"unknown executor {name!r}; use local or ray")
