"""Copy quality of the offline Director: plans every person x product x mode x duration x aspect (and three
consecutive plans per pair) and prints what a copy editor would count.

Run: python benchmarks/copy_quality.py [--products FILE --history FILE] [--durations 6,15,30] [--aspects ...]
Prints: lint failures (must be 0), distinct hooks per person, share of lines with a personal cue, narration
seconds (estimated for the offline voice) vs scene seconds, framework spread, and plan time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(text: str) -> str:
    return " ".join(text.lower().strip(" .!?。！？").split())


def _mentions(text: str, product) -> int:
    from nextads_studio.director.copy.lint import _count_terms, _names

    return _count_terms(text, _names(product)) if text else 0


def load(args):
    from nextads_studio.library import ProductLibrary, load_audience, read_products_json
    from nextads_studio.library.loading import read_any

    if args.products:
        products = read_products_json(args.products)
    else:
        products = list(ProductLibrary.load(ROOT / "product_library"))
    if args.history:
        audience = read_any(Path(args.history), None)
    else:
        audience = load_audience(ROOT / "assets" / "audience")
    users = {u: h for u, h in audience.items() if h.kind == "notes"}
    return users, products


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", help="a products.json (reference format) instead of the demo library")
    parser.add_argument("--history", help="a history file (Qilin CSV or notes.json) instead of the demo audience")
    parser.add_argument("--durations", default="6,15,30")
    parser.add_argument("--aspects", default="9:16,16:9,1:1")
    parser.add_argument("--consecutive", type=int, default=3, help="plans in a row per pair (rotation)")
    args = parser.parse_args()

    from nextads_studio.backends.offline import MiniLMEmbedder
    from nextads_studio.director import Director
    from nextads_studio.director.copy import timing
    from nextads_studio.director.copy.lint import lint_plan
    from nextads_studio.director.storyboard import plan_angle

    users, products = load(args)
    durations = [int(d) for d in args.durations.split(",")]
    aspects = args.aspects.split(",")
    director = Director(MiniLMEmbedder())
    for h in users.values():
        director.build_profile(h)
    failures: Counter = Counter()
    examples: list[str] = []
    hooks: dict[str, set[str]] = defaultdict(set)
    frameworks: Counter = Counter()
    lines = personal = 0
    own_lines = own_personal = 0  # lines of personal plans (NextAds plans that did not fall back to generic)
    no_claim: list[str] = []
    repeated = brand_over = 0
    silent = spoken_scenes = 0  # PCG scenes that show text but say nothing (a line left unsaid)
    spoken_s = scene_s = 0.0
    over = 0
    times: list[float] = []
    rotations_ok = rotations = 0
    plans = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for uid, history in users.items():
            for product in products:
                for mode in ("nextads", "generic"):
                    for d in durations:
                        for aspect in aspects:
                            previous: list = []
                            for _ in range(args.consecutive):
                                t = time.perf_counter()
                                plan = director.plan(history if mode == "nextads" else None, product, mode=mode,
                                                     duration=d, aspect=aspect, out_dir=out,
                                                     previous_plans=previous)
                                times.append(time.perf_counter() - t)
                                previous.append(plan)
                                plans += 1
                                for f in lint_plan(plan):
                                    failures[f.rule] += 1
                                    if len(examples) < 12:
                                        examples.append(f"{uid} {product.product_id} {mode} {d}s: [{f.rule}] "
                                                        f"{f.message}")
                                frameworks[plan_angle(plan)] += 1
                                if mode == "nextads":
                                    hooks[uid].add(plan.storyboard.hook)
                                lang = plan.storyboard.language
                                own = mode == "nextads" and not plan.match.fallback_generic
                                scenes = plan.storyboard.scenes
                                if not any(s.claim_source for s in scenes):
                                    no_claim.append(f"{uid} {product.product_id} {mode} {d}s")
                                spoken = [_norm(s.narration) for s in scenes if s.narration]
                                repeated += len(spoken) - len(set(spoken))
                                brand_over += sum(_mentions(s.narration, product) for s in scenes) > 2
                                for s in scenes:
                                    spoken_scenes += 1
                                    silent += bool(s.on_screen_text and not s.narration)
                                    for text in (s.narration, s.on_screen_text):
                                        if text:
                                            lines += 1
                                            personal += bool(s.personalization_used) and mode == "nextads"
                                            own_lines += own
                                            own_personal += own and bool(s.personalization_used)
                                    if s.narration:
                                        said = timing.spoken_seconds(s.narration, lang)
                                        spoken_s += said
                                        over += not timing.fits(s.narration, s.duration, lang)
                                    scene_s += s.duration
                            rotations += 1
                            rotations_ok += len({plan_angle(p) for p in previous}) == len(previous)
    print(f"plans: {plans} ({len(users)} people x {len(products)} products x 2 modes x {len(durations)} durations "
          f"x {len(aspects)} aspects x {args.consecutive} consecutive)")
    print(f"lint failures: {sum(failures.values())} (must be 0) {dict(failures) if failures else ''}")
    for e in examples:
        print("  " + e)
    print("distinct hooks per person (personal plans): "
          + ", ".join(f"{u} {len(h)}" for u, h in sorted(hooks.items())))
    print(f"lines with a personal cue: {personal}/{lines} = {personal / max(lines, 1):.0%} "
          "(generic plans count as lines without one)")
    print(f"lines with a personal cue in personal plans: {own_personal}/{own_lines} = "
          f"{own_personal / max(own_lines, 1):.0%}")
    print(f"plans without a claim from the record: {len(no_claim)} (must be 0) {no_claim[:5]}")
    print(f"spoken lines repeated within an ad: {repeated} (must be 0); ads naming the product more than twice "
          f"aloud: {brand_over} (must be 0)")
    print(f"scenes that show text but say nothing: {silent}/{spoken_scenes}")
    print(f"narration seconds (offline voice, normal speed) vs scene seconds: {spoken_s:.0f} s of {scene_s:.0f} s "
          f"= {spoken_s / max(scene_s, 1e-9):.2f}; lines over their scene's budget: {over}")
    print(f"rotation: {rotations_ok}/{rotations} runs of {args.consecutive} consecutive plans used distinct "
          "frameworks")
    spread = ", ".join(f"{k} {v / plans:.0%}" for k, v in frameworks.most_common())
    print(f"framework spread: {spread}")
    med = statistics.median(times)
    print(f"plan time (warm profiles): median {med * 1000:.0f} ms, p90 "
          f"{sorted(times)[int(0.9 * (len(times) - 1))] * 1000:.0f} ms (target median <= 300 ms, ratio "
          f"{med / 0.3:.2f} of target)")


if __name__ == "__main__":
    main()
