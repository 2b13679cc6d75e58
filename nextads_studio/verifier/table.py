"""NextAds vs GenericAds on the same user-product pairs, scored by the Verifier, in the shape of the paper's Table 1.

Both creatives of a pair are judged against the same person (GenericAds plans carry no profile, so the user's
profile is passed explicitly), and diversity is measured among one user's creatives of the same method.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import rules
from ..schemas import Creative, CreativePlan, RenderSettings, UserHistory, Verdict
from .verifier import Verifier

COLUMNS = [("Presentation", "personalization_presentation"), ("Content", "personalization_content"),
           ("Product Alignment", "product_alignment"), ("Integration Quality", "integration_quality"),
           ("Diversity", "diversity"), ("MS", "motion_smoothness"), ("DD", "dynamic_degree"),
           ("AQ", "aesthetic_quality"), ("IQ", "imaging_quality")]
METHODS = {"generic": "GenericAds (Offline)", "nextads": "NextAds (Offline)"}


@dataclass
class PairResult:
    user_id: str
    product_id: str
    verdicts: dict[str, Verdict] = field(default_factory=dict)  # mode -> verdict


def utility_value(verdict: Verdict, name: str) -> float | None:
    return rules.score_value(verdict.utility, name)


def evaluate_pairs(director, producer, verifier: Verifier, pairs: Sequence[tuple[UserHistory, object]],
                   out_dir: Path, task: str = "pcg", duration: float = 15,
                   settings: RenderSettings | None = None,
                   progress: Callable[[str], None] = lambda msg: None) -> list[PairResult]:
    """Plan, render and verify a NextAds and a GenericAds creative for each (history, product) pair."""
    settings = settings or RenderSettings(resolution=360)
    made: dict[tuple[str, str], list[tuple[int, CreativePlan, Creative]]] = {}
    for i, (history, product) in enumerate(pairs):
        for mode in METHODS:
            work = Path(out_dir) / f"{history.user_id}-{product.product_id}-{mode}"
            host = history.host_video.video_path if task == "pci" and history.host_video else None
            plan = director.plan(history if mode == "nextads" else None, product, task=task, mode=mode,
                                 host_video=host, duration=duration, aspect=rules.plan_aspect(task, host, "16:9"),
                                 out_dir=work)
            creative = producer.render(plan, work, settings)
            made.setdefault((history.user_id, mode), []).append((i, plan, creative))
            progress(f"rendered {history.user_id} x {product.product_id} ({mode})")
    results = [PairResult(h.user_id, p.product_id) for h, p in pairs]
    for (user_id, mode), items in made.items():
        history = next(h for h, _ in pairs if h.user_id == user_id)
        profile = director.build_profile(history)
        for i, plan, creative in items:
            peers = [(pp, pc) for j, pp, pc in items if j != i]
            results[i].verdicts[mode] = verifier.verify(plan, creative, history=history, profile=profile,
                                                        peers=peers)
            progress(f"verified {user_id} x {plan.product.product_id} ({mode}): {results[i].verdicts[mode].decision}")
    return results


def summarize(results: Sequence[PairResult]) -> dict[str, dict[str, float | None]]:
    """Mean of each column per method over the pairs (missing judgements are left out, not counted as 0)."""
    table: dict[str, dict[str, float | None]] = {}
    for mode in METHODS:
        row: dict[str, float | None] = {}
        verdicts = [r.verdicts[mode] for r in results if mode in r.verdicts]
        for _, key in COLUMNS:
            values = [v for v in (utility_value(vd, key) for vd in verdicts) if v is not None]
            row[key] = float(np.mean(values)) if values else None
        row["accepted"] = float(np.mean([vd.decision == "accept" for vd in verdicts])) if verdicts else None
        table[mode] = row
    return table


def format_table(table: dict[str, dict[str, float | None]], title: str = "#PCG-Bench (demo audience)") -> str:
    """Markdown table with the paper's columns; judge scores 0-10 to two decimals, video quality to four."""
    head = "| " + title + " | " + " | ".join(name for name, _ in COLUMNS) + " | Accepted |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for mode, label in METHODS.items():
        cells = []
        for _, key in COLUMNS:
            v = table[mode].get(key)
            cells.append("-" if v is None else f"{v:.4f}" if key in {c for _, c in COLUMNS[5:]} else f"{v:.2f}")
        acc = table[mode].get("accepted")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {'-' if acc is None else f'{acc:.0%}'} |")
    return "\n".join(lines)


ASPECTS = {"personalization_content": ("what the ad says", "words", "history notes"),
           "personalization_presentation": ("how the ad looks", "look", "own pictures")}


def why_not_better(user_id: str, aspect: str, nextads, generic) -> str:
    """One plain sentence on why NextAds does not beat GenericAds for this person on one personalization score
    (`nextads`, `generic`: the two JudgeScores), from the judge's own evidence: where the person ranks among the
    audience for each ad, how far above the others, and who else each ad fits."""
    what, thing, source = ASPECTS[aspect]
    n, g = nextads.score or 0.0, generic.score or 0.0
    head = f"{what}: NextAds {n:.1f}, GenericAds {g:.1f}. "
    ne, ge = nextads.evidence or {}, generic.evidence or {}
    if "rank" not in ne or "rank" not in ge:
        return head + f"The judge could not contrast {user_id} with other people for this score."
    rn, rg, people = int(ne["rank"]), int(ge["rank"]), int(ne.get("people", 0))
    if rn >= people and rg >= people:
        return head + (f"Neither ad's {thing} is closer to {user_id}'s {source} than to anyone else's (both rank last "
                       f"of {people}): the ad did not take on this person's {thing} at all, a gap to fix in the "
                       "profile or the render, not a GenericAds win.")
    peers = _fits_also(nextads.reason)
    if rn > rg:
        verb = "fit" if thing == "words" else "fits"
        also = f" {verb} {peers} as well as {user_id}" if peers else f" {verb} other people as well"
        return head + (f"NextAds' {thing}{also} (NextAds ranks {user_id} {rn} of {people}, GenericAds {rg}): the "
                       "personalized version leans on something many people in the audience share, not on what is "
                       f"particular to {user_id}.")
    if rn == 1 and rg == 1 and g - n < 1.0:
        own = "copy already speaks to" if aspect == "personalization_content" else "colours already suit"
        return head + (f"Both ads fit {user_id} better than anyone else in the audience, a tie within the measure's "
                       f"noise: the product's own {own} {user_id}'s {source}, so the generic ad is personal too.")
    lead_n = ne.get("similarity", 0.0) - ne.get("others_median", 0.0)
    lead_g = ge.get("similarity", 0.0) - ge.get("others_median", 0.0)
    return head + (f"Both ads rank {user_id} {rn if rn == rg else f'{rn} and {rg}'} of {people}, but the GenericAds "
                   f"{thing} stands further above the rest of the audience ({lead_g:+.2f} over the others' median "
                   f"similarity, NextAds {lead_n:+.2f}).")


def _fits_also(reason: str) -> str:
    marker = "; fits "
    if marker not in (reason or ""):
        return ""
    return reason.split(marker, 1)[1].replace(" as well or better", "").strip()


__all__ = ["ASPECTS", "COLUMNS", "PairResult", "evaluate_pairs", "format_table", "summarize", "utility_value",
           "why_not_better"]
