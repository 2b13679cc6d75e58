"""Produce tab: render settings, Render with a progress bar, the player and the downloads."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import gradio as gr

from ..atomic import write_json
from ..schemas import RenderSettings
from ..schemas.common import ASPECTS, DEFAULT_ASPECT
from . import actions, views
from .session import Session, bind

_CANCEL: dict[str, threading.Event] = {}


def _cancel_event(request: Any) -> threading.Event:
    key = getattr(request, "session_hash", None) or "default"
    event = _CANCEL.setdefault(key, threading.Event())
    event.clear()
    return event


def on_render(studio: Any, sess: Session, aspect: str, resolution: int, quality: str,
              request: gr.Request = None, progress=gr.Progress()):
    """Render the current plan version; only scenes that changed since the last render are re-rendered."""
    if sess.campaign is None or sess.plan is None:
        return sess, None, None, None, views.note("Make a plan first (Plan tab).", "warn")
    cancel = _cancel_event(request)

    def report(fraction: float, message: str = "") -> None:
        progress(max(0.0, min(1.0, fraction)), desc=message or "Rendering")

    plan = sess.plan
    try:
        progress(0.0, desc="Rendering")
        # a PCI segment always takes its host's orientation; the aspect control applies to standalone ads
        settings = RenderSettings(aspect=plan.storyboard.aspect if plan.task == "pci" else
                                  (aspect or plan.storyboard.aspect), resolution=int(resolution), quality=quality)
        event = sess.campaign.render(report, cancel, settings=settings)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return sess, None, None, None, views.note(actions.readable(exc), "error")
    creative = event.creative
    files = download_files(studio, sess)
    video = creative.integrated_path or creative.video_path
    cached = len(creative.scene_hashes) - len(creative.scenes_rerendered)
    size = f"{creative.width}x{creative.height}, {creative.duration:.1f}s"
    if creative.integrated_path:
        from ..media_io import probe

        total = probe(creative.integrated_path).duration
        size = (f"a {creative.duration:.1f}s segment ({creative.width}x{creative.height}, the host's size) inside "
                f"a {total:.1f}s integrated video")
    msg = (f"Rendered v{creative.plan_version}: {size} in {creative.render_seconds:.1f}s; scenes re-rendered "
           f"{creative.scenes_rerendered or 'none'}{f', {cached} from cache' if cached > 0 else ''}.")
    return sess, video, files, video, views.note(msg, "ok")


def on_sheet(studio: Any, sess: Session):
    """The rendered ad's contact sheet (one frame per second), shown under the player."""
    creative = sess.creative
    return creative.contact_sheet_path if creative is not None else None


def download_files(studio: Any, sess: Session) -> list[str]:
    """MP4, SRT and the plan JSON that made them."""
    camp, plan = sess.campaign, sess.plan
    out = [p for p in (camp.media("video"), camp.media("integrated"), camp.media("srt")) if p]
    plan_path = Path(out[0]).parent / f"plan_v{plan.version}.json"
    write_json(plan_path, plan.model_dump(mode="json"))
    out.append(str(plan_path))
    return out


def on_cancel(request: gr.Request = None):
    key = getattr(request, "session_hash", None) or "default"
    if key in _CANCEL:
        _CANCEL[key].set()
    return views.note("Cancelling… nothing partial is kept.", "warn")


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            aspect = gr.Radio(list(ASPECTS), value=DEFAULT_ASPECT, label="Aspect", elem_id="render_aspect")
            resolution = gr.Radio([360, 480, 720, 1080], value=720, label="Resolution (short side, px)",
                                  elem_id="resolution")
            quality = gr.Radio(["preview", "final"], value="preview", label="Quality", elem_id="quality")
            gr.Markdown("Duration is set before planning (Audience tab), because the storyboard is timed to it.",
                        elem_classes=["nx-muted"])
            with gr.Row():
                render = gr.Button("Render", variant="primary", elem_id="render_btn")
                cancel = gr.Button("Cancel", variant="stop")
            status = gr.Markdown(elem_id="render_status")
            files = gr.File(label="Downloads (MP4, SRT, plan JSON)", file_count="multiple", interactive=False,
                            elem_id="downloads")
        with gr.Column(scale=2):
            player = gr.Video(label="Creative", interactive=False, elem_id="player", height=520)
            sheet = gr.Image(label="Contact sheet (one frame per second)", interactive=False, elem_id="contact_sheet")
    ctx["aspect"].change(lambda a: a, ctx["aspect"], aspect, api_visibility="private")
    ctx.update(render_aspect=aspect, resolution=resolution, quality=quality, render_btn=render,
               render_status=status, player=player, downloads=files, cancel_btn=cancel, contact_sheet=sheet)


def wire(studio: Any, state: gr.State, ctx: dict) -> Any:
    """Render, then verify automatically so the scorecard is ready on the Verify tab."""
    from .verify import on_verify

    event = ctx["render_btn"].click(
        bind(studio, on_render), [state, ctx["render_aspect"], ctx["resolution"], ctx["quality"]],
        [state, ctx["player"], ctx["downloads"], ctx["verify_player"], ctx["render_status"]], api_name="render",
    )
    event.success(bind(studio, on_sheet), [state], [ctx["contact_sheet"]], api_visibility="private")
    event.success(bind(studio, on_verify), [state], [state, *ctx["verify_outputs"]], api_visibility="private")
    ctx["render_event"] = event
    ctx["cancel_btn"].click(on_cancel, None, ctx["render_status"], cancels=[event], api_visibility="private")
    return event
