"""Reflector: attribution, minimal revision directives, feedback, and creative evolution across impressions."""

from .attribution import Attribution, UtilitySignal, attribute
from .directives import apply, apply_all, changed_paths, changed_scenes, plan_diff
from .feedback import parse_feedback_csv, parse_feedback_jsonl, read_feedback, read_feedback_csv
from .reflector import Reflector

__all__ = [
    "Attribution", "Reflector", "UtilitySignal", "apply", "apply_all", "attribute", "changed_paths",
    "changed_scenes", "parse_feedback_csv", "parse_feedback_jsonl", "plan_diff", "read_feedback",
    "read_feedback_csv",
]
