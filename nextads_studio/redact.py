"""Secrets never reach a stored or logged message: API keys and bearer tokens are replaced by a marker.

Backend errors often echo the request ("401: Bearer sk-..." or "...?key=AIza..."); every message the studio keeps
(plan notes, audit details, logs, texts shown on the page) goes through :func:`redact` first."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

MARK = "[redacted]"
KEY_ENV = ("OPENAI_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY", "ANTHROPIC_API_KEY", "NEXTADS_OPENAI_API_KEY")
_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{6,}"),
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{20,}"),
    re.compile(r"(?i)\b((?:api[_-]?key|access[_-]?token|token|key|secret|password)\s*[=:]\s*[\"']?)[^\s\"'&,;]{6,}"),
    re.compile(r"(?i)(x-goog-api-key\s*[:=]\s*)\S+"),
    re.compile(r"(postgres(?:ql)?(?:\+\w+)?://[^:/@\s]+:)[^@\s]+(@)"),
]


def redact(text: str) -> str:
    """`text` with API keys, bearer tokens, `key=...` values and database passwords replaced by [redacted]."""
    if not text:
        return text
    for name in KEY_ENV:
        value = os.environ.get(name, "")
        if len(value) >= 8 and value in text:
            text = text.replace(value, MARK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.re.groups >= 1 else "") + MARK +
                           (m.group(2) if m.re.groups >= 2 else ""), text)
    return text


def redact_obj(value: Any) -> Any:
    """Every string inside dicts and lists redacted (for JSON columns)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: redact_obj(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_obj(v) for v in value]
    return value


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the formatted message (and drops the arguments it was built from)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logged as it is
            return True
        clean = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        return True
