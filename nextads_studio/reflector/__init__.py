"""Reflector: attribution, minimal revision directives, feedback, and creative evolution across impressions."""

from .attribution import Attribution, UtilitySignal, attribute
from .directives import apply, apply_all, changed_paths, changed_scenes, plan_diff
from .feedback import parse_feedback_csv, read_feedback_csv
from .reflector import Reflector

__all__ = [
    "Attribution", "Reflector", "UtilitySignal", "apply", "apply_all", "attribute", "changed_paths",
    "changed_scenes", "parse_feedback_csv", "plan_diff", "read_feedback_csv",
]
