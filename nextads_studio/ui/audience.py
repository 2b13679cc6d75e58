"""Audience & product tab: pick or upload a person, see their history and profile, pick or create a product."""

from __future__ import annotations

from typing import Any

import gradio as gr

from ..schemas.common import ASPECTS, DEFAULT_ASPECT
from . import actions, uploads, views
from .session import Session, bind, username

HISTORY_HEADERS = ["id", "title", "content", "images"]


def on_user(studio: Any, sess: Session, user_id: str | None):
    """Load a person's history and build their profile. Another person starts from scratch: task back to PCG,
    their own host video (or none), no open campaign."""
    if not user_id:
        return sess, [], [], views.profile_html(None), views.note("Pick a person.", "warn")
    try:
        history = actions.audience(studio, sess)[user_id]
        profile = studio.profile(history)
    except Exception as exc:  # noqa: BLE001 - shown to the person, never a stack trace
        return sess, [], [], views.profile_html(None), views.note(actions.readable(exc), "error")
    if user_id != sess.user_id:
        sess.forget_person()
    sess.user_id, sess.history, sess.profile = user_id, history, profile
    if history.host_video and history.host_video.video_path:
        sess.host_video = history.host_video.video_path
    n = len(history.notes) if history.kind == "notes" else len(history.videos)
    status = views.note(f"{user_id}: {n} {history.kind}, language {profile.language}.", "ok")
    return sess, views.history_rows(history), views.history_images(history), views.profile_html(profile), status


def person_controls(studio: Any, sess: Session):
    """Task and host-video controls after a person switch: PCG, and their own host video or nothing."""
    own = sess.user_id if sess.host_video else None  # the host list holds people's ids, never paths
    return (gr.update(value=sess.task), gr.update(value=own), gr.update(value=sess.host_video),
            gr.update(visible=sess.task == "pci"))


def on_upload_history(studio: Any, sess: Session, files: list[str] | None):
    """Import an uploaded history and pick its first person; bad files give a message naming the file and field.
    The same history uploaded again (e.g. after a reload) is said to be loaded already and picked; an id the
    studio holds with other notes gets one sentence saying nothing changed and how to add it."""
    paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
    try:
        result = uploads.import_history(studio, paths)
    except uploads.AlreadyThere as exc:
        return sess, gr.update(), views.note(str(exc), "warn")
    except Exception as exc:  # noqa: BLE001
        return sess, gr.update(), views.note(f"Could not import: {actions.readable(exc)}", "error")
    if not (result.imported or result.unchanged):
        return sess, gr.update(), views.note("Could not import: the upload holds no history.", "error")
    sess.uploaded.update(result.histories)
    first = (result.imported or result.unchanged)[0]
    choices = actions.user_choices(studio, sess)
    said = []
    if result.imported:
        names = ", ".join(f"{u} ({h.kind})" for u, h in list(result.histories.items())[:6])
        said.append(f"Imported {len(result.imported)}: {names}.")
    if result.unchanged:
        said.append(_already(result.unchanged, actions.audience(studio, sess), bool(result.imported)))
    return sess, gr.update(choices=choices, value=first), views.note(" ".join(said), "ok")


def _already(ids: list[str], people: dict, more: bool) -> str:
    """'u_rhea is already loaded with these same 6 notes; selected.' (or several people, or after an import)."""
    if len(ids) == 1:
        h = people[ids[0]]
        n = len(h.notes) if h.kind == "notes" else len(h.videos)
        same = f"these same {n} {h.kind if n != 1 else h.kind[:-1]}"
        return f"{ids[0]} {'was' if more else 'is'} already loaded with {same}" + ("." if more else "; selected.")
    shown = ", ".join(ids[:6]) + (f" and {len(ids) - 6} more" if len(ids) > 6 else "")
    return (f"{shown} {'were' if more else 'are'} already loaded with these same histories"
            + ("." if more else f"; selected {ids[0]}."))


def on_upload_products(studio: Any, sess: Session, files: list[str] | None, request: gr.Request = None):
    """Import an uploaded products.json with its images into the library and pick its first product; a bad file
    gives a message naming the product and field, and nothing is added. The same products uploaded again are said
    to be in the library already and picked; an id held with other details gets one sentence on what to do."""
    paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
    try:
        result = uploads.import_products(studio, paths)
    except uploads.AlreadyThere as exc:
        return sess, gr.update(), views.note(str(exc), "warn")
    except Exception as exc:  # noqa: BLE001
        return sess, gr.update(), views.note(f"Could not import: {actions.readable(exc)}", "error")
    if not (result.imported or result.unchanged):
        return sess, gr.update(), views.note("Could not import: products.json lists no product.", "error")
    for pid in result.imported:
        studio.store.record("product_added", username(request), product_id=pid, source="products.json upload")
    said = []
    if result.imported:
        ids = result.imported
        names = ", ".join(actions.get_product(studio, pid, sess).name for pid in ids[:6])
        said.append(f"Imported {len(ids)} product{'s' if len(ids) != 1 else ''}: {names}.")
    if result.unchanged:
        names = ", ".join(actions.get_product(studio, pid, sess).name for pid in result.unchanged[:6])
        more = bool(result.imported)
        one = len(result.unchanged) == 1
        said.append(f"{names} {('was' if one else 'were') if more else ('is' if one else 'are')} already in the "
                    "library with these same details and images" + ("." if more else "; selected."))
    first = (result.imported or result.unchanged)[0]
    return (sess, gr.update(choices=actions.product_choices(studio, sess), value=first),
            views.note(" ".join(said), "ok"))


def on_product(studio: Any, sess: Session, product_id: str | None):
    """Show the chosen product's image and facts."""
    if not product_id:
        return sess, None, ""
    try:
        product = actions.get_product(studio, product_id, sess)
    except Exception as exc:  # noqa: BLE001
        return sess, None, views.note(actions.readable(exc), "error")
    sess.product_id = product_id
    return sess, product.images[0], product_markdown(product)


def product_markdown(product) -> str:
    points = "".join(f"\n- {p}" for p in product.selling_points)
    facts = ", ".join(f"{k}: {v}" for k, v in product.facts.items())
    by = ("· **brand unknown**: the imported record has none; enter it below before publishing"
          if brand_unknown(product) else f"by {product.brand}")
    slogan = f" — *{product.slogan}*" if product.slogan else ""
    return f"**{product.name}** {by}{slogan}{points}\n\n{facts}"


def brand_unknown(product) -> bool:
    from ..library.reference_products import UNKNOWN_BRAND

    return product.brand.strip().lower() in ("", UNKNOWN_BRAND)


def on_brand_row(studio: Any, sess: Session, product_id: str | None):
    """Show the brand field only for a product whose brand the import could not tell."""
    try:
        product = actions.get_product(studio, product_id, sess) if product_id else None
    except Exception:  # noqa: BLE001 - on_product reports a product it cannot read
        product = None
    unknown = product is not None and brand_unknown(product)
    return gr.update(visible=unknown), gr.update(value="")


def on_set_brand(studio: Any, sess: Session, product_id: str | None, brand: str, request: gr.Request = None):
    """Record the brand of an imported product whose record had none (kept in the data-dir library)."""
    brand = (brand or "").strip()
    try:
        product = actions.get_product(studio, product_id, sess)
        if not brand or brand.lower() == "unknown":
            raise ValueError("enter the product's brand (the name the ad may show and say)")
        if len(brand) > 100:
            raise ValueError(f"the brand has {len(brand)} characters; at most 100")
        product = product.model_copy(update={"brand": brand})
        if product_id in sess.products:
            sess.products[product_id] = product
        else:
            actions.replace_product(studio, product, username(request))
    except Exception as exc:  # noqa: BLE001
        return sess, gr.update(), gr.update(), gr.update(), views.note(actions.readable(exc), "error")
    return (sess, gr.update(choices=actions.product_choices(studio, sess), value=product.product_id),
            product_markdown(product), gr.update(visible=False), views.note(f"Brand set: {brand}.", "ok"))


def on_new_product(studio: Any, sess: Session, name: str, brand: str, category: str, slogan: str, intro: str,
                   points: str, facts: str, image: str | None, logo: str | None, request: gr.Request = None):
    try:
        product = uploads.new_product(studio, name, brand, category, slogan, intro, points, facts, image, logo)
        actions.add_product(studio, product, username(request))
    except Exception as exc:  # noqa: BLE001
        return sess, gr.update(), views.note(actions.readable(exc), "error")
    sess.product_id = product.product_id
    return sess, gr.update(choices=actions.product_choices(studio, sess), value=product.product_id), views.note(
        f"Added {product.name}.", "ok")


def on_task(sess: Session, task: str):
    sess.task = task
    return sess, gr.update(visible=task == "pci")


def on_host_pick(studio: Any, sess: Session, key: str | None):
    try:
        sess.host_video = actions.host_video_path(studio, sess, key)
    except Exception:  # noqa: BLE001 - the list only offers people with a host video
        sess.host_video = None
    return sess, sess.host_video


def on_host_upload(studio: Any, sess: Session, path: str | None):
    """Accept an uploaded host video only if ffmpeg can read it and it is long enough to insert into."""
    if not path:
        return sess, gr.update(), views.note("Upload an MP4.", "warn")
    from ..media_io import probe

    try:
        info = probe(path)
    except Exception as exc:  # noqa: BLE001
        return sess, gr.update(), views.note(f"Host video: {actions.readable(exc)}", "error")
    if info.duration < 8:
        return sess, gr.update(), views.note(
            f"Host video is {info.duration:.1f}s; it needs at least 8s (3s either side of the insert).", "error")
    sess.host_video = str(path)
    return sess, str(path), views.note(f"Host video {info.width}x{info.height}, {info.duration:.1f}s.", "ok")


def build(studio: Any, state: gr.State, ctx: dict) -> None:
    """Lay out the tab and wire its events; shared components go into ctx."""
    users = _safe(lambda: actions.user_choices(studio), [])
    prods = _safe(lambda: actions.product_choices(studio), [])
    default_user = _safe(lambda: actions.default_user(studio), None)
    with gr.Row():
        with gr.Column(scale=1, min_width=320):
            gr.Markdown("### 1. Person")
            user = gr.Dropdown(users, value=default_user, label="Person (demo people and imported histories)",
                               elem_id="user_pick")
            user_status = gr.Markdown(elem_id="user_status")
            upload = gr.File(label="…or upload a history: a .zip holding the CSV (or notes.json / MicroLens "
                             "users.json) and its images, or the CSV together with its images as several files",
                             file_count="multiple", file_types=[".zip", ".csv", ".json", "image", "video"],
                             elem_id="history_upload", height=110)
            # the upload's own line: picking the person afterwards rewrites user_status, not what the upload said
            upload_status = gr.Markdown(elem_id="history_upload_status")
            gr.Markdown("### 2. Product")
            product = gr.Dropdown(prods, value=prods[0][1] if prods else None, label="Product", elem_id="product_pick")
            product_upload = gr.File(label="…or import products: a products.json together with the images and logos "
                                     "it names as several files, or a .zip of that folder",
                                     file_count="multiple", file_types=[".zip", ".json", "image"],
                                     elem_id="products_upload", height=110)
            products_status = gr.Markdown(elem_id="products_status")
            product_image = gr.Image(label="Product image", height=180, interactive=False)
            product_info = gr.Markdown(elem_id="product_info")
            with gr.Row(visible=False) as brand_row:
                brand_fix = gr.Textbox(label="Brand (missing in the imported record)", elem_id="brand_fix", scale=3)
                brand_save = gr.Button("Save brand", elem_id="brand_save", scale=1)
            brand_status = gr.Markdown(elem_id="brand_status")
            with gr.Accordion("Create a product", open=False):
                gr.Markdown("Fields marked * are required.", elem_classes=["nx-muted"])
                p_name = gr.Textbox(label="Name *")
                p_brand = gr.Textbox(label="Brand *")
                p_cat = gr.Radio(["electronics", "retail", "service"], value="retail", label="Category *")
                p_slogan = gr.Textbox(label="Slogan *")
                p_intro = gr.Textbox(label="Intro", lines=2)
                p_points = gr.Textbox(label="Selling points * (at least two, one per line)", lines=3)
                p_facts = gr.Textbox(label="Facts claims may use (name: value per line)", lines=2)
                # gr.File, not gr.Image: a broken upload must reach check_image and get an inline message,
                # whereas gr.Image fails while decoding, before the handler runs.
                p_image = gr.File(label="Product image * (PNG or JPEG)", file_types=["image"], height=90,
                                  elem_id="product_image_upload")
                p_logo = gr.File(label="Logo (optional)", file_types=["image"], height=90)
                p_add = gr.Button("Add product")
                p_status = gr.Markdown(elem_id="product_status")
            gr.Markdown("### 3. Task and format")
            task = gr.Radio([("PCG: a standalone ad", "pcg"), ("PCI: insert into a host video", "pci")],
                            value="pcg", label="Task", elem_id="task_pick")
            with gr.Group(visible=False) as host_group:
                hosts = _safe(lambda: actions.host_video_choices(studio), [])
                host_pick = gr.Dropdown(hosts, label="Host video", value=None)
                host_upload = gr.File(label="…or upload a host video (MP4)", file_types=[".mp4", ".mov", ".webm"],
                                      height=110)
                host_player = gr.Video(label="Host video", height=200, interactive=False)
                host_status = gr.Markdown()
            with gr.Row():
                duration = gr.Slider(6, 30, value=15, step=1, label="Duration (s) — PCI segments default to 6 s",
                                     elem_id="duration")
                aspect = gr.Radio(list(ASPECTS), value=DEFAULT_ASPECT, label="Aspect", elem_id="aspect")
            plan_go = gr.Button("Plan this ad →", variant="primary", elem_id="plan_go")
        with gr.Column(scale=2):
            gr.Markdown("### History")
            table = gr.Dataframe(headers=HISTORY_HEADERS, interactive=False, max_height=260, wrap=True)
            gallery = gr.Gallery(label="Images in the history", columns=6, height=270, allow_preview=True)
            gr.Markdown("### Profile")
            profile = gr.HTML(views.profile_html(None), elem_id="profile")

    user.change(bind(studio, on_user), [state, user], [state, table, gallery, profile, user_status],
                api_visibility="private").then(bind(studio, person_controls), state, [task, host_pick, host_player, host_group],
                                               api_visibility="private")
    upload.upload(bind(studio, on_upload_history), [state, upload], [state, user, upload_status],
                  api_visibility="private")
    product_upload.upload(bind(studio, on_upload_products), [state, product_upload],
                          [state, product, products_status], api_visibility="private")
    product.change(bind(studio, on_product), [state, product], [state, product_image, product_info],
                   api_visibility="private")
    product.change(bind(studio, on_brand_row), [state, product], [brand_row, brand_fix], api_visibility="private")
    brand_save.click(bind(studio, on_set_brand), [state, product, brand_fix],
                     [state, product, product_info, brand_row, brand_status], api_visibility="private")
    p_add.click(bind(studio, on_new_product),
                [state, p_name, p_brand, p_cat, p_slogan, p_intro, p_points, p_facts, p_image, p_logo],
                [state, product, p_status], api_visibility="private")
    task.change(on_task, [state, task], [state, host_group], api_visibility="private").then(
        lambda t: gr.update(value=6 if t == "pci" else 15), task, duration, api_visibility="private")
    host_pick.change(bind(studio, on_host_pick), [state, host_pick], [state, host_player], api_visibility="private")
    host_upload.upload(bind(studio, on_host_upload), [state, host_upload], [state, host_player, host_status],
                       api_visibility="private")
    ctx.update(user=user, product=product, task=task, duration=duration, aspect=aspect, profile=profile,
               history_table=table, gallery=gallery, user_status=user_status, product_image=product_image,
               product_info=product_info, host_pick=host_pick, plan_go=plan_go)


def _safe(fn, default):
    """Choices for the first paint; a missing library part leaves the control empty, not the page broken."""
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return default
