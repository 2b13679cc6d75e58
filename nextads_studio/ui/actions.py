"""Thin calls from the UI into the Studio and the campaign core: choices for the pickers, uploads kept in the data
dir, who the signed-in person is. The workflow itself is campaign.Campaign; no decisions are made here."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import ValidationError

from ..campaign import Brief, Campaign, EditRejected, list_campaigns
from ..campaign import plan_changes as campaign_plan_changes
from ..errors import InputError, NextAdsError
from ..schemas import CreativePlan, Product, UserHistory
from .session import LOCAL_USER, Session

DEMO_DEFAULT_USERS = ("u_maya", "u_leo")


def readable(exc: BaseException) -> str:
    """One message a person can act on, never a stack trace."""
    if isinstance(exc, EditRejected):
        return f"{len(exc.errors)} problem(s), nothing saved — " + "; ".join(map(str, exc.errors))
    if isinstance(exc, ValidationError):
        lines = []
        for err in exc.errors()[:6]:
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "__root__") or "plan"
            msg = str(err.get("msg", "")).removeprefix("Value error, ")
            lines.append(f"{where}: {msg}")
        return "; ".join(lines)
    if isinstance(exc, (NextAdsError, ValueError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


# --- audience and products ---------------------------------------------------------------------
def audience(studio: Any, sess: Session | None = None) -> dict[str, UserHistory]:
    users = dict(studio.audience)
    if sess is not None:
        users.update(sess.uploaded)
    return users


def user_choices(studio: Any, sess: Session | None = None) -> list[tuple[str, str]]:
    out = []
    for uid, h in audience(studio, sess).items():
        n = len(h.notes) if h.kind == "notes" else len(h.videos)
        out.append((f"{uid} · {n} {h.kind}" + (" · host video" if h.host_video else ""), uid))
    return out


def default_user(studio: Any) -> str | None:
    users = audience(studio)
    return next((u for u in DEMO_DEFAULT_USERS if u in users), next(iter(users), None))


def products(studio: Any, sess: Session | None = None) -> list[Product]:
    """The library's products, then the ones created in this session."""
    own = list(sess.products.values()) if sess is not None else []
    return list(studio.library.products) + own


def add_product(studio: Any, product: Product, by: str = LOCAL_USER) -> None:
    """Keep a product made in the studio: saved into the data dir's library (a new id, never a replacement),
    which is reloaded on next use; the audit log records who added it."""
    from ..library import save_products

    save_products([product], studio.data_dir, taken=[p.product_id for p in studio.library])
    studio.__dict__.pop("library", None)  # Studio.library is a cached property
    studio.store.record("product_added", by, product_id=product.product_id, name=product.name)


def replace_product(studio: Any, product: Product, by: str = LOCAL_USER) -> None:
    """Update a product a person imported (the data-dir library; shipped products are never replaced); the audit
    log records who changed it."""
    from ..library import ProductLibrary, save_products

    shipped = [p.product_id for p in ProductLibrary.load(studio.settings.library_dir)]
    save_products([product], studio.data_dir, replace=True, taken=shipped)
    studio.__dict__.pop("library", None)
    studio.store.record("product_updated", by, product_id=product.product_id, brand=product.brand)


def product_choices(studio: Any, sess: Session | None = None) -> list[tuple[str, str]]:
    return [(f"{p.name} · {p.brand if p.brand.lower() != 'unknown' else 'brand unknown'} ({p.category})",
             p.product_id) for p in products(studio, sess)]


def get_product(studio: Any, product_id: str | None, sess: Session | None = None) -> Product:
    if not product_id:
        raise InputError("Pick a product first.")
    if sess is not None and product_id in sess.products:
        return sess.products[product_id]
    return studio.library.get(product_id)


def host_video_choices(studio: Any, sess: Session | None = None) -> list[tuple[str, str]]:
    """Host videos from the video-history users (MicroLens layout: the last vid). The value is the person's id,
    never a server path (the page and its API info show no paths)."""
    out = []
    for uid, h in audience(studio, sess).items():
        if h.host_video and h.host_video.video_path:
            out.append((f"{h.host_video.title or h.host_video.vid} (host of {uid})", uid))
    return out


def host_video_path(studio: Any, sess: Session | None, key: str | None) -> str | None:
    """The host video file picked in the dropdown (a person's id)."""
    if not key:
        return None
    h = audience(studio, sess).get(key)
    if h is None or not h.host_video or not h.host_video.video_path:
        raise InputError(f"{key!r} has no host video; pick one from the list or upload an MP4.")
    return h.host_video.video_path


# --- campaigns ----------------------------------------------------------------------------------
def new_campaign(studio: Any, sess: Session, product: Product, *, task: str, duration: float, aspect: str,
                 author: str, mode: str = "nextads") -> Campaign:
    """A new stored campaign for the session's person and product (the Plan button's "new campaign")."""
    if task == "pci" and not sess.host_video:
        raise InputError("PCI needs a host video: pick one or upload an MP4.")
    brief = Brief(task=task, mode=mode, duration=float(duration), aspect=aspect,
                  host_video=sess.host_video if task == "pci" else None)
    return studio.new_campaign(sess.history, product, brief, author=author)


def campaign_choices(studio: Any, viewer: str = LOCAL_USER, person: str | None = None) -> list[tuple[str, str]]:
    """The picker's lines (see picker_line) for the campaigns `viewer` may see (approvers all; an editor the ones
    they created or edited)."""
    out = []
    signed_in = bool(studio.settings.login_required)
    for c in list_campaigns(studio.store, person):
        if not studio.store.can_read_campaign(viewer, c.id, signed_in=signed_in):
            continue
        out.append((picker_line(c), str(c.id)))
    return out


VERIFIER_SAYS = {"accept": "accepted", "revise": "to revise", "reject": "failed the check"}


def picker_line(c: Any) -> str:
    """'u_rhea × Throwline Apron — v3 · rendered · accepted · approved · 2026-11-29 23:49': the name once (a
    renamed campaign adds the person and product it does not name), then where it stands."""
    name = c.name
    missing = [x for x in (c.person, c.product) if x.casefold() not in name.casefold()]
    if missing:
        name += f" ({' × '.join(missing)})"
    if not c.versions:
        stage = ["no plan yet"]
    elif not c.rendered:
        stage = [f"v{c.versions}", "planned"]
    else:
        stage = [f"v{c.versions}", "rendered", VERIFIER_SAYS.get(c.latest_decision, c.latest_decision)]
    return f"{name} — {' · '.join([*stage, c.approval, c.updated_at])}"


def studio_user(studio: Any, name: str) -> Any:
    """The store's user for this session. Without sign-in (loopback only) the one local person is an admin,
    created on first use with a random password nobody knows, so sign-in as 'local' is impossible."""
    store = studio.store
    try:
        return store.get_user(name)
    except InputError:
        if name != LOCAL_USER or studio.settings.login_required:
            raise
        return store.add_user(LOCAL_USER, secrets.token_urlsafe(24), role="admin", by="studio")


def decide(studio: Any, sess: Session, name: str, action: str, comment: str) -> Any:
    """Approve or reject the campaign; the store enforces roles and the approval rules."""
    if sess.campaign is None:
        raise InputError("Nothing to approve yet: make a plan, render and verify it first.")
    user = studio_user(studio, name)
    if action == "approve":
        return sess.campaign.approve(user.username, comment)
    return sess.campaign.reject(user.username, comment)


def role_of(studio: Any, name: str) -> str:
    if name == LOCAL_USER and not studio.settings.login_required:
        return "admin"
    try:
        return studio.store.get_user(name).role
    except InputError:
        return "editor"


def scene_edits(rows: list[list[Any]]) -> list[dict[str, Any]]:
    """Storyboard table rows as the campaign's scene edits (the table's columns, in order)."""
    keys = ("index", "start", "end", "shot_goal", "visual", "camera_motion", "narration", "on_screen_text",
            "product_focus")
    return [dict(zip(keys, (list(row) + [None] * len(keys))[: len(keys)], strict=True)) for row in rows]


def plan_changes(old: CreativePlan | None, new: CreativePlan | None) -> list[tuple[str, str, str]]:
    """(where · what, before, after) rows of the diff between two plan versions, in words."""
    return [(f"{c.where}: {c.field}", c.before, c.after) for c in campaign_plan_changes(old, new)]
