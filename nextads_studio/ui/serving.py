"""What the studio's web server hands out, and to whom.

Nothing under the data dir is ever served by path. A handler's outputs go through :func:`publish`: a file under
the data dir is copied into the web server's per-process cache (named by a keyed hash of its bytes, so a URL
cannot be guessed) only when the signed-in person may see it — their own session's renders, plans and uploads,
and the team's audience and product images. The database, blobs, settings and other sessions' run folders are
never published. Absolute server paths in texts (plan JSON, messages) are shown relative to the data dir.

:class:`Gate` is the ASGI middleware in front of every route: it refuses foreign Host headers (DNS rebinding),
answers only sign-in routes until a person has signed in (where sign-in is on), expires sign-in sessions and
rate-limits failed sign-ins per client.
"""

from __future__ import annotations

import functools
import inspect
import ipaddress
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..redact import redact

log = logging.getLogger(__name__)

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "ip6-localhost"})
# Data-dir folders whose files the team may see (audience and product images everyone can pick).
SHARED_TOP = frozenset({"audience", "library", "products"})
_INPUT_TOP = SHARED_TOP | {"runs", "uploads"}


# --- outputs: publishing files ------------------------------------------------------------------
@dataclass
class Viewer:
    """Who a handler runs for: their session and name, used to decide which files they may see."""

    studio: Any
    session: Any = None
    username: str | None = None

    def own_plan_ids(self) -> set[str]:
        s = self.session
        if s is None:
            return set()
        plans = [getattr(s, "plan", None), getattr(s, "previous_plan", None)]
        plans += [g for g in (getattr(s, "generic", None) or {}).values() if hasattr(g, "plan_id")]
        return {p.plan_id for p in plans if p is not None and getattr(p, "plan_id", None)}

    def own_run_folders(self) -> set[str]:
        """The session's campaign folder under runs/ (runs.campaign_dir: c<id>)."""
        cid = getattr(self.session, "campaign_id", None)
        return {f"c{cid}"} if cid is not None else set()

    def own_uploads(self) -> set[Path]:
        """Files this session uploaded or picked from its uploads (histories, extras, host video)."""
        s = self.session
        if s is None:
            return set()
        out: set[str] = set(getattr(s, "extra_assets", None) or [])
        if getattr(s, "host_video", None):
            out.add(s.host_video)
        for h in (getattr(s, "uploaded", None) or {}).values():
            for n in h.notes:
                out.update(n.image_paths)
            for v in [*h.videos, h.host_video]:
                if v is not None:
                    out.update(p for p in (v.cover_path, v.video_path) if p)
        return {Path(p).resolve() for p in out}

    def may_read_campaign(self) -> bool:
        cid = getattr(self.session, "campaign_id", None)
        if cid is None:
            return True
        try:
            return self.studio.store.can_read_campaign(self.username or "local", cid,
                                                       signed_in=self.studio.settings.login_required)
        except Exception:  # noqa: BLE001 - a store problem refuses rather than shows
            log.warning("could not check campaign %s for %s", cid, self.username, exc_info=True)
            return False


def data_root(studio: Any) -> Path:
    return Path(studio.settings.data_dir).resolve()


def may_publish(viewer: Viewer, path: Path) -> bool:
    """True when `path` (resolved, under the data dir) may be shown to `viewer`."""
    root = data_root(viewer.studio)
    rel = path.relative_to(root).parts
    if not rel or any(part.startswith(".") for part in rel):
        return False
    top = rel[0]
    if top in SHARED_TOP:
        return True
    if top == "runs" and len(rel) > 2:
        own = rel[1] == "_planning" or rel[1] in viewer.own_plan_ids() or rel[1] in viewer.own_run_folders()
        return own and viewer.may_read_campaign()
    if top == "uploads":
        return path in viewer.own_uploads()
    return False


def publish_file(viewer: Viewer, value: str) -> str | None:
    """The cached copy of a data-dir file the viewer may see; None for one they may not; other paths unchanged."""
    try:
        path = Path(value)
        if not path.is_absolute() or "\x00" in value or not path.is_file():
            return value
        resolved = path.resolve()
    except (OSError, ValueError):
        return value
    root = data_root(viewer.studio)
    if root not in resolved.parents:
        return value
    if not may_publish(viewer, resolved):
        log.warning("not shown to %s: %s", viewer.username or "local", resolved.relative_to(root))
        return None
    from gradio.processing_utils import save_file_to_cache
    from gradio.utils import get_upload_folder

    return save_file_to_cache(resolved, get_upload_folder())


def _is_file(value: str) -> bool:
    if not value.startswith("/") or "\n" in value or "\x00" in value or len(value) > 4096:
        return False
    try:
        return Path(value).is_file()
    except (OSError, ValueError):
        return False


def relative_text(studio: Any, text: str) -> str:
    """`text` with absolute data-dir, assets and library paths written relative to their folder."""
    s = studio.settings
    for folder, shown in ((s.data_dir, ""), (s.assets_dir, "assets/"), (s.library_dir, "product_library/")):
        for form in {str(Path(folder).resolve()), str(Path(folder).absolute())}:
            if len(form) > 1 and form in text:
                text = text.replace(form + os.sep, shown).replace(form, shown.rstrip("/") or ".")
    return text


def publish(viewer: Viewer, value: Any) -> Any:
    """A handler's return value with data-dir files published (or withheld) and server paths made relative."""
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, str):
        if _is_file(value):
            return publish_file(viewer, value)  # a data-dir file is copied or withheld; others pass unchanged
        return redact(relative_text(viewer.studio, value) if os.sep in value else value)
    if isinstance(value, tuple):
        return tuple(publish(viewer, v) for v in value)
    if isinstance(value, list):
        # A gallery item (image, caption) whose image is withheld is left out: a None image would fail the whole
        # output in Gradio with a bare "Error" in place of every component the handler returns.
        shown = [publish(viewer, v) for v in value]
        return [p for v, p in zip(value, shown) if not _withheld_item(v, p)]
    if isinstance(value, dict):
        if "choices" in value:  # a list's options and selection are values, not files: shown relative
            return {k: _relative_values(viewer.studio, v) if k in ("choices", "value") else
                    (publish(viewer, v) if k != "__type__" else v) for k, v in value.items()}
        return {k: publish(viewer, v) if k != "__type__" else v for k, v in value.items()}
    return value


def _withheld_item(original: Any, shown: Any) -> bool:
    return (isinstance(original, tuple) and bool(original) and isinstance(original[0], (str, Path))
            and isinstance(shown, tuple) and shown[0] is None and original[0] is not None)


def _relative_values(studio: Any, value: Any) -> Any:
    if isinstance(value, str):
        return relative_text(studio, value)
    if isinstance(value, (list, tuple)):
        return type(value)(_relative_values(studio, v) for v in value)
    return value


def absolute_input(studio: Any, value: Any) -> Any:
    """A list selection sent back by the page (relative, see publish) as the server path it stands for."""
    if isinstance(value, list):
        return [absolute_input(studio, v) for v in value]
    if not isinstance(value, str) or not value or value.startswith("/") or "\x00" in value or len(value) > 1024:
        return value
    s = studio.settings
    for prefix, root in (("assets/", s.assets_dir), ("product_library/", s.library_dir), ("", s.data_dir)):
        if not value.startswith(prefix) or (not prefix and value.split("/", 1)[0] not in _INPUT_TOP):
            continue
        if value.startswith(prefix):
            from ..paths import ensure_within

            try:
                path = ensure_within(root, Path(root).resolve() / value[len(prefix):])
            except Exception:  # noqa: BLE001 - not one of ours: passed on unchanged
                continue
            if path.is_file():
                return str(path)
    return value


def viewer_for(studio: Any, args: tuple, kwargs: dict) -> Viewer:
    from gradio.context import LocalContext

    from .session import Session, username

    sess = next((a for a in [*args, *kwargs.values()] if isinstance(a, Session)), None)
    request = next((a for a in [*args, *kwargs.values()] if type(a).__name__ == "Request"), None)
    return Viewer(studio, sess, username(request or LocalContext.request.get(None)))


def publish_all(studio: Any, demo: Any) -> None:
    """Every event handler of the page publishes what it returns, also the small ones not made with bind()
    (a lambda that hands the session's video to a player): nothing reaches the page by a data-dir path."""
    for block_fn in demo.fns.values():
        fn = getattr(block_fn, "fn", None)
        if fn is None or getattr(fn, "_publishes", False) or inspect.iscoroutinefunction(fn) \
                or inspect.isasyncgenfunction(fn):
            continue
        block_fn.fn = _publishing_wrapper(studio, fn)


def _publishing_wrapper(studio: Any, fn: Callable) -> Callable:
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for item in fn(*args, **kwargs):
                yield _publish_out(studio, item, args, kwargs)
    else:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            return _publish_out(studio, fn(*args, **kwargs), args, kwargs)
    wrapper._publishes = True  # type: ignore[attr-defined]
    return wrapper


def publishing(studio: Any, fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Call a handler and publish what it returns (each step of a generator handler too)."""
    args = tuple(absolute_input(studio, a) for a in args)
    result = fn(studio, *args, **kwargs)
    if inspect.isgenerator(result):
        return (_publish_out(studio, item, args, kwargs) for item in result)
    return _publish_out(studio, result, args, kwargs)


def _publish_out(studio: Any, result: Any, args: tuple, kwargs: dict) -> Any:
    from .session import Session

    viewer = viewer_for(studio, args, kwargs)
    if isinstance(result, tuple):  # the handler's own (updated) Session is kept, never rewritten
        return tuple(r if isinstance(r, Session) else publish(viewer, r) for r in result)
    return result if isinstance(result, Session) else publish(viewer, result)


# --- the gate in front of every route -------------------------------------------------------------
def _host_name(header: str) -> str:
    host = header.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(settings: Any) -> set[str]:
    """Host names a request may carry: loopback, the configured host, this machine's name and the extra names
    in NEXTADS_ALLOWED_HOSTS (the public name behind a reverse proxy). IP literals are always accepted: DNS
    rebinding needs a name."""
    names = set(LOOPBACK_NAMES) | {settings.host.lower()}
    try:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    except OSError:
        pass
    extra = getattr(settings, "allowed_hosts", "") or ""
    names |= {h.strip().lower() for h in str(extra).split(",") if h.strip()}
    return names - {"", "0.0.0.0", "::"}


def host_allowed(header: str | None, names: set[str]) -> bool:
    if not header:
        return False
    name = _host_name(header)
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


# Routes a person who has not signed in may reach: the login page and what it needs to draw itself.
_OPEN_EXACT = frozenset({"/", "/login", "/login/", "/logout", "/theme.css", "/favicon.ico", "/manifest.json",
                         "/gradio_api/login_check", "/gradio_api/login_check/", "/robots.txt",
                         "/gradio_api/startup-events"})
_OPEN_PREFIX = ("/assets/", "/static/", "/svelte/", "/gradio_api/static/", "/favicon", "/gradio_api/assets/")


@dataclass
class FailedSignIns:
    """Failed sign-ins per key (client address or user name): after `free` failures in `window_s`, each further
    attempt waits an exponentially growing lockout (capped), during which attempts are refused without hashing."""

    free: int = 5
    window_s: float = 900.0
    max_lock_s: float = 900.0
    _fails: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked_for(self, key: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            fails = [t for t in self._fails.get(key, []) if now - t < self.window_s]
            self._fails[key] = fails
            extra = len(fails) - self.free
            if extra < 0 or not fails:
                return 0.0
            wait = min(self.max_lock_s, 2.0 ** extra)
            return max(0.0, fails[-1] + wait - now)

    def failed(self, key: str, now: float | None = None) -> None:
        with self._lock:
            self._fails.setdefault(key, []).append(time.monotonic() if now is None else now)
            if len(self._fails) > 10_000:  # bounded memory under a flood of names
                for k in list(self._fails)[:5_000]:
                    del self._fails[k]

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


class Gate:
    """ASGI middleware: Host allowlist, sign-in required beyond the login page, session expiry, sign-in limits."""

    def __init__(self, app: Any, *, settings: Any, limiter: FailedSignIns, sessions: SessionClock):
        self.app = app
        self.settings = settings
        self.hosts = allowed_hosts(settings)
        self.limiter = limiter
        self.sessions = sessions

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if not host_allowed(headers.get("host"), self.hosts):
            return await _plain(send, scope, 421, "This studio does not answer for that host name; open it by "
                                                  "its configured address (NEXTADS_ALLOWED_HOSTS).")
        path = scope.get("path", "")
        if not self.settings.login_required:
            return await self.app(scope, receive, send)
        app = scope.get("app")
        user = self.sessions.user(app, headers.get("cookie", ""))
        if path.rstrip("/") == "/login" and scope.get("method") == "POST":
            return await self._login(scope, receive, send)
        if user is None and not (path in _OPEN_EXACT or path.startswith(_OPEN_PREFIX)):
            return await _plain(send, scope, 401, "Sign in first.")
        if user is None and path == "/":
            return await self.app(scope, receive, _without_api_info(send))
        return await self.app(scope, receive, send)

    async def _login(self, scope, receive, send):
        client = (scope.get("client") or ("?", 0))[0]
        wait = self.limiter.locked_for(f"client:{client}")
        if wait > 0:
            return await _plain(send, scope, 429, f"Too many failed sign-ins from this address; try again in "
                                                  f"{int(wait) + 1} s.")
        status: dict[str, int] = {}

        async def watch(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"set-cookie" and v.startswith(b"access-token"):
                        self.sessions.started(v.split(b";", 1)[0].split(b"=", 1)[1].decode("latin-1"))
            await send(message)

        await self.app(scope, receive, watch)
        if status.get("code") == 200:
            self.limiter.succeeded(f"client:{client}")
        else:
            self.limiter.failed(f"client:{client}")


@dataclass
class SessionClock:
    """Sign-in sessions expire `ttl_s` after sign-in; a token the server does not know is no session."""

    ttl_s: float
    _started: dict[str, float] = field(default_factory=dict)

    def started(self, token: str) -> None:
        self._started[token] = time.time()

    def user(self, app: Any, cookie_header: str) -> str | None:
        tokens = getattr(app, "tokens", None)
        if not tokens:
            return None
        cookie_id = getattr(app, "cookie_id", "")
        for part in cookie_header.split(";"):
            name, _, value = part.strip().partition("=")
            if name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}") and value in tokens:
                born = self._started.setdefault(value, time.time())
                if time.time() - born > self.ttl_s:
                    tokens.pop(value, None)
                    self._started.pop(value, None)
                    return None
                return tokens[value]
        return None


_API_INFO = re.compile(rb"window\.gradio_api_info = .*?;</script>", re.S)


def _without_api_info(send):
    """Gradio's login page embeds the whole API schema (endpoint names, choices, defaults); before sign-in the
    page goes out without it."""
    start: dict = {}
    chunks: list[bytes] = []

    async def wrapped(message):
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body":
            return await send(message)
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = _API_INFO.sub(b"window.gradio_api_info = null;</script>", b"".join(chunks))
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return wrapped


async def _plain(send, scope, status: int, text: str) -> None:
    """A short JSON refusal ({"detail": ...}, the shape Gradio's own page expects from a 401)."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": text}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
