"""Progressive storytelling across a session (paper 3.3.2, reference demo order):
Problem -> New Routine -> Lifestyle Expansion -> Recap/Conversion.

The product stays hidden in the first impression, each later impression leads with facets not shown before, and
only the last one carries price, verified facts and the call to action. Scene timings of the base plan are kept,
so each impression is a same-length plan the Producer renders like any other.
"""

from __future__ import annotations

import re

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
        facets = _facet_lines(plan.product) if plan.storyboard.language != "zh" else []
        focus = sum(1 for sc in plan.storyboard.scenes[1:-1] if sc.product_focus) or 1
        share = -(-len(facets) // max(n - 2, 1))  # the middle impressions split the facets between them
        fresh = [f for f in facets if f not in shown] or facets
        lines["facets"] = fresh[:max(1, min(focus, share))]
    said = _write(data, plan, lines, stage)
    shown += [f for f in said if f not in shown]
    data["storyboard"]["timing_notes"] = (f"impression {i + 1}/{n} ({stage}): {_SLOTS[i % len(_SLOTS)]}; "
                                          f"{plan.storyboard.timing_notes}").rstrip("; ")
    return CreativePlan.model_validate(data)


def stage_lines(stage: str, plan: CreativePlan, themes: list[str]) -> dict:
    """The words of one arc stage: hook, story lines, facet lines, closing (narration, caption) and CTA.
    The one place arc copy is written."""
    if plan.storyboard.language == "zh":
        return _zh(stage, plan, themes)
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
    """One line per selling point, without the product name (the hook and the close name it; more is noise)."""
    lines = [rewrite.trim_words(f"{p.strip().rstrip('.')}.", 16) for p in product.selling_points if p.strip()]
    return [line[:1].upper() + line[1:] for line in lines if rewrite.is_safe(line)]


def _your(theme: str) -> str:
    """'your coffee', but 'the outdoors' (never 'your the outdoors')."""
    return theme if theme.lower().startswith(("the ", "your ", "my ")) else f"your {theme}"


def _problem(plan: CreativePlan, themes: list[str]) -> dict:
    theme = themes[0]
    return {"hook": f"Love {theme}, short on time?",
            "story": [f"{_your(theme).capitalize()} deserves a better start.", "Rushed mornings feel longer.",
                      "The small things pile up.", "Something small is missing."],
            "close": ("Tomorrow could start differently.", "A better way is coming"), "cta": "", "facets": []}


def _routine(plan: CreativePlan, themes: list[str]) -> dict:
    p = plan.product
    return {"hook": f"A new routine for {_your(themes[0])}: {p.name}.",
            "story": [f"Five calm minutes for {_your(themes[0])}.", "Same day, a better start.",
                      "It takes less time than you think."],
            "close": (f"{p.name} fits right into your day.", "A new routine"), "cta": "", "facets": []}


def _lifestyle(plan: CreativePlan, themes: list[str]) -> dict:
    p, wider = plan.product, themes[1] if len(themes) > 1 else themes[0]
    return {"hook": f"{wider.capitalize()} weekends, now with {p.name}.",
            "story": [f"Friends drop by after {wider}.", "Everyone finds a favourite.", "Good days are better shared."],
            "close": (f"More {wider}, shared with {p.name}.", "Made to be shared"), "cta": "", "facets": []}


def _recap(plan: CreativePlan, themes: list[str]) -> dict:
    p = plan.product
    facts = [rewrite.trim_words(_fact_line(k, v), 16) for k, v in p.facts.items() if str(v).strip()]
    price = next((str(v) for k, v in p.facts.items() if "price" in k.lower()), "")
    narration = rewrite.trim_words(f"{p.name}{', ' + price if price else ''}. Tap to see it today.", 16)
    caption = rewrite.trim_words(f"Tap to shop {p.name}", 8)
    facts = [f for f in facts if rewrite.is_safe(f) and not (price and price in f)]  # the CTA says the price
    return {"hook": f"Ready for a new ritual? Meet {p.name}.", "story": [],
            "facets": facts or _facet_lines(p)[:2], "close": (narration, caption), "cta": caption}


def _fact_line(key: str, value: object) -> str:
    """'Burn time: 45 hours.'; a value ending in a number leads instead ('Up to 4 profiles.', '24/7 support.'),
    so a line never ends on a bare number."""
    k, v = key.replace("_", " ").strip(), str(value).strip().rstrip(".")
    if re.search(r"\d$", v):
        line = f"{v} {k.lower()}."
        return line[:1].upper() + line[1:]
    return f"{k.capitalize()}: {v}."


def _zh(stage: str, plan: CreativePlan, themes: list[str]) -> dict:
    """Chinese arc copy. Product facts are in the product record's language, so a Chinese recap closes on the
    price and the call to action instead of reading English facts aloud."""
    p, theme = plan.product, themes[0]
    wider = themes[1] if len(themes) > 1 else theme
    price = next((str(v) for k, v in p.facts.items() if "price" in k.lower()), "")
    lines = {
        "problem": {"hook": f"爱{theme}，却总是没时间？", "story": [f"{theme}值得更好的开始。", "匆忙的早晨格外漫长。",
                                                          "小事一件件堆起来。", "好像少了点什么。"],
                    "close": ("明天可以不一样。", "更好的方式就要来了"), "cta": ""},
        "new_routine": {"hook": f"{theme}的新日常：{p.name}", "story": [f"为{theme}留出安静的五分钟。",
                                                                     "同样的一天，更好的开始。", "比你想的更省时间。"],
                        "close": (f"{p.name}，自然融入你的一天。", "新的日常"), "cta": ""},
        "lifestyle": {"hook": f"有{p.name}的{wider}周末", "story": [f"{wider}之后，朋友来坐坐。", "每个人都找到最爱。",
                                                                 "好日子，值得分享。"],
                      "close": (f"更多{wider}，与{p.name}分享。", "值得分享"), "cta": ""},
        "recap": {"hook": f"从匆忙到属于你的仪式感：{p.name}", "story": ["属于你的节奏。"],
                  "close": (f"{p.name}{'，' + price if price else ''}。点击了解。", f"点击选购{p.name}"),
                  "cta": f"点击选购{p.name}"},
    }[stage]
    return {**lines, "facets": []}


_STAGE_WRITERS = {"problem": _problem, "new_routine": _routine, "lifestyle": _lifestyle, "recap": _recap}


def _write(data: dict, plan: CreativePlan, lines: dict, stage: str) -> list[str]:
    """Write the stage's lines into the scenes; returns the facet lines actually said."""
    scenes = data["storyboard"]["scenes"]
    board = data["storyboard"]
    board["hook"], board["cta"] = rewrite.trim_words(lines["hook"], 16), lines["cta"]
    facets, story = list(lines["facets"]), list(lines["story"])
    hidden = stage == "problem"
    said: list[str] = []
    middle = len(scenes) - 2
    for k, scene in enumerate(scenes):
        last = k == len(scenes) - 1
        # a facet goes where the product is in focus, or anywhere once the remaining scenes are needed for it
        due = facets and 0 < k and not last and (scene["product_focus"] or not story or stage == "recap"
                                                  or (not said and k == middle))
        if k == 0:
            text = board["hook"]
        elif last:
            text = lines["close"][0]
        elif due:
            text = facets.pop(0)
            said.append(text)
            scene["layout"] = "callout"  # one facet per scene: a list of every selling point would repeat them
            if not scene["product_focus"]:
                scene["product_focus"] = True
                _show_product(data, k, plan)
        else:
            # every line is said once; when the lines run out the scene is a silent picture beat
            text = story.pop(0) if story else ""
        text = rewrite.trim_words(text, 16)
        caption = lines["close"][1] if last and len(scenes) > 1 else (
            rewrite.caption_for(text, plan.product) if text else "")
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
    return said


def _show_product(data: dict, index: int, plan: CreativePlan) -> None:
    """A scene that now says a facet shows the product too (its picture follows its words)."""
    images = data["grounding"]["product_images"] or list(plan.product.images)
    for assets in data["grounding"]["scene_assets"]:
        if assets["scene_index"] == index and not assets["product_image"] and images:
            assets["product_image"] = images[index % len(images)]


def _hidden_visual(data: dict, k: int) -> str:
    scene = data["storyboard"]["scenes"][k]
    theme = scene["personalization_used"][0] if scene["personalization_used"] else ""
    return f"Everyday {theme + ' ' if theme else ''}moment in the person's own setting, no product in frame"
