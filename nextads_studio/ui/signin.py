"""Sign-in: Gradio's login page checks studio users from the store; the header shows who is signed in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import gradio as gr

from . import actions
from .session import username


def auth_check(studio: Any, limiter: Any = None) -> Callable[[str, str], Awaitable[bool]]:
    """The `auth=` callable for launch(): a studio user from the store with the right password.

    The password hash runs in a worker thread, so a flood of bad sign-ins cannot stall the server; a name with
    too many recent failures is refused without hashing (and without another audit row) until its lockout ends.
    """
    from .serving import FailedSignIns

    limiter = limiter or FailedSignIns()

    def verify(name: str, password: str) -> bool:
        try:
            return studio.store.authenticate(name, password) is not None
        except Exception:  # noqa: BLE001 - a broken store refuses sign-in rather than letting anyone in
            return False

    async def check(name: str, password: str) -> bool:
        key = f"user:{name[:64].lower()}"
        if limiter.locked_for(key) > 0:
            return False
        ok = await anyio.to_thread.run_sync(verify, name, password)
        (limiter.succeeded if ok else limiter.failed)(key)
        return ok

    return check


def on_load(studio: Any, request: gr.Request = None):
    """Who is signed in, and whether their role may approve (the buttons follow the role)."""
    name = username(request)
    role = actions.role_of(studio, name)
    can = role in ("approver", "admin")
    who = f"Signed in as **{name}** ({role})" if studio.settings.login_required else \
        f"Local studio (no sign-in on {studio.settings.host}); acting as **{name}** ({role})"
    return who, gr.update(interactive=can), gr.update(interactive=can)


def build(studio: Any, ctx: dict) -> gr.Markdown:
    header = gr.Markdown(elem_id="whoami")
    ctx["whoami"] = header
    return header
