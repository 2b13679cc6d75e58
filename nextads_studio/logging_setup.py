"""One place that configures logging for the CLI and the studio."""

from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "urllib3", "matplotlib", "PIL", "sentence_transformers"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    install_redaction()


def install_redaction() -> None:
    """Every handler on the root logger redacts API keys and tokens from what it writes."""
    from .redact import RedactingFilter

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
