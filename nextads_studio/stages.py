"""The four stages as typed interfaces. The offline, LLM and generative implementations and the fallbacks all
satisfy these, so the campaign core, the CLI and the bench are written against the interface, not a class.

Structural typing (``typing.Protocol``): a stage needs no base class, only these methods. ``runtime_checkable``
lets tests assert that every implementation has them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .schemas import (
    Creative,
    CreativePlan,
    Directive,
    FeedbackEvent,
    Product,
    RenderSettings,
    UserHistory,
    UserProfile,
    Verdict,
)

Progress = Callable[[float, str], None]


@runtime_checkable
class DirectorStage(Protocol):
    """Person + product -> a CreativePlan (profile, match, storyboard, grounding, PCI integration)."""

    def build_profile(self, history: UserHistory) -> UserProfile: ...

    def plan(self, history: UserHistory | None, product: Product, *, task: str = ..., mode: str = ...,
             host_video: str | None = ..., duration: float = ..., aspect: str = ..., seed: int = ...,
             out_dir: Path | None = ...) -> CreativePlan: ...


@runtime_checkable
class ProducerStage(Protocol):
    """A plan -> a rendered creative (video, captions, sidecar) in ``out_dir``; cancelling leaves no partial file."""

    def render(self, plan: CreativePlan, out_dir: Path, settings: RenderSettings | None = None,
               progress: Progress | None = None, cancel: threading.Event | None = None) -> Creative: ...


@runtime_checkable
class VerifierStage(Protocol):
    """The rendered creative judged against the person -> accept / revise / reject with rationales."""

    thresholds: dict

    def verify(self, plan: CreativePlan, creative: Creative, history: UserHistory | None = None,
               profile: UserProfile | None = None,
               peers: Sequence[tuple[CreativePlan, Creative]] = ()) -> Verdict: ...


@runtime_checkable
class ReflectorStage(Protocol):
    """A verdict and feedback -> minimal revision directives."""

    def reflect(self, plan: CreativePlan, verdict: Verdict | None = None,
                feedback: Sequence[FeedbackEvent] = ()) -> list[Directive]: ...

    def propose(self, plan: CreativePlan, verdict: Verdict | None = None,
                feedback: Sequence[FeedbackEvent] = (), *, budget: float | None = None,
                creative: Creative | None = None) -> Any: ...


__all__ = ["DirectorStage", "ProducerStage", "Progress", "ReflectorStage", "VerifierStage"]
