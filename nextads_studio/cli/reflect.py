"""`nextads reflect` (verdict + feedback -> directives and the revised plan) and `nextads run` (the closed loop)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ._campaign import add_campaign_arg, linked_campaign, stored
from ._common import emit, load_model, studio_from_env
from .plan import add_plan_inputs


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
    studio = studio_from_env()
    camp = linked_campaign(studio, plan, Path(args.plan), args.campaign)
    if camp is not None and (camp.verdict is None or camp.verdict.creative_sha256 != verdict.creative_sha256):
        camp.record_verdict(verdict)
    proposal = studio.reflector.propose(plan, verdict, feedback, budget=args.budget)
    directives = proposal.directives
    if camp is not None:
        camp.record_proposals(directives)
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
        **stored(camp),
    })


def _run_loop(args) -> int:
    from ..campaign import Finished, Progressed, Started, drive
    from ..reflector import read_feedback
    from ..schemas import RenderSettings
    from ._campaign import AUTHOR, campaign_for, write_link
    from .plan import plan_inputs

    studio = studio_from_env()
    history, product, brief = plan_inputs(args, studio)
    feedback = read_feedback(args.feedback) if args.feedback else []
    settings = RenderSettings(aspect=brief.aspect, resolution=args.resolution, quality="preview")
    out = Path(args.out)

    def show(event) -> None:
        if not args.verbose:
            return
        if isinstance(event, Started):
            sys.stderr.write(f"round {event.round}: {event.stage}...\n")
        elif isinstance(event, Progressed):
            sys.stderr.write(f"  {event.fraction:5.0%} {event.message}\n")

    camp = campaign_for(studio, history, product, brief, args.campaign)
    show(Started("plan", 1))
    camp.plan(author=AUTHOR, seed=args.seed, out_dir=out / "round_1")  # a fresh plan: the next version
    done: Finished = drive(camp.run_loop(args.max_rounds, settings=settings, feedback=feedback, out_dir=out,
                                         author=AUTHOR), on_event=show)
    write_link(out, camp)
    return emit({
        "decision": done.decision, "rounds": len(done.rounds), "plan_id": done.plan.plan_id, **stored(camp),
        "final_version": done.plan.version, "out": str(out),
        "video": camp.media("video") if done.creative else None,
        "history": [r.__dict__ for r in done.rounds], "backend": done.plan.backend, "notes": done.plan.notes,
    })


def register(sub) -> None:
    p = sub.add_parser("reflect", help="turn a verdict (and feedback) into directives and the revised plan")
    p.add_argument("plan", help="plan.json")
    p.add_argument("verdict", help="verdict.json written by `nextads verify`")
    p.add_argument("--feedback", help="impression feedback CSV or JSON lines (impression_id, watch_time, ...)")
    p.add_argument("--budget", type=float, help="render seconds this revision may spend (default: no limit)")
    p.add_argument("--out", required=True, help="folder for directives.json and revised_plan.json")
    add_campaign_arg(p)
    p.set_defaults(handler=_reflect)

    r = sub.add_parser("run", help="plan, render, verify, reflect and revise until accepted (the closed loop)")
    add_plan_inputs(r, out_help="folder for round_N/{plan,creative,verdict,directives} and summary.json")
    r.add_argument("--resolution", type=int, choices=[360, 480, 720, 1080], default=720)
    r.add_argument("--max-rounds", type=int, default=3)
    r.add_argument("--feedback", help="impression feedback CSV or JSON lines for the first round")
    r.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    r.set_defaults(handler=_run_loop)

