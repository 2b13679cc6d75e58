"""`nextads users add|list`, `nextads campaigns list|show`, `nextads export CAMPAIGN --out DIR`."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from ..errors import InputError
from ._common import emit

PASSWORD_ENV = "NEXTADS_NEW_PASSWORD"


def _store():
    from ..settings import Settings
    from ..store import Store

    return Store.open(Settings())


def _new_password(username: str) -> str:
    """From NEXTADS_NEW_PASSWORD (for scripts) or asked twice without echo; there is no default password."""
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise InputError(f"no password for {username}: set {PASSWORD_ENV} or run in a terminal to be asked")
    first = getpass.getpass(f"password for {username}: ")
    if first != getpass.getpass("again: "):
        raise InputError("the two passwords differ; nothing was saved")
    return first


def _user_row(u) -> dict:
    return {"id": u.id, "username": u.username, "role": u.role, "created_at": u.created_at,
            "last_login_at": u.last_login_at}


def _users_add(args) -> int:
    password = _new_password(args.username)
    with _store() as store:
        return emit(_user_row(store.add_user(args.username, password, args.role, by="cli")))


def _users_list(args) -> int:
    with _store() as store:
        return emit([_user_row(u) for u in store.list_users()])


def _campaign_row(c) -> dict:
    return c.model_dump(mode="json")


def _campaigns_list(args) -> int:
    from dataclasses import asdict

    from ..campaign import list_campaigns

    with _store() as store:
        return emit([asdict(row) for row in list_campaigns(store, person=args.person)])


def _campaigns_show(args) -> int:
    with _store() as store:
        return emit(_campaign_summary(store, args.campaign))


def _campaign_summary(store, cid: int) -> dict:
    camp = store.get_campaign(cid)
    latest = store.latest_plan(cid)
    approval = store.current_approval(cid)
    return {
        "campaign": _campaign_row(camp),
        "versions": [{"version": v.version, "parent_version": v.parent_version, "author": v.author,
                      "created_at": v.created_at, "content_hash": v.content_hash} for v in store.plan_versions(cid)],
        "latest_plan": latest.data if latest else None,
        "creatives": [{"id": c.id, "plan_version": c.plan_version, "video_sha256": c.video_sha256,
                       "ai_label": c.ai_label} for c in store.creatives(cid)],
        "verdicts": [{"id": v.id, "plan_version": v.plan_version, "decision": v.decision,
                      "critical": v.has_critical} for v in store.verdicts(cid)],
        "directives": [{"id": d.id, "kind": d.kind, "status": d.status, "by": d.status_by}
                       for d in store.directives(cid)],
        "approval": approval.model_dump(mode="json") if approval else None,
        "drafts": [d.id for d in store.drafts(cid)],
    }


def _export(args) -> int:
    from ..store import validate_export

    with _store() as store:
        out = store.export_campaign(args.campaign, Path(args.out))
    return emit({"out": str(out), **validate_export(out)})


def register(sub) -> None:
    users = sub.add_parser("users", help="studio users (sign-in and roles)")
    usub = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help=f"add a user; password from a prompt or {PASSWORD_ENV}")
    add.add_argument("username")
    add.add_argument("--role", choices=["editor", "approver", "admin"], default="editor")
    add.set_defaults(handler=_users_add)
    usub.add_parser("list", help="list users (never their passwords)").set_defaults(handler=_users_list)

    camps = sub.add_parser("campaigns", help="list and inspect campaigns")
    csub = camps.add_subparsers(dest="campaigns_command", metavar="ACTION", required=True)
    lst = csub.add_parser("list", help="every campaign (newest first): name, person, product, versions, latest "
                                      "decision and approval; the studio's and the CLI's alike")
    lst.add_argument("--person", help="only this person's campaigns")
    lst.set_defaults(handler=_campaigns_list)
    show = csub.add_parser("show", help="one campaign: versions, creatives, verdicts, directives, approval")
    show.add_argument("campaign", type=int)
    show.set_defaults(handler=_campaigns_show)

    export = sub.add_parser("export", help="export a campaign (plans, verdicts, directives, MP4, SRT, manifest)")
    export.add_argument("campaign", type=int)
    export.add_argument("--out", required=True, help="a new or empty folder")
    export.set_defaults(handler=_export)
