"""Security fixtures: a studio served on loopback with sign-in and one user per role, and a plain HTTP client.

Store-backed checks run on SQLite and, when NEXTADS_TEST_POSTGRES_URL is set, on PostgreSQL (tests/store's
db_url fixture)."""

from __future__ import annotations

import contextlib
import socket
from pathlib import Path

import httpx
import pytest

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from tests.store.conftest import (  # noqa: F401 - the store tests' fixtures, shared
    _cheap_password_hashing,
    campaign,
    db_url,
    media,
    open_store,
    people,
    store,
    store_settings,
)

PEOPLE = {"editor": ("ed", "ed-secret-pw"), "approver": ("april", "april-secret-pw"), "admin": ("ada", "ada-secret-pw")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cheap_hasher():
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


class Served:
    """A launched studio: base URL, its Studio, and sign-in helpers."""

    def __init__(self, url: str, studio: Studio, demo):
        self.url, self.studio, self.demo = url, studio, demo

    @property
    def data_dir(self) -> Path:
        return self.studio.settings.data_dir.resolve()

    @contextlib.contextmanager
    def client(self, role: str | None = None):
        """An HTTP client, signed in as the person with `role` (or not signed in)."""
        with httpx.Client(base_url=self.url, timeout=60) as c:
            if role is not None:
                name, password = PEOPLE[role]
                r = c.post("/login", data={"username": name, "password": password})
                assert r.status_code == 200, r.text
            yield c


def serve(data_dir: Path, **settings) -> Served:
    from nextads_studio.ui import build_app, launch_kwargs

    studio = Studio(Settings(data_dir=data_dir, **settings))
    demo = build_app(studio)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        **launch_kwargs(studio))
    return Served(f"http://127.0.0.1:{port}", studio, demo)


@pytest.fixture(scope="module")
def signed(tmp_path_factory):
    """The studio with sign-in on, an editor, an approver and an admin, and files in every data-dir folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nextads_studio.store.users._hasher", cheap_hasher())
        data = tmp_path_factory.mktemp("signed") / "data"
        studio = Studio(Settings(data_dir=data, require_login=True))
        for role, (name, password) in PEOPLE.items():
            studio.store.add_user(name, password, role)
        seed_files(data)
        served = serve(data, require_login=True)
        yield served
        served.demo.close()


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """The studio on loopback without sign-in (the single-person default)."""
    data = tmp_path_factory.mktemp("local") / "data"
    Studio(Settings(data_dir=data, require_login=False)).store.list_users()  # creates studio.db
    seed_files(data)
    served = serve(data, require_login=False)
    yield served
    served.demo.close()


SECRET_FILES = ("runs/other-plan/v1/render_9x16_360/creative.mp4", "uploads/history_abc/h.csv",
                "uploads/assets/0123456789abcdef.png", "cache/generated/x.mp4", "settings.json", ".env")


def seed_files(data: Path) -> None:
    """Files in every data-dir folder a leak would expose (a render, uploads, settings)."""
    for rel in SECRET_FILES:
        p = data / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"private " + rel.encode())
