"""Studio users: argon2id hashes, roles, first admin, and secrets that never reach the database or logs."""

from __future__ import annotations

import json
import logging

import pytest

from nextads_studio.errors import InputError


def test_sign_in_with_the_right_password_only(store):
    assert store.needs_first_admin()
    store.add_user("ada", "correct horse battery", "admin")
    assert not store.needs_first_admin()
    user = store.authenticate("ada", "correct horse battery")
    assert user is not None and user.role == "admin" and user.can_approve
    assert user.last_login_at is not None and user.last_login_at.utcoffset().total_seconds() == 0
    assert store.authenticate("ada", "wrong password") is None
    assert store.authenticate("nobody", "correct horse battery") is None
    assert [u.username for u in store.list_users()] == ["ada"]
    actions = [e.action for e in store.audit_log()]
    assert actions == ["user_added", "signed_in", "sign_in_failed", "sign_in_failed"]


def test_passwords_are_argon2id_hashes(store):
    user = store.add_user("ed", "plain-text-pw", "editor")
    assert user.password_hash.startswith("$argon2id$")
    assert "plain-text-pw" not in user.password_hash and "plain-text-pw" not in repr(user)


@pytest.mark.parametrize("name, password, role, message", [
    ("Ada Lovelace", "long enough pw", "admin", "username"),
    ("ada", "short", "admin", "password"),
    ("ada", "long enough pw", "superuser", "role"),
])
def test_bad_new_users_are_refused_with_the_field_named(store, name, password, role, message):
    with pytest.raises(InputError, match=message):
        store.add_user(name, password, role)
    assert store.list_users() == []


def test_duplicate_username_is_refused(store):
    store.add_user("ana", "first password", "editor")
    with pytest.raises(InputError, match="already exists"):
        store.add_user("ana", "second password", "admin")
    assert store.authenticate("ana", "first password") is not None


def test_password_and_api_key_never_reach_the_database_or_logs(store, store_settings, caplog, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-never-store-me")
    caplog.set_level(logging.DEBUG)
    store.add_user("ana", "hunter2-but-longer", "approver")
    store.authenticate("ana", "hunter2-but-longer")
    store.authenticate("ana", "a-wrong-guess-123")
    secrets = ("hunter2-but-longer", "a-wrong-guess-123", "sk-test-never-store-me")
    assert not any(s in caplog.text for s in secrets)
    dumped = " ".join(str(e.model_dump()) for e in store.audit_log()) + str(store.list_users())
    assert not any(s in dumped for s in secrets)
    if store_settings.database_url is None:  # SQLite: scan the raw files too
        raw = b"".join(p.read_bytes() for p in store_settings.data_dir.glob("studio.db*"))
        assert not any(s.encode() in raw for s in secrets)


def _cli(capsys, monkeypatch, db_url, *args, **env) -> tuple[int, str, str]:
    """Run `nextads ARGS` in-process against this test's database (data dir from the env fixture)."""
    from nextads_studio.cli import main

    if db_url:
        monkeypatch.setenv("NEXTADS_DATABASE_URL", db_url)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_first_admin_comes_from_the_cli_with_no_default_password(store, db_url, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, _, err = _cli(capsys, monkeypatch, db_url, "users", "add", "root", "--role", "admin",
                        NEXTADS_NEW_PASSWORD="")
    assert code == 2 and "NEXTADS_NEW_PASSWORD" in err
    assert store.needs_first_admin()
    code, out, err = _cli(capsys, monkeypatch, db_url, "users", "add", "root", "--role", "admin",
                          NEXTADS_NEW_PASSWORD="s3cret-admin-pw")
    assert code == 0, err
    assert "s3cret-admin-pw" not in out + err
    assert not store.needs_first_admin()
    assert store.authenticate("root", "s3cret-admin-pw").role == "admin"
    code, out, _ = _cli(capsys, monkeypatch, db_url, "users", "list")
    assert json.loads(out)[0]["username"] == "root" and "argon2" not in out
