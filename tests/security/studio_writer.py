"""A studio-like process for the concurrency tests: the studio's web app on loopback plus a thread writing to the
store through the same Store code, until stdin closes. Prints `PORT <n>` when serving and `WROTE <n>` at the end.

Usage: python -m tests.security.studio_writer DATA_DIR [--login]"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time


def main() -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio
    from nextads_studio.ui import build_app, launch_kwargs

    data = sys.argv[1]
    studio = Studio(Settings(data_dir=data, require_login="--login" in sys.argv))
    store = studio.store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app(studio)
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        **launch_kwargs(studio))
    stop, wrote = threading.Event(), [0]

    def write() -> None:
        while not stop.is_set():
            n = wrote[0]
            store._tx(lambda s, n=n: store._audit(s, "writer_row", "studio", None, n=n))  # one studio write
            wrote[0] += 1
            time.sleep(0.01)

    worker = threading.Thread(target=write, daemon=True)
    worker.start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()  # until the test closes our stdin
    stop.set()
    worker.join()
    demo.close()
    store.close()
    print(f"WROTE {wrote[0]}", flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
