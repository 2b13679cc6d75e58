"""`nextads products list|import` and `nextads audience list|import`."""

from __future__ import annotations

import sys

from ._common import emit


def _settings():
    from ..settings import Settings

    return Settings()


def _library(settings):
    from ..library import ProductLibrary

    return ProductLibrary.load(settings.library_dir, extra_dirs=[settings.data_dir / "library"])


def _audience(settings):
    from ..library import load_audience

    return load_audience(settings.assets_dir / "audience", extra_dirs=[settings.data_dir / "audience"])


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")


def products_list(args) -> int:
    """Print the products (a table, or JSON with --json)."""
    products = _library(_settings()).products
    if args.json:
        return emit([p.model_dump(mode="json") for p in products])
    _table([["ID", "CATEGORY", "SUBCATEGORY", "NAME", "BRAND"]] +
           [[p.product_id, p.category, p.subcategory, p.name, p.brand] for p in products])
    sys.stdout.write(f"{len(products)} products\n")
    return 0


def products_import(args) -> int:
    """Import a reference-format products.json into the data dir's library."""
    from ..library import check_upload_size, import_products

    settings = _settings()
    check_upload_size(args.path, settings.max_upload_mb)
    shipped = [p.product_id for p in _library(settings.model_copy(update={"data_dir": settings.data_dir / ".none"}))]
    summary = import_products(args.path, settings.data_dir, replace=args.replace, taken=shipped)
    _audit_replacement(settings, "products_replaced", summary, args.path)
    return emit(summary)


def _audit_replacement(settings, action: str, summary: dict, source) -> None:
    """An explicit --replace is written to the audit log (who ran it, what was replaced, from which file)."""
    if not summary.get("replaced"):
        return
    import getpass

    from ..store import Store

    with Store.open(settings) as store:
        store.record(action, f"cli:{getpass.getuser()}", ids=summary["replaced"], source=str(source))


def audience_list(args) -> int:
    """Print the audience: demo users plus imported ones."""
    users = _audience(_settings())
    rows = [{"user_id": u.user_id, "kind": u.kind, "items": len(u.notes) or len(u.videos),
             "host_video": u.host_video.vid if u.host_video else None, "source": u.source} for u in users.values()]
    if args.json:
        return emit(rows)
    _table([["USER", "KIND", "ITEMS", "HOST VIDEO"]] +
           [[r["user_id"], r["kind"], str(r["items"]), r["host_video"] or "-"] for r in rows])
    sys.stdout.write(f"{len(rows)} users\n")
    return 0


def audience_import(args) -> int:
    """Import a history (Qilin CSV, notes.json, MicroLens folder) into the data dir."""
    from ..library import check_upload_size, import_audience

    settings = _settings()
    check_upload_size(args.path, settings.max_upload_mb)
    demo = _audience(settings.model_copy(update={"data_dir": settings.data_dir / ".none"}))
    summary = import_audience(args.path, settings.data_dir, user_id=args.user, replace=args.replace, taken=demo,
                              licensed_for_reuse=args.licensed_for_reuse, license=args.license)
    _audit_replacement(settings, "audience_replaced", summary, args.path)
    return emit(summary)


def register(sub) -> None:
    p = sub.add_parser("products", help="list or import products")
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    pl = psub.add_parser("list", help="list the product library")
    pl.add_argument("--json", action="store_true", help="print JSON instead of a table")
    pl.set_defaults(handler=products_list)
    pi = psub.add_parser("import", help="import a NextAds reference products.json (local image paths)")
    pi.add_argument("path")
    pi.add_argument("--replace", action="store_true",
                    help="replace imported products with the same id (audited); shipped products are never replaced")
    pi.set_defaults(handler=products_import)

    a = sub.add_parser("audience", help="list or import interaction histories")
    asub = a.add_subparsers(dest="action", metavar="ACTION", required=True)
    al = asub.add_parser("list", help="list demo and imported users")
    al.add_argument("--json", action="store_true", help="print JSON instead of a table")
    al.set_defaults(handler=audience_list)
    ai = asub.add_parser("import", help="import a Qilin CSV, a notes.json or a MicroLens folder")
    ai.add_argument("path")
    ai.add_argument("--user", default=None, help="the user id to import (required name for a notes.json)")
    ai.add_argument("--replace", action="store_true",
                    help="replace imported people with the same id (audited); demo people are never replaced")
    ai.add_argument("--license", default=None, help="the licence of the history's images (recorded per file)")
    ai.add_argument("--licensed-for-reuse", action="store_true",
                    help="the images may be shown in ads (needs --license); otherwise they only steer the style")
    ai.set_defaults(handler=audience_import)
