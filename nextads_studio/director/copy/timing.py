"""How long a line takes to say with the offline voices, so narration is written to fit its scene.

Measured on this project's voices (durations of synthesized WAVs, silence included):
  piper en_US-joe-medium at speed 1.0: 5 words 1.6-1.9 s, 8 words 2.2-2.5 s, 10 words 3.0 s  -> 0.45 s + 0.26 s/word
  espeak-ng cmn (Mandarin) at 165 wpm: 5 characters 2.4 s, 10 characters + comma 4.4 s, 13 + comma 5.2 s
                                       -> 0.55 s + 0.36 s/character + 0.25 s per pause
The Producer may speed a line up to 1/0.75 of normal to fit; copy aims lower (1.15 for English, 1.3 for Mandarin,
whose formant voice is slow) so nothing is rushed, nothing overruns and no line is dropped.
"""

from __future__ import annotations

import re

from ...schemas.common import count_words

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
LEAD_AND_GAP = 0.2  # the Producer starts a line 0.12 s after the cut and leaves 0.08 s before the next
MAX_SPEEDUP = {"en": 1.15, "zh": 1.3}


def spoken_seconds(text: str, language: str = "en") -> float:
    """Seconds the offline voice takes for `text` at normal speed."""
    if not text.strip():
        return 0.0
    if language == "zh" or _CJK.search(text):
        chars = len(_CJK.findall(text))
        latin = count_words(_CJK.sub(" ", text))
        pauses = len(re.findall(r"[，。！？、；：,.!?;:]", text.rstrip("，。！？、；：,.!?;:")))
        return 0.55 + 0.36 * chars + 0.4 * latin + 0.25 * pauses
    pauses = len(re.findall(r"[,.!?;:—]", text.rstrip(",.!?;:— ")))
    return 0.45 + 0.26 * count_words(text) + 0.15 * pauses


def budget(scene_seconds: float, language: str = "en") -> float:
    """The most normal-speed speech a scene of this length holds."""
    return max(0.0, scene_seconds - LEAD_AND_GAP) * MAX_SPEEDUP.get(language, 1.15)


def fits(text: str, scene_seconds: float, language: str = "en") -> bool:
    return spoken_seconds(text, language) <= budget(scene_seconds, language)
