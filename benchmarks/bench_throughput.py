"""Bench throughput on this machine: pairs per minute with the local process pool and with Ray in local mode.

Both executors run the same demo manifest (fresh output folders, same settings) one after the other in this run.
Usage: python benchmarks/bench_throughput.py [--pairs 4] [--workers 2] [--duration 6] [--resolution 360]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=6)
    parser.add_argument("--resolution", type=int, default=360)
    args = parser.parse_args()

    from nextads_studio.bench import build_suite, run_bench, save_manifest
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    work = Path(tempfile.mkdtemp(prefix="nextads-bench-"))
    settings = Settings(data_dir=work / "data")
    studio = Studio(settings)
    csv = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"
    manifest = build_suite("pcg", csv, studio, {"n_users": args.pairs, "n_products": 1})
    path = save_manifest(manifest, work / "pcg.json")
    n_jobs = min(args.pairs, len(manifest.pairs)) * 2
    results = {}
    for executor in ("local", "ray"):
        t = time.perf_counter()
        summary = run_bench(path, ["nextads", "generic"], work / executor, executor=executor, workers=args.workers,
                            limit=args.pairs, duration=args.duration, resolution=args.resolution,
                            settings=settings.model_dump(mode="json"))
        wall = time.perf_counter() - t
        results[executor] = wall
        print(f"{executor:>5}: {n_jobs} jobs ({n_jobs // 2} pairs x 2 systems) in {wall:6.1f} s -> "
              f"{60 * n_jobs / 2 / wall:5.2f} pairs/min ({len(summary['failed'])} failed)")
    print(f"ray / local wall-time ratio: {results['ray'] / results['local']:.2f} "
          f"(workers={args.workers}, {args.duration:g} s ads at {args.resolution}p, startup included)")


if __name__ == "__main__":
    main()
