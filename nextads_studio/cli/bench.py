"""`nextads bench build|run|report`: PCG-Bench and PCI-Bench."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ._common import emit, studio_from_env


def _build(args) -> int:
    from ..bench import build_suite, save_manifest

    studio = studio_from_env()
    criteria = {"n_users": args.users, "n_products": args.products, "min_items": args.min_items}
    manifest = build_suite(args.suite, Path(args.source).resolve(), studio, criteria)
    out = Path(args.out)
    manifest.source = os.path.relpath(Path(args.source).resolve(), out.resolve().parent)
    save_manifest(manifest, out)
    return emit({"manifest": str(out), "suite": manifest.suite, "users": len(manifest.users),
                 "pairs": len(manifest.pairs), "manifest_hash": manifest.manifest_hash})


def _progress(done: int, total: int, key: str) -> None:
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {key[:40]:<40}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def _run(args) -> int:
    from ..bench import run_bench

    studio = studio_from_env()
    settings = studio.settings.model_dump(mode="json")
    summary = run_bench(args.manifest, [s.strip() for s in args.systems.split(",") if s.strip()], args.out,
                        executor=args.executor, address=args.address, workers=args.workers, limit=args.limit,
                        duration=args.duration, resolution=args.resolution, settings=settings,
                        progress=None if args.quiet else _progress)
    return emit(summary)


def _report(args) -> int:
    from ..bench import write_report
    from ..bench.judging import diversity_judge

    studio = studio_from_env()
    report = write_report(args.run_dir, judge_diversity=diversity_judge(studio),
                          judge_backend=studio.settings.judge)
    sys.stderr.write(report["markdown"])
    return emit({k: v for k, v in report.items() if k != "markdown"})


def register(sub) -> None:
    p = sub.add_parser("bench", help="PCG-Bench / PCI-Bench: build, run, report")
    bsub = p.add_subparsers(dest="bench_command", metavar="ACTION", required=True)
    b = bsub.add_parser("build", help="select users and pair them with their most compatible products")
    b.add_argument("--suite", choices=["pcg", "pci"], required=True)
    b.add_argument("--source", required=True, help="Qilin CSV / parquet folder, or a MicroLens-style folder")
    b.add_argument("--out", required=True, help="manifest JSON to write")
    b.add_argument("--users", type=int, default=50)
    b.add_argument("--products", type=int, default=5)
    b.add_argument("--min-items", type=int, default=5)
    b.set_defaults(handler=_build)
    r = bsub.add_parser("run", help="plan, render and verify every pair (resumable)")
    r.add_argument("manifest")
    r.add_argument("--systems", default="nextads,generic")
    r.add_argument("--out", required=True)
    r.add_argument("--executor", choices=["local", "ray"], default="local")
    r.add_argument("--address", default=None, help="Ray cluster address (default: start a local Ray)")
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--limit", type=int, default=None, help="only the first N pairs")
    r.add_argument("--duration", type=float, default=15)
    r.add_argument("--resolution", type=int, choices=[360, 480, 720, 1080], default=360)
    r.add_argument("--quiet", action="store_true")
    r.set_defaults(handler=_run)
    rep = bsub.add_parser("report", help="write report.md/.csv/.png/.json for a run folder")
    rep.add_argument("run_dir")
    rep.set_defaults(handler=_report)
