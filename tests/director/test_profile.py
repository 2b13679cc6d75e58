"""User modeling on the demo audience: themes, tiers, sensitive exclusion, style, visual taste, caching."""

from __future__ import annotations

import re

import numpy as np

from nextads_studio.director import Director
from nextads_studio.director.sensitive import find_sensitive
from nextads_studio.schemas.audience import Note, UserHistory
from nextads_studio.schemas.common import TONE_TAGS


def _expected_strong(design_user: dict) -> dict:
    """The design's strongest tier a planner may use: the sensitive strong tier is never an interest."""
    return design_user["medium"] if design_user.get("sensitive") else design_user["strong"]


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\s&·,/]+", text.lower()) if w}


def test_strongest_theme_matches_the_design(profiles, design):
    for uid, profile in profiles.items():
        expected = _expected_strong(design[uid])
        strong = profile.tier("strong")
        assert strong is not None, uid
        tiers = [t for t in ("strong", "medium", "weak") if not (t == "strong" and design[uid].get("sensitive"))]
        counts = {t: sum(1 for e in strong.evidence if e in design[uid][t]["note_idxs"]) for t in tiers}
        # The design's strongest usable tier is the plurality of the evidence behind our strong theme.
        assert counts[tiers[0]] == max(counts.values()) and counts[tiers[0]] >= 0.5 * len(strong.evidence), \
            (uid, strong.theme, counts)
        found = _words(strong.theme) | {k.lower() for k in strong.keywords}
        wanted = {k.lower() for k in expected["keywords"]} | _words(expected["theme"])
        assert any(f in w or w in f for f in found for w in wanted if len(w) > 1), (uid, strong.theme, wanted)


def test_themes_are_key_phrases_not_copied_titles(profiles, audience):
    for uid, profile in profiles.items():
        titles = {n.title.strip().lower() for n in audience[uid].notes}
        for interest in profile.interests:
            assert interest.theme.lower() not in titles, (uid, interest.theme)
            assert interest.summary and interest.evidence


def test_tiers_are_ordered_by_share(profiles):
    for uid, profile in profiles.items():
        shares = [i.share for i in profile.interests]
        assert [i.tier for i in profile.interests] == ["strong", "medium", "weak"][: len(shares)], uid
        assert shares[0] >= max(shares), uid


def test_health_condition_cluster_is_excluded(profiles, audience, design):
    priya = profiles["u_priya"]
    assert "health condition" in priya.excluded_sensitive
    diabetes_notes = set(design["u_priya"]["strong"]["note_idxs"])
    notes = {n.note_idx: n for n in audience["u_priya"].notes}
    for interest in priya.interests:
        assert not diabetes_notes & set(interest.evidence), interest.theme
        for text in (interest.theme, interest.summary, *interest.keywords):
            assert not find_sensitive(text), text
        for e in interest.evidence:
            assert not find_sensitive(notes[e].title + " " + notes[e].content)
    for u in profiles:
        if not design[u].get("sensitive") and u != "u_leo":
            assert profiles[u].excluded_sensitive == [], u


def test_style_needs_and_visual_taste(profiles):
    for profile in profiles.values():
        assert profile.style.tone_tags and set(profile.style.tone_tags) <= set(TONE_TAGS)
        if profile.visual is not None:
            assert 4 <= len(profile.visual.palette) <= 6
        for trait in profile.needs + profile.decision_tendencies:
            assert trait.evidence
    assert profiles["u_chen"].language == "zh"
    assert profiles["u_maya"].language == "en"
    assert profiles["u_maya"].visual is not None


def test_video_history_has_pacing_and_a_profile(director, audience):
    videos = [h for h in audience.values() if h.kind == "videos"]
    if not videos or not any(v.video_path and __import__("os").path.exists(v.video_path) for v in videos[0].videos):
        import pytest

        pytest.skip("demo videos not generated")
    profile = director.build_profile(videos[0])
    assert profile.interests
    assert profile.style.shots_per_minute is not None and profile.style.shots_per_minute > 0
    assert 0 <= profile.style.motion <= 1


class CountingEmbedder:
    """Wraps the real embedder and records how many texts each call embeds."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def embed(self, texts):
        self.calls.append(list(texts))
        return self.inner.embed(texts)


def _history(audience, uid, upto):
    h = audience[uid]
    return UserHistory(user_id=uid, kind="notes", gender=h.gender, age=h.age, notes=list(h.notes[:upto]))


def test_profile_cache_on_disk_and_incremental_update(embedder, audience, tmp_path):
    counting = CountingEmbedder(embedder)
    d = Director(counting, cache_dir=tmp_path)
    first = d.build_profile(_history(audience, "u_maya", 17))
    assert not d.last_state.incremental
    assert list(tmp_path.glob("u_maya--*.json")) and list(tmp_path.glob("u_maya--*.npz"))
    assert d.build_profile(_history(audience, "u_maya", 17)) is first  # memory cache

    # A fresh Director reads the disk cache: no note is embedded again.
    counting2 = CountingEmbedder(embedder)
    d2 = Director(counting2, cache_dir=tmp_path)
    again = d2.build_profile(_history(audience, "u_maya", 17))
    assert again == first and counting2.calls == []

    # Three new notes: only they are embedded; the clusters are reused (incremental).
    counting2.calls.clear()
    grown = d2.build_profile(_history(audience, "u_maya", 20))
    notes_embedded = [t for call in counting2.calls for t in call if "\n" in t]
    assert len(notes_embedded) == 3
    assert d2.last_state.incremental and d2.last_state.reused == 17
    assert grown.history_hash != first.history_hash
    # The old clusters survive: every note behind the strong theme is still behind it.
    assert set(first.tier("strong").evidence) <= set(grown.tier("strong").evidence)
    assert grown.tier("strong").theme == first.tier("strong").theme == "running"


def test_a_profile_cached_by_an_older_profiler_is_made_again(embedder, audience, tmp_path):
    """A studio upgraded to a profiler that names interests differently must not keep showing the old names
    until the person's history changes; the cached embeddings are still reused (no note embedded again)."""
    import json

    from nextads_studio.director import director as D

    d = Director(embedder, cache_dir=tmp_path)
    first = d.build_profile(_history(audience, "u_maya", 17))
    cached = next(tmp_path.glob("u_maya--*.json"))
    meta = json.loads(cached.read_text(encoding="utf-8"))
    assert meta["profiler"] == D.PROFILER_VERSION
    meta["profile"]["interests"][0]["theme"] = "an old name"  # what an older profiler wrote
    meta["profiler"] = "profiler-0"
    cached.write_text(json.dumps(meta), encoding="utf-8")
    counting = CountingEmbedder(embedder)
    again = Director(counting, cache_dir=tmp_path).build_profile(_history(audience, "u_maya", 17))
    assert again.interests[0].theme == first.interests[0].theme != "an old name"
    assert [t for call in counting.calls for t in call if "\n" in t] == []  # the notes' embeddings were reused
    meta["profiler"] = D.PROFILER_VERSION  # the current profiler's cache is served as it is
    cached.write_text(json.dumps(meta), encoding="utf-8")
    assert Director(embedder, cache_dir=tmp_path).build_profile(_history(audience, "u_maya", 17)).interests[
        0].theme == "an old name"


def test_new_note_far_from_every_cluster_triggers_a_rebuild(embedder, audience):
    d = Director(embedder)
    base = _history(audience, "u_aisha", 20)
    d.build_profile(base)
    odd = Note(note_idx="odd_1", title="Quarterly tax filing checklist",
               content="Spreadsheet of invoices, VAT numbers and deadlines for the accountant.")
    grown = base.model_copy(update={"notes": [*base.notes, odd]})
    d.build_profile(grown)
    state = d.last_state
    assert not state.incremental  # too far from every cached cluster: re-clustered
    assert state.reused == 20 and state.embedded == 1  # ... but still only the new note was embedded
    assert len(state.item_ids) == 21
    assert np.isfinite(state.centroids).all()


def test_profiles_are_deterministic(embedder, audience):
    a = Director(embedder).build_profile(audience["u_sam"])
    b = Director(embedder).build_profile(audience["u_sam"])
    assert a == b


def test_interests_are_named_as_a_person_says_them(embedder, profiles, tmp_path):
    """Named by the activity the person wrote about or its topic, not by incidental words: a houseplant keeper's
    notes that mention a shelf are gardening, not DIY; a roastery-and-pour-over interest is coffee, not 'beans & fitness';
    a woodworker's is woodworking, not 'walnut & table'."""
    texts = [
        ("First V4 send at the bouldering gym", "Finally topped the overhang problem after three weeks."),
        ("My monstera unfurled a new leaf", "Repotted the monstera into a terracotta pot with chunky aroid mix."),
        ("Hangboard routine", "Ten second hangs on the 20 mm edge before every bouldering session."),
        ("Propagating pothos cuttings in water", "Cut below the node, glass jars on the shelf, roots in two weeks."),
        ("Outdoor bouldering trip", "Crash pads, brushes and cold fingers on the granite boulders."),
        ("Grow light for my fern corner", "Winter is dark here, so the ferns and calatheas get a shelf with a timer."),
        ("Taping up before a bouldering session", "Split tip again. Tape, balm and rest days matter."),
        ("Watering schedule that keeps my calathea happy", "Filtered water every six days and a humidity tray."),
    ]
    history = UserHistory(user_id="u_new", kind="notes", notes=[
        Note(note_idx=f"n{k}", title=t, content=c) for k, (t, c) in enumerate(texts)])
    themes = {i.theme for i in Director(embedder, cache_dir=tmp_path).build_profile(history).interests}
    assert themes == {"gardening", "bouldering"}, themes
    assert profiles["u_maya"].tier("medium").theme == "coffee"
    assert profiles["u_leo"].tier("strong").theme == "woodworking"


def test_key_phrases_never_say_the_same_words_twice(embedder, tmp_path):
    """A sailor's interest read 'reading tide tables, means reading tide' and a birder's 'binoculars borrowed,
    borrowed binoculars' (in the profile and in the storyboard's visual line): a phrase that shares a two-word run
    with a kept one, or is the same words in another order, is left out."""
    from nextads_studio.director.profile import rank_phrases

    vecs = {p: np.ones(4, dtype=np.float32) for p in (
        "reading tide tables", "means reading tide", "borrowed binoculars", "binoculars borrowed", "anchored overnight")}
    scored = {"reading tide tables": 1.0, "means reading tide": 0.9, "binoculars borrowed": 0.8,
              "borrowed binoculars": 0.7, "anchored overnight": 0.6}
    assert rank_phrases(scored, vecs, np.ones(4, dtype=np.float32) / 2, "en") == [
        "reading tide tables", "binoculars borrowed", "anchored overnight"]
    texts = [("Reefed early", "Sailing out of the harbour at 7, wind picked up to 22 knots. Reefed the main."),
             ("Tide tables are my new hobby", "Planning the passage means reading tide tables every evening."),
             ("Club regatta, third place", "Third in the club regatta, sailing a borrowed Laser."),
             ("Anchored in the bay", "Anchored overnight in the bay, sailing home at dawn."),
             ("Chess club opening prep", "Studying the Caro-Kann for the chess club league."),
             ("Blitz chess at the pub", "Blitz chess night at the pub, won four games in a row."),
             ("Endgame study", "Rook endgames all evening for the chess league.")]
    history = UserHistory(user_id="u_sail", kind="notes", notes=[
        Note(note_idx=f"n{k}", title=t, content=c) for k, (t, c) in enumerate(texts)])
    for interest in Director(embedder, cache_dir=tmp_path).build_profile(history).interests:
        words = [p.split() for p in interest.keywords]
        runs = [tuple(w[i:i + 2]) for w in words for i in range(len(w) - 1)]
        assert len(runs) == len(set(runs)), interest.keywords
