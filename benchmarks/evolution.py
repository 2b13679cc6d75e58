"""Creative evolution across impressions on the profile-grounded user simulator.

For each demo user: the Director plans a creative for the product that best fits the user's strongest interest;
then over 20 impressions (averaged over seeded simulations) we compare the cumulative engagement of
  static   - the Director's creative shown every time,
  random   - a uniformly random variant each impression,
  evolving - factored Thompson sampling with session memory (reflector.evolution.ThompsonPolicy),
  oracle   - greedy on the simulator's true probabilities (headroom; no real policy can see them).
"expected" sums the engagement probabilities of what was shown (low variance); "realized" counts drawn engagements.

    python benchmarks/evolution.py [--seeds 30] [--impressions 20] [--users u_nora,u_leo]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nextads_studio.reflector import evolution as ev  # noqa: E402
from nextads_studio.reflector.simulator import compare_policies, explain_static_lead  # noqa: E402
from nextads_studio.studio import Studio  # noqa: E402


def best_product(studio, profile):
    """The library product closest to the person's strongest usable interest (embedding cosine)."""
    interests = [i for i in profile.interests if i.theme not in profile.excluded_sensitive]
    if not interests:
        return next(iter(studio.library))
    top = interests[0]
    products = list(studio.library)
    vecs = studio.embedder.embed([f"{top.theme}. {top.summary}", *[p.describe() for p in products]])
    return products[int((vecs[1:] @ vecs[0]).argmax())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30)
    parser.add_argument("--impressions", type=int, default=20)
    parser.add_argument("--users", default="", help="comma-separated user ids (default: every demo user)")
    args = parser.parse_args(argv)
    studio = Studio.from_settings()
    users = [u for u in args.users.split(",") if u] or list(studio.audience)
    header = (f"{'user':<12} {'product':<16} {'static':>7} {'random':>7} {'evolving':>8} {'oracle':>7} "
              f"{'evo/static':>10} {'evo/random':>10}   realized s/r/e")
    print(f"{args.impressions} impressions, mean over {args.seeds} seeded simulations (expected engagements)")
    print(header)
    print("-" * len(header))
    totals = {"static": 0.0, "random": 0.0, "evolving": 0.0, "oracle": 0.0}
    behind: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for uid in users:
            history = studio.audience[uid]
            profile = studio.director.build_profile(history)
            product = best_product(studio, profile)
            plan = studio.director.plan(history, product, duration=15, out_dir=Path(tmp) / uid)
            variants = ev.candidate_variants(plan.profile or profile, product)
            r = compare_policies(plan.profile or profile, product, studio.embedder, ev.base_variant(plan), variants,
                                 seeds=range(args.seeds), impressions=args.impressions,
                                 prior=ev.tier_prior(plan.profile or profile), oracle=True)
            for k in totals:
                totals[k] += r[k]
            if r["evolving"] <= max(r["static"], r["random"]):
                loser = "static" if r["static"] >= r["random"] else "random"
                why = explain_static_lead(plan.profile or profile, product, studio.embedder, ev.base_variant(plan),
                                          variants, args.impressions) if loser == "static" else \
                    "random variants already cover what this person likes"
                behind.append(f"{uid} ({product.product_id}): {loser} {r[loser]:.2f} >= evolving "
                              f"{r['evolving']:.2f}: {why}")
            print(f"{uid:<12} {product.product_id:<16} {r['static']:7.2f} {r['random']:7.2f} {r['evolving']:8.2f} "
                  f"{r['oracle']:7.2f} {r['evolving'] / r['static']:10.2f} {r['evolving'] / r['random']:10.2f}   "
                  f"{r['static_realized']:.1f}/{r['random_realized']:.1f}/{r['evolving_realized']:.1f}")
    n = len(users)
    print("-" * len(header))
    print(f"{'mean':<29} {totals['static'] / n:7.2f} {totals['random'] / n:7.2f} {totals['evolving'] / n:8.2f} "
          f"{totals['oracle'] / n:7.2f} {totals['evolving'] / totals['static']:10.2f} "
          f"{totals['evolving'] / totals['random']:10.2f}")
    ahead = n - len(behind)
    print(f"evolving ahead of both static and random for {ahead} of {n} people")
    if behind:
        print("not ahead for:")
        for line in behind:
            print(f"  {line}")
    print(f"({time.perf_counter() - started:.1f}s for {n} users)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
