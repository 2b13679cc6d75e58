"""`nextads products|audience list|import` as a person runs them: JSON on success, one line and exit 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import DATA, ROOT, make_image, stored_files


def nextads(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEXTADS_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "nextads_studio", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120)


def test_products_and_audience_lists(tmp_path):
    out = nextads("products", "list", "--json", data_dir=tmp_path / "d")
    assert out.returncode == 0, out.stderr
    products = json.loads(out.stdout)
    assert len(products) >= 18 and all(os.path.isabs(p["images"][0]) for p in products)
    out = nextads("audience", "list", "--json", data_dir=tmp_path / "d")
    assert out.returncode == 0, out.stderr
    users = json.loads(out.stdout)
    assert len(users) >= 12 and {u["kind"] for u in users} == {"notes", "videos"}
    table = nextads("products", "list", data_dir=tmp_path / "d").stdout
    assert "torquemax-drill" in table and table.strip().endswith("products")


def test_products_import_then_listed(tmp_path):
    data_dir = tmp_path / "d"
    out = nextads("products", "import", str(DATA / "reference_products" / "products.json"), data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["imported"] == ["ridgeline-trail-shoe", "cabinly-stays"]
    listed = json.loads(nextads("products", "list", "--json", data_dir=data_dir).stdout)
    assert "cabinly-stays" in [p["product_id"] for p in listed]


def test_audience_import_then_listed(tmp_path):
    data_dir = tmp_path / "d"
    folder = tmp_path / "hist"
    folder.mkdir()
    (folder / "notes.json").write_text(json.dumps([{"note_idx": 1, "title": "Tea", "content": "Oolong at dusk 🍵"}]))
    make_image(folder / "1.jpg")
    out = nextads("audience", "import", str(folder / "notes.json"), "--user", "u_tea", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["imported"] == ["u_tea"]
    users = json.loads(nextads("audience", "list", "--json", data_dir=data_dir).stdout)
    assert "u_tea" in [u["user_id"] for u in users] and len(users) >= 13


def test_bad_import_is_one_line_exit_2_nothing_written(tmp_path):
    data_dir = tmp_path / "d"
    bad = tmp_path / "products.json"
    bad.write_text(json.dumps([{"product_name": "Cola", "product_image": ["https://example.invalid/c.png"]}]))
    out = nextads("products", "import", str(bad), data_dir=data_dir)
    assert out.returncode == 2 and out.stdout == ""
    lines = [ln for ln in out.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: products.json entry 1 (Cola)") and "download" in lines[0]
    assert stored_files(data_dir) == []
    out = nextads("audience", "import", str(tmp_path / "nope.csv"), data_dir=data_dir)
    assert out.returncode == 2 and "not found" in out.stderr
