"""Run a stage on its chosen backend; on failure, fall back to offline when the user enabled that, and say so."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ..errors import BackendError, BackendUnavailable
from ..redact import redact
from .base import Usage

log = logging.getLogger(__name__)
FAILURES = (BackendError, BackendUnavailable)


def usage_note(backend_id: str, usage: Usage | None) -> str:
    """One line for plan notes and the studio: calls, seconds and cost of a backend in this run."""
    if usage is None or not usage.calls:
        return f"backend {backend_id}: no remote calls"
    failed = sum(not c.ok for c in usage.calls)
    return (f"backend {backend_id}: {len(usage.calls)} calls ({failed} failed), {usage.total_seconds:.1f}s, "
            f"${usage.total_cost:.4f}")


class FallbackDirector:
    """The LLM Director, with the offline Director behind it when settings.fallback_offline is on.

    The LLM side is built on first use, so a missing key or SDK surfaces as a note on the plan (fallback on) or
    as the BackendUnavailable message (fallback off), never at studio start.
    """

    def __init__(self, backend_id: str, primary: Callable[[], Any], offline: Callable[[], Any], fallback: bool):
        self.backend_id = backend_id
        self._primary_factory, self._offline_factory = primary, offline
        self.fallback = fallback
        self._primary = self._offline = None

    @property
    def primary(self) -> Any:
        if self._primary is None:
            self._primary = self._primary_factory()
        return self._primary

    @property
    def offline(self) -> Any:
        if self._offline is None:
            self._offline = self._offline_factory()
        return self._offline

    def build_profile(self, history):
        """The primary's profile, or the offline one when the primary fails and fallback is on."""
        try:
            return self.primary.build_profile(history)
        except FAILURES as exc:
            if not self.fallback:
                raise
            log.warning("director %s failed (%s); using offline", self.backend_id, exc)
            return self.offline.build_profile(history)

    def plan(self, history, product, **kwargs):
        """A CreativePlan; its `backend` says who made it and its notes say why offline ran, if it did."""
        usage, before = None, 0
        try:
            usage = getattr(self.primary.model, "usage", None)
            before = len(usage.calls) if usage else 0
            plan = self.primary.plan(history, product, **kwargs)
        except FAILURES as exc:
            if not self.fallback:
                raise
            log.warning("director %s failed (%s); falling back to offline", self.backend_id, exc)
            plan = self.offline.plan(history, product, **kwargs)
            calls = usage.calls[before:] if usage else []
            attempt = f" after {len(calls)} calls, {sum(c.seconds for c in calls):.1f}s" if calls else ""
            note = redact(f"director {self.backend_id} failed{attempt}, the offline Director made this plan: {exc}")
            return plan.model_copy(update={"notes": [*plan.notes, *self._server_notes(), note[:600]]})
        recent = Usage(usage.calls[before:]) if usage else None
        return plan.model_copy(update={"notes": [*plan.notes, *self._server_notes(),
                                                 usage_note(self.backend_id, recent)]})

    def _server_notes(self) -> list[str]:
        """What the adapter learned about the server (images left out, structured-output level stepped down)."""
        model = getattr(self._primary, "model", None)
        traits = getattr(model, "traits", None)
        return list(getattr(traits, "notes", []))


def director_for(studio: Any, backend_id: str) -> Any:
    """A director for one run on another backend than the settings' (the UI's per-run choice)."""
    from ..director import Director

    if backend_id == "offline":
        return studio.director if studio.settings.director == "offline" else Director.from_studio(studio)
    from .llm_director import LLMDirector

    return FallbackDirector(backend_id, lambda: LLMDirector.from_studio(studio, studio.backend("director", backend_id)),
                            lambda: Director.from_studio(studio), studio.settings.fallback_offline)
