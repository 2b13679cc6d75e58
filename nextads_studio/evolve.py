"""A sequence of creatives, planned, rendered and verified: what `nextads evolve` and the studio run.

For one person and one product, `evolve_sequence` plans the impressions (reflector.sequence: a progressive arc
over fresh Director plans with session memory), renders each, verifies each against the person, and reads the
rendered frames back to check the arc where a viewer sees it: the product (or its logo) must not appear in the
first impression's frames, and only the last may show a call to action. Everything is written under out_dir:
impression_N/{plan.json, creative.mp4, verdict.json} and sequence.json.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_json
from .reflector.sequence import Impression, check_arc, plan_sequence
from .schemas import Creative, Product, RenderSettings, UserHistory, Verdict

Progress = Callable[[float, str], None]


@dataclass
class EvolvedImpression:
    impression: Impression
    creative: Creative
    verdict: Verdict
    product_frames: list[float] = field(default_factory=list)  # seconds at which the product shows (1 fps)

    def summary(self) -> dict[str, Any]:
        return {**self.impression.summary(), "video": self.creative.video_path, "decision": self.verdict.decision,
                "findings": [f.code or f.category for f in self.verdict.compliance.findings],
                "product_on_screen_s": self.product_frames}


@dataclass
class SequenceResult:
    impressions: list[EvolvedImpression]
    problems: list[str]
    out_dir: Path

    def summary(self) -> dict[str, Any]:
        return {"impressions": [i.summary() for i in self.impressions], "arc_problems": self.problems,
                "out": str(self.out_dir)}


def product_seconds(video: str | Path, product: Product) -> list[float]:
    """The seconds (sampled at 1 fps) at which the product or its logo is found on screen by feature matching.

    Only matched features count here: the colour-template detector also fires on backdrops in the product's
    colours (coffee beans next to a coffee bag), and a hidden product must not be reported as shown."""
    from .media_io import read_frames
    from .verifier.presence import MIN_INLIERS, PresenceDetector

    detector = PresenceDetector([*product.images, *([product.logo] if product.logo else [])])
    if not detector.features:
        return []
    # twice the detector's minimum: motif cards can reach the minimum by chance, a product on screen far exceeds it
    return [float(k) for k, frame in enumerate(read_frames(video, fps=1.0))
            if detector.inliers(frame) >= 2 * MIN_INLIERS]


def evolve_sequence(studio, history: UserHistory | None, product: Product, impressions: int = 4, *,
                    out_dir: str | Path, policy: str = "arc", duration: float = 15, aspect: str = "9:16",
                    render_settings: RenderSettings | None = None, mode: str = "nextads",
                    progress: Progress | None = None) -> SequenceResult:
    """Plan, render and verify a sequence; see the module docstring."""
    out_dir = Path(out_dir)
    report = progress or (lambda f, m: None)
    settings = render_settings or RenderSettings(aspect=aspect)
    report(0.0, f"planning {impressions} impressions ({policy})")
    planned = plan_sequence(studio.director, history, product, impressions, out_dir=out_dir, policy=policy,
                            seed=studio.settings.seed, duration=duration, aspect=aspect, mode=mode)
    done: list[EvolvedImpression] = []
    for k, imp in enumerate(planned):
        folder = out_dir / f"impression_{imp.index}"
        write_json(folder / "plan.json", imp.plan)
        report((k + 0.1) / len(planned), f"impression {imp.index}: rendering ({imp.stage})")
        creative = studio.producer.render(imp.plan, folder, settings)
        report((k + 0.6) / len(planned), f"impression {imp.index}: verifying")
        profile = imp.plan.profile or (studio.director.build_profile(history) if history is not None else None)
        verdict = studio.verifier.verify(imp.plan, creative, history=history, profile=profile)
        write_json(folder / "verdict.json", verdict)
        done.append(EvolvedImpression(imp, creative, verdict, product_seconds(creative.video_path, product)))
    problems = check_arc([i.plan for i in planned]) if policy == "arc" else []
    if policy == "arc" and done and done[0].product_frames:
        problems.append(f"impression 1 shows the product on screen at {done[0].product_frames} s")
    result = SequenceResult(done, problems, out_dir)
    write_json(out_dir / "sequence.json", result.summary())
    report(1.0, "done")
    return result
