"""Sign-in: Gradio's login page checks studio users from the store; the header shows who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from . import actions
from .session import username


def auth_check(studio: Any) -> Callable[[str, str], bool]:
    """The `auth=` callable for launch(): a studio user from the store with the right password."""

    def check(name: str, password: str) -> bool:
        try:
            return studio.store.authenticate(name, password) is not None
        except Exception:  # noqa: BLE001 - a broken store refuses sign-in rather than letting anyone in
            return False

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
