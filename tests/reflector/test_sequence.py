"""A sequence across impressions: a progressive arc over fresh Director plans with session memory, held to the arc
on its plans (product hidden first, CTA only last, different hooks, no repeated claim) and, rendered by
`nextads evolve`, on its frames."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nextads_studio import schemas as s
from nextads_studio.director.copy.lint import describe, lint_plan, majors
from nextads_studio.reflector.sequence import check_arc, claims, has_cta, plan_sequence, product_hidden

ROOT = Path(__file__).resolve().parents[2]
QILIN = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"


@pytest.fixture(scope="module")
def director(embedder):
    from nextads_studio.director import Director

    return Director(embedder)


@pytest.fixture(scope="module")
def library():
    from nextads_studio.library import ProductLibrary

    return ProductLibrary.load(ROOT / "product_library")


def _history(tmp_path: Path) -> s.UserHistory:
    """A person the code was not tuned on: a cyclist who cooks, written here."""
    notes = [("Gravel loop at dawn", "Rode the long gravel loop before work, legs heavy but the sunrise was worth it."),
             ("Chain cleaning night", "Degreased the chain and checked tyre pressure for the weekend ride."),
             ("Climbing intervals", "Five hill repeats on the old road, new best time on the last climb."),
             ("Ramen from scratch", "Spent Sunday making broth and noodles from scratch for friends."),
             ("Market haul", "Fresh greens and mushrooms from the farmers market for the week."),
             ("Recovery ride", "Easy spin along the river with the club, coffee stop halfway.")]
    return s.UserHistory(user_id="u_test_rider", kind="notes", notes=[
        s.Note(note_idx=f"r{i}", title=t, content=c) for i, (t, c) in enumerate(notes)])


@pytest.mark.parametrize("who, product_id", [("u_maya", "ridge-roast"), ("rider", "strider-trail")])
def test_four_impressions_follow_the_arc(director, library, tmp_path, who, product_id):
    from nextads_studio.library import load_history

    history = load_history(QILIN, who) if who != "rider" else _history(tmp_path)
    product = library.get(product_id)
    seq = plan_sequence(director, history, product, 4, out_dir=tmp_path)
    plans = [i.plan for i in seq]
    assert [i.stage for i in seq] == ["problem", "new_routine", "lifestyle", "recap"]
    assert check_arc(plans) == []
    assert product_hidden(plans[0]) and not any(product_hidden(p) for p in plans[1:])
    assert [has_cta(p) for p in plans] == [False, False, False, True]
    assert len({p.storyboard.hook for p in plans}) == 4
    said = [c for p in plans for c in claims(p)]
    assert len(said) == len(set(said)) >= 3  # claims are made, none twice
    assert seq[1].facets and not set(seq[1].facets) & set(seq[2].facets)  # facets complement each other
    # a figure is said in one impression only: the recap does not restate '50 MP' or '120 Hz' as a fact
    figures = [set(re.findall(r"\d[\d.,]*\d|\d", _said(p))) for p in plans]
    for i, mine in enumerate(figures):
        for j in range(i + 1, len(figures)):
            assert not mine & figures[j], (i + 1, j + 1, mine & figures[j])
    for p in plans:
        assert "what if your" not in " ".join(sc.narration.lower() for sc in p.storyboard.scenes)
        assert not majors(lint_plan(p)), describe(majors(lint_plan(p)))
    assert len({p.plan_id for p in plans}) == 4


def _said(plan: s.CreativePlan) -> str:
    return " ".join(f"{sc.narration} {sc.on_screen_text}" for sc in plan.storyboard.scenes)


def test_arc_copy_is_the_copy_engine_s_and_lifestyle_expands_to_another_interest(director, library, tmp_path):
    """u_maya runs, drinks coffee and goes to indie gigs: the problem speaks to running, the lifestyle impression
    widens to another of her interests (coffee, her medium tier), every line is linted copy."""
    from nextads_studio.library import load_history

    seq = plan_sequence(director, load_history(QILIN, "u_maya"), library.get("aurora-x"), 4, out_dir=tmp_path,
                        duration=6)
    problem, lifestyle = _said(seq[0].plan).lower(), _said(seq[2].plan).lower()
    assert "running" in problem and "aurora" not in problem
    assert "coffee" in lifestyle and "running" not in lifestyle
    assert "$699" in _said(seq[3].plan)  # the recap states the price next to its call to action
    lines = [t for i in seq for sc in i.plan.storyboard.scenes for t in (sc.narration, sc.on_screen_text) if t]
    assert len(lines) == len(set(lines))  # no line is said twice across the sequence


def test_the_director_reads_the_session_memory(director, library, tmp_path):
    from nextads_studio.director.learned import facets_led
    from nextads_studio.library import load_history

    history, product = load_history(QILIN, "u_maya"), library.get("ridge-roast")
    first = director.plan(history, product, out_dir=tmp_path / "a")
    second = director.plan(history, product, out_dir=tmp_path / "b", previous_plans=[first])
    assert second.storyboard.hook != first.storyboard.hook
    assert second.storyboard.timing_notes.split(";")[0] != first.storyboard.timing_notes.split(";")[0]  # angle
    told = facets_led(first)
    points = [sp for sp in product.selling_points if sp not in told]
    if told and points:  # facets already said go last: the second plan's first facet is one not said before
        said = [sc.narration.lower() for sc in second.storyboard.scenes]
        first_facet = min((i for i, line in enumerate(said) for sp in product.selling_points if sp.lower() in line),
                          default=None)
        assert first_facet is not None and not any(t.lower() in said[first_facet] for t in told)


@pytest.mark.slow
def test_nextads_evolve_renders_and_verifies_four_creatives(tmp_path, data_dir, capsys):
    from nextads_studio.cli import main
    from nextads_studio.evolve import product_seconds
    from nextads_studio.library import ProductLibrary

    out = tmp_path / "seq"
    code = main(["evolve", "--history", str(QILIN), "--user", "u_maya", "--product", "ridge-roast",
                 "--impressions", "4", "--duration", "6", "--resolution", "360", "--out", str(out)])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["arc_problems"] == []
    product = ProductLibrary.load(ROOT / "product_library").get("ridge-roast")
    rows = summary["impressions"]
    assert [r["stage"] for r in rows] == ["problem", "new_routine", "lifestyle", "recap"]
    for r in rows:
        folder = out / f"impression_{r['impression']}"
        verdict = s.Verdict.model_validate_json((folder / "verdict.json").read_text())
        assert verdict.decision == r["decision"] and Path(r["video"]).stat().st_size > 10_000
    # on the frames: no product in the first impression, the product in every later one
    assert product_seconds(rows[0]["video"], product) == []
    assert all(product_seconds(r["video"], product) for r in rows[1:])
    assert [bool(r["cta"]) for r in rows] == [False, False, False, True]
    # Campaign.evolve stored the sequence: one campaign, each impression a version with its creative and verdict
    from nextads_studio.studio import Studio

    store = Studio.from_settings().store
    assert summary["versions"] == [1, 2, 3, 4]
    versions = store.plan_versions(summary["campaign"])
    assert [v.note.split(":")[0] for v in versions] == [f"impression {k} of 4 ({r['stage'].replace('_', ' ')})"
                                                       for k, r in enumerate(rows, start=1)]
    assert [v.plan.storyboard.hook for v in versions] == [r["hook"] for r in rows]
    assert main(["campaigns", "list"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(c["person"], c["versions"]) for c in listed if c["id"] == summary["campaign"]] == [("u_maya", 4)]


def test_evolve_bad_input_is_one_line(tmp_path, data_dir, capsys):
    from nextads_studio.cli import main

    code = main(["evolve", "--history", str(QILIN), "--user", "u_maya", "--product", "ridge-roast",
                 "--impressions", "1", "--out", str(tmp_path / "x")])
    assert code == 2 and "--impressions: 1" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
