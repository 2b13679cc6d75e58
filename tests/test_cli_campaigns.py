"""The CLI on the campaign core: every command records into the store, and `nextads campaigns list` shows it."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from nextads_studio.cli import main

pytestmark = pytest.mark.slow
ROOT_AUDIENCE = "assets/audience/notes"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli") / "data"


@pytest.fixture
def cli(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(data_dir))

    def run(*args):
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, (json.loads(out) if code == 0 else None), err

    return run


@pytest.fixture(scope="module")
def own_products(tmp_path_factory):
    """A product the studio was not tuned on, in a products.json of its own (with a drawn image)."""
    folder = tmp_path_factory.mktemp("products")
    for i, body in enumerate([(230, 230, 220), (40, 40, 44)]):
        img = np.full((480, 480, 3), (32, 96, 160), np.uint8)
        img[120:360, 150:330] = body
        Image.fromarray(img).save(folder / f"kettle_{i}.png")
    product = {"product_id": "tidewater-kettle", "name": "Tidewater Kettle", "brand": "Tidewater",
               "category": "retail", "subcategory": "kitchen", "slogan": "Boiled in ninety seconds.",
               "intro": "A 1.2-litre electric kettle with a keep-warm setting.",
               "selling_points": ["Boils a litre in ninety seconds", "Keeps water warm for an hour",
                                  "Auto shut-off when dry"],
               "facts": {"price": "$49", "capacity": "1.2 l"}, "keywords": ["tea", "kitchen", "coffee"],
               "images": ["kettle_0.png", "kettle_1.png"], "brand_colors": ["#205FA0", "#F2F2EE"]}
    (folder / "products.json").write_text(json.dumps([product]), encoding="utf-8")
    return folder / "products.json"


def _history():
    from nextads_studio.settings import Settings

    return sorted((Settings().assets_dir / "audience" / "notes").glob("*.csv"))[0]


def test_run_is_recorded_and_listed(cli, own_products, tmp_path):
    code, done, err = cli("run", "--history", _history(), "--user", "u_nora", "--product", "Tidewater Kettle",
                          "--products", own_products, "--duration", "6", "--resolution", "360",
                          "--max-rounds", "1", "--out", tmp_path / "run")
    assert code == 0, err
    assert done["campaign_name"] == "u_nora × Tidewater Kettle" and done["final_version"] == 1
    assert (tmp_path / "run" / "round_1" / "verdict.json").is_file()
    code, rows, err = cli("campaigns", "list")
    assert code == 0, err
    row = next(r for r in rows if r["id"] == done["campaign"])
    assert (row["person"], row["product"], row["versions"]) == ("u_nora", "Tidewater Kettle", 1)
    assert row["latest_decision"] == done["decision"] and row["approval"] == "draft"

    # the same person and product again: a new version of the same campaign
    code, again, err = cli("run", "--history", _history(), "--user", "u_nora", "--product", "Tidewater Kettle",
                           "--products", own_products, "--duration", "6", "--resolution", "360",
                           "--max-rounds", "1", "--out", tmp_path / "run2")
    assert code == 0, err
    assert again["campaign"] == done["campaign"] and again["final_version"] == 2


def test_plan_render_verify_reflect_record_into_one_campaign(cli, tmp_path):
    out = tmp_path / "steps"
    code, plan, err = cli("plan", "--history", _history(), "--user", "u_nora", "--product", "ridge-roast",
                          "--duration", "6", "--campaign", "Nora coffee", "--out", out)
    assert code == 0, err
    cid = plan["campaign"]
    assert plan["campaign_name"] == "Nora coffee" and (out / "campaign.json").is_file()
    code, creative, err = cli("render", out / "plan.json", "--resolution", "360")
    assert code == 0, err
    assert creative["campaign"] == cid
    code, verdict, err = cli("verify", out / "plan.json", out / "creative.mp4")
    assert code == 0, err
    code, reflected, err = cli("reflect", out / "plan.json", out / "verdict.json", "--out", out / "reflect")
    assert code == 0, err
    assert reflected["campaign"] == cid
    code, shown, err = cli("campaigns", "show", cid)
    assert code == 0, err
    assert len(shown["creatives"]) == 1 and [v["decision"] for v in shown["verdicts"]] == [verdict["decision"]]
    assert len(shown["directives"]) == len(reflected["directives"])


def test_a_campaign_name_taken_by_another_person_is_refused(cli, tmp_path):
    code, _, err = cli("plan", "--history", _history(), "--user", "u_nora", "--product", "ridge-roast",
                       "--duration", "6", "--campaign", "Shared name", "--out", tmp_path / "a")
    assert code == 0, err
    code, _, err = cli("plan", "--history", _history(), "--user", "u_nora", "--product", "aurora-x",
                       "--duration", "6", "--campaign", "Shared name", "--out", tmp_path / "b")
    assert code == 2 and "choose another name" in err and len(err.strip().splitlines()) == 1
