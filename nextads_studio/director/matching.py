"""Matching: score the strong and medium interests against a product and pick a tier, or fall back to generic.

Scores follow the reference (product_match, ad_ability, expressibility, 0-10 each, total /30). As the paper's case
study describes it (KFC: the second interest wins because it fits the product better), adaptive matching puts
user-product compatibility before naive top-interest matching: when the totals differ by more than the margin the
higher total wins; within the margin the tier whose product match is higher wins, and strong only on a tie. Below
the compatibility threshold no personalization is forced (`fallback_generic`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..schemas.plan import MatchResult, TierScore
from ..schemas.product import Product
from ..schemas.profile import Interest, UserProfile
from .profile import profile_topics
from .sensitive import find_sensitive
from .topics import topic_counts, topic_fit

DEFAULT_THRESHOLD = 12.0       # total /30 below which the ad is generic
MIN_PRODUCT_MATCH = 3.0        # ... or when the theme and the product simply do not meet
RULE_MARGIN = 15.0             # the reference rule's margin between the two tiers' totals
FIT_TIE = 0.25                 # product-match difference (/10) treated as a tie (then the strong tier wins)


def product_text(product: Product) -> str:
    return " ".join([product.describe(), product.subcategory, " ".join(product.keywords)]).strip()


def product_topics(product: Product) -> dict[str, float]:
    counts = topic_counts([product.name + " " + product.subcategory + " " + " ".join(product.keywords),
                           product.intro + " " + " ".join(product.selling_points)])
    return {t: 0.5 * c for t, c in counts.items()}


def interest_text(interest: Interest) -> str:
    return f"{interest.theme}. {', '.join(interest.keywords)}"


def score_tier(interest: Interest, product: Product, embedder, images: int) -> TierScore:
    """The three reference scores for one interest tier, with a reason naming the evidence."""
    vecs = embedder.embed([interest_text(interest), product_text(product)])
    sim = float(vecs[0] @ vecs[1])
    user_topics, item_topics = profile_topics(interest), product_topics(product)
    fit = topic_fit(user_topics, item_topics)
    sim_part = float(np.clip((sim - 0.05) / 0.45, 0, 1))
    if user_topics and item_topics:
        product_match = 10 * float(np.clip(0.55 * fit + 0.45 * sim_part, 0, 1))
    else:  # the topic lexicon knows one side only (birdwatching, binoculars): it cannot judge, embeddings do
        product_match = 10 * sim_part
    concrete = 1.0 if any(t in interest.keywords for t in profile_topics(interest)) else 0.5
    ad_ability = 10 * float(np.clip(0.55 * product_match / 10 + 0.25 * min(1, interest.share / 0.4)
                                    + 0.2 * concrete, 0, 1))
    expressibility = 10 * float(np.clip(0.35 * min(1, images / 4) + 0.25 * concrete
                                        + 0.4 * product_match / 10, 0, 1))
    pm, aa, ex = (round(v, 2) for v in (product_match, ad_ability, expressibility))
    reason = (f"'{interest.theme}' vs {product.name}: embedding similarity {sim:.2f}, "
              f"{f'topic fit {fit:.2f}' if user_topics and item_topics else 'no shared topic lexicon'}, "
              f"{interest.share:.0%} of the history, {images} usable images")
    return TierScore(product_match=pm, ad_ability=aa, expressibility=ex, total=round(pm + aa + ex, 2),
                     reason=reason)


def compatible(score: TierScore, threshold: float) -> bool:
    return score.total >= threshold and score.product_match >= MIN_PRODUCT_MATCH


def choose_tier(scores: Mapping[str, TierScore], threshold: float = DEFAULT_THRESHOLD) -> str:
    """Totals more than the margin apart: the higher wins. Within the margin: the better product fit wins (the
    paper's adaptive matching), strong on a tie; a tier below the compatibility gate never beats one above it."""
    if "medium" in scores and "strong" in scores:
        strong, medium = scores["strong"], scores["medium"]
        if medium.total - strong.total > RULE_MARGIN:
            return "medium"
        if strong.total - medium.total > RULE_MARGIN:
            return "strong"
        if compatible(strong, threshold) != compatible(medium, threshold):
            return "strong" if compatible(strong, threshold) else "medium"
        if medium.product_match - strong.product_match > FIT_TIE:
            return "medium"
        return "strong"
    return next(iter(scores))


def _why_not(score: TierScore, threshold: float) -> str:
    """Which gate a tier fails, with its own numbers."""
    parts = []
    if score.total < threshold:
        parts.append(f"total {score.total:.1f}/30 is below the threshold {threshold:.0f}/30")
    if score.product_match < MIN_PRODUCT_MATCH:
        parts.append(f"product match {score.product_match:.1f}/10 is below the minimum {MIN_PRODUCT_MATCH:.0f}/10")
    return " and ".join(parts)


def _why_chosen(tier: str, scores: Mapping[str, TierScore], theme: str) -> str:
    chosen = scores[tier]
    other = next((t for t in scores if t != tier), None)
    head = f"{tier} tier '{theme}' chosen with {chosen.total:.1f}/30 (product match {chosen.product_match:.1f}/10)"
    if other is None:
        return head
    o = scores[other]
    gap = abs(chosen.total - o.total)
    if gap > RULE_MARGIN:
        rule = f"totals differ by {gap:.1f} > margin {RULE_MARGIN:.0f}: the higher total wins"
    elif chosen.product_match - o.product_match > FIT_TIE:
        rule = f"totals within the margin {RULE_MARGIN:.0f}: the better product fit wins"
    else:
        rule = f"totals within the margin {RULE_MARGIN:.0f} and product fit tied: the strong tier wins"
    return f"{head} vs {other} {o.total:.1f}/30 (product match {o.product_match:.1f}/10); {rule}"


def rank_selling_points(product: Product, theme_text: str | None, embedder, top: int = 3) -> list[str]:
    """Selling points closest to the theme (product order when there is no theme)."""
    points = [p for p in product.selling_points if not find_sensitive(p)]
    if not points:
        return []
    if not theme_text:
        return points[:top]
    sims = embedder.embed(points) @ embedder.embed([theme_text])[0]
    order = sorted(range(len(points)), key=lambda i: (-float(sims[i]), i))
    return [points[i] for i in order[:top]]


def suggest_hooks(theme: str | None, product: Product, points: list[str], language: str) -> list[str]:
    name = product.name
    if theme is None:
        return [f"Meet {name}.", f"{product.slogan or name}", f"Why people pick {name}"]
    if language == "zh":
        return [f"给爱{theme}的你：{name}", f"{theme}的日常，多一个{name}", f"{name}，为{theme}而来"]
    lead = points[0] if points else product.slogan
    return [f"For your {theme} days: {name}", f"{theme.capitalize()}, meet {name}", f"{lead}"]


def match(profile: UserProfile, product: Product, embedder, image_counts: Mapping[str, int] | None = None,
          threshold: float = DEFAULT_THRESHOLD) -> MatchResult:
    """Score strong and medium tiers, apply the reference rule, fall back to generic below the threshold."""
    image_counts = image_counts or {}
    # One batched forward pass for everything this match compares (the embedder caches each text).
    embedder.embed([interest_text(i) for i in profile.interests] + [product_text(product)]
                   + [p for p in product.selling_points if not find_sensitive(p)])
    scores = {i.tier: score_tier(i, product, embedder, image_counts.get(i.tier, 0))
              for i in profile.interests if i.tier in ("strong", "medium")}
    if not scores:
        return generic_match(product, embedder, reason="the history yields no usable (non-sensitive) interest")
    tier = choose_tier(scores, threshold)
    chosen = scores[tier]
    interest = profile.tier(tier)
    if not compatible(chosen, threshold):
        why = (f"no forced personalization: best tier '{tier}' ('{interest.theme}'): "
               f"{_why_not(chosen, threshold)}")
        result = generic_match(product, embedder, reason=why)
        result.scores = scores
        result.fallback_generic = True
        return result
    why = _why_chosen(tier, scores, interest.theme)
    points = rank_selling_points(product, interest_text(interest), embedder)
    return MatchResult(
        scores=scores, chosen_tier=tier, chosen_theme=interest.theme, reason=why,
        confidence=round(float(np.clip(chosen.total / 30, 0, 1)), 3), selling_points=points,
        suggested_hooks=suggest_hooks(interest.theme, product, points, profile.language),
    )


def generic_match(product: Product, embedder, reason: str = "GenericAds: no user data used") -> MatchResult:
    """A match that uses the product alone."""
    points = rank_selling_points(product, None, embedder)
    return MatchResult(chosen_tier="generic", chosen_theme="", reason=reason, confidence=0.5,
                       selling_points=points, suggested_hooks=suggest_hooks(None, product, points, "en"))
