"""Errors a person can act on. Every message names the file, field or setting involved."""

from __future__ import annotations


class NextAdsError(Exception):
    """Base class for the studio's own errors."""


class InputError(NextAdsError):
    """Bad input from a person (a file, a form field, a flag); the message says what to fix."""


class BackendUnavailable(NextAdsError):
    """A backend cannot run here: a missing SDK (the message carries the pip command), key or model folder."""

    def __init__(self, message: str, pip_hint: str | None = None):
        super().__init__(message + (f" Install it with: {pip_hint}" if pip_hint else ""))
        self.pip_hint = pip_hint


class BackendError(NextAdsError):
    """A backend was reachable but failed (after retries); the stage ends with this message."""


class StageCancelled(NextAdsError):
    """The person cancelled a running stage; nothing partial was kept."""


class ConflictError(NextAdsError):
    """Someone else changed the record since it was opened (optimistic version check)."""


class PermissionDenied(NextAdsError):
    """The signed-in studio user's role does not allow this action."""


__all__ = [
    "BackendError",
    "BackendUnavailable",
    "ConflictError",
    "InputError",
    "NextAdsError",
    "PermissionDenied",
    "StageCancelled",
]
