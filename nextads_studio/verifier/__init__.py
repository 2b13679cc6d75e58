"""The Verifier stage: video-quality proxies, an offline judge, compliance with localized evidence, a decision."""

from .judge import OfflineJudge
from .quality import measure
from .verifier import DEFAULT_THRESHOLDS, Verifier

__all__ = ["DEFAULT_THRESHOLDS", "OfflineJudge", "Verifier", "measure"]
