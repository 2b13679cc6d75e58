"""Verify tab: scorecard (numbers and a bar chart), compliance findings that seek the player, the decision."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import actions, views
from .session import Session, bind

# Seek the Verify player to a finding's start; runs in the page, touches nothing outside it.
SEEK_JS = """(t) => {
  const v = document.querySelector('#verify_player video');
  if (v && t !== null && t !== undefined && !Number.isNaN(Number(t))) { v.currentTime = Number(t); v.pause(); }
  return t;
}"""


def decision_text(sess: Session) -> str:
    v = sess.verdict
    if v is None:
        return views.note("Not verified yet: render first.", "info")
    worst = v.compliance.worst()
    kind = {"accept": "ok", "revise": "warn", "reject": "error"}[v.decision]
    extra = f" Worst finding: {worst}." if worst else " No compliance findings."
    nxt = {"accept": "Ready for approval (History tab).", "revise": "See the Reflect tab for suggested fixes.",
           "reject": "See the Reflect tab: the plan needs a bigger change."}[v.decision]
    return views.note(f"Decision for plan v{v.plan_version}: **{v.decision}**.{extra} {nxt}", kind)


def verify_outputs(sess: Session) -> tuple:
    mode = sess.plan.mode if sess.plan is not None else "nextads"  # a generic fallback is judged as generic
    return views.scorecard_html(sess.verdict, mode=mode), views.finding_rows(sess.verdict), decision_text(sess)


def on_verify(studio: Any, sess: Session):
    """Verify the current creative against its plan, the person's history and profile."""
    if sess.campaign is None or sess.creative is None:
        return (sess, *verify_outputs(sess))
    try:
        sess.campaign.verify()
    except Exception as exc:  # noqa: BLE001 - shown inline
        return (sess, views.scorecard_html(None), [], views.note(actions.readable(exc), "error"))
    return (sess, *verify_outputs(sess))


def on_finding(sess: Session, evt: gr.SelectData):
    """The start time of the selected finding's row (the JS step seeks the player to it)."""
    if sess.verdict is None or evt is None:
        return None
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    findings = sess.verdict.compliance.findings
    if not 0 <= row < len(findings):
        return None
    ev = findings[row].evidence
    if ev.start is not None:
        return float(ev.start)
    if ev.scene_index is not None and sess.plan and ev.scene_index < len(sess.plan.storyboard.scenes):
        return float(sess.plan.storyboard.scenes[ev.scene_index].start)
    return None


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        verify_btn = gr.Button("Verify again", elem_id="verify_btn", scale=0, min_width=160)
        decision = gr.Markdown(elem_id="decision")
    with gr.Row():
        with gr.Column(scale=3):
            scorecard = gr.HTML(views.scorecard_html(None), elem_id="scorecard")
            findings = gr.Dataframe(headers=views.FINDING_COLUMNS, interactive=False, elem_id="findings",
                                    label="Compliance findings (select one to jump to it)", wrap=True)
        with gr.Column(scale=2):
            player = gr.Video(label="Creative", interactive=False, elem_id="verify_player", height=460)
    seek = gr.Number(visible=False, elem_id="seek_time")
    outputs = [scorecard, findings, decision]
    verify_btn.click(bind(studio, on_verify), [state], [state, *outputs], api_name="verify")
    findings.select(on_finding, [state], seek, api_visibility="private").then(
        None, seek, seek, js=SEEK_JS, api_visibility="private")
    ctx.update(verify_outputs=outputs, verify_player=player, scorecard=scorecard, seek=seek)
