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

    if (product.product_id, line) in _WRITTEN:
        return _WRITTEN[(product.product_id, line)]
    for lang in ("en", "zh"):
        short = next((c.short for c in product_claims(product, lang) if line in (c.text, c.tight) and c.short), "")
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


def _ad_lines(plan: CreativePlan, skip: Sequence[int] = ()) -> list[str]:
    return [t for s in plan.storyboard.scenes if s.index not in skip for t in (s.narration, s.on_screen_text) if t]


# The copy engine writes a line's on-screen form together with it; caption_for reuses it for the same line.
_WRITTEN: dict[tuple[str, str], str] = {}


def _remember(product: Product, narration: str, on_screen: str) -> None:
    if narration and on_screen:
        if len(_WRITTEN) > 2048:
            _WRITTEN.clear()
        _WRITTEN[(product.product_id, narration)] = on_screen


def hook_candidates(plan: CreativePlan, count: int = 4) -> list[str]:
    """Opening lines written by the copy engine for the plan's person and language (the chosen interest's
    forms when the plan is personal), each new to the ad, fitting the opening scene and lint-clean."""
    from ..director.copy.engine import rewrite_line
    from ..director.storyboard import plan_copy_context

    ctx = plan_copy_context(plan)
    first = plan.storyboard.scenes[0]
    others = _ad_lines(plan, skip=[first.index])
    out: list[str] = []
    for k in range(count * 2):
        narration, on_screen = rewrite_line(ctx, "hook", first.duration, ad_lines=[*others, *out, first.narration],
                                            seed=plan.seed + plan.version + k)
        if narration and narration not in out and is_safe(narration) and all(
                not mentions(narration, t) for t in (plan.profile.excluded_sensitive if plan.profile else [])):
            out.append(narration)
            _remember(plan.product, narration, on_screen)
        if len(out) == count:
            break
    return out


def cta_line(plan: CreativePlan) -> tuple[str, str]:
    """(narration, caption) for a closing call to action, written by the copy engine: the record's price when it
    has one, the product's name on screen, nothing the ad already says, never an unknown brand."""
    from ..director.copy.engine import close_line
    from ..director.storyboard import plan_copy_context

    last = plan.storyboard.scenes[-1]
    narration, caption = close_line(plan_copy_context(plan), last.duration, ad_lines=_ad_lines(plan),
                                    seed=plan.seed + plan.version)
    return narration, caption or plan.product.name


def generic_visual(plan: CreativePlan, index: int) -> str:
    """A product-centred visual description with nothing taken from the user's history."""
    p = plan.product
    if plan.storyboard.scenes[index].product_focus or index == len(plan.storyboard.scenes) - 1:
        colours = "brand" if p.brand.strip().lower() in ("", "unknown") else p.brand
        return f"Hero shot of {p.name} on a clean backdrop in {colours} colours, {'logo' if p.logo else 'name'} visible"
    return f"{p.name} in everyday use, clean studio light, unbranded props"
