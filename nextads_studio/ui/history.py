"""History & approval tab: versions, verdicts, directives, approvals with comments, the audit trail."""

from __future__ import annotations

from typing import Any

import gradio as gr

from . import actions, views
from .impressions import FEEDBACK_COLUMNS, feedback_rows
from .session import Session, bind, username

TABLES = {
    "versions": ["Version", "From", "Who", "What changed", "When"],
    "verdicts": ["Version", "Decision", "Critical finding", "AI label", "When"],
    "directives": ["Version", "Fix", "Status", "By", "Reason"],
    "approvals": ["Version", "Action", "Who", "Comment", "When"],
    "feedback": FEEDBACK_COLUMNS,
    "audit": ["When", "Who", "Action", "Details"],
}


def _t(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""


def history_tables(studio: Any, sess: Session) -> tuple:
    """The campaign's records as table rows (empty before the first plan)."""
    cid = sess.campaign_id
    if cid is None:
        return (views.note("No campaign yet: make a plan first.", "info"), *([] for _ in TABLES))
    store = studio.store
    versions = [[v.version, v.parent_version or "-", v.author or "-", v.note or "-", _t(v.created_at)]
                for v in store.plan_versions(cid)]
    verdicts = [[v.plan_version, v.decision, v.has_critical, v.ai_label, _t(v.created_at)]
                for v in store.verdicts(cid)]
    directives = [[d.plan_version, d.kind, d.status, d.status_by or "", d.data.get("reason", "")]
                  for d in store.directives(cid)]
    approvals = [[a.plan_version, a.action, a.username, a.comment, _t(a.at)] for a in store.approvals(cid)]
    audit = [[_t(e.at), e.actor, e.action, ", ".join(f"{k}={v}" for k, v in e.detail.items())]
             for e in store.audit_log(cid)][::-1]
    camp = store.get_campaign(cid)
    current = store.current_approval(cid)
    status = f"Campaign **{camp.name or cid}** · status **{camp.status}**" + (
        f" · approved by {current.username} (v{current.plan_version})" if current else "")
    feedback = feedback_rows(studio, sess)  # per version: impressions, rates with 90% intervals, the decision
    return (status, versions, verdicts, directives, approvals, feedback, audit)


def on_refresh(studio: Any, sess: Session):
    try:
        return history_tables(studio, sess)
    except Exception as exc:  # noqa: BLE001 - shown inline
        return (views.note(actions.readable(exc), "error"), *([] for _ in TABLES))


def on_decide(studio: Any, sess: Session, comment: str, action: str, request: gr.Request = None):
    """Approve or reject; the store checks the role and the approval rules and says what is missing."""
    try:
        event = actions.decide(studio, sess, username(request), action, comment or "")
        msg = views.note(f"{event.action}d plan v{event.version} as {event.by}.", "ok")
    except Exception as exc:  # noqa: BLE001
        msg = views.note(actions.readable(exc), "error")
    return (msg, *on_refresh(studio, sess))


def on_approve(studio: Any, sess: Session, comment: str, request: gr.Request = None):
    return on_decide(studio, sess, comment, "approve", request)


def on_reject(studio: Any, sess: Session, comment: str, request: gr.Request = None):
    return on_decide(studio, sess, comment, "reject", request)


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    with gr.Row():
        refresh = gr.Button("Refresh", scale=0, min_width=120, elem_id="history_refresh")
        status = gr.Markdown(elem_id="campaign_status")
    with gr.Row():
        comment = gr.Textbox(label="Comment", placeholder="Why you approve or reject", elem_id="approval_comment")
        approve = gr.Button("Approve", variant="primary", elem_id="approve_btn", scale=0, min_width=140)
        reject = gr.Button("Reject", variant="stop", elem_id="reject_btn", scale=0, min_width=140)
    decision = gr.Markdown(elem_id="approval_status")
    tables = {}
    for name, headers in TABLES.items():
        label = "Feedback per version (real impressions)" if name == "feedback" else name.capitalize()
        with gr.Accordion(label, open=name in ("versions", "approvals", "feedback")):
            elem_id = "version_feedback_table" if name == "feedback" else f"{name}_table"  # unique on the page
            tables[name] = gr.Dataframe(headers=headers, interactive=False, wrap=True, elem_id=elem_id)
    outs = [status, *tables.values()]
    refresh.click(bind(studio, on_refresh), [state], outs, api_visibility="private")
    approve.click(bind(studio, on_approve), [state, comment], [decision, *outs], api_name="approve")
    reject.click(bind(studio, on_reject), [state, comment], [decision, *outs], api_name="reject")
    ctx.update(history_outputs=outs, approve_btn=approve, reject_btn=reject, history_refresh=refresh)
