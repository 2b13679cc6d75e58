"""The reference collage and per-scene asset bindings."""

from __future__ import annotations

import numpy as np
from PIL import Image

from nextads_studio.director.grounding import GAP, HEIGHT, TILE, blend_palette, build_collage

COLOURS = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (200, 200, 30)]


def _solid(path, colour, size=(300, 500)):
    Image.new("RGB", size, colour).save(path)
    return path


def test_collage_layout_grid_left_product_right(tmp_path):
    users = [_solid(tmp_path / f"u{i}.png", c) for i, c in enumerate(COLOURS)]
    product = _solid(tmp_path / "p.png", (10, 10, 10), size=(400, 800))
    out = build_collage(users, product, tmp_path / "collage.png")
    im = np.asarray(Image.open(out).convert("RGB"))
    product_w = round(400 * HEIGHT / 800)
    assert im.shape == (HEIGHT, 2 * TILE + GAP + product_w, 3)
    centres = [(TILE // 2, TILE // 2), (TILE // 2, TILE + TILE // 2), (TILE + TILE // 2, TILE // 2),
               (TILE + TILE // 2, TILE + TILE // 2)]
    for (y, x), colour in zip(centres, COLOURS, strict=True):  # row by row
        assert tuple(im[y, x]) == colour
    assert (im[:, 2 * TILE: 2 * TILE + GAP] == 255).all()       # 32 px white gap
    assert tuple(im[HEIGHT // 2, 2 * TILE + GAP + 5]) == (10, 10, 10)


def test_collage_adds_start_frame_and_generic_has_product_only(tmp_path):
    product = _solid(tmp_path / "p.png", (10, 10, 10), size=(768, 768))
    frame = _solid(tmp_path / "f.png", (0, 120, 0), size=(1280, 720))
    generic = np.asarray(Image.open(build_collage([], product, tmp_path / "g.png")))
    assert generic.shape[:2] == (HEIGHT, HEIGHT)
    pci = np.asarray(Image.open(build_collage([], product, tmp_path / "pci.png", start_frame=frame)).convert("RGB"))
    assert pci.shape[1] == HEIGHT + GAP + round(1280 * HEIGHT / 720)
    assert tuple(pci[10, -10]) == (0, 120, 0)


def test_palette_blends_brand_first():
    assert blend_palette(["#111111", "#222222", "#333333"], ["#ff0000"])[:2] == ["#FF0000", "#111111"]
    assert 4 <= len(blend_palette([], ["#FF0000"])) <= 6


def test_plan_binds_assets_per_scene(director, audience, library, plan_dir):
    product = library.get("torquemax-drill")
    plan = director.plan(audience["u_leo"], product, out_dir=plan_dir / "leo-drill")
    g = plan.grounding
    assert len(g.scene_assets) == len(plan.storyboard.scenes)
    last = g.scene_assets[-1]
    assert last.logo and last.product_image == product.images[0]
    assert 1 <= len(g.user_images) <= 4 and all("u_leo" in p for p in g.user_images)
    bound = {p for a in g.scene_assets for p in a.user_images}
    assert bound and bound <= set(g.user_images)
    assert "logo visible at the end" in g.constraints and "no other brands or logos" in g.constraints
    assert any("likeness" in c for c in g.constraints)
    for lic in product.licenses:
        assert g.asset_licenses[lic.path] == lic.license
    collage = Image.open(g.collage_path)
    assert collage.height == HEIGHT and collage.width > 2 * TILE + GAP


def test_a_product_without_a_logo_is_not_promised_one(director, audience, library, plan_dir):
    """Binoculars imported without a logo: the closing shot and the constraints asked for 'logo visible', which
    no frame can show; they ask for the product's name instead. With a logo nothing changes."""
    with_logo = library.get("torquemax-drill")
    product = with_logo.model_copy(update={"product_id": "drill-no-logo", "logo": None})
    plan = director.plan(audience["u_leo"], product, out_dir=plan_dir / "leo-drill-no-logo")
    closing = plan.storyboard.scenes[-1].visual
    assert "logo" not in closing and "product name visible" in closing, closing
    assert not any("logo visible" in c for c in plan.grounding.constraints)
    assert "product name visible at the end" in plan.grounding.constraints
    assert plan.grounding.scene_assets[-1].logo is False
    from nextads_studio.reflector.rewrite import generic_visual

    assert "logo" not in generic_visual(plan, len(plan.storyboard.scenes) - 1)  # the Reflector's generic shot too
    assert "logo visible" in director.plan(audience["u_leo"], with_logo, out_dir=plan_dir / "leo-drill-2") \
        .storyboard.scenes[-1].visual


def test_a_replaced_image_is_not_served_from_the_collage_caches(tmp_path):
    """Panels and collages are kept between plans; an image replaced at the same path is read again."""
    import os

    users = [_solid(tmp_path / "u0.png", COLOURS[0])]
    product = _solid(tmp_path / "p.png", (10, 10, 10), size=(400, 800))
    first = np.asarray(Image.open(build_collage(users, product, tmp_path / "a.png")).convert("RGB"))
    again = np.asarray(Image.open(build_collage(users, product, tmp_path / "b.png")).convert("RGB"))
    assert (first == again).all()
    _solid(users[0], COLOURS[2])
    st = os.stat(users[0])
    os.utime(users[0], ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a later write, same size
    changed = np.asarray(Image.open(build_collage(users, product, tmp_path / "c.png")).convert("RGB"))
    assert tuple(changed[TILE // 2, TILE // 2]) == COLOURS[2]
