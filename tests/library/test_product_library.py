"""The shipped product library: enough real, distinct, licensed products; the loader catches bad entries."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from PIL import Image

from nextads_studio.errors import InputError
from nextads_studio.library import ProductLibrary
from nextads_studio.settings import Settings

from .conftest import ROOT

LIB = ROOT / "product_library"


@pytest.fixture(scope="module")
def library() -> ProductLibrary:
    return ProductLibrary.load(LIB)


def test_library_spans_the_categories_the_paper_names(library):
    assert len(library) >= 18
    subs = {p.subcategory for p in library}
    for needed in ("smartphone", "headphones", "laptop", "running shoes", "skincare serum", "coffee", "apparel",
                   "music streaming", "video streaming", "ride-hailing", "food delivery", "travel stays",
                   "power tools"):
        assert needed in subs, needed
    assert {p.category for p in library} == {"electronics", "retail", "service"}


def test_every_product_has_facts_points_images_logo_and_licences(library):
    for p in library:
        assert 3 <= len(p.selling_points) <= 6, p.product_id
        assert "price" in p.facts and p.slogan and p.intro and p.details and p.keywords
        assert len(p.images) >= 2 and p.logo and len(p.brand_colors) >= 2
        licensed = {lic.path for lic in p.licenses}
        for path in [*p.images, p.logo]:
            assert (LIB / next(r for r in licensed if path.endswith(r))).is_file()
        assert all(lic.license == "Apache-2.0" for lic in p.licenses)


def test_every_product_image_ships_its_current_licensed_matte(library):
    """Shipped product images carry the mattes an import would make (a first render does not cut them out): one
    per image, for the current cut-out version, licensed like the image, equal to computing it now."""
    from nextads_studio.producer.layers import CUTOUT_VERSION, library_matte, load_rgba, matte

    for p in library:
        licensed = {lic.path for lic in p.licenses}
        for path in p.images:
            stored = library_matte(path)
            assert stored.is_file(), f"{path}: no {CUTOUT_VERSION} matte; run python -m tools.demo_data.draw_products"
            assert stored.relative_to(LIB).as_posix() in licensed
    shipped = library.products[0].images[0]
    assert np.array_equal(np.asarray(Image.open(library_matte(shipped))), matte(load_rgba(shipped)))


def test_images_are_shaded_products_not_flat_cards(library):
    total = sum(f.stat().st_size for f in LIB.rglob("*") if f.is_file())
    assert total < 6 * 1024 * 1024
    for p in library:
        for path in p.images:
            img = Image.open(path)
            assert img.size == (800, 800) and (LIB / "images" / img.filename.split("/")[-1]).stat().st_size < 200_000
            centre = np.asarray(img.convert("RGB").crop((200, 200, 600, 600)), dtype=np.float32)
            assert centre.std() > 20, f"{path} looks flat"
            packed = centre.astype(np.int64) @ np.array([65536, 256, 1])
            assert len(np.unique(packed)) > 500, f"{path} has no shading"


def test_each_products_images_differ_from_other_products(library):
    def signature(path):
        arr = np.asarray(Image.open(path).convert("RGB").resize((64, 64)), dtype=np.float32)
        hist = np.concatenate([np.histogram(arr[..., c], bins=16, range=(0, 255))[0] for c in range(3)])
        return hist / hist.sum()

    sigs = {p.product_id: signature(p.images[0]) for p in library}
    ids = list(sigs)
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            assert np.abs(sigs[a] - sigs[b]).sum() > 0.15, f"{a} and {b} look alike"


def test_get_by_id_or_name_and_close_matches(library):
    assert library.get("aurora-x").name == "Aurora X"
    assert library.get("  aurora x ").product_id == "aurora-x"
    with pytest.raises(InputError, match="close matches: .*torquemax-drill"):
        library.get("torquemax dril")


def test_bad_entry_is_reported_with_file_entry_and_field(tmp_path):
    lib = tmp_path / "lib"
    shutil.copytree(LIB, lib)
    data = json.loads((lib / "products.json").read_text())
    data[2]["selling_points"] = ["only one"]
    (lib / "products.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"products.json entry 3 \(nimbus-book\): field selling_points"):
        ProductLibrary.load(lib)
    data[2]["selling_points"] = ["a", "b", "c"]
    data[2]["brand_colors"] = ["blue"]
    (lib / "products.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"entry 3 \(nimbus-book\): field brand_colors.0"):
        ProductLibrary.load(lib)
    data[2]["brand_colors"] = ["#000000"]
    data[2]["images"] = ["images/missing.jpg", "images/aurora-x_1.jpg"]
    (lib / "products.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match=r"entry 3 \(nimbus-book\) images: image not found"):
        ProductLibrary.load(lib)
    data[2]["images"] = ["../outside.jpg", "images/aurora-x_1.jpg"]
    (lib / "products.json").write_text(json.dumps(data))
    with pytest.raises(InputError, match="points outside the folder"):
        ProductLibrary.load(lib)


def test_generator_is_deterministic(tmp_path):
    from tools.demo_data.draw_products import build_product
    from tools.demo_data.product_specs import PRODUCTS

    spec = next(s for s in PRODUCTS if s["product_id"] == "torquemax-drill")
    entry = build_product(spec, tmp_path)
    for rel in [*entry["images"], entry["logo"]]:
        # compare pixels, not bytes: another libjpeg/zlib build may encode the same picture differently
        new = np.asarray(Image.open(tmp_path / rel).convert("RGBA"), dtype=np.float32)
        old = np.asarray(Image.open(LIB / rel).convert("RGBA"), dtype=np.float32)
        assert np.abs(new - old).mean() < 1.0, rel


def test_studio_library_includes_imported_products(tmp_path):
    from nextads_studio.library import import_products
    from nextads_studio.studio import Studio

    settings = Settings(data_dir=tmp_path / "data")
    import_products(ROOT / "tests" / "data" / "reference_products" / "products.json", settings.data_dir)
    studio = Studio(settings)
    assert studio.library.get("Ridgeline Trail Shoe").category == "retail"
    assert len(studio.library) >= 20
