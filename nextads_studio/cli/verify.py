"""`nextads verify DIR/plan.json DIR/creative.mp4 --out DIR`: score a rendered creative and write verdict.json.

Exits 0 whatever the decision (the decision is data, not an error); bad input exits 2 with one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ._common import load_model


def load_creative(plan, video: Path):
    """The Producer's creative.json when it sits next to the video, else one built by probing the file."""
    from .. import media_io
    from ..atomic import sha256_file
    from ..schemas import Creative

    sidecar = video.with_suffix(".json")
    if sidecar.is_file():
        creative = load_model(sidecar, Creative, "creative")
        return creative.model_copy(update={"video_path": str(video)})
    info = media_io.probe(video)
    srt = video.with_suffix(".srt")
    integrated = video.parent / "integrated.mp4"
    pci = plan.task == "pci" and integrated.is_file()
    return Creative(plan_id=plan.plan_id, plan_version=plan.version, plan_hash=plan.content_hash(),
                    video_path=str(video), srt_path=str(srt) if srt.is_file() else None,
                    integrated_path=str(integrated) if pci else None,
                    segment_start=float(plan.integration.timestamp) if pci else None,
                    duration=max(info.duration, 0.04), width=info.width, height=info.height, fps=info.fps or 30.0,
                    sha256=sha256_file(video), asset_licenses=dict(plan.grounding.asset_licenses))


def summary(verdict) -> dict:
    """The lines a person reads first: decision, scores, findings, why."""
    u = verdict.utility
    scores = {}
    for name in type(u).model_fields:
        v = getattr(u, name)
        if v is None:
            continue
        scores[name] = (None if v.missing else v.score) if hasattr(v, "missing") else round(v, 4)
    return {"decision": verdict.decision, "scores": scores,
            "findings": [f"{f.severity} {f.code}: {f.message}" for f in verdict.compliance.findings],
            "ai_label": verdict.compliance.ai_label, "ai_label_metadata": verdict.compliance.ai_label_metadata,
            "rationales": verdict.rationales, "judge_backend": verdict.judge_backend,
            "judged_by": {name: getattr(getattr(u, name), "backend", "") for name in type(u).model_fields
                          if getattr(getattr(u, name), "backend", "")},
            "seconds": verdict.timings.get("total")}


def _history(path: str, user: str | None):
    """A history in any format `plan` takes (Qilin CSV, notes.json, MicroLens folder) or a UserHistory JSON."""
    from ..library import load_history
    from ..schemas import UserHistory

    p = Path(path)
    if p.suffix.lower() == ".json" and p.is_file():
        try:
            history = UserHistory.model_validate_json(p.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            history = None  # not a saved UserHistory: read it like `plan` does
        if history is not None:
            if user and history.user_id != user:
                raise InputError(f"--history {p}: holds user {history.user_id!r}, not {user!r}")
            return history
    return load_history(p, user)


def _run(args) -> int:
    from ..atomic import write_json
    from ..schemas import CreativePlan, UserProfile
    from ._campaign import linked_campaign, stored
    from ._common import emit, studio_from_env

    plan = load_model(Path(args.plan), CreativePlan, "plan")
    video = Path(args.video)
    if not video.is_file():
        raise InputError(f"{video}: creative video not found")
    history = _history(args.history, args.user) if args.history else None
    profile = load_model(Path(args.profile), UserProfile, "profile") if args.profile else None
    studio = studio_from_env()
    camp = linked_campaign(studio, plan, Path(args.plan), args.campaign)
    plan = camp.current if camp is not None and camp.current is not None else plan
    creative = load_creative(plan, video)
    if camp is not None and history is None:
        history = camp.history
    verdict = studio.verifier.verify(plan, creative, history=history, profile=profile)
    if camp is not None:
        if camp.creative is None or camp.creative.sha256 != creative.sha256:
            camp.record_creative(creative)
        camp.record_verdict(verdict)
    out = Path(args.out or video.parent) / "verdict.json"
    write_json(out, verdict)
    result = summary(verdict)
    result["verdict_path"] = str(out)
    result.update(stored(camp))
    emit(result)
    sys.stdout.flush()
    return 0


def register(sub) -> None:
    p = sub.add_parser("verify", help="score a rendered creative (quality, judge, compliance) and decide")
    p.add_argument("plan", help="plan.json written by `nextads plan`")
    p.add_argument("video", help="the rendered creative.mp4")
    p.add_argument("--out", help="folder for verdict.json (default: the video's folder)")
    p.add_argument("--history", help="the user's history, in any format `plan` takes: Qilin CSV, notes.json (+ "
                                     "images), a MicroLens folder, or a saved UserHistory JSON")
    p.add_argument("--user", help="user id inside the history file (as for `plan`)")
    p.add_argument("--profile", help="judge personalization against this profile (GenericAds plans carry none)")
    from ._campaign import add_campaign_arg

    add_campaign_arg(p)
    p.set_defaults(handler=_run)
