"""The storyboard rewritten as one visual-only prompt for a video model (<= 400 words, as in the reference).

Narration and on-screen text are left out on purpose: voice, captions and the label are added afterwards by the
Producer's post-processing, and text drawn by a video model is usually garbled.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schemas.common import count_words
from ..schemas.plan import CreativePlan, Scene

MAX_WORDS = 400
CAMERA = {"static": "locked-off static shot", "push_in": "slow push-in", "pull_out": "slow pull-out",
          "pan_left": "pan left", "pan_right": "pan right", "tilt_up": "tilt up", "tilt_down": "tilt down",
          "parallax": "gentle parallax move"}
ORIENTATION = {"9:16": "vertical 9:16", "16:9": "horizontal 16:9", "1:1": "square 1:1"}


def visual_prompt(plan: CreativePlan, scenes: Sequence[Scene] | None = None, max_words: int = MAX_WORDS) -> str:
    """A paragraph describing the shots of `scenes` (default: all), capped at max_words."""
    board = plan.storyboard
    scenes = list(scenes if scenes is not None else board.scenes)
    length = scenes[-1].end - scenes[0].start
    product = plan.product
    head = [f"A {ORIENTATION[board.aspect]} commercial video, {length:.0f} seconds, photorealistic."]
    if board.tone_tags:
        head.append(f"Mood: {', '.join(board.tone_tags)}.")
    if plan.grounding.visual_cues:
        head.append(f"Look and feel: {', '.join(plan.grounding.visual_cues[:8])}.")
    head.append(f"The product is {product.name} by {product.brand}: {product.intro or product.slogan}".rstrip()
                + ("" if (product.intro or product.slogan).endswith(".") else "."))
    if plan.task == "pci" and plan.integration is not None:
        head.append("It opens exactly on the provided first frame and returns to that framing at the end; the "
                    "product appears as a natural object in that world.")
    shots = [_shot(s, scenes[0].start) for s in scenes]
    tail = "No on-screen text, no subtitles, no watermarks, no logos other than the product's own."
    return _fit([" ".join(head), *shots, tail], max_words)


def _shot(scene: Scene, origin: float) -> str:
    parts = [f"Shot {scene.index + 1} ({scene.start - origin:.1f}-{scene.end - origin:.1f}s): "
             f"{scene.visual or scene.shot_goal or 'the product in use'}".rstrip(".") + "."]
    parts.append(f"Camera: {CAMERA.get(scene.camera_motion, scene.camera_motion)}.")
    if scene.product_focus:
        parts.append("Hero shot of the product, sharp and well lit.")
    return " ".join(parts)


def _fit(parts: list[str], max_words: int) -> str:
    """Drop words from the longest shot descriptions until the whole prompt fits."""
    text = " ".join(parts)
    while count_words(text) > max_words:
        longest = max(range(1, len(parts) - 1), key=lambda i: count_words(parts[i]), default=None)
        if longest is None or count_words(parts[longest]) <= 8:
            return " ".join(text.split()[:max_words])
        words = parts[longest].split()
        parts[longest] = " ".join(words[:max(8, len(words) - 10)])
        text = " ".join(parts)
    return text
