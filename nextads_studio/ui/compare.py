"""Compare tab: GenericAds and NextAds side by side for the same person and product."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..schemas import RenderSettings
from . import actions, views
from .session import Session, bind


def personalization_summary(generic: Any, nextads: Any) -> str:
    """What the personalized plan changed, read off the two plans (formatting only)."""
    if generic is None or nextads is None:
        return ""
    lines = []
    m = nextads.match
    if m is not None:
        lines.append(f"- **Anchor**: {m.chosen_tier} interest “{m.chosen_theme}” — {m.reason}"
                     if not m.fallback_generic else "- **Anchor**: none fitted safely; NextAds fell back to generic.")
    lines.append(f"- **Hook**: generic “{generic.storyboard.hook}” → personalized “{nextads.storyboard.hook}”")
    if nextads.profile is not None:
        tags = ", ".join(nextads.profile.style.tone_tags) or "-"
        lines.append(f"- **Tone**: {tags} (from the person's history)")
    if nextads.grounding.palette:
        lines.append("- **Palette**: " + views.palette_html(nextads.grounding.palette))
    used = sorted({u for s in nextads.storyboard.scenes for u in s.personalization_used})
    if used:
        lines.append(f"- **Personal cues used**: {', '.join(used)}")
    n_user = len(nextads.grounding.user_images)
    lines.append(f"- **Grounding**: {n_user} image{'' if n_user == 1 else 's'} from the person's history in the collage")
    return "\n".join(lines)


def on_compare(studio: Any, sess: Session, resolution: int, progress=gr.Progress()):
    """Plan, render and verify the GenericAds version; reuse (or make) the NextAds one."""
    if sess.campaign is None or sess.plan is None:
        return sess, None, None, views.scorecard_html(None), views.scorecard_html(None), views.note(
            "Make a NextAds plan first (Plan tab).", "warn")
    try:
        nx = sess.plan
        settings = RenderSettings(aspect=nx.storyboard.aspect, resolution=int(resolution), quality="preview")
        compared = sess.campaign.compare_generic(settings, lambda f, m: progress(f, desc=m))
    except Exception as exc:  # noqa: BLE001 - shown inline
        return sess, None, None, views.scorecard_html(None), views.scorecard_html(None), views.note(
            actions.readable(exc), "error")
    sess.generic = {"plan": compared.plan, "creative": compared.creative, "verdict": compared.verdict}
    summary = "### What personalization changed\n" + personalization_summary(compared.plan, nx)
    return (sess, compared.creative.video_path, sess.campaign.media("video"),
            views.scorecard_html(compared.verdict, "GenericAds", mode=compared.plan.mode),
            views.scorecard_html(sess.verdict, "NextAds", mode=nx.mode),
            summary)


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        run = gr.Button("Make both and compare", variant="primary", elem_id="compare_btn", scale=0, min_width=220)
        gr.Markdown("Same person, same product: the generic ad ignores the history.", elem_classes=["nx-muted"])
    with gr.Row():
        with gr.Column():
            g_player = gr.Video(label="GenericAds", interactive=False, height=420, elem_id="generic_player")
            g_card = gr.HTML(views.scorecard_html(None), elem_id="generic_scorecard")
        with gr.Column():
            n_player = gr.Video(label="NextAds", interactive=False, height=420, elem_id="nextads_player")
            n_card = gr.HTML(views.scorecard_html(None), elem_id="nextads_scorecard")
    summary = gr.Markdown(elem_id="compare_summary")
    ctx["compare_card"] = n_card  # Compare renders and verifies the NextAds ad too: the picker's line follows
    run.click(bind(studio, on_compare), [state, ctx["resolution"]],
              [state, g_player, n_player, g_card, n_card, summary], api_name="compare")
