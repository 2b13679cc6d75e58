"""Progressive storytelling across a session (paper 3.3.2, reference demo order):
Problem -> New Routine -> Lifestyle Expansion -> Recap/Conversion.

The product stays hidden in the first impression, each later impression leads with facets not shown before, and
only the last one carries price, verified facts and the call to action. Scene timings of the base plan are kept,
so each impression is a same-length plan the Producer renders like any other.
"""

from __future__ import annotations

from ..schemas import CreativePlan, Product
from . import rewrite

ARC_STAGES = ("problem", "new_routine", "lifestyle", "recap")
# Each impression is placed at a day, time and feed (the reference demo ties impressions to moments of the week).
_SLOTS = ("Monday 07:40, morning feed", "Wednesday 12:30, lunch-break feed", "Friday 19:10, evening feed",
          "Sunday 10:15, weekend feed")


def stage_for(i: int, n: int) -> str:
    """Stage of impression i (0-based) in an n-impression arc: problem first, recap last."""
    if i == 0:
        return "problem"
    if i == n - 1:
        return "recap"
    return "new_routine" if i % 2 == 1 else "lifestyle"


def progressive_arc(plan: CreativePlan, n: int = 4) -> list[CreativePlan]:
    """n impression plans telling one story from one base plan; facets are allocated so each adds new ones."""
    if n < 2:
        raise ValueError("an arc needs at least 2 impressions (a problem and a recap)")
    shown: list[str] = []
    return [arc_plan(plan, i, n, shown) for i in range(n)]


def arc_plan(plan: CreativePlan, i: int, n: int, shown: list[str]) -> CreativePlan:
    """Impression i (0-based) of an n-impression arc, written over `plan` (a fresh Director plan per impression,
    or one base plan). `shown` is the session memory of facet lines already said; it is extended in place."""
    if n < 2:
        raise ValueError("an arc needs at least 2 impressions (a problem and a recap)")
    stage = stage_for(i, n)
    data = plan.model_dump()
    data.update(plan_id=f"{plan.plan_id}-arc{i + 1}", version=1, parent_version=None,
                notes=[*plan.notes, f"arc impression {i + 1}/{n}: {stage}"])
    lines = stage_lines(stage, plan, _themes(plan))
    if stage in ("new_routine", "lifestyle"):
        # facet allocation: lead with what this person has not been shown yet
        facets = _facet_lines(plan.product)
        focus = sum(1 for sc in plan.storyboard.scenes[1:-1] if sc.product_focus) or 1
        fresh = [f for f in facets if f not in shown] or facets
        lines["facets"] = fresh[:focus]
    shown += [f for f in lines["facets"] if f not in shown]
    _write(data, plan, lines, stage)
    data["storyboard"]["timing_notes"] = (f"impression {i + 1}/{n} ({stage}): {_SLOTS[i % len(_SLOTS)]}; "
                                          f"{plan.storyboard.timing_notes}").rstrip("; ")
    return CreativePlan.model_validate(data)


def stage_lines(stage: str, plan: CreativePlan, themes: list[str]) -> dict:
    """The words of one arc stage: hook, story lines, facet lines, closing (narration, caption) and CTA.
    The one place arc copy is written."""
    return _STAGE_WRITERS[stage](plan, themes)


def _themes(plan: CreativePlan) -> list[str]:
    """Readable themes for copy (lexicon topics like 'coffee', never raw key-phrase lists), chosen one first."""
    if plan.profile is None or plan.mode == "generic":
        return [plan.product.subcategory or plan.product.category]
    from ..director.storyboard import copy_theme

    excluded = {t.lower() for t in plan.profile.excluded_sensitive}
    chosen = plan.match.chosen_theme if plan.match and plan.match.chosen_theme else ""
    interests = sorted((i for i in plan.profile.interests if i.theme.lower() not in excluded),
                       key=lambda i: i.theme != chosen)
    themes = [copy_theme(i, plan.storyboard.language) or i.theme.split(",")[0] for i in interests]
    themes = [t.split(",")[0].strip() for t in themes if t and t.lower() not in excluded]
    return list(dict.fromkeys(themes)) or [plan.product.category]


def _facet_lines(product: Product) -> list[str]:
    lines = [rewrite.trim_words(f"{product.name}: {p.rstrip('.')}.", 16) for p in product.selling_points]
    return [line for line in lines if rewrite.is_safe(line)]


def _need_word(product: Product) -> str:
    return (product.keywords[0] if product.keywords else product.subcategory or product.category).lower()


def _problem(plan: CreativePlan, themes: list[str]) -> dict:
    theme, need = themes[0], _need_word(plan.product)
    return {"hook": f"{theme.capitalize()} plans, and never enough time?",
            "story": [f"Your {theme} deserves better {need} moments.", f"Rushed {need} breaks feel longer.",
                      "Something small is missing."],
            "close": ("Tomorrow could start differently.", "A better way is coming"), "cta": "", "facets": []}


def _routine(plan: CreativePlan, themes: list[str]) -> dict:
    p = plan.product
    return {"hook": f"A new routine for your {themes[0]}: {p.name}.",
            "story": [f"Five calm minutes before your {themes[0]}.", "Same day, a better start."],
            "close": (f"{p.name} fits right into your day.", "A new routine"), "cta": "", "facets": []}


def _lifestyle(plan: CreativePlan, themes: list[str]) -> dict:
    p, wider = plan.product, themes[1] if len(themes) > 1 else themes[0]
    return {"hook": f"{wider.capitalize()} weekends, now with {p.name}.",
            "story": [f"Friends drop by after {wider}.", "Everyone finds a favourite."],
            "close": (f"More {wider}, shared with {p.name}.", "Made to be shared"), "cta": "", "facets": []}


def _recap(plan: CreativePlan, themes: list[str]) -> dict:
    p = plan.product
    facts = [rewrite.trim_words(f"{p.name}. {f}.", 16) for f in rewrite.fact_lines(p)]
    narration, caption = rewrite.cta_line(plan)
    return {"hook": f"From rushed {_need_word(p)} to your own ritual: {p.name}.", "story": [],
            "facets": [f for f in facts if rewrite.is_safe(f)] or _facet_lines(p)[:2],
            "close": (narration, caption), "cta": caption}


_STAGE_WRITERS = {"problem": _problem, "new_routine": _routine, "lifestyle": _lifestyle, "recap": _recap}


def _write(data: dict, plan: CreativePlan, lines: dict, stage: str) -> None:
    scenes = data["storyboard"]["scenes"]
    board = data["storyboard"]
    board["hook"], board["cta"] = rewrite.trim_words(lines["hook"], 16), lines["cta"]
    facets, story = list(lines["facets"]), list(lines["story"])
    hidden = stage == "problem"
    for k, scene in enumerate(scenes):
        last = k == len(scenes) - 1
        if k == 0:
            text = board["hook"]
        elif last:
            text = lines["close"][0]
        elif facets and (scene["product_focus"] or not story or stage == "recap"):
            text = facets.pop(0)
        else:
            text = story.pop(0) if story else (lines["facets"] or lines["story"] or [lines["close"][0]])[0]
        text = rewrite.trim_words(text, 16)
        caption = lines["close"][1] if last and len(scenes) > 1 else rewrite.caption_for(text, plan.product)
        scene.update(narration=text, on_screen_text=rewrite.trim_words(caption, 8))
        if hidden:
            scene.update(product_focus=False, visual=_hidden_visual(data, k), shot_goal="problem" if k else "hook")
        else:
            scene["product_focus"] = scene["product_focus"] or last
    for assets in data["grounding"]["scene_assets"]:
        if hidden:
            assets.update(product_image=None, logo=False)
        elif stage != "recap":
            assets["logo"] = False  # the brand sign-off belongs to the conversion impression
    if hidden:
        data["grounding"]["product_images"] = []


def _hidden_visual(data: dict, k: int) -> str:
    scene = data["storyboard"]["scenes"][k]
    theme = scene["personalization_used"][0] if scene["personalization_used"] else ""
    return f"Everyday {theme + ' ' if theme else ''}moment in the person's own setting, no product in frame"
