"""The product library: load products.json folders, validate every entry, find products by id or name."""

from __future__ import annotations

import difflib
import json
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..schemas import Product
from .safety import check_image, resolve_within

log = logging.getLogger(__name__)

LIBRARY_FILE = "products.json"


def read_json_file(path: Path) -> object:
    """Parse a JSON file; a syntax error names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return json.loads(text, parse_constant=refuse_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path.name} line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    except BareJSONConstant as exc:
        raise InputError(f"{path.name}: {exc} is not valid JSON; write a number or null") from None
    except RecursionError:
        raise InputError(f"{path.name}: nested too deeply to read; flatten the JSON") from None


class BareJSONConstant(ValueError):
    pass


def refuse_json_constant(name: str) -> object:
    """json accepts NaN, Infinity and -Infinity; JSON does not, and they poison sums and sorts downstream."""
    raise BareJSONConstant(name)


def validation_message(exc: ValidationError) -> str:
    """The first pydantic error as 'field a.b: message'."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "entry"
    return f"field {loc}: {err['msg']}"


def _entry_label(source: Path, index: int, raw: object) -> str:
    pid = raw.get("product_id") if isinstance(raw, dict) else None
    return f"{source.name} entry {index}" + (f" ({pid})" if pid else "")


def _resolve_assets(raw: dict, folder: Path, label: str) -> dict:
    """Turn the entry's relative image and logo paths into absolute ones that exist."""
    entry = dict(raw)
    images = entry.get("images")
    if not isinstance(images, list) or not all(isinstance(p, str) for p in images):
        raise InputError(f"{label}: field images: must be a list of paths")
    entry["images"] = [str(resolve_within(folder, p, f"{label} images")) for p in images]
    for path, written in zip(entry["images"], images, strict=True):
        check_image(path, f"{label} images", full=False, shown=written)
    if entry.get("logo"):
        written = entry["logo"]
        entry["logo"] = str(resolve_within(folder, written, f"{label} logo"))
        check_image(entry["logo"], f"{label} logo", full=False, shown=written)
    return entry


def parse_entry(raw: object, folder: Path, source: Path, index: int, strict: bool) -> Product:
    """Validate one products.json entry; `strict` also requires 3-6 selling points and two images."""
    label = _entry_label(source, index, raw)
    if not isinstance(raw, dict):
        raise InputError(f"{label}: must be an object with product_id, name, brand, ...")
    entry = _resolve_assets(raw, folder, label)
    try:
        product = Product.model_validate(entry)
    except ValidationError as exc:
        raise InputError(f"{label}: {validation_message(exc)}") from None
    if strict and not 3 <= len(product.selling_points) <= 6:
        raise InputError(f"{label}: field selling_points: has {len(product.selling_points)}, needs 3 to 6")
    if strict and len(product.images) < 2:
        raise InputError(f"{label}: field images: needs at least 2 product images")
    return product


def read_library_file(folder: Path, strict: bool = True) -> list[Product]:
    """Read `folder/products.json` (the library's own format, paths relative to the folder)."""
    source = folder / LIBRARY_FILE
    data = read_json_file(source)
    if not isinstance(data, list):
        raise InputError(f"{source.name}: must be a JSON list of products")
    products = [parse_entry(raw, folder, source, i, strict) for i, raw in enumerate(data, start=1)]
    seen: set[str] = set()
    for p in products:
        if p.product_id in seen:
            raise InputError(f"{source.name}: product_id {p.product_id!r} appears twice")
        seen.add(p.product_id)
    return products


class ProductLibrary:
    """All products a campaign can use: the shipped library plus products a person imported."""

    def __init__(self, products: Iterable[Product]):
        self._by_id: dict[str, Product] = {}
        for p in products:
            if p.product_id in self._by_id:
                log.warning("product %s is defined again; the later definition wins", p.product_id)
            self._by_id[p.product_id] = p

    @classmethod
    def load(cls, library_dir: Path | str, extra_dirs: Iterable[Path | str] = ()) -> ProductLibrary:
        """Load the shipped library (strict checks) and any imported libraries that exist."""
        products = read_library_file(Path(library_dir), strict=True)
        for extra in extra_dirs:
            if (Path(extra) / LIBRARY_FILE).is_file():
                products += read_library_file(Path(extra), strict=False)
        return cls(products)

    @property
    def products(self) -> list[Product]:
        return list(self._by_id.values())

    @property
    def ids(self) -> list[str]:
        return list(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Product]:
        return iter(self._by_id.values())

    def __contains__(self, key: str) -> bool:
        return self.find(key) is not None

    def find(self, name_or_id: str) -> Product | None:
        """The product with this id, or whose name matches case-insensitively; None if there is none."""
        key = name_or_id.strip()
        if key in self._by_id:
            return self._by_id[key]
        low = key.casefold()
        for p in self._by_id.values():
            if p.name.casefold() == low or p.product_id.casefold() == low:
                return p
        return None

    def get(self, name_or_id: str) -> Product:
        """Like find(), but a miss raises InputError listing close matches."""
        found = self.find(name_or_id)
        if found:
            return found
        names = {p.product_id: p.product_id for p in self} | {p.name.casefold(): p.product_id for p in self}
        close = difflib.get_close_matches(name_or_id.casefold(), list(names), n=3, cutoff=0.5)
        hint = ", ".join(dict.fromkeys(names[c] for c in close)) or ", ".join(self.ids[:5]) + ", ..."
        raise InputError(f"no product {name_or_id!r} in the library; close matches: {hint}")
