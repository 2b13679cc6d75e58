"""Hand-built plans, findings and verdicts, so the Reflector is tested without the other stages."""

from __future__ import annotations

import pytest

from nextads_studio import schemas as s


def make_product() -> s.Product:
    return s.Product(
        product_id="brewline-one", name="Brewline One", brand="Brewline", category="retail",
        subcategory="coffee machine", slogan="Cafe mornings at home",
        intro="A compact espresso machine for busy kitchens.",
        selling_points=["Espresso ready in 40 seconds", "Milk frother for silky foam", "Fits a small counter"],
        facts={"price": "$249", "heat_up": "40 seconds", "tank": "1.2 litres"},
        images=["/lib/brewline/front.png", "/lib/brewline/side.png"], logo="/lib/brewline/logo.png",
        brand_colors=["#3A2618", "#F2E6D8"],
        licenses=[s.AssetLicense(path="brewline/front.png", license="CC0-1.0", author="NextAds Studio"),
                  s.AssetLicense(path="brewline/side.png", license="CC0-1.0", author="NextAds Studio")],
        keywords=["coffee", "espresso", "morning"],
    )


def make_profile(excluded: list[str] | None = None) -> s.UserProfile:
    excluded = excluded or []
    return s.UserProfile(
        user_id="nora",
        interests=[
            s.Interest(tier="strong", theme="home baking, sourdough", summary="bakes bread every weekend",
                       evidence=["n1", "n2"], keywords=["sourdough", "baking", "bread"], share=0.5),
            s.Interest(tier="medium", theme="museum visits, art", summary="weekend gallery trips",
                       evidence=["n3"], keywords=["museum", "art"], share=0.3),
            s.Interest(tier="weak", theme="diabetes care", summary="blood sugar tracking notes",
                       evidence=["n4"], keywords=["diabetes", "blood sugar"], share=0.2),
        ],
        style=s.StyleProfile(tone_tags=["warm", "calm"], info_density="medium"),
        visual=s.VisualTaste(palette=["#C9A27E", "#F5EBDD", "#6B4F3A", "#2E2A26"], warmth=0.8),
        excluded_sensitive=excluded,
    )


SCENES = [
    dict(shot_goal="hook", visual="Flour-dusted counter at dawn, sourdough loaf cooling",
         narration="Your sourdough mornings deserve better coffee.", on_screen_text="Bake. Brew. Breathe.",
         personalization_used=["home baking, sourdough"], camera_motion="push_in"),
    dict(shot_goal="problem", visual="Kettle and instant coffee beside proofing baskets",
         narration="Instant coffee never matched your bread.", on_screen_text="Coffee worth the loaf",
         personalization_used=["home baking, sourdough"], camera_motion="pan_left"),
    dict(shot_goal="product demo", visual="Brewline One pulling a shot next to the bread board",
         narration="Brewline One pours espresso in 40 seconds.", on_screen_text="Espresso in 40 seconds",
         product_focus=True, camera_motion="parallax"),
    dict(shot_goal="benefit", visual="Silky milk foam poured into a ceramic cup",
         narration="Silky foam for your weekend bake breaks.", on_screen_text="Silky milk foam",
         personalization_used=["home baking, sourdough"], camera_motion="tilt_down"),
    dict(shot_goal="cta", visual="Hero shot of Brewline One with logo",
         narration="Brewline One. Cafe mornings at home.", on_screen_text="Shop Brewline One",
         product_focus=True, camera_motion="static"),
]


def make_plan(duration: float = 15.0, **over) -> s.CreativePlan:
    n = len(SCENES)
    step = duration / n
    scenes = [{**sc, "index": i, "start": round(i * step, 3), "end": round((i + 1) * step, 3) if i < n - 1
               else duration} for i, sc in enumerate(SCENES)]
    assets = [s.SceneAssets(scene_index=i, product_image="/lib/brewline/front.png" if sc.get("product_focus")
                            else None, user_images=[] if sc.get("product_focus") else [f"/aud/nora/{i}.jpg"],
                            logo=i == n - 1) for i, sc in enumerate(SCENES)]
    data = dict(
        plan_id="nora-brewline", user_id="nora", product=make_product(), profile=make_profile(),
        match=s.MatchResult(chosen_tier="strong", chosen_theme="home baking, sourdough", confidence=0.8,
                            suggested_hooks=["Fresh bread deserves fresh espresso."]),
        storyboard=s.Storyboard(duration_sec=duration, hook="Your sourdough mornings deserve better coffee.",
                                cta="Shop Brewline One", tone_tags=["warm"], scenes=scenes),
        grounding=s.Grounding(product_images=["/lib/brewline/front.png"], scene_assets=assets,
                              user_images=["/aud/nora/0.jpg"]),
    )
    data.update(over)
    return s.CreativePlan.model_validate(data)


def plant(plan: s.CreativePlan, index: int, **fields) -> s.CreativePlan:
    """A copy of the plan with one scene's fields replaced (a planted defect)."""
    data = plan.model_dump()
    data["storyboard"]["scenes"][index].update(fields)
    return s.CreativePlan.model_validate(data)


def verdict_with(plan: s.CreativePlan, *findings: s.Finding, decision: str = "revise") -> s.Verdict:
    return s.Verdict(plan_id=plan.plan_id, plan_version=plan.version, decision=decision,
                     compliance=s.Compliance(findings=list(findings), ai_label=True))


@pytest.fixture
def plan() -> s.CreativePlan:
    return make_plan()
