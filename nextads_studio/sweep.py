"""Leftovers of interrupted work: temp folders a killed render, encode, voice or import leaves behind.

Renders, encodes and voices write into hidden temp folders next to their output and rename into place, so a
process killed half-way leaves only such a folder. :func:`sweep_stale` removes the ones older than a grace period
(live work in another process is younger); the studio runs it at start-up and before each render."""

from __future__ import annotations

import logging
import re
import shutil
import time
from pathlib import Path

log = logging.getLogger(__name__)

# .render-*, .enc-*, .voice-*, .generated-* (producer); .staging-*, .history-* (imports); tmpXXXXXXXX (older
# voice folders made with tempfile's default name).
STALE = re.compile(r"^(\.(render|enc|voice|generated|staging|history)-.+|tmp[a-z0-9_]{8})$")
GRACE_S = 2 * 3600.0
_SKIP = {"blobs"}


def sweep_stale(data_dir: Path | str, older_than_s: float = GRACE_S) -> list[Path]:
    """Remove stale temp folders under the data dir (not the blob store); returns what was removed."""
    root = Path(data_dir)
    if not root.is_dir():
        return []
    cutoff, removed = time.time() - older_than_s, []
    # Temp folders live next to outputs: anywhere in runs/ and cache/, at the top of the other folders.
    candidates = [*root.glob("*"), *root.glob("*/*")]
    for deep in ("runs", "cache"):
        candidates += list((root / deep).rglob("*")) if (root / deep).is_dir() else []
    for folder in dict.fromkeys(candidates):
        try:
            if folder.is_symlink() or not STALE.match(folder.name) or not folder.is_dir():
                continue
            if folder.stat().st_mtime > cutoff or folder.relative_to(root).parts[0] in _SKIP:
                continue
        except OSError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    if removed:
        log.info("removed %d stale temp folder(s) left by interrupted work", len(removed))
    return removed
