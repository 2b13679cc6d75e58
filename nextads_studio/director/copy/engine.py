"""The copy engine: every line of scene text the offline stages write comes from here.

`write_scenes` writes a whole ad (PCG or PCI) for given scene lengths and a framework; `rewrite_line` gives the
Reflector one new line for a scene; `variant_lines` gives evolution a hook and a facet line for a variant. Each
line is chosen from the framework's bank, filled with grammatical forms, checked to fit its scene at the voice's
measured rate, never repeated, the brand spoken at most twice, and linted; a plan never carries a lint finding.
"""

from __future__ import annotations

import functools
import random
import re
import string
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ...schemas.common import count_words
from ...schemas.product import Product
from ...schemas.profile import Interest
from ..sensitive import find_sensitive
from . import timing
from .claims import Claim, product_claims, rank_claims
from .frameworks import (
    BEATS,
    BY_NAME,
    FRAMEWORKS,
    HOOKS,
    ORDINALS,
    PCI_BEATS,
    PCI_FRAMEWORKS,
    SERVES_INTEREST,
    SERVICE_FRAMEWORKS,
    SHOWN_CLAIM,
    Framework,
    Line,
)
from .lexicon import PRODUCT_EN, PRODUCT_ZH, Forms, forms_for, personal_objects
from .lint import CopyLine, _count_terms, _names, is_repeat, lint

MAX_NAME_MENTIONS = 2
_PERSONAL_SLOTS = {"topic", "Topic", "moment", "Moment", "people", "People", "place", "verb", "object", "Object",
                   "with_object"}
# heads of the person's nouns that are places: "right there at the reservoir" / "on the canal walk", not "with"
_AT = frozenset("""reservoir marsh estuary weir lake beach park garden allotment kitchen workshop studio gym office desk
harbour harbor bay summit mountain forest wood woods campsite field shore coast island pool court club cafe café counter
market library station city town bridge hide table workbench wall crag lido valley moor fen meadow wetland wetlands
reserve range pitch""".split())
_ON = frozenset("walk loop path trail ride commute route hike ridge mat track slope bike boat ferry train canal river"
                .split())
_FORMATTER = string.Formatter()


@dataclass
class CopyContext:
    """What the copy may draw on. Personal forms only when the plan is personal."""

    product: Product
    language: str = "en"
    personal: bool = False
    topic: str = ""
    forms: Forms = PRODUCT_EN
    objects: list[str] = field(default_factory=list)
    tone: str = "plain"
    claims: list[Claim] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    hook_style: str = ""  # a learned hook family the hook should follow ('' = any)
    serves: bool = True  # the product is of the interest's field (see frameworks.SERVES_INTEREST)


@dataclass
class SceneCopy:
    beat: str
    narration: str = ""
    on_screen: str = ""
    claim_source: str | None = None
    cues: list[str] = field(default_factory=list)


def copy_context(product: Product, *, language: str = "en", interest: Interest | None = None,
                 personal: bool = False, tone: str = "plain", preferred_points: Sequence[str] = (),
                 blocked: Sequence[str] = (), product_topics: Sequence[str] = ()) -> CopyContext:
    """Forms, concrete nouns and ranked claims for one product (and, when personal, one interest)."""
    lang = "zh" if language == "zh" else "en"
    topic, forms = forms_for(interest if personal else None, lang, list(product_topics), list(blocked))
    objects = personal_objects(interest, topic, lang, list(blocked)) if personal else []
    sources = [f"selling_points[{product.selling_points.index(p)}]" for p in preferred_points
               if p in product.selling_points]
    claims = rank_claims(product_claims(product, lang), sources)
    if not (personal and topic):
        topic, forms, objects = "", (PRODUCT_ZH if lang == "zh" else PRODUCT_EN), []
    return CopyContext(product=product, language=lang, personal=personal and bool(topic), topic=topic,
                       forms=forms, objects=objects, tone=tone, claims=claims, blocked=list(blocked),
                       serves=serves_interest(product, topic, forms))


def serves_interest(product: Product, topic: str, forms: Forms) -> bool:
    """Whether the product is of the interest's field: the interest's topic is among the product's main topics,
    or the person's own word for it ('pottery') is in the product's text. A product that only sits beside the
    interest (a throw for a gardener) must not be said to make it easier."""
    if not topic:
        return True
    if topic.startswith("own:"):
        from ..matching import product_text

        return bool(re.search(rf"\b{re.escape(forms.topic.lower())}", product_text(product).lower()))
    from ..matching import product_topics

    weights = product_topics(product)
    return bool(weights) and weights.get(topic, 0.0) >= max(weights.values()) - 1e-9


def framework_order(task: str, seed: int, used: Sequence[str], ctx: CopyContext) -> list[Framework]:
    """Frameworks in the order to try: unused first, starting at a seed-dependent place; skip those the record
    cannot carry (three reasons need three claims, a fact-led hook a number)."""
    pool = PCI_FRAMEWORKS if task == "pci" else FRAMEWORKS
    # a stable start per (seed, product, theme) so different pairs open differently, yet replays are identical
    start = zlib.crc32(f"{seed}|{ctx.product.product_id}|{ctx.topic}".encode()) % len(pool)
    rotated = list(pool[start:] + pool[:start])
    usable = [f for f in rotated if _usable(f, ctx)]
    fresh = [f for f in usable if f.name not in used]
    recent = [f for f in sorted(usable, key=lambda f: _last_use(f.name, used)) if f not in fresh]
    return fresh + recent


def _last_use(name: str, used: Sequence[str]) -> int:
    return max((i for i, u in enumerate(used) if u == name), default=-1)


_PROOF = re.compile(r"\b(ratings?|rated|reviews?|stars?|customers|users|downloads|sold|awards?|bestsell\w*|"
                    r"\d[\d,.]*\s*(million|k|m)\b)|评分|好评|用户|销量|获奖", re.I)


def _is_proof(claim: Claim) -> bool:
    """A claim that is evidence of other people's choice (a rating, reviews, users, sales, an award)."""
    return bool(_PROOF.search(f"{claim.source} {claim.text} {claim.short}"))


def _usable(f: Framework, ctx: CopyContext) -> bool:
    spoken = [c for c in ctx.claims if c.text and c.spoken_language == ctx.language]
    if ctx.personal and not ctx.serves and f.name in SERVICE_FRAMEWORKS:
        return False
    if f.name == "social_proof":  # popularity is said only from the record's own evidence, never invented
        return any(_is_proof(c) for c in ctx.claims)
    if f.name == "three_reasons":
        return len([c for c in ctx.claims if c.short]) >= 3
    if f.name == "fact_led":
        return any(re.search(r"\d", c.text) and timing.fits(c.text, 2, ctx.language) for c in spoken)
    return True


class _Writer:
    """Picks lines one at a time, remembering what the ad already says."""

    def __init__(self, ctx: CopyContext, rng: random.Random, avoid: Sequence[str] = ()):
        self.ctx, self.rng = ctx, rng
        self.spoken: set[str] = {a for a in avoid if a}
        self.shown: set[str] = set()
        self.names = 0
        self.claims = list(ctx.claims)
        self.ordinal = 0
        self.used_cues: set[str] = set()
        self.used_templates: set[str] = set()  # "Picture {object}." once an ad, whatever the object
        self.terms = _names(ctx.product)

    def slots(self, claim: Claim | None = None) -> dict[str, str]:
        f, p, zh = self.ctx.forms, self.ctx.product, self.ctx.language == "zh"
        personal = self.ctx.personal
        # the person's most characteristic nouns first (the list is ranked), a little variety among the top three
        fresh = [o for o in self.ctx.objects if o not in self.used_cues and not any(o in a for a in self.spoken)]
        obj = self.rng.choice(fresh[:3] or self.ctx.objects) if self.ctx.objects else ""
        values = {"name": p.name, "slogan": p.slogan if p.slogan and (bool(_CJK.search(p.slogan)) == zh) else ""}
        if personal:
            values.update(topic=f.topic, Topic=_cap(f.topic), moment=f.moment, Moment=_cap(f.moment),
                          people=f.people, People=_cap(f.people), place=f.place, verb=f.verb, object=obj,
                          Object=_cap(obj), with_object=_with(obj))
        if claim is not None:
            values.update(claim=claim.text if claim.spoken_language == self.ctx.language else "",
                          short=claim.short)
        return values

    def fill(self, template: str, values: dict[str, str]) -> str | None:
        fields = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
        if any(not values.get(name) for name in fields):
            return None
        # the banks are ours; only slot values can carry a sensitive theme, so those are checked (once each)
        if any(_sensitive(values[name]) for name in fields):
            return None
        text = template.format(**{k: values.get(k, "") for k in fields}).strip()
        if any(b and b.lower() in text.lower() for b in self.ctx.blocked):
            return None
        return text

    def ok_spoken(self, text: str, seconds: float, kind: str) -> bool:
        if not text:
            return True
        if is_repeat(text, self.spoken) or not timing.fits(text, seconds, self.ctx.language):
            return False
        mentions = _count_terms(text, self.terms)
        if mentions and self.names + mentions > MAX_NAME_MENTIONS:
            return False
        return self._clean(text, kind)

    def ok_shown(self, text: str, kind: str) -> bool:
        if not text:
            return True
        return not is_repeat(text, self.shown) and count_words(text) <= 8 and self._clean(text, kind)

    def _clean(self, text: str, kind: str) -> bool:
        return _line_clean(text, kind, self.ctx.language, self.ctx.product)

    def take(self, narration: str, on_screen: str) -> None:
        if narration:
            self.spoken.add(narration)
            self.names += _count_terms(narration, self.terms)
        if on_screen:
            self.shown.add(on_screen)

    def line(self, bank: list[Line], seconds: float, *, kinds=("narration", "on_screen"), claim: Claim | None = None,
             need_narration: bool = False) -> tuple[str, str, list[str]] | None:
        """The first bank entry (tone first, then shuffled) whose lines fill, fit and are new."""
        entries = list(bank)
        self.rng.shuffle(entries)
        values = self.slots(claim)
        # a personal plan leads with lines that carry a personal cue, fresh ones first; then the profile's tone
        # ... and among those, the person's own nouns ('the ridge trail') before words any fan of the topic shares
        entries.sort(key=lambda e: (self.repeats(e, values), 0 if self.personal_entry(e, values) else 1,
                                    0 if self.own_noun(e, values) else 1,
                                    0 if e[0] == self.ctx.tone else 1 if e[0] == "any" else 2))
        if claim is not None:
            values["n"] = ORDINALS[self.ctx.language][self.ordinal % 6]
        if self.ctx.personal and not self.ctx.serves:
            entries = [e for e in entries if e[1] not in SERVES_INTEREST]
        for silent_ok in (False, True):  # first look for a line that is spoken too; then allow a silent scene
            for _tone, n_t, s_t in entries:
                if n_t and n_t in self.used_templates:
                    continue
                narration = self.fill(n_t, values) if n_t else ""
                on_screen = self.fill(s_t, values) if s_t else ""
                if narration is None or on_screen is None or (need_narration and not narration):
                    continue
                if not self.ok_shown(on_screen, kinds[1]):
                    continue
                if not self.ok_spoken(narration, seconds, kinds[0]):
                    if not silent_ok or need_narration or not on_screen:
                        continue
                    narration = ""  # keep the on-screen line, stay silent rather than overrun
                self.take(narration, on_screen)
                if narration and {n for _, n, _, _ in _FORMATTER.parse(n_t) if n} & {"object", "Object", "with_object"}:
                    self.used_templates.add(n_t)
                cues = self.cues((n_t if narration else "") + " " + s_t, values)
                self.used_cues.update(cues)
                return narration, on_screen, cues
        return None

    def personal_entry(self, entry: Line, values: dict[str, str]) -> bool:
        return self.ctx.personal and bool(self.cues(entry[1] + " " + entry[2], values))

    def own_noun(self, entry: Line, values: dict[str, str]) -> bool:
        return bool(values.get("object")) and values["object"] in self.cues(entry[1] + " " + entry[2], values)

    def repeats(self, entry: Line, values: dict[str, str]) -> int:
        """How many of this entry's personal cues the ad already used (fresh cues read better)."""
        return sum(1 for c in self.cues(entry[1] + " " + entry[2], values) if c in self.used_cues)

    def cues(self, template: str, values: dict[str, str]) -> list[str]:
        fields = {name for _, name, _, _ in _FORMATTER.parse(template) if name}
        return [values[f] for f in ("topic", "moment", "object", "people", "place") if f in fields
                or f.capitalize() in fields or (f == "object" and "with_object" in fields) if values.get(f)]

    def claim_line(self, beat: str, seconds: float, bank: list[Line], prefer=None) -> SceneCopy | None:
        """The first claim (in rank order; those `prefer` accepts first) that can be spoken in this scene; else
        the first that can be shown."""
        lang = self.ctx.language
        order = sorted(self.claims, key=lambda c: 0 if prefer is None or prefer(c) else 1)
        for need_narration in (True, False):
            for claim in order:
                # a claim the record words in another language is shown in its wording, never spoken
                own = claim.text and claim.spoken_language == lang
                lines = bank if own else [e for e in SHOWN_CLAIM[lang] if claim.short]
                if own and not need_narration and claim.short:  # too long to say here: point at it on screen
                    lines = [*bank, *SHOWN_CLAIM[lang]]
                got = self.line(lines, seconds, claim=claim, need_narration=need_narration)
                if own and claim.tight and not (got and got[0]):  # the same point, said shorter
                    got = self.line(lines, seconds, claim=replace(claim, text=claim.tight),
                                    need_narration=need_narration) or got
                if got and (got[0] or got[1]):
                    self.claims.remove(claim)
                    self.ordinal += beat == "reason"
                    return SceneCopy(beat, got[0], got[1], claim.source, [])
        return None


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CLEAN: dict[tuple, bool] = {}


def _line_clean(text: str, kind: str, language: str, product: Product) -> bool:
    """Lint of one candidate line, remembered per product record (the same lines recur across plans)."""
    key = (text, kind, language, product.product_id, product.name, product.brand, product.slogan, product.intro,
           product.details, tuple(product.selling_points), tuple(product.facts.items()))
    got = _CLEAN.get(key)
    if got is None:
        if len(_CLEAN) > 20000:
            _CLEAN.clear()
        got = _CLEAN[key] = not lint([CopyLine(0, kind, text)], product=product, language=language)
    return got


@functools.lru_cache(maxsize=4096)
def _sensitive(text: str) -> bool:
    return bool(find_sensitive(text))


def _with(obj: str) -> str:
    """'with the tawny owl', 'at the reservoir': the person's noun after "Right there", by what its head is."""
    if not obj or obj[:1] not in "abcdefghijklmnopqrstuvwxyz":  # not an English noun phrase: no slot
        return ""
    head = obj.split()[-1]
    return f"{'at' if head in _AT else 'on' if head in _ON else 'with'} {obj}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def write_pcg(ctx: CopyContext, durations: Sequence[float], framework: Framework, rng: random.Random,
              avoid_hooks: Sequence[str] = ()) -> list[SceneCopy]:
    """Hook, middle beats from the framework, close with a CTA; one SceneCopy per duration."""
    lang = ctx.language
    w = _Writer(ctx, rng, avoid_hooks)
    out: list[SceneCopy] = [_hook(w, framework, durations[0])]
    middles = durations[1:-1]
    beats = [framework.beats[i % len(framework.beats)] for i in range(len(middles))]
    if middles and out[0].claim_source is None and not any(b in ("claim", "reason") for b in beats):
        # a short ad still sells: the last middle beat becomes a claim from the record
        beats[-1] = "claim"
    for i, d in enumerate(middles):
        beat = beats[i]
        bank = BEATS[lang][beat]
        if beat == "proof":  # the record's evidence of other people's choice, said first
            copy = w.claim_line(beat, d, bank, prefer=_is_proof)
        else:
            copy = w.claim_line(beat, d, bank) if beat in ("claim", "reason") else None
        if copy is None:
            for alt in ([beat] if beat not in ("claim", "reason") else []) + ["in_use", "payoff", "reveal"]:
                got = w.line(BEATS[lang][alt], d)
                if got:
                    copy = SceneCopy(alt if alt != beat else beat, *got[:2], None, got[2])
                    break
        out.append(copy or SceneCopy(beat))
    out.append(_close(w, durations[-1], needs_claim=not any(c.claim_source for c in out)))
    return out


def _hook(w: _Writer, framework: Framework, seconds: float) -> SceneCopy:
    lang = w.ctx.language
    if w.ctx.hook_style:  # learned from feedback: any framework's hook of that family, this framework's first
        from ..learned import hook_framework

        names = [framework.name] + [f.name for f in FRAMEWORKS if f.name != framework.name]
        bank = [e for n in names for e in HOOKS[lang][n] if hook_framework(e[1]) == w.ctx.hook_style]
        got = w.line(bank, seconds, kinds=("hook", "on_screen"), need_narration=True) if bank else None
        if got:
            return SceneCopy("hook", got[0], got[1], None, got[2])
    if framework.name == "fact_led":
        for claim in w.claims:
            if claim.spoken_language == lang and re.search(r"\d", claim.text):
                got = w.line(HOOKS[lang]["fact_led"], seconds, kinds=("hook", "on_screen"), claim=claim,
                             need_narration=True)
                if got:
                    w.claims.remove(claim)
                    return SceneCopy("hook", got[0], got[1], claim.source, got[2])
    for name in (framework.name, "question_hook", "routine", "problem_solution", "pov"):
        got = w.line(HOOKS[lang][name], seconds, kinds=("hook", "on_screen"), need_narration=True)
        if got:
            return SceneCopy("hook", got[0], got[1], None, got[2])
    name = w.ctx.product.name
    text = f"认识{name}。" if lang == "zh" else f"Meet {name}."
    w.take(text, name)
    return SceneCopy("hook", text, name)


def _close(w: _Writer, seconds: float, needs_claim: bool = False) -> SceneCopy:
    """Closing line and call to action; an ad that has not said a claim yet says one here (spoken only, the
    screen keeps the call to action)."""
    lang = w.ctx.language
    source = None
    got = None
    if needs_claim:
        claim = w.claim_line("claim", seconds, [("any", "{claim}", "")])
        if claim is not None and claim.narration:
            got, source = (claim.narration, "", []), claim.claim_source
    if got is None and w.names == 0:  # an ad that never said the product's name says it in its close
        got = w.line([e for e in BEATS[lang]["close"] if "{name}" in e[1]], seconds)
    if got is None:
        got = w.line(BEATS[lang]["close"], seconds)
    narration = got[0] if got else ""
    cta = w.line(BEATS[lang]["cta"], seconds, kinds=("narration", "cta"))
    on_screen = cta[1] if cta else w.ctx.product.name
    return SceneCopy("close", narration, on_screen, source, list(got[2]) if got else [])


def write_pci(ctx: CopyContext, durations: Sequence[float], framework: Framework,
              rng: random.Random) -> list[SceneCopy]:
    """In-world copy for an inserted segment: silent open and return, soft lines between, no call to action."""
    lang = ctx.language
    w = _Writer(ctx, rng)
    n = len(durations)
    out: list[SceneCopy] = []
    for i, d in enumerate(durations):
        if i == 0 or i == n - 1:
            out.append(SceneCopy("open" if i == 0 else "return"))
            continue
        beat = framework.beats[(i - 1) % len(framework.beats)]
        bank = PCI_BEATS[lang][beat]
        copy = None
        if beat == "use":
            copy = w.claim_line(beat, d, [e for e in bank if "{claim}" in e[1]])
        if copy is None:
            got = w.line([e for e in bank if "{claim}" not in e[1]], d)
            copy = SceneCopy(beat, got[0], got[1], None, got[2]) if got else SceneCopy(beat)
        copy.on_screen = ""  # in-world: nothing printed over the host's footage
        out.append(copy)
    return out


def write_scenes(ctx: CopyContext, durations: Sequence[float], *, task: str, seed: int,
                 used_frameworks: Sequence[str] = (), avoid_hooks: Sequence[str] = (),
                 framework: str | None = None, hook_style: str = "") -> tuple[Framework, list[SceneCopy]]:
    """The framework chosen (rotating past `used_frameworks`) and the copy for every scene. `hook_style`
    (question / problem / demo / statement, learned from feedback) picks a hook of that family when one fits."""
    ctx.hook_style = hook_style
    order = framework_order(task, seed, used_frameworks, ctx)
    if framework and framework in BY_NAME:
        order = [BY_NAME[framework]] + [f for f in order if f.name != framework]
    chosen = order[0]
    rng = random.Random(f"{seed}:{chosen.name}:{ctx.product.product_id}:{ctx.topic}")
    if task == "pci":
        return chosen, write_pci(ctx, durations, chosen, rng)
    return chosen, write_pcg(ctx, durations, chosen, rng, avoid_hooks)


# --- the Reflector's and evolution's entry points -------------------------------------------------------------
def rewrite_line(ctx: CopyContext, beat: str, seconds: float, *, ad_lines: Sequence[str] = (), seed: int = 0,
                 task: str = "pcg") -> tuple[str, str]:
    """A new (narration, on-screen) pair for one scene's beat that repeats nothing already in the ad."""
    got = rewrite_scene(ctx, beat, seconds, ad_lines=ad_lines, seed=seed, task=task)
    return got.narration, got.on_screen


def rewrite_scene(ctx: CopyContext, beat: str, seconds: float, *, ad_lines: Sequence[str] = (), seed: int = 0,
                  task: str = "pcg") -> SceneCopy:
    """rewrite_line with the personal cues and the claim source of the new line (for directives that replace a
    scene's words and must keep `personalization_used` and `claim_source` true)."""
    rng = random.Random(f"rewrite:{seed}:{beat}:{ctx.product.product_id}")
    w = _Writer(ctx, rng, ad_lines)
    w.names = sum(_count_terms(t, w.terms) for t in ad_lines)
    w.shown = {t for t in ad_lines if t}
    banks = PCI_BEATS if task == "pci" else BEATS
    if beat == "hook":
        return _hook(w, BY_NAME.get(f"{_hook_framework(seed)}", FRAMEWORKS[0]), seconds)
    if beat in ("claim", "reason", "use"):
        got = w.claim_line(beat, seconds, banks[ctx.language].get(beat, BEATS[ctx.language]["claim"]))
        if got:
            return got
    for name in (beat, "payoff", "in_use", "context", "reveal"):  # the beat's own bank first
        bank = banks[ctx.language].get(name) or BEATS[ctx.language].get(name)
        got = w.line(bank, seconds, need_narration=True) if bank else None
        if got:
            return SceneCopy(name, got[0], got[1], None, got[2])
    return SceneCopy(beat)


def close_line(ctx: CopyContext, seconds: float, *, ad_lines: Sequence[str] = (), seed: int = 0) -> tuple[str, str]:
    """A closing (narration, call to action) for the last scene that repeats nothing in the ad: the record's price
    when it has one, else a closing line; the on-screen call to action names the product."""
    rng = random.Random(f"close:{seed}:{ctx.product.product_id}")
    w = _Writer(ctx, rng, ad_lines)
    w.names = sum(_count_terms(t, w.terms) for t in ad_lines)
    w.shown = {t for t in ad_lines if t}
    w.claims = [c for c in w.claims if c.source.startswith("facts.price")]
    said = w.claim_line("claim", seconds, [("any", "{claim}", "")])
    narration = said.narration if said else ""
    if not narration:
        got = w.line(BEATS[ctx.language]["close"], seconds)
        narration = got[0] if got else ""
    cta = w.line(BEATS[ctx.language]["cta"], seconds, kinds=("narration", "cta"))
    return narration, cta[1] if cta else ""


def _hook_framework(seed: int) -> str:
    return FRAMEWORKS[seed % len(FRAMEWORKS)].name


HOOK_STYLE_FRAMEWORK = {"question": "question_hook", "problem": "problem_solution", "demo": "fact_led",
                        "statement": "pov"}


def variant_lines(ctx: CopyContext, *, hook_style: str, facet: str = "", seconds: float = 2.0,
                  facet_seconds: float = 3.0, avoid: Sequence[str] = (), seed: int = 0) -> dict[str, str]:
    """Hook and facet lines for an evolution variant: {'hook', 'hook_text', 'facet', 'facet_text',
    'facet_source'}. The hook follows the hook style's framework; the facet line leads with the claim that
    mentions `facet` (a selling point or fact key), compressed to fit."""
    rng = random.Random(f"variant:{seed}:{hook_style}:{facet}:{ctx.product.product_id}:{ctx.topic}")
    w = _Writer(ctx, rng, avoid)
    fw = BY_NAME.get(HOOK_STYLE_FRAMEWORK.get(hook_style, hook_style), FRAMEWORKS[0])
    hook = _hook(w, fw, seconds)
    facet_l = facet.lower()
    w.claims.sort(key=lambda c: 0 if facet_l and (facet_l in c.source.lower() or facet_l in (c.text + c.short)
                                                  .lower()) else 1)
    got = w.claim_line("claim", facet_seconds, BEATS[ctx.language]["claim"])
    return {"hook": hook.narration, "hook_text": hook.on_screen, "facet": got.narration if got else "",
            "facet_text": got.on_screen if got else "", "facet_source": got.claim_source or "" if got else ""}
