"""Where a campaign's files go: one folder per campaign, version and attempt, never shared, never overwritten.

    <data_dir>/runs/<campaign>/v<version>/<kind>-<attempt>/

``kind`` names the step (``plan``, ``collage``, ``render``, ``loop``); ``attempt`` counts up from 1, so rendering
the same version twice (another aspect, a retry after a cancel) writes a second folder instead of replacing the
first, and two campaigns planning the same person and product never share one. Every component goes through
:func:`paths.safe_component`, so ids typed in a form or read from an upload cannot escape ``runs/``.
"""

from __future__ import annotations

from pathlib import Path

from .paths import child, ensure_within, safe_component

RUNS = "runs"
UNFILED = "unfiled"  # work that belongs to no stored campaign (e.g. a plan made before its campaign exists)


def campaign_dir(data_dir: Path | str, campaign: int | str | None) -> Path:
    """``<data_dir>/runs/<campaign>``: ``c<id>`` for a stored campaign, else the given name, else ``unfiled``."""
    name = f"c{campaign}" if isinstance(campaign, int) else (campaign or UNFILED)
    return child(data_dir, RUNS, name)


def run_dir(data_dir: Path | str, campaign: int | str | None, version: int, kind: str) -> Path:
    """A new, empty folder for one attempt at ``kind`` on ``version`` of ``campaign`` (created here)."""
    if version < 0:
        raise ValueError(f"version must be 0 or more, got {version}")
    base = campaign_dir(data_dir, campaign) / f"v{int(version)}"
    base.mkdir(parents=True, exist_ok=True)
    stem = safe_component(kind, fallback="run")
    attempt = 1 + max((_attempt(p.name, stem) for p in base.iterdir()), default=0)
    while True:
        folder = ensure_within(data_dir, base / f"{stem}-{attempt}")
        try:
            folder.mkdir()  # exclusive: two workers never get the same folder
            return folder
        except FileExistsError:
            attempt += 1


def attempts(data_dir: Path | str, campaign: int | str | None, version: int, kind: str) -> list[Path]:
    """The folders made so far for ``kind`` on ``version``, oldest first."""
    base = campaign_dir(data_dir, campaign) / f"v{int(version)}"
    stem = safe_component(kind, fallback="run")
    found = [(n, p) for p in base.glob(f"{stem}-*") if (n := _attempt(p.name, stem))]
    return [p for _, p in sorted(found)]


def _attempt(name: str, stem: str) -> int:
    head, _, tail = name.rpartition("-")
    return int(tail) if head == stem and tail.isdigit() else 0


__all__ = ["attempts", "campaign_dir", "run_dir"]
