"""`nextads plan --history PATH --user ID --product NAME_OR_PATH --out DIR`: plan one creative (plan.json + collage)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from .. import rules
from ..errors import InputError
from ._campaign import AUTHOR, add_campaign_arg, campaign_for, stored, write_link
from ._common import emit, finite_number, studio_from_env


def add_plan_inputs(p, *, out_help: str) -> None:
    """The inputs of a plan: `nextads plan` and `nextads run` take exactly the same ones."""
    p.add_argument("--history", help="Qilin CSV, notes.json (+ images) or a MicroLens folder")
    p.add_argument("--user", help="user id inside the history file")
    p.add_argument("--product", required=True, help="product id or name in the library, or a product .json file")
    p.add_argument("--products", help="a products.json (library or reference format) to pick the product from")
    p.add_argument("--generic", action="store_true", help="GenericAds: use no user data")
    p.add_argument("--task", choices=("pcg", "pci"), default="pcg")
    p.add_argument("--host-video", help="host video for PCI (default: the MicroLens user's last video)")
    p.add_argument("--duration", type=finite_number, default=15)
    p.add_argument("--aspect", choices=rules.ASPECTS, default=None,
                   help=f"default {rules.DEFAULT_ASPECT} for PCG; PCI always takes the host video's orientation")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", required=True, help=out_help)
    add_campaign_arg(p)


def register(subparsers) -> None:
    p = subparsers.add_parser("plan", help="plan a creative: profile, match, storyboard, grounding (PCG/PCI)")
    add_plan_inputs(p, out_help="output folder for plan.json and collage.png")
    p.set_defaults(handler=run)


def _products(path: Path):
    from ..library import ProductLibrary, read_products_json

    if path.is_dir():
        return ProductLibrary.load(path).products
    if not path.is_file():
        raise InputError(f"--products: {path} does not exist")
    library_error: InputError | None = None
    try:
        if path.name == "products.json":
            return ProductLibrary.load(path.parent).products
    except InputError as exc:
        library_error = exc
    try:
        return read_products_json(path)
    except InputError:
        if library_error is not None and '"product_id"' in path.read_text(encoding="utf-8", errors="replace"):
            raise library_error from None  # a library-format file: its own error is the useful one
        raise


def resolve_product(key: str, products_path: str | None, studio):
    """A product from a .json file, from --products, or from the studio's library."""
    from ..library import ProductLibrary
    from ..schemas.product import Product

    path = Path(key)
    if path.suffix.lower() == ".json" and path.is_file():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise InputError(f"--product {path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
        if isinstance(data, dict):
            data["images"] = [str((path.parent / p).resolve()) if not Path(p).is_absolute() else p
                              for p in data.get("images", [])]
            if data.get("logo") and not Path(data["logo"]).is_absolute():
                data["logo"] = str((path.parent / data["logo"]).resolve())
            try:
                return Product.model_validate(data)
            except ValidationError as exc:
                err = exc.errors()[0]
                raise InputError(f"--product {path}: {'.'.join(map(str, err['loc']))}: {err['msg']}") from exc
        products = _products(path)
        if len(products) != 1:
            raise InputError(f"--product {path}: holds {len(products)} products; use --products and a name")
        return products[0]
    library = ProductLibrary(_products(Path(products_path))) if products_path else studio.library
    return library.get(key)


def _aspect(args, history) -> str:
    host = args.host_video or (history.host_video.video_path if history and history.host_video else None)
    if args.task == "pci" and args.aspect and host and Path(host).is_file() and \
            args.aspect != rules.plan_aspect("pci", host):
        raise InputError(f"--aspect {args.aspect}: a PCI segment takes its host video's orientation "
                         f"({rules.plan_aspect('pci', host)}); leave --aspect out")
    return rules.plan_aspect(args.task, host, args.aspect)


def plan_inputs(args, studio):
    """(history, product, brief) from the plan arguments; bad input is one InputError."""
    from ..campaign import Brief
    from ..library import load_history

    if not args.generic and not args.history:
        raise InputError("--history is required unless --generic is given")
    history = load_history(args.history, args.user) if args.history else None
    product = resolve_product(args.product, args.products, studio)
    if args.task == "pci" and not (args.host_video or (history and history.host_video)):
        raise InputError("--task pci needs a host video: give --host-video, or a video history whose last video is "
                         "the host")
    host = args.host_video or (history.host_video.video_path if history and history.host_video else None)
    brief = Brief(args.task, "generic" if args.generic else "nextads", args.duration, _aspect(args, history),
                  host if args.task == "pci" else None)
    return history, product, brief


def run(args) -> int:
    from ..atomic import write_json

    studio = studio_from_env()
    history, product, brief = plan_inputs(args, studio)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    made = [out / name for name in ("collage.png", "start_frame.png") if not (out / name).exists()]
    try:
        camp = campaign_for(studio, history, product, brief, args.campaign)
        plan = camp.plan(author=AUTHOR, seed=args.seed, out_dir=out).plan
        write_json(out / "plan.json", plan)
        write_link(out, camp)
    except BaseException:
        for path in made:  # nothing partial: remove what this run created
            path.unlink(missing_ok=True)
        raise
    m = plan.match
    return emit({
        "plan": str(out / "plan.json"), "collage": plan.grounding.collage_path, "plan_id": plan.plan_id,
        **stored(camp),
        "task": plan.task, "mode": plan.mode, "user_id": plan.user_id, "product": product.product_id,
        "chosen_tier": m.chosen_tier if m else None, "chosen_theme": m.chosen_theme if m else "",
        "fallback_generic": bool(m and m.fallback_generic), "reason": m.reason if m else "",
        "duration_sec": plan.storyboard.duration_sec, "aspect": plan.storyboard.aspect,
        "scenes": len(plan.storyboard.scenes), "hook": plan.storyboard.hook, "cta": plan.storyboard.cta,
        "integration_timestamp": plan.integration.timestamp if plan.integration else None,
        "backend": plan.backend, "notes": plan.notes,
    })
