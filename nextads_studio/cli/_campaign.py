"""The CLI on the campaign core: every command records what it made into the store.

A run belongs to the campaign named "<person> × <product>" (or ``--campaign NAME``); the first command creates
it, later ones add versions to it. ``nextads plan`` leaves a ``campaign.json`` next to ``plan.json`` so that
``render``, ``verify`` and ``reflect`` on that plan record into the same campaign.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError

AUTHOR = "cli"
LINK = "campaign.json"


def add_campaign_arg(parser) -> None:
    parser.add_argument("--campaign", metavar="NAME",
                        help='record into this campaign (default: "<person> × <product>"; created if new)')


def campaign_for(studio, history, product, brief, name: str | None = None):
    """The stored campaign called ``name`` (default "<person> × <product>") for this person, product, task and
    mode, or a new one. A name already used for another person or product is refused."""
    from ..campaign import Brief, Campaign, default_name

    name = name or default_name(history if brief.mode == "nextads" else None, product)
    person = history.user_id if history is not None and brief.mode == "nextads" else None
    for row in reversed(studio.store.find_campaigns(name)):
        same = (row.audience_user_id, row.product_id, row.task, row.mode) == (person, product.product_id,
                                                                            brief.task, brief.mode)
        if not same:
            raise InputError(f"--campaign {name!r} is campaign {row.id} for {row.audience_user_id or 'everyone'} × "
                             f"{row.product_id} ({row.task}, {row.mode}); choose another name")
        camp = Campaign.open(studio, int(row.id), history)
        camp.brief = Brief(brief.task, brief.mode, brief.duration, brief.aspect, brief.host_video, name)
        return camp
    return studio.new_campaign(history, product, Brief(brief.task, brief.mode, brief.duration, brief.aspect,
                                                       brief.host_video, name), author=AUTHOR)


def write_link(folder: Path, camp) -> None:
    from ..atomic import write_json

    write_json(Path(folder) / LINK, {"campaign": camp.id, "name": camp.name, "version": camp.version})


def linked_campaign(studio, plan, plan_path: Path, name: str | None = None):
    """The campaign a plan file belongs to (its campaign.json, else by name), with this plan as its current
    version: a plan edited outside the studio is saved as a new version first. None when the plan's person is
    not in the store (a plan written by another tool): then nothing can be recorded."""
    from ..campaign import Brief

    link = Path(plan_path).parent / LINK
    camp = None
    if name is None and link.is_file():
        try:
            cid = int(json.loads(link.read_text(encoding="utf-8"))["campaign"])
            camp = studio.open_campaign(cid)
        except (ValueError, KeyError, TypeError, InputError):
            camp = None  # a stale or foreign link: fall back to the name
    if camp is None:
        history = studio.store.stored_history(plan.user_id) if plan.user_id else None
        if plan.mode == "nextads" and history is None:
            return None
        host = plan.integration.host_video_path if plan.integration else None
        brief = Brief(plan.task, plan.mode, plan.storyboard.duration_sec, plan.storyboard.aspect, host)
        camp = campaign_for(studio, history, plan.product, brief, name)
    if camp.current is None or camp.current.content_hash() != plan.content_hash():
        camp.save_plan(plan, AUTHOR, f"{AUTHOR} saved {Path(plan_path).name}"
                       + (" (edited outside the studio)" if camp.current is not None else ""))
    write_link(Path(plan_path).parent, camp)
    return camp


def stored(camp) -> dict[str, Any]:
    """What a command's JSON says about where it was recorded."""
    if camp is None:
        return {"campaign": None, "campaign_note": "not recorded: the plan's person is not in the store "
                                                   "(make the plan with `nextads plan` to record its campaign)"}
    return {"campaign": camp.id, "campaign_name": camp.name, "version": camp.version}
