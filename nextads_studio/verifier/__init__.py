"""The Verifier stage: reads the rendered ad (frames, OCR, sound), judges it against the person and decides."""

from .judge import OfflineJudge
from .quality import measure
from .scorecard import Scorecard, scorecard, to_markdown
from .verifier import DEFAULT_THRESHOLDS, Verifier

__all__ = ["DEFAULT_THRESHOLDS", "OfflineJudge", "Scorecard", "Verifier", "measure", "scorecard", "to_markdown"]
