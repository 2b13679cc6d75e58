"""Product library and audience importers: NextAds products.json, Qilin CSV, notes.json, MicroLens layout."""

from .audience import microlens_products, read_microlens, read_notes_json, read_qilin_csv
from .imports import check_upload_size, import_audience, import_products, save_products
from .loading import detect_format, load_audience, load_history
from .products import ProductLibrary
from .reference_products import read_products_json, repair_curly_quotes
from .safety import check_image, clean_text, resolve_within

__all__ = [
    "ProductLibrary", "check_image", "check_upload_size", "clean_text", "detect_format", "import_audience",
    "import_products", "load_audience", "save_products", "load_history", "microlens_products", "read_microlens", "read_notes_json",
    "read_products_json", "read_qilin_csv", "repair_curly_quotes", "resolve_within",
]
