"""An old database (first schema only) upgrades in place and keeps its data; the final schema matches tables.py."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlmodel import SQLModel

from nextads_studio.store import MIGRATIONS
from nextads_studio.store.engine import create_store_engine
from nextads_studio.store.migrations import applied, migrate

from .builders import make_history, make_plan, make_product


def _first_schema_database(url: str) -> None:
    """What release 1 left behind: migration 1 only, with a user, a campaign and a plan written by it."""
    engine = create_store_engine(url)
    assert migrate(engine, upto="m001_initial") == ["m001_initial"]
    now = datetime.now(UTC)
    rows = [
        ("INSERT INTO workspaces (name, created_at) VALUES ('default', :now)", {}),
        ("INSERT INTO studio_users (username, password_hash, role, created_at) VALUES ('ada', :h, 'admin', :now)",
         {"h": PasswordHasher().hash("old release password")}),
        ("INSERT INTO products (product_id, name, data, updated_at) VALUES ('aurora-x', 'Aurora X', :d, :now)",
         {"d": json.dumps(make_product().model_dump(mode="json"))}),
        ("INSERT INTO audience_members (user_id, kind, data, updated_at) VALUES ('u1', 'notes', :d, :now)",
         {"d": json.dumps(make_history().model_dump(mode="json"))}),
        ("INSERT INTO campaigns (workspace_id, plan_id, audience_user_id, product_id, task, mode, status, "
         "created_by, created_at, updated_at) VALUES (1, 'p1', 'u1', 'aurora-x', 'pcg', 'nextads', 'draft', "
         "'ada', :now, :now)", {}),
        ("INSERT INTO plan_versions (campaign_id, version, author, content_hash, data, created_at) "
         "VALUES (1, 1, 'ada', 'old', :d, :now)", {"d": json.dumps(make_plan("from release one").model_dump(
             mode="json"))}),
    ]
    with engine.begin() as conn:
        for sql, params in rows:
            if engine.dialect.name == "postgresql":
                sql = sql.replace(":d,", "CAST(:d AS JSONB),")
            conn.execute(sa.text(sql), {"now": now, **params})
    assert applied(engine) == ["m001_initial"]
    engine.dispose()


def test_a_first_schema_database_upgrades_in_place(store_settings, open_store):
    _first_schema_database(store_settings.effective_database_url)
    store = open_store()  # opening runs the missing migrations
    assert applied(store.engine) == [name for name, _ in MIGRATIONS]
    assert store.migrate() == []
    camp = store.list_campaigns()[0]
    assert (camp.product_id, camp.audience_user_id, camp.created_at.tzinfo is not None) == ("aurora-x", "u1", True)
    assert store.latest_plan(camp.id).plan.storyboard.scenes[0].narration == "from release one"
    ada = store.authenticate("ada", "old release password")
    assert ada is not None and ada.last_login_at is not None  # column added by m003
    store.save_plan_version(camp.id, make_plan("new release"), author="ada", expected_version=1)
    conflict_kept = store.drafts(camp.id)  # table added by m002
    assert conflict_kept == [] and store.latest_plan(camp.id).version == 2


def test_the_migrated_schema_is_the_schema_the_tables_expect(store):
    inspector = sa.inspect(store.engine)
    for name, table in SQLModel.metadata.tables.items():
        if name in inspector.get_table_names():
            have = {c["name"] for c in inspector.get_columns(name)}
            assert have == {c.name for c in table.columns}, name
    expected = {t for t in SQLModel.metadata.tables if not t.startswith("_")}
    ours = expected & set(inspector.get_table_names())
    assert ours == {"workspaces", "studio_users", "audience_members", "products", "campaigns", "plan_versions",
                    "plan_drafts", "creatives", "creative_files", "verdicts", "directives", "feedback_events",
                    "approval_events", "audit_log", "learned_preferences"}


def test_two_processes_opening_a_new_database_at_once_migrate_it_once(store_settings):
    from concurrent.futures import ThreadPoolExecutor

    from nextads_studio.store import Store

    with ThreadPoolExecutor(3) as pool:
        stores = list(pool.map(lambda _: Store.open(store_settings), range(3)))
    try:
        assert applied(stores[0].engine) == [name for name, _ in MIGRATIONS]
        stores[1].add_user("ana", "a long password", "editor")
        assert [u.username for u in stores[2].list_users()] == ["ana"]
    finally:
        for st in stores:
            st.close()
