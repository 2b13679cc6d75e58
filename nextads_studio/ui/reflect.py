"""Reflect tab: suggested directives with reasons, apply or dismiss, the storyboard diff, the loop history."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..campaign import Finished
from ..schemas import RenderSettings
from . import actions, views
from .session import Round, Session, bind, username

LOOP_COLUMNS = ["round", "plan version", "decision", "directives applied", "scenes re-rendered"]


def directive_choices(sess: Session) -> Any:
    camp = sess.campaign
    if camp is None:
        return gr.update(choices=[], value=[])
    labels = [(views.directive_label(d, i), str(i)) for i, d in zip(camp.directive_ids, camp.directives, strict=True)]
    return gr.update(choices=labels, value=[v for _, v in labels])


def loop_rows(sess: Session) -> list[list[Any]]:
    return [[i + 1, r.version, r.decision, ", ".join(r.applied) or "-",
             ", ".join(map(str, r.rerendered)) or "-"] for i, r in enumerate(sess.rounds)]


def on_reflect(studio: Any, sess: Session):
    """Ask the Reflector for minimal directives for the current verdict."""
    if sess.campaign is None or sess.verdict is None:
        return sess, gr.update(choices=[], value=[]), views.note("Render and verify first.", "warn")
    try:
        proposed = sess.campaign.reflect()
    except Exception as exc:  # noqa: BLE001 - shown inline
        return sess, gr.update(choices=[], value=[]), views.note(actions.readable(exc), "error")
    if not proposed.directives:
        why = studio.reflector.unaddressed(sess.campaign.current, sess.verdict) if sess.campaign.current else ""
        msg = "Nothing to fix: the verdict accepts this creative." if sess.verdict.decision == "accept" \
            else why or "No directive applies; edit the plan by hand."
        return sess, directive_choices(sess), views.note(msg, "ok" if sess.verdict.decision == "accept" else "warn")
    return sess, directive_choices(sess), views.note(f"{len(proposed.directives)} suggested fix(es).", "info")


def _picked(selected: list[str] | None) -> list[int]:
    return sorted({int(s) for s in (selected or []) if str(s).isdigit()})


def on_apply(studio: Any, sess: Session, selected: list[str] | None, request: gr.Request = None):
    """Apply the selected directives as one new plan version and show the diff (then it is re-rendered)."""
    ids = _picked(selected)
    if sess.campaign is None or not ids:
        raise gr.Error("Select at least one suggested fix.", print_exception=False)
    camp = sess.campaign
    decision = camp.verdict.decision if camp.verdict else "-"
    kinds = [d.kind for i, d in zip(camp.directive_ids, camp.directives, strict=True) if i in ids]
    try:
        old = camp.current
        event = camp.apply(ids, author=username(request))
    except Exception as exc:  # noqa: BLE001 - shown as the step's error; the chain stops here
        raise gr.Error(actions.readable(exc), print_exception=False) from exc
    sess.rounds.append(Round(version=old.version, decision=decision, applied=kinds or ["applied"]))
    return (sess, directive_choices(sess), views.note(
        f"Applied {len(event.ids)} fix(es): plan v{camp.version}. Rendering and verifying it…", "info"),
        views.diff_html(actions.plan_changes(old, camp.current)), loop_rows(sess))


def after_apply(sess: Session):
    """The end of Apply: the new version's verdict, and which scenes were rendered again."""
    if sess.rounds and sess.creative is not None and sess.plan is not None \
            and sess.creative.plan_version == sess.plan.version:
        sess.rounds[-1].rerendered = list(sess.creative.scenes_rerendered)
    v = sess.verdict
    if v is None:
        return sess, views.note(f"Plan v{sess.plan.version} saved; render it on the Produce tab.", "warn"), \
            loop_rows(sess)
    kind = {"accept": "ok", "revise": "warn", "reject": "error"}[v.decision]
    return sess, views.note(f"Version {v.plan_version} rendered and verified: **{v.decision}**.", kind), \
        loop_rows(sess)


def on_dismiss(studio: Any, sess: Session, selected: list[str] | None, request: gr.Request = None):
    ids = _picked(selected)
    if sess.campaign is None or not ids:
        return sess, directive_choices(sess), views.note("Select at least one suggested fix.", "warn")
    try:
        event = sess.campaign.dismiss(ids, author=username(request))
    except Exception as exc:  # noqa: BLE001
        return sess, directive_choices(sess), views.note(actions.readable(exc), "error")
    return sess, directive_choices(sess), views.note(f"Dismissed {len(event.ids)}.", "info")


def on_auto(studio: Any, sess: Session, max_rounds: int, aspect: str, resolution: int, quality: str,
            request: gr.Request = None):
    """Run the closed loop (render, verify, reflect, apply) from the current plan, streaming its events."""
    if sess.campaign is None or sess.plan is None:
        yield sess, views.note("Make a plan first.", "warn"), loop_rows(sess)
        return
    plan = sess.plan
    settings = RenderSettings(aspect=plan.storyboard.aspect if plan.task == "pci" else (aspect or None),
                              resolution=int(resolution), quality=quality)
    lines: list[str] = []
    try:
        for event in sess.campaign.run_loop(int(max_rounds), settings=settings, author=username(request)):
            if isinstance(event, Finished):
                sess.rounds += [Round(r.version, r.decision, list(r.applied), list(r.rerendered))
                                for r in event.rounds]
            line = views.event_line(event)
            if line:
                lines.append(line)
                yield sess, "\n\n".join(lines[-24:]), loop_rows(sess)
    except Exception as exc:  # noqa: BLE001 - shown inline
        lines.append(views.note(actions.readable(exc), "error"))
    yield sess, "\n\n".join(lines[-24:]), loop_rows(sess)


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        suggest = gr.Button("Suggest fixes", elem_id="reflect_btn", scale=0, min_width=160)
        status = gr.Markdown(elem_id="reflect_status")
    picks = gr.CheckboxGroup([], label="Suggested directives (reason after the dash)", elem_id="directives")
    with gr.Row():
        apply = gr.Button("Apply selected and re-render", variant="primary", elem_id="apply_btn")
        dismiss = gr.Button("Dismiss selected")
    with gr.Accordion("Automatic loop: render → verify → reflect → apply until accepted", open=False):
        with gr.Row():
            rounds = gr.Slider(1, 5, value=3, step=1, label="Max rounds", scale=2)
            auto = gr.Button("Run the loop", elem_id="auto_btn", scale=1)
        auto_log = gr.Markdown(elem_id="auto_log")
    gr.Markdown("### Storyboard diff (before → after)")
    diff = gr.HTML(views.diff_html([]), elem_id="diff")
    gr.Markdown("### Loop history")
    loop = gr.Dataframe(headers=LOOP_COLUMNS, interactive=False, elem_id="loop")
    ctx.update(auto_btn=auto, auto_rounds=rounds, auto_log=auto_log, reflect_btn=suggest, directives=picks,
               apply_btn=apply, dismiss_btn=dismiss, diff=diff, loop=loop, reflect_status=status)


def wire(studio: Any, state: gr.State, ctx: dict) -> None:
    """Apply -> store the version -> refresh the Plan tab -> re-render (scene cache) -> verify -> the verdict."""
    from .plan import plan_outputs
    from .produce import download_files, on_render
    from .verify import on_verify, verify_outputs

    ctx["reflect_btn"].click(bind(studio, on_reflect), [state], [state, ctx["directives"], ctx["reflect_status"]],
                             api_name="reflect")
    applied = ctx["apply_btn"].click(
        bind(studio, on_apply), [state, ctx["directives"]],
        [state, ctx["directives"], ctx["reflect_status"], ctx["diff"], ctx["loop"]], api_name="apply")
    def refreshed_plan(_studio: Any, s: Session):
        return (s, *plan_outputs(s))

    (applied.success(bind(studio, refreshed_plan), [state], [state, *ctx["plan_outputs"]], api_visibility="private")
     .success(bind(studio, on_render), [state, ctx["render_aspect"], ctx["resolution"], ctx["quality"]],
              [state, ctx["player"], ctx["downloads"], ctx["verify_player"], ctx["render_status"]],
              api_visibility="private")
     .success(bind(studio, on_verify), [state], [state, *ctx["verify_outputs"]], api_visibility="private")
     .success(after_apply, [state], [state, ctx["reflect_status"], ctx["loop"]], api_visibility="private"))
    auto = ctx["auto_btn"].click(
        bind(studio, on_auto), [state, ctx["auto_rounds"], ctx["render_aspect"], ctx["resolution"], ctx["quality"]],
        [state, ctx["auto_log"], ctx["loop"]], api_name="auto_loop")

    def after_loop(_studio: Any, s: Session):
        video = (s.campaign.media("integrated") or s.campaign.media("video")) if s.creative else None
        files = download_files(studio, s) if s.creative else None
        return (s, *plan_outputs(s), video, video, files, *verify_outputs(s), directive_choices(s))

    auto.then(bind(studio, after_loop), [state], [state, *ctx["plan_outputs"], ctx["player"], ctx["verify_player"],
                                    ctx["downloads"], *ctx["verify_outputs"], ctx["directives"]],
              api_visibility="private")
    ctx["dismiss_btn"].click(bind(studio, on_dismiss), [state, ctx["directives"]],
                             [state, ctx["directives"], ctx["reflect_status"]], api_visibility="private")
