"""Read the NextAds reference products.json (`product_name`, `product_image`, `product_slogan`, ...)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..schemas import AssetLicense, Product
from .products import BareJSONConstant, refuse_json_constant, validation_message
from .safety import check_image, clean_text, is_url, resolve_path

log = logging.getLogger(__name__)

# A curly-quoted value used as a JSON string: after '[', ',' or ':' and before ',', ']' or '}'.
_CURLY_VALUE = re.compile(r'(?<=[\[,:])(\s*)[“”„‟″]([^“”„‟″"\n]*)[“”„‟″](?=\s*[,\]}])')
_SERVICE = {"app", "platform", "streaming", "ride", "rides", "delivery", "booking", "stays", "subscription",
            "travelers", "hosts", "service", "retail", "shopping"}
_ELECTRONICS = {"phone", "smartphone", "camera", "display", "laptop", "headphones", "earbuds", "battery",
                "tablet", "watch", "speaker", "chip", "screen", "bluetooth"}
_STOP = set("""a an the and or of to in on for with by is are was it its this that from as at be has have
we our your you their they into over more most one all who while can up out also such""".split())


def repair_curly_quotes(text: str, source: str) -> str:
    """Replace typographic quotes used as JSON string delimiters (the reference file has two) with plain ones."""
    fixed, count = _CURLY_VALUE.subn(r'\1"\2"', text)
    if count:
        log.warning("%s: replaced typographic quotes around %d value(s) with plain JSON quotes", source, count)
    return fixed


def slugify(text: str) -> str:
    """'McDonald's Big Mac' -> 'mcdonalds-big-mac' (ASCII letters and digits; CJK names get 'product-<hash>')."""
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", text.lower())).strip("-")[:60].strip("-")
    if slug and slug != "product":
        return slug
    # No ASCII letters (a CJK name): a stable id from the text itself, so two such names never share one.
    return f"product-{hashlib.sha256(text.strip().encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


_CATEGORIES = ("electronics", "retail", "service")
UNKNOWN_BRAND = "unknown"  # no `brand` in the record: the studio asks for it; copy never speaks it
# A sentence ends at . ! ? followed by space and a capital, digit or quote (never inside "2.0Ah" or "e.g. this"),
# or right after a CJK full stop.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])|(?<=[。！？])")
_NUM = r"\d+(?:[.,]\d+)*"
_FACT_PATTERNS: tuple[tuple[str, re.Pattern], ...] = (
    ("price", re.compile(rf"[$€£¥]\s?{_NUM}(?:\s?(?:per|/)\s?(?:month|year|mo|yr))?", re.I)),
    ("battery", re.compile(rf"{_NUM}\s?(?:mAh|Ah|Wh)\b")),
    ("storage", re.compile(rf"{_NUM}\s?(?:GB|TB)\b")),
    ("weight", re.compile(rf"{_NUM}\s?(?:kg|g|lb|lbs|oz)\b")),
    ("capacity", re.compile(rf"{_NUM}\s?(?:ml|mL|l|L|litres?|liters?)\b")),
    ("size", re.compile(rf"{_NUM}(?:\s?(?:mm|cm|m|in)\b|-inch\b|\s?inches\b|\")")),
    ("time", re.compile(rf"{_NUM}\s?(?:hours?|hrs?|minutes?|mins?|days?|weeks?)\b", re.I)),
    ("power", re.compile(rf"{_NUM}\s?(?:W|V|kW|Nm)\b")),
)


def _guess_category(text: str) -> tuple[str, list[str]]:
    """(category, the words that decided it) for a record without a category."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    if words & _ELECTRONICS:
        return "electronics", sorted(words & _ELECTRONICS)
    if words & _SERVICE:
        return "service", sorted(words & _SERVICE)
    return "retail", []


def split_sentences(text: str) -> list[str]:
    """Sentences of a product text, split at real sentence ends only (not inside numbers like 2.0Ah)."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def _selling_points(details: str, intro: str) -> list[str]:
    sentences = [s for s in split_sentences(details or intro) if len(s) > 3]
    return [s for s in sentences if len(s) <= 160][:6]


def extract_facts(text: str) -> dict[str, str]:
    """Numbers with units (price, battery, storage, weight, capacity, size, time, power) as checkable facts."""
    facts: dict[str, str] = {}
    for key, pattern in _FACT_PATTERNS:
        found = list(dict.fromkeys(m.group(0).strip() for m in pattern.finditer(text or "")))
        for i, value in enumerate(found[:3]):
            facts[key if i == 0 else f"{key}_{i + 1}"] = value
    return facts


def _keywords(text: str) -> list[str]:
    words = [w for w in re.findall(r"[a-z][a-z-]{2,}", text.lower()) if w not in _STOP]
    return [w for w, _ in Counter(words).most_common(8)]


def _images(raw: object, folder: Path, label: str, allow_absolute: bool) -> list[str]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
        raise InputError(f"{label}: product_image must be a non-empty list of local image paths")
    paths = []
    for value in raw:
        if is_url(value):
            raise InputError(f"{label}: product_image {value[:70]!r}... is a URL; download the image and put its "
                             "local path (relative to the products.json folder) in product_image")
        path = resolve_path(folder, value, f"{label} product_image", allow_absolute)
        check_image(path, f"{label} product_image", full=True, shown=value)
        paths.append(str(path))
    return paths


def _to_product(raw: object, folder: Path, label: str, allow_absolute: bool) -> Product:
    if not isinstance(raw, dict):
        raise InputError(f"{label}: must be an object with product_name, product_image, ...")
    name = clean_text(raw.get("product_name"), f"{label} product_name", 200).strip()
    if not name:
        raise InputError(f"{label}: product_name is missing or empty")
    label = f"{label} ({name})"
    slogan = clean_text(raw.get("product_slogan"), f"{label} product_slogan", 300)
    intro = clean_text(raw.get("product_intro"), f"{label} product_intro")
    details = clean_text(raw.get("product_details"), f"{label} product_details")
    images = _images(raw.get("product_image"), folder, label, allow_absolute)
    text = " ".join([name, slogan, intro, details])
    brand = clean_text(raw.get("brand"), f"{label} brand", 100).strip()
    if not brand:
        log.warning("%s: no brand in the record; marked %r (set it in the studio before publishing)", label,
                    UNKNOWN_BRAND)
    category = clean_text(raw.get("category"), f"{label} category", 100).strip().lower()
    subcategory = clean_text(raw.get("subcategory"), f"{label} subcategory", 100).strip()
    if category not in _CATEGORIES:
        if category:  # a finer category ("optics", "kitchen") is kept as the subcategory
            subcategory = subcategory or category
        category, evidence = _guess_category(text)
        log.warning("%s: %s; guessed %r from %s", label,
                    f"category {subcategory!r} is not one of {', '.join(_CATEGORIES)} (kept as the subcategory)"
                    if subcategory and raw.get("category") else "no category in the record", category,
                    ", ".join(repr(w) for w in evidence) if evidence else "no product words (the default)")
    try:
        return Product(
            product_id=slugify(raw.get("product_id") or name), name=name, brand=brand or UNKNOWN_BRAND,
            category=category, subcategory=subcategory,
            slogan=slogan, intro=intro, details=details, selling_points=_selling_points(details, intro),
            facts=extract_facts(" ".join([intro, details])),
            images=images, keywords=_keywords(text),
            licenses=[AssetLicense(path=p, license="unknown: supplied by the importing user", author="unknown",
                                   source=f"imported from {label}") for p in images],
        )
    except ValidationError as exc:
        raise InputError(f"{label}: {validation_message(exc)}") from None


def read_products_json(path: Path | str, allow_absolute: bool = True) -> list[Product]:
    """Parse a reference-format products.json; image paths resolve against its folder. Nothing is written."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    text = repair_curly_quotes(text, path.name)
    try:
        data = json.loads(text, parse_constant=refuse_json_constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path.name} line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})") from None
    except BareJSONConstant as exc:
        raise InputError(f"{path.name}: {exc} is not valid JSON; write a number or null") from None
    except RecursionError:
        raise InputError(f"{path.name}: nested too deeply to read; flatten the JSON") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise InputError(f"{path.name}: expected a JSON list of products with product_name, product_image, ...")
    products = [_to_product(raw, path.parent, f"{path.name} entry {i}", allow_absolute)
                for i, raw in enumerate(data, start=1)]
    return refuse_shared_ids(products, path)


def refuse_shared_ids(products: list[Product], path: Path) -> list[Product]:
    """The products as they are, or an InputError naming the first id two of them share."""
    ids = Counter(p.product_id for p in products)
    dupes = [pid for pid, n in ids.items() if n > 1]
    if dupes:
        raise InputError(f"{path.name}: two products share the name/id {dupes[0]!r}")
    return products
