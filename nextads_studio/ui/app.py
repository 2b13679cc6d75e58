"""build_app(studio) -> gr.Blocks, and the launch() arguments that go with it (theme, css, auth, paths)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from . import (
    audience,
    bench,
    campaigns,
    compare,
    history,
    impressions,
    plan,
    produce,
    reflect,
    signin,
    verify,
    views,
)
from . import backends as backends_panel
from .serving import FailedSignIns, Gate, SessionClock, publish_all
from .session import Session, bind

TABS = ("Audience & product", "Plan", "Produce", "Verify", "Reflect", "Compare", "Impressions", "History & approval",
        "Bench", "Backends")


def build_app(studio: Any) -> gr.Blocks:
    """The studio's page: one tab per step; every handler calls the Studio and renders what comes back."""
    ctx: dict[str, Any] = {}
    with gr.Blocks(title="NextAds Studio", delete_cache=(3600, 86400)) as demo:
        with gr.Row():
            gr.Markdown("## NextAds Studio\nPersonalized video ads: person → plan → render → verify → refine → "
                        "approve.")
            signin.build(studio, ctx)
        state = gr.State(Session())
        campaigns.build(studio, state, ctx)
        with gr.Tabs() as tabs:
            with gr.Tab(TABS[0], id="audience"):
                audience.build(studio, state, ctx)
            with gr.Tab(TABS[1], id="plan"):
                plan.build(studio, state, ctx)
            with gr.Tab(TABS[2], id="produce"):
                produce.build(studio, state, ctx)
            with gr.Tab(TABS[3], id="verify"):
                verify.build(studio, state, ctx)
            with gr.Tab(TABS[4], id="reflect"):
                reflect.build(studio, state, ctx)
            with gr.Tab(TABS[5], id="compare"):
                compare.build(studio, state, ctx)
            with gr.Tab(TABS[6], id="impressions"):
                impressions.build(studio, state, ctx)
            with gr.Tab(TABS[7], id="history") as history_tab:
                history.build(studio, state, ctx)
            with gr.Tab(TABS[8], id="bench"):
                bench.build(studio, state, ctx)
            with gr.Tab(TABS[9], id="backends"):
                backends_panel.build(studio, state, ctx)
        history_tab.select(bind(studio, history.on_refresh), [state], ctx["history_outputs"], api_visibility="private")
        ctx["plan_go"].click(lambda: gr.Tabs(selected="plan"), None, tabs, api_visibility="private").then(
            bind(studio, plan.on_plan), ctx["plan_inputs"], ctx["plan_all_outputs"], api_visibility="private")
        produce.wire(studio, state, ctx)
        reflect.wire(studio, state, ctx)
        campaigns.wire(studio, state, ctx)
        _clear_statuses_on_action(ctx)
        demo.load(bind(studio, campaigns.on_refresh), [state], [ctx["campaign_pick"], ctx["campaign_bar_status"]],
                  api_visibility="private")
        demo.load(bind(studio, signin.on_load), None, [ctx["whoami"], ctx["approve_btn"], ctx["reject_btn"]],
                  api_visibility="private")
        demo.load(bind(studio, audience.on_user), [state, ctx["user"]],
                  [state, ctx["history_table"], ctx["gallery"], ctx["profile"], ctx["user_status"]],
                  api_visibility="private")
        demo.load(bind(studio, audience.on_product), [state, ctx["product"]],
                  [state, ctx["product_image"], ctx["product_info"]], api_visibility="private")
    publish_all(studio, demo)  # no handler hands the page a data-dir path (ui/serving.py)
    return demo


STATUS_LINES = ("plan_status", "save_status", "render_status", "reflect_status", "approval_status",
                "campaign_bar_status")
ACTIONS = {"plan_go": "plan_status", "render_btn": "render_status", "reflect_btn": "reflect_status",
           "apply_btn": "reflect_status", "dismiss_btn": "reflect_status", "approve_btn": "approval_status",
           "reject_btn": "approval_status", "campaign_open": "campaign_bar_status",
           "campaign_rename": "campaign_bar_status"}


def _clear_statuses_on_action(ctx: dict[str, Any]) -> None:
    """A new action clears the other actions' status lines, so no earlier message lingers next to its result."""
    buttons = [(ctx[k], own) for k, own in ACTIONS.items() if k in ctx] + list(ctx.get("action_buttons", []))
    for button, own in buttons:
        statuses = [ctx[k] for k in STATUS_LINES if k in ctx and k != own]
        blank = "() => [" + ", ".join(['""'] * len(statuses)) + "]"
        button.click(None, None, statuses, js=blank, api_visibility="private", queue=False)


def allowed_paths(studio: Any) -> list[str]:
    """Folders served as they are: only the shipped assets and product library (public demo material). Files
    under the data dir are never served by path; handlers publish what a person may see (ui/serving.py)."""
    s = studio.settings
    data = s.data_dir.resolve()
    return [str(p.resolve()) for p in (s.assets_dir, s.library_dir)
            if p.resolve() != data and p.resolve() not in data.parents and data not in p.resolve().parents]


def blocked_paths(studio: Any) -> list[str]:
    """Never served, whatever else allows it: the data dir and the SQLite database (wherever it lives)."""
    s = studio.settings
    out = [s.data_dir.resolve()]
    url = s.effective_database_url
    if url.startswith("sqlite:///"):
        out.append(Path(url.removeprefix("sqlite:///")).resolve().parent)
    return sorted({str(p) for p in out})


def launch_kwargs(studio: Any) -> dict[str, Any]:
    """Everything launch() needs besides host and port (Gradio 6 takes theme and css here)."""
    settings = studio.settings
    limiter = FailedSignIns()
    gate = Middleware(Gate, settings=settings, limiter=limiter, sessions=SessionClock(settings.session_hours * 3600))
    kwargs: dict[str, Any] = {
        "allowed_paths": allowed_paths(studio),
        "blocked_paths": blocked_paths(studio),
        "app_kwargs": {"middleware": [gate]},
        "theme": gr.themes.Soft(primary_hue="indigo", font=["system-ui", "sans-serif"],
                                font_mono=["ui-monospace", "monospace"]),
        "css": views.CSS,
        "max_file_size": f"{studio.settings.max_upload_mb}mb",
        "footer_links": ["api"],
    }
    if settings.login_required:
        kwargs["auth"] = signin.auth_check(studio, limiter)
        kwargs["auth_message"] = "Sign in with your NextAds Studio account (ask an admin: nextads users add)."
    return kwargs


def launch(studio: Any, **overrides: Any):
    """Build and launch on the configured host and port."""
    from ..sweep import sweep_stale

    sweep_stale(studio.data_dir)  # leftovers of work interrupted before the last stop
    demo = build_app(studio)
    kwargs = {"server_name": studio.settings.host, "server_port": studio.settings.port, **launch_kwargs(studio),
              **overrides}
    return demo.queue(default_concurrency_limit=2).launch(**kwargs)
