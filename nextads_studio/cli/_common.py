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
