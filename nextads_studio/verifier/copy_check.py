"""Copy lint on what the viewer reads and hears: the lines OCR read in each scene and the subtitles as spoken.

The lint itself (fragments, slot grammar, repeats, superlatives, caption mismatches ...) is the copy engine's
(`director.copy.lint`), the same rules the Director applies before it returns a plan; here it runs on the rendered
ad. Where OCR read a scene's planned caption whole, the planned wording is linted (OCR drops spaces); otherwise
what was actually read is.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..schemas import CreativePlan, Evidence, Finding
from . import ocr
from .compliance import scene_at
from .screen import ScreenReading, caption_cover, copy_lines, longest_per_text


def shown_lines(plan: CreativePlan, reading: ScreenReading) -> list[tuple[int, float, float, str]]:
    """(scene, from, to, text) of each scene's own words on screen (the caption as the viewer reads it)."""
    out = []
    for scene in plan.storyboard.scenes:
        lines = longest_per_text(copy_lines([ln for ln in reading.lines if ln.scene_index == scene.index],
                                            scene, plan))
        if not lines:
            continue
        read = " ".join(ln.text for ln in lines)
        meant = scene.on_screen_text.strip()
        # the planned wording when every line read is a piece of it and together they cover it (a wrapped caption
        # may be read in another line order)
        whole = meant and caption_cover([ln.text for ln in lines], meant) >= 0.85 and all(
            ocr.covered(meant, ln.text) >= 0.8 for ln in lines)
        text = meant if whole else read
        out.append((scene.index, min(ln.visible_from for ln in lines), max(ln.visible_to for ln in lines), text))
    return out


def heard_lines(plan: CreativePlan, cues: Sequence[tuple[float, float, str]]) -> list[tuple[int, float, float, str]]:
    """(scene, from, to, text) of the narration as spoken: subtitle cues, or the plan's narration without them."""
    if cues:
        return [(scene_at(plan, (a + b) / 2), a, b, text) for a, b, text in cues if text.strip()]
    return [(s.index, s.start, s.end, s.narration) for s in plan.storyboard.scenes if s.narration.strip()]


def copy_findings(plan: CreativePlan, reading: ScreenReading | None,
                  cues: Sequence[tuple[float, float, str]]) -> list[Finding]:
    from ..director.copy.lint import CopyLine, lint

    lines = [CopyLine(scene, "narration", text, a, b) for scene, a, b, text in heard_lines(plan, cues)]
    if reading is not None:
        lines += [CopyLine(scene, "on_screen", text, a, b) for scene, a, b, text in shown_lines(plan, reading)]
    out = []
    for f in lint(lines, product=plan.product, language=plan.storyboard.language or None):
        where = "narration" if f.kind in ("narration", "hook", "caption") else "on_screen_text"
        out.append(Finding(category="copy", severity=f.severity, code=f"copy.{f.rule}", message=f.message,
                           evidence=Evidence(scene_index=f.scene, start=None if f.start is None else round(f.start, 2),
                                             end=None if f.end is None else round(f.end, 2), text=f.text,
                                             field=where)))
    return out


__all__ = ["copy_findings", "heard_lines", "shown_lines"]
