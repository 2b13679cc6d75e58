"""Impressions tab: a real sequence of creatives across impressions (planned, rendered, verified), and the
evolution policy on the user simulator, with what it chose and why."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from ..rules import MIN_FEEDBACK_IMPRESSIONS as MIN_IMPRESSIONS
from . import actions, views
from .session import Session, bind, username

COLUMNS = ["impression", "arc stage", "facets shown", "hook", "watch time (s)", "clicked", "engagement",
           "policy's choice and why"]
SEQ_COLUMNS = ["impression", "plan version", "arc stage", "facets", "hook", "call to action", "verdict", "product on screen (s)"]
SIM_BANNER = ("**Simulator, not real people.** A profile-grounded simulated viewer responds to each impression; "
              "use it to compare policies, not to forecast results.")


# --- a real sequence ----------------------------------------------------------------------------------
def on_sequence(studio: Any, sess: Session, n: int, resolution: int = 480, request: gr.Request = None,
                progress=gr.Progress()):
    """Plan, render and verify a sequence for the session's person and product; a strip of contact sheets."""
    if sess.plan is None or sess.history is None or sess.campaign is None:
        return [], [], views.note("Pick a person and a product and make a plan first.", "warn")
    try:
        from ..schemas import RenderSettings

        board = sess.plan.storyboard
        evolved = sess.campaign.evolve(int(n), settings=RenderSettings(aspect=board.aspect, resolution=int(resolution),
                                                                        quality="preview"),
                                       progress=lambda f, m: progress(f, desc=m), author=username(request))
        result = evolved.result
        strip, rows = [], []
        for item, version in zip(result.impressions, evolved.versions):
            imp = item.impression
            sheet = contact_sheet(item.creative.video_path, result.out_dir / f"impression_{imp.index}" / "sheet.png")
            facet = (", ".join(imp.facets) or "none (product hidden)") if imp.stage == "problem" else \
                (", ".join(imp.facets) or "-")
            stage = imp.stage.replace("_", " ")
            strip.append((str(sheet), f"{imp.index} · {stage} · {facet} · “{imp.hook}”"))
            rows.append([imp.index, version, stage, facet, imp.hook, imp.plan.storyboard.cta or "-",
                         item.verdict.decision, ", ".join(f"{s:.0f}" for s in item.product_frames) or "none"])
    except Exception as exc:  # noqa: BLE001 - shown inline
        return [], [], views.note(actions.readable(exc), "error")
    ok = not result.problems
    note = (f"{len(rows)} creatives follow the arc (product hidden first, call to action only in the last); "
            f"stored as plan versions {rows[0][1]}-{rows[-1][1]}, so feedback can name the version a viewer saw."
            if ok else "The sequence breaks the arc: " + "; ".join(result.problems))
    return strip, rows, views.note(note, "ok" if ok else "warn")


def contact_sheet(video: str, out: Path, frames: int = 4, width: int = 240) -> Path:
    """Four frames from across the video in a 2 x 2 grid on a square sheet (one image per impression in the
    strip; the studio's gallery cells are square, so a grid fills them better than a row of four)."""
    import numpy as np
    from PIL import Image

    from ..media_io import read_frames

    shots = list(read_frames(video, fps=1.0))
    if not shots:
        raise ValueError(f"{Path(video).name}: no frames to show")
    picks = [shots[round(k * (len(shots) - 1) / max(frames - 1, 1))] for k in range(frames)]
    tiles = [Image.fromarray(np.asarray(f)).resize((width, round(width * f.shape[0] / f.shape[1]))) for f in picks]
    cols, gap = 2, 4
    rows = -(-len(tiles) // cols)
    h = tiles[0].height
    grid_w, grid_h = width * cols + gap * (cols - 1), h * rows + gap * (rows - 1)
    side = max(grid_w, grid_h)  # centred on a square: the gallery's cells are square and crop anything else
    sheet = Image.new("RGB", (side, side), "white")
    x0, y0 = (side - grid_w) // 2, (side - grid_h) // 2
    for k, tile in enumerate(tiles):
        sheet.paste(tile, (x0 + (k % cols) * (width + gap), y0 + (k // cols) * (h + gap)))
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    return out


# --- real feedback ------------------------------------------------------------------------------------
FEEDBACK_COLUMNS = ["plan version", "impressions", "early-skip rate", "completion rate", "CTR", "conversions",
                    "decision"]


def _rate_cell(rate: Any) -> str:
    """'70% (14/20; 90% interval 52-83%)': the observed rate, its counts and the posterior's 90% interval."""
    lo, hi = rate.interval()
    return f"{rate.value:.0%} ({rate.k}/{rate.n}; 90% interval {lo:.0%}-{hi:.0%})" if rate.n else "-"


def on_import_feedback(studio: Any, sess: Session, files: list[str] | None, request: gr.Request = None):
    """Attach a feedback CSV or JSON lines file to the campaign's versions; show per-version aggregates and what
    was learned about the person."""
    if sess.campaign_id is None or sess.plan is None:
        return [], views.note("Make a plan first: feedback belongs to a campaign's plan versions.", "warn")
    paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
    if not paths:
        return feedback_rows(studio, sess), views.note("Choose a feedback .csv or .jsonl file.", "warn")
    try:
        added, skipped, learned = sess.campaign.import_feedback(paths)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return feedback_rows(studio, sess), views.note(f"Could not import: {actions.readable(exc)}", "error")
    note = f"Imported {added} impressions" + (f" ({skipped} already there, not counted twice)" if skipped else "")
    note += f". Learned: {learned.describe()} (version {learned.version})." if learned else ". Nothing learned yet."
    return feedback_rows(studio, sess), views.note(note, "ok")


def feedback_rows(studio: Any, sess: Session) -> list[list]:
    """Per plan version: the aggregate rates, each with its 90% interval, and what the Reflector would decide
    from them (also shown in the History tab)."""
    if sess.campaign is None:
        return []
    rows = []
    for version, agg, decisions in sess.campaign.feedback_by_version():
        rates = agg.rates()
        decided = [d.reason for d in decisions if d.decided]
        rows.append([version if version is not None else "not recorded", agg.impressions,
                     *(_rate_cell(rates[k]) for k in ("early_skip_rate", "completion_rate", "ctr", "cvr")),
                     "; ".join(decided) or (f"not decided: {agg.impressions} of {MIN_IMPRESSIONS} "
                                            "impressions" if agg.impressions < MIN_IMPRESSIONS
                                            else "nothing to fix with 90% confidence")])
    return rows


# --- the simulator ------------------------------------------------------------------------------------
def on_simulate(studio: Any, sess: Session, n: int, request: gr.Request = None):
    """Run the Reflector's evolution policy on the profile-grounded user simulator."""
    if sess.campaign is None or sess.plan is None:
        return [], chart_svg({}), views.note("Make a plan first.", "warn")
    try:
        rows, series = sess.campaign.simulate_impressions(int(n))
        rows = [[r[0], str(r[1]).replace("_", " "), *r[2:]] for r in rows]  # 'new routine', as in the strip
        reading = read_chart(series)
        if series and series["static"][-1] >= series["evolving"][-1]:
            reading += f" Why static does as well here: {sess.campaign.why_static(int(n))}."
    except Exception as exc:  # noqa: BLE001 - shown inline
        return [], chart_svg({}), views.note(actions.readable(exc), "error")
    return rows, chart_svg(series), views.note(reading, "info")


def read_chart(series: dict[str, list[float]]) -> str:
    """One line: where each policy ends and how evolving compares."""
    if not series:
        return "Nothing simulated yet."
    end = {k: v[-1] for k, v in series.items() if v}
    n = max(len(v) for v in series.values())
    line = (f"After {n} simulated impressions: evolving {end.get('evolving', 0):.2f}, static {end.get('static', 0):.2f}"
            f", random {end.get('random', 0):.2f} expected engagements.")
    if end.get("static"):
        ratio = end["evolving"] / end["static"]
        line += f" Evolving is {ratio:.2f}x static" + (" (ahead)." if ratio > 1 else " (not ahead).")
    return line


def chart_svg(series: dict[str, list[float]], width: int = 600, height: int = 260) -> str:
    """Cumulative simulated engagement per policy, with labelled axes and tick values."""
    values = [v for ys in series.values() for v in ys]
    if not values:
        return '<div class="nx-card nx-muted">Nothing simulated yet.</div>'
    palette = {"static": "#C98A12", "random": "#888888", "evolving": "#1B7F5B"}
    left, right, top, bottom = 56, 16, 28, 44
    peak = max(values) or 1.0
    n = max(len(ys) for ys in series.values())

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (width - left - right) * (i / max(1, n - 1))
        return x, height - bottom - (height - top - bottom) * (v / peak)

    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>']
    for k in range(5):  # y ticks
        v = peak * k / 4
        _, y = xy(0, v)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#555">{v:.1f}</text>')
    for i in range(n):  # x ticks: impression numbers
        x, _ = xy(i, 0)
        if n <= 12 or i % 2 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 14}" font-size="10" text-anchor="middle" '
                         f'fill="#555">{i + 1}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 8}" font-size="11" text-anchor="middle" '
                 f'fill="#333">impression</text>')
    parts.append(f'<text transform="translate(14,{(top + height - bottom) / 2}) rotate(-90)" font-size="11" '
                 f'text-anchor="middle" fill="#333">cumulative expected engagements (simulated)</text>')
    for k, (name, ys) in enumerate(series.items()):
        color = palette.get(name, "#3B6FE0")
        pts = " ".join("{:.1f},{:.1f}".format(*xy(i, v)) for i, v in enumerate(ys))
        parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{pts}"/>')
        parts.append(f'<text x="{left + 10 + 110 * k}" y="16" fill="{color}" font-size="12">■ {escape(name)}</text>')
    return (f'<div class="nx-card"><svg viewBox="0 0 {width} {height}" width="100%" '
            f'style="max-width:{width + 200}px" role="img" aria-label="cumulative simulated engagement per policy">{"".join(parts)}</svg></div>')


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    gr.Markdown("### A sequence across impressions\nOne story over several creatives for the chosen person and "
                "product: the problem (product hidden), a new routine, a lifestyle moment, a recap with the only "
                "call to action. Each creative is rendered and verified.")
    with gr.Row():
        seq_n = gr.Slider(2, 6, value=4, step=1, label="Creatives in the sequence", scale=2, elem_id="sequence_n")
        seq_res = gr.Dropdown([360, 480, 720], value=480, label="Resolution (p)", scale=1,
                              elem_id="sequence_resolution")
        seq_run = gr.Button("Run sequence", variant="primary", elem_id="sequence_btn", scale=1)
    seq_status = gr.Markdown(elem_id="sequence_status")
    strip = gr.Gallery(label="Impressions: arc stage · facet · hook (click one to enlarge)", columns=4,
                       height=340, elem_id="sequence_strip", object_fit="contain")
    seq_table = gr.Dataframe(headers=SEQ_COLUMNS, interactive=False, wrap=True, elem_id="sequence_table")
    seq_run.click(bind(studio, on_sequence), [state, seq_n, seq_res], [strip, seq_table, seq_status], api_name="sequence")

    gr.Markdown("### Real feedback\nUpload impression feedback (CSV or JSON lines: impression_id, watch_time, "
                "skip_time, clicks, conversions, plan_version). It is attached to this campaign's plan versions; "
                "decisions need at least 10 impressions per version.")
    with gr.Row():
        fb_file = gr.File(label="Feedback file", file_types=[".csv", ".jsonl", ".json"], file_count="multiple",
                          elem_id="feedback_file", scale=2)
        fb_btn = gr.Button("Import feedback", elem_id="feedback_btn", scale=1)
    fb_status = gr.Markdown(elem_id="feedback_status")
    fb_table = gr.Dataframe(headers=FEEDBACK_COLUMNS, interactive=False, wrap=True, elem_id="feedback_table")
    fb_btn.click(bind(studio, on_import_feedback), [state, fb_file], [fb_table, fb_status], api_name="feedback")

    gr.Markdown("### Exploration vs exploitation on the simulator")
    gr.Markdown(SIM_BANNER, elem_id="simulator_banner")
    with gr.Row():
        n = gr.Slider(4, 20, value=8, step=1, label="Simulated impressions", scale=2)
        run = gr.Button("Simulate", elem_id="simulate_btn", scale=1)
    status = gr.Markdown(elem_id="simulate_reading")
    plot = gr.HTML(chart_svg({}), elem_id="engagement_plot")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="impressions_table")
    run.click(bind(studio, on_simulate), [state, n], [table, plot, status], api_name="simulate")
