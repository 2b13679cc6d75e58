"""Copy validated products and histories into the data dir. Everything is checked before anything is written,
files are staged in a hidden folder and moved into place at the end, so a failure leaves nothing behind."""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from ..atomic import write_json, write_text
from ..errors import InputError
from ..schemas import Product, UserHistory
from .audience import QILIN_COLUMNS, microlens_products
from .loading import detect_format, pick_user, read_any
from .products import LIBRARY_FILE, read_json_file
from .reference_products import read_products_json, slugify


def _staging(parent: Path, name: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=parent))


def _library_entry(product: Product, stage: Path) -> dict:
    """Copy the product's images into `stage/images` and return its entry with relative paths."""
    entry = product.model_dump(mode="json")
    rel_images = []
    for k, src in enumerate(product.images, start=1):
        rel = f"images/{product.product_id}_{k}{Path(src).suffix.lower() or '.jpg'}"
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, stage / rel)
        rel_images.append(rel)
    entry["images"] = rel_images
    for lic, rel in zip(entry["licenses"], rel_images, strict=False):
        lic["path"] = rel
    if product.logo:
        rel = f"images/{product.product_id}_logo{Path(product.logo).suffix.lower() or '.png'}"
        shutil.copyfile(product.logo, stage / rel)
        entry["logo"] = rel
    return entry


def import_products(path: Path | str, data_dir: Path | str, uploaded: bool = False) -> dict:
    """Import a reference-format products.json into `<data_dir>/library`; returns a summary.

    `uploaded=True` (files sent through the studio) also refuses absolute image paths."""
    return save_products(read_products_json(path, allow_absolute=not uploaded), data_dir)


def save_products(products: list[Product], data_dir: Path | str) -> dict:
    """Add (or replace, by product_id) validated products in `<data_dir>/library`, images copied beside them."""
    lib = Path(data_dir) / "library"
    existing = read_json_file(lib / LIBRARY_FILE) if (lib / LIBRARY_FILE).is_file() else []
    stage = _staging(Path(data_dir), "library")
    try:
        new = {p.product_id: _library_entry(p, stage) for p in products}
        merged = [e for e in existing if e.get("product_id") not in new] + list(new.values())
        for f in sorted((stage / "images").iterdir()):
            (lib / "images").mkdir(parents=True, exist_ok=True)
            os.replace(f, lib / "images" / f.name)
        write_json(lib / LIBRARY_FILE, merged)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"imported": list(new), "library": str(lib), "total_imported_products": len(merged)}


def _copy_notes(users: dict[str, UserHistory], stage: Path) -> int:
    rows, count = [], 0
    for uid, history in users.items():
        for note in history.notes:
            rels = []
            for k, src in enumerate(note.image_paths, start=1):
                rel = f"images/{slugify(uid)}/{slugify(note.note_idx)}_{k}{Path(src).suffix.lower()}"
                (stage / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, stage / rel)
                rels.append(rel)
                count += 1
            rows.append({"user_idx": uid, "gender": history.gender or "", "age": history.age or "",
                         "note_idx": note.note_idx, "note_title": note.title, "note_content": note.content,
                         "image_paths": "|".join(rels)})
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(QILIN_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(stage / "notes.csv", buf.getvalue())
    return count


def _copy_videos(users: dict[str, UserHistory], products: dict[str, list[str]], stage: Path) -> int:
    entries, titles, count = [], {}, 0
    for uid, history in users.items():
        items = [*history.videos, history.host_video]
        for item in items:
            titles[item.vid] = item.title
            for src, sub, ext in ((item.cover_path, "covers", ".jpg"), (item.video_path, "videos", ".mp4")):
                if src:
                    (stage / sub).mkdir(exist_ok=True)
                    shutil.copyfile(src, stage / sub / f"{item.vid}{ext}")
                    count += 1
        entries.append({"user_id": uid, "vids": [i.vid for i in items], "products": products.get(uid, [])})
    write_json(stage / "users.json", entries)
    write_json(stage / "titles.json", titles)
    return count


def import_audience(path: Path | str, data_dir: Path | str, user_id: str | None = None,
                    uploaded: bool = False) -> dict:
    """Import histories (Qilin CSV, notes.json, MicroLens folder) into `<data_dir>/audience/<name>`.

    `uploaded=True` (files sent through the studio) also refuses absolute image paths."""
    path = Path(path)
    fmt = detect_format(path)
    users = read_any(path, user_id, allow_absolute=not uploaded)
    if user_id is not None or fmt == "notes":
        one = pick_user(users, user_id, path)
        users = {one.user_id: one}
    name = slugify(path.stem if path.is_file() and path.name not in ("users.json", "notes.json") else
                   (path if path.is_dir() else path.parent).name)
    root = Path(data_dir) / "audience"
    stage = _staging(root, name)
    try:
        if fmt == "microlens":
            folder = path if path.is_dir() else path.parent
            files = _copy_videos(users, microlens_products(folder), stage)
        else:
            files = _copy_notes(users, stage)
        _swap_into_place(stage, root / name)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"imported": list(users), "format": fmt, "folder": str(root / name), "files_copied": files}


def _swap_into_place(stage: Path, final: Path) -> None:
    """Replace `final` with `stage` using renames, so readers see the old or the new folder, never half of one."""
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        os.replace(final, old)
    os.replace(stage, final)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def check_upload_size(path: Path | str, max_mb: int) -> None:
    """Refuse files (or folders) larger than the configured upload limit."""
    path = Path(path)
    files = [path] if path.is_file() else [f for f in path.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    if total > max_mb * 1024 * 1024:
        raise InputError(f"{path.name}: {total / 1e6:.1f} MB is over the upload limit of {max_mb} MB "
                         "(NEXTADS_MAX_UPLOAD_MB)")


__all__ = ["check_upload_size", "import_audience", "import_products"]
