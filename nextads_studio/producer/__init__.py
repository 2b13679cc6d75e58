"""The Producer stage: renders a CreativePlan into a finished, labelled MP4 (and splices it for PCI)."""

from .producer import Producer, clear_cache

__all__ = ["Producer", "clear_cache"]
