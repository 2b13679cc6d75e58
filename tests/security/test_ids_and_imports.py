"""Ids from uploads never escape the data dir (item 3) and imports never silently replace each other (item 5)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from nextads_studio.cli import main
from nextads_studio.errors import InputError
from nextads_studio.library import import_audience, import_products, load_audience, read_microlens
from nextads_studio.settings import Settings
from nextads_studio.studio import Studio

HEADER = ["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"]


def image(path: Path, color=(200, 80, 60)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 64), color).save(path)
    return path


def qilin(path: Path, user: str, notes: int = 2, color=(200, 80, 60)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for k in range(notes):
        img = image(path.parent / f"{path.stem}_{k}.png", color)
        rows.append([user, "female", "25-30", f"n{k}", f"Trail run {k}", "Morning trail running in the hills "
                     "with friends, new shoes and a long climb.", img.name])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def upload(csv_path: Path) -> list[str]:
    """The files a person would pick in the upload box: the CSV and its images."""
    return [str(p) for p in sorted(csv_path.parent.iterdir())]


def files_outside(root: Path, since: float) -> list[Path]:
    """Files written after `since` anywhere under `root`'s parent but outside `root`."""
    out = []
    for p in root.parent.rglob("*"):
        if p.is_file() and root not in p.parents and p.stat().st_mtime >= since:
            out.append(p)
    return out


# --- item 3: path escape through an id ---------------------------------------------------------------------
def test_user_id_with_dot_dots_plans_inside_the_data_dir(tmp_path):
    """An uploaded history with user_idx ../../../../outside/pwn: Plan writes its collage inside the data dir."""
    from nextads_studio.ui import audience, plan
    from nextads_studio.ui.session import Session

    data = tmp_path / "deep" / "a" / "b" / "data"
    studio = Studio(Settings(data_dir=data, require_login=False))
    evil = "../../../../outside/pwn"
    src = qilin(tmp_path / "up" / "h.csv", evil)
    sess, update, status = audience.on_upload_history(studio, Session(), [str(p) for p in src.parent.iterdir()])
    assert status.startswith("✔"), status
    product = next(iter(studio.library)).product_id
    sess, status, *_ = plan.on_plan(studio, sess, evil, product, "pcg", None, 6, "9:16")
    assert sess.plan is not None, status
    collage = Path(sess.plan.grounding.collage_path).resolve()
    assert data.resolve() in collage.parents
    assert not (tmp_path / "deep" / "outside").exists() and not (tmp_path / "outside").exists()
    assert not any("pwn" in p.name for p in tmp_path.rglob("*") if data.resolve() not in p.resolve().parents)


def test_microlens_user_id_with_a_nul_byte_is_refused(tmp_path):
    folder = tmp_path / "ml"
    image(folder / "covers" / "a1.jpg")
    (folder / "users.json").write_text(json.dumps([{"user_id": "../../x\x00y", "vids": ["a1", "a2"]}]))
    with pytest.raises(InputError, match="user_id.*control character"):
        read_microlens(folder)


def test_microlens_vid_and_user_id_with_dot_dots_stay_inside(tmp_path, media_mp4):
    folder = tmp_path / "ml"
    image(folder / "covers" / "a1.jpg")
    (folder / "videos").mkdir()
    shutil.copy(media_mp4, folder / "videos" / "a2.mp4")
    (folder / "users.json").write_text(json.dumps([{"user_id": "../../../escaped", "vids": ["a1", "a2"]}]))
    data = tmp_path / "data"
    summary = import_audience(folder, data)
    assert summary["imported"] == ["../../../escaped"]
    assert not (tmp_path.parent / "escaped").exists()
    users = load_audience(tmp_path / "none", extra_dirs=[data / "audience"])
    h = users["../../../escaped"]
    assert all(data.resolve() in Path(p).resolve().parents for p in (h.host_video.video_path, h.videos[0].cover_path))


def test_note_and_user_ids_become_safe_folders(tmp_path):
    src = qilin(tmp_path / "up" / "h.csv", "../../../../tmp-escape")
    data = tmp_path / "data"
    import_audience(src, data)
    copied = [p for p in (data / "audience").rglob("*.png")]
    assert copied and all((data / "audience").resolve() in p.resolve().parents for p in copied)
    assert not (tmp_path / "tmp-escape").exists()


def test_products_with_non_latin_names_get_distinct_ids(tmp_path):
    img = image(tmp_path / "p.png")
    entries = [{"product_name": name, "product_image": img.name, "product_slogan": "好", "brand": "品牌"}
               for name in ("保温杯", "蓝牙耳机")]
    (tmp_path / "products.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    summary = import_products(tmp_path / "products.json", tmp_path / "data")
    ids = summary["imported"]
    assert len(set(ids)) == 2 and "product" not in ids, ids


# --- item 5: imports never replace each other ---------------------------------------------------------------
def test_two_uploads_with_the_same_file_name_keep_both_people(tmp_path):
    from nextads_studio.ui import uploads

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    first = uploads.import_history(studio, upload(qilin(tmp_path / "a" / "h.csv", "runner_a")))
    second = uploads.import_history(studio, upload(qilin(tmp_path / "b" / "h.csv", "runner_b", color=(20, 90, 9))))
    assert first.imported == ["runner_a"] and second.imported == ["runner_b"]
    restarted = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    assert {"runner_a", "runner_b"} <= set(restarted.audience)
    assert len(restarted.audience["runner_a"].notes) == 2


def test_an_upload_reusing_a_person_id_is_refused_and_the_first_is_kept(tmp_path):
    from nextads_studio.ui import uploads

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    uploads.import_history(studio, upload(qilin(tmp_path / "a" / "h.csv", "runner_a", notes=3)))
    with pytest.raises(InputError, match=r"runner_a is already in the studio .*\(3 stored, 1 in this upload\)"):
        uploads.import_history(studio, upload(qilin(tmp_path / "b" / "other.csv", "runner_a", notes=1)))
    with pytest.raises(InputError, match="already in the studio"):  # a shipped demo person is not replaced either
        uploads.import_history(studio, upload(qilin(tmp_path / "c" / "h.csv", next(iter(studio.audience)))))
    restarted = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    assert len(restarted.audience["runner_a"].notes) == 3
    assert not [p for p in (tmp_path / "data" / "uploads").iterdir()], "a refused import leaves nothing behind"


def test_product_form_never_replaces_a_shipped_product(tmp_path):
    from nextads_studio.ui import actions, uploads

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    shipped = next(p for p in studio.library if p.product_id == "torquemax-drill")
    img = image(tmp_path / "drill.png")
    made = uploads.new_product(studio, "Drill", "Torquemax", "retail", "Mine now", "x", "fast\nlight", "", str(img), None)
    actions.add_product(studio, made, "ed")
    assert made.product_id != "torquemax-drill"
    assert studio.library.get("torquemax-drill").images == shipped.images
    assert studio.library.get(made.product_id).name == "Drill"
    again = uploads.new_product(studio, "Drill", "Torquemax", "retail", "Mine too", "x", "fast\nlight", "", str(img), None)
    actions.add_product(studio, again, "ed")
    assert len({made.product_id, again.product_id, "torquemax-drill"}) == 3
    audit = [e for e in studio.store.audit_log() if e.action == "product_added"]
    assert [(e.actor, e.detail["product_id"]) for e in audit] == [("ed", made.product_id), ("ed", again.product_id)]


def test_cli_replaces_only_when_asked_and_audits_it(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(data))
    img = image(tmp_path / "p.png")
    path = tmp_path / "products.json"
    for slogan in ("first", "second"):
        path.write_text(json.dumps([{"product_id": "cup-1", "product_name": "Cup", "product_image": img.name,
                                     "product_slogan": slogan, "brand": "Mug Co"}]))
        code = main(["products", "import", str(path)])
    assert code == 2 and "already in the library" in capsys.readouterr().err
    assert main(["products", "import", str(path), "--replace"]) == 0
    lib = json.loads((data / "library" / "products.json").read_text())
    assert [e["slogan"] for e in lib if e["product_id"] == "cup-1"] == ["second"]
    from nextads_studio.store import Store

    with Store.open(Settings(data_dir=data)) as store:
        entries = [e for e in store.audit_log() if e.action == "products_replaced"]
    assert entries and entries[0].detail["ids"] == ["cup-1"] and entries[0].actor.startswith("cli:")


@pytest.fixture(scope="module")
def media_mp4(tmp_path_factory) -> Path:
    from tests.store.builders import write_mp4

    return write_mp4(tmp_path_factory.mktemp("mp4") / "host.mp4")



def test_a_note_image_symlinked_outside_its_folder_is_refused(tmp_path):
    from nextads_studio.library import read_notes_json

    secret = image(tmp_path / "elsewhere" / "private.png")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "notes.json").write_text(json.dumps([{"note_idx": "n1", "title": "Run", "content": "Trail run."}]))
    (folder / "n1.png").symlink_to(secret)
    with pytest.raises(InputError, match="outside the folder"):
        read_notes_json(folder / "notes.json", "u1")
    with pytest.raises(InputError, match="outside the folder"):
        import_audience(folder / "notes.json", tmp_path / "data", user_id="u1")
    assert not (tmp_path / "data" / "audience").exists() or not any((tmp_path / "data" / "audience").rglob("*.png"))
