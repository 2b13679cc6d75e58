"""Item 7: failed sign-ins are rate-limited per client and per name without more audit rows, the password hash runs
off the event loop, and sign-in sessions expire and can be ended everywhere."""

from __future__ import annotations

import asyncio
import threading
import time
from types import SimpleNamespace

import httpx
import pytest

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui.serving import FailedSignIns, SessionClock
from nextads_studio.ui.signin import auth_check

from .conftest import PEOPLE, cheap_hasher, seed_files, serve


@pytest.fixture
def fresh(tmp_path):
    """A signed-in studio of its own (its own failed-sign-in counters)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nextads_studio.store.users._hasher", cheap_hasher())
        data = tmp_path / "data"
        studio = Studio(Settings(data_dir=data, require_login=True))
        for role, (name, password) in PEOPLE.items():
            studio.store.add_user(name, password, role)
        seed_files(data)
        served = serve(data, require_login=True)
        yield served
        served.demo.close()


def failed_rows(served) -> int:
    return sum(e.action == "sign_in_failed" for e in served.studio.store.audit_log())


def test_a_client_with_many_failed_sign_ins_is_locked_out(fresh):
    with httpx.Client(base_url=fresh.url, timeout=60) as c:
        codes = [c.post("/login", data={"username": "ed", "password": f"wrong-{i}"}).status_code for i in range(12)]
        rows = failed_rows(fresh)
        locked = c.post("/login", data={"username": "ed", "password": PEOPLE["editor"][1]})
    assert codes[:5] == [400] * 5 and 429 in codes, codes
    assert locked.status_code == 429 and "try again" in locked.text
    assert rows <= 6, f"{rows} audit rows for 12 bad sign-ins"


def test_a_name_with_many_failures_is_refused_without_hashing(tmp_path):
    calls = []
    studio = SimpleNamespace(store=SimpleNamespace(authenticate=lambda n, p: calls.append(n) or None))
    check = auth_check(studio, FailedSignIns(free=3))
    results = [asyncio.run(check("ed", "nope")) for _ in range(8)]
    assert not any(results) and len(calls) == 3  # the later attempts never reached the hash (nor the audit log)


def test_password_hash_runs_off_the_event_loop(fresh, monkeypatch):
    """A slow sign-in must not hold up other requests (the page's stylesheet here)."""
    release, order = threading.Event(), []
    real = fresh.studio.store.authenticate

    def slow(name, password):
        release.wait(30)
        return real(name, password)

    monkeypatch.setattr(fresh.studio.store, "authenticate", slow)

    def sign_in():
        httpx.post(f"{fresh.url}/login", data={"username": "ed", "password": "x" * 9}, timeout=60)
        order.append("login")

    t = threading.Thread(target=sign_in)
    t.start()
    time.sleep(0.5)  # the sign-in is now waiting inside the hash
    css = httpx.get(f"{fresh.url}/theme.css", timeout=60)
    order.append("css")
    release.set()
    t.join()
    assert css.status_code == 200 and order == ["css", "login"]


def test_sessions_expire(tmp_path):
    clock = SessionClock(ttl_s=3600)
    app = SimpleNamespace(tokens={"tok": "ed"}, cookie_id="c1")
    assert clock.user(app, "access-token-c1=tok") == "ed"
    clock._started["tok"] -= 3601  # signed in more than an hour ago
    assert clock.user(app, "access-token-c1=tok") is None and "tok" not in app.tokens


def test_sign_out_everywhere_ends_other_sessions(fresh):
    with fresh.client("approver") as a, fresh.client("approver") as b, fresh.client("editor") as other:
        assert b.get("/config").status_code == 200
        a.get("/logout", follow_redirects=False)
        assert b.get("/config").status_code == 401
        assert other.get("/config").status_code == 200  # only that person's sessions end
