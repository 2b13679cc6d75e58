"""The Verifier on its labelled check set: clean creatives and creatives with one planted defect each.

    python benchmarks/verifier_calibration.py

Builds the check set of tests/verifier/check_set.py (defects planted by editing plans before rendering or the
rendered files after), verifies each creative and prints the confusion table: planted defect -> found? at the right
scene and time? and the decision; then the accept rate on the clean creatives.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from nextads_studio.backends.offline import shared_embedder
    from nextads_studio.producer import Producer
    from nextads_studio.settings import Settings
    from nextads_studio.verifier import OfflineJudge, Verifier
    from tests.verifier import check_set
    from tests.verifier.conftest import DURATION, SCENES, make_history, make_plan, product_image

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        assets = {"product": product_image(tmp / "shoe.png"), "logo": product_image(tmp / "logo.png", seed=5)}
        producer = Producer(Settings().assets_dir, tmp / "cache")
        verifier = Verifier(OfflineJudge(shared_embedder()), shared_embedder())
        count = iter(range(1000))

        def render(plan, name):
            return producer.render(plan, tmp / f"r{next(count)}-{name}", check_set.settings())

        plan = make_plan(assets, scenes=SCENES, duration=DURATION)
        clean = (plan, render(plan, "clean"))
        rows, started = [], time.perf_counter()
        for case in check_set.cases():
            built = check_set.build(case, assets, render, tmp / f"case-{next(count)}", clean)
            verdict = verifier.verify(built.plan, built.creative, history=built.history or make_history())
            rows.append((case, verdict, check_set.found(case, verdict) if case.codes else None))
            print(f"  verified {case.name}: {verdict.decision}", flush=True)
        print("\n| planted defect | expected | found? | right scene and time? | decision | reported as |")
        print("|---|---|---|---|---|---|")
        for case, verdict, hit in rows:
            if not case.codes:
                continue
            where = "whole creative" if case.scene is None else f"scene {case.scene}"
            window = f", {case.window[0]:.1f}-{case.window[1]:.1f} s" if case.window else ""
            got = [f for f in verdict.compliance.findings if f.code in case.codes]
            said = "; ".join(f"{f.code} (scene {f.evidence.scene_index}, {f.evidence.start}-{f.evidence.end} s)"
                             for f in got[:2]) or "-"
            print(f"| {case.name} | {'/'.join(case.codes)} at {where}{window} | {'yes' if hit[0] else 'NO'} | "
                  f"{'yes' if hit[1] else 'NO'} | {verdict.decision} | {said} |")
        planted = [r for r in rows if r[0].codes]
        clean_rows = [r for r in rows if not r[0].codes]
        found = sum(r[2][0] for r in planted)
        placed = sum(r[2][1] for r in planted)
        accepted = sum(r[1].decision == "accept" for r in clean_rows)
        print(f"\nplanted defects found: {found}/{len(planted)}, at the right scene and time: {placed}/{len(planted)}")
        print(f"clean creatives accepted: {accepted}/{len(clean_rows)} "
              f"({', '.join(f'{c.name}: {v.decision}' for c, v, _ in clean_rows)})")
        for c, v, _ in clean_rows:
            if v.decision != "accept":
                print(f"  {c.name}: " + " | ".join(v.rationales))
        print(f"({len(rows)} creatives in {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
