"""Uploads from the studio: histories (files or a .zip), product images and extra assets. Every file is checked
by the library's validators and copied under the data dir before anything uses it."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_json
from ..errors import InputError
from ..paths import child
from ..schemas import AssetLicense, Product, UserHistory


@dataclass(frozen=True)
class Uploaded:
    """What an upload added (`imported`, in the file's order) and which of its ids the studio already held with
    exactly this content (`unchanged`: nothing was copied for them). `histories` holds the added people."""

    imported: list[str]
    unchanged: list[str] = field(default_factory=list)
    histories: dict[str, UserHistory] = field(default_factory=dict)


class AlreadyThere(InputError):
    """An upload reuses ids the studio holds with other content: nothing was imported, nothing was changed."""


def import_history(studio: Any, paths: list[str]) -> Uploaded:
    """Histories from uploads: a Qilin CSV, a notes.json or a MicroLens users.json, each with its media,
    or one .zip holding such a folder. The upload is unpacked in a hidden staging folder, imported into the data
    dir's audience (a new folder) and the staging folder is removed whatever happens, so a failed import leaves
    nothing behind. A person already there with the same history (the same file uploaded again) is not imported
    twice but reported as unchanged; one already there with another history refuses the whole upload
    (AlreadyThere), never replacing what is stored."""
    from ..library import import_audience
    from ..library.loading import detect_format, read_any

    if not paths:
        raise InputError("Upload a Qilin CSV, a notes.json with its images, a MicroLens users.json with its "
                         "media, or a .zip of such a folder.")
    with _staged(studio, paths) as folder:
        root = _history_root(folder)
        users = read_any(root, allow_absolute=False)
        stored = studio.audience
        unchanged = [u for u in users if u in stored and _history_key(users[u]) == _history_key(stored[u])]
        other = [u for u in users if u in stored and u not in unchanged]
        if other:
            raise AlreadyThere(_history_clash(other, users, stored, detect_format(root)))
        summary = import_audience(root, studio.data_dir, uploaded=True, taken=stored, skip=unchanged)
    studio.__dict__.pop("audience", None)  # Studio.audience is a cached property
    imported = read_any(Path(summary["folder"]), allow_absolute=False) if summary["folder"] else {}
    return Uploaded([u for u in summary["imported"] if u in imported], unchanged,
                    {uid: imported[uid] for uid in summary["imported"] if uid in imported})


def import_products(studio: Any, paths: list[str]) -> Uploaded:
    """Products from uploads: a products.json (either format: the library's or the reference one) with its images and logos as
    several files, or one .zip of such a folder. Staged, validated and copied into the data dir's library like a
    history. A product already in the library with the same details and images is reported as unchanged; an id
    already there (shipped or imported) with other content refuses the upload (AlreadyThere), never replacing it."""
    from ..library import ProductLibrary, save_products
    from ..library.imports import read_products_file

    if not paths:
        raise InputError("Upload a products.json together with the images it names, or a .zip of that folder.")
    with _staged(studio, paths) as folder:
        hits = sorted(folder.rglob("products.json")) or sorted(folder.rglob("*.json"))
        if not hits:
            raise InputError("No products.json among the uploads: upload it together with the images it names.")
        products = read_products_file(hits[0], allow_absolute=False)
        stored = {p.product_id: p for p in studio.library}
        unchanged = [p.product_id for p in products if p.product_id in stored
                     and _product_key(p) == _product_key(stored[p.product_id])]
        other = [p for p in products if p.product_id in stored and p.product_id not in unchanged]
        if other:
            raise AlreadyThere(_product_clash(other, stored))
        new = [p for p in products if p.product_id not in unchanged]
        shipped = [p.product_id for p in ProductLibrary.load(studio.settings.library_dir)]
        summary = save_products(new, studio.data_dir, taken=shipped) if new else {"imported": []}
    studio.__dict__.pop("library", None)  # Studio.library is a cached property
    return Uploaded(list(summary["imported"]), unchanged)


def _digest(path: str | None) -> str | None:
    from ..atomic import sha256_file

    return sha256_file(path) if path else None


def _history_key(history: UserHistory) -> tuple:
    """What an import keeps of a history, files by their bytes (a stored copy has other paths): equal keys mean
    the upload holds nothing the studio does not already have."""
    notes = sorted((n.note_idx, n.title, n.content, tuple(_digest(p) for p in n.image_paths)) for n in history.notes)
    videos = [(v.vid, v.title, _digest(v.cover_path), _digest(v.video_path))
              for v in (*history.videos, history.host_video) if v is not None]
    return history.kind, history.gender or "", str(history.age or ""), notes, videos


def _product_key(product: Product) -> dict:
    """A product's details with its images and logo by their bytes and licences without their paths."""
    data = product.model_dump(mode="json")
    data["images"] = [_digest(p) for p in product.images]
    data["logo"] = _digest(product.logo)
    data["licenses"] = [{k: v for k, v in lic.items() if k != "path"} for lic in data.get("licenses", [])]
    return data


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _history_clash(ids: list[str], users: dict[str, UserHistory], stored: dict[str, UserHistory], fmt: str) -> str:
    """One sentence: which people are already there with another history, that nothing changed, what to do."""
    one = len(ids) == 1
    shown = _and(ids[:5] + ([f"{len(ids) - 5} more"] if len(ids) > 5 else []))
    how = _how_different(users[ids[0]], stored[ids[0]]) if one else "with different histories"
    where = "the id in the file" if fmt != "notes" else "the folder that holds the notes.json"
    return (f"{shown} {'is' if one else 'are'} already in the studio {how}, so nothing was imported and the "
            f"stored {'history is' if one else 'histories are'} unchanged; to add {'it' if one else 'them'} as "
            f"{'another person' if one else 'other people'}, rename {where} (e.g. to {ids[0]}_2) and upload again.")


def _how_different(new: UserHistory, old: UserHistory) -> str:
    """'with different notes (1 of 6 differs)', 'with a different number of notes (6 stored, 4 in this upload)'."""
    if new.kind != old.kind:
        return f"with {old.kind} (this upload has {new.kind})"
    items = new.kind
    a, b = getattr(old, items), getattr(new, items)
    if len(a) != len(b):
        return f"with a different number of {items} ({len(a)} stored, {len(b)} in this upload)"
    k = 3 if items == "notes" else 4
    changed = sum(x != y for x, y in zip(_history_key(old)[k], _history_key(new)[k], strict=True))
    if not changed:
        return "with a different gender or age"
    return f"with different {items} ({changed} of {len(a)} {'differs' if changed == 1 else 'differ'})"


def _product_clash(products: list[Product], stored: dict[str, Product]) -> str:
    """One sentence: which products are already in the library with other details, and what to do."""
    one = len(products) == 1
    first = products[0]
    names = _and([f"{p.name} ({p.product_id})" for p in products[:5]])
    old, new = _product_key(stored[first.product_id]), _product_key(first)
    fields = [k.replace("_", " ") for k in new if new.get(k) != old.get(k)][:3] if one else []
    how = f"and this upload changes its {_and(fields)}" if fields else "with other details"
    return (f"{names} {'is' if one else 'are'} already in the library {how}, so nothing was imported and the "
            f"stored {'product is' if one else 'products are'} unchanged; to add {'it' if one else 'them'} as "
            f"{'another product' if one else 'other products'}, change the product_id in products.json "
            f"(e.g. to {first.product_id}-2) and upload again.")


@contextmanager
def _staged(studio: Any, paths: list[str]) -> Iterator[Path]:
    """The uploads unpacked in a hidden staging folder under the data dir (each size-checked, a .zip extracted,
    loose images placed where the table names them); the folder is removed whatever happens."""
    from ..library import check_upload_size

    limit = studio.settings.max_upload_mb
    for p in paths:
        check_upload_size(p, limit)
    uploads_dir = studio.data_dir / "uploads"
    uploads_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".history-", dir=uploads_dir))  # the name the sweep knows
    loose: list[Path] = []
    try:
        for p in paths:
            if Path(p).suffix.lower() == ".zip":
                _extract_zip(Path(p), folder, limit)
            else:
                loose.append(child(folder, Path(p).name))
                shutil.copy(p, loose[-1])
        _place_loose_media(folder, loose)
        check_upload_size(folder, limit)  # what was extracted counts, not the archive's size
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


_MEDIA_REF = re.compile(r"[\w./\\-]+?\.(?:jpe?g|png|webp|gif|mp4|mov|webm)", re.IGNORECASE)


def _place_loose_media(folder: Path, loose: list[Path]) -> None:
    """A CSV (or notes.json / users.json) uploaded together with its images as separate files: each image goes
    to the relative path the table names for it (e.g. images/u_maya/a.jpg), so the history finds it."""
    from ..library import resolve_within

    by_name = {p.name: p for p in loose if p.suffix.lower() not in (".csv", ".json")}
    if not by_name:
        return
    for table in (p for p in loose if p.suffix.lower() in (".csv", ".json")):
        text = table.read_text(encoding="utf-8-sig", errors="replace")
        for ref in set(_MEDIA_REF.findall(text)):
            rel = ref.replace("\\", "/").lstrip("./")
            source = by_name.get(Path(rel).name)
            if source is None or "/" not in rel:
                continue
            target = resolve_within(folder, rel, table.name)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(source, target)


def _extract_zip(path: Path, folder: Path, max_mb: int) -> None:
    """Unpack a .zip, refusing members that would land outside `folder` (zip-slip) and archives whose extracted
    bytes pass the upload limit (counted while writing, so a lying header does not help)."""
    from ..library import resolve_within

    limit, written = max_mb * 1024 * 1024, 0
    over = InputError(f"{path.name}: unpacks to more than the upload limit of {max_mb} MB "
                      "(NEXTADS_MAX_UPLOAD_MB); upload a smaller archive")
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if sum(m.file_size for m in members) > limit:
                raise over
            for m in members:
                target = resolve_within(folder, m.filename, path.name)
                if m.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(m) as src, open(target, "wb") as dst:
                    while block := src.read(1 << 20):
                        written += len(block)
                        if written > limit:
                            raise over
                        dst.write(block)
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path.name}: not a readable .zip archive") from exc


def _history_root(folder: Path) -> Path:
    """The folder (or file) inside the upload that holds the history."""
    for name in ("users.json", "notes.json"):
        hits = sorted(folder.rglob(name))
        if hits:
            return hits[0].parent if name == "users.json" else hits[0]
    csvs = sorted(folder.rglob("*.csv"))
    if csvs:
        return csvs[0]
    raise InputError("No history file among the uploads: expected a .csv (Qilin), notes.json or users.json.")


def check_upload_image(path: str | None, what: str) -> str:
    """Validate an uploaded image with the library's checks; raises InputError naming the field."""
    if not path:
        raise InputError(f"{what}: upload an image (PNG or JPEG).")
    from ..library import check_image

    check_image(Path(path), what)
    return path


def new_product(studio: Any, name: str, brand: str, category: str, slogan: str, intro: str, points: str,
                facts: str, image: str | None, logo: str | None) -> Product:
    """A product from the form, its images validated and copied under the data dir."""
    missing = [label for label, value in (("name", name), ("brand", brand), ("slogan", slogan)) if not value.strip()]
    if missing:
        raise InputError(f"Product {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required.")
    if len([p for p in points.splitlines() if p.strip()]) < 2:
        raise InputError("Give at least two selling points, one per line.")
    from ..library.reference_products import slugify

    # A new product never takes an existing id (a shipped one or an earlier form's): it gets a suffix instead.
    base = slugify(f"{brand}-{name}")
    taken = {p.product_id for p in studio.library} | {p.name for p in (studio.data_dir / "products").glob("*")}
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    folder = child(studio.data_dir / "products", slug)
    folder.mkdir(parents=True, exist_ok=True)
    image_path = folder / ("image" + Path(check_upload_image(image, "Product image")).suffix.lower())
    shutil.copy(image, image_path)
    logo_path = None
    if logo:
        logo_path = folder / ("logo" + Path(check_upload_image(logo, "Logo")).suffix.lower())
        shutil.copy(logo, logo_path)
    fact_map = {}
    for line in facts.splitlines():
        if line.strip():
            if ":" not in line:
                raise InputError(f"Facts: write one 'name: value' per line (got {line.strip()!r}).")
            k, v = line.split(":", 1)
            fact_map[k.strip()] = v.strip()
    product = Product(
        product_id=slug, name=name.strip(), brand=brand.strip(), category=category, slogan=slogan.strip(),
        intro=intro.strip(), selling_points=[p.strip() for p in points.splitlines() if p.strip()],
        facts=fact_map, images=[str(image_path)], logo=str(logo_path) if logo_path else None,
        licenses=[AssetLicense(path=str(p), license="provided by the uploader", author=brand.strip(),
                               source="uploaded in the studio") for p in (image_path, logo_path) if p],
    )
    write_json(folder / "product.json", product.model_dump(mode="json"))
    return product


def keep_upload(studio: Any, path: str, kind: str) -> str:
    """Copy an uploaded file under the data dir, named by content hash, so plans can refer to it later."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    folder = studio.data_dir / "uploads" / kind
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}{Path(path).suffix.lower()}"
    if not target.exists():
        shutil.copy(path, target)
    return str(target)
