"""Thin calls from the UI into the Studio and the core stages. No decisions are made here."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import rules
from ..errors import InputError, NextAdsError
from ..paths import child
from ..schemas import Creative, CreativePlan, Product, RenderSettings, UserHistory, Verdict
from ..schemas.common import DEFAULT_ASPECT
from .session import LOCAL_USER, Round, Session

DEMO_DEFAULT_USERS = ("u_maya", "u_leo")


def readable(exc: BaseException) -> str:
    """One message a person can act on, never a stack trace."""
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


def product_choices(studio: Any, sess: Session | None = None) -> list[tuple[str, str]]:
    return [(f"{p.name} · {p.brand} ({p.category})", p.product_id) for p in products(studio, sess)]


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


# --- plan ---------------------------------------------------------------------------------------
def run_dir(studio: Any, plan_id: str, version: int, kind: str = "plan") -> Path:
    d = child(studio.data_dir / "runs", plan_id, f"v{version}", kind)
    d.mkdir(parents=True, exist_ok=True)
    return d


def attempt_dir(parent: Path) -> Path:
    """A new folder for one attempt (a render, a collage, a loop) under `parent`: two sessions working on the same
    person, product and version never write into the same folder (the scene cache is shared separately)."""
    import tempfile
    import time

    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"), dir=parent))


def make_plan(studio: Any, sess: Session, product: Product, *, task: str, mode: str = "nextads",
              duration: float = 15.0, aspect: str = DEFAULT_ASPECT, author: str = "local") -> CreativePlan:
    """Director.plan for the session's person and product, then stored as version 1 of a campaign."""
    director = studio.director
    if task == "pci" and not sess.host_video:
        raise InputError("PCI needs a host video: pick one or upload an MP4.")
    # Ids come from uploads: one safe folder name, checked to stay inside the data dir.
    out_dir = attempt_dir(child(studio.data_dir / "runs" / "_planning",
                                f"{sess.user_id}_{product.product_id}_{task}_{mode}"))
    host = sess.host_video if task == "pci" else None
    plan = director.plan(
        sess.history, product, task=task, mode=mode, host_video=host,
        duration=duration, aspect=rules.plan_aspect(task, host, aspect), seed=studio.settings.seed, out_dir=out_dir,
    )
    if mode == "nextads":
        sess.campaign_id = store_campaign(studio, sess, plan, author)
    return plan


def store_campaign(studio: Any, sess: Session, plan: CreativePlan, author: str) -> int:
    """A new campaign (person x product x task x mode) with the plan as version 1."""
    store = studio.store
    campaign = store.create_campaign(sess.history if plan.mode == "nextads" else None, plan.product,
                                     task=plan.task, mode=plan.mode, author=author)
    store.save_plan_version(campaign.id, plan, author=author, expected_version=0, note="planned by the Director")
    return campaign.id


def store_version(studio: Any, sess: Session, plan: CreativePlan, author: str, expected: int, note: str = "") -> None:
    """Append a plan version; a concurrent edit raises ConflictError ("the plan changed since you opened it")."""
    if sess.campaign_id is not None:
        studio.store.save_plan_version(sess.campaign_id, plan, author=author, expected_version=expected,
                                                 note=note)


def save_version(studio: Any, sess: Session, plan: CreativePlan, author: str, note: str) -> CreativePlan:
    """Store the edited plan as the next version (optimistic check against the version we opened)."""
    base = sess.plan
    data = plan.model_dump()
    data.update(version=base.version + 1, parent_version=base.version, notes=[*plan.notes, note])
    new = CreativePlan.model_validate(data)
    store_version(studio, sess, new, author, base.version, note)
    return new


def record_creative(studio: Any, sess: Session, creative: Creative) -> None:
    if sess.campaign_id is not None:
        row = studio.store.add_creative(sess.campaign_id, creative.plan_version, creative)
        sess.creative_id = row.id


def record_verdict(studio: Any, sess: Session, verdict: Verdict) -> None:
    if sess.campaign_id is not None:
        studio.store.add_verdict(sess.campaign_id, verdict, sess.creative_id)


def propose_directives(studio: Any, sess: Session, directives: list[Any]) -> list[int | None]:
    """Record the Reflector's proposals; returns their store ids (None when no campaign is stored)."""
    if sess.campaign_id is None:
        return [None] * len(directives)
    store = studio.store
    return [store.add_directive(sess.campaign_id, d, plan_version=sess.plan.version).id for d in directives]


def set_directive_status(studio: Any, ids: list[int | None], status: str, by: str) -> None:
    store = studio.store
    for i in ids:
        if i is not None:
            store.set_directive_status(i, status, by)


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
    if sess.campaign_id is None:
        raise InputError("Nothing to approve yet: make a plan, render and verify it first.")
    user = studio_user(studio, name)
    store = studio.store
    if action == "approve":
        return store.approve(sess.campaign_id, user.username, comment, creative_id=sess.creative_id)
    return store.reject(sess.campaign_id, user.username, comment)


def role_of(studio: Any, name: str) -> str:
    if name == LOCAL_USER and not studio.settings.login_required:
        return "admin"
    try:
        return studio.store.get_user(name).role
    except InputError:
        return "editor"


def edited_plan(plan: CreativePlan, rows: list[list[Any]], hook: str, cta: str) -> CreativePlan:
    """The plan with the table's storyboard; pydantic reports what is wrong with the edit."""
    scenes = []
    for i, row in enumerate(rows):
        _, start, end, goal, visual, motion, narration, text, focus = (list(row) + [None] * 9)[:9]
        old = plan.storyboard.scenes[i] if i < len(plan.storyboard.scenes) else None
        scenes.append({
            **(old.model_dump() if old else {}), "index": i, "start": _num(start, f"scene {i} start"),
            "end": _num(end, f"scene {i} end"), "shot_goal": str(goal or ""), "visual": str(visual or ""),
            "camera_motion": str(motion or "static"), "narration": str(narration or ""),
            "on_screen_text": str(text or ""), "product_focus": _truthy(focus),
        })
    board = {**plan.storyboard.model_dump(), "scenes": scenes, "hook": hook, "cta": cta,
             "duration_sec": scenes[-1]["end"] if scenes else plan.storyboard.duration_sec}
    return CreativePlan.model_validate({**plan.model_dump(), "storyboard": board})


def _num(value: Any, what: str) -> float:
    try:
        return round(float(value), 3)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what}: {value!r} is not a number of seconds") from exc


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1", "y", "x"}
    return bool(value)


# --- produce, verify, reflect ------------------------------------------------------------------
def render(studio: Any, plan: CreativePlan, *, aspect: str, resolution: int, quality: str,
           progress: Callable[[float, str], None] | None = None,
           cancel: threading.Event | None = None) -> Creative:
    from ..sweep import sweep_stale

    sweep_stale(studio.data_dir)  # folders left by renders that were killed half-way
    producer = studio.producer
    settings = RenderSettings(aspect=aspect, resolution=resolution, quality=quality)
    out_dir = attempt_dir(run_dir(studio, plan.plan_id, plan.version, f"render_{aspect.replace(':', 'x')}_{resolution}"))
    return producer.render(plan, out_dir, settings, progress=progress, cancel=cancel)


def verify(studio: Any, sess: Session, plan: CreativePlan, creative: Creative) -> Verdict:
    verifier = studio.verifier
    # A GenericAds plan carries no profile; personalization is still judged against the real person.
    return verifier.verify(plan, creative, history=sess.history, profile=plan.profile or sess.profile)


def reflect(studio: Any, plan: CreativePlan, verdict: Verdict, feedback: list | None = None) -> list[Any]:
    return list(studio.reflector.reflect(plan, verdict, feedback or []))


def apply_directives(plan: CreativePlan, directives: list[Any]) -> CreativePlan:
    """All selected directives as one new plan version."""
    from ..reflector import apply_all

    return apply_all(plan, directives)


def plan_changes(old: CreativePlan | None, new: CreativePlan | None) -> list[tuple[str, Any, Any]]:
    """Field-level before/after rows between two plan versions (the Reflector's diff)."""
    if old is None or new is None:
        return []
    from ..reflector import plan_diff

    rows = []
    for r in plan_diff(old, new):
        where = "plan" if r["scene"] is None else f"scene {r['scene']} ({r['start']:.1f}-{r['end']:.1f}s)"
        rows.append((f"{where}: {r['field']}", r["before"], r["after"]))
    return rows


def simulate_impressions(studio: Any, plan: CreativePlan, n: int, seed: int = 7):
    """Rows per impression and engagement series from the Reflector's evolution simulation."""
    from ..reflector import evolution

    return evolution.simulate_for_ui(plan, n, seed=seed, embedder=studio.embedder)


def regrounded(studio: Any, plan: CreativePlan, user_images: list[str], product_image: str | None,
               extra: list[str], uploader: str = "local") -> CreativePlan:
    """The plan with its collage and scene assets rebuilt from the chosen images (order kept) and product image;
    uploaded extras join the user images, with their provenance recorded as the licence."""
    from ..director import grounding

    images = [*user_images, *[e for e in extra if e not in user_images]]
    product = plan.product
    if product_image and product_image in product.images:
        product = product.model_copy(update={"images": [product_image,
                                                         *[i for i in product.images if i != product_image]]})
    start = plan.integration.start_frame_path if plan.integration else None
    out = attempt_dir(run_dir(studio, plan.plan_id, plan.version + 1, "collage"))
    collage = grounding.build_collage(images[:4], product.images[0], out / "collage.png", start)
    personal = plan.mode == "nextads" and plan.match is not None and not plan.match.fallback_generic
    interest = plan.profile.tier(plan.match.chosen_tier) if personal and plan.profile else None
    palette = plan.profile.visual.palette if personal and plan.profile and plan.profile.visual else []
    ground = grounding.ground(
        plan.storyboard, product, user_images=images, user_palette=palette, collage=collage, start_frame=start,
        task=plan.task, personal=personal, keywords=interest.keywords if interest else [],
        audience_licenses={e: f"uploaded in the studio by {uploader}" for e in extra},
    )
    data = plan.model_dump()
    data.update(product=product.model_dump(), grounding=ground.model_dump())
    return CreativePlan.model_validate(data)


def run_loop(studio: Any, sess: Session, max_rounds: int, aspect: str, resolution: int, quality: str,
             author: str):
    """The pipeline's closed loop from the session's plan; every version, creative and verdict is stored as it
    lands, and the session follows the loop. Yields the pipeline's StageEvents unchanged."""
    from ..pipeline import run_loop as loop

    settings = RenderSettings(aspect=aspect, resolution=resolution, quality=quality)
    out = attempt_dir(run_dir(studio, sess.plan.plan_id, sess.plan.version, "loop"))
    events = loop(studio, sess.history, sess.plan.product, task=sess.plan.task, mode=sess.plan.mode,
                  render_settings=settings, out_dir=out, max_rounds=max_rounds, plan=sess.plan,
                  cancel=threading.Event())
    for event in events:
        kind, stage_name = type(event).__name__, getattr(event, "stage", "")
        if kind == "StageFinished" and stage_name == "apply":
            store_version(studio, sess, event.output, author, sess.plan.version, "automatic loop")
            sess.previous_plan, sess.plan = sess.plan, event.output
        elif kind == "StageFinished" and stage_name == "render":
            sess.creative, sess.verdict = event.output, None
            record_creative(studio, sess, event.output)
        elif kind == "StageFinished" and stage_name == "verify":
            sess.verdict = event.output
            record_verdict(studio, sess, event.output)
        elif kind == "LoopFinished":
            sess.rounds += [Round(version=r["version"], decision=r["decision"],
                                  applied=[d["kind"] for d in r["directives"] if d["status"] == "apply"],
                                  rerendered=r["scenes_rerendered"]) for r in event.history]
        yield event
