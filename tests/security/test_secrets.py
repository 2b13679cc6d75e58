"""Item 10: API keys in error texts never reach stored plan notes, audit details or logs; studio.db is 0600."""

from __future__ import annotations

import io
import logging
import stat
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from nextads_studio.backends.fallback import FallbackDirector
from nextads_studio.errors import BackendError
from nextads_studio.redact import redact
from nextads_studio.settings import Settings
from nextads_studio.store import Store
from tests.store.builders import make_history, make_plan, make_product

KEY = "sk-proj-abcdefghijklmnop1234567890"
ECHO = f"401 Unauthorized: invalid header 'Authorization: Bearer {KEY}' (https://x/v1?key=AIzaSyA1234567890abcdefghijkl)"


def test_redact_removes_keys_and_keeps_the_message():
    out = redact(ECHO)
    assert KEY not in out and "AIzaSy" not in out and "401 Unauthorized" in out and "[redacted]" in out
    assert redact("postgresql+psycopg://app:hunter2secret@db/studio") == "postgresql+psycopg://app:[redacted]@db/studio"
    assert redact("plain words, no secrets: 12 scenes") == "plain words, no secrets: 12 scenes"


def test_fallback_plan_note_does_not_carry_the_key():
    class Broken:
        model = None

        def plan(self, *a, **k):
            raise BackendError(ECHO)

    offline = SimpleNamespace(plan=lambda *a, **k: make_plan())
    director = FallbackDirector("openai:gpt-4o", lambda: Broken(), lambda: offline, fallback=True)
    plan = director.plan(make_history(), make_product())
    assert plan.notes and "offline Director" in plan.notes[-1]
    assert KEY not in " ".join(plan.notes)


def test_stored_notes_and_audit_details_are_redacted(tmp_path, db_url):
    store = Store.open(Settings(data_dir=tmp_path / "data", database_url=db_url))
    try:
        camp = store.create_campaign(make_history(), make_product(), author="ed")
        plan = make_plan().model_copy(update={"notes": [f"backend said: {ECHO}"]})
        store.save_plan_version(camp.id, plan, author="ed", expected_version=0, note=ECHO)
        with store.engine.connect() as conn:
            raw = " ".join(str(r) for t in ("plan_versions", "audit_log")
                           for r in conn.execute(text(f"SELECT * FROM {t}")).all())
        assert KEY not in raw and "backend said" in raw
        assert store.plan_version(camp.id, 1).plan.notes[0].startswith("backend said: 401 Unauthorized")
    finally:
        store.close()


def test_logs_are_redacted():
    from nextads_studio.logging_setup import install_redaction

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        install_redaction()
        logging.getLogger("nextads.test").warning("director failed (%s); using offline", ECHO)
        try:
            raise BackendError(ECHO)
        except BackendError:
            logging.getLogger("nextads.test").exception("again")
    finally:
        root.removeHandler(handler)
    written = stream.getvalue()
    assert "director failed" in written and "BackendError" in written and KEY not in written


def test_studio_db_is_private(tmp_path):
    store = Store.open(Settings(data_dir=tmp_path / "data"))
    store.create_campaign(make_history(), make_product(), author="ed")
    try:
        for name in ("studio.db", "studio.db-wal"):
            mode = stat.S_IMODE((tmp_path / "data" / name).stat().st_mode)
            assert mode & 0o077 == 0, f"{name} is {oct(mode)}"
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _no_env_keys(monkeypatch):
    for name in ("OPENAI_API_KEY", "GEMINI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
