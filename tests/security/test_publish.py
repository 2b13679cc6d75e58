"""Item 2: the per-request file handler. A handler's outputs reach the page only through publishing: the person's
own renders and the team's audience/product images are copied into the web cache; the database, other campaigns'
run folders, uploads that are not theirs and settings are withheld. Texts show data-dir paths relative."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui.serving import Viewer, publish
from nextads_studio.ui.session import Session
from tests.store.builders import make_history, make_plan, make_product


def put(path: Path, text: str = "bytes") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def team(tmp_path):
    """A signed-in studio with an editor who owns a campaign, another editor and an approver."""
    from tests.security.conftest import cheap_hasher

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nextads_studio.store.users._hasher", cheap_hasher())
        studio = Studio(Settings(data_dir=tmp_path / "data", require_login=True))
        for name, role in (("ed", "editor"), ("eve", "editor"), ("april", "approver")):
            studio.store.add_user(name, f"{name}-secret-pw", role)
        plan = make_plan()
        camp = studio.store.create_campaign(make_history(), make_product(), author="ed")
        studio.store.save_plan_version(camp.id, plan, author="ed", expected_version=0)
        sess = Session(campaign=studio.open_campaign(camp.id))
        yield studio, sess


def served_copy(value) -> bool:
    from gradio.utils import get_upload_folder

    return isinstance(value, str) and Path(get_upload_folder()).resolve() in Path(value).resolve().parents


def test_own_render_is_published_as_a_cached_copy(team):
    studio, sess = team
    video = put(studio.data_dir / "runs" / sess.plan.plan_id / "v1" / "render" / "creative.mp4", "ed's video")
    out = publish(Viewer(studio, sess, "ed"), str(video))
    assert served_copy(out) and Path(out).read_text() == "ed's video"


def test_the_campaign_run_folder_is_published_to_its_people_only(team):
    from nextads_studio import runs

    studio, sess = team
    video = put(runs.run_dir(studio.data_dir, sess.campaign_id, 1, "render") / "creative.mp4", "ed's video")
    assert served_copy(publish(Viewer(studio, sess, "ed"), str(video)))
    assert publish(Viewer(studio, sess, "eve"), str(video)) is None
    other = put(runs.run_dir(studio.data_dir, sess.campaign_id + 1, 1, "render") / "creative.mp4")
    assert publish(Viewer(studio, sess, "ed"), str(other)) is None


def test_approver_sees_it_and_another_editor_does_not(team):
    studio, sess = team
    video = put(studio.data_dir / "runs" / sess.plan.plan_id / "v1" / "render" / "creative.mp4")
    assert served_copy(publish(Viewer(studio, sess, "april"), str(video)))
    assert publish(Viewer(studio, sess, "eve"), str(video)) is None


@pytest.mark.parametrize("rel", ["studio.db", "studio.db-wal", "runs/plan-someone-else/v1/render/creative.mp4",
                                 "uploads/history_x/h.csv", "uploads/assets/abc.png", "blobs/ab/abcdef",
                                 "settings.json", "cache/generated/x.mp4", "audience/.staging-x/a.png"])
def test_private_files_are_withheld_from_every_role(team, rel):
    studio, sess = team
    path = put(studio.data_dir / rel)
    for who in ("ed", "eve", "april"):
        assert publish(Viewer(studio, sess, who), str(path)) is None, (who, rel)
        assert publish(Viewer(studio, sess, who), [str(path), "caption"]) == [None, "caption"]


def test_team_images_and_own_uploads_are_published(team):
    studio, sess = team
    face = put(studio.data_dir / "audience" / "h" / "images" / "u1" / "n1_1.png")
    mine = put(studio.data_dir / "uploads" / "assets" / "0123.png")
    sess.extra_assets = [str(mine)]
    viewer = Viewer(studio, sess, "ed")
    assert served_copy(publish(viewer, str(face)))
    assert served_copy(publish(viewer, (str(mine), "extra")[0]))


def test_texts_show_data_dir_paths_relative(team):
    studio, sess = team
    root = studio.data_dir.resolve()
    text = json.dumps({"collage_path": f"{root}/runs/p/v1/collage.png", "note": f"missing {root}/blobs/ab"})
    shown = publish(Viewer(studio, sess, "ed"), text)
    assert str(root) not in shown and "runs/p/v1/collage.png" in shown


def test_session_object_and_other_values_pass_through(team):
    studio, sess = team
    out = publish(Viewer(studio, sess, "ed"), {"__type__": "update", "value": 3, "visible": True})
    assert out == {"__type__": "update", "value": 3, "visible": True}


def test_shipped_asset_paths_pass_unchanged(team):
    studio, sess = team
    shipped = next((studio.settings.assets_dir / "audience").rglob("*.jpg"))
    assert publish(Viewer(studio, sess, "ed"), str(shipped)) == str(shipped)


def test_list_choices_are_shown_relative_and_come_back_absolute(team):
    from nextads_studio.ui.serving import absolute_input

    studio, sess = team
    face = put(studio.data_dir / "audience" / "h" / "images" / "a.png")
    shipped = next((studio.settings.assets_dir / "audience").rglob("*.jpg"))
    update = {"__type__": "update", "choices": [("a.png", str(face)), (shipped.name, str(shipped))],
              "value": [str(face)]}
    shown = publish(Viewer(studio, sess, "ed"), update)
    assert shown["choices"][0][1] == "audience/h/images/a.png" and shown["value"] == ["audience/h/images/a.png"]
    assert shown["choices"][1][1].startswith("assets/")
    assert absolute_input(studio, shown["value"]) == [str(face.resolve())]
    assert absolute_input(studio, shown["choices"][1][1]) == str(shipped.resolve())
    assert absolute_input(studio, "../../etc/passwd") == "../../etc/passwd"
    put(studio.data_dir / "settings.json")
    assert absolute_input(studio, "studio.db") == "studio.db"
    assert absolute_input(studio, "settings.json") == "settings.json"


def test_a_gallery_item_whose_image_is_withheld_is_left_out_not_sent_as_none(team):
    """A gallery of (image, caption) items: one image the viewer may not see is dropped; a None image made Gradio
    fail the handler's whole output with a bare "Error" (the Impressions tab's strip)."""
    import gradio as gr

    from nextads_studio import runs

    studio, sess = team
    own = put(runs.run_dir(studio.data_dir, sess.campaign_id, 1, "sequence") / "impression_1" / "sheet.png")
    other = put(runs.run_dir(studio.data_dir, sess.campaign_id + 1, 1, "sequence") / "impression_1" / "sheet.png")
    shown = publish(Viewer(studio, sess, "ed"), [(str(own), "1 · problem"), (str(other), "2 · new routine")])
    assert [caption for _, caption in shown] == ["1 · problem"] and served_copy(shown[0][0])
    assert publish(Viewer(studio, sess, "eve"), [(str(own), "1 · problem")]) == []
    gr.Gallery().postprocess(shown)  # what Gradio does with it: no error
