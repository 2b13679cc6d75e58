"""Plan tab: match scores, the editable storyboard, the collage controls, PCI integration, "Save version"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from ..schemas import CreativePlan
from . import actions, uploads, views
from .session import Session, bind, username


def plan_outputs(sess: Session) -> tuple:
    """Everything the Plan tab shows for the session's current plan, in PLAN_OUTPUTS order."""
    plan = sess.plan
    if plan is None:
        return (views.match_html(None), "", "", [], None, gr.update(choices=[], value=[]),
                gr.update(choices=[], value=None), gr.update(visible=False), "", None, "")
    g = plan.grounding
    user_pool = _user_image_pool(sess, plan)
    product_pool = list(plan.product.images)
    named = [(Path(p).name, p) for p in user_pool]
    pci = plan.integration is not None
    integ = plan.integration
    slider = gr.update(visible=pci)
    if pci:
        d = integ.host_summary.duration or 0
        slider = gr.update(visible=True, minimum=3, maximum=max(4, int(d - 3)), value=integ.timestamp)
    rationale = (f"**Integration at {integ.timestamp}s** — {integ.rationale}\n\n*Bridge:* {integ.bridge}"
                 if pci else "")
    return (
        views.match_html(plan), plan.storyboard.hook, plan.storyboard.cta, views.storyboard_rows(plan),
        g.collage_path, gr.update(choices=named, value=[p for p in g.user_images if p in user_pool]),
        gr.update(choices=[(Path(p).name, p) for p in product_pool],
                  value=g.product_images[0] if g.product_images else None),
        slider, rationale, integ.host_video_path if pci else None, plan.model_dump_json(indent=2),
    )


def _user_image_pool(sess: Session, plan: CreativePlan) -> list[str]:
    pool = list(plan.grounding.user_images)
    if sess.history is not None:
        for path, _ in views.history_images(sess.history, limit=40):
            if path not in pool:
                pool.append(path)
    return pool + [p for p in sess.extra_assets if p not in pool]


def on_plan(studio: Any, sess: Session, user_id: str | None, product_id: str | None, task: str,
            host_video: str | None, duration: float, aspect: str, request: gr.Request = None,
            progress=gr.Progress()):
    """Director.plan for the chosen person and product; stored as version 1 of a new campaign."""
    try:
        if not user_id:
            raise actions.InputError("Pick a person on the Audience tab first.")
        if sess.history is None or sess.user_id != user_id:
            sess.user_id, sess.history = user_id, actions.audience(studio, sess)[user_id]
            own = sess.history.host_video
            sess.host_video = own.video_path if own and own.video_path else None
        if host_video:
            sess.host_video = actions.host_video_path(studio, sess, host_video)
        progress(0.1, desc="Planning: profile, match, storyboard, collage")
        product = actions.get_product(studio, product_id, sess)
        plan = actions.make_plan(studio, sess, product, task=task, duration=float(duration), aspect=aspect,
                                 author=username(request))
    except Exception as exc:  # noqa: BLE001 - shown inline, never a stack trace
        return (sess, views.note(actions.readable(exc), "error"), *plan_outputs(sess))
    sess.product_id, sess.task = product.product_id, task
    sess.plan, sess.previous_plan, sess.creative, sess.verdict, sess.directives = plan, None, None, None, []
    sess.profile = plan.profile or sess.profile
    sess.rounds = []
    msg = f"Plan v{plan.version} ready: {len(plan.storyboard.scenes)} scenes, {plan.storyboard.duration_sec:.0f}s."
    return (sess, views.note(msg, "ok"), *plan_outputs(sess))


def on_save(studio: Any, sess: Session, rows: Any, hook: str, cta: str, timestamp: float | None,
            request: gr.Request = None):
    """Validate the edited storyboard and store it as the next version; errors appear next to the table."""
    if sess.plan is None:
        return (sess, views.note("Nothing to save: make a plan first.", "warn"), *plan_outputs(sess))
    try:
        edited = actions.edited_plan(sess.plan, _rows(rows), hook, cta)
        if edited.integration is not None and timestamp is not None:
            integ = edited.integration.model_copy(update={"timestamp": int(timestamp)})
            edited = CreativePlan.model_validate({**edited.model_dump(), "integration": integ.model_dump()})
        if edited.content_hash() == sess.plan.content_hash():
            return (sess, views.note("No changes to save.", "info"), *plan_outputs(sess))
        new = actions.save_version(studio, sess, edited, username(request), "human edit in the studio")
    except Exception as exc:  # noqa: BLE001
        return (sess, views.note(actions.readable(exc), "error"), *plan_outputs(sess))
    sess.previous_plan, sess.plan = sess.plan, new
    return (sess, views.note(f"Saved version {new.version}.", "ok"), *plan_outputs(sess))


def on_collage(studio: Any, sess: Session, user_images: list[str] | None, product_image: str | None,
               extra: str | None, request: gr.Request = None):
    """Rebuild the collage from the chosen (ordered) user images, product image and an uploaded asset."""
    if sess.plan is None:
        return (sess, views.note("Make a plan first.", "warn"), *plan_outputs(sess))
    try:
        if extra:
            extra = uploads.keep_upload(studio, uploads.check_upload_image(extra, "Extra asset"), "assets")
            sess.extra_assets.append(extra)
        plan = actions.regrounded(studio, sess.plan, user_images or [], product_image,
                                  [extra] if extra else [], username(request))
        new = actions.save_version(studio, sess, plan, username(request), "collage edited in the studio")
    except Exception as exc:  # noqa: BLE001
        return (sess, views.note(actions.readable(exc), "error"), *plan_outputs(sess))
    sess.previous_plan, sess.plan = sess.plan, new
    return (sess, views.note(f"Collage rebuilt; saved version {new.version}.", "ok"), *plan_outputs(sess))


def _rows(value: Any) -> list[list[Any]]:
    if hasattr(value, "values") and hasattr(value, "columns"):
        return value.values.tolist()
    if isinstance(value, dict):
        return value.get("data", [])
    return list(value or [])


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        plan_btn = gr.Button("Plan", variant="primary", elem_id="plan_btn", scale=0, min_width=160)
        status = gr.Markdown(elem_id="plan_status")
    match = gr.HTML(views.match_html(None), elem_id="match")
    with gr.Row():
        hook = gr.Textbox(label="Hook", elem_id="hook")
        cta = gr.Textbox(label="Call to action", elem_id="cta")
    storyboard = gr.Dataframe(
        headers=views.STORYBOARD_COLUMNS, datatype=views.STORYBOARD_TYPES, interactive=True, type="array",
        label="Storyboard (double-click a cell to edit)", elem_id="storyboard", wrap=True, max_height=420,
        column_widths=["5%", "6%", "6%", "14%", "19%", "9%", "19%", "14%", "8%"],
    )
    with gr.Row():
        save = gr.Button("Save version", variant="primary", elem_id="save_version", scale=0, min_width=160)
        save_status = gr.Markdown(elem_id="save_status")
    with gr.Row():
        with gr.Column():
            collage = gr.Image(label="Grounding collage", height=300, interactive=False, elem_id="collage")
        with gr.Column():
            user_images = gr.Dropdown([], multiselect=True, label="User images in the collage (in order)")
            product_image = gr.Dropdown([], label="Product image")
            extra = gr.File(label="Upload an extra image (joins the user images)", file_types=["image"],
                            height=90)
            regroup = gr.Button("Rebuild collage")
    slider = gr.Slider(3, 30, step=1, label="Integration point (s) — PCI", visible=False, elem_id="integration")
    with gr.Row():
        host_player = gr.Video(label="Host video", height=240, interactive=False)
        rationale = gr.Markdown()
    with gr.Accordion("Plan JSON", open=False):
        # Text, not gr.JSON: the plan's {"path": ...} licence records would look like files to API clients.
        plan_json = gr.Code(language="json", interactive=False)

    outputs = [match, hook, cta, storyboard, collage, user_images, product_image, slider, rationale, host_player,
               plan_json]
    inputs = [state, ctx["user"], ctx["product"], ctx["task"], ctx["host_pick"], ctx["duration"], ctx["aspect"]]
    plan_btn.click(bind(studio, on_plan), inputs, [state, status, *outputs], api_name="plan")
    save.click(bind(studio, on_save), [state, storyboard, hook, cta, slider], [state, save_status, *outputs],
               api_name="save_version")
    regroup.click(bind(studio, on_collage), [state, user_images, product_image, extra],
                  [state, save_status, *outputs], api_visibility="private")
    ctx.update(plan_inputs=inputs, plan_all_outputs=[state, status, *outputs], plan_outputs=outputs,
               plan_status=status, storyboard=storyboard, save_status=save_status)
