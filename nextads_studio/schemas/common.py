"""Shared field types for the stage contracts: colours, scores, text limits."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _hex_color(value: str) -> str:
    if not isinstance(value, str) or not _HEX.match(value):
        raise ValueError(f"{value!r} is not a hex colour like #1A2B3C")
    return value.upper()


HexColor = Annotated[str, AfterValidator(_hex_color)]
Unit = Annotated[float, Field(ge=0.0, le=1.0)]
Score10 = Annotated[float, Field(ge=0.0, le=10.0)]
Seconds = Annotated[float, Field(ge=0.0)]

Tier = Literal["strong", "medium", "weak"]
ChosenTier = Literal["strong", "medium", "weak", "generic"]
Task = Literal["pcg", "pci"]
Mode = Literal["nextads", "generic"]
Aspect = Literal["9:16", "16:9", "1:1"]
DEFAULT_ASPECT: Aspect = "9:16"  # the one default (vertical, for feeds); a PCI plan takes its host's
CameraMotion = Literal[
    "static", "push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down", "parallax"
]
Transition = Literal["cut", "crossfade", "slide", "whip"]
ToneTag = Literal[
    "humorous", "informative", "calm", "energetic", "premium", "practical", "warm", "playful", "inspirational",
]
InfoDensity = Literal["low", "medium", "high"]

CAMERA_MOTIONS: tuple[str, ...] = CameraMotion.__args__  # type: ignore[attr-defined]
TRANSITIONS: tuple[str, ...] = Transition.__args__  # type: ignore[attr-defined]
TONE_TAGS: tuple[str, ...] = ToneTag.__args__  # type: ignore[attr-defined]
ASPECTS: tuple[str, ...] = Aspect.__args__  # type: ignore[attr-defined]


def count_words(text: str) -> int:
    """Words as a viewer reads them: Latin tokens, plus one word per two CJK characters."""
    cjk = len(_CJK.findall(text))
    latin = len([t for t in _CJK.sub(" ", text).split() if any(ch.isalnum() for ch in t)])
    return latin + (cjk + 1) // 2


def max_words(limit: int):
    def check(text: str) -> str:
        n = count_words(text)
        if n > limit:
            raise ValueError(f"has {n} words; at most {limit} fit on screen / in the scene")
        return text

    return AfterValidator(check)


class Contract(BaseModel):
    """Base for every contract: unknown fields are mistakes, not silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)
