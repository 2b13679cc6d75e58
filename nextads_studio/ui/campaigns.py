"""The campaign picker above the tabs: reopen any stored campaign (after a reload, from another browser, or one
the CLI made) and rename it. Opening calls one campaign-core method and shows what it returns."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import actions, views
from .session import Session, bind, username


def on_refresh(studio: Any, sess: Session, request: gr.Request = None):
    try:
        choices = actions.campaign_choices(studio, username(request))
    except Exception as exc:  # noqa: BLE001 - shown inline
        return gr.update(), views.note(actions.readable(exc), "error")
    value = str(sess.campaign_id) if sess.campaign_id else None
    n = len(choices)
    return gr.update(choices=choices, value=value), views.note(f"{n} campaign{'s' * (n != 1)} stored.", "info")


def on_picker(studio: Any, sess: Session, request: gr.Request = None):
    """The picker's lines again (version, decision, approval change as the marketer works), the open one kept."""
    from .plan import picker_update

    return picker_update(studio, sess, username(request))


def on_open(studio: Any, sess: Session, campaign_id: str | None, request: gr.Request = None):
    """Open a stored campaign as it was left: its latest version, video, verdict and open suggestions."""
    if not campaign_id:
        return sess, views.note("Pick a campaign to open.", "warn"), gr.update(), gr.update()
    try:
        signed_in = bool(studio.settings.login_required)
        if not studio.store.can_read_campaign(username(request), int(campaign_id), signed_in=signed_in):
            raise actions.InputError("That campaign is not one of yours; ask an approver to open it.")
        camp = studio.open_campaign(int(campaign_id))
    except Exception as exc:  # noqa: BLE001
        return sess, views.note(actions.readable(exc), "error"), gr.update(), gr.update()
    person = camp.history.user_id if camp.history else None
    if person != sess.user_id:
        sess.forget_person()
    sess.campaign, sess.rounds = camp, []
    sess.user_id, sess.history = person, camp.history
    sess.product_id, sess.task = camp.product.product_id, camp.brief.task
    sess.host_video = camp.brief.host_video or sess.host_video
    if camp.history is not None and person not in actions.audience(studio, sess):
        sess.uploaded[person] = camp.history  # a person only the store knows (e.g. from the CLI)
    if camp.product.product_id not in {p.product_id for p in actions.products(studio, sess)}:
        sess.products[camp.product.product_id] = camp.product
    state = f"v{camp.version}" + (f", {camp.verdict.decision}" if camp.verdict else ", not verified")
    return (sess, views.note(f"Opened **{camp.name}** ({state}).", "ok"), camp.name,
            gr.update(value=camp.media("integrated") or camp.media("video")))


def on_rename(studio: Any, sess: Session, name: str, request: gr.Request = None):
    if sess.campaign is None:
        return sess, views.note("Open or plan a campaign first.", "warn"), gr.update()
    try:
        new = sess.campaign.rename(name, author=username(request))
    except Exception as exc:  # noqa: BLE001
        return sess, views.note(actions.readable(exc), "error"), gr.update()
    return sess, views.note(f"Renamed to **{new}**.", "ok"), gr.update(
        choices=actions.campaign_choices(studio, username(request)), value=str(sess.campaign_id))


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row(elem_id="campaign_bar"):
        # filled on page load for the signed-in person (who may see which campaign is decided per person)
        pick = gr.Dropdown([], value=None, label="Campaign (latest version · render · the Verifier's decision · "
                           "approval · last change)", elem_id="campaign_pick", scale=4)
        open_btn = gr.Button("Open", elem_id="campaign_open", scale=0, min_width=90)
        name = gr.Textbox(label="Name", elem_id="campaign_name", scale=2)
        rename = gr.Button("Rename", elem_id="campaign_rename", scale=0, min_width=90)
    status = gr.Markdown(elem_id="campaign_bar_status")
    ctx.update(campaign_pick=pick, campaign_open=open_btn, campaign_name=name, campaign_rename=rename,
               campaign_bar_status=status)


def wire(studio: Any, state: gr.State, ctx: dict) -> None:
    """Open -> fill every tab from the reopened campaign; rename -> the picker's new line."""
    from .plan import plan_outputs
    from .produce import download_files
    from .reflect import directive_choices, loop_rows
    from .verify import verify_outputs

    def fill(_studio: Any, s: Session):
        files = download_files(studio, s) if s.creative else None
        video = ctx_video(s)
        return (s, gr.update(choices=actions.user_choices(studio, s), value=s.user_id),
                gr.update(choices=actions.product_choices(studio, s), value=s.product_id), gr.update(value=s.task),
                *plan_outputs(s), video, files, video, *verify_outputs(s), directive_choices(s), loop_rows(s))

    def ctx_video(s: Session) -> str | None:
        return (s.campaign.media("integrated") or s.campaign.media("video")) if s.campaign else None

    opened = ctx["campaign_open"].click(
        bind(studio, on_open), [state, ctx["campaign_pick"]],
        [state, ctx["campaign_bar_status"], ctx["campaign_name"], ctx["player"]], api_name="open_campaign")
    opened.success(bind(studio, fill), [state], [state, ctx["user"], ctx["product"], ctx["task"], *ctx["plan_outputs"],
                                   ctx["player"], ctx["downloads"], ctx["verify_player"], *ctx["verify_outputs"],
                                   ctx["directives"], ctx["loop"]], api_visibility="private")
    ctx["campaign_rename"].click(bind(studio, on_rename), [state, ctx["campaign_name"]],
                                 [state, ctx["campaign_bar_status"], ctx["campaign_pick"]], api_name="rename_campaign")
    # A verdict (after a render, an applied fix, the loop or Verify again) or an approval changes the open
    # campaign's line in the picker ("v1 · not verified · draft" must not stay after it was verified).
    for shown in (ctx["scorecard"], ctx["history_outputs"][0], *([ctx["compare_card"]] if "compare_card" in ctx else [])):
        shown.change(bind(studio, on_picker), [state], [ctx["campaign_pick"]], api_visibility="private")
