"""The offline judge's measurements move the way a viewer would expect, and failures are missing, never 0."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from nextads_studio.schemas import Creative, Note, UserHistory
from nextads_studio.verifier.judge import OfflineJudge, caption_contrast, palette_distance
from nextads_studio.verifier.presence import PresenceDetector
from nextads_studio.verifier.quality import VideoSample

from .clips import texture
from .conftest import make_plan, make_profile


def _flat_product(path):
    """A flat, shaded drawing (few corners) like the product library's: a rounded body and a band."""
    img = np.full((400, 400, 3), (236, 226, 222), np.uint8)
    cv2.rectangle(img, (170, 40), (230, 360), (30, 120, 80), -1)
    cv2.rectangle(img, (140, 130), (260, 270), (60, 60, 60), -1)
    cv2.circle(img, (200, 200), 40, (240, 180, 20), 8)
    cv2.imwrite(str(path), img)
    return path


def _scene(bg_colour, product=None, size=160):
    frame = np.full((360, 640, 3), bg_colour, np.uint8)
    if product is not None:
        p = cv2.cvtColor(cv2.imread(str(product)), cv2.COLOR_BGR2RGB)
        p = cv2.resize(p, (size, size))
        frame[100:100 + size, 240:240 + size] = p
    return frame


@pytest.mark.parametrize("kind", ["photo", "flat"])
def test_product_is_found_where_shown_and_not_elsewhere(assets, tmp_path, kind):
    path = assets["product"] if kind == "photo" else _flat_product(tmp_path / "flat.png")
    finder = PresenceDetector([str(path)])
    assert finder.present(_scene((90, 40, 160), path, size=220))[0]
    assert not finder.present(_scene((90, 40, 160)))[0]
    assert not finder.present(texture(640, 360, seed=9))[0]


def test_palette_distance_prefers_the_users_colours():
    profile = make_profile()
    green = [np.full((90, 160, 3), (46, 125, 50), np.uint8)]
    magenta = [np.full((90, 160, 3), (220, 20, 200), np.uint8)]
    assert palette_distance(green, profile.visual.palette) < 5 < palette_distance(magenta, profile.visual.palette)


def test_caption_contrast_reads_dark_on_light_worse_than_white_on_dark():
    def card(fg, bg):
        f = np.full((360, 640, 3), 120, np.uint8)
        cv2.rectangle(f, (120, 260), (520, 320), bg, -1)
        cv2.putText(f, "Cushioned for long runs", (140, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.0, fg, 2, cv2.LINE_AA)
        return f

    assert caption_contrast(card((255, 255, 255), (20, 20, 20))) > 7
    assert caption_contrast(card((200, 200, 200), (235, 235, 235))) < 2


def _sample(frames, fps=8.0) -> VideoSample:
    return VideoSample(path="x.mp4", fps=fps, duration=len(frames) / fps, width=640, height=360, frames=frames,
                       times=[i / fps for i in range(len(frames))])


def _creative(plan):
    return Creative(plan_id=plan.plan_id, plan_version=1, video_path="x.mp4", duration=15, width=640, height=360)


def _person(tmp_path, user_id: str, topics: list[str], colour) -> UserHistory:
    """A note history on `topics` whose photos are dominated by `colour` (with texture, like real photos)."""
    notes = []
    for i, topic in enumerate(topics):
        img = (0.75 * np.full((120, 160, 3), colour, np.float32) + 0.25 * texture(160, 120, seed=i)).astype(np.uint8)
        path = tmp_path / f"{user_id}_{i}.png"
        cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
        notes.append(Note(note_idx=f"{user_id}{i}", title=topic, content=topic, image_paths=[str(path)]))
    return UserHistory(user_id=user_id, kind="notes", notes=notes)


RUNNER = ["Hill repeats on the ridge trail before sunrise", "Ultra race prep: long trail runs every weekend",
          "New trail running shoes for rocky descents", "Mountain trail run with 900 m of climbing",
          "Recovery jog and stretching after the trail race"]
WOODWORKER = ["Cut dovetail joints for a walnut box", "Sharpened my chisels and hand plane",
              "Built a workbench from oak", "Finishing a maple cutting board with oil",
              "Restored an old hand saw in the workshop"]
BAKER = ["Sourdough starter feeding schedule", "Laminated croissant dough at home", "Baked a lemon tart",
         "Cinnamon rolls for Sunday brunch", "Testing a new rye bread recipe"]


def test_personalization_is_judged_against_the_person_not_the_plan(assets, tmp_path, embedder):
    judge = OfflineJudge(embedder)
    runner = _person(tmp_path, "runner", RUNNER, (46, 125, 50))
    woodworker = _person(tmp_path, "woodworker", WOODWORKER, (150, 95, 50))
    baker = _person(tmp_path, "baker", BAKER, (235, 200, 160))
    audience = [runner, woodworker, baker]
    trail_ad = ["Dawn on the ridge trail, your weekend ritual.", "Cushioned for long hill runs.", "Your trail, your pace"]
    camping_ad = ["Pitch your tent under the stars.", "A camp stove for every campsite.", "Sleep outside"]
    # the same ad is specific to the runner, not to the others
    assert judge.content(trail_ad, runner, audience).score >= 8
    assert judge.content(trail_ad, woodworker, audience).score <= 3
    # a woodworker read as a camper: the camping ad is not personalized for him, whatever the plan claimed
    assert judge.content(camping_ad, woodworker, audience).score < 5
    green = _sample([(0.75 * np.full((360, 640, 3), (46, 125, 50), np.float32)
                      + 0.25 * texture(640, 360, seed=9)).astype(np.uint8)] * 40)
    mine, other = judge.presentation(green, runner, audience), judge.presentation(green, baker, audience)
    assert mine.score > other.score + 3, (mine.reason, other.reason)
    assert "ranks 1 of 3" in mine.reason
    # the verdict also scores against the newest 20% of every history
    plan = make_plan(assets)
    scores = judge.score(plan, _creative(plan), {"sample": green, "history": runner, "audience": audience, "cues": []})
    assert "newest_20pct_score" in scores["personalization_content"].evidence


def test_failed_or_impossible_judgements_are_missing_not_zero(assets, embedder):
    judge = OfflineJudge(embedder)
    plan = make_plan(assets, mode="generic")
    frames = [np.full((360, 640, 3), 128, np.uint8)] * 40
    scores = judge.score(plan, _creative(plan), {"sample": _sample(frames), "profile": None})
    assert scores["personalization_presentation"].missing and scores["personalization_presentation"].score is None
    assert scores["personalization_content"].missing
    assert not scores["product_alignment"].missing and scores["product_alignment"].evidence["presence"] == 0.0


def test_diversity_drops_for_a_near_copy(assets, embedder, tmp_path):
    from .clips import write_clip

    judge = OfflineJudge(embedder)
    plan = make_plan(assets)
    frames = [texture(320, 180, seed=4)] * 30
    video = write_clip(tmp_path / "peer.mp4", frames)
    peer = (plan, _creative(plan).model_copy(update={"video_path": str(video)}))
    sample = _sample([cv2.resize(f, (640, 360)) for f in frames])
    assert judge.diversity(plan, sample, []).score == 10.0
    assert judge.diversity(plan, sample, [peer]).score < 3.0
