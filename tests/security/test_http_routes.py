"""Browser-free walk over every route the studio's web server has, without sign-in and as each role.

Issue items: the database and data dir are never served (1, 2), no absolute server paths in the page or API info
(2), foreign Host headers are refused (4), cancel/reset and the API schema need sign-in (9)."""

from __future__ import annotations

import re

import pytest

from .conftest import PEOPLE, SECRET_FILES

# Routes Gradio answers before sign-in: the login page and what it needs to draw itself.
OPEN = {"/", "/login", "/logout", "/theme.css", "/favicon.ico", "/manifest.json", "/robots.txt",
        "/gradio_api/login_check", "/gradio_api/startup-events"}


def server_folders(served) -> list[str]:
    s = served.studio.settings
    return [str(p.resolve()) for p in (s.data_dir, s.assets_dir, s.library_dir)]


def routes(demo) -> list[tuple[str, str]]:
    """(method, concrete path) for every route of the launched app, path parameters filled with harmless values."""
    out = []

    def walk(rs, prefix=""):
        for r in rs:
            if hasattr(r, "original_router"):  # an included router (the /gradio_api routes)
                walk(r.original_router.routes, prefix + r.include_context.prefix)
                continue
            path = getattr(r, "path", None)
            if path is None:
                continue
            for method in sorted(getattr(r, "methods", None) or {"GET"}):
                if method != "HEAD":
                    out.append((method, prefix + path))

    walk(demo.app.routes)
    filled = []
    for method, path in out:
        path = re.sub(r"\{[^}]*path[^}]*\}", "x", path)
        path = re.sub(r"\{[^}]+\}", "1", path)
        filled.append((method, path))
    return sorted(set(filled))


def call(client, method: str, path: str):
    body = {"session_hash": "abc", "fn_index": 0, "event_id": "e1", "data": [], "trigger_id": 0}
    if method == "GET":
        return client.get(path)
    return client.request(method, path, json=body)


def test_every_route_needs_sign_in_except_the_login_page(signed):
    with signed.client() as c:
        walked = routes(signed.demo)
        assert len(walked) > 40, walked
        for method, path in walked:
            if path in OPEN or path.startswith(("/assets/", "/static/", "/svelte/", "/pwa_icon")):
                continue
            if path.rstrip("/") in OPEN:
                continue
            r = call(c, method, path)
            assert r.status_code in (401, 403, 404, 405), (method, path, r.status_code, r.text[:200])
            assert r.status_code != 200


@pytest.mark.parametrize("path", ["/gradio_api/cancel", "/gradio_api/reset"])
def test_cancel_and_reset_refuse_without_sign_in(signed, path):
    with signed.client() as c:
        r = c.post(path, json={"session_hash": "abc", "fn_index": 0, "event_id": "e1"})
    assert r.status_code == 401
    assert "success" not in r.text


def test_login_page_shows_no_api_schema_or_paths(signed):
    with signed.client() as c:
        page = c.get("/").text
    assert "api_name" not in page and '"plan"' not in page
    assert str(signed.data_dir) not in page
    assert "studio.db" not in page


@pytest.mark.parametrize("role", [None, *PEOPLE])
def test_database_and_data_dir_files_are_never_served(signed, role):
    with signed.client(role) as c:
        for rel in ("studio.db", "studio.db-wal", *SECRET_FILES):
            for form in (signed.data_dir / rel, f"{signed.data_dir}/../data/{rel}"):
                r = c.get(f"/gradio_api/file={form}")
                assert r.status_code in (401, 403), (role, rel, r.status_code)
                assert b"private" not in r.content and not r.content.startswith(b"SQLite format")


@pytest.mark.parametrize("role", list(PEOPLE))
def test_signed_in_page_and_api_info_carry_no_server_paths(signed, role):
    with signed.client(role) as c:
        for path in ("/", "/config", "/gradio_api/info"):
            r = c.get(path)
            assert r.status_code == 200, (path, r.status_code)
            for folder in server_folders(signed):
                assert folder not in r.text, (path, folder)
            assert "studio.db" not in r.text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7860", "127.0.0.1.evil.example", ""])
def test_foreign_host_is_refused_with_or_without_sign_in(signed, local, host):
    for served in (signed, local):
        with served.client() as c:
            r = c.get("/", headers={"Host": host})
            assert r.status_code == 421, (served.url, host, r.status_code)
            r = c.get(f"/gradio_api/file={served.data_dir / 'studio.db'}", headers={"Host": host})
            assert r.status_code == 421


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_loopback_names_are_answered(local, host):
    port = local.url.rsplit(":", 1)[1]
    with local.client() as c:
        assert c.get("/", headers={"Host": f"{host}:{port}"}).status_code == 200


def test_loopback_without_sign_in_serves_no_data_dir_file(local):
    with local.client() as c:
        for rel in ("studio.db", *SECRET_FILES):
            r = c.get(f"/gradio_api/file={local.data_dir / rel}")
            assert r.status_code == 403, (rel, r.status_code)
        for path in ("/", "/config", "/gradio_api/info"):
            text = c.get(path).text
            for folder in server_folders(local):
                assert folder not in text, (path, folder)


def test_signing_out_ends_every_session_of_that_person(signed):
    with signed.client("editor") as first, signed.client("editor") as second:
        assert second.get("/config").status_code == 200
        first.get("/logout", follow_redirects=False)
        assert second.get("/config").status_code == 401
