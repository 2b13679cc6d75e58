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
