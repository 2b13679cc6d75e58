"""`nextads ...`: a thin command line over the same core as the studio UI.

Each command group lives in its own module with `register(subparsers)`; handlers return an exit code.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from ..errors import BackendUnavailable, InputError, NextAdsError
from ._common import explain, fail

COMMAND_MODULES = ("library", "plan", "render", "verify", "reflect", "evolve", "serve", "schema", "store", "backends", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nextads", description="NextAds Studio: personalized video ads, offline.")
    parser.add_argument("--log-level", default=os.environ.get("NEXTADS_LOG_LEVEL", "WARNING"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    from ..logging_setup import configure_logging

    configure_logging(args.log_level)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except (InputError, BackendUnavailable) as exc:
        return fail(str(exc))
    except NextAdsError as exc:
        logging.getLogger("nextads").debug("command failed", exc_info=True)
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted; nothing partial was written")
    except Exception as exc:  # noqa: BLE001 - bad input of every other kind still ends in one line
        logging.getLogger("nextads").debug("command failed", exc_info=True)
        return fail(explain(exc))


if __name__ == "__main__":
    sys.exit(main())
