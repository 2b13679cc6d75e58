"""Display values: pydantic objects -> HTML snippets and table rows. Formatting only, no decisions."""

from __future__ import annotations

from html import escape
from typing import Any

from ..schemas import CreativePlan, UserHistory, UserProfile, Verdict

TIER_COLORS = {"strong": "#1B7F5B", "medium": "#C98A12", "weak": "#8A8F98", "generic": "#5B6BD6"}
STORYBOARD_COLUMNS = [
    "scene", "start", "end", "shot_goal", "visual", "camera_motion", "narration", "on_screen_text", "product_focus",
]
STORYBOARD_HEADERS = ["Scene", "Start (s)", "End (s)", "Shot goal", "Visual", "Camera motion", "Narration",
                      "On-screen text", "Product shown"]
STORYBOARD_TYPES = ["number", "number", "number", "str", "str", "str", "str", "str", "bool"]
FINDING_COLUMNS = ["Severity", "Category", "Start (s)", "End (s)", "Scene", "Message", "Where", "Way forward"]
UTILITY_UNIT = ("motion_smoothness", "dynamic_degree", "aesthetic_quality", "imaging_quality")
UTILITY_JUDGED = (
    "personalization_presentation", "personalization_content", "product_alignment", "context_alignment",
    "integration_quality", "diversity",
)


def note(text: str, kind: str = "info") -> str:
    """A status line (Markdown) shown next to the control it is about."""
    # Symbols common text fonts carry (DejaVu has them), so no emoji font is needed to read a status.
    icon = {"info": "ℹ", "ok": "✔", "warn": "⚠", "error": "✖"}.get(kind, "")
    return f"{icon} {text}".strip()


def history_rows(history: UserHistory) -> list[list[Any]]:
    """Newest first, so the most recent interests are on top."""
    if history.kind == "notes":
        rows = [[n.note_idx, n.title, _clip(n.content, 140), len(n.image_paths)] for n in history.notes]
    else:
        rows = [[v.vid, v.title, "video" if v.video_path else "cover only", 1 if v.cover_path else 0]
                for v in history.videos]
    return rows[::-1]


def history_images(history: UserHistory, limit: int = 24) -> list[tuple[str, str]]:
    """(path, caption) pairs for the gallery, newest first."""
    if history.kind == "notes":
        items = [(p, n.title or n.note_idx) for n in reversed(history.notes) for p in n.image_paths]
    else:
        items = [(v.cover_path, v.title or v.vid) for v in reversed(history.videos) if v.cover_path]
    return items[:limit]


def palette_html(colors: list[str], label: str = "") -> str:
    chips = "".join(
        f'<span class="nx-swatch" title="{escape(c)}" style="background:{escape(c)}"></span>' for c in colors
    )
    caption = f'<span class="nx-muted">{escape(label)}</span>' if label else ""
    return f'<div class="nx-palette">{chips}{caption}</div>'


def profile_html(profile: UserProfile | None) -> str:
    """Tiers with evidence, tone tags, palette and excluded sensitive themes."""
    if profile is None:
        return '<div class="nx-card nx-muted">Pick a person to see their profile.</div>'
    parts = ['<div class="nx-card">']
    for interest in sorted(profile.interests, key=lambda i: ("strong", "medium", "weak").index(i.tier)):
        color = TIER_COLORS[interest.tier]
        evidence = ", ".join(escape(e) for e in interest.evidence[:8])
        more = f" +{len(interest.evidence) - 8}" if len(interest.evidence) > 8 else ""
        parts.append(
            f'<div class="nx-tier"><span class="nx-badge" style="background:{color}">{interest.tier}</span>'
            f" <b>{escape(interest.theme)}</b> <span class=\"nx-muted\">{interest.share:.0%} of history</span>"
            f"<div>{escape(interest.summary)}</div>"
            f'<div class="nx-muted">evidence: {evidence}{more}</div></div>'
        )
    tags = " ".join(f'<span class="nx-tag">{escape(t)}</span>' for t in profile.style.tone_tags) or "none"
    parts.append(f"<div><b>Tone</b> {tags} <span class=\"nx-muted\">info density: "
                 f"{profile.style.info_density}</span></div>")
    if profile.visual:
        v = profile.visual
        parts.append("<div><b>Palette</b>" + palette_html(
            v.palette, f"brightness {v.brightness:.2f} · warmth {v.warmth:.2f} · saturation {v.saturation:.2f}"
        ) + "</div>")
    if profile.excluded_sensitive:
        themes = ", ".join(escape(t) for t in profile.excluded_sensitive)
        parts.append(f'<div class="nx-excluded"><b>Excluded sensitive themes</b> (never used in ads): {themes}</div>')
    traits = [t.name for t in profile.needs + profile.decision_tendencies]
    if traits:
        parts.append(f"<div><b>Needs and tendencies</b> {escape(', '.join(traits))}</div>")
    parts.append("</div>")
    return "".join(parts)


def match_html(plan: CreativePlan | None) -> str:
    """Per-tier match scores with reasons, and the chosen tier or the generic fallback."""
    if plan is None or plan.match is None:
        return '<div class="nx-card nx-muted">No plan yet. Press "Plan".</div>'
    m = plan.match
    rows = []
    for tier in ("strong", "medium", "weak"):
        score = m.scores.get(tier)
        if score is None:
            continue
        chosen = " nx-chosen" if tier == m.chosen_tier else ""
        rows.append(
            f'<tr class="{chosen.strip()}"><td><span class="nx-badge" style="background:{TIER_COLORS[tier]}">'
            f"{tier}</span></td><td>{score.product_match:.1f}</td><td>{score.ad_ability:.1f}</td>"
            f"<td>{score.expressibility:.1f}</td><td>{bar(score.total / 30.0)}<b>{score.total:.1f}</b>/30</td>"
            f"<td>{escape(score.reason)}</td></tr>"
        )
    head = ("<tr><th>tier</th><th>product match</th><th>ad-ability</th><th>expressibility</th><th>total</th>"
            "<th>reason</th></tr>")
    chosen_line = ("<b>Generic fallback</b>: no interest fits this product safely." if m.fallback_generic
                   else f"<b>Chosen</b>: {m.chosen_tier} tier, theme “{escape(m.chosen_theme)}”")
    return (f'<div class="nx-card"><table class="nx-table">{head}{"".join(rows)}</table>'
            f"<div>{chosen_line} (confidence {m.confidence:.0%})</div>"
            f'<div class="nx-muted">{escape(m.reason)}</div></div>')


def bar(fraction: float | None, color: str = "#3B6FE0") -> str:
    """A horizontal bar drawn with CSS, so charts need no plotting library or external script."""
    if fraction is None:
        return '<span class="nx-bar nx-missing" title="not measured"></span>'
    width = max(0.0, min(1.0, fraction)) * 100
    return (f'<span class="nx-bar"><span style="width:{width:.0f}%;background:{color}"></span></span>')


def scorecard_rows(verdict: Verdict | None) -> list[tuple[str, float | None, str]]:
    """(metric, value on a 0-1 scale or None, shown text) for every utility number."""
    if verdict is None:
        return []
    u = verdict.utility
    rows: list[tuple[str, float | None, str]] = []
    for name in UTILITY_UNIT:
        value = getattr(u, name)
        if value is not None:
            rows.append((name, value, f"{value:.2f}"))
    for name in UTILITY_JUDGED:
        score = getattr(u, name)
        if score is None:
            continue
        if score.missing:
            rows.append((name, None, "missing"))
        else:
            rows.append((name, score.score / 10.0, f"{score.score:.1f}/10"))
    return rows


def scorecard_html(verdict: Verdict | None, title: str = "", mode: str = "nextads",
                   directives: list | None = None) -> str:
    """The verifier's scorecard: decision, every score with its bar, pass or fail, meaning and evidence."""
    from ..campaign import verdict_scorecard

    if verdict is None:
        return '<div class="nx-card nx-muted">Not verified yet.</div>'
    card = verdict_scorecard(verdict, mode, directives)
    colors = {"accept": "#1B7F5B", "revise": "#C98A12", "reject": "#B3261E"}
    # two lines per score: the numbers, then what it measures and the evidence across the card's whole width
    # (a sixth column squeezed beside the numbers wrapped to a word per line in the side-by-side Compare cards)
    rows = "".join(
        f"<tr class='nx-score'><td>{escape(r.label)}</td>"
        f"<td>{bar(r.value if r.key in UTILITY_UNIT or r.value is None else r.value / 10)}</td>"
        f"<td><b>{escape(r.shown)}</b></td><td>{'' if r.threshold is None else f'{r.threshold:g}'}</td>"
        f"<td>{ {True: 'pass', False: '<b>FAIL</b>', None: '–'}[r.passed]}</td></tr>"
        f"<tr class='nx-why'><td colspan='5' class='nx-muted'>{escape(r.measures)}"
        f"{' · ' + escape(r.evidence) if r.evidence else ''}</td></tr>" for r in card.scores)
    label = "AI disclosure label: shown" if verdict.compliance.ai_label else "AI disclosure label: MISSING"
    heading = f"<h4>{escape(title)}</h4>" if title else ""
    return (f'<div class="nx-card nx-scorecard">{heading}<div class="nx-decision" '
            f'style="background:{colors[verdict.decision]}">{verdict.decision.upper()}</div>'
            f' <span class="nx-muted">{escape(card.headline)}</span><br><span class="nx-muted">{label}</span>'
            f'<table class="nx-table nx-scores"><tr><th>score</th><th></th><th>value</th><th>threshold</th>'
            f'<th>pass</th></tr>{rows}</table>'
            f'<p class="nx-muted">{escape(card.footnote)}</p></div>')


def finding_rows(verdict: Verdict | None, directives: list | None = None) -> list[list[Any]]:
    """One row per finding, in the verdict's order (selecting a row seeks the player to its start)."""
    from ..campaign import finding_way_forward, finding_where

    if verdict is None:
        return []
    return [
        [f.severity, f.category, f.evidence.start, f.evidence.end, f.evidence.scene_index, f.message, finding_where(f),
         finding_way_forward(f, directives)]
        for f in verdict.compliance.findings
    ]


def storyboard_rows(plan: CreativePlan | None) -> list[list[Any]]:
    if plan is None:
        return []
    return [
        [s.index, s.start, s.end, s.shot_goal, s.visual, s.camera_motion, s.narration, s.on_screen_text,
         bool(s.product_focus)]
        for s in plan.storyboard.scenes
    ]


def storyboard_with_errors(rows: list[list[Any]], errors: list[Any]) -> Any:
    """The rows as typed, with every cell that has a problem shaded (a pandas Styler the Dataframe shows)."""
    import pandas as pd

    frame = pd.DataFrame([list(r) + [None] * (len(STORYBOARD_HEADERS) - len(r)) for r in rows],
                         columns=STORYBOARD_HEADERS)
    bad = {(e.row, STORYBOARD_COLUMNS.index(e.field)) for e in errors
           if e.row is not None and e.field in STORYBOARD_COLUMNS}

    def shade(data: Any) -> Any:
        out = pd.DataFrame("", index=data.index, columns=data.columns)
        for r, c in bad:
            if r < len(out):
                out.iat[r, c] = "background-color: #FDECEA; color: #7A1C14; font-weight: 600"
        return out

    return frame.style.apply(shade, axis=None)


def edit_errors_html(errors: list[Any]) -> str:
    """Every problem of a failed edit, each named by its scene and column (or the hook / call to action)."""
    items = []
    for e in errors:
        col = STORYBOARD_HEADERS[STORYBOARD_COLUMNS.index(e.field)] if e.field in STORYBOARD_COLUMNS else e.field
        where = f"Scene {e.row} · {col}" if e.row is not None else col.capitalize()
        items.append(f"<li><b>{escape(where)}</b>: {escape(e.message)}</li>")
    n = len(errors)
    return (f'<div class="nx-card nx-errors" id="edit_errors"><b>✖ {n} problem{"s" * (n != 1)} — nothing '
            f"saved; your edits are still in the table.</b><ul>{''.join(items)}</ul></div>")


def directive_label(directive: Any, i: int) -> str:
    scenes = ",".join(str(s) for s in directive.scenes) or "all"
    return f"#{i} {directive.kind.replace('_', ' ')} (scenes {scenes}) — {directive.reason}"


def diff_html(changes: list[tuple[str, Any, Any]]) -> str:
    """Before/after rows of a storyboard diff: (field, old, new)."""
    if not changes:
        return '<div class="nx-card nx-muted">No changes yet.</div>'
    rows = "".join(
        f'<tr><td>{escape(str(f))}</td><td class="nx-old">{escape(str(a))}</td>'
        f'<td class="nx-new">{escape(str(b))}</td></tr>' for f, a, b in changes
    )
    return (f'<div class="nx-card"><table class="nx-table"><tr><th>Where and what</th><th>Before</th>'
            f"<th>After</th></tr>{rows}</table></div>")


def line_plot_svg(series: dict[str, list[float]], width: int = 560, height: int = 220, y_label: str = "") -> str:
    """A small inline SVG line chart (no external scripts)."""
    palette = ["#3B6FE0", "#1B7F5B", "#C98A12", "#B3261E"]
    values = [v for ys in series.values() for v in ys]
    if not values:
        return '<div class="nx-card nx-muted">Nothing simulated yet.</div>'
    top = max(values) or 1.0
    n = max(len(ys) for ys in series.values())
    pad = 44

    def point(i: int, v: float) -> str:
        x = pad + (width - 2 * pad) * (i / max(1, n - 1))
        y = height - pad - (height - 2 * pad) * (v / top)
        return f"{x:.1f},{y:.1f}"

    lines, legend = [], []
    for k, (name, ys) in enumerate(series.items()):
        color = palette[k % len(palette)]
        pts = " ".join(point(i, v) for i, v in enumerate(ys))
        lines.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{pts}"/>')
        legend.append(f'<text x="{pad + 150 * k}" y="16" fill="{color}" font-size="12">■ {escape(name)}</text>')
    ticks = "".join(
        f'<text x="{pad + (width - 2 * pad) * (i / max(1, n - 1)):.1f}" y="{height - pad + 14}" font-size="10" '
        f'fill="#666" text-anchor="middle">{i + 1}</text>' for i in range(n) if n <= 12 or i % max(1, n // 10) == 0)
    yticks = "".join(
        f'<text x="{pad - 4}" y="{height - pad - (height - 2 * pad) * f + 3:.1f}" font-size="10" fill="#666" '
        f'text-anchor="end">{top * f:.2g}</text>' for f in (0.0, 0.5, 1.0))
    axes = (f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
            f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>{ticks}{yticks}'
            f'<text x="{width / 2:.0f}" y="{height - 4}" font-size="11" fill="#444" text-anchor="middle" '
            f'class="nx-axis-x">impression (1 … {n})</text>'
            f'<text x="12" y="{height / 2:.0f}" font-size="11" fill="#444" text-anchor="middle" class="nx-axis-y" '
            f'transform="rotate(-90 12 {height / 2:.0f})">{escape(y_label or "value")}</text>')
    return (f'<div class="nx-card"><svg viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{escape(y_label)}">{axes}{"".join(lines)}{"".join(legend)}</svg></div>')


def event_line(event: Any) -> str | None:
    """One log line for a campaign event (None for events not worth a line, like fine progress)."""
    from .. import campaign as c

    rnd = getattr(event, "round", None)
    if isinstance(event, c.Started):
        return f"round {rnd}: {event.stage}…"
    if isinstance(event, c.Planned):
        return f"planned v{event.plan.version}"
    if isinstance(event, c.Rendered):
        cr = event.creative
        return f"rendered v{cr.plan_version}: {cr.duration:.1f}s video; scenes re-rendered {cr.scenes_rerendered or 'none'}"
    if isinstance(event, c.Verified):
        v = event.verdict
        return f"verified v{v.plan_version} → **{v.decision}**, {len(v.compliance.findings)} finding(s)"
    if isinstance(event, c.Proposed):
        return f"{len(event.directives)} fix(es) proposed: " + "; ".join(
            f"{d.kind} — {d.reason}" for d in event.directives[:4])
    if isinstance(event, c.Applied):
        return f"applied → plan v{event.plan.version}"
    if isinstance(event, c.Dismissed):
        return f"dismissed {len(event.ids)} fix(es)"
    if isinstance(event, c.Finished):
        return (f"**finished after {len(event.rounds)} round(s): {event.decision}** (plan v{event.plan.version})")
    return None


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


CSS = """
.nx-card{border:1px solid var(--border-color-primary);border-radius:10px;padding:10px 14px;margin:4px 0}
.nx-muted{color:var(--body-text-color-subdued);font-size:0.9em}
.nx-badge{color:#fff;border-radius:6px;padding:1px 8px;font-size:0.85em;font-weight:600}
.nx-tag{background:var(--background-fill-secondary);border-radius:12px;padding:1px 9px;margin-right:4px}
.nx-tier{margin:6px 0 10px}
.nx-palette{display:flex;align-items:center;gap:6px;margin:4px 0}
.nx-swatch{width:34px;height:24px;border-radius:5px;display:inline-block;border:1px solid #0002}
.nx-excluded{background:#FDECEA;color:#7A1C14;border-radius:8px;padding:6px 10px;margin-top:8px}
.nx-table{width:100%;border-collapse:collapse}
.nx-scores tr.nx-score td{border-bottom:none;padding-top:7px}.nx-scores .nx-bar{width:96px}
.nx-scores tr.nx-why td{font-size:0.86em;padding-top:0;padding-bottom:7px}
.nx-table td,.nx-table th{padding:3px 6px;text-align:left;border:none;border-bottom:1px solid var(--border-color-primary)}
.nx-chosen{background:#E8F5EE}
.nx-bar{display:inline-block;width:140px;height:12px;background:var(--background-fill-secondary);
border-radius:6px;overflow:hidden;margin-right:8px;vertical-align:middle}
.nx-bar>span{display:block;height:100%}.nx-missing{opacity:0.4}
.nx-decision{display:inline-block;color:#fff;font-weight:700;border-radius:8px;padding:2px 12px}
.nx-old{color:#9B2C2C;text-decoration:line-through}.nx-new{color:#1B7F5B}
.nx-errors{background:#FDECEA;color:#7A1C14}
table th, table th *{word-break:normal !important;overflow-wrap:normal !important;hyphens:none !important}
"""
