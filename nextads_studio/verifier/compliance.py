"""Compliance checks with localized evidence: safety, privacy, fairness, licensing, disclosure.

Text comes from every place a viewer meets it (narration, on-screen text, hook, CTA, visual descriptions, the SRT);
each finding names the scene, its time range, the triggering text and the plan field. Disclosure is checked on the
rendered file itself: the "AI Created" label in sampled frames (template matching against the Producer's own
drawing) and the container metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from .. import rules as shared
from ..library.reuse import licensed_for_reuse
from ..schemas import Compliance, CreativePlan, Evidence, Finding, UserHistory, UserProfile
from . import compliance_rules as rules

LABEL_MATCH = shared.DISCLOSURE_LABEL["match"]  # normalised cross-correlation above which the label is visible
LABEL_COVERAGE = shared.DISCLOSURE_LABEL["coverage"]  # share of sampled frames that must show the label


@dataclass(frozen=True)
class TextItem:
    """One piece of ad text a viewer sees or hears, located in the plan and in time."""

    text: str
    field: str
    scene_index: int | None
    start: float | None
    end: float | None


# --- collecting text ------------------------------------------------------------------------------
def plan_texts(plan: CreativePlan, srt_path: str | None = None) -> list[TextItem]:
    """Every viewer-facing text of the plan (and the SRT cues), with scene and time."""
    scenes = plan.storyboard.scenes
    items = []
    for s in scenes:
        for name in ("narration", "on_screen_text", "visual"):
            value = getattr(s, name)
            if value.strip():
                items.append(TextItem(value, f"storyboard.scenes[{s.index}].{name}", s.index, s.start, s.end))
    if plan.storyboard.hook.strip():
        first = scenes[0]
        items.append(TextItem(plan.storyboard.hook, "storyboard.hook", 0, first.start, first.end))
    if plan.storyboard.cta.strip():
        last = scenes[-1]
        items.append(TextItem(plan.storyboard.cta, "storyboard.cta", last.index, last.start, last.end))
    if srt_path and Path(srt_path).is_file():
        items += [TextItem(text, "srt", scene_at(plan, (a + b) / 2), a, b) for a, b, text in read_srt(srt_path)]
    return items


def scene_at(plan: CreativePlan, t: float) -> int:
    """Index of the scene playing at time t."""
    for s in plan.storyboard.scenes:
        if s.start <= t < s.end:
            return s.index
    return plan.storyboard.scenes[-1].index


_SRT_TIME = re.compile(r"(\d+):(\d+):(\d+)[,.](\d+)\s*-->\s*(\d+):(\d+):(\d+)[,.](\d+)")


def read_srt(path: str | Path) -> list[tuple[float, float, str]]:
    """(start, end, text) cues of an SRT file."""
    cues = []
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8", errors="replace").strip()):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            m = _SRT_TIME.search(line)
            if m:
                g = [int(x) for x in m.groups()]
                start = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
                end = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
                cues.append((start, end, " ".join(lines[i + 1:]).strip()))
                break
    return cues


def _finding(category: str, severity: str, code: str, message: str, item: TextItem | None = None,
             text: str | None = None, visual: str | None = None, **where) -> Finding:
    ev = dict(scene_index=item.scene_index, start=item.start, end=item.end, field=item.field) if item else {}
    ev.update(where)
    return Finding(category=category, severity=severity, code=code, message=message,
                   evidence=Evidence(text=text, visual_element=visual, **ev))


# --- safety ---------------------------------------------------------------------------------------
def _numbers(text: str) -> set[float]:
    out = set()
    for m in re.finditer(r"\d+(?:[.,]\d+)*", text):
        try:
            out.add(float(m.group(0).replace(",", "")))
        except ValueError:
            continue
    return out


def allowed_numbers(plan: CreativePlan) -> set[float]:
    """Numbers a claim may use: those in the product's facts and its own descriptive text."""
    p = plan.product
    sources = [*p.facts.values(), *p.facts.keys(), p.name, p.slogan, p.intro, p.details, *p.selling_points]
    return set().union(*(_numbers(s) for s in sources))


def check_safety(items: Sequence[TextItem], plan: CreativePlan) -> list[Finding]:
    found = []
    allowed = allowed_numbers(plan)
    for item in items:
        for code, severity, pattern, message in rules.SAFETY_RULES:
            for m in pattern.finditer(item.text):
                found.append(_finding("safety", severity, code, f"{message}: \"{m.group(0)}\"", item, m.group(0)))
        prices = list(rules.PRICE_PATTERN.finditer(item.text))
        for m in prices:
            if not _numbers(m.group(0)) <= allowed:
                found.append(_finding("safety", "major", "safety.price_not_in_facts",
                                      f"price \"{m.group(0)}\" is not in the product's facts", item, m.group(0)))
        price_spans = [m.span() for m in prices]
        for m in rules.NUMBER_PATTERN.finditer(item.text):
            if any(a <= m.start() < b for a, b in price_spans):
                continue
            value = float(m.group(1).replace(",", "."))
            if (m.group(2) or value > 10) and value not in allowed:
                found.append(_finding("safety", "major", "safety.number_not_in_facts",
                                      f"claim \"{m.group(0).strip()}\" uses a number that is not in the product's "
                                      f"facts", item, m.group(0).strip()))
    return found


# --- privacy --------------------------------------------------------------------------------------
def _sensitive_matches(text: str) -> list[tuple[str, str]]:
    from ..director.sensitive import sensitive_matches

    return sensitive_matches(text)


def history_personal_data(history: UserHistory | None) -> set[str]:
    """Names, places and handles that appear in the history: they must never be echoed back in an ad.

    A name is a word capitalised inside a sentence of a note's body (titles are title-cased, so they are skipped)
    that never appears in lower case anywhere in the history."""
    if history is None:
        return set()
    bodies = [n.content for n in history.notes]
    everything = " ".join(bodies + [n.title for n in history.notes] + [v.title for v in history.videos])
    lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", everything))
    found: set[str] = set(rules.HANDLE_PATTERN.findall(everything)) | set(rules.EMAIL_PATTERN.findall(everything))
    for text in bodies:
        for sentence in re.split(r"[.!?:;\n]+", text):
            words = re.findall(r"[A-Za-z][A-Za-z'-]+", sentence)
            for w in words[1:]:
                if (w[0].isupper() and not w.isupper() and len(w) >= 3 and w not in rules.NOT_NAMES
                        and w.lower() not in lower_words):
                    found.add(w)
    return found


def check_privacy(items: Sequence[TextItem], plan: CreativePlan, profile: UserProfile | None,
                  history: UserHistory | None) -> list[Finding]:
    found = []
    excluded = {e.lower() for e in (profile.excluded_sensitive if profile else [])}
    product_words = {w.lower() for w in re.findall(r"\w+", plan.product.describe() + " " + plan.product.brand)}
    personal = {p for p in history_personal_data(history) if p.lower() not in product_words}
    for item in items:
        for category, term in _sensitive_matches(item.text):
            own = category.lower() in excluded or term.lower() in excluded
            found.append(_finding(
                "privacy", "critical" if own else "major", "privacy.sensitive_attribute",
                f"{'names the user' + chr(39) + 's sensitive attribute' if own else 'mentions a sensitive attribute'}"
                f" ({category}): \"{term}\"", item, term))
        for pattern, what in ((rules.EMAIL_PATTERN, "an email address"), (rules.HANDLE_PATTERN, "a social handle"),
                              (rules.PHONE_PATTERN, "a phone number")):
            for m in pattern.finditer(item.text):
                found.append(_finding("privacy", "major", "privacy.personal_data",
                                      f"shows {what}: \"{m.group(0)}\"", item, m.group(0)))
        for word in personal:
            if re.search(rf"(?<![\w@]){re.escape(word)}(?!\w)", item.text):
                found.append(_finding("privacy", "major", "privacy.history_personal_data",
                                      f"repeats a name, place or handle from the user's history: \"{word}\"",
                                      item, word))
    return found


# --- fairness -------------------------------------------------------------------------------------
def check_fairness(items: Sequence[TextItem]) -> list[Finding]:
    found = []
    for item in items:
        for code, severity, pattern, message in rules.FAIRNESS_RULES:
            for m in pattern.finditer(item.text):
                found.append(_finding("fairness", severity, code, f"{message}: \"{m.group(0)}\"", item, m.group(0)))
    return found


# --- licensing ------------------------------------------------------------------------------------
def _bound_assets(plan: CreativePlan) -> list[tuple[str, int | None]]:
    g = plan.grounding
    assets: list[tuple[str, int | None]] = []
    for sa in g.scene_assets:
        for path in [sa.product_image, *sa.user_images, *sa.extra]:
            if path:
                assets.append((path, sa.scene_index))
        if sa.logo and (g.logo_path or plan.product.logo):
            assets.append((g.logo_path or plan.product.logo, sa.scene_index))
    bound = {a for a, _ in assets}
    for path in [g.collage_path, *g.product_images, *g.user_images, g.logo_path]:
        if path and path not in bound:
            assets.append((path, None))
            bound.add(path)
    return assets


def _licensed(path: str, records: dict[str, str]) -> bool:
    name = Path(path).name
    for key, value in records.items():
        if not value or value.strip().lower() in {"unknown", "none", "unlicensed", "?"}:
            continue
        if key == path or path.endswith("/" + key.lstrip("./")) or key.endswith("/" + name) or key == name:
            return True
    return False


def check_licensing(items: Sequence[TextItem], plan: CreativePlan, creative_licenses: dict[str, str],
                    other_brands: Iterable[str] = ()) -> list[Finding]:
    found = []
    records = {**plan.grounding.asset_licenses, **{r.path: r.license for r in plan.product.licenses},
               **creative_licenses}
    collage = plan.grounding.collage_path
    sources = [*plan.grounding.user_images, *plan.grounding.product_images]
    for path, scene in _bound_assets(plan):
        if path == collage and all(_licensed(src, records) for src in sources):
            continue  # our code composed the collage from these inputs: it carries their licences
        if not _licensed(path, records):
            s = plan.scene(scene) if scene is not None and scene < len(plan.storyboard.scenes) else None
            found.append(_finding("licensing", "major", "licensing.unlicensed_asset",
                                  f"asset {Path(path).name} has no license record", None, visual=path,
                                  scene_index=scene, start=s.start if s else None, end=s.end if s else None,
                                  field="grounding.scene_assets" if s else "grounding"))
    history = {str(Path(p).resolve()) for p in plan.grounding.user_images}
    for key in creative_licenses:
        if str(Path(key).resolve()) in history and not licensed_for_reuse(key):
            found.append(_finding("licensing", "critical", "licensing.history_image_shown",
                                  f"the person's history image {Path(key).name} is shown without a licence that "
                                  "allows reuse", None, visual=key, field="asset_licenses"))
    for key, value in creative_licenses.items():
        if not value or value.strip().lower() in {"unknown", "none", "unlicensed", "?"}:
            found.append(_finding("licensing", "major", "licensing.unlicensed_asset",
                                  f"track or asset {key} has no license", None, visual=key, field="asset_licenses"))
    own = [plan.product.brand.lower(), plan.product.name.lower()]
    # a brand that is (part of) the product's own name or brand is the product speaking ("Kestrel 8x42" is not the
    # weather-meter brand Kestrel)
    brands = [b for b in dict.fromkeys([*rules.REAL_BRANDS, *other_brands])
              if not any(re.search(rf"(?<![\w]){re.escape(b.lower())}(?![\w])", o) for o in own)]
    for item in items:
        for brand in brands:
            if re.search(rf"(?<![\w]){re.escape(brand)}(?![\w])", item.text):
                found.append(_finding("licensing", "major", "licensing.third_party_brand",
                                      f"names another brand: \"{brand}\"", item, brand))
        for person in rules.PUBLIC_FIGURES:
            if re.search(rf"(?<![\w]){re.escape(person)}(?![\w])", item.text, re.IGNORECASE):
                found.append(_finding("licensing", "major", "licensing.public_figure",
                                      f"names a real public figure: \"{person}\"", item, person))
    return found


# --- disclosure -----------------------------------------------------------------------------------
def _label_template(src_w: int, src_h: int, frame_w: int, frame_h: int):
    from ..disclosure import draw_ai_label

    rgba, (x0, y0, x1, y1) = draw_ai_label(src_w, src_h)
    h, w = rgba.shape[:2]
    inner = rgba[2:h - 2, h // 2: w - h // 2, :3]  # the fully opaque middle of the pill
    scale = frame_w / src_w
    tw, th = max(int(round(inner.shape[1] * scale)), 4), max(int(round(inner.shape[0] * scale)), 4)
    tmpl = cv2.cvtColor(cv2.resize(np.ascontiguousarray(inner), (tw, th), interpolation=cv2.INTER_AREA),
                        cv2.COLOR_RGB2GRAY)
    box = tuple(int(round(v * scale)) for v in (x0 + h // 2, y0 + 2, x1 - h // 2, y1 - 2))
    return tmpl, box


def label_scores(frames: Sequence[np.ndarray], src_w: int, src_h: int) -> list[float]:
    """Per frame: how strongly the AI label appears where the Producer puts it (normalised correlation)."""
    if not frames:
        return []
    fh, fw = frames[0].shape[:2]
    tmpl, (bx0, by0, bx1, by1) = _label_template(src_w, src_h, fw, fh)
    pad = max(6, (by1 - by0) // 2)
    scores = []
    for f in frames:
        roi = f[max(by0 - pad, 0):by1 + pad, max(bx0 - pad, 0):bx1 + pad]
        grey = cv2.cvtColor(roi, cv2.COLOR_RGB2GRAY)
        if grey.shape[0] < tmpl.shape[0] or grey.shape[1] < tmpl.shape[1]:
            scores.append(0.0)
            continue
        res = cv2.matchTemplate(grey, tmpl, cv2.TM_CCOEFF_NORMED)
        scores.append(float(np.nan_to_num(res.max())))
    return scores


def check_disclosure(plan: CreativePlan, times: Sequence[float], frames: Sequence[np.ndarray], src_w: int,
                     src_h: int, metadata: dict[str, str], read_times: Sequence[float] = (),
                     label_times: Sequence[float] = ()) -> tuple[list[Finding], bool, bool, dict[str, float]]:
    """Findings, label visible, label in metadata, evidence numbers.

    A frame shows the label when the Producer's badge matches where it draws it, or when OCR read "AI Created"
    in that frame (`read_times`: frames OCR'd, `label_times`: those where the label was read), so a new layout
    that moves the badge is still seen."""
    scores = label_scores(frames, src_w, src_h)
    visible = [s >= LABEL_MATCH for s in scores]
    read = {round(t, 3) for t in label_times}
    for i, t in enumerate(times):
        if round(t, 3) in read:
            visible[i] = True
    if read_times and np.mean(visible) < LABEL_COVERAGE:
        # the badge moved: judge coverage on the OCR'd frames alone
        ocr_cov = len(read & {round(t, 3) for t in read_times}) / len(read_times)
        if ocr_cov >= LABEL_COVERAGE:
            visible = [True] * len(visible)
    coverage = float(np.mean(visible)) if visible else 0.0
    found = []
    if visible and coverage < LABEL_COVERAGE:
        missing = [t for t, v in zip(times, visible, strict=True) if not v]
        start, end = missing[0], missing[-1]
        scene = scene_at(plan, start)
        found.append(_finding("disclosure", "major", "disclosure.label_missing",
                              f"the AI Created label is not visible in {len(missing)} of {len(visible)} sampled "
                              f"frames ({start:.1f}-{end:.1f}s)", None, visual="AI Created label",
                              scene_index=scene, start=round(start, 3), end=round(end + 0.125, 3), field="render"))
    in_meta = any("ai created" in f"{k} {v}".lower() or "ai-generated" in f"{k} {v}".lower()
                  for k, v in metadata.items())
    if not in_meta:
        found.append(_finding("disclosure", "major", "disclosure.metadata_missing",
                              "the container metadata does not state AI Created", None,
                              visual="container metadata", field="render"))
    evidence = {"label_coverage": coverage, "label_min_score": float(min(scores, default=0.0))}
    return found, bool(visible) and coverage >= LABEL_COVERAGE, in_meta, evidence


# --- all ------------------------------------------------------------------------------------------
def _dedupe(findings: list[Finding]) -> list[Finding]:
    """The SRT repeats the narration: keep one finding per rule, scene and triggering text."""
    seen, out = set(), []
    for f in findings:
        key = (f.code, f.evidence.scene_index, (f.evidence.text or f.evidence.visual_element or "").lower())
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def check_text(plan: CreativePlan, srt_path: str | None = None, profile: UserProfile | None = None,
               history: UserHistory | None = None, creative_licenses: dict[str, str] | None = None,
               other_brands: Iterable[str] = (), shown: Sequence[tuple[int, float, float, str]] = ()) -> list[Finding]:
    """All text and record based findings; `shown` adds the lines read on screen as (scene, from, to, text)."""
    items = plan_texts(plan, srt_path) + [TextItem(text, "on screen", scene, round(a, 2), round(b, 2))
                                          for scene, a, b, text in shown]
    findings = (check_safety(items, plan) + check_privacy(items, plan, profile or plan.profile, history)
                + check_fairness(items) + check_licensing(items, plan, creative_licenses or {}, other_brands))
    return _dedupe(findings)


def check(plan: CreativePlan, srt_path: str | None, frames: Sequence[np.ndarray], times: Sequence[float],
          src_size: tuple[int, int], metadata: dict[str, str], profile: UserProfile | None = None,
          history: UserHistory | None = None, creative_licenses: dict[str, str] | None = None,
          other_brands: Iterable[str] = (), reading=None) -> tuple[Compliance, dict[str, float]]:
    """The full compliance report for a rendered creative (`reading`: what OCR read on screen, if it ran)."""
    shown = reading.all_text() if reading is not None else ()
    findings = check_text(plan, srt_path, profile, history, creative_licenses, other_brands, shown)
    disclosure, visible, in_meta, evidence = check_disclosure(
        plan, times, frames, src_size[0], src_size[1], metadata,
        reading.read_times if reading is not None else (), reading.label_times if reading is not None else ())
    return Compliance(findings=findings + disclosure, ai_label=visible, ai_label_metadata=in_meta), evidence


__all__ = ["TextItem", "allowed_numbers", "check", "check_disclosure", "check_fairness", "check_licensing",
           "check_privacy", "check_safety", "check_text", "label_scores", "plan_texts", "read_srt", "scene_at"]
