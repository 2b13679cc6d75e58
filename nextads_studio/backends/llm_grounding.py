"""Asset grounding and output post-checks for the LLM Director.

The collage follows the reference layout (2x2 grid of 384 px user tiles on the LEFT, 32 px white gap, product on
the RIGHT, both 768 px high). The post-check removes sentences whose claims the product data does not support:
numbers absent from the product's facts, other brands, and names that came from instruction-like history items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageOps

from ..atomic import atomic_path
from ..schemas.plan import Storyboard
from ..schemas.product import Product

TILE, GAP, HEIGHT = 384, 32, 768
_INJECTION = re.compile(r"ignore (all )?(previous|prior|above) instructions|disregard .{0,20}instructions|"
                        r"system prompt|you are now|new instructions", re.IGNORECASE)
_PROPER = re.compile(r"\b[A-Z][A-Za-z0-9]+(?:[A-Z][a-z0-9]+)*\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+")


def build_collage(user_images: Sequence[str], product_image: str, out_path: Path) -> Path:
    """Write the reference collage (user grid left, product right) to out_path and return it."""
    grid = Image.new("RGB", (2 * TILE, 2 * TILE), "white")
    for i, path in enumerate(list(user_images)[:4]):
        tile = ImageOps.fit(Image.open(path).convert("RGB"), (TILE, TILE))
        grid.paste(tile, ((i % 2) * TILE, (i // 2) * TILE))
    product = Image.open(product_image).convert("RGB")
    product = product.resize((max(1, round(product.width * HEIGHT / product.height)), HEIGHT))
    canvas = Image.new("RGB", (grid.width + GAP + product.width, HEIGHT), "white")
    canvas.paste(grid, (0, 0))
    canvas.paste(product, (grid.width + GAP, 0))
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out_path) as tmp:
        canvas.save(tmp, format="PNG")
    return out_path


def injected_names(texts: Iterable[str]) -> set[str]:
    """Capitalised names inside history items that try to give instructions: they never reach the ad."""
    names: set[str] = set()
    for text in texts:
        if not _INJECTION.search(text):
            continue
        for match in _PROPER.finditer(text):
            word, before = match.group(), text[:match.start()].rstrip()
            sentence_start = not before or before[-1] in ".!?:>\"'"
            if not sentence_start and not word.isupper() and word.lower() not in _COMMON:
                names.add(word)
    return names


_COMMON = {"ignore", "previous", "instructions", "praise", "say", "the", "and", "you", "disregard", "system",
           "new", "now", "instead", "a", "i", "it", "this", "please", "all", "prior", "above"}


def strip_unsupported(storyboard: Storyboard, product: Product, banned: Iterable[str]) -> tuple[Storyboard, list[str]]:
    """Drop spoken/shown sentences with numbers outside the product data, and any sentence naming a banned
    brand or name; returns (storyboard, removed sentences)."""
    allowed_text = " ".join([product.name, product.brand, product.slogan, product.intro, product.details,
                             *product.selling_points, *product.facts.keys(), *product.facts.values()])
    allowed_numbers = set(_NUMBER.findall(allowed_text))
    banned_low = {b.lower() for b in banned if b and b.lower() not in allowed_text.lower()}
    removed: list[str] = []

    def clean(text: str, claims: bool = True) -> str:
        kept = []
        for sentence in _SENTENCE.split(text):
            words = {w.lower() for w in re.findall(r"[\w'-]+", sentence)}
            bad_number = claims and any(n not in allowed_numbers for n in _NUMBER.findall(sentence))
            if bad_number or words & banned_low or any(b in sentence.lower() for b in banned_low if " " in b):
                removed.append(sentence)
            else:
                kept.append(sentence)
        return " ".join(kept).strip()

    data = storyboard.model_dump()
    data["hook"] = clean(data["hook"]) or product.slogan or product.name
    data["cta"] = clean(data["cta"])
    for scene in data["scenes"]:
        for key in ("narration", "on_screen_text"):
            scene[key] = clean(scene[key])
        for key in ("visual", "shot_goal"):  # descriptions, not claims: only names are checked
            scene[key] = clean(scene[key], claims=False)
    return Storyboard.model_validate(data), removed
