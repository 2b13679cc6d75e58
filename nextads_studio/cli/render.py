"""`nextads render DIR/plan.json --out DIR`: render a plan to creative.mp4 + creative.srt (+ integrated.mp4)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pydantic import ValidationError

from .. import rules
from ..errors import InputError
from ._campaign import add_campaign_arg, linked_campaign, stored
from ._common import emit, studio_from_env


def load_plan(path: Path):
    """Read and validate a plan file; InputError names the file and the first bad field."""
    from ..schemas.plan import CreativePlan

    if not path.is_file():
        raise InputError(f"{path}: no such plan file")
    try:
        return CreativePlan.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(f"{path}: {where}: {err['msg']}") from exc


def _run(args) -> int:
    from ..schemas.creative import RenderSettings

    plan = load_plan(Path(args.plan))
    out = Path(args.out) if args.out else Path(args.plan).parent
    settings = RenderSettings(quality=args.quality, resolution=args.resolution, aspect=args.aspect,
                              voice=not args.no_voice, music=not args.no_music)
    studio = studio_from_env()
    if settings.voice and studio.settings.speech == "offline" and plan.storyboard.language.lower().startswith("en") \
            and any(s.narration.strip() for s in plan.storyboard.scenes):
        from ..producer.speech import start_voice

        start_voice()  # the voice loads in its own process while the rest of the render is set up
    producer = studio.producer

    def progress(fraction: float, message: str) -> None:
        if args.verbose:
            sys.stderr.write(f"{fraction:5.0%} {message}\n")

    camp = linked_campaign(studio, plan, Path(args.plan), args.campaign)
    plan = camp.current if camp is not None and camp.current is not None else plan
    started = time.perf_counter()
    creative = producer.render(plan, out, settings, progress=progress)
    if camp is not None:
        camp.record_creative(creative)
    summary = creative.model_dump(mode="json")
    summary["render_time_s"] = round(time.perf_counter() - started, 3)
    summary["notes"] = list(getattr(producer, "last_notes", []))
    summary.update(stored(camp))
    return emit(summary)


def register(sub) -> None:
    p = sub.add_parser("render", help="render a plan into creative.mp4 and creative.srt (offline)")
    p.add_argument("plan", help="path to plan.json")
    p.add_argument("--out", help="output folder (default: the plan's folder)")
    p.add_argument("--quality", choices=["preview", "final"], default="preview")
    p.add_argument("--resolution", type=int, choices=[360, 480, 720, 1080], default=720,
                   help="short side in pixels")
    p.add_argument("--aspect", choices=rules.ASPECTS, default=None, help="override the plan's aspect")
    p.add_argument("--no-voice", action="store_true")
    p.add_argument("--no-music", action="store_true")
    p.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    add_campaign_arg(p)
    p.set_defaults(handler=_run)
