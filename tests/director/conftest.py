"""Shared, expensive Director fixtures: the demo audience, the product library and one warm Director."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AUDIENCE = ROOT / "assets" / "audience"
LIBRARY = ROOT / "product_library"


@pytest.fixture(scope="session")
def audience():
    from nextads_studio.library import load_audience

    if not (AUDIENCE / "notes" / "qilin_demo.csv").is_file():
        pytest.skip("demo audience not generated")
    return load_audience(AUDIENCE)


@pytest.fixture(scope="session")
def design():
    return json.loads((AUDIENCE / "notes" / "design.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def library():
    from nextads_studio.library import ProductLibrary

    return ProductLibrary.load(LIBRARY)


@pytest.fixture(scope="session")
def director(embedder):
    from nextads_studio.director import Director

    return Director(embedder)


@pytest.fixture(scope="session")
def note_users(audience):
    return sorted(uid for uid, h in audience.items() if h.kind == "notes")


@pytest.fixture(scope="session")
def profiles(director, audience, note_users):
    return {uid: director.build_profile(audience[uid]) for uid in note_users}


@pytest.fixture(scope="session")
def plan_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("plans")
