"""Feedback aggregated and remembered: decisions follow the aggregate of many impressions, what is learned becomes
a versioned section of the person's profile that changes the next plan, and a reset removes it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nextads_studio import schemas as s
from nextads_studio.reflector import Reflector
from nextads_studio.reflector.learning import learn_preferences, update_learned

ROOT = Path(__file__).resolve().parents[2]


def _mixed(early_skips: int, total: int = 20, seed: int = 0, version: int = 1) -> list[s.FeedbackEvent]:
    """`total` impressions: early skips at 1-2.9 s, the rest finish (every third clicks), in a shuffled order
    that always starts with one early skip."""
    rng = random.Random(seed)
    skips = [s.FeedbackEvent(impression_id=f"v{version}-s{i}", plan_version=version,
                             watch_time=round(rng.uniform(1.0, 2.9), 1), skip_time=None) for i in range(early_skips)]
    skips = [e.model_copy(update={"skip_time": e.watch_time}) for e in skips]
    rest = [s.FeedbackEvent(impression_id=f"v{version}-f{i}", plan_version=version, watch_time=15.0,
                            clicks=int(i % 3 == 0)) for i in range(total - early_skips)]
    tail = skips[1:] + rest
    rng.shuffle(tail)
    return [skips[0], *tail]


@pytest.mark.parametrize("early, rewrites", [(4, False), (8, False), (14, True), (17, True)])
def test_twenty_mixed_events_decide_on_the_aggregate(plan, early, rewrites):
    events = _mixed(early)
    assert events[0].skip_time is not None and events[0].skip_time < 3  # every mix opens with an early skip
    proposal = Reflector().propose(plan, None, events)
    assert any(d.kind == "rewrite_hook" for d in proposal.directives) is rewrites
    hook = proposal.decisions[0]
    assert hook.rate.k == early and hook.rate.n == 20
    assert f"{early}/20" in hook.reason and "P(above the 35% norm)" in hook.reason
    # the order of the impressions does not matter, only their aggregate
    again = Reflector().propose(plan, None, list(reversed(events)))
    assert [d.kind for d in again.directives] == [d.kind for d in proposal.directives]


# --- learned preferences, end to end through the store and the Director ---------------------------------
@pytest.fixture(scope="module")
def maya():
    from nextads_studio.library import ProductLibrary, load_audience

    audience_dir = ROOT / "assets" / "audience"
    if not (audience_dir / "notes" / "qilin_demo.csv").is_file():
        pytest.skip("demo audience not generated")
    return load_audience(audience_dir)["u_maya"], ProductLibrary.load(ROOT / "product_library").get("ridge-roast")


def _two_styles(director, history, product, out: Path) -> tuple[s.CreativePlan, s.CreativePlan]:
    """Two versions a person saw: the Director's own, and one with a demo hook and a playful tone."""
    from nextads_studio.director.learned import hook_framework

    first = director.plan(history, product, out_dir=out / "a", learned=s.LearnedPreferences(user_id="u_maya"))
    data = first.model_dump()
    data["storyboard"]["hook"] = data["storyboard"]["scenes"][0]["narration"] = "Watch your morning brew come alive."
    data["storyboard"]["tone_tags"] = ["playful"]
    second = s.CreativePlan.model_validate(data)
    assert hook_framework(first.storyboard.hook) != "demo" and first.storyboard.tone_tags[0] != "playful"
    return first, second


def test_a_learned_preference_changes_the_next_plan_and_reset_removes_it(maya, embedder, settings, tmp_path):
    from nextads_studio.director import Director
    from nextads_studio.director.learned import hook_framework
    from nextads_studio.store import Store

    history, product = maya
    store = Store.open(settings)
    director = Director(embedder)
    director.learned_source = store.learned_preferences
    first, second = _two_styles(director, history, product, tmp_path)
    camp = store.create_campaign(history, product, author="ana")
    store.save_plan_version(camp.id, first, author="ana")
    store.save_plan_version(camp.id, second, author="ana")
    # version 1 mostly skipped early; version 2 (demo hook, playful) mostly watched and clicked
    v1 = [s.FeedbackEvent(impression_id=f"a{i}", watch_time=1.5, skip_time=1.5) for i in range(16)]
    v1 += [s.FeedbackEvent(impression_id=f"a-f{i}", watch_time=15.0) for i in range(4)]
    v2 = [s.FeedbackEvent(impression_id=f"b{i}", watch_time=15.0, clicks=int(i % 2 == 0)) for i in range(16)]
    v2 += [s.FeedbackEvent(impression_id=f"b-s{i}", watch_time=1.5, skip_time=1.5) for i in range(4)]
    assert store.import_feedback(camp.id, v1, plan_version=1) == (20, 0)
    assert store.import_feedback(camp.id, v2, plan_version=2) == (20, 0)
    assert store.import_feedback(camp.id, v2, plan_version=2) == (0, 20)  # a second import counts nothing twice
    baseline = director.plan(history, product, out_dir=tmp_path / "base")

    learned = update_learned(store, "u_maya")
    assert learned is not None and learned.version == 1
    assert (learned.hook_framework, learned.tone) == ("demo", "playful")
    assert learned.confidence["tone"] >= 0.8 and learned.impressions == 40
    assert {e.value for e in learned.evidence if e.dimension == "tone"} >= {"playful"}
    assert update_learned(store, "u_maya").version == 1  # same evidence: no new version

    after = director.plan(history, product, out_dir=tmp_path / "after")
    assert after.profile.learned is not None and after.profile.learned.version == 1  # inspectable in the plan
    assert after.storyboard.tone_tags[0] == "playful" != baseline.storyboard.tone_tags[0]
    assert hook_framework(after.storyboard.hook) == "demo" and after.storyboard.hook != baseline.storyboard.hook

    reset = store.reset_learned_preferences("u_maya", by="maya")
    assert reset.version == 2 and reset.empty and store.learned_preferences("u_maya") is None
    assert update_learned(store, "u_maya") is None  # the reset is not undone by re-reading old feedback
    again = director.plan(history, product, out_dir=tmp_path / "again")
    assert again.profile.learned is None
    assert again.storyboard == baseline.storyboard
    assert [r.version for r in store.learned_preference_versions("u_maya")] == [1, 2]
    store.close()


def test_one_good_version_alone_teaches_no_preference(plan):
    events = [s.FeedbackEvent(impression_id=f"i{i}", watch_time=15.0, clicks=1) for i in range(30)]
    learned = learn_preferences("nora", [(plan, events)])
    assert learned.empty and learned.describe() == "nothing learned yet"
    assert {e.dimension for e in learned.evidence} >= {"tone", "hook_framework"}
