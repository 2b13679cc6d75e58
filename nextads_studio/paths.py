"""Turning ids, names and slugs into path components, and keeping every write inside its root.

Ids come from uploads (a history's ``user_idx``, a MicroLens ``user_id``, a product id typed in a form), so they
are untrusted. :func:`safe_component` maps any string to one safe folder or file name (never ``..``, never a
separator, never a NUL byte, bounded length, and different inputs that would sanitize to the same text get
different names through a short hash). :func:`ensure_within` refuses a path that resolves outside its root.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from .errors import InputError

_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_MAX = 64


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def safe_component(text: str, *, fallback: str = "item") -> str:
    """One path component for ``text``: word characters, dots and dashes only.

    Text that is already safe comes back unchanged (so existing folders keep their names); anything else is
    cleaned and suffixed with a hash of the original, so ``"a/b"`` and ``"a_b"`` never share a folder.
    """
    raw = str(text)
    norm = unicodedata.normalize("NFKC", raw)
    cleaned = _UNSAFE.sub("_", norm).strip("._-")
    if cleaned and cleaned == raw and len(cleaned) <= _MAX and not cleaned.startswith("."):
        return cleaned
    stem = (cleaned or fallback)[: _MAX - 9].rstrip("._-") or fallback
    return f"{stem}-{_digest(raw)}"


def ensure_within(root: Path | str, path: Path | str) -> Path:
    """``path`` resolved, or an :class:`InputError` when it lies outside ``root`` (symlinks followed)."""
    root_r = Path(root).resolve()
    target = Path(path)
    if not target.is_absolute():
        target = root_r / target
    resolved = target.resolve()
    if resolved != root_r and root_r not in resolved.parents:
        raise InputError(f"Refusing to write outside {root_r.name}/: {Path(path).name!r} resolves elsewhere.")
    return resolved


def child(root: Path | str, *parts: str) -> Path:
    """``root / part / ...`` with every part made safe, checked to stay inside ``root``."""
    path = Path(root).joinpath(*(safe_component(p) for p in parts))
    return ensure_within(root, path)
