"""Arc copy: the words of one impression in a progressive sequence (problem -> new routine -> lifestyle -> recap).

Written by the copy engine's writer like every other ad: lines come from the stage's bank, filled with the
lexicon's grammatical forms for the person's topic ("your next run", "runners", "on the run"), checked to fit
their scene at the voice's rate, linted, never repeating a line the sequence already said (`avoid`), the product
named at most twice. The problem stage's bank has no product slot, so the first impression cannot name it; only
the recap closes on a call to action. Facet scenes say the claims the caller hands in (what the person has not
been shown yet), so the sequence allocates facets and the engine words them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from .claims import Claim
from .engine import BEATS, CopyContext, SceneCopy, _Writer
from .frameworks import Line

STAGES = ("problem", "new_routine", "lifestyle", "recap")
_CAPTION_ONLY: list[Line] = [("any", "", "{short}")]

# (tone, narration, on-screen), as in frameworks.py. Lines without personal slots serve generic plans.
HOOKS: dict[str, dict[str, list[Line]]] = {
    "en": {
        "problem": [("any", "Short on time for {topic}?", "Short on time?"),
                    ("calm", "{Moment} deserves better.", "{Moment}, better"),
                    ("any", "Is {moment} harder than it should be?", "Sound familiar?"),
                    ("any", "Short on time again?", "Short on time?"), ("any", "Sound familiar?", "Sound familiar?")],
        "new_routine": [("any", "A new routine for {moment}.", "A new routine"),
                        ("any", "A day with {name}.", "A day with {name}"),
                        ("punchy", "See {name} in action.", "See it in action"),
                        ("any", "Your new routine starts here.", "A new routine")],
        "lifestyle": [("any", "Built for what {people} need.", "Built for {people}"),
                      ("any", "More {topic}, less hassle.", "More {topic}"),
                      ("any", "Made for good days {place}.", "Made for good days"),
                      ("any", "Built for real days.", "Built for real days")],
        "recap": [("any", "Still thinking about {name}?", "Still thinking about it?"),
                  ("any", "Remember {name}?", "Remember it?"), ("any", "Still thinking about it?", "Still thinking?"),
                  ("any", "Here it is, in short.", "In short")],
    },
    "zh": {
        "problem": [("any", "爱{topic}，却总是没时间？", "爱{topic}吗？"), ("any", "{moment}，可以更好。", "可以更好"),
                    ("any", "总有点麻烦？", "总有点麻烦？")],
        "new_routine": [("any", "{topic}的新日常。", "新日常"), ("any", "和{name}的一天。", "新日常"),
                        ("any", "新的日常，从这开始。", "新日常")],
        "lifestyle": [("any", "为{people}而做。", "为{people}而做"), ("any", "更多{topic}，更少麻烦。", "更多{topic}"),
                      ("any", "为好日子而做。", "为好日子而做")],
        "recap": [("any", "还在想{name}？", "还在想它？"), ("any", "一句话说清{name}。", "一句话说清")],
    },
}

STORY: dict[str, dict[str, list[Line]]] = {
    "en": {
        "problem": [("any", "It starts with {moment}.", "{Moment}"), ("any", "Picture {object}.", "{Object}"),
                    ("any", "{People} know the feeling.", "Sound familiar?"),
                    ("any", "The old way slows you down.", "The old way"),
                    ("any", "Small things pile up.", "It adds up"),
                    ("any", "Some gear gets in the way.", "In the way"),
                    ("any", "Every minute counts.", "Every minute"),
                    ("any", "You know how it goes.", "Sound familiar?")],
        "new_routine": [("any", "Ready when you {verb}.", "Ready {place}"), ("any", "Right there {place}.", "Right there"),
                        ("any", "Less fuss, more {topic}.", "Less fuss"), ("any", "Made for {moment}.", "Made for it"),
                        ("any", "It fits right into your day.", "Fits your day"),
                        ("any", "Same day, a better start.", "A better start"),
                        ("any", "One step at a time.", "Step by step"), ("any", "Less fuss, every day.", "Every day")],
        "lifestyle": [("any", "Good days {place}.", "Good days"), ("any", "Made for {people} and friends.", "Share it"),
                      ("any", "More time for {topic}.", "More {topic}"),
                      ("any", "Back to what you love.", "Back to what you love"),
                      ("any", "Good days are better shared.", "Better shared"),
                      ("any", "Weekends feel longer.", "Longer weekends"),
                      ("any", "Made for mornings like this.", "Mornings like this")],
        "recap": [("any", "Made for {people} like you.", "Made for you"), ("any", "All set for {moment}.", "All set"),
                  ("any", "{Moment}, your way.", "Your way"), ("any", "One less thing on your list.", "One less thing"),
                  ("any", "Everything you saw, in one place.", "All in one place")],
    },
    "zh": {
        "problem": [("any", "从{moment}开始。", "{moment}"), ("any", "老办法太慢。", "老办法"), ("any", "小事一件件堆起来。", "积少成多")],
        "new_routine": [("any", "随手就用。", "随手可用"), ("any", "{place}也行。", "{place}"), ("any", "自然融入一天。", "融入日常")],
        "lifestyle": [("any", "好日子，值得分享。", "值得分享"), ("any", "回到你爱的事。", "回到热爱")],
        "recap": [("any", "属于你的节奏。", "你的节奏")],
    },
}

CLOSE: dict[str, dict[str, list[Line]]] = {
    "en": {
        "problem": [("any", "There is a better way.", "A better way is coming"),
                    ("any", "Something better is on its way.", "Coming soon")],
        "new_routine": [("any", "That is {moment}, upgraded.", "Upgraded"), ("any", "{Moment}, sorted.", "Sorted"),
                        ("any", "One less thing on your list.", "One less thing")],
        "lifestyle": [("any", "Back to what you love.", "Back to what you love"),
                      ("any", "More of the days you love.", "More good days")],
    },
    "zh": {
        "problem": [("any", "明天可以不一样。", "更好的方式就要来了")],
        "new_routine": [("any", "{moment}，更省心。", "更省心"), ("any", "少一件烦心事。", "少一件烦心事")],
        "lifestyle": [("any", "回到你爱的事。", "回到热爱"), ("any", "好日子更多一点。", "更多好日子")],
    },
}


def write_arc(ctx: CopyContext, stage: str, durations: Sequence[float], *, facet_scenes: Sequence[bool] = (),
              claims: Sequence[Claim] = (), avoid: Sequence[str] = (), seed: int = 0) -> list[SceneCopy]:
    """One SceneCopy per duration: the stage's hook, story or claim lines, and its close.

    `facet_scenes[k]` marks middle scenes that should say a claim (taken from `claims` in order; the recap says
    claims in every middle scene it can); `avoid` is what the sequence already said."""
    if stage not in STAGES:
        raise ValueError(f"arc stage: {stage!r} is not one of {', '.join(STAGES)}")
    lang = "zh" if ctx.language == "zh" else "en"
    rng = random.Random(f"arc:{seed}:{stage}:{ctx.product.product_id}:{ctx.topic}")
    w = _Writer(ctx, rng, avoid)
    w.shown = {a for a in avoid if a}
    w.claims = [] if stage == "problem" else list(claims)
    n = len(durations)
    out = [_line(w, HOOKS[lang][stage], durations[0], "hook", hook=True)]
    story = list(STORY[lang][stage])  # each story line at most once per impression
    for k in range(1, n - 1):
        wants_claim = stage == "recap" or (k < len(facet_scenes) and facet_scenes[k])
        copy = None
        if wants_claim and w.claims:
            # a claim the voice cannot say (a bare price) is still shown in the recap: caption only, in its turn
            shown_only = stage == "recap" and not w.claims[0].text
            copy = w.claim_line("claim", durations[k], _CAPTION_ONLY if shown_only else BEATS[lang]["claim"])
            if copy is None and stage == "recap":
                copy = w.claim_line("claim", durations[k], _CAPTION_ONLY)
        out.append(copy or _story(w, story, durations[k]))
    if n > 1:
        out.append(_recap_close(w, durations[-1]) if stage == "recap" else
                   _line(w, CLOSE[lang][stage], durations[-1], "close"))
    return out


def _line(w: _Writer, bank: list[Line], seconds: float, beat: str, hook: bool = False) -> SceneCopy:
    got = w.line(bank, seconds, kinds=("hook" if hook else "narration", "on_screen"), need_narration=hook)
    return SceneCopy(beat, got[0], got[1], None, got[2]) if got else SceneCopy(beat)


def _story(w: _Writer, bank: list[Line], seconds: float) -> SceneCopy:
    """The next story line (a fresh personal cue first); its template is used up, so no two scenes share a frame
    ('Picture the trail.' / 'Picture the knees.'). A scene with nothing left is a silent picture beat."""
    values = w.slots()
    for entry in sorted(bank, key=lambda e: (w.repeats(e, values), 0 if w.personal_entry(e, values) else 1)):
        got = w.line([entry], seconds)
        if got and (got[0] or got[1]):
            bank.remove(entry)
            return SceneCopy("story", got[0], got[1], None, got[2])
    return SceneCopy("story")


def _recap_close(w: _Writer, seconds: float) -> SceneCopy:
    """The only call to action of the sequence: a closing line and the CTA caption."""
    lang = "zh" if w.ctx.language == "zh" else "en"
    got = w.line(BEATS[lang]["close"], seconds)
    cta = w.line(BEATS[lang]["cta"], seconds, kinds=("narration", "cta"))
    return SceneCopy("close", got[0] if got else "", cta[1] if cta else w.ctx.product.name)
