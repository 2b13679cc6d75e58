"""Which history images may be shown in an ad's frames.

History images are style references by default: other creators' posts a person viewed, or the person's own
photos. Only a file whose licence record (``licenses.json`` in its audience folder, one record per file) carries
``"licensed_for_reuse": true`` may appear in frames; the record also names the licence.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

RECORDS = "licenses.json"


@lru_cache(maxsize=64)
def _records(path: str, mtime: float) -> dict[str, dict]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    folder = Path(path).parent
    out = {}
    for rec in data if isinstance(data, list) else []:
        if isinstance(rec, dict) and isinstance(rec.get("path"), str):
            out[str((folder / rec["path"]).resolve())] = rec
    return out


def licence_record(path: str | Path) -> dict | None:
    """The licence record of a history file (searched in licenses.json files up to five folders above it)."""
    p = Path(path).resolve()
    for parent in list(p.parents)[:6]:
        records = parent / RECORDS
        if records.is_file():
            rec = _records(str(records), records.stat().st_mtime).get(str(p))
            if rec is not None:
                return rec
    return None


def licensed_for_reuse(path: str | Path) -> bool:
    """True only when the file's licence record explicitly allows showing it in an ad."""
    rec = licence_record(path)
    return bool(rec and rec.get("licensed_for_reuse") is True and rec.get("license"))


def records_for(files: list[str], license: str | None, reusable: bool, source: str) -> list[dict]:
    """Licence records for imported history files (paths relative to the audience folder)."""
    return [{"path": f, "license": license or "unknown: supplied by the importing user", "author": "unknown",
             "source": source, "licensed_for_reuse": bool(reusable)} for f in files]


__all__ = ["RECORDS", "licence_record", "licensed_for_reuse", "records_for"]
