"""A history's images may be shown in ads only when the import records a licence that allows reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nextads_studio.cli import main
from nextads_studio.errors import InputError
from nextads_studio.library import import_audience
from nextads_studio.library.reuse import licensed_for_reuse

from .conftest import make_image, note_row, write_csv


def _history(tmp_path: Path) -> Path:
    make_image(tmp_path / "h" / "img" / "a.jpg")
    return write_csv(tmp_path / "h" / "notes.csv", [note_row(images="img/a.jpg")])


def _imported_images(summary: dict) -> list[Path]:
    return sorted(Path(summary["folder"]).rglob("*.jpg"))


def test_imported_history_is_a_style_reference_by_default(tmp_path):
    summary = import_audience(_history(tmp_path), tmp_path / "data")
    images = _imported_images(summary)
    records = json.loads((Path(summary["folder"]) / "licenses.json").read_text())
    assert images and len(records) == len(images)
    assert all(r["licensed_for_reuse"] is False for r in records)
    assert not any(licensed_for_reuse(p) for p in images)


def test_licensed_for_reuse_is_recorded_with_the_licence_per_file(tmp_path):
    summary = import_audience(_history(tmp_path), tmp_path / "data", licensed_for_reuse=True, license="CC-BY-4.0")
    images = _imported_images(summary)
    records = json.loads((Path(summary["folder"]) / "licenses.json").read_text())
    assert {r["license"] for r in records} == {"CC-BY-4.0"} and summary["licensed_for_reuse"] is True
    assert images and all(licensed_for_reuse(p) for p in images)


def test_reuse_without_a_licence_is_refused_and_writes_nothing(tmp_path):
    with pytest.raises(InputError, match="licence"):
        import_audience(_history(tmp_path), tmp_path / "data", licensed_for_reuse=True)
    assert not (tmp_path / "data" / "audience").exists() or not any((tmp_path / "data" / "audience").iterdir())


def test_cli_flag(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(tmp_path / "data"))
    path = _history(tmp_path)
    assert main(["audience", "import", str(path), "--licensed-for-reuse"]) == 2
    assert "licence" in capsys.readouterr().err
    assert main(["audience", "import", str(path), "--licensed-for-reuse", "--license", "CC0-1.0"]) == 0
    assert json.loads(capsys.readouterr().out)["licensed_for_reuse"] is True
