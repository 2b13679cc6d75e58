"""Builders for the bad and good inputs the library tests feed to the importers."""

from __future__ import annotations

import csv
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
HEADER = ["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"]


def make_image(path: Path, color=(200, 80, 60), size=(64, 64), fmt=None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGB", size, (240, 240, 235))
    ImageDraw.Draw(img).ellipse((8, 8, size[0] - 8, size[1] - 8), fill=color)
    img.save(path, fmt or ("PNG" if path.suffix == ".png" else "JPEG"))
    return path


def bomb_png(path: Path, width: int = 20000, height: int = 20000) -> Path:
    """A tiny PNG whose header claims a huge size: opening it must not decode 400 MP."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def write_csv(path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header or HEADER)
        w.writerows(rows)
    return path


def note_row(user="u_test", idx="n1", title="Trail day", content="Ran the ridge at sunrise.", images="img/a.jpg",
             age="25-30"):
    return [user, "female", age, idx, title, content, images]


def stored_files(data_dir: Path) -> list[Path]:
    return [p for p in data_dir.rglob("*") if p.is_file()] if data_dir.exists() else []


@pytest.fixture
def upload(tmp_path) -> Path:
    """An uploaded folder with two good images."""
    d = tmp_path / "upload"
    make_image(d / "img" / "a.jpg")
    make_image(d / "img" / "b.png", color=(40, 90, 200))
    return d
