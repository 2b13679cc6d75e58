"""The closed loop as a generator of typed events: plan -> render -> verify -> reflect -> apply -> again.

`run_loop(...)` yields StageStarted / StageProgress / StageFinished for each stage of each round,
DirectiveProposed for each revision, and LoopFinished at the end (accept, or the last verdict after
`max_rounds`). Every round writes out_dir/round_N/{plan.json, creative.mp4, verdict.json, directives.json,
round.json}. The UI and CLI only render these events.

Human mode: after each DirectiveProposed the loop yields AwaitingApproval and waits for the decision, sent with
`events.send("apply")` or `events.send("dismiss")`; whatever `send` returns is the next event. Advancing with
plain `next()` (a for loop) counts as "dismiss": nothing changes without an approval. `drive(events, decide)`
runs a loop to the end with a decision function.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_json
from .errors import InputError
from .schemas import (
    Creative,
    CreativePlan,
    Directive,
    DirectiveListAdapter,
    FeedbackEvent,
    Product,
    RenderSettings,
    UserHistory,
    UserProfile,
    Verdict,
)
from .schemas.common import DEFAULT_ASPECT


@dataclass
class StageStarted:
    stage: str
    round: int


@dataclass
class StageProgress:
    stage: str
    fraction: float
    message: str
    round: int = 0


@dataclass
class StageFinished:
    stage: str
    round: int
    output: Any
    seconds: float = 0.0


@dataclass
class DirectiveProposed:
    directive: Directive
    round: int
    index: int = 0


@dataclass
class AwaitingApproval:
    directive: Directive
    round: int
    index: int = 0


@dataclass
class DirectiveDecided:
    directive: Directive
    round: int
    decision: str


@dataclass
class LoopFinished:
    decision: str
    rounds: int
    plan: CreativePlan
    creative: Creative | None
    verdict: Verdict | None
    out_dir: Path | None = None
    history: list[dict] = field(default_factory=list)


StageEvent = (StageStarted | StageProgress | StageFinished | DirectiveProposed | AwaitingApproval
              | DirectiveDecided | LoopFinished)
DECISIONS = ("apply", "dismiss")


def run_loop(studio, history: UserHistory | None, product: Product, *, task: str = "pcg", mode: str = "nextads",
             host_video: str | Path | None = None, duration: float = 15, aspect: str = DEFAULT_ASPECT,
             render_settings: RenderSettings | None = None, out_dir: str | Path, max_rounds: int = 3,
             human: bool = False, plan: CreativePlan | None = None, feedback: Sequence[FeedbackEvent] = (),
             cancel: threading.Event | None = None) -> Generator[StageEvent, str | None, None]:
    """Run the closed loop; see the module docstring for the events and human approvals."""
    if max_rounds < 1:
        raise InputError(f"max_rounds must be at least 1, got {max_rounds}")
    out_dir = Path(out_dir)
    settings = render_settings or RenderSettings(aspect=aspect)
    cancel = cancel or threading.Event()
    summary: list[dict] = []
    if plan is None:
        yield StageStarted("plan", 1)
        t0 = time.perf_counter()
        plan = studio.director.plan(history, product, task=task, mode=mode, host_video=host_video,
                                    duration=duration, aspect=aspect, seed=studio.settings.seed,
                                    out_dir=out_dir / "round_1")
        yield StageFinished("plan", 1, plan, time.perf_counter() - t0)
    creative: Creative | None = None
    verdict: Verdict | None = None
    for rnd in range(1, max_rounds + 1):
        rdir = out_dir / f"round_{rnd}"
        write_json(rdir / "plan.json", plan)
        creative = yield from _render(studio, plan, rdir, settings, rnd, cancel)
        yield StageStarted("verify", rnd)
        t0 = time.perf_counter()
        verdict = studio.verifier.verify(plan, creative, history=history, profile=_judged_profile(studio, plan, history))
        write_json(rdir / "verdict.json", verdict)
        yield StageFinished("verify", rnd, verdict, time.perf_counter() - t0)
        directives: list[Directive] = []
        if verdict.decision != "accept" or (feedback and rnd == 1):
            yield StageStarted("reflect", rnd)
            t0 = time.perf_counter()
            directives = studio.reflector.reflect(plan, verdict, feedback if rnd == 1 else ())
            yield StageFinished("reflect", rnd, directives, time.perf_counter() - t0)
        _write_directives(rdir, directives)
        record = {"round": rnd, "version": plan.version, "decision": verdict.decision,
                  "scenes_rerendered": list(creative.scenes_rerendered), "render_seconds": creative.render_seconds,
                  "findings": [f.code or f.category for f in verdict.compliance.findings], "directives": []}
        summary.append(record)
        if not directives or rnd == max_rounds:
            write_json(rdir / "round.json", record)
            break
        approved = []
        for i, d in enumerate(directives):
            yield DirectiveProposed(d, rnd, i)
            decision = "apply"
            if human:
                answer = yield AwaitingApproval(d, rnd, i)
                decision = _decision(answer)
            record["directives"].append({"kind": d.kind, "scenes": d.scenes, "status": decision})
            yield DirectiveDecided(d, rnd, decision)
            if decision == "apply":
                approved.append(d)
        write_json(rdir / "round.json", record)
        if not approved:
            break  # the person dismissed every change: nothing new to render
        yield StageStarted("apply", rnd)
        from .reflector import apply_all

        plan = apply_all(plan, approved)
        yield StageFinished("apply", rnd, plan)
    write_json(out_dir / "summary.json", {"decision": verdict.decision if verdict else "none",
                                          "rounds": len(summary), "plan_id": plan.plan_id,
                                          "final_version": plan.version, "history": summary})
    yield LoopFinished(verdict.decision if verdict else "none", len(summary), plan, creative, verdict, out_dir,
                       summary)


def _decision(answer: str | None) -> str:
    if answer is None:
        return "dismiss"
    if answer not in DECISIONS:
        raise InputError(f"approval must be one of {', '.join(DECISIONS)}, got {answer!r}")
    return answer


def _write_directives(rdir: Path, directives: list[Directive]) -> None:
    write_json(rdir / "directives.json", DirectiveListAdapter.dump_python(directives, mode="json"))


def _render(studio, plan: CreativePlan, rdir: Path, settings: RenderSettings, rnd: int,
            cancel: threading.Event) -> Generator[StageEvent, Any, Creative]:
    """Render in a worker thread, yielding its progress reports as they arrive."""
    yield StageStarted("render", rnd)
    t0 = time.perf_counter()
    reports: queue.Queue = queue.Queue()
    result: dict[str, Any] = {}

    def work() -> None:
        try:
            result["creative"] = studio.producer.render(plan, rdir, settings,
                                                        progress=lambda f, m: reports.put((f, m)), cancel=cancel)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the generator's thread
            result["error"] = exc
        finally:
            reports.put(None)

    worker = threading.Thread(target=work, name=f"render-round-{rnd}", daemon=True)
    worker.start()
    try:
        while (item := reports.get()) is not None:
            yield StageProgress("render", float(item[0]), str(item[1]), rnd)
    finally:
        if worker.is_alive():  # the consumer closed the loop mid-render: stop the Producer cleanly
            cancel.set()
        worker.join()
    if "error" in result:
        raise result["error"]
    creative: Creative = result["creative"]
    yield StageFinished("render", rnd, creative, time.perf_counter() - t0)
    return creative


def drive(events: Generator[StageEvent, str | None, None],
          decide: Callable[[AwaitingApproval], str] | None = None,
          on_event: Callable[[StageEvent], None] | None = None) -> LoopFinished:
    """Run a loop to its end; `decide` answers each AwaitingApproval ("apply" or "dismiss")."""
    event = next(events)
    while True:
        if on_event is not None:
            on_event(event)
        if isinstance(event, LoopFinished):
            events.close()
            return event
        try:
            if isinstance(event, AwaitingApproval):
                event = events.send(decide(event) if decide else "apply")
            else:
                event = next(events)
        except StopIteration as exc:
            raise RuntimeError("the loop ended without a LoopFinished event") from exc


def _judged_profile(studio: Any, plan: CreativePlan, history: UserHistory | None) -> UserProfile | None:
    """The profile personalization is judged against: the plan's, or for GenericAds the real person's."""
    if plan.profile is not None or history is None:
        return plan.profile
    return studio.director.build_profile(history)
