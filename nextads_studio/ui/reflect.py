"""Reflect tab: suggested directives with reasons, apply or dismiss, the storyboard diff, the loop history."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import actions, views
from .session import Round, Session, bind, username

LOOP_COLUMNS = ["round", "plan version", "decision", "directives applied", "scenes re-rendered"]


def directive_choices(sess: Session) -> gr.update:
    labels = [(views.directive_label(d, i), str(i)) for i, d in enumerate(sess.directives)]
    return gr.update(choices=labels, value=[str(i) for i in range(len(labels))])


def loop_rows(sess: Session) -> list[list[Any]]:
    return [[i + 1, r.version, r.decision, ", ".join(r.applied) or "-",
             ", ".join(map(str, r.rerendered)) or "-"] for i, r in enumerate(sess.rounds)]


def on_reflect(studio: Any, sess: Session):
    """Ask the Reflector for minimal directives for the current verdict."""
    if sess.plan is None or sess.verdict is None:
        return sess, gr.update(choices=[], value=[]), views.note("Render and verify first.", "warn")
    try:
        sess.directives = actions.reflect(studio, sess.plan, sess.verdict)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return sess, gr.update(choices=[], value=[]), views.note(actions.readable(exc), "error")
    sess.directive_ids = actions.propose_directives(studio, sess, sess.directives)
    if not sess.directives:
        msg = "Nothing to fix: the verdict accepts this creative." if sess.verdict.decision == "accept" \
            else "No directive applies; edit the plan by hand."
        return sess, directive_choices(sess), views.note(msg, "ok")
    return sess, directive_choices(sess), views.note(f"{len(sess.directives)} suggested fix(es).", "info")


def _picked(sess: Session, selected: list[str] | None) -> list[int]:
    return sorted({int(s) for s in (selected or []) if str(s).isdigit() and int(s) < len(sess.directives)})


def _drop(sess: Session, idx: list[int]) -> None:
    keep = [i for i in range(len(sess.directives)) if i not in idx]
    sess.directives = [sess.directives[i] for i in keep]
    sess.directive_ids = [sess.directive_ids[i] for i in keep if i < len(sess.directive_ids)]


def on_apply(studio: Any, sess: Session, selected: list[str] | None, request: gr.Request = None):
    """Apply the selected directives as one new plan version and show the diff."""
    idx = _picked(sess, selected)
    picked = [sess.directives[i] for i in idx]
    if sess.plan is None or not picked:
        return (sess, gr.update(), views.note("Select at least one suggested fix.", "warn"),
                views.diff_html([]), loop_rows(sess))
    try:
        old = sess.plan
        new = actions.apply_directives(old, picked)
        actions.store_version(studio, sess, new, username(request), old.version)
        actions.set_directive_status(studio, [sess.directive_ids[i] for i in idx if i < len(sess.directive_ids)],
                                     "applied", username(request))
    except Exception as exc:  # noqa: BLE001
        return (sess, gr.update(), views.note(actions.readable(exc), "error"), views.diff_html([]), loop_rows(sess))
    decision = sess.verdict.decision if sess.verdict else "-"
    sess.rounds.append(Round(version=old.version, decision=decision, applied=[d.kind for d in picked]))
    sess.previous_plan, sess.plan = old, new
    _drop(sess, idx)
    changes = actions.plan_changes(old, new)
    return (sess, directive_choices(sess), views.note(
        f"Applied {len(picked)} fix(es): plan v{new.version}. Re-rendering the changed scenes…", "ok"),
        views.diff_html(changes), loop_rows(sess))


def on_dismiss(studio: Any, sess: Session, selected: list[str] | None, request: gr.Request = None):
    idx = _picked(sess, selected)
    try:
        actions.set_directive_status(studio, [sess.directive_ids[i] for i in idx if i < len(sess.directive_ids)],
                                     "dismissed", username(request))
    except Exception as exc:  # noqa: BLE001
        return sess, directive_choices(sess), views.note(actions.readable(exc), "error")
    _drop(sess, idx)
    return sess, directive_choices(sess), views.note(f"Dismissed {len(idx)}.", "info")


def on_auto(studio: Any, sess: Session, max_rounds: int, aspect: str, resolution: int, quality: str,
            request: gr.Request = None):
    """Run the closed loop (render, verify, reflect, apply) from the current plan, streaming its events."""
    if sess.plan is None:
        yield sess, views.note("Make a plan first.", "warn"), loop_rows(sess)
        return
    lines: list[str] = []
    try:
        for event in actions.run_loop(studio, sess, int(max_rounds), aspect, int(resolution), quality,
                                      username(request)):
            line = views.event_line(event)
            if line:
                lines.append(line)
                yield sess, "\n\n".join(lines[-24:]), loop_rows(sess)
    except Exception as exc:  # noqa: BLE001 - shown inline
        lines.append(views.note(actions.readable(exc), "error"))
    yield sess, "\n\n".join(lines[-24:]), loop_rows(sess)


def after_render(sess: Session):
    """Note which scenes the last render actually re-rendered, for the loop history."""
    if sess.rounds and sess.creative is not None and sess.creative.plan_version == sess.plan.version:
        sess.rounds[-1].rerendered = list(sess.creative.scenes_rerendered)
    return sess, loop_rows(sess)


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
    """Apply -> store the version -> refresh the Plan tab -> re-render (scene cache) -> verify."""
    from .plan import plan_outputs
    from .produce import on_render
    from .verify import on_verify, verify_outputs

    ctx["reflect_btn"].click(bind(studio, on_reflect), [state], [state, ctx["directives"], ctx["reflect_status"]],
                             api_name="reflect")
    applied = ctx["apply_btn"].click(
        bind(studio, on_apply), [state, ctx["directives"]],
        [state, ctx["directives"], ctx["reflect_status"], ctx["diff"], ctx["loop"]], api_name="apply")
    (applied.success(lambda s: (s, *plan_outputs(s)), [state], [state, *ctx["plan_outputs"]],
                     api_visibility="private")
     .success(bind(studio, on_render), [state, ctx["render_aspect"], ctx["resolution"], ctx["quality"]],
              [state, ctx["player"], ctx["downloads"], ctx["verify_player"], ctx["render_status"]],
              api_visibility="private")
     .success(bind(studio, on_verify), [state], [state, *ctx["verify_outputs"]], api_visibility="private")
     .success(after_render, [state], [state, ctx["loop"]], api_visibility="private"))
    auto = ctx["auto_btn"].click(
        bind(studio, on_auto), [state, ctx["auto_rounds"], ctx["render_aspect"], ctx["resolution"], ctx["quality"]],
        [state, ctx["auto_log"], ctx["loop"]], api_name="auto_loop")
    auto.success(lambda s: (s, *plan_outputs(s)), [state], [state, *ctx["plan_outputs"]], api_visibility="private")
    auto.success(lambda s: (s.creative.video_path if s.creative else None,) * 2, [state],
                 [ctx["player"], ctx["verify_player"]], api_visibility="private")
    auto.success(lambda s: verify_outputs(s), [state], ctx["verify_outputs"], api_visibility="private")
    ctx["dismiss_btn"].click(bind(studio, on_dismiss), [state, ctx["directives"]],
                             [state, ctx["directives"], ctx["reflect_status"]], api_visibility="private")
