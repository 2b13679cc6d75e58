"""Online feedback: impression-level signals (watch time, skips, replays, clicks, conversions) from a CSV or
JSON lines.

CSV columns (header required): impression_id, watch_time, and optionally user_id, plan_id, plan_version,
skip_time, replays, clicks, conversions, time. Empty optional cells mean "not recorded".
JSON lines: one object per line with the same keys (null or missing = not recorded).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..schemas import FeedbackEvent

REQUIRED = ("impression_id", "watch_time")
_FLOATS = ("watch_time", "skip_time", "time")
_INTS = ("plan_version", "replays", "clicks", "conversions")
KNOWN = (*REQUIRED, "user_id", "plan_id", "plan_version", "skip_time", "replays", "clicks", "conversions", "time")


def read_feedback_csv(path: Path | str) -> list[FeedbackEvent]:
    """Read feedback events; a bad file raises InputError naming the line and column to fix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: feedback file not found") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a UTF-8 text CSV ({exc.reason} at byte {exc.start})") from exc
    return parse_feedback_csv(text, source=str(path))


def read_feedback(path: Path | str) -> list[FeedbackEvent]:
    """Read a feedback file: JSON lines when it ends in .jsonl/.ndjson/.json, else CSV."""
    path = Path(path)
    if path.suffix.lower() not in (".jsonl", ".ndjson", ".json"):
        return read_feedback_csv(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: feedback file not found") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_feedback_jsonl(text, source=str(path))


def parse_feedback_jsonl(text: str, source: str = "feedback.jsonl") -> list[FeedbackEvent]:
    """Parse JSON lines (one impression object per line; blank lines skipped)."""
    events: list[FeedbackEvent] = []
    seen: dict[str, int] = {}
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{source} line {line_no}: not JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(row, dict):
            raise InputError(f"{source} line {line_no}: expected an object like {{\"impression_id\": ..., "
                             f"\"watch_time\": ...}}, got {type(row).__name__}")
        unknown = [k for k in row if k not in KNOWN]
        if unknown:
            raise InputError(f"{source} line {line_no}: unknown key(s) {', '.join(unknown)}; known: "
                             f"{', '.join(KNOWN)}")
        values = {k: v for k, v in row.items() if v is not None and v != ""}
        for column in REQUIRED:
            if column not in values:
                raise InputError(f"{source} line {line_no}, key {column}: missing; every impression needs it")
        cells = {k: _convert(k, str(v), source, line_no) if k in (*_FLOATS, *_INTS) else v for k, v in values.items()}
        event = _validated(cells, source, line_no, "key")
        if event.impression_id in seen:
            raise InputError(f"{source} line {line_no}, key impression_id: '{event.impression_id}' repeats line "
                             f"{seen[event.impression_id]}")
        seen[event.impression_id] = line_no
        events.append(event)
    if not events:
        raise InputError(f"{source}: no impressions; expected one JSON object per line")
    return events


def parse_feedback_csv(text: str, source: str = "feedback.csv") -> list[FeedbackEvent]:
    """Parse CSV text into events (see module docstring for the columns)."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise InputError(f"{source}: empty file; expected a header with columns {', '.join(REQUIRED)}")
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{source} line 1: missing column(s) {', '.join(missing)} (found: {', '.join(header)})")
    unknown = [c for c in header if c not in KNOWN]
    if unknown:
        raise InputError(f"{source} line 1: unknown column(s) {', '.join(unknown)}; known: {', '.join(KNOWN)}")
    events: list[FeedbackEvent] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise InputError(f"{source} line {line}: more cells than header columns")
            if not any((v or "").strip() for v in row.values()):
                continue
            event = _event(row, source, line)
            if event.impression_id in seen:
                raise InputError(f"{source} line {line}, column impression_id: '{event.impression_id}' repeats "
                                 f"line {seen[event.impression_id]}")
            seen[event.impression_id] = line
            events.append(event)
    except csv.Error as exc:
        raise InputError(f"{source} line {reader.line_num}: malformed CSV ({exc})") from exc
    return events


def _event(row: dict[str, str | None], source: str, line: int) -> FeedbackEvent:
    values: dict[str, object] = {}
    for column, raw in row.items():
        cell = (raw or "").strip()
        if cell == "":
            continue
        values[column] = _convert(column, cell, source, line)
    for column in REQUIRED:
        if column not in values:
            raise InputError(f"{source} line {line}, column {column}: empty; every impression needs it")
    return _validated(values, source, line, "column")


def _validated(values: dict, source: str, line: int, what: str) -> FeedbackEvent:
    try:
        return FeedbackEvent.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        column = ".".join(str(x) for x in err["loc"]) or "?"
        raise InputError(f"{source} line {line}, {what} {column}: {err['msg']}") from exc


def _convert(column: str, cell: str, source: str, line: int) -> object:
    try:
        if column in _FLOATS:
            value = float(cell)
            if value != value or value in (float("inf"), float("-inf")):
                raise ValueError
            return value
        if column in _INTS:
            value = float(cell)
            if value != int(value):
                raise ValueError
            return int(value)
    except ValueError as exc:
        kind = "a number" if column in _FLOATS else "a whole number"
        raise InputError(f"{source} line {line}, column {column}: '{cell}' is not {kind}") from exc
    return cell


def summarize(events: Sequence[FeedbackEvent]) -> dict[str, float]:
    """Aggregate rates over impressions: view-through proxy, early-skip rate, CTR, CVR."""
    n = len(events)
    if n == 0:
        return {"impressions": 0}
    return {
        "impressions": n,
        "mean_watch_time": sum(e.watch_time for e in events) / n,
        "early_skip_rate": sum(1 for e in events if e.skip_time is not None and e.skip_time < 3.0) / n,
        "ctr": sum(1 for e in events if e.clicks) / n,
        "cvr": sum(1 for e in events if e.conversions) / n,
    }
