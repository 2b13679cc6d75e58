"""Item 8: upload limits count extracted bytes, failed imports leave nothing behind, a picture many rows share is
stored once."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from nextads_studio.errors import InputError
from nextads_studio.library import import_audience, load_audience
from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui import uploads

HEADER = ["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"]


def rows_csv(path: Path, rows: int, images: list[str]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            w.writerow([f"p{i % 3}", "", "", f"n{i}", f"Ride {i}", "Long gravel ride along the river at dawn.",
                        images[i % len(images)]])
    return path


def test_zip_member_larger_than_the_limit_is_refused_and_nothing_is_left(tmp_path):
    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False, max_upload_mb=1))
    archive = tmp_path / "h.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("h.csv", "user_idx,gender,age,note_idx,note_title,note_content,image_paths\n")
        zf.writestr("big.bin", b"\0" * (3 * 1024 * 1024))  # 3 MB that compresses to a few KB
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(InputError, match="unpacks to more than the upload limit of 1 MB"):
        uploads.import_history(studio, [str(archive)])
    assert list((tmp_path / "data" / "uploads").iterdir()) == []
    assert not (tmp_path / "data" / "audience").exists() or not list((tmp_path / "data" / "audience").iterdir())


def test_a_failed_import_leaves_nothing_in_uploads_or_audience(tmp_path):
    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    bad = tmp_path / "bad.csv"
    bad.write_text("user_idx,gender,age,note_idx,note_title,note_content,image_paths\nu1,,,n1,t,c,missing.jpg\n")
    with pytest.raises(InputError, match="image not found"):
        uploads.import_history(studio, [str(bad)])
    data = tmp_path / "data"
    assert list((data / "uploads").iterdir()) == []
    assert [p for p in (data / "audience").iterdir()] == [] if (data / "audience").exists() else True


def test_a_picture_shared_by_many_rows_is_stored_once(tmp_path):
    up = tmp_path / "up"
    up.mkdir()
    for name, color in (("a.png", (200, 40, 40)), ("b.png", (40, 40, 200))):
        Image.new("RGB", (64, 64), color).save(up / name)
    Image.new("RGB", (64, 64), (200, 40, 40)).save(up / "a_copy.png")  # same bytes, another name
    src = rows_csv(up / "rides.csv", 600, ["a.png", "b.png", "a_copy.png"])
    summary = import_audience(src, tmp_path / "data")
    stored = [p for p in (tmp_path / "data" / "audience").rglob("*") if p.suffix == ".png"]
    assert len(stored) == 2 and summary["files_copied"] == 2
    users = load_audience(tmp_path / "none", extra_dirs=[tmp_path / "data" / "audience"])
    assert sum(len(h.notes) for h in users.values()) == 600
    assert len({p for h in users.values() for n in h.notes for p in n.image_paths}) == 2
