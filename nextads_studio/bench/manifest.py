"""A benchmark manifest: which user-product pairs a suite holds, with content hashes so a run is reproducible."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..atomic import write_json
from ..errors import InputError

Suite = Literal["pcg", "pci"]


class BenchUser(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: str
    n_items: int = Field(ge=1)
    dominant_share: float = Field(ge=0.0, le=1.0, description="Share of history in the strongest tier.")
    consistency: float = Field(description="Mean cosine of the strong tier's items to its centroid.")
    history_hash: str


class BenchPair(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pair_id: str
    user_id: str
    product_id: str
    compatibility: float
    host_video: str | None = None


class BenchManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suite: Suite
    source: str = Field(description="The history file or folder, relative to the manifest when possible.")
    source_hash: str
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    criteria: dict[str, float | int | str] = Field(default_factory=dict)
    users: list[BenchUser] = Field(default_factory=list)
    pairs: list[BenchPair] = Field(default_factory=list)
    manifest_hash: str = ""

    def compute_hash(self) -> str:
        body = {"suite": self.suite, "source_hash": self.source_hash, "criteria": self.criteria,
                "pairs": [p.model_dump() for p in self.pairs]}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]

    def source_path(self, manifest_path: Path) -> Path:
        src = Path(self.source)
        return src if src.is_absolute() else (manifest_path.parent / src).resolve()


def save_manifest(manifest: BenchManifest, path: Path) -> Path:
    manifest.manifest_hash = manifest.compute_hash()
    return write_json(path, manifest)


def load_manifest(path: str | Path) -> BenchManifest:
    path = Path(path)
    try:
        manifest = BenchManifest.model_validate_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such manifest; build one with `nextads bench build`") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a valid bench manifest ({str(exc).splitlines()[0]})") from None
    if manifest.manifest_hash and manifest.manifest_hash != manifest.compute_hash():
        raise InputError(f"{path}: the pairs were edited after the manifest was built (hash mismatch); rebuild it")
    return manifest


def hash_source(path: Path) -> str:
    """Content hash of a history file, or of every file under a history folder."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    for f in files:
        digest.update(str(f.relative_to(path.parent if path.is_file() else path)).encode())
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()[:16]
