"""Ad copy written in one place: the copy engine (lexicon, frameworks, claims, timing) and copy lint."""

from .lint import CopyLine, LintFinding, lint, lint_plan, plan_lines

__all__ = ["CopyLine", "LintFinding", "lint", "lint_plan", "plan_lines"]
