"""Plan tab: match scores, the editable storyboard, the collage controls, PCI integration, "Save version"."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import gradio as gr

from ..campaign import CTA_WORDS, HOOK_WORDS, Unchanged
from ..schemas import CreativePlan
from ..schemas.common import CameraMotion
from . import actions, uploads, views
from .session import Session, bind, username


def plan_outputs(sess: Session) -> tuple:
    """Everything the Plan tab shows for the session's current plan, in PLAN_OUTPUTS order."""
    plan = sess.plan
    if plan is None:
        return (views.match_html(None), "", "", [], None, gr.update(choices=[], value=[]),
                gr.update(choices=[], value=None), gr.update(visible=False), "", gr.update(value=None, visible=False),
                "")
    g = plan.grounding
    user_pool = _user_image_pool(sess, plan)
    product_pool = list(plan.product.images)
    named = _image_names(sess, user_pool)
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
        slider, rationale, gr.update(value=integ.host_video_path if pci else None, visible=pci),
        plan.model_dump_json(indent=2),
    )


def _image_names(sess: Session, pool: list[str]) -> list[tuple[str, str]]:
    """(label, path) for the collage's image picker: the history item each image belongs to ('Anchored in the
    bay'), not its stored file name (a content hash a marketer cannot tell apart); an extra upload says so."""
    captions = dict(views.history_images(sess.history, limit=10_000)) if sess.history is not None else {}
    out, seen = [], {}
    for path in pool:
        label = str(captions.get(path) or "").strip() or (
            f"uploaded: {Path(path).name}" if path in sess.extra_assets else Path(path).name)
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} ({seen[label]})", path))
    return out


def _user_image_pool(sess: Session, plan: CreativePlan) -> list[str]:
    pool = list(plan.grounding.user_images)
    if sess.history is not None:
        for path, _ in views.history_images(sess.history, limit=40):
            if path not in pool:
                pool.append(path)
    return pool + [p for p in sess.extra_assets if p not in pool]


def keep_outputs() -> tuple:
    """PLAN_OUTPUTS left as they are on the page (a failed action never reverts what the person typed)."""
    return tuple(gr.update() for _ in range(11))


def _same_brief(sess: Session, user_id: str | None, product_id: str | None, task: str) -> bool:
    camp = sess.campaign
    if camp is None or camp.current is None:
        return False
    person = camp.history.user_id if camp.history else None
    return (person, camp.product.product_id, camp.brief.task) == (user_id, product_id, task)


def on_plan(studio: Any, sess: Session, user_id: str | None, product_id: str | None, task: str,
            host_video: str | None, duration: float, aspect: str, request: gr.Request = None,
            progress=gr.Progress()):
    """Plan: a new campaign, or — when this person's campaign for this product is open — ask first."""
    if _same_brief(sess, user_id, product_id, task):
        camp = sess.campaign
        ask = (f"Campaign **{camp.name}** is open at version {camp.version}. Plan a new version of it, or start "
               "a new campaign? Unsaved edits in the storyboard are not kept either way.")
        return (sess, views.note(ask, "warn"), gr.update(visible=True), gr.update(), *keep_outputs())
    return on_plan_new(studio, sess, user_id, product_id, task, host_video, duration, aspect, request, progress)


def on_plan_new(studio: Any, sess: Session, user_id: str | None, product_id: str | None, task: str,
                host_video: str | None, duration: float, aspect: str, request: gr.Request = None,
                progress=gr.Progress()):
    """Director.plan for the chosen person and product, stored as version 1 of a new campaign."""
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
        camp = actions.new_campaign(studio, sess, product, task=task, duration=float(duration), aspect=aspect,
                                    author=username(request))
        camp.plan(author=username(request))
    except Exception as exc:  # noqa: BLE001 - shown inline, never a stack trace
        return (sess, views.note(actions.readable(exc), "error"), gr.update(visible=False), gr.update(),
                *keep_outputs())
    sess.campaign, sess.product_id, sess.task, sess.rounds = camp, product.product_id, task, []
    sess.profile = camp.current.profile or sess.profile
    return (sess, _planned_note(sess, "new campaign"), gr.update(visible=False),
            picker_update(studio, sess, username(request)), *plan_outputs(sess))


def on_plan_version(studio: Any, sess: Session, request: gr.Request = None, progress=gr.Progress()):
    """Plan again as the next version of the open campaign."""
    if sess.campaign is None:
        return (sess, views.note("No campaign is open.", "warn"), gr.update(visible=False), gr.update(),
                *keep_outputs())
    try:
        progress(0.1, desc="Planning a new version")
        sess.campaign.plan(author=username(request))
    except Exception as exc:  # noqa: BLE001
        return (sess, views.note(actions.readable(exc), "error"), gr.update(visible=False), gr.update(),
                *keep_outputs())
    return (sess, _planned_note(sess, "new version"), gr.update(visible=False),
            picker_update(studio, sess, username(request)),
            *plan_outputs(sess))


def _planned_note(sess: Session, what: str) -> str:
    plan, camp = sess.plan, sess.campaign
    seg = ""
    if plan.integration is not None:
        host = plan.integration.host_summary.duration or 0
        seg = (f" PCI: a {plan.storyboard.duration_sec:.0f}s segment at {plan.integration.timestamp}s of the "
               f"{host:.0f}s host video; the integrated video will last about {host + plan.storyboard.duration_sec:.0f}s.")
    return views.note(f"Plan v{plan.version} ready ({what} · {camp.name}): {len(plan.storyboard.scenes)} scenes, "
                      f"{plan.storyboard.duration_sec:.0f}s, {plan.storyboard.aspect}.{seg}", "ok")


def picker_update(studio: Any, sess: Session, viewer: str = "local") -> Any:
    try:
        choices = actions.campaign_choices(studio, viewer)
    except Exception:  # noqa: BLE001 - the picker is a convenience; the campaign itself is saved
        return gr.update()
    return gr.update(choices=choices, value=str(sess.campaign_id) if sess.campaign_id else None)


def on_save(studio: Any, sess: Session, rows: Any, hook: str, cta: str, timestamp: float | None,
            request: gr.Request = None):
    """Validate the edited storyboard, hook and CTA and store them as the next version. A failed edit keeps
    everything typed in the table and lists every problem with its scene and column."""
    if sess.campaign is None or sess.plan is None:
        return (sess, views.note("Nothing to save: make a plan first.", "warn"), *keep_outputs())
    pci = sess.plan.integration is not None
    try:
        event = sess.campaign.edit(actions.scene_edits(_rows(rows)), hook, cta,
                                   integration_at=timestamp if pci else None, author=username(request))
    except actions.EditRejected as exc:
        outputs = list(keep_outputs())
        outputs[3] = gr.update(value=views.storyboard_with_errors(_rows(rows), exc.errors))
        return (sess, views.edit_errors_html(exc.errors), *outputs)
    except Exception as exc:  # noqa: BLE001 - a conflict keeps the edit as a draft and says so
        return (sess, views.note(actions.readable(exc), "error"), *keep_outputs())
    if isinstance(event, Unchanged):
        return (sess, views.note("No changes to save.", "info"), *keep_outputs())
    return (sess, views.note(f"Saved version {sess.plan.version}: {', '.join(event.changes)}.", "ok"),
            *plan_outputs(sess))


def on_collage(studio: Any, sess: Session, user_images: list[str] | None, product_image: str | None,
               extra: str | None, request: gr.Request = None):
    """Rebuild the collage from the chosen (ordered) user images, product image and an uploaded asset."""
    if sess.campaign is None or sess.plan is None:
        return (sess, views.note("Make a plan first.", "warn"), *keep_outputs())
    try:
        if extra:
            extra = uploads.keep_upload(studio, uploads.check_upload_image(extra, "Extra asset"), "assets")
            sess.extra_assets.append(extra)
        event = sess.campaign.reground(user_images or [], product_image, [extra] if extra else [],
                                       author=username(request))
    except Exception as exc:  # noqa: BLE001
        return (sess, views.note(actions.readable(exc), "error"), *keep_outputs())
    if isinstance(event, Unchanged):
        return (sess, views.note("Nothing changed in the collage: no new version.", "info"), *keep_outputs())
    return (sess, views.note(f"Collage rebuilt; saved version {sess.plan.version}.", "ok"), *plan_outputs(sess))


def on_camera(rows: Any, scene: Any, motion: str | None):
    """Set one scene's camera motion in the table (saved with "Save version")."""
    table = _rows(rows)
    if scene in (None, "") or not motion:
        return gr.update()
    i = int(scene)
    if 0 <= i < len(table):
        table[i] = list(table[i])
        table[i][5] = motion
    return table


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
    with gr.Row(visible=False, elem_id="plan_ask") as ask:
        as_version = gr.Button("New version of this campaign", elem_id="plan_as_version")
        as_new = gr.Button("New campaign", elem_id="plan_as_new")
    match = gr.HTML(views.match_html(None), elem_id="match")
    with gr.Row():
        hook = gr.Textbox(label=f"Hook (up to {HOOK_WORDS} words; opens the ad)", elem_id="hook")
        cta = gr.Textbox(label=f"Call to action (required, up to {CTA_WORDS} words; closes the ad)", elem_id="cta")
    storyboard = gr.Dataframe(
        headers=views.STORYBOARD_HEADERS, datatype=views.STORYBOARD_TYPES, interactive=True, type="array",
        label="Storyboard (double-click a cell to edit; camera motion is set below)", elem_id="storyboard",
        wrap=True, max_height=420, static_columns=[0, 5],
        column_widths=["6%", "6%", "6%", "14%", "19%", "9%", "18%", "14%", "8%"],
    )
    with gr.Row():
        scene_pick = gr.Dropdown([], label="Scene", scale=1, elem_id="camera_scene")
        motion = gr.Dropdown(list(get_args(CameraMotion)), label="Camera motion", scale=2, elem_id="camera_motion")
        set_motion = gr.Button("Set camera motion", scale=1, elem_id="camera_set")
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
            regroup = gr.Button("Rebuild collage", elem_id="regroup_btn")
    slider = gr.Slider(3, 30, step=1, label="Integration point (s) — PCI", visible=False, elem_id="integration")
    with gr.Row():
        host_player = gr.Video(label="Host video", height=240, interactive=False, visible=False)
        rationale = gr.Markdown()
    with gr.Accordion("Plan JSON", open=False):
        # Text, not gr.JSON: the plan's {"path": ...} licence records would look like files to API clients.
        plan_json = gr.Code(language="json", interactive=False)

    outputs = [match, hook, cta, storyboard, collage, user_images, product_image, slider, rationale, host_player,
               plan_json]
    inputs = [state, ctx["user"], ctx["product"], ctx["task"], ctx["host_pick"], ctx["duration"], ctx["aspect"]]
    plan_outs = [state, status, ask, ctx["campaign_pick"], *outputs]
    plan_btn.click(bind(studio, on_plan), inputs, plan_outs, api_name="plan")
    as_new.click(bind(studio, on_plan_new), inputs, plan_outs, api_visibility="private")
    as_version.click(bind(studio, on_plan_version), [state], plan_outs, api_visibility="private")
    save.click(bind(studio, on_save), [state, storyboard, hook, cta, slider], [state, save_status, *outputs],
               api_name="save_version")
    regroup.click(bind(studio, on_collage), [state, user_images, product_image, extra],
                  [state, save_status, *outputs], api_visibility="private")
    set_motion.click(on_camera, [storyboard, scene_pick, motion], storyboard, api_visibility="private")
    storyboard.change(lambda rows: gr.update(choices=[(f"scene {i}", str(i)) for i in range(len(_rows(rows)))]),
                      storyboard, scene_pick, api_visibility="private")
    ctx.update(plan_inputs=inputs, plan_all_outputs=plan_outs, plan_outputs=outputs,
               plan_status=status, storyboard=storyboard, save_status=save_status,
               action_buttons=[*ctx.get("action_buttons", []), (plan_btn, "plan_status"), (as_new, "plan_status"),
                               (as_version, "plan_status"), (save, "save_status"), (regroup, "save_status")])
