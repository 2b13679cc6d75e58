"""Timeouts, retries with exponential backoff and jitter, rate limits (429 + Retry-After), call accounting.

Cloud adapters talk to their REST APIs through `JsonHttp`, a thin httpx client: every call is timed and recorded
as a CallRecord (latency, cost, ok/failed), transient failures are retried, and the last failure becomes a
BackendError whose message names the backend, the operation and what went wrong.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import BackendError
from .base import CallRecord, Usage

log = logging.getLogger(__name__)

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
# A 500 whose message says the request itself is wrong will fail the same way every time (llama-cpp-python answers
# a request-validation error with 500; llama-server answers "image input is not supported" with 500).
PERMANENT_500 = re.compile(r"validation error|input should be|not supported|unsupported|can only concatenate|"
                           r"must be (one of|either)|invalid|is required|unknown (field|parameter)|mmproj|"
                           r"exceeds? (the )?(available )?context|context length", re.IGNORECASE)


@dataclass
class RetryPolicy:
    """How hard to try: 3 attempts like the reference code, backoff 1 s doubling to 30 s, +-25 % jitter."""

    attempts: int = 3
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: float = 0.25
    timeout: float = 120.0
    max_retry_after: float = 120.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_retry_after)
        base = min(self.base_delay * 2 ** (attempt - 1), self.max_delay)
        return max(0.0, base * (1 + self.rng.uniform(-self.jitter, self.jitter)))


class HttpError(BackendError):
    """A permanent HTTP failure: the status, the server's own message and the URL, for callers that adapt."""

    def __init__(self, message: str, *, status: int, server_message: str, url: str):
        super().__init__(message)
        self.status, self.server_message, self.url = status, server_message, url


class TransientError(Exception):
    """A failure worth retrying (rate limit, server error, timeout, connection drop)."""

    def __init__(self, message: str, retry_after: float | None = None, hint: str = ""):
        super().__init__(message)
        self.retry_after = retry_after
        self.hint = hint


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: either a number or an HTTP date."""
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value)
        return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def retryable(status: int, message: str) -> bool:
    """Whether a failed HTTP call can succeed when sent again unchanged."""
    if status == 500:
        return not PERMANENT_500.search(message)
    return status in RETRYABLE_STATUS


def with_retries(fn: Callable[[], Any], policy: RetryPolicy, *, what: str) -> Any:
    """Call fn until it returns; TransientError is retried with backoff, anything else propagates."""
    last: TransientError | None = None
    for attempt in range(1, policy.attempts + 1):
        try:
            return fn()
        except TransientError as exc:
            last = exc
            if attempt == policy.attempts:
                break
            wait = policy.delay(attempt, exc.retry_after)
            log.warning("%s failed (%s); retry %d/%d in %.1fs", what, exc, attempt, policy.attempts - 1, wait)
            policy.sleep(wait)
    raise BackendError(f"{what} failed after {policy.attempts} attempts: {last}"
                       + (f" {last.hint}" if getattr(last, "hint", "") else ""))


def _error_text(response: httpx.Response) -> str:
    """The API's own error message when the body has one (OpenAI and Google both use {"error": {...}})."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    err = body.get("error") if isinstance(body, dict) else None
    if isinstance(err, dict):
        return " ".join(str(err.get("message") or err.get("status") or err).split())[:400]
    if isinstance(err, str):  # Ollama and some proxies: {"error": "..."}
        return err[:400]
    if isinstance(body, dict) and isinstance(body.get("detail"), str):  # FastAPI servers: {"detail": "Not Found"}
        return body["detail"][:400]
    return str(body)[:200]


def _hint(status: int, message: str, url: str) -> str:
    """What a person can do about a permanent failure."""
    if status in (401, 403):
        return " (check the API key)"
    if status == 404:
        path = httpx.URL(url).path
        if "/v1/" not in path and not path.startswith("/v1beta"):
            return " -- the base URL probably lacks /v1 (e.g. http://localhost:8080/v1)"
        return " -- check the base URL and the model name"
    return ""


class JsonHttp:
    """A JSON-over-HTTP client with retries and call accounting, shared by the cloud adapters."""

    def __init__(self, backend_id: str, base_url: str, headers: dict[str, str], policy: RetryPolicy | None = None,
                 transport: httpx.BaseTransport | None = None, usage: Usage | None = None):
        self.backend_id = backend_id
        self.policy = policy or RetryPolicy()
        self.usage = usage if usage is not None else Usage()
        self._client = httpx.Client(base_url=base_url, headers=headers, timeout=self.policy.timeout,
                                    transport=transport, follow_redirects=True)

    def request(self, method: str, url: str, *, operation: str, json: Any = None,
                cost: Callable[[dict], float] | None = None) -> dict:
        """Send one request (retried); returns the decoded JSON body. Records one CallRecord per call."""
        started = time.perf_counter()
        try:
            body = with_retries(lambda: self._once(method, url, json), self.policy,
                                what=f"{self.backend_id} {operation}")
        except BackendError as exc:
            self._record(operation, started, ok=False, detail=str(exc))
            raise
        self._record(operation, started, cost=cost(body) if cost else 0.0)
        return body

    def download(self, url: str, *, operation: str = "download") -> bytes:
        """GET raw bytes (a generated video), retried like any call."""
        started = time.perf_counter()

        def once() -> bytes:
            response = self._send("GET", url, None)
            return response.content

        try:
            data = with_retries(once, self.policy, what=f"{self.backend_id} {operation}")
        except BackendError as exc:
            self._record(operation, started, ok=False, detail=str(exc))
            raise
        self._record(operation, started, detail=f"{len(data)} bytes")
        return data

    def _once(self, method: str, url: str, json: Any) -> dict:
        response = self._send(method, url, json)
        try:
            body = response.json()
        except ValueError as exc:
            raise BackendError(f"{self.backend_id}: the API answered {response.status_code} with a body that is "
                               f"not JSON: {response.text[:120]!r}") from exc
        if not isinstance(body, dict):
            raise BackendError(f"{self.backend_id}: expected a JSON object, got {type(body).__name__}")
        return body

    def _send(self, method: str, url: str, json: Any) -> httpx.Response:
        full = str(self._client.base_url.join(url))
        try:
            response = self._client.request(method, url, json=json)
        except httpx.TimeoutException as exc:
            raise TransientError(f"{full} timed out after {self.policy.timeout:.0f}s ({type(exc).__name__})",
                                 hint="A slow or looping model: lower the step's max_tokens "
                                      "(NEXTADS_LLM_MAX_TOKENS) or raise the backend's timeout.") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"cannot connect to {full} ({exc})",
                                 hint="Is the server running and the base URL right?") from exc
        status = response.status_code
        if status >= 400:
            message = _error_text(response)
            if retryable(status, message):
                raise TransientError(f"HTTP {status} from {full}: {message}",
                                     parse_retry_after(response.headers.get("retry-after")))
            raise HttpError(f"{self.backend_id}: HTTP {status} from {full}: {message}"
                            f"{_hint(status, message, full)}", status=status, server_message=message, url=full)
        return response

    def _record(self, operation: str, started: float, *, ok: bool = True, cost: float = 0.0,
                detail: str = "") -> None:
        self.usage.add(CallRecord(backend=self.backend_id, operation=operation,
                                  seconds=time.perf_counter() - started, cost_usd=cost, ok=ok, detail=detail))

    def close(self) -> None:
        self._client.close()
