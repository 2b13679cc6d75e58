"""Read interaction histories: the Qilin subset CSV, the reference notes.json demo and the MicroLens layout."""

from __future__ import annotations

import csv
import json
import logging
import re
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..schemas import Note, UserHistory, VideoItem
from .products import read_json_file, validation_message
from .safety import check_image, check_video, clean_text, resolve_path, resolve_within

log = logging.getLogger(__name__)

QILIN_COLUMNS = ("user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths")
_AGE = re.compile(r"^(\d{1,3}(\s*-\s*\d{1,3})?\+?|unknown|)$", re.I)
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".webp")


def check_id(value: str, where: str) -> str:
    """An id from a file (user, note, video): any text except control characters (a NUL byte cannot name a file
    and hides text in logs), at most 128 characters. Ids that are not safe file names are mapped when they become
    one (paths.safe_component)."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise InputError(f"{where}: {value[:40]!r} contains a control character (a NUL byte or a line break); "
                         "use plain text for ids")
    if len(value) > 128:
        raise InputError(f"{where}: id is {len(value)} characters long; keep ids under 128")
    return value


def _history(where: str, **fields) -> UserHistory:
    try:
        return UserHistory(**fields)
    except ValidationError as exc:
        raise InputError(f"{where}: {validation_message(exc)}") from None


_CHECKED: set[tuple] = set()


def _check_image_once(path: Path, where: str, full: bool) -> None:
    """check_image, skipped for a file already checked unchanged (one picture shared by thousands of rows)."""
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path), st.st_mtime_ns, st.st_size, full) if st else None
    if key is not None and key in _CHECKED:
        return
    check_image(path, where, full=full)
    if key is not None:
        if len(_CHECKED) > 200_000:
            _CHECKED.clear()
        _CHECKED.add(key)


def _image_list(value: str, folder: Path, where: str, allow_absolute: bool, full: bool) -> list[str]:
    paths = []
    for part in (value or "").split("|"):
        if part.strip():
            path = resolve_path(folder, part, where, allow_absolute)
            _check_image_once(path, where, full)
            paths.append(str(path))
    return paths


def _qilin_row(row: dict, line: int, path: Path, allow_absolute: bool, full: bool) -> tuple[dict, Note]:
    where = f"{path.name} line {line}"
    if None in row or any(v is None for v in row.values()):
        raise InputError(f"{where}: expected {len(QILIN_COLUMNS)} columns; check commas and quotes in this row")
    for col in ("user_idx", "note_idx"):
        if not row[col].strip():
            raise InputError(f"{where}, column {col}: empty")
    age = row["age"].strip()
    if not _AGE.match(age):
        raise InputError(f"{where}, column age: {age!r} is not an age or an age bucket like 31-35 or 'unknown'")
    note = Note(
        note_idx=row["note_idx"].strip(),
        title=clean_text(row["note_title"], f"{where}, column note_title", 500),
        content=clean_text(row["note_content"], f"{where}, column note_content"),
        image_paths=_image_list(row["image_paths"], path.parent, f"{where}, column image_paths", allow_absolute, full),
    )
    person = {"gender": row["gender"].strip() or None, "age": age or None}
    return person, note


def read_qilin_csv(path: Path | str, allow_absolute: bool = True, full_image_check: bool = True) -> dict[str, UserHistory]:
    """Parse a Qilin-subset CSV (oldest note first per user); image paths resolve against the CSV's folder."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    users: dict[str, dict] = {}
    reader = None
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            # a spreadsheet's header may say "User_idx" or " note_title ": columns are matched by name alone
            header = reader.fieldnames = [(h or "").strip().lower() for h in reader.fieldnames or []]
            missing = [c for c in QILIN_COLUMNS if c not in header]
            if missing:
                raise InputError(f"{path.name} line 1: missing column(s) {', '.join(missing)}; "
                                 f"expected {','.join(QILIN_COLUMNS)}")
            for row in reader:
                person, note = _qilin_row(row, reader.line_num, path, allow_absolute, full_image_check)
                uid = check_id(row["user_idx"].strip(), f"{path.name} line {reader.line_num}, column user_idx")
                check_id(note.note_idx, f"{path.name} line {reader.line_num}, column note_idx")
                entry = users.setdefault(uid, {**person, "notes": {}})
                if note.note_idx in entry["notes"]:
                    raise InputError(f"{path.name} line {reader.line_num}, column note_idx: "
                                     f"{note.note_idx!r} appears twice for user {row['user_idx']}")
                entry["notes"][note.note_idx] = note
    except csv.Error as exc:
        line = f" line {reader.line_num}" if reader is not None else ""
        raise InputError(f"{path.name}{line}: malformed CSV ({exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    if not users:
        raise InputError(f"{path.name}: no notes (only a header, or an empty file)")
    return {uid: _history(f"{path.name} user {uid}", user_id=uid, kind="notes", gender=u["gender"], age=u["age"],
                          notes=list(u["notes"].values()), source=str(path)) for uid, u in users.items()}


def _note_images(folder: Path, note_idx: str) -> list[str]:
    """Images named after the note: '<note_idx>.jpg', '<note_idx>_2.png', '<note_idx>-b.jpg' ..."""
    found = []
    for d in (folder, folder / "images"):
        if d.is_dir():
            for f in sorted(d.iterdir()):
                rest = f.stem[len(note_idx):]
                if f.suffix.lower() in _IMAGE_EXT and f.stem.startswith(note_idx) and (not rest or rest[0] in "_-. "):
                    # a symlink pointing outside the folder is refused (it would copy any file the server can read)
                    found.append(resolve_within(folder, f.relative_to(folder).as_posix(), f"{folder.name}/{f.name}"))
    return [str(f) for f in found]


def _notes_data(path: Path) -> object:
    """The JSON list; the reference demo file starts with two lines of prose before it, which are skipped."""
    try:
        return read_json_file(path)
    except InputError:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        start = re.search(r"^\s*\[", text, re.M)
        if not start or start.start() == 0 or re.search(r"[\[{]", text[: start.start()]):
            raise
        try:
            data = json.loads(text[start.start():])
        except json.JSONDecodeError:
            raise InputError(f"{path.name}: not valid JSON after the text preamble") from None
        log.warning("%s: ignored the text before the JSON list", path.name)
        return data


def read_notes_json(path: Path | str, user_id: str, full_image_check: bool = True) -> UserHistory:
    """Parse the reference demo `notes.json` ([{note_idx, title, content}]) and the images beside it."""
    path = Path(path)
    data = _notes_data(path)
    if not isinstance(data, list) or not data:
        raise InputError(f"{path.name}: expected a non-empty JSON list of notes like "
                         '[{"note_idx": ..., "title": ..., "content": ...}]')
    notes = []
    for i, raw in enumerate(data, start=1):
        where = f"{path.name} entry {i}"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: must be an object with note_idx, title, content")
        idx = raw.get("note_idx")
        if idx is None or (isinstance(idx, str) and not idx.strip()) or isinstance(idx, (bool, list, dict)):
            raise InputError(f"{where}: field note_idx is missing or not a number/string")
        idx = str(idx).strip()
        images = _note_images(path.parent, idx)
        if isinstance(raw.get("image_paths"), list):
            images += _image_list("|".join(map(str, raw["image_paths"])), path.parent, f"{where} image_paths",
                                  False, full_image_check)
        for img in images:
            check_image(img, where, full=full_image_check)
        notes.append(Note(note_idx=idx, title=clean_text(raw.get("title"), f"{where} title", 500),
                          content=clean_text(raw.get("content"), f"{where} content"), image_paths=images))
    return _history(path.name, user_id=user_id, kind="notes", notes=notes, source=str(path))


def _media(folder: Path, sub: str, name: str) -> Path | None:
    """`folder/sub/name` or `folder/name`; a symlink that leaves the folder is refused."""
    for relative in (f"{sub}/{name}", name):
        if (folder / relative).is_file():
            return resolve_within(folder, relative, f"{folder.name}/{relative}")
    return None


def read_microlens(folder: Path | str, full_image_check: bool = False) -> dict[str, UserHistory]:
    """Parse a MicroLens-style folder: users.json ({user_id?, vids, products}), covers/, videos/, titles.json."""
    folder = Path(folder)
    data = read_json_file(folder / "users.json")
    if not isinstance(data, list) or not data:
        raise InputError("users.json: expected a non-empty JSON list of {\"vids\": [...], \"products\": [...]}")
    titles = read_json_file(folder / "titles.json") if (folder / "titles.json").is_file() else {}
    if not isinstance(titles, dict):
        raise InputError('titles.json: expected a JSON object {"vid": "title", ...}')
    users: dict[str, UserHistory] = {}
    for i, raw in enumerate(data, start=1):
        where = f"users.json entry {i}"
        if not isinstance(raw, dict) or not isinstance(raw.get("vids"), list):
            raise InputError(f"{where}: field vids must be a list of video ids")
        if not isinstance(raw.get("products", []), list):
            raise InputError(f"{where}: field products must be a list of product ids, got {raw['products']!r}")
        vids = [check_id(str(v), f"{where} vids") for v in raw["vids"]]
        if len(vids) < 2:
            raise InputError(f"{where}: field vids needs at least 2 ids (history, then the host video last)")
        uid = check_id(str(raw.get("user_id") or f"user_{i}"), f"{where} user_id")
        items = []
        for vid in vids:
            cover = _media(folder, "covers", f"{vid}.jpg")
            video = _media(folder, "videos", f"{vid}.mp4")
            if cover:
                check_image(cover, f"{where} vid {vid}", full=full_image_check)
            if not cover and not video:
                raise InputError(f"{where}: vid {vid} has neither covers/{vid}.jpg nor videos/{vid}.mp4")
            items.append(VideoItem(vid=vid, title=clean_text(titles.get(vid, ""), f"titles.json {vid}", 300),
                                   cover_path=str(cover) if cover else None, video_path=str(video) if video else None))
        host = items[-1]
        if not host.video_path:
            raise InputError(f"{where}: the host video (last vid {host.vid}) needs videos/{host.vid}.mp4")
        check_video(Path(host.video_path), f"{where} host video")
        users[uid] = _history(where, user_id=uid, kind="videos", videos=items[:-1], host_video=host,
                              source=str(folder))
    return users


def microlens_products(folder: Path | str) -> dict[str, list[str]]:
    """The product ids each MicroLens user is paired with (users.json `products`)."""
    data = read_json_file(Path(folder) / "users.json")
    out = {}
    for i, u in enumerate(data if isinstance(data, list) else [], start=1):
        if not isinstance(u, dict):
            continue
        products = u.get("products", [])
        if not isinstance(products, list):
            raise InputError(f"users.json entry {i}: field products must be a list of product ids, got {products!r}")
        out[str(u.get("user_id") or f"user_{i}")] = [str(p) for p in products]
    return out
