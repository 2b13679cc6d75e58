"""Find and load histories without knowing their format: a CSV, a notes.json, a MicroLens folder, an audience dir."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..schemas import UserHistory
from .audience import read_microlens, read_notes_json, read_qilin_csv
from .products import read_json_file

log = logging.getLogger(__name__)


def detect_format(path: Path) -> str:
    """'qilin', 'notes' or 'microlens' for a file or folder; InputError if it is none of them."""
    if path.is_dir():
        if (path / "users.json").is_file():
            return "microlens"
        if (path / "notes.json").is_file():
            return "notes"
        if list(path.glob("*.csv")):
            return "qilin"
        raise InputError(f"{path}: no users.json, notes.json or .csv file in this folder")
    if not path.is_file():
        raise InputError(f"{path}: file or folder not found")
    if path.suffix.lower() == ".csv":
        return "qilin"
    if path.suffix.lower() == ".json":
        if path.name == "users.json":
            return "microlens"
        data = read_json_file(path)
        if isinstance(data, list) and data and isinstance(data[0], dict) and "vids" in data[0]:
            return "microlens"
        return "notes"
    raise InputError(f"{path.name}: unsupported file; give a Qilin .csv, a notes.json or a folder with users.json")


def read_any(path: Path | str, user_id: str | None = None, allow_absolute: bool = True) -> dict[str, UserHistory]:
    """All histories in `path` (a notes.json needs `user_id`, or takes its folder's name)."""
    path = Path(path)
    fmt = detect_format(path)
    if fmt == "microlens":
        return read_microlens(path if path.is_dir() else path.parent)
    if fmt == "notes":
        file = path / "notes.json" if path.is_dir() else path
        uid = user_id or file.parent.name
        return {uid: read_notes_json(file, uid)}
    files = sorted(path.glob("*.csv")) if path.is_dir() else [path]
    users: dict[str, UserHistory] = {}
    for f in files:
        users.update(read_qilin_csv(f, allow_absolute=allow_absolute))
    return users


def pick_user(users: dict[str, UserHistory], user_id: str | None, source: Path | str) -> UserHistory:
    """The one history asked for (or the only one); InputError listing the ids otherwise."""
    if user_id is None and len(users) == 1:
        return next(iter(users.values()))
    if user_id in users:
        return users[user_id]
    shown = ", ".join(list(users)[:12])
    if user_id is None:
        raise InputError(f"{source} holds {len(users)} users; choose one with --user ({shown})")
    raise InputError(f"{source}: no user {user_id!r}; users there: {shown}")


def load_history(path: Path | str, user_id: str | None = None) -> UserHistory:
    """One person's history from a CSV, a notes.json or a MicroLens folder (format detected from the path)."""
    return pick_user(read_any(path, user_id), user_id, path)


def _audience_dir(folder: Path) -> dict[str, UserHistory]:
    users: dict[str, UserHistory] = {}
    notes = folder / "notes"
    for csv_file in sorted(notes.glob("*.csv")) if notes.is_dir() else []:
        users.update(read_qilin_csv(csv_file, allow_absolute=False, full_image_check=False))
    if (folder / "videos" / "users.json").is_file():
        users.update(read_microlens(folder / "videos"))
    return users


def load_audience(audience_dir: Path | str, extra_dirs: Iterable[Path | str] = ()) -> dict[str, UserHistory]:
    """The demo audience (notes/*.csv and videos/users.json) plus imported audiences, keyed by user id."""
    users = _audience_dir(Path(audience_dir))
    for extra in extra_dirs:
        extra = Path(extra)
        for sub in sorted(p for p in extra.iterdir() if p.is_dir() and not p.name.startswith(".")) if extra.is_dir() else []:
            for uid, history in read_any(sub, allow_absolute=False).items():
                if uid in users:
                    log.warning("imported user %s replaces the user with the same id", uid)
                users[uid] = history
    return users
