"""The Director stage: user modeling, matching, storyboard, asset grounding and host-video integration."""

from .director import Director, plan_id_for

__all__ = ["Director", "plan_id_for"]
