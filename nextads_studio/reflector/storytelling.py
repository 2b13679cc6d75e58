"""Progressive storytelling across a session (paper 3.3.2, reference demo order):
Problem -> New Routine -> Lifestyle Expansion -> Recap/Conversion.

The product stays hidden in the first impression, each later impression leads with facets not shown before, and
only the last one carries price, verified facts and the call to action. Scene timings of the base plan are kept,
so each impression is a same-length plan the Producer renders like any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..schemas import CreativePlan

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
    said: list[str] = []
    return [arc_plan(plan, i, n, shown, said) for i in range(n)]


def arc_plan(plan: CreativePlan, i: int, n: int, shown: list[str], said: list[str] | None = None) -> CreativePlan:
    """Impression i (0-based) of an n-impression arc, written over `plan` (a fresh Director plan per impression,
    or one base plan). Session memory, both extended in place: `shown` holds the claim sources already said
    ('selling_points[0]', 'facts.price'), `said` every line already spoken or shown (never said again)."""
    if n < 2:
        raise ValueError("an arc needs at least 2 impressions (a problem and a recap)")
    said = [] if said is None else said
    stage = stage_for(i, n)
    data = plan.model_dump()
    data.update(plan_id=f"{plan.plan_id}-arc{i + 1}", version=1, parent_version=None,
                notes=[*plan.notes, f"arc impression {i + 1}/{n}: {stage}"])
    copies = stage_copy(plan, stage, n, shown, said, seed=i)
    sources = _write(data, plan, copies, stage)
    shown += [src for src in sources if src not in shown]
    said += [t for c in copies for t in (c.narration, c.on_screen) if t and t not in said]
    data["storyboard"]["timing_notes"] = (f"impression {i + 1}/{n} ({stage}): {_SLOTS[i % len(_SLOTS)]}; "
                                          f"{plan.storyboard.timing_notes}").rstrip("; ")
    return CreativePlan.model_validate(data)


def stage_copy(plan: CreativePlan, stage: str, n: int, shown: Sequence[str], said: Sequence[str],
               seed: int = 0) -> list:
    """The words of one arc stage, one SceneCopy per scene, written by the copy engine for this plan's person
    and product. Facet allocation: the middle impressions split the selling points not shown yet between them;
    the recap says the facts not said yet (price first) and closes on the sequence's only call to action."""
    from ..director.copy.arc import write_arc
    from ..director.storyboard import context_from_plan, copy_context_of

    story = context_from_plan(plan)
    ctx = copy_context_of(story)
    if stage == "lifestyle" and story.personal:  # lifestyle expansion: the person's next interest frames it
        for wider in _other_interests(plan):
            wide = copy_context_of(replace(story, interest=wider))
            if wide.personal and wide.topic != ctx.topic:  # a different topic the copy lexicon can word
                ctx = replace(wide, claims=ctx.claims)
                break
    scenes = plan.storyboard.scenes
    fresh = [c for c in ctx.claims if c.source not in shown]
    points = [c for c in fresh if c.source.startswith("selling_points")]
    facet_scenes = [False] * len(scenes)
    if stage == "recap":
        said_claims = [c.text or c.short for c in ctx.claims if c.source in shown]
        facts = [c for c in fresh if c.source.startswith("facts.") and not _restates(c.short, said_claims)]
        claims = sorted(facts, key=lambda c: c.source != "facts.price") + points
    elif stage == "problem":
        claims = []
    else:
        claims = points
        middle = [k for k in range(1, len(scenes) - 1)]
        focus = [k for k in middle if scenes[k].product_focus] or middle[len(middle) // 2:][:1]
        all_points = [c for c in ctx.claims if c.source.startswith("selling_points")]
        share = -(-len(all_points) // max(n - 2, 1))
        for k in focus[:max(1, min(len(focus), share))]:
            facet_scenes[k] = True
    return write_arc(ctx, stage, [sc.duration for sc in scenes], facet_scenes=facet_scenes, claims=claims,
                     avoid=list(said), seed=seed)


def _other_interests(plan: CreativePlan) -> list:
    """The person's interests after the one the plan is built on, strongest first (never an excluded theme)."""
    from ..director.sensitive import find_sensitive

    profile, match = plan.profile, plan.match
    chosen = profile.tier(match.chosen_tier) if profile and match else None
    excluded = {t.lower() for t in profile.excluded_sensitive} if profile else set()
    others = [i for i in (profile.interests if profile else []) if i is not chosen
              and i.theme.lower() not in excluded and not find_sensitive(i.theme)]
    return others


_STOP = frozenset("a an and the to of for with in on up at by is it its".split())


def _restates(fact: str, said: Sequence[str]) -> bool:
    """True when a fact says again what a claim already said ('Battery: 4,800 mAh, up to 2 days' after 'Battery
    that lasts up to two days'; 'Water resistance: IP68' after 'Water resistant to IP68'): they share a figure
    or two content words."""
    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"[a-z0-9][a-z0-9.,-]*[a-z0-9]|[a-z0-9]", text.lower()) if w not in _STOP}

    mine = words(fact)
    for line in said:
        shared = mine & words(line)
        if len(shared) >= 2 or any(re.search(r"\d", w) for w in shared):
            return True
    return False


def _write(data: dict, plan: CreativePlan, copies: list, stage: str) -> list[str]:
    """Write the stage's copy into the scenes; returns the claim sources actually said."""
    scenes = data["storyboard"]["scenes"]
    board = data["storyboard"]
    hidden = stage == "problem"
    if copies[0].narration:
        board["hook"] = copies[0].narration
    board["cta"] = copies[-1].on_screen if stage == "recap" else ""
    sources: list[str] = []
    for k, (scene, copy) in enumerate(zip(scenes, copies)):
        last = k == len(scenes) - 1
        text = board["hook"] if k == 0 else copy.narration  # a scene without a line is a silent picture beat
        scene.update(narration=text, on_screen_text=copy.on_screen or ("" if k else text))
        if copy.claim_source and not last:
            sources.append(copy.claim_source)
            scene["layout"] = "callout"  # one facet per scene: a list of every selling point would repeat them
            if not scene["product_focus"] and not hidden:
                scene["product_focus"] = True
                _show_product(data, k, plan)
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
    return sources


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
