"""`nextads backends`: every registered backend per role with its state, as JSON."""

from __future__ import annotations

import argparse

from ._common import emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("backends", help="List backends per role: SDK installed, key present, model folder.")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..backends.status import backend_states
    from ..settings import Settings

    return emit(backend_states(Settings()))
