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
from pathlib import Path
from typing import Any

from ..atomic import write_json
from ..errors import InputError
from ..paths import child
from ..schemas import AssetLicense, Product, UserHistory


def import_history(studio: Any, paths: list[str]) -> dict[str, UserHistory]:
    """Histories from uploads: a Qilin CSV, a notes.json or a MicroLens users.json, each with its media,
    or one .zip holding such a folder. The upload is unpacked in a hidden staging folder, imported into the data
    dir's audience (a new folder; a person id already there is refused, never replaced) and the staging folder is
    removed whatever happens, so a failed import leaves nothing behind."""
    from ..library import import_audience
    from ..library.loading import read_any

    if not paths:
        raise InputError("Upload a Qilin CSV, a notes.json with its images, a MicroLens users.json with its "
                         "media, or a .zip of such a folder.")
    with _staged(studio, paths) as folder:
        root = _history_root(folder)
        summary = import_audience(root, studio.data_dir, uploaded=True, taken=studio.audience)
    studio.__dict__.pop("audience", None)  # Studio.audience is a cached property
    imported = read_any(Path(summary["folder"]), allow_absolute=False)
    return {uid: imported[uid] for uid in summary["imported"] if uid in imported}


def import_products(studio: Any, paths: list[str]) -> list[str]:
    """Products from uploads: a products.json (either format: the library's or the reference one) with its images and logos as
    several files, or one .zip of such a folder. Staged, validated and copied into the data dir's library like a
    history; a shipped product's id or one already imported is refused, never replaced. Returns the new ids."""
    from ..library import ProductLibrary
    from ..library import import_products as library_import

    if not paths:
        raise InputError("Upload a products.json together with the images it names, or a .zip of that folder.")
    with _staged(studio, paths) as folder:
        hits = sorted(folder.rglob("products.json")) or sorted(folder.rglob("*.json"))
        if not hits:
            raise InputError("No products.json among the uploads: upload it together with the images it names.")
        shipped = [p.product_id for p in ProductLibrary.load(studio.settings.library_dir)]
        summary = library_import(hits[0], studio.data_dir, uploaded=True, taken=shipped)
    studio.__dict__.pop("library", None)  # Studio.library is a cached property
    return list(summary["imported"])


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
