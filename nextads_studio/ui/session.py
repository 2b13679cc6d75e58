"""Per-browser-session state (held in gr.State) and the signed-in studio user."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..schemas import Creative, CreativePlan, Product, UserHistory, UserProfile, Verdict

LOCAL_USER = "local"


@dataclass
class Round:
    """One pass of the loop as shown in the Reflect tab's history."""

    version: int
    decision: str
    applied: list[str] = field(default_factory=list)
    rerendered: list[int] = field(default_factory=list)


@dataclass
class Session:
    """What one browser tab is working on. Copied per session by gr.State."""

    user_id: str | None = None
    product_id: str | None = None
    task: str = "pcg"
    host_video: str | None = None
    campaign_id: str | None = None
    history: UserHistory | None = None
    profile: UserProfile | None = None
    plan: CreativePlan | None = None
    creative: Creative | None = None
    verdict: Verdict | None = None
    directives: list[Any] = field(default_factory=list)
    directive_ids: list[int | None] = field(default_factory=list)
    creative_id: int | None = None
    previous_plan: CreativePlan | None = None
    rounds: list[Round] = field(default_factory=list)
    extra_assets: list[str] = field(default_factory=list)
    generic: dict[str, Any] = field(default_factory=dict)
    uploaded: dict[str, UserHistory] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)


def username(request: Any) -> str:
    """The signed-in studio user, or the local single user when sign-in is off."""
    name = getattr(request, "username", None) if request is not None else None
    return name or LOCAL_USER


def bind(studio: Any, fn: Callable) -> Callable:
    """`fn(studio, *inputs)` as a Gradio handler `(*inputs)`, keeping the type hints Gradio reads
    (gr.Request, gr.SelectData) and the gr.Progress default; functools.partial would hide them."""

    from .serving import publishing

    @functools.wraps(fn)
    def handler(*args, **kwargs):
        # Files under the data dir reach the page only through publishing (who may see what: ui/serving.py).
        return publishing(studio, fn, args, kwargs)

    sig = inspect.signature(fn)
    handler.__signature__ = sig.replace(parameters=list(sig.parameters.values())[1:])  # type: ignore[attr-defined]
    hints = typing.get_type_hints(fn)
    hints.pop(next(iter(sig.parameters)), None)
    handler.__annotations__ = hints
    del handler.__wrapped__  # type: ignore[attr-defined]
    handler._publishes = True  # type: ignore[attr-defined]
    return handler
