"""Copy frameworks and their line banks, in English and Chinese.

A framework is a hook family plus the order of the middle beats. Lines are short on purpose: a 2 s scene holds
about six spoken English words (four Mandarin characters with the espeak-ng voice), a 3 s scene about ten (eight).
Slots ask for grammatical forms from the lexicon: {topic} {Topic} {moment} {Moment} {people} {place} {verb}
{object} {Object}, product slots {name} and claims {claim} {short} {n}. A template whose slot is empty is skipped,
so generic plans only use lines without personal slots.

Tones: each line is tagged punchy (energetic, playful), calm (calm, premium, warm) or plain (informative); a
line tagged "any" suits every tone. The engine prefers the profile's tone and falls back to "any".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Framework:
    name: str
    beats: tuple[str, ...]   # the middle beats, cycled to fill the scenes between hook and close
    label: str


FRAMEWORKS: tuple[Framework, ...] = (
    Framework("problem_solution", ("problem", "reveal", "claim", "in_use", "claim", "payoff"), "problem → solution"),
    Framework("before_after", ("before", "after", "claim", "in_use", "claim", "payoff"), "before / after"),
    Framework("pov", ("context", "in_use", "claim", "payoff", "claim", "in_use"), "POV"),
    Framework("three_reasons", ("reason", "reason", "reason", "payoff", "in_use", "claim"), "3 reasons"),
    Framework("question_hook", ("context", "reveal", "claim", "in_use", "claim", "payoff"), "question hook"),
    Framework("fact_led", ("reveal", "claim", "in_use", "claim", "payoff", "claim"), "fact-led hook"),
    Framework("routine", ("context", "in_use", "claim", "payoff", "claim", "in_use"), "day in the life"),
    Framework("social_proof", ("proof", "claim", "claim", "in_use", "payoff", "claim"), "social proof"),
)
PCI_FRAMEWORKS: tuple[Framework, ...] = (
    Framework("cameo", ("bridge", "use", "use"), "in-world cameo"),
    Framework("helper", ("bridge", "use", "detail"), "quiet helper"),
    Framework("detail", ("detail", "bridge", "use"), "close detail"),
)
BY_NAME = {f.name: f for f in FRAMEWORKS + PCI_FRAMEWORKS}

# (tone, narration, on-screen). Either may be "" (no line of that kind from this entry).
Line = tuple[str, str, str]

HOOKS: dict[str, dict[str, list[Line]]] = {
    "en": {
        "problem_solution": [("punchy", "{Topic} just got easier.", "{Topic}, easier"),
                             ("calm", "Make {moment} easier.", "{Moment}, easier"),
                             ("any", "{Topic}, minus the hassle.", "{Topic}, no hassle"),
                             ("any", "Made to take the hassle out.", "No more hassle")],
        "before_after": [("any", "{Topic}: before and after.", "Before / after"),
                         ("any", "Before and after {name}.", "Before / after")],
        "pov": [("punchy", "POV: {moment}.", "POV: {moment}"), ("calm", "POV: {moment}, slowed down.", "POV"),
                ("any", "POV: you love {topic}.", "POV: you love {topic}"),
                ("any", "POV: you just found {name}.", "POV: you found it")],
        "three_reasons": [("any", "Three reasons {people} love this.", "3 reasons"),
                          ("any", "Three reasons it suits {topic}.", "3 reasons for {topic}"),
                          ("any", "Three reasons to look closer.", "3 reasons")],
        "question_hook": [("punchy", "Love {topic}? Watch this.", "Love {topic}?"),
                          ("calm", "Into {topic}? Stay a second.", "Into {topic}?"),
                          ("plain", "Heading {place} soon?", "Heading {place}?"),
                          ("any", "What makes {name} different?", "What makes it different?")],
        "fact_led": [("any", "{claim}", "{short}")],
        "routine": [("any", "A day of {topic}.", "A day of {topic}"), ("any", "Picture {object}.", "{Object}"),
                    ("any", "A day with {name}.", "A day with {name}"),
                    ("punchy", "Watch {moment} come together.", "Watch this"),
                    ("any", "See {name} in action.", "See it in action"),
                    ("any", "See it in action.", "In action")],
        "social_proof": [("any", "Built for what {people} need.", "Built for {people}"),
                         ("any", "Made with {topic} in mind.", "Made for {topic}"),
                         ("any", "Built for real days.", "Built for real days")],
    },
    "zh": {
        "problem_solution": [("any", "{topic}更轻松。", "{topic}更轻松"), ("any", "{topic}省心。", "{topic}，省心"),
                             ("any", "省心多了。", "省心多了")],
        "before_after": [("any", "{topic}，用前用后。", "{topic}：用前 / 用后"), ("any", "用前用后。", "用前 / 用后")],
        "pov": [("any", "这是{moment}。", "{moment}"), ("any", "{topic}视角。", "{topic}视角"),
                ("any", "换个视角。", "换个视角")],
        "three_reasons": [("any", "爱{topic}的三个理由。", "三个理由"), ("any", "三个理由。", "三个理由")],
        "question_hook": [("any", "爱{topic}吗？", "爱{topic}吗？"), ("any", "想试试吗？", "想试试吗？")],
        "fact_led": [("any", "{claim}", "{short}")],
        "routine": [("any", "{topic}的一天。", "{topic}的一天"), ("any", "平常的一天。", "平常的一天")],
        "social_proof": [("any", "为{people}而做。", "为{people}而做"), ("any", "为{topic}而做。", "为{topic}而做"),
                         ("any", "为日常而做。", "为日常而做")],
    },
}

BEATS: dict[str, dict[str, list[Line]]] = {
    "en": {
        "context": [("any", "Picture {object}.", "{Object}"), ("any", "It starts with {moment}.", "{Moment}"),
                    ("calm", "Think of {moment}.", "{Moment}"), ("any", "It starts with {topic}.", "{Topic}")],
        "problem": [("any", "{Moment} should not feel like a chore.", "No more chores"),
                    ("any", "The old way slows you down.", "A better way"),
                    ("any", "Some gear gets in the way.", "A better way")],
        "before": [("any", "Before, you made do.", "Before"), ("any", "Before: making do.", "Before")],
        "after": [("any", "Now {moment} feels easier.", "After"),
                  ("any", "Now it simply fits.", "After")],
        "reveal": [("punchy", "Meet {name}.", "{name}"), ("calm", "This is {name}.", "{name}"),
                   ("any", "Say hello to {name}.", "{name}"), ("any", "Here it is.", "{name}")],
        "claim": [("any", "{claim}", "{short}")],
        "reason": [("any", "{claim}", "{n}. {short}")],
        "proof": [("any", "{claim}", "{short}")],  # the record's evidence (a rating, reviews), never invented
        "in_use": [("any", "Ready when you {verb}.", "Ready {place}"), ("any", "Right there {place}.", "Right there"),
                   ("any", "Ready when you are.", "Ready when you are"),
                   ("any", "Made for {topic}.", "Made for {topic}"), ("any", "Right there {with_object}.", "{Object}"),
                   ("any", "It fits right into your day.", "Fits your day"),
                   ("any", "Part of {moment}.", "Part of {moment}")],
        "payoff": [("any", "{Moment}, sorted.", "{Moment}, sorted"),
                   ("any", "More time for {topic}.", "More time for {topic}"),
                   ("any", "Back to what you love.", "Back to what you love"),
                   ("any", "One less thing on your list.", "One less thing"),
                   ("calm", "That is {moment}, upgraded.", "Upgraded"),
                   ("any", "Here is to {moment}.", "Here's to {moment}")],
        "close": [("any", "{slogan}", ""), ("any", "Try {name} today.", ""), ("any", "Try it today.", ""),
                  ("any", "Ready for {moment}?", ""),
                  ("any", "See it for yourself.", "")],
        "cta": [("any", "", "Get {name} today"), ("any", "", "Try {name} now"), ("any", "", "Discover {name}"),
                ("any", "", "Shop {name}")],
    },
    "zh": {
        "context": [("any", "想想{object}。", "{object}"), ("any", "从{moment}开始。", "{moment}"),
                    ("any", "说到{topic}。", "{topic}")],
        "problem": [("any", "总有点麻烦。", "有更好的办法"), ("any", "老办法太慢。", "换个办法")],
        "before": [("any", "以前将就。", "以前")],
        "after": [("any", "现在刚好。", "现在"), ("any", "省心多了。", "现在")],
        "reveal": [("any", "认识{name}。", "{name}"), ("any", "就是它。", "{name}")],
        "claim": [("any", "{claim}", "{short}")],
        "reason": [("any", "{claim}", "{n}. {short}")],
        "proof": [("any", "{claim}", "{short}")],
        "in_use": [("any", "随手就用。", "随手可用"), ("any", "{place}也行。", "{place}"),
                   ("any", "{topic}也用得上。", "{topic}也用得上"), ("any", "带上它去{topic}。", "带去{topic}")],
        "payoff": [("any", "刚刚好。", "刚刚好"), ("any", "轻松多了。", "轻松多了"),
                   ("any", "更多时间给{topic}。", "更多{topic}时间")],
        "close": [("any", "{slogan}", ""), ("any", "现在就试试。", ""), ("any", "去看看吧。", ""),
                  ("any", "试试{name}。", "")],
        "cta": [("any", "", "立即了解{name}"), ("any", "", "现在就试试{name}"), ("any", "", "点击了解{name}")],
    },
}

# Lines that say the product makes the person's activity easier, or was made for it: true when the product is
# of that activity's field (a drill for woodworking), false for a product that only sits beside it in the
# person's life (a linen throw for a houseplant keeper: "Gardening, minus the hassle" claims what it cannot).
# The engine skips them unless the product serves the interest.
SERVES_INTEREST: frozenset[str] = frozenset({
    "{Topic} just got easier.", "Make {moment} easier.", "{Topic}, minus the hassle.", "{Topic}: before and after.",
    "Three reasons it suits {topic}.", "Made with {topic} in mind.", "{Moment} should not feel like a chore.",
    "Now {moment} feels easier.", "Made for {topic}.", "Ready when you {verb}.", "{Moment}, sorted.",
    "More time for {topic}.", "Ready for {moment}?", "Three reasons {people} love this.", "Built for what {people} need.",
    "为{people}而做。",
    "{topic}更轻松。", "{topic}省心。", "{topic}，用前用后。", "为{topic}而做。", "{topic}也用得上。", "带上它去{topic}。",
    "更多时间给{topic}。",
})
# frameworks whose arc is the activity made easier: only for a product that serves the interest
SERVICE_FRAMEWORKS = frozenset({"problem_solution", "before_after"})

PCI_BEATS: dict[str, dict[str, list[Line]]] = {
    "en": {
        "bridge": [("any", "{name} was right there.", ""), ("any", "A small detail: {name}.", ""),
                   ("any", "Just within reach.", "")],
        "use": [("any", "{claim}", ""), ("any", "It fits the moment.", ""), ("any", "Part of the scene.", "")],
        "detail": [("any", "Look a little closer.", ""), ("any", "A quiet detail.", "")],
        "open": [("any", "", "")],
        "return": [("any", "", "")],
    },
    "zh": {
        "bridge": [("any", "{name}，就在这。", ""), ("any", "一直都在。", "")],
        "use": [("any", "{claim}", ""), ("any", "刚好用上。", ""), ("any", "融入此刻。", "")],
        "detail": [("any", "再看一眼。", ""), ("any", "小小细节。", "")],
        "open": [("any", "", "")],
        "return": [("any", "", "")],
    },
}

# A claim the record words in another language than the ad's: shown in the record's wording, with a spoken line
# in the ad's language that points at it.
SHOWN_CLAIM: dict[str, list[Line]] = {
    "en": [("any", "Take a closer look.", "{short}"), ("any", "Look at the details.", "{short}"),
           ("any", "Worth a closer look.", "{short}"), ("any", "Here is the detail.", "{short}"),
           ("any", "", "{short}")],
    "zh": [("any", "看看这一点。", "{short}"), ("any", "细节都在这里。", "{short}"), ("any", "仔细看看。", "{short}"),
           ("any", "看细节。", "{short}"), ("any", "就是这点。", "{short}"), ("any", "", "{short}")],
}

# beat -> the storyboard's visual beat (shot goal and visual templates live with the storyboard)
VISUAL_BEAT = {"context": "context", "problem": "tension", "before": "tension", "after": "payoff",
               "reveal": "reveal", "claim": "feature", "reason": "feature", "proof": "feature",
               "in_use": "in_use", "payoff": "payoff"}
ORDINALS = {"en": ["1", "2", "3", "4", "5", "6"], "zh": ["一", "二", "三", "四", "五", "六"]}


def tone_family(tone_tags: list[str]) -> str:
    """punchy / calm / plain from a profile's tone tags."""
    for tag in tone_tags[:2]:
        if tag in ("energetic", "playful", "humorous", "bold", "upbeat"):
            return "punchy"
        if tag in ("calm", "premium", "warm", "cozy", "elegant", "minimal"):
            return "calm"
    return "plain"
