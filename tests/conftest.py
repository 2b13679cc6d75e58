"""Test-wide setup: offline by default (a network kill-switch), a private data dir, shared expensive fixtures."""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from pathlib import Path

import pytest

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"
for key in ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"):
    os.environ.pop(key, None)
# the prepared voice model of test runs lives in one folder of the system's temp dir, not in the user's cache
# (one copy shared by every run: pytest ends with os._exit, so a per-run folder would be left behind each time)
os.environ["NEXTADS_VOICE_CACHE"] = str(Path(tempfile.gettempdir()) / "nextads-test-voice")

ROOT = Path(__file__).resolve().parent.parent
_real_connect = socket.socket.connect


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise ConnectionRefusedError(f"tests are offline: blocked a connection to {address!r}")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _offline(request, monkeypatch):
    """Model and network requests are off unless a test is marked `network`."""
    if "network" not in request.keywords:
        monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(autouse=True)
def _fresh_server_traits():
    """What adapters learned about servers is per process; each test starts without that memory."""
    from nextads_studio.backends import openai_text

    openai_text._TRAITS.clear()
    yield
    openai_text._TRAITS.clear()


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = tmp_path / "data"
    monkeypatch.setenv("NEXTADS_DATA_DIR", str(d))
    return d


@pytest.fixture
def settings(data_dir):
    from nextads_studio.settings import Settings

    return Settings(data_dir=data_dir)


@pytest.fixture(scope="session")
def embedder():
    from nextads_studio.backends.offline import shared_embedder

    return shared_embedder()


def pytest_collection_modifyitems(config, items):
    gpu_ok = os.environ.get("NEXTADS_GPU_TESTS") == "1"
    for item in items:
        if "network" in item.keywords and os.environ.get("NEXTADS_NETWORK_TESTS") != "1":
            item.add_marker(pytest.mark.skip(reason="network tests run only with NEXTADS_NETWORK_TESTS=1"))
        if "gpu" in item.keywords and not gpu_ok:
            item.add_marker(pytest.mark.skip(reason="GPU tests run only with NEXTADS_GPU_TESTS=1"))


# After the browser test, native threads left by Gradio's server and Playwright's driver make the interpreter abort
# during its own shutdown ("terminate called without an active exception", exit 134) although every test passed.
# The results are final once pytest has reported them, so leave with pytest's own status before that shutdown.
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _EXIT_STATUS and not hasattr(config, "workerinput"):
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
