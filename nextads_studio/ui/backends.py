"""Backends panel: which backend each role uses, and a live check of the LLM ones (as `nextads backends --check`)."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..backends.status import CHECK_COLUMNS, check_backends, check_rows
from . import actions, views
from .session import Session, bind


def selected_markdown(studio: Any) -> str:
    s = studio.settings
    lines = [f"- **{role}**: `{getattr(s, role)}`" for role in ("director", "producer", "judge")]
    if s.openai_base_url:
        lines.append(f"- openai-compatible server: `{s.openai_base_url}`")
    lines.append(f"- fall back to offline on failure: **{'on' if s.fallback_offline else 'off'}**")
    return "\n".join(lines)


def on_check(studio: Any, sess: Session):
    """Contact each configured LLM backend once; a table row per role and one status line."""
    try:
        result = check_backends(studio.settings)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return gr.update(), views.note(actions.readable(exc), "error")
    rows = check_rows(result)
    if all(c["backend"] == "offline" for c in result["checks"]):
        return rows, views.note("Every role is offline: nothing to contact.", "info")
    return rows, views.note("All configured backends answered." if result["ok"] else
                            "A backend failed its check: see 'What to do'.", "ok" if result["ok"] else "warn")


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    gr.Markdown("Backends are chosen with settings (`NEXTADS_DIRECTOR`, `NEXTADS_JUDGE`, ...). The check sends one "
                "small request to each LLM backend: reachable, model known, vision, structured output, context, "
                "latency.")
    gr.Markdown(selected_markdown(studio))
    check = gr.Button("Check backends", variant="secondary")
    status = gr.Markdown()
    table = gr.Dataframe(headers=CHECK_COLUMNS, interactive=False, wrap=True,
                         column_widths=["7%", "17%", "7%", "7%", "7%", "9%", "7%", "7%", "32%"])
    check.click(bind(studio, on_check), [state], [table, status], api_visibility="private")
