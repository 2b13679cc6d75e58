"""`nextads evolve`: plan, render and verify a sequence of creatives that tells one story across impressions."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import InputError
from ._campaign import AUTHOR, add_campaign_arg, campaign_for
from ._common import emit, studio_from_env


def _evolve(args) -> int:
    from ..campaign import Brief
    from ..library import load_history
    from ..reflector.sequence import POLICIES
    from ..schemas import RenderSettings

    if not 2 <= args.impressions <= 12:
        raise InputError(f"--impressions: {args.impressions} is not supported; give 2 to 12")
    if args.policy not in POLICIES:
        raise InputError(f"--policy: {args.policy!r} is not one of {', '.join(POLICIES)}")
    studio = studio_from_env()
    history = load_history(args.history, args.user)
    product = studio.library.get(args.product)
    settings = RenderSettings(aspect=args.aspect, resolution=args.resolution, quality="preview")

    def show(fraction: float, message: str) -> None:
        if args.verbose:
            sys.stderr.write(f"{fraction:5.0%} {message}\n")

    camp = campaign_for(studio, history, product, Brief(duration=args.duration, aspect=args.aspect), args.campaign)
    evolved = camp.evolve(args.impressions, args.policy, settings=settings, progress=show, out_dir=Path(args.out),
                          author=AUTHOR)
    result = evolved.result
    code = emit({**result.summary(), "campaign": camp.id, "campaign_name": camp.name, "versions": evolved.versions})
    return 1 if result.problems else code


def register(sub) -> None:
    p = sub.add_parser("evolve", help="plan, render and verify a sequence of creatives across impressions")
    p.add_argument("--history", required=True, help="Qilin CSV, notes.json or MicroLens folder")
    p.add_argument("--user", help="user id inside the history file")
    p.add_argument("--product", required=True, help="product id or name from the library")
    p.add_argument("--impressions", type=int, default=4, help="how many creatives in the sequence (2-12)")
    p.add_argument("--policy", default="arc", help="arc (a story across impressions) or static (one creative)")
    p.add_argument("--duration", type=float, choices=[6, 15, 30], default=15)
    p.add_argument("--aspect", choices=["9:16", "16:9", "1:1"], default="9:16")
    p.add_argument("--resolution", type=int, choices=[360, 480, 720, 1080], default=480)
    p.add_argument("--out", required=True, help="folder for impression_N/{plan,creative,verdict} and sequence.json")
    add_campaign_arg(p)
    p.add_argument("-v", "--verbose", action="store_true", help="progress on stderr")
    p.set_defaults(handler=_evolve)
