"""Claims from the product record, by selection and compression into complete sentences, never by cutting words.

Each claim keeps a pointer to where it came from (`selling_points[2]`, `facts.weight`), so a reviewer or the
Verifier can check it against the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...schemas.common import count_words
from ...schemas.product import Product
from ..sensitive import find_sensitive
from .lint import CopyLine, lint

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_SPLITS = (" — ", " – ", "; ", ", ", " (", " with ", " and ", " so ", " that ")
_FACT_SPOKEN = {
    "price": "Just {v}.", "weight": "It weighs {v}.", "battery": "Battery: {v}.", "storage": "{v} of storage.",
    "capacity": "It holds {v}.", "display": "A {v} display.", "fast_charge": "Fast charge: {v}.",
    "water_resistance": "Water resistant to {v}.", "size": "Size: {v}.", "camera": "Camera: {v}.",
    "runtime": "Runs for {v}.", "power": "Power: {v}.", "volume": "{v} per pack.",
}
_FACT_SPOKEN_ZH = {"price": "只要{v}。", "weight": "仅重{v}。", "capacity": "容量{v}。", "storage": "存储{v}。"}
_FACT_LABEL_ZH = {"price": "价格", "weight": "重量", "battery": "续航", "storage": "存储", "capacity": "容量",
                  "display": "屏幕", "camera": "相机", "size": "尺寸", "water_resistance": "防水",
                  "fast_charge": "快充"}
_UNIT_ONLY = re.compile(r"^[\d.,$€£¥%\s]*(?:g|kg|ml|l|mm|cm|gb|tb|mah|w|v|hz)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Claim:
    text: str            # a complete sentence, narration-ready (<= 16 words), '' when not speakable
    short: str           # on-screen text (<= 8 words)
    source: str          # "selling_points[i]" or "facts.<key>"
    spoken_language: str  # the language `text` is in ("en" / "zh")
    tight: str = ""      # a shorter complete sentence of the same point (<= 7 words) for a short scene, or ''


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".;:,")
    if not text:
        return ""
    if _CJK.search(text):
        return text if text[-1] in "。！？" else text + "。"
    return text[0].upper() + text[1:] + ("" if text[-1] in "!?" else ".")


def _clean(text: str, product: Product | None) -> bool:
    lang = "zh" if _CJK.search(text) else "en"
    bad = [f for f in lint([CopyLine(0, "narration", text)], product=product, language=lang)
           if f.rule in ("fragment", "superlative", "placeholder", "determiner_stack", "agreement")]
    return not bad and not find_sensitive(text)


def compress(point: str, limit: int, product: Product | None = None) -> str:
    """`point` as a complete sentence of at most `limit` words: whole, or its first complete clause; else ''."""
    point = " ".join(point.split())
    candidates = [point]
    for sep in _SPLITS:
        if sep in point:
            candidates.append(point.split(sep)[0])
    for cand in candidates:
        sentence = _sentence(cand)
        if sentence and count_words(sentence) <= limit and count_words(sentence) >= 2 and _clean(sentence, product):
            return sentence
    return ""


def _humanize(key: str) -> str:
    return re.sub(r"_\d+$", "", key).replace("_", " ").strip().capitalize()


def _covered(value: str, points: list[str]) -> bool:
    """A fact whose numbers a selling point already states (with its context) adds no claim of its own."""
    numbers = re.findall(r"\d+(?:[.,]\d+)*", value)
    return bool(numbers) and any(all(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", p) for n in numbers)
                                 for p in points)


def _value(v: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", v).strip()


_CACHE: dict[tuple, list[Claim]] = {}


def product_claims(product: Product, language: str = "en") -> list[Claim]:
    """Every claim the record supports, selling points first (in record order), then facts (cached per record)."""
    key = (language, product.name, product.brand, product.slogan, product.intro, product.details,
           tuple(product.selling_points), tuple(product.facts.items()))
    if key not in _CACHE:
        if len(_CACHE) > 512:
            _CACHE.clear()
        _CACHE[key] = _product_claims(product, language)
    return list(_CACHE[key])


def _product_claims(product: Product, language: str) -> list[Claim]:
    out: list[Claim] = []
    for i, point in enumerate(product.selling_points):
        if find_sensitive(point):
            continue
        text = compress(point, 16, product)
        short = compress(point, 8, product).rstrip(".。")
        if not short and text:
            short = ""
        lang = "zh" if _CJK.search(point) else "en"
        tight = compress(point, 7, product)
        if text or short:
            out.append(Claim(text, short, f"selling_points[{i}]", lang, tight if tight != text else ""))
    for key, raw in product.facts.items():
        v = _value(str(raw))
        if not v or find_sensitive(v) or _covered(v, product.selling_points):
            continue
        k = key.lower().strip()
        lang = "zh" if _CJK.search(v) else "en"
        if language == "zh":  # spoken only when the value is a number and a unit a Mandarin voice reads
            tmpl = _FACT_SPOKEN_ZH.get(k)
            text = tmpl.format(v=v) if tmpl and _UNIT_ONLY.match(v) else ""
            lang = "zh" if text else lang
        else:
            tmpl = _FACT_SPOKEN.get(k)
            text = tmpl.format(v=v) if tmpl else ""
        if language == "zh":
            short = f"{_FACT_LABEL_ZH[k]}：{v}" if k in _FACT_LABEL_ZH else v
        else:
            short = f"{_humanize(k)}: {v}"
        if count_words(short) > 8:
            short = v if count_words(v) <= 8 else ""
        if text and (count_words(text) > 16 or not _clean(text, product)):
            text = ""
        if text or short:
            out.append(Claim(text, short, f"facts.{key}", lang))
    return out


def rank_claims(claims: list[Claim], preferred: list[str]) -> list[Claim]:
    """Claims whose source point is in `preferred` (the match's theme-ranked points) first, in that order."""
    def key(c: Claim) -> tuple[int, int]:
        return (preferred.index(c.source) if c.source in preferred else len(preferred), 0)
    return sorted(claims, key=key)


def number_claim(claims: list[Claim]) -> Claim | None:
    """The first speakable claim with a number in it (for a fact-led hook)."""
    return next((c for c in claims if c.text and re.search(r"\d", c.text)), None)
