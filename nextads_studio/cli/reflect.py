"""`nextads reflect` (verdict + feedback -> directives and the revised plan) and `nextads run` (the closed loop)."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import rules
from ..errors import InputError
from ._common import emit, load_model, studio_from_env


def _reflect(args) -> int:
    from ..atomic import write_json
    from ..reflector import apply_all, plan_diff, read_feedback
    from ..schemas import CreativePlan, DirectiveListAdapter, Verdict

    plan = load_model(Path(args.plan), CreativePlan, "plan")
    verdict = load_model(Path(args.verdict), Verdict, "verdict")
    if verdict.plan_id != plan.plan_id:
        raise InputError(f"{args.verdict}: verdict is for plan {verdict.plan_id!r}, not {plan.plan_id!r}")
    feedback = read_feedback(args.feedback) if args.feedback else []
    if args.budget is not None and args.budget < 0:
        raise InputError(f"--budget: {args.budget} s is negative; give the render seconds a revision may spend")
    proposal = studio_from_env().reflector.propose(plan, verdict, feedback, budget=args.budget)
    directives = proposal.directives
    revised = apply_all(plan, directives) if directives else plan.model_copy(update={
        "version": plan.version + 1, "parent_version": plan.version,
        "notes": [*plan.notes, f"v{plan.version + 1}: no change ({verdict.decision}, no feedback to act on)"]})
    out = Path(args.out)
    write_json(out / "directives.json", DirectiveListAdapter.dump_python(directives, mode="json"))
    write_json(out / "revised_plan.json", revised)
    return emit({
        "plan_id": plan.plan_id, "version": plan.version, "revised_version": revised.version,
        "decision": verdict.decision, "feedback_events": len(feedback),
        "directives": [{"kind": d.kind, "stage": d.target_stage, "scenes": d.scenes, "cause": d.cause,
                        "confidence": d.confidence, "reason": d.reason} for d in directives],
        "feedback": [d.reason for d in proposal.decisions],
        "interventions": [{"option": o.describe(), "chosen": o in proposal.chosen} for o in proposal.options],
        "budget": proposal.summary,
        "changes": plan_diff(plan, revised),
        "directives_path": str(out / "directives.json"), "revised_plan_path": str(out / "revised_plan.json"),
    })


def _run_loop(args) -> int:
    from ..library import load_history
    from ..pipeline import LoopFinished, StageFinished, StageProgress, StageStarted, drive, run_loop
    from ..reflector import read_feedback
    from ..schemas import RenderSettings

    studio = studio_from_env()
    history = load_history(args.history, args.user)
    product = studio.library.get(args.product)
    if args.task == "pci" and not (args.host_video or history.host_video):
        raise InputError("--task pci needs --host-video or a video history whose last video is the host")
    host = args.host_video or (history.host_video.video_path if history.host_video else None)
    feedback = read_feedback(args.feedback) if args.feedback else []
    settings = RenderSettings(aspect=args.aspect, resolution=args.resolution, quality="preview")

    def show(event) -> None:
        if not args.verbose:
            return
        if isinstance(event, StageStarted):
            sys.stderr.write(f"round {event.round}: {event.stage}...\n")
        elif isinstance(event, StageProgress):
            sys.stderr.write(f"  {event.fraction:5.0%} {event.message}\n")
        elif isinstance(event, StageFinished):
            sys.stderr.write(f"round {event.round}: {event.stage} done in {event.seconds:.1f}s\n")

    events = run_loop(studio, history, product, task=args.task, mode="generic" if args.generic else "nextads",
                      host_video=host if args.task == "pci" else None, duration=args.duration,
                      aspect=args.aspect, render_settings=settings, out_dir=Path(args.out),
                      max_rounds=args.max_rounds, feedback=feedback)
    done: LoopFinished = drive(events, on_event=show)
    return emit({
        "decision": done.decision, "rounds": done.rounds, "plan_id": done.plan.plan_id,
        "final_version": done.plan.version, "out": str(done.out_dir),
        "video": done.creative.video_path if done.creative else None,
        "history": done.history, "backend": done.plan.backend, "notes": done.plan.notes,
    })


def register(sub) -> None:
    p = sub.add_parser("reflect", help="turn a verdict (and feedback) into directives and the revised plan")
    p.add_argument("plan", help="plan.json")
    p.add_argument("verdict", help="verdict.json written by `nextads verify`")
    p.add_argument("--feedback", help="impression feedback CSV or JSON lines (impression_id, watch_time, ...)")
    p.add_argument("--budget", type=float, help="render seconds this revision may spend (default: no limit)")
    p.add_argument("--out", required=True, help="folder for directives.json and revised_plan.json")
    p.set_defaults(handler=_reflect)

    r = sub.add_parser("run", help="plan, render, verify, reflect and revise until accepted (the closed loop)")
    r.add_argument("--history", required=True, help="Qilin CSV, notes.json or MicroLens folder")
    r.add_argument("--user", help="user id inside the history file")
    r.add_argument("--product", required=True, help="product id or name from the library")
    r.add_argument("--task", choices=["pcg", "pci"], default="pcg")
    r.add_argument("--generic", action="store_true", help="GenericAds: no user data")
    r.add_argument("--host-video", help="PCI host video (default: the history's last video)")
    r.add_argument("--duration", type=float, choices=[6, 15, 30], default=15)
    r.add_argument("--aspect", choices=rules.ASPECTS, default=rules.DEFAULT_ASPECT)
    r.add_argument("--resolution", type=int, choices=[360, 480, 720, 1080], default=720)
    r.add_argument("--max-rounds", type=int, default=3)
    r.add_argument("--feedback", help="impression feedback CSV or JSON lines for the first round")
    r.add_argument("--out", required=True, help="folder for round_N/{plan,creative,verdict,directives}")
    r.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    r.set_defaults(handler=_run_loop)

