"""Copy lint: the checks a copy editor makes on every line a viewer hears or reads.

One module used in two places: the Director runs it on a plan before returning it (a plan with any finding is
rewritten, never returned), and the Verifier runs it on the text read back from the rendered ad (OCR'd captions,
subtitles, transcribed narration), reporting each finding with its scene and time.

Rules (id, severity):
  fragment (major)           a sentence cut mid-phrase: ends on "and"/"with"/"the", a bare number ("two 2."),
                             a comma, an open bracket, a cut product name, or starts mid-sentence ("0Ah batteries")
  determiner_stack (major)   an article or possessive before another ("Your the outdoors", "Every the ...")
  stacked_nouns (major)      a filled slot stacked on a noun ("your home life days", "movie nights moments")
  agreement (major)          subject-verb agreement ("movie nights looks", "every moments")
  duplicate (major)          the same line twice in one ad (spoken or on screen)
  redundant_brand (major / minor) the name twice in one line ("Meet X from X."); brand spoken more than twice
  mixed_language (major)     two languages inside one line, or a spoken line in the other language than the ad's
  superlative (major)        "best", "#1", "ever", "最好" ... that the product record does not itself claim
  filler (minor)             a line with no content ("You know that moment.", "Not anymore")
  caption_mismatch (major)   a caption that does not say what its narration says
  too_long (major)           narration over 16 words, on-screen text over 8
  placeholder (major)        an unfilled template slot or "None"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from difflib import SequenceMatcher
from typing import Literal

from ...schemas.common import count_words
from ...schemas.product import Product

Kind = Literal["narration", "on_screen", "hook", "cta", "caption"]
Severity = Literal["major", "minor"]
SPOKEN: frozenset[str] = frozenset({"narration", "hook", "caption"})
NARRATION_WORDS, ON_SCREEN_WORDS = 16, 8


@dataclass(frozen=True)
class CopyLine:
    """One line of copy: which scene, what kind, the text, and (for rendered ads) when it shows or is heard."""

    scene: int
    kind: Kind
    text: str
    start: float | None = None
    end: float | None = None


@dataclass(frozen=True)
class LintFinding:
    rule: str
    severity: Severity
    scene: int
    kind: str
    text: str
    message: str
    start: float | None = None
    end: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_TERMINAL = ".!?…。！？"
_DANGLING = frozenset("""and or but nor with for of to from by the a an your my our their its his her every each than
as into onto via per plus is are was were has have who which whose while because if when at about without between among
including whether""".split())
_PREPOSITIONS = frozenset("with for of to from by at about into onto".split())  # "what runners ask for." is fine
_DETERMINERS = r"(?:your|my|our|their|his|her|its|every|each|a|an|the|this|that|these|those|some|any|no)"
_DETERMINER_STACK = re.compile(rf"\b{_DETERMINERS}\s+(?:the|a|an|your|my|our|their|every|each|this|these)\b",
                               re.IGNORECASE)
_STACKED = re.compile(r"\b(?:life|nights|days|moments|mornings|evenings|weekends|outdoors|routine|routines|"
                      r"time|sessions|crafts|tools)\s+(?:days|moments|sessions|routine|mode|time|life|nights)\b",
                      re.IGNORECASE)
_SINGULAR_VERBS = ("looks|feels|gets|makes|starts|is|has|does|needs|goes|runs|counts|matters|comes|takes|works|fits|"
                   "changes|means|lives|begins|deserves|wants|knows|keeps|stays|lasts|sounds|happens|was")
_PLURAL_SUBJECT = re.compile(rf"\b([A-Za-z]+s)\s+({_SINGULAR_VERBS})\b")
_NOT_PLURAL = frozenset("""this its his hers yours ours theirs is was has does always sometimes perhaps whereas
nevertheless as whats thats lets outdoors news series species lens physics mathematics gas bus plus less yes thus us various famous
ones' analysis basis crisis bonus campus focus status chaos canvas atlas iris tennis""".split())
_EVERY_PLURAL = re.compile(r"\b(?:every|each|a|an|one)\s+([a-z]+[^s's]s)\b", re.IGNORECASE)
_SUPERLATIVE = re.compile(r"\b(?:best|greatest|fastest|strongest|lightest|cheapest|smartest|finest|ultimate|"
                          r"unbeatable|unmatched|unrivalled|unrivaled|guaranteed|number one|no\.\s?1|#1|"
                          r"world'?s first|world'?s only|than ever|ever made|ever built|of all time|perfect)\b|#1", re.IGNORECASE)
_ZH_SUPERLATIVE = re.compile(r"最好|最强|最佳|第一|史上|顶级|绝对|无敌|完美|全网最|100%")
_FILLER_WORDS = frozenset("""you know that this it its it's that's there there's is are was be a an the and or but so
just always never one thing things way ways moment moments day days some time times every everyday all right where
need needs it's works work working done well better difference sound sounds familiar not anymore worth feel feels
feeling what again now here more less much very really too simple simply change changes changed big small get got
look looks watch this like yes no oh wow ready made your my our for with to of in on at by up out we us take takes
taking long too easy hard fast slow go goes going start starts""".split())
_ZH_FILLER = ("你一定也遇到过", "似曾相识", "恰到好处", "就是这样", "不一样", "值得拥有", "继续", "感受不同")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}|\bNone\b|\bnan\b|\bnull\b")
_MODEL_WORD = re.compile(r"\b(?:version|series|gen|generation|no|number|level|part|step|chapter|season|episode|"
                         r"mk|model|v|x|pro|max|mini|plus|ultra)\s+\d+\.$", re.IGNORECASE)
_UNITS = frozenset("""mm cm m km g kg mg ml l mah ah wh w kw v hz khz mhz ghz gb tb mb mp fps nm k min h hr hrs hours
usb usb-c ip ipx oled lcd led hdr nfc gps bt ok spf uv ai app wi-fi wifi 4k 8k hd""".split())


def lint(lines: Sequence[CopyLine], *, product: Product | None = None,
         language: str | None = None) -> list[LintFinding]:
    """Every finding for these lines, in scene order. `language` 'zh' or 'en' (detected from the lines if None)."""
    lines = [ln for ln in lines if ln.text and ln.text.strip()]
    lang = language or _detect(ln.text for ln in lines)
    names = _names(product)
    out: list[LintFinding] = []
    for line in lines:
        for rule, severity, message in _line_checks(line, lang, names, product):
            out.append(_finding(line, rule, severity, message))
    out += _duplicates(lines)
    out += _brand_count(lines, product)
    out += _caption_checks(lines)
    return sorted(out, key=lambda f: (f.scene, f.kind, f.rule))


def majors(findings: Iterable[LintFinding]) -> list[LintFinding]:
    return [f for f in findings if f.severity == "major"]


def plan_lines(plan) -> list[CopyLine]:
    """The copy of a CreativePlan as lint lines: scene narration (the hook is scene 0's), on-screen text, CTA."""
    return board_lines(plan.storyboard, plan.task)


def board_lines(board, task: str = "pcg") -> list[CopyLine]:
    """The copy of a Storyboard as lint lines."""
    scenes = board.scenes
    pcg = task == "pcg"
    lines: list[CopyLine] = []
    for s in scenes:
        first, last = s.index == 0, s.index == len(scenes) - 1
        if s.narration:
            kind = "hook" if pcg and first and s.narration == board.hook else "narration"
            lines.append(CopyLine(s.index, kind, s.narration, s.start, s.end))
        if s.on_screen_text:
            kind = "cta" if pcg and last and s.on_screen_text == board.cta else "on_screen"
            lines.append(CopyLine(s.index, kind, s.on_screen_text, s.start, s.end))
    if board.hook and not any(ln.kind == "hook" for ln in lines) and board.hook not in {ln.text for ln in lines}:
        lines.append(CopyLine(0, "hook", board.hook, scenes[0].start, scenes[0].end))
    if board.cta and not any(ln.kind == "cta" for ln in lines) and board.cta not in {ln.text for ln in lines}:
        lines.append(CopyLine(scenes[-1].index, "cta", board.cta, scenes[-1].start, scenes[-1].end))
    return lines


def lint_plan(plan) -> list[LintFinding]:
    """Lint a CreativePlan's copy against its own product and language."""
    return lint(plan_lines(plan), product=plan.product, language=plan.storyboard.language or None)


def describe(findings: Sequence[LintFinding]) -> str:
    """One line per finding, for error messages and logs."""
    return "; ".join(f"scene {f.scene} {f.kind} [{f.rule}] {f.message}" for f in findings)


# --- per-line rules ---------------------------------------------------------------------------------------------
def _line_checks(line: CopyLine, lang: str, names: list[str], product: Product | None):
    text = line.text.strip()
    if _PLACEHOLDER.search(text):
        yield "placeholder", "major", f"unfilled template slot or empty value in {text!r}"
    limit = ON_SCREEN_WORDS if line.kind in ("on_screen", "cta") else NARRATION_WORDS
    if count_words(text) > limit:
        yield "too_long", "major", f"{count_words(text)} words; at most {limit} fit this {line.kind} line"
    zh = bool(_CJK.search(text))
    if zh:
        yield from _zh_checks(line, text, product)
    else:
        yield from _en_checks(line, text, names, product)
    yield from _language_checks(line, text, lang, names)
    if _is_filler(text, names, product):
        yield "filler", "minor", f"{text!r} says nothing about the product or the viewer"


def _en_checks(line: CopyLine, text: str, names: list[str], product: Product | None):
    words = _LATIN_WORD.findall(text)
    bare = text.rstrip(_TERMINAL + " \"'”’)")
    last = words[-1].lower() if words else ""
    if text[-1:] in ",;:-–—(":
        yield "fragment", "major", f"{text!r} stops on {text[-1]!r}: the sentence is cut"
    elif last in _DANGLING and bare.lower().endswith(last) and not (
            last in _PREPOSITIONS and re.search(r"\b(?:what|which|who|whom|where|something|anything)\b", text, re.I)):
        yield "fragment", "major", f"{text!r} ends on {words[-1]!r}: the sentence is cut mid-phrase"
    elif re.search(r"(?<![$€£¥,\d])\b\d+\.$", text) and not _MODEL_WORD.search(text) \
            and not any(text.lower().endswith(n.lower() + ".") for n in names):
        yield "fragment", "major", f"{text!r} ends on a bare number: a decimal or a sentence was split"
    else:
        cut = _cut_name(bare, names, product)
        if cut:
            yield "fragment", "major", f"{text!r} ends on {cut!r}, a cut of the product name"
    if text.count("(") != text.count(")") or text.count('"') % 2:
        yield "fragment", "major", f"{text!r} opens a bracket or quote it never closes"
    if line.kind in SPOKEN and _starts_mid_sentence(text, names):
        yield "fragment", "major", f"{text!r} starts mid-sentence"
    m = _DETERMINER_STACK.search(text)
    if m:
        yield "determiner_stack", "major", f"{m.group(0)!r}: two determiners in a row"
    m = _STACKED.search(text)
    if m:
        yield "stacked_nouns", "major", f"{m.group(0)!r}: a phrase stacked onto another noun"
    for m in _PLURAL_SUBJECT.finditer(text):
        noun = m.group(1).lower()
        if noun not in _NOT_PLURAL and not noun.endswith(("ss", "us", "is", "'s", "’s")) \
                and not _in_names(noun, names):
            yield "agreement", "major", f"{m.group(0)!r}: a plural subject with a singular verb"
    named = [(n.start(), n.end()) for name in names if name.strip()
             for n in re.finditer(re.escape(name.strip()), text, re.IGNORECASE)]
    for m in _EVERY_PLURAL.finditer(text):
        noun = m.group(1).lower()
        if any(a <= m.start() < b for a, b in named):  # "Brewline One pours": the determiner is the name's
            continue
        if noun not in _NOT_PLURAL and not noun.endswith(("ss", "us", "is")) and not _in_names(noun, names):
            yield "agreement", "major", f"{m.group(0)!r}: a singular determiner with a plural noun"
    m = _SUPERLATIVE.search(text)
    if m and not _record_claims(m.group(0), product):
        yield "superlative", "major", f"{m.group(0)!r} is a superlative the product record does not support"
    if re.search(r"\ba\s+[aeiou]\w+", text, re.IGNORECASE) and not re.search(r"\ba\s+(?:u[nst]|eu|one|use)",
                                                                               text, re.IGNORECASE):
        yield "fragment", "minor", f"{text!r}: 'a' before a vowel sound"


def _zh_checks(line: CopyLine, text: str, product: Product | None):
    if text[-1] in "的和与及、，,：:（(或":
        yield "fragment", "major", f"{text!r} stops on {text[-1]!r}: the sentence is cut"
    if text.count("（") != text.count("）") or text.count("(") != text.count(")"):
        yield "fragment", "major", f"{text!r} opens a bracket it never closes"
    if re.search(r"(你的|我的|每个|每一个)(你的|我的|每个|这个|那个)", text):
        yield "determiner_stack", "major", f"{text!r}: two determiners in a row"
    m = _ZH_SUPERLATIVE.search(text)
    if m and not _record_claims(m.group(0), product):
        yield "superlative", "major", f"{m.group(0)!r} is a superlative the product record does not support"


def _language_checks(line: CopyLine, text: str, lang: str, names: list[str]):
    stripped = _strip_names(text, names)
    latin = [w for w in _LATIN_WORD.findall(stripped) if w.lower() not in _UNITS and len(w) > 1]
    has_cjk = bool(_CJK.search(stripped))
    if has_cjk and len(latin) >= 2:
        yield "mixed_language", "major", f"{text!r} mixes Chinese and English in one line"
    elif lang == "zh" and line.kind in SPOKEN and not has_cjk and latin:
        yield "mixed_language", "major", f"{text!r} is spoken in English in a Chinese ad"
    elif lang == "en" and has_cjk:
        yield "mixed_language", "major", f"{text!r} has Chinese text in an English ad"


def _is_filler(text: str, names: list[str], product: Product | None) -> bool:
    stripped = _strip_names(text, names)
    if _CJK.search(text):
        core = re.sub(r"[，。！？、\s…]", "", stripped)
        return core in _ZH_FILLER
    if len(stripped) != len(text):
        return False  # names the product
    if re.search(r"\d", text):
        return False
    words = [w.lower().strip("'’") for w in _LATIN_WORD.findall(text)]
    return bool(words) and all(w in _FILLER_WORDS for w in words)


def _starts_mid_sentence(text: str, names: list[str]) -> bool:
    if re.match(r"0[A-Za-z0-9]", text):  # "0Ah batteries": the tail of a split decimal
        return True
    first = text.lstrip("\"'“‘(¿¡…. ")[:1]
    if first.isalpha() and first.islower():
        return not any(text.lower().startswith(n.lower()) and text.startswith(n) for n in names)
    return False


def _cut_name(bare: str, names: list[str], product: Product | None) -> str:
    """The tail of `bare` when it is a proper prefix of the product name (not the brand, not the whole name)."""
    if product is None or product.name.lower() in bare.lower():
        return ""
    parts = product.name.split()
    lowered = bare.lower()
    for k in range(len(parts) - 1, 0, -1):
        prefix = " ".join(parts[:k])
        if lowered.endswith(" " + prefix.lower()) or lowered == prefix.lower():
            if [prefix.lower()] == [b.lower() for b in _brand(product)]:
                return ""
            return prefix
    return ""


# --- whole-ad rules ---------------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return re.sub(r"[^\w\u3400-\u9fff]+", " ", text.lower()).strip()


def _duplicates(lines: Sequence[CopyLine]) -> list[LintFinding]:
    out = []
    for group in (("narration", "hook"), ("on_screen", "cta"), ("caption",)):
        seen: dict[str, CopyLine] = {}
        for line in (ln for ln in lines if ln.kind in group):
            key = _norm(line.text)
            twin = seen.get(key) or next((v for k, v in seen.items() if _similar(k, key)), None)
            if twin is not None and (twin.scene != line.scene or twin.kind == line.kind):
                out.append(_finding(line, "duplicate", "major",
                                    f"{line.text!r} repeats scene {twin.scene}'s {twin.kind}"))
            else:
                seen.setdefault(key, line)
    return out


def _similar(a: str, b: str) -> bool:
    """Near-identical normalized lines (a reworded repeat), judged only on lines of five words or more."""
    if a == b:
        return True
    if min(len(a.split()), len(b.split())) < 5:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.9


def is_repeat(text: str, seen: Iterable[str]) -> bool:
    """True when `text` repeats (or nearly repeats) one of the lines in `seen`."""
    key = _norm(text)
    return any(_similar(key, _norm(s)) for s in seen)


def _brand_count(lines: Sequence[CopyLine], product: Product | None) -> list[LintFinding]:
    if product is None:
        return []
    out = []
    terms = sorted({product.name, *_brand(product), *_short_names(product)}, key=len, reverse=True)
    spoken = [ln for ln in lines if ln.kind in ("narration", "hook")]
    total = 0
    for line in spoken + [ln for ln in lines if ln.kind not in ("narration", "hook", "caption")]:
        n = _count_terms(line.text, terms)
        if n >= 2:
            out.append(_finding(line, "redundant_brand", "major", f"{line.text!r} names the product twice"))
        if line in spoken:
            total += n
            if total > 2 and n:
                out.append(_finding(line, "redundant_brand", "minor",
                                    f"the brand is spoken {total} times by here; at most twice per ad"))
    return out


def _count_terms(text: str, terms: list[str]) -> int:
    lowered, n = text.lower(), 0
    for term in terms:  # longest first, removing each hit so "Strider Trail 2" is not also counted as "Strider"
        pattern = re.compile(rf"(?<![\w]){re.escape(term.lower())}(?![\w])")
        n += len(pattern.findall(lowered))
        lowered = pattern.sub(" ", lowered)
    return n


def _caption_checks(lines: Sequence[CopyLine]) -> list[LintFinding]:
    narr = [ln for ln in lines if ln.kind in ("narration", "hook")]
    out = []
    for cap in (ln for ln in lines if ln.kind == "caption"):
        said = [n for n in narr if _same_slot(cap, n)]
        if not said:
            continue
        spoken = " ".join(_norm(n.text) for n in said)
        if _coverage(_norm(cap.text), spoken) < 0.6:
            out.append(_finding(cap, "caption_mismatch", "major",
                                f"caption {cap.text!r} does not match the narration {said[0].text!r}"))
    return out


def _same_slot(cap: CopyLine, narr: CopyLine) -> bool:
    if cap.scene >= 0 and narr.scene >= 0:
        return cap.scene == narr.scene
    if None in (cap.start, cap.end, narr.start, narr.end):
        return False
    return min(cap.end, narr.end) - max(cap.start, narr.start) > 0.1


def _coverage(caption: str, narration: str) -> float:
    """Share of the caption's tokens (CJK characters for Chinese) found in the narration, fuzzily for OCR."""
    if _CJK.search(caption):
        chars = [c for c in caption if _CJK.match(c)]
        return sum(c in narration for c in chars) / max(1, len(chars))
    toks = caption.split()
    pool = narration.split()
    hit = sum(1 for t in toks if t in pool or any(SequenceMatcher(None, t, p).ratio() >= 0.8 for p in pool))
    return hit / max(1, len(toks))


# --- helpers ----------------------------------------------------------------------------------------------------
def _finding(line: CopyLine, rule: str, severity: Severity, message: str) -> LintFinding:
    return LintFinding(rule=rule, severity=severity, scene=line.scene, kind=line.kind, text=line.text,
                       message=message, start=line.start, end=line.end)


def _detect(texts: Iterable[str]) -> str:
    joined = " ".join(texts)
    letters = [c for c in joined if c.isalpha()]
    cjk = sum(1 for c in letters if _CJK.match(c))
    return "zh" if letters and cjk / len(letters) >= 0.3 else "en"


def _names(product: Product | None) -> list[str]:
    if product is None:
        return []
    return sorted({product.name, *_brand(product)}, key=len, reverse=True)


def _brand(product: Product) -> list[str]:
    """The brand as a name to check, unless the importer marked it unknown."""
    return [] if product.brand.strip().lower() in ("", "unknown") else [product.brand]


def _short_names(product: Product) -> list[str]:
    """The name's distinctive first word ("Strider" for "Strider Trail 2"): a viewer hears it as the name."""
    first = product.name.split()[0]
    return [first] if len(first) >= 4 and first[0].isupper() and len(product.name.split()) > 1 else []


def _in_names(word: str, names: list[str]) -> bool:
    return any(word in n.lower().split() for n in names)


def _strip_names(text: str, names: list[str]) -> str:
    for n in names:
        text = re.sub(re.escape(n), " ", text, flags=re.IGNORECASE)
    return text


def _record_claims(word: str, product: Product | None) -> bool:
    """True when the product's own record uses this superlative (the brand's claim, not ours)."""
    if product is None:
        return False
    record = " ".join([product.name, product.slogan, product.intro, product.details, *product.selling_points,
                       *product.facts.values()]).lower()
    return word.lower() in record
