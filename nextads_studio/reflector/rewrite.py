"""Concrete replacement text for revisions: safe lines from the product's own facts, hooks, captions, CTAs.

Every line built here comes from the product record (selling points, facts, slogan, name) so it never adds a claim
the product cannot back, and it never contains risky wording (health, guarantees, superlatives, urgency).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..schemas import CreativePlan, Product, count_words

NARRATION_WORDS = 16
CAPTION_WORDS = 8

# Wording a compliance reviewer would flag even when a product fact sits next to it.
_RISKY = re.compile(
    r"\b(cure[sd]?|heal(s|ing)?|treat(s|ment)?|prevent(s)?|disease|illness|doctor|clinical(ly)?|medical|therapy|"
    r"diabet\w*|anxiety|depression|weight[- ]loss|lose weight|detox|guarantee[sd]?|risk[- ]free|miracle|"
    r"best|#1|number one|world'?s|unbeatable|perfect|forever|instantly|hurry|last chance|only today|"
    r"act now|limited time)\b",
    re.I,
)
_STOP_END = {"and", "or", "with", "for", "to", "of", "the", "a", "an", "in", "on", "your", "that", "at", "by"}


def is_safe(text: str) -> bool:
    return not _RISKY.search(text or "")


def trim_words(text: str, limit: int) -> str:
    """Cut to at most `limit` words (CJK counted as the schema counts), ending on a content word."""
    text = " ".join(text.split())
    if count_words(text) <= limit:
        return text
    text = text.rstrip(" .,;:")
    words = text.split()
    while words and count_words(" ".join(words)) > limit:
        words.pop()
    while len(words) > 1 and words[-1].lower().strip(",.;:") in _STOP_END:
        words.pop()
    if words:
        return " ".join(words).rstrip(" ,;:")
    # one long CJK run: cut characters
    chars = text
    while chars and count_words(chars) > limit:
        chars = chars[:-1]
    return chars


def fact_lines(product: Product) -> list[str]:
    """Readable lines from the product's facts, e.g. 'Battery: 30 hours'."""
    return [f"{k.replace('_', ' ').strip().capitalize()}: {v}" for k, v in product.facts.items() if str(v).strip()]


def safe_lines(product: Product, language: str = "en") -> list[str]:
    """Narration lines backed by the product record, in record order: the copy engine's claims (complete
    sentences compressed from selling points and facts, never cut), then the slogan and the name."""
    from ..director.copy.claims import product_claims

    lines = [c.text for c in product_claims(product, language) if c.text and c.spoken_language == language]
    if product.slogan and count_words(product.slogan) <= NARRATION_WORDS:
        lines.append(product.slogan.strip().rstrip(".") + ".")
    lines.append(f"认识{product.name}。" if language == "zh" else f"Meet {product.name}.")
    out = []
    for line in lines:
        if line and is_safe(line) and line not in out:
            out.append(line)
    return out


def used_texts(plan: CreativePlan) -> set[str]:
    texts = {plan.storyboard.hook, plan.storyboard.cta}
    for s in plan.storyboard.scenes:
        texts |= {s.narration, s.on_screen_text}
    return {_norm(t) for t in texts if t}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def pick_line(candidates: Sequence[str], used: Iterable[str], near: str = "", embedder=None) -> str:
    """The first candidate not already said in the plan; with an embedder, the one closest to `near`."""
    used_n = {_norm(u) for u in used}
    fresh = [c for c in candidates if _norm(c) not in used_n and not any(_norm(c) in u for u in used_n)]
    pool = fresh or list(candidates)
    if not pool:
        return ""
    if embedder is not None and near.strip() and len(pool) > 1:
        vecs = embedder.embed([near, *pool])
        sims = vecs[1:] @ vecs[0]
        return pool[int(sims.argmax())]
    return pool[0]


def safe_narration(plan: CreativePlan, near: str = "", embedder=None, avoid: Iterable[str] = ()) -> str:
    lang = "zh" if plan.storyboard.language == "zh" else "en"
    return pick_line(safe_lines(plan.product, lang), [*used_texts(plan), *avoid], near, embedder)


def caption_for(line: str, product: Product) -> str:
    """An on-screen caption (<= 8 words) summarizing a narration line, without the leading product name; for a
    claim line, the engine's own short form of the same claim."""
    from ..director.copy.claims import product_claims

    for lang in ("en", "zh"):
        short = next((c.short for c in product_claims(product, lang) if c.text == line and c.short), "")
        if short:
            return short
    body = line
    prefix = f"{product.name}:"
    if body.startswith(prefix):
        body = body[len(prefix):]
    elif body.startswith(f"{product.name}."):
        body = body[len(product.name) + 1:]
    body = body.strip()
    clause = re.split(r"[:.?!]\s", body + " ")[0].strip()
    if count_words(body) > CAPTION_WORDS and 2 <= count_words(clause) <= CAPTION_WORDS:
        body = clause
    body = trim_words(body, CAPTION_WORDS) or trim_words(product.name, CAPTION_WORDS)
    return body[:1].upper() + body[1:]


def strip_terms(text: str, terms: Iterable[str]) -> str:
    """Remove whole-word mentions of the given terms (e.g. another brand) and tidy the spacing."""
    for term in terms:
        if term.strip():
            text = re.sub(rf"(?i)(?<!\w){re.escape(term.strip())}(?:'s)?(?!\w)", "", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return " ".join(text.split()).strip(" ,;:")


_DANGLING = _STOP_END | {"than", "like", "vs", "vs.", "versus", "from", "as", "is", "are", "by"}


def reads_whole(text: str) -> bool:
    """A phrase that survived a cut: at least two words and not ending on a connective ('Better than')."""
    words = text.split()
    return len(words) >= 2 and words[-1].lower().strip(",.;:!?") not in _DANGLING


def mentions(text: str, term: str) -> bool:
    return bool(term.strip()) and re.search(rf"(?i)(?<!\w){re.escape(term.strip())}(?!\w)", text or "") is not None


def hook_candidates(plan: CreativePlan) -> list[str]:
    """Opening lines that show the product in use within 2 s, tied to the chosen theme when there is one."""
    p = plan.product
    point = p.selling_points[0].rstrip(".") if p.selling_points else (p.slogan or p.intro or p.name)
    theme = ""
    if plan.match and not plan.match.fallback_generic and plan.match.chosen_theme:
        theme = plan.match.chosen_theme.split(",")[0].strip()
    lines = list(plan.match.suggested_hooks) if plan.match else []
    if theme:
        lines += [f"Your {theme} days, with {p.name} right there.", f"{theme.capitalize()}, made easier: {point}."]
    lines += [f"Watch {p.name} in action: {point}.", f"Three seconds with {p.name}: {point}.",
              f"This is {p.name}. {point}."]
    out = []
    for line in lines:
        line = trim_words(line, NARRATION_WORDS)
        if line and is_safe(line) and line not in out and all(
                not mentions(line, t) for t in (plan.profile.excluded_sensitive if plan.profile else [])):
            out.append(line)
    return out


def cta_line(plan: CreativePlan) -> tuple[str, str]:
    """(narration, caption) for a closing call to action naming the product and, if known, its price."""
    p = plan.product
    price = next((v for k, v in p.facts.items() if "price" in k.lower()), "")
    narration = f"{p.name} by {p.brand}" + (f", {price}" if price else "") + ". Tap to see it today."
    caption = f"Tap to shop {p.name}"
    return trim_words(narration, NARRATION_WORDS), trim_words(caption, CAPTION_WORDS)


def generic_visual(plan: CreativePlan, index: int) -> str:
    """A product-centred visual description with nothing taken from the user's history."""
    p = plan.product
    if plan.storyboard.scenes[index].product_focus or index == len(plan.storyboard.scenes) - 1:
        return f"Hero shot of {p.name} on a clean backdrop in {p.brand} colours, logo visible"
    return f"{p.name} in everyday use, clean studio light, unbranded props"
