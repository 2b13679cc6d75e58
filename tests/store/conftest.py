"""Store fixtures: every store test runs on SQLite and, when NEXTADS_TEST_POSTGRES_URL is set, on PostgreSQL
(each test in its own fresh schema). Test objects are built from the schemas, media with the real ffmpeg."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from nextads_studio.settings import Settings
from nextads_studio.store import Store

from .builders import make_history, make_plan, make_product, write_mp4

PG_ENV = "NEXTADS_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Still argon2id, at a test-only cost: the default (64 MiB, 3 passes) costs ~0.1-0.7 s per hash here."""
    from argon2 import PasswordHasher

    monkeypatch.setattr("nextads_studio.store.users._hasher",
                        PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, data_dir):
    """A database URL for one test: None (SQLite in data_dir) or a fresh PostgreSQL schema, dropped after."""
    if request.param == "sqlite":
        yield None
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL store tests need {PG_ENV} (.ci/run starts a server and sets it)")
    import psycopg
    from sqlalchemy.engine import make_url

    schema = f"t_{uuid.uuid4().hex[:12]}"
    plain = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def store_settings(data_dir, db_url) -> Settings:
    return Settings(data_dir=data_dir, database_url=db_url)


@pytest.fixture
def open_store(store_settings):
    """Open a Store on this test's database; every store opened is closed at the end (a 'restart' = open again)."""
    opened: list[Store] = []

    def _open(**kw) -> Store:
        opened.append(Store.open(store_settings, **kw))
        return opened[-1]

    yield _open
    for st in opened:
        st.close()


@pytest.fixture
def store(open_store) -> Store:
    return open_store()


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> dict[str, Path]:
    """One real MP4 and SRT shared by the session (tests copy them into the store, never modify them)."""
    folder = tmp_path_factory.mktemp("media")
    srt = folder / "ad.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:01,000\nAI generated ad\n")
    return {"video": write_mp4(folder / "ad.mp4"), "srt": srt}


@pytest.fixture
def campaign(store):
    """A campaign with one plan version by ana."""
    camp = store.create_campaign(make_history(), make_product(), author="ana")
    store.save_plan_version(camp.id, make_plan(), author="ana", expected_version=0)
    return camp


@pytest.fixture
def people(store):
    """An editor, an approver and an admin (passwords known to the tests only)."""
    return {role: store.add_user(name, f"{name}-secret-pw", role)
            for name, role in (("ed", "editor"), ("april", "approver"), ("ada", "admin"))}
