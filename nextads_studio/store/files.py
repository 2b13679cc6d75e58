"""Content-addressed files: data_dir/blobs/<sha256[:2]>/<sha256>, written atomically, verified on read."""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, NextAdsError

_CHUNK = 1 << 20
_TMP_PREFIX = ".incoming-"


class CorruptArtifact(NextAdsError):
    """A stored file no longer matches the hash it was stored under (disk damage or a hand edit)."""


class BlobStore:
    """Files named by the sha256 of their bytes. A file appears under its name only when complete."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise InputError(f"{sha256!r} is not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, source: Path | str) -> tuple[str, int]:
        """Copy `source` in; return (sha256, size). Storing the same bytes twice keeps one file."""
        source = Path(source)
        if not source.is_file():
            raise InputError(f"{source}: no such file to store")
        with open(source, "rb") as fh:
            return self.put_stream(iter(lambda: fh.read(_CHUNK), b""))

    def put_bytes(self, data: bytes) -> tuple[str, int]:
        return self.put_stream([data])

    def put_stream(self, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Write chunks to a hidden temp file while hashing, fsync, then rename into place.

        A writer killed half-way leaves only a hidden temp file (swept by `sweep_incoming`), never a
        half file under a content name.
        """
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.root)
        digest, size = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.is_file() and self._matches(final, sha):
                return sha, size
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return sha, size
        finally:
            Path(tmp).unlink(missing_ok=True)

    def verified_path(self, sha256: str) -> Path:
        """The file's path after checking its bytes still hash to `sha256`."""
        path = self.path_for(sha256)
        if not path.is_file():
            raise CorruptArtifact(f"artifact {sha256[:12]} is missing from {self.root}; re-render the creative")
        if not self._matches(path, sha256):
            raise CorruptArtifact(
                f"artifact {path} is corrupted: its bytes no longer match sha256 {sha256[:12]}...; "
                "re-render the creative or restore the file from a backup"
            )
        return path

    def delete(self, sha256: str) -> bool:
        path = self.path_for(sha256)
        if path.is_file():
            path.unlink()
            return True
        return False

    def sweep_incoming(self, older_than_s: float = 3600.0) -> int:
        """Remove temp files left by killed writers (older than `older_than_s`, so live writers are safe)."""
        cutoff, removed = time.time() - older_than_s, 0
        for tmp in self.root.glob(f"{_TMP_PREFIX}*"):
            try:
                if tmp.stat().st_mtime <= cutoff:
                    tmp.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed

    def all_hashes(self) -> set[str]:
        return {p.name for p in self.root.glob("??/*") if p.is_file() and len(p.name) == 64}

    @staticmethod
    def _matches(path: Path, sha256: str) -> bool:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            while block := fh.read(_CHUNK):
                digest.update(block)
        return digest.hexdigest() == sha256


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
