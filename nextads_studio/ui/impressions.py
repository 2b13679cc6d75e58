"""Impressions tab: simulate a sequence of impressions with feedback and watch the creative evolve."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import actions, views
from .session import Session, bind

COLUMNS = ["impression", "arc stage", "facets shown", "hook", "watch time (s)", "clicked", "engagement",
           "policy's choice and why"]


def on_simulate(studio: Any, sess: Session, n: int):
    """Run the Reflector's evolution policy on the profile-grounded user simulator."""
    if sess.plan is None:
        return [], views.line_plot_svg({}), views.note("Make a plan first.", "warn")
    try:
        result = actions.simulate_impressions(studio, sess.plan, int(n), seed=studio.settings.seed)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return [], views.line_plot_svg({}), views.note(actions.readable(exc), "error")
    rows, series = result
    return rows, views.line_plot_svg(series, y_label="cumulative simulated engagement"), views.note(
        f"Simulated {len(rows)} impressions.", "ok")


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        n = gr.Slider(4, 20, value=8, step=1, label="Impressions", scale=2)
        run = gr.Button("Simulate", variant="primary", elem_id="simulate_btn", scale=1)
    status = gr.Markdown()
    plot = gr.HTML(views.line_plot_svg({}), elem_id="engagement_plot")
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="impressions_table")
    run.click(bind(studio, on_simulate), [state, n], [table, plot, status], api_name="simulate")
