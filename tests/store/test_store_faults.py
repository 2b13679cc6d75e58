"""A locked database is retried, then reported clearly; work resumes once the lock goes."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, text

from nextads_studio.store import StoreBusy


class _Locker:
    """Another program holding an exclusive lock on the studio database."""

    def __init__(self, settings):
        if settings.database_url is None:
            self.conn = sqlite3.connect(settings.sqlite_path, isolation_level=None, check_same_thread=False)
            self.conn.execute("BEGIN EXCLUSIVE")
            self.release = lambda: self.conn.execute("ROLLBACK")
        else:
            self.engine = create_engine(settings.database_url)
            self.conn = self.engine.connect()
            self.tx = self.conn.begin()
            self.conn.execute(text("LOCK TABLE studio_users, audit_log IN ACCESS EXCLUSIVE MODE"))
            self.release = self.tx.rollback

    def close(self):
        self.conn.close()


def test_a_locked_database_is_retried_then_fails_clearly(open_store, store_settings):
    store = open_store(busy_timeout_s=0.2, attempts=2)
    locker = _Locker(store_settings)
    try:
        with pytest.raises(StoreBusy, match="locked by another connection or program .* after 2 tries"):
            store.add_user("ana", "a long password", "editor")
    finally:
        locker.release()
        locker.close()
    assert store.list_users() == []
    assert store.add_user("ana", "a long password", "editor").id is not None


def test_a_short_lock_is_waited_out(open_store, store_settings):
    store = open_store(busy_timeout_s=0.2, attempts=8)
    locker = _Locker(store_settings)
    timer = threading.Timer(0.3, locker.release)
    timer.start()
    try:
        assert store.add_user("bo", "a long password", "approver").role == "approver"
    finally:
        timer.join()
        locker.close()
    assert [u.username for u in store.list_users()] == ["bo"]


def test_worker_threads_share_one_store_without_lock_errors(store, campaign):
    from concurrent.futures import ThreadPoolExecutor

    from nextads_studio.schemas import FeedbackEvent

    def record(i: int) -> int:
        return store.add_feedback(FeedbackEvent(impression_id=f"imp-{i}", plan_id="p1", watch_time=i % 7)).id

    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(record, range(40)))
    assert len(set(ids)) == 40
    assert sorted(f.event.impression_id for f in store.feedback(campaign.id)) == sorted(f"imp-{i}" for i in range(40))
    assert sum(e.action == "feedback_added" for e in store.audit_log(campaign.id)) == 40
