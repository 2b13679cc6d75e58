"""`nextads backends [--check]`: every registered backend per role with its state, as JSON.

Without --check nothing is contacted ("ready" means configured: SDK, key or URL present). With --check each
configured LLM backend gets one small live request; the command exits 1 when one of them fails the check.
"""

from __future__ import annotations

import argparse

from ._common import emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backends", help="List backends per role: SDK installed, key present, model folder.")
    parser.add_argument("--check", action="store_true",
                        help="contact each configured LLM backend: reachable, model known, vision, structured "
                             "output, context, latency (exit 1 when one fails)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..backends.status import backend_states, check_backends
    from ..settings import Settings

    settings = Settings()
    if getattr(args, "check", False):
        result = check_backends(settings)
        emit(result)
        return 0 if result["ok"] else 1
    states = backend_states(settings)
    states["note"] = "configured only, nothing was contacted: `nextads backends --check` tries each selected backend"
    return emit(states)
