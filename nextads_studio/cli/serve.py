"""`nextads serve [--host] [--port]`: start the studio UI (same as `python app.py`)."""

from __future__ import annotations

import argparse
import os


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="start the studio UI (default 127.0.0.1:7860)")
    p.add_argument("--host", help="interface to listen on (NEXTADS_HOST); beyond loopback, sign-in is required")
    p.add_argument("--port", type=int, help="port (NEXTADS_PORT)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from ..settings import Settings
    from ..studio import Studio
    from ..ui import launch

    overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = Settings(**overrides)
    studio = Studio.from_settings(settings)
    if settings.login_required and not studio.store.list_users():
        from ..errors import InputError

        raise InputError("sign-in is required on this host but there is no studio user yet; create the first "
                         "admin with: nextads users add NAME --role admin")
    from ..producer.speech import start_voice

    start_voice()  # the offline voice loads in its own process while the studio starts, not inside the first render
    launch(studio)
    return 0
