"""Importers: good files import; each kind of bad input gets a message naming file and field, and nothing is stored."""

from __future__ import annotations

import json
import logging
import os

import pytest

from nextads_studio.errors import InputError
from nextads_studio.library import (
    check_image,
    import_audience,
    import_products,
    load_history,
    read_notes_json,
    read_products_json,
    read_qilin_csv,
    resolve_within,
)
from nextads_studio.producer.layers import library_matte

from .conftest import DATA, bomb_png, make_image, note_row, stored_files, write_csv

REFERENCE = DATA / "reference_products" / "products.json"


# --- formats that must import -----------------------------------------------------------------------------
def test_reference_products_json_with_curly_quotes_imports(tmp_path, caplog):
    data_dir = tmp_path / "data"
    with caplog.at_level(logging.WARNING):
        summary = import_products(REFERENCE, data_dir)
    assert "typographic quotes around 2 value(s)" in caplog.text
    assert summary["imported"] == ["ridgeline-trail-shoe", "cabinly-stays"]
    stored = json.loads((data_dir / "library" / "products.json").read_text())
    shoe = stored[0]
    assert shoe["images"] == ["images/ridgeline-trail-shoe_1.jpg", "images/ridgeline-trail-shoe_2.jpg"]
    assert all((data_dir / "library" / p).is_file() for p in shoe["images"])
    # each product image is cut out at import, so the product's first render does not wait for GrabCut
    images = [data_dir / "library" / p for entry in stored for p in entry["images"]]
    assert summary["mattes"] == len(images) and all(library_matte(p).is_file() for p in images)
    # the curly quotes inside a text value were left alone
    assert "“the mountain goat”" in shoe["intro"]
    assert stored[1]["category"] == "service"


def test_library_format_products_json_imports_with_its_logo(tmp_path):
    """A products.json in the library's own format (name, brand, images, logo, selling_points, as the shipped
    library writes it) imports too; it was read as the reference format and refused with 'product_name is
    missing'. An entry without selling points takes them from its details."""
    folder = tmp_path / "src"
    make_image(folder / "img" / "w1.jpg")
    make_image(folder / "img" / "logo.png")
    entries = [{"product_id": "tidemark", "name": "Tidemark", "brand": "Harbourline", "category": "electronics",
                "slogan": "Know the water.", "selling_points": ["Tide graph for 3,000 ports on your wrist"],
                "facts": {"price": "$349"}, "images": ["img/w1.jpg"], "logo": "img/logo.png"},
               {"product_id": "shorebag", "name": "Shorebag", "brand": "Harbourline", "category": "retail",
                "details": "A roll-top dry bag. Holds 20 litres.", "images": ["img/w1.jpg"]}]
    (folder / "products.json").write_text(json.dumps(entries), encoding="utf-8")
    data_dir = tmp_path / "data"
    summary = import_products(folder / "products.json", data_dir, uploaded=True)
    assert summary["imported"] == ["tidemark", "shorebag"]
    stored = json.loads((data_dir / "library" / "products.json").read_text())
    assert stored[0]["logo"] == "images/tidemark_logo.png" and stored[0]["facts"] == {"price": "$349"}
    assert (data_dir / "library" / stored[0]["logo"]).is_file()
    assert stored[1]["selling_points"] == ["A roll-top dry bag.", "Holds 20 litres."]
    del entries[1]["details"]
    (folder / "products.json").write_text(json.dumps(entries), encoding="utf-8")
    _refused(tmp_path / "again", lambda d: import_products(folder / "products.json", d),
             r"products.json entry 2 \(shorebag\): field selling_points: missing")


def test_reimport_replaces_only_when_asked_and_never_duplicates(tmp_path):
    import_products(REFERENCE, tmp_path)
    with pytest.raises(InputError, match="already in the library"):
        import_products(REFERENCE, tmp_path)
    summary = import_products(REFERENCE, tmp_path, replace=True)
    assert summary["total_imported_products"] == 2 and len(summary["replaced"]) == 2


def test_qilin_csv_imports_with_relative_images_and_unicode(upload, tmp_path):
    text = "Morning run 🏃‍♀️ then coffee. مرحبا بالعالم — 今天烤了面包"
    csv_path = write_csv(upload / "history.csv", [
        note_row(idx="n1", images="img/a.jpg|img/b.png"),
        note_row(idx="n2", title="שלום 👋", content=text, images=""),
        note_row(user="u_other", idx="n9", images="img/b.png"),
    ])
    users = read_qilin_csv(csv_path)
    assert set(users) == {"u_test", "u_other"}
    first, second = users["u_test"].notes
    assert first.image_paths == [str((upload / "img" / "a.jpg").resolve()), str((upload / "img" / "b.png").resolve())]
    assert second.content == text and second.title == "שלום 👋"
    summary = import_audience(csv_path, tmp_path / "data", user_id="u_test")
    assert summary["imported"] == ["u_test"]
    again = load_history(tmp_path / "data" / "audience" / "history", "u_test")
    assert again.notes[1].content == text and len(again.notes[0].image_paths) == 2


def test_reference_notes_json_matches_images_by_note_idx(tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "notes.json").write_text(json.dumps([
        {"note_idx": 101, "title": "Pour-over", "content": "15 g coffee, 250 ml water."},
        {"note_idx": 1010, "title": "Grinder", "content": "Burr grinder at last."},
    ]))
    make_image(folder / "101.jpg")
    make_image(folder / "101_2.jpg")
    make_image(folder / "1010.jpg")
    history = read_notes_json(folder / "notes.json", "u_coffee")
    assert [len(n.image_paths) for n in history.notes] == [2, 1]  # '1010.jpg' is not an image of note 101
    assert load_history(folder, "u_coffee").notes[0].title == "Pour-over"


def test_microlens_layout_host_is_last_vid():
    from nextads_studio.library import read_microlens

    from .conftest import ROOT

    users = read_microlens(ROOT / "assets" / "audience" / "videos")
    kai = users["v_kai"]
    assert kai.host_video.vid == "kai05" and [v.vid for v in kai.videos] == ["kai01", "kai02", "kai03", "kai04"]
    assert kai.host_video.video_path.endswith("kai05.mp4") and kai.videos[0].cover_path.endswith("kai01.jpg")


# --- bad input: one test per kind ---------------------------------------------------------------------------
def _refused(tmp_path, run, match: str):
    data_dir = tmp_path / "data"
    with pytest.raises(InputError, match=match) as info:
        run(data_dir)
    assert stored_files(data_dir) == [], "a failed import must not store anything"
    assert "\n" not in str(info.value)
    return str(info.value)


def test_malformed_json_names_line_and_column(tmp_path):
    bad = tmp_path / "products.json"
    bad.write_text('[{"product_name": "X",\n  "product_image": ["a.jpg"]\n  "product_slogan": "oops"}]')
    _refused(tmp_path, lambda d: import_products(bad, d), r"products.json line 3 column 3: not valid JSON")


def test_malformed_csv_row(upload, tmp_path):
    path = upload / "bad.csv"
    path.write_text(",".join(["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"])
                    + "\nu1,female,20-25,n1,title,content,img/a.jpg,EXTRA,MORE\n")
    _refused(tmp_path, lambda d: import_audience(path, d), r"bad.csv line 2: expected 7 columns")


def test_a_spreadsheet_header_in_other_case_or_with_spaces_reads(upload):
    """'User_idx' and ' note_title ' are the columns the format names (a spreadsheet export capitalised them and
    the import said 'missing column(s) user_idx')."""
    header = ["User_idx", "Gender", "AGE", " note_idx", "Note_Title ", "note_content", "Image_Paths"]
    users = read_qilin_csv(write_csv(upload / "caps.csv", [note_row()], header=header))
    assert list(users) == ["u_test"] and users["u_test"].notes[0].title == "Trail day"


def test_missing_columns(upload, tmp_path):
    path = write_csv(upload / "cols.csv", [["u1", "n1", "t"]], header=["user_idx", "note_idx", "note_title"])
    _refused(tmp_path, lambda d: import_audience(path, d),
             r"cols.csv line 1: missing column\(s\) gender, age, note_content, image_paths")


def test_wrong_types(upload, tmp_path):
    path = write_csv(upload / "types.csv", [note_row(age="thirty")])
    _refused(tmp_path, lambda d: import_audience(path, d), r"types.csv line 2, column age: 'thirty' is not an age")
    bad = tmp_path / "p.json"
    bad.write_text(json.dumps([{"product_name": "X", "product_image": 42}]))
    _refused(tmp_path, lambda d: import_products(bad, d), r"p.json entry 1 \(X\): product_image must be a non-empty list")
    notes = tmp_path / "notes.json"
    notes.write_text(json.dumps([{"note_idx": ["1"], "title": "t", "content": "c"}]))
    _refused(tmp_path, lambda d: import_audience(notes, d, user_id="u"), r"notes.json entry 1: field note_idx")


def test_empty_row_names_line_and_column(upload, tmp_path):
    path = write_csv(upload / "empty.csv", [note_row(), ["", "", "", "", "", "", ""]])
    _refused(tmp_path, lambda d: import_audience(path, d), r"empty.csv line 3, column user_idx: empty")


def test_truncated_image(upload, tmp_path):
    full = make_image(upload / "img" / "big.jpg", size=(300, 300)).read_bytes()
    (upload / "img" / "big.jpg").write_bytes(full[: len(full) // 2])
    path = write_csv(upload / "t.csv", [note_row(images="img/big.jpg")])
    _refused(tmp_path, lambda d: import_audience(path, d), r"column image_paths: big.jpg is damaged or truncated")


def test_decompression_bomb(upload, tmp_path):
    bomb_png(upload / "img" / "bomb.png", 9000, 5000)  # 45 MP: over our limit, under Pillow's own
    path = write_csv(upload / "b.csv", [note_row(images="img/bomb.png")])
    _refused(tmp_path, lambda d: import_audience(path, d),
             r"column image_paths: bomb.png is 9000x5000 pixels, over the 40 MP limit \(possible decompression bomb")
    bomb_png(upload / "img" / "bomb.png", 20000, 20000)  # 400 MP: Pillow refuses to even open it
    _refused(tmp_path, lambda d: import_audience(path, d), r"bomb.png is too large to decode safely")


def test_non_image_named_jpg(upload, tmp_path):
    (upload / "img" / "fake.jpg").write_text("<html>not a picture</html>")
    path = write_csv(upload / "f.csv", [note_row(images="img/fake.jpg")])
    _refused(tmp_path, lambda d: import_audience(path, d), r"fake.jpg is not an image Pillow can read")


def test_missing_image_path(upload, tmp_path):
    path = write_csv(upload / "m.csv", [note_row(images="img/nowhere.jpg")])
    _refused(tmp_path, lambda d: import_audience(path, d), r"m.csv line 2, column image_paths: image not found")


def test_url_instead_of_local_image(tmp_path):
    bad = tmp_path / "products.json"
    bad.write_text(json.dumps([{"product_name": "Cola", "product_image": ["https://example.invalid/cola.png"]}]))
    msg = _refused(tmp_path, lambda d: import_products(bad, d), r"is a URL; download the image and put its local path")
    assert "products.json entry 1 (Cola)" in msg


@pytest.mark.parametrize("escape", ["../outside.jpg", "img/../../outside.jpg", "/etc/hostname", "link/a.jpg"])
def test_paths_escaping_the_uploaded_folder(tmp_path, escape):
    upload = tmp_path / "upload"
    make_image(tmp_path / "outside.jpg")
    make_image(tmp_path / "elsewhere" / "a.jpg")
    upload.mkdir()
    os.symlink(tmp_path / "elsewhere", upload / "link")
    with pytest.raises(InputError, match="outside the folder|absolute path"):
        resolve_within(upload, escape)
    # an upload through the studio (allow_absolute=False) refuses it in the CSV as well
    path = write_csv(upload / "x.csv", [note_row(images=escape)])
    with pytest.raises(InputError, match=r"x.csv line 2, column image_paths: .*(outside the folder|absolute path)"):
        read_qilin_csv(path, allow_absolute=False)


def test_hundred_kb_note_is_accepted_truncated_with_a_warning(upload, tmp_path, caplog):
    long_text = ("Trail notes, day by day. " * 4200)[:100_000]
    path = write_csv(upload / "long.csv", [note_row(content=long_text, images="")])
    with caplog.at_level(logging.WARNING):
        users = read_qilin_csv(path)
    note = users["u_test"].notes[0]
    assert len(note.content) == 4000 and long_text.startswith(note.content)
    assert "long.csv line 2, column note_content: text has 100000 characters; kept the first 4000" in caplog.text


def test_check_image_accepts_real_images_and_names_the_file(tmp_path):
    assert check_image(make_image(tmp_path / "ok.png", size=(50, 40))) == (50, 40)
    with pytest.raises(InputError, match="image not found: .*gone.jpg"):
        check_image(tmp_path / "gone.jpg")


def test_studio_imports_refuse_escapes_even_for_products(tmp_path):
    folder = tmp_path / "up"
    folder.mkdir()
    make_image(tmp_path / "secret.jpg")
    bad = folder / "products.json"
    bad.write_text(json.dumps([{"product_name": "Sneaky", "product_image": ["../secret.jpg"]}]))
    with pytest.raises(InputError, match="points outside the folder 'up'"):
        read_products_json(bad, allow_absolute=False)
    with pytest.raises(InputError, match="points outside the folder 'up'"):
        read_products_json(bad)  # relative paths never leave the folder, even from the CLI


def test_reference_demo_notes_json_with_prose_preamble(tmp_path, caplog):
    path = tmp_path / "notes.json"
    path.write_text("User's historical interaction texts.\nFor example:\n"
                    '[\n  {"note_idx": 1, "title": "春日绝美穿搭分享", "content": "今天天气太好了，穿了新买的法式碎花裙..."}\n]\n',
                    encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        history = read_notes_json(path, "u_demo")
    assert history.notes[0].title == "春日绝美穿搭分享" and "ignored the text" in caplog.text
    path.write_text('[{"note_idx": 1, "title": "x"', encoding="utf-8")
    with pytest.raises(InputError, match="notes.json line 1 column 30: not valid JSON"):
        read_notes_json(path, "u_demo")


def test_uploads_through_the_studio_refuse_absolute_paths(upload, tmp_path):
    outside = make_image(tmp_path / "outside.jpg")
    path = write_csv(upload / "abs.csv", [note_row(images=str(outside))])
    assert read_qilin_csv(path)["u_test"].notes[0].image_paths == [str(outside.resolve())]  # the CLI may
    _refused(tmp_path, lambda d: import_audience(path, d, uploaded=True), r"abs.csv line 2, column image_paths: absolute path")


def test_unreadable_csv_text_names_the_line(upload, tmp_path):
    path = upload / "nul.csv"
    path.write_bytes(b"user_idx,gender,age,note_idx,note_title,note_content,image_paths\n"
                     b'u1,f,20,n1,"title,"content"\x00,\n')
    data_dir = tmp_path / "data"
    with pytest.raises(InputError, match=r"nul.csv line 2: (malformed CSV|expected 7 columns)"):
        import_audience(path, data_dir)
    assert stored_files(data_dir) == []


def test_reference_import_splits_at_sentences_not_decimals_and_keeps_facts(tmp_path, caplog):
    """A selling point with '2.0Ah' stays whole; numbers with units become facts; no brand means unknown."""
    (tmp_path / "images").mkdir()
    make_image(tmp_path / "images" / "drill.jpg")
    record = [{"product_name": "TorqueMax 20V Drill", "product_image": ["images/drill.jpg"],
               "product_intro": "A compact cordless drill for shelves and furniture.",
               "product_details": "Ships with two 2.0Ah batteries and a charger. Weighs 1.4 kg. Costs $129. "
                                  "Charges in 45 minutes."}]
    path = tmp_path / "products.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        (drill,) = read_products_json(path)
    assert "Ships with two 2.0Ah batteries and a charger." in drill.selling_points
    assert not any(p.startswith("0Ah") or p.endswith("two 2.") for p in drill.selling_points)
    assert drill.brand == "unknown" and "no brand in the record" in caplog.text
    assert drill.facts["battery"] == "2.0Ah" and drill.facts["weight"] == "1.4 kg"
    assert drill.facts["price"] == "$129" and drill.facts["time"] == "45 minutes"
    assert f"no category in the record; guessed {drill.category!r} from" in caplog.text


def test_reference_import_takes_the_brand_field(tmp_path):
    (tmp_path / "images").mkdir()
    make_image(tmp_path / "images" / "a.jpg")
    record = [{"product_name": "Strider Trail 2", "brand": "Vantage", "product_image": ["images/a.jpg"]}]
    (tmp_path / "products.json").write_text(json.dumps(record), encoding="utf-8")
    (shoe,) = read_products_json(tmp_path / "products.json")
    assert shoe.brand == "Vantage"


def test_reference_import_keeps_a_finer_category_as_the_subcategory(tmp_path, caplog):
    """'optics' is not one of the three categories: kept as the subcategory, the category guessed with evidence
    (was: the whole file refused)."""
    (tmp_path / "images").mkdir()
    make_image(tmp_path / "images" / "b.jpg")
    record = [{"product_name": "Kestrel 8x42 Binoculars", "category": "optics", "product_image": ["images/b.jpg"],
               "product_intro": "Waterproof binoculars for birding."}]
    (tmp_path / "products.json").write_text(json.dumps(record), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        (binoculars,) = read_products_json(tmp_path / "products.json")
    assert binoculars.subcategory == "optics" and binoculars.category in ("electronics", "retail", "service")
    assert "category 'optics' is not one of" in caplog.text


def test_a_missing_product_image_is_named_as_the_file_wrote_it(tmp_path):
    """The studio said 'image not found: uploads/.history-z5xda_ke/img/missing.jpg' (its staging folder): the
    message names the path as written in products.json, in both formats."""
    folder = tmp_path / "src"
    make_image(folder / "img" / "ok.jpg")
    (folder / "products.json").write_text(json.dumps([{"product_id": "x", "name": "Broken", "brand": "B",
                                                       "selling_points": ["Light"], "images": ["img/missing.jpg"]}]))
    with pytest.raises(InputError) as err:
        import_products(folder / "products.json", tmp_path / "data", uploaded=True)
    assert "image not found: img/missing.jpg (not among the files given with it)" in str(err.value)
    assert str(tmp_path) not in str(err.value)
    (folder / "ref.json").write_text(json.dumps([{"product_name": "Broken", "product_intro": "Light.",
                                                  "product_image": ["img/gone.jpg"]}]))
    with pytest.raises(InputError, match=r"image not found: img/gone.jpg \(not among"):
        import_products(folder / "ref.json", tmp_path / "data", uploaded=True)
