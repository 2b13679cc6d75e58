"""One small interface per role. Offline defaults and cloud/local adapters implement these."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


@dataclass
class CallRecord:
    """Latency and cost of one backend call, stored with the run and shown in the studio."""

    backend: str
    operation: str
    seconds: float
    cost_usd: float = 0.0
    ok: bool = True
    detail: str = ""


@dataclass
class Usage:
    calls: list[CallRecord] = field(default_factory=list)

    def add(self, record: CallRecord) -> None:
        self.calls.append(record)

    @property
    def total_cost(self) -> float:
        return sum(c.cost_usd for c in self.calls)

    @property
    def total_seconds(self) -> float:
        return sum(c.seconds for c in self.calls)


class TextModel(ABC):
    backend_id: str = "offline"

    @abstractmethod
    def generate_json(self, prompt: str, schema: type[M], images: Sequence[Path | str] = (),
                      temperature: float = 0.2) -> M:
        """Return an instance of `schema` produced from the prompt (structured output)."""


class Embedder(ABC):
    backend_id: str = "offline"

    @abstractmethod
    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text."""


class VideoModel(ABC):
    backend_id: str = "offline"

    @abstractmethod
    def generate(self, plan: Any, references: Sequence[Path | str], out_dir: Path) -> list[Path]:
        """Render or generate clips for the plan's scenes; returns one silent clip per scene or one for all."""


class Judge(ABC):
    backend_id: str = "offline"

    @abstractmethod
    def score(self, plan: Any, creative: Any, context: dict[str, Any]) -> dict[str, Any]:
        """Map of dimension -> JudgeScore (see schemas.verdict.Utility)."""


class Speech(ABC):
    backend_id: str = "offline"

    @abstractmethod
    def synthesize(self, text: str, out_path: Path, speed: float = 1.0, language: str = "en") -> Path:
        """Write a mono WAV of the spoken text; returns its path."""
