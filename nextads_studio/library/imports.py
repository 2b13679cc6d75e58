"""Copy validated products and histories into the data dir. Everything is checked before anything is written,
files are staged in a hidden folder and moved into place at the end, so a failure leaves nothing behind."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..atomic import sha256_file, write_json, write_text
from ..errors import InputError
from ..paths import child, ensure_within, safe_component
from ..schemas import Product, UserHistory
from .audience import QILIN_COLUMNS, microlens_products
from .loading import detect_format, pick_user, read_any
from .products import LIBRARY_FILE, parse_entry, read_json_file
from .reference_products import _selling_points, read_products_json, refuse_shared_ids, slugify
from .reuse import RECORDS, records_for

log = logging.getLogger(__name__)


def _staging(parent: Path, name: str) -> Path:
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".staging-{name}-", dir=parent))


def _library_entry(product: Product, stage: Path) -> dict:
    """Copy the product's images into `stage/images` and return its entry with relative paths."""
    entry = product.model_dump(mode="json")
    rel_images = []
    pid = safe_component(product.product_id, fallback="product")
    for k, src in enumerate(product.images, start=1):
        rel = f"images/{pid}_{k}{_suffix(src, '.jpg')}"
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, stage / rel)
        rel_images.append(rel)
    entry["images"] = rel_images
    for lic, rel in zip(entry["licenses"], rel_images, strict=False):
        lic["path"] = rel
    if product.logo:
        rel = f"images/{pid}_logo{_suffix(product.logo, '.png')}"
        shutil.copyfile(product.logo, stage / rel)
        entry["logo"] = rel
    return entry


def import_products(path: Path | str, data_dir: Path | str, uploaded: bool = False, replace: bool = False,
                    taken: Iterable[str] = ()) -> dict:
    """Import a reference-format products.json into `<data_dir>/library`; returns a summary.

    `uploaded=True` (files sent through the studio) also refuses absolute image paths."""
    return save_products(read_products_file(path, allow_absolute=not uploaded), data_dir, replace=replace,
                         taken=taken)


def read_products_file(path: Path | str, allow_absolute: bool = True) -> list[Product]:
    """Either products.json format: the library's own (product_id, name, brand, images, selling_points, ...; what
    the shipped library and an export use) or the reference one (product_name, product_image, ...). Entries
    that look like the library's are validated as such (image paths inside the file's folder); anything else
    is read as the reference format. Nothing is written."""
    path = Path(path)
    try:
        data = read_json_file(path)
    except InputError:
        return read_products_json(path, allow_absolute)  # it repairs typographic quotes, or names the error
    entries = data if isinstance(data, list) else [data]
    library_like = bool(entries) and all(isinstance(e, dict) and "product_name" not in e
                                         and ("name" in e or "images" in e) for e in entries)
    if not library_like:
        return read_products_json(path, allow_absolute)
    products = [_with_points(parse_entry(raw, path.parent, path, i, strict=False), f"{path.name} entry {i}")
                for i, raw in enumerate(entries, start=1)]
    return refuse_shared_ids(products, path)


def save_products(products: list[Product], data_dir: Path | str, *, replace: bool = False,
                  taken: Iterable[str] = ()) -> dict:
    """Add validated products to `<data_dir>/library`, images copied beside them.

    An id already in the data-dir library is refused unless `replace=True` (an explicit action the caller
    audits); ids in `taken` (the shipped library) are never replaced."""
    lib = Path(data_dir) / "library"
    existing = read_json_file(lib / LIBRARY_FILE) if (lib / LIBRARY_FILE).is_file() else []
    ids = [p.product_id for p in products]
    shipped = sorted(set(ids) & set(taken))
    if shipped:
        raise InputError(f"product id {shipped[0]!r} is a shipped product and cannot be replaced; give the "
                         "product another product_id")
    clash = sorted(set(ids) & {e.get("product_id") for e in existing})
    if clash and not replace:
        raise InputError(f"product id {clash[0]!r} is already in the library; give it another product_id, or "
                         "replace it explicitly (admin: nextads products import --replace)")
    stage = _staging(Path(data_dir), "library")
    try:
        new = {p.product_id: _library_entry(p, stage) for p in products}
        merged = [e for e in existing if e.get("product_id") not in new] + list(new.values())
        for f in sorted((stage / "images").iterdir()):
            (lib / "images").mkdir(parents=True, exist_ok=True)
            os.replace(f, ensure_within(lib, lib / "images" / f.name))
        mattes = _prepare_mattes([lib / rel for entry in new.values() for rel in entry["images"]])
        write_json(lib / LIBRARY_FILE, merged)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"imported": list(new), "library": str(lib), "total_imported_products": len(merged), "replaced": clash,
            "mattes": mattes}


def _prepare_mattes(images: list[Path]) -> int:
    """Cut the product images out now, at import, so no render waits for it. A failure here is not the
    import's: the Producer cuts the image out itself when no matte is stored."""
    from ..producer.layers import prepare_mattes

    try:
        return len(prepare_mattes(images))
    except (InputError, OSError, ValueError) as exc:
        log.warning("product mattes were not made at import (%s); renders will make them", exc)
        return 0


def _with_points(product: Product, label: str) -> Product:
    """A product the copy can speak about: its selling points, else sentences of its details or intro."""
    if product.selling_points:
        return product
    points = _selling_points(product.details, product.intro)
    if not points:
        raise InputError(f"{label} ({product.product_id}): field selling_points: missing; give the product's "
                         "selling points (a list of short sentences) or a details text to take them from")
    return product.model_copy(update={"selling_points": points})


def _copy_notes(users: dict[str, UserHistory], stage: Path) -> int:
    """Write notes.csv and the images, each distinct image once: named by the hash of its bytes, so a picture
    that many rows refer to is stored (and later loaded) one time. Returns how many files were copied."""
    rows, count = [], 0
    by_source: dict[str, str] = {}
    for uid, history in users.items():
        for note in history.notes:
            rels = []
            for src in note.image_paths:
                rel = by_source.get(src)
                if rel is None:
                    digest = sha256_file(Path(src))[:24]
                    target = ensure_within(stage, stage / "images" / f"{digest}{_suffix(src, '.jpg')}")
                    rel = by_source[src] = target.relative_to(stage.resolve()).as_posix()
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(src, target)
                        count += 1
                rels.append(rel)
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
        vids = []
        for item in items:
            vid = safe_component(item.vid, fallback="vid")  # the copy is read back by this name
            vids.append(vid)
            titles[vid] = item.title
            for src, sub, ext in ((item.cover_path, "covers", ".jpg"), (item.video_path, "videos", ".mp4")):
                if src:
                    (stage / sub).mkdir(exist_ok=True)
                    shutil.copyfile(src, ensure_within(stage, stage / sub / f"{vid}{ext}"))
                    count += 1
        entries.append({"user_id": uid, "vids": vids, "products": products.get(uid, [])})
    write_json(stage / "users.json", entries)
    write_json(stage / "titles.json", titles)
    return count


def import_audience(path: Path | str, data_dir: Path | str, user_id: str | None = None,
                    uploaded: bool = False, replace: bool = False, taken: Iterable[str] = (),
                    licensed_for_reuse: bool = False, license: str | None = None, skip: Iterable[str] = ()) -> dict:
    """Import histories (Qilin CSV, notes.json, MicroLens folder) into `<data_dir>/audience/<name>`.

    Every copied image and video gets a licence record in the folder's licenses.json. `licensed_for_reuse=True`
    (which needs `license`) lets ads show the images; without it they only steer the style.

    `uploaded=True` (files sent through the studio) also refuses absolute image paths. Imports never replace each
    other by accident: a folder name already in use gets a suffix, and a person whose id is already imported (or
    listed in `taken`, e.g. the demo audience) is refused unless `replace=True` — an explicit action the caller
    audits; the summary then lists the replaced folders. People in `skip` are left out (a caller that found them
    already stored with the same history); when nobody is left, nothing is written."""
    if licensed_for_reuse and not (license or "").strip():
        raise InputError("licensed_for_reuse needs the licence that allows it (e.g. --license CC-BY-4.0)")
    path = Path(path)
    fmt = detect_format(path)
    users = read_any(path, user_id, allow_absolute=not uploaded)
    if user_id is not None or fmt == "notes":
        one = pick_user(users, user_id, path)
        users = {one.user_id: one}
    users = {uid: h for uid, h in users.items() if uid not in set(skip)}
    if not users:
        return {"imported": [], "format": fmt, "folder": None, "files_copied": 0, "replaced": [],
                "licensed_for_reuse": bool(licensed_for_reuse)}
    root = Path(data_dir) / "audience"
    owners = _imported_owners(root)
    clash = sorted(u for u in users if u in owners or u in set(taken))
    replaced = sorted({owners[u] for u in clash if u in owners})
    demo = sorted(set(clash) & set(taken) - set(owners))
    if demo:
        raise InputError(f"{path.name}: person {', '.join(map(repr, demo[:5]))} already exists as a shipped demo "
                         "person and cannot be replaced; give the history new ids")
    if clash and not replace:
        where = ", ".join(f"{u!r} (in audience/{owners[u]})" for u in clash[:5])
        raise InputError(f"{path.name}: person {where} already exists; give the history new ids, or replace "
                         "them explicitly (admin: nextads audience import --replace)")
    name = _free_name(root, slugify(path.stem if path.is_file() and path.name not in ("users.json", "notes.json")
                                    else (path if path.is_dir() else path.parent).name))
    stage = _staging(root, name)
    try:
        if fmt == "microlens":
            folder = path if path.is_dir() else path.parent
            files = _copy_videos(users, microlens_products(folder), stage)
        else:
            files = _copy_notes(users, stage)
        media = sorted(p.relative_to(stage).as_posix() for sub in ("images", "covers", "videos")
                       for p in (stage / sub).rglob("*") if p.is_file())
        write_json(stage / RECORDS, records_for(media, license, licensed_for_reuse, f"imported from {path.name}"))
        for old in replaced:  # only the replaced people leave their old folder (others there stay)
            _drop_people(root / old, set(clash))
        _swap_into_place(stage, child(root, name))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"imported": list(users), "format": fmt, "folder": str(root / name), "files_copied": files,
            "replaced": clash, "licensed_for_reuse": bool(licensed_for_reuse)}


def _suffix(src: str | Path, default: str) -> str:
    suffix = Path(src).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else default


def _free_name(root: Path, name: str) -> str:
    """`name`, or `name-2`, `name-3`... when a folder of that name is already there."""
    name = safe_component(name, fallback="audience")
    candidate, n = name, 1
    while (root / candidate).exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _imported_owners(root: Path) -> dict[str, str]:
    """Imported person id -> the audience folder holding them (read from each folder's users.json/notes.csv)."""
    owners: dict[str, str] = {}
    if not root.is_dir():
        return owners
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for uid in _folder_ids(sub):
            owners.setdefault(uid, sub.name)
    return owners


def _folder_ids(folder: Path) -> list[str]:
    if (folder / "users.json").is_file():
        data = read_json_file(folder / "users.json")
        return [str(u.get("user_id")) for u in data if isinstance(u, dict) and u.get("user_id")]
    ids: list[str] = []
    for f in sorted(folder.glob("*.csv")):
        with open(f, encoding="utf-8-sig", newline="") as fh:
            ids += [r["user_idx"].strip() for r in csv.DictReader(fh) if r.get("user_idx")]
    return list(dict.fromkeys(ids))


def _drop_people(folder: Path, ids: set[str]) -> None:
    """Remove `ids` from an imported folder (rewritten atomically); the folder goes when nobody is left."""
    if (folder / "users.json").is_file():
        data = [u for u in read_json_file(folder / "users.json") if str(u.get("user_id")) not in ids]
        if data:
            write_json(folder / "users.json", data)
            return
    else:
        for f in sorted(folder.glob("*.csv")):
            with open(f, encoding="utf-8-sig", newline="") as fh:
                rows = [r for r in csv.DictReader(fh) if r.get("user_idx", "").strip() not in ids]
            if rows:
                buf = io.StringIO()
                writer = csv.DictWriter(buf, fieldnames=list(QILIN_COLUMNS), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
                write_text(f, buf.getvalue())
                return
    shutil.rmtree(folder, ignore_errors=True)


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
