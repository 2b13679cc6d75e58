"""Per-browser-session state (held in gr.State) and the signed-in studio user."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..campaign import Campaign
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
    """What one browser tab is working on: the chosen person, product and task, and the open campaign (whose
    current plan, creative, verdict and proposals live in the store). Copied per session by gr.State."""

    user_id: str | None = None
    product_id: str | None = None
    task: str = "pcg"
    host_video: str | None = None
    history: UserHistory | None = None
    profile: UserProfile | None = None
    campaign: Campaign | None = None
    rounds: list[Round] = field(default_factory=list)
    extra_assets: list[str] = field(default_factory=list)
    generic: dict[str, Any] = field(default_factory=dict)
    uploaded: dict[str, UserHistory] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)

    @property
    def campaign_id(self) -> int | None:
        return self.campaign.id if self.campaign else None

    @property
    def plan(self) -> CreativePlan | None:
        return self.campaign.current if self.campaign else None

    @property
    def previous_plan(self) -> CreativePlan | None:
        return self.campaign.previous_plan if self.campaign else None

    @property
    def creative(self) -> Creative | None:
        return self.campaign.creative if self.campaign else None

    @property
    def verdict(self) -> Verdict | None:
        return self.campaign.verdict if self.campaign else None

    @property
    def directives(self) -> list[Any]:
        return list(self.campaign.directives) if self.campaign else []

    def forget_person(self) -> None:
        """A new person: their task, host video and campaign start from scratch."""
        self.task, self.host_video, self.campaign, self.rounds, self.generic = "pcg", None, None, [], {}
        self.extra_assets = []


def username(request: Any) -> str:
    """The signed-in studio user, or the local single user when sign-in is off."""
    name = getattr(request, "username", None) if request is not None else None
    return name or LOCAL_USER


def bind(studio: Any, fn: Callable) -> Callable:
    """`fn(studio, *inputs)` as a Gradio handler `(*inputs)`, keeping the type hints Gradio reads
    (gr.Request, gr.SelectData) and the gr.Progress default; functools.partial would hide them."""

    from .serving import publishing

    if inspect.isgeneratorfunction(fn):
        # Gradio streams only from a generator function: a plain function returning a generator is one
        # (wrong) output, which is how "Run the loop" used to end in a bare "Error".
        @functools.wraps(fn)
        def handler(*args, **kwargs):
            yield from publishing(studio, fn, args, kwargs)
    else:
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
