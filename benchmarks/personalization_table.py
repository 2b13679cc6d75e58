"""NextAds vs GenericAds over the demo audience, scored by the offline Verifier, printed like the paper's Table 1.

    python benchmarks/personalization_table.py [--per-user 2] [--duration 15] [--resolution 360] [--users u_maya,...] [--silent]
        [--task pcg|pci]

For every note-history user of the demo audience (video-history users with --task pci), the `--per-user` most compatible products (the Director's matching
total, skipping pairs it would fall back to generic for) form the pairs. Each pair gets a NextAds and a GenericAds
creative, rendered by the offline Producer and judged against the same person. Prints the table, the per-pair
personalization gap, and how many creatives were accepted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pick_pairs(studio, per_user: int, users: list[str] | None, kind: str = "notes"):
    """The most compatible products per user of that history kind (no forced personalization)."""
    from nextads_studio.director.matching import match

    pairs = []
    for user_id, history in sorted(studio.audience.items()):
        if history.kind != kind or (users and user_id not in users):
            continue
        profile = studio.director.build_profile(history)
        ranked = []
        for product in studio.library:
            result = match(profile, product, studio.embedder)
            if not result.fallback_generic and result.chosen_tier in result.scores:
                ranked.append((result.scores[result.chosen_tier].total, product.product_id, product))
        ranked.sort(key=lambda r: (-r[0], r[1]))
        pairs += [(history, product) for _, _, product in ranked[:per_user]]
    return pairs


def who_wins(results) -> str:
    """For whom NextAds beats GenericAds on both personalization scores, and for whom not, with the judge's reasons."""
    from nextads_studio.verifier.table import utility_value as score_value
    from nextads_studio.verifier.table import why_not_better

    wins, lines = 0, []
    for r in results:
        n, g = r.verdicts["nextads"], r.verdicts["generic"]
        gaps = {k: (score_value(n, k) or 0) - (score_value(g, k) or 0)
                for k in ("personalization_presentation", "personalization_content")}
        if all(v > 0 for v in gaps.values()):
            wins += 1
            continue
        lost = [k for k, v in gaps.items() if v <= 0]
        lines.append(f"  not for {r.user_id} x {r.product_id}:")
        lines += [f"    {why_not_better(r.user_id, k, getattr(n.utility, k), getattr(g.utility, k))}" for k in lost]
    head = f"NextAds beats GenericAds on both personalization scores for {wins} of {len(results)} pairs"
    return "\n".join([head + (":" if lines else "."), *lines])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-user", type=int, default=2)
    parser.add_argument("--duration", type=float, default=15, choices=[6, 15, 30])
    parser.add_argument("--resolution", type=int, default=360, choices=[360, 480, 720])
    parser.add_argument("--users", help="comma-separated user ids (default: every note user)")
    parser.add_argument("--silent", action="store_true", help="render without voice and music (faster)")
    parser.add_argument("--task", default="pcg", choices=["pcg", "pci"],
                        help="pci: video-history users, the creative spliced into their host video")
    args = parser.parse_args()

    from nextads_studio.schemas import RenderSettings
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio
    from nextads_studio.verifier.table import evaluate_pairs, format_table, summarize

    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio.from_settings(Settings(data_dir=Path(tmp) / "data"))
        started = time.perf_counter()
        pairs = pick_pairs(studio, args.per_user, args.users.split(",") if args.users else None,
                           "videos" if args.task == "pci" else "notes")
        print(f"{len(pairs)} pairs: " + ", ".join(f"{h.user_id} x {p.product_id}" for h, p in pairs))
        results = evaluate_pairs(studio.director, studio.producer, studio.verifier, pairs, Path(tmp) / "runs",
                                 task=args.task, duration=args.duration, settings=RenderSettings(resolution=args.resolution, voice=not args.silent,
                                                                        music=not args.silent),
                                 progress=lambda msg: print("  " + msg, flush=True))
        print()
        print(format_table(summarize(results), f"#{args.task.upper()}-Bench (demo audience)"))
        print("\nper pair (presentation / content / product alignment), NextAds vs GenericAds:")
        for r in results:
            n, g = r.verdicts["nextads"].utility, r.verdicts["generic"].utility

            def s(u, k):
                v = getattr(u, k)
                return "-" if v is None or v.missing else f"{v.score:4.1f}"

            print(f"  {r.user_id:8s} {r.product_id:16s} "
                  + "  ".join(f"{k[:12]:12s} {s(n, k)} vs {s(g, k)}"
                              for k in ("personalization_presentation", "personalization_content",
                                        "product_alignment")))
        print("\n" + who_wins(results))
        print(f"\n{len(results)} pairs in {time.perf_counter() - started:.0f} s "
              f"({args.duration:.0f} s creatives at {args.resolution}p)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
