"""Bench tab: run the demo PCG-Bench from the studio and show the latest Table-1 report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gradio as gr

from . import actions, views
from .session import Session, bind


def bench_root(studio: Any) -> Path:
    return Path(studio.data_dir) / "bench"


def latest_report(studio: Any) -> tuple[str, str | None, str]:
    """The newest report under the data dir: (markdown, chart path, status line)."""
    reports = sorted(bench_root(studio).glob("*/report.json"), key=lambda p: p.stat().st_mtime)
    if not reports:
        return "", None, views.note("No bench report yet: run the demo bench below, or `nextads bench run`.", "info")
    report = json.loads(reports[-1].read_text(encoding="utf-8"))
    chart = reports[-1].parent / "report.png"
    return (report["markdown"], str(chart) if chart.exists() else None,
            views.note(f"Latest report: {reports[-1].parent.name} ({report['pairs']} pairs).", "ok"))


def on_refresh(studio: Any, sess: Session):
    return latest_report(studio)


def on_run_demo(studio: Any, sess: Session, users: int, products: int, progress=gr.Progress()):
    """Build the demo manifest, run NextAds and GenericAds on it (resumable), then write the report."""
    from ..bench import build_suite, run_bench, save_manifest, write_report
    from ..bench.judging import diversity_judge

    try:
        csv = Path(studio.settings.assets_dir) / "audience" / "notes" / "qilin_demo.csv"
        progress(0.02, desc="selecting users and products")
        manifest = build_suite("pcg", csv, studio, {"n_users": int(users), "n_products": int(products)})
        out = bench_root(studio) / f"demo-pcg-{manifest.compute_hash()}"
        path = save_manifest(manifest, out / "manifest.in.json")
        run_bench(path, ["nextads", "generic"], out, workers=1, duration=6, resolution=360,
                  settings=studio.settings.model_dump(mode="json"),
                  progress=lambda done, total, key: progress(done / max(total, 1), desc=f"{done}/{total} {key}"))
        progress(0.98, desc="judging diversity and writing the report")
        write_report(out, judge_diversity=diversity_judge(studio), judge_backend=studio.settings.judge)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return "", None, views.note(actions.readable(exc), "error")
    return latest_report(studio)


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    gr.Markdown("PCG-Bench on the demo audience: NextAds vs GenericAds for the same person and product, "
                "in the shape of the paper's Table 1. Runs are resumable; rerunning skips finished pairs.")
    with gr.Row():
        users = gr.Slider(1, 8, value=2, step=1, label="People")
        products = gr.Slider(1, 5, value=1, step=1, label="Products per person")
        run = gr.Button("Run the demo bench", variant="primary", elem_id="bench_run")
        refresh = gr.Button("Show latest report", elem_id="bench_refresh")
    status = gr.Markdown()
    table = gr.Markdown(elem_id="bench_table")
    chart = gr.Image(label="Report chart", type="filepath", interactive=False)
    run.click(bind(studio, on_run_demo), [state, users, products], [table, chart, status], api_name="bench")
    refresh.click(bind(studio, on_refresh), [state], [table, chart, status], api_visibility="private")
