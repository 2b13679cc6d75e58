"""Shared CLI plumbing: JSON to stdout on success, one actionable line to stderr and exit 2 on bad input."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit(summary: Any) -> int:
    if hasattr(summary, "model_dump"):
        summary = summary.model_dump(mode="json")
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
    return 0


def fail(message: str) -> int:
    first = " ".join(str(message).split())
    sys.stderr.write(f"error: {first}\n")
    return 2


def explain(exc: BaseException) -> str:
    """One line a person can act on for failures that are not the studio's own errors (deep JSON, a NUL byte in a
    path, a folder where a file belongs, a full or read-only disk, a bad setting, a huge image)."""
    import errno

    from pydantic import ValidationError

    from ..redact import redact

    if isinstance(exc, UnicodeDecodeError):
        return f"a file is not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read (JSON over ~900 levels); flatten it"
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err.get("loc", ()))
        title = getattr(exc, "title", "")
        where = f"setting NEXTADS_{field.upper()}" if title == "Settings" else (field or title or "input")
        return f"{where}={err.get('input')!r}: {err.get('msg')}"
    if type(exc).__name__ == "DecompressionBombError":
        return f"an image is too large to decode safely ({exc}); use a smaller picture"
    if isinstance(exc, OSError):
        name = exc.filename or ""
        if exc.errno == errno.ENOSPC:
            return f"the disk is full while writing {name}; free some space and run it again"
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return f"cannot write {name}: the folder is read-only or not yours (check NEXTADS_DATA_DIR and --out)"
        if isinstance(exc, IsADirectoryError):
            return f"{name} is a folder; give a file"
        if isinstance(exc, NotADirectoryError):
            return f"{name}: part of this path is a file, not a folder; pick another --out"
        if isinstance(exc, FileExistsError):
            return f"{name} already exists and is not a folder; pick another --out"
        if isinstance(exc, FileNotFoundError):
            return f"{name}: file or folder not found"
        return redact(f"{exc.strerror or exc}: {name}".strip(": "))
    if isinstance(exc, OverflowError):
        return f"a number is too large ({exc}); check ids and numbers on the command line"
    if isinstance(exc, ValueError) and "null byte" in str(exc):
        return "a path or text contains a NUL byte; remove it"
    return redact(f"{type(exc).__name__}: {exc}")


def finite_number(text: str) -> float:
    """argparse type: a finite, positive number of seconds (refuses nan, inf, 0 and negatives)."""
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of seconds")
    return value


def studio_from_env():
    from ..studio import Studio

    return Studio.from_settings()


def load_model(path, model, what: str):
    """Read a contract (plan, verdict, ...) from a JSON file; every failure is one actionable InputError."""
    from pathlib import Path

    from pydantic import ValidationError

    from ..errors import InputError

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: {what} file not found")
    try:
        return model.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        raise InputError(f"{path}: {loc}: {err['msg']}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason})") from None
