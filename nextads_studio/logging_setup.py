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
