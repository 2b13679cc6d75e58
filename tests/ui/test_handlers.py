"""The UI's handlers called directly (no server): what a marketer would see after each click."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from nextads_studio.media_io import probe
from nextads_studio.ui import actions, audience, history, plan, reflect, verify, views
from nextads_studio.ui.session import Session

from .conftest import DURATION, new_campaign, render_and_verify


def test_demo_user_shows_history_gallery_and_profile_tiers(studio, demo_user):
    sess, rows, images, profile_html, status = audience.on_user(studio, Session(), demo_user)
    assert sess.history is not None and rows and images
    assert all(Path(p).is_file() for p, _ in images)
    assert "strong" in profile_html and "evidence" in profile_html and "nx-swatch" in profile_html
    assert "✔" in status


def test_health_condition_user_shows_excluded_theme(studio):
    users = actions.audience(studio)
    uid = "u_priya" if "u_priya" in users else next(u for u, h in users.items() if "priya" in u)
    sess, _, _, profile_html, _ = audience.on_user(studio, Session(), uid)
    assert sess.profile.excluded_sensitive
    assert "Excluded sensitive themes" in profile_html


def test_chinese_user_profile_language(studio):
    sess, rows, _, _, status = audience.on_user(studio, Session(), "u_chen")
    assert sess.profile.language.startswith("zh")
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in str(r[1]) + str(r[2])) for r in rows)


def test_bad_history_upload_gives_message_not_trace(studio, tmp_path):
    bad = tmp_path / "history.csv"
    bad.write_text("not,the,right\ncolumns,at,all\n")
    sess, update, status = audience.on_upload_history(studio, Session(), [str(bad)])
    assert status.startswith("✖") and "Could not import" in status
    assert "Traceback" not in status


def test_fake_image_in_product_form_is_refused(studio, tmp_path):
    fake = tmp_path / "photo.jpg"
    fake.write_text("this is not an image")
    _, update, status = audience.on_new_product(studio, Session(), "Trail Bottle", "Nimbus", "retail", "Stay cool",
                                                "", "Keeps water cold\nFits cup holders", "price: $20", str(fake), None)
    assert status.startswith("✖") and "Product image" in status
    assert not any(p.product_id == "nimbus-trail-bottle" for p in actions.products(studio))


def test_non_video_host_upload_is_refused(studio, tmp_path):
    fake = tmp_path / "host.mp4"
    fake.write_bytes(b"\x00" * 2048)
    sess, _, status = audience.on_host_upload(studio, Session(), str(fake))
    assert status.startswith("✖") and sess.host_video is None


def test_plan_shows_match_storyboard_and_is_stored(studio, planned):
    scenes = views.storyboard_rows(planned.plan)
    assert abs(scenes[-1][2] - DURATION) < 1e-6 and scenes[0][1] == 0
    html = views.match_html(planned.plan)
    assert "product match" in html and ("Chosen" in html or "Generic fallback" in html)
    versions = studio.store.plan_versions(planned.campaign_id)
    assert [v.version for v in versions] == [1]


def test_storyboard_edit_saves_a_new_version(studio, demo_user, demo_product):
    sess = new_campaign(studio, demo_user, demo_product)
    rows = views.storyboard_rows(sess.plan)
    rows[0][7] = "Fresh start"
    sess, status, *_ = plan.on_save(studio, sess, rows, sess.plan.storyboard.hook, sess.plan.storyboard.cta, None)
    assert "Saved version 2" in status
    assert sess.plan.scene(0).on_screen_text == "Fresh start" and sess.plan.parent_version == 1
    assert studio.store.latest_plan(sess.campaign_id).version == 2


def test_invalid_edit_lists_every_error_at_its_cell_and_keeps_the_table(studio, planned):
    sess = copy.deepcopy(planned)
    rows = views.storyboard_rows(sess.plan)
    rows[0][6] = " ".join(["word"] * 20)
    rows[1][5] = "zoom"
    rows[2][1] = "soon"
    sess, status, *out = plan.on_save(studio, sess, rows, "hook", "", None)
    assert "3 problems" not in status and "4 problems" in status
    for where in ("Scene 0 · Narration", "Scene 1 · Camera motion", "Scene 2 · Start (s)", "Call to action"):
        assert where in status, status
    assert sess.plan.version == 1 and len(studio.store.plan_versions(sess.campaign_id)) == 1
    # the table keeps what was typed, with the bad cells shaded; nothing else on the tab changes
    table = out[3]["value"]
    assert table.data.iloc[0, 6] == rows[0][6] and table.data.iloc[2, 1] == "soon"
    shaded = {cell for cell, css in table._compute().ctx.items() if ("background-color", "#FDECEA") in css}
    assert shaded == {(0, 6), (1, 5), (2, 1)}
    assert all(o == {"__type__": "update"} for i, o in enumerate(out) if i != 3)
    rows = views.storyboard_rows(sess.plan)
    rows[1][1] = rows[0][1]  # scene 1 now overlaps scene 0
    _, status, *_ = plan.on_save(studio, sess, rows, sess.plan.storyboard.hook, sess.plan.storyboard.cta, None)
    assert "overlapping" in status or "gap" in status


def test_render_gives_player_and_downloads(studio, rendered):
    c = rendered.creative
    assert abs(probe(c.video_path).duration - DURATION) < 0.25
    from nextads_studio.ui.produce import download_files

    names = [Path(p).suffix for p in download_files(studio, rendered)]
    assert ".mp4" in names and ".srt" in names and ".json" in names


def test_verify_shows_scorecard_and_decision(studio, rendered):
    card, findings, decision = verify.verify_outputs(rendered)
    assert rendered.verdict.decision in card.lower() or rendered.verdict.decision.upper() in card
    assert "nx-bar" in card and "Decision" in decision


@pytest.fixture(scope="module")
def flagged(studio, demo_user):
    """A rendered, verified plan with a health claim planted in its last scene's narration (another product
    than the browser test's, so the scene cache cannot already hold the fixed scene)."""
    sess = new_campaign(studio, demo_user, actions.products(studio)[1].product_id)
    rows = views.storyboard_rows(sess.plan)
    rows[-1][6] = "It cures anxiety and guarantees you lose weight"
    sess, status, *_ = plan.on_save(studio, sess, rows, sess.plan.storyboard.hook, sess.plan.storyboard.cta, None)
    assert "Saved" in status, status
    return render_and_verify(studio, sess)


def test_planted_claim_is_a_finding_and_selecting_it_seeks_its_start(flagged):
    import gradio as gr

    rows = views.finding_rows(flagged.verdict)
    hit = next(i for i, r in enumerate(rows) if flagged.verdict.compliance.findings[i].category == "safety")
    evt = gr.SelectData(target=None, data={"index": [hit, 0], "value": "x"})
    t = verify.on_finding(flagged, evt)
    last = flagged.plan.storyboard.scenes[-1]
    assert t is not None and last.start - 1e-6 <= t < last.end


def test_planted_health_claim_is_fixed_by_one_directive_touching_one_scene(studio, flagged):
    """The suggested fix changes only the flagged scene, and the re-render redoes only that scene."""
    from nextads_studio.ui import produce

    sess = flagged
    target = len(sess.plan.storyboard.scenes) - 1
    sess, choices, status = reflect.on_reflect(studio, sess)
    fix = [str(i) for i, d in zip(sess.campaign.directive_ids, sess.directives, strict=True)
           if d.scenes == [target] and d.cause == "claim"]
    assert len(fix) == 1, [(d.kind, d.scenes, d.cause, d.reason) for d in sess.directives]
    old = sess.plan
    sess, _, status, diff, loop = reflect.on_apply(studio, sess, fix)
    assert sess.plan.version == old.version + 1, status
    assert "cures" not in sess.plan.scene(target).narration
    changed = {r[0] for r in actions.plan_changes(old, sess.plan)}
    assert changed and all(f"scene {target}" in c or c.startswith("whole ad") for c in changed), changed
    assert "cures" in diff and "nx-new" in diff
    assert "{" not in diff and "None" not in diff and "/" not in diff.replace("</", "")
    sess, *_ = produce.on_render(studio, sess, "9:16", 360, "preview")
    assert target in sess.creative.scenes_rerendered
    assert len(sess.creative.scenes_rerendered) < len(sess.plan.storyboard.scenes)


def test_editor_cannot_approve_and_approver_can(studio, demo_user, demo_product):
    sess = render_and_verify(studio, new_campaign(studio, demo_user, demo_product))
    assert not any(f.severity == "critical" for f in sess.verdict.compliance.findings)  # the demo ad is clean
    studio.store.add_user("ui-editor", "editor-pass-123", role="editor", by="test")
    status, *_ = history.on_decide(studio, sess, "looks good", "approve", _Req("ui-editor"))
    assert status.startswith("✖") and "only an approver" in status
    studio.store.add_user("ui-approver", "approver-pass-123", role="approver", by="test")
    status, *_ = history.on_decide(studio, sess, "ship it", "approve", _Req("ui-approver"))
    assert status.startswith("✔"), status
    assert studio.store.current_approval(sess.campaign_id).username == "ui-approver"


class _Req:
    def __init__(self, username: str):
        self.username = username
        self.session_hash = "test"


def test_zip_upload_escaping_its_folder_is_refused(studio, tmp_path):
    import zipfile

    archive = tmp_path / "history.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../evil.csv", "user_idx,gender,age,note_idx,note_title,note_content,image_paths\n")
    _, _, status = audience.on_upload_history(studio, Session(), [str(archive)])
    assert status.startswith("✖") and "outside" in status
    assert not (studio.data_dir / "evil.csv").exists() and not (studio.data_dir.parent / "evil.csv").exists()


def test_uploaded_qilin_csv_becomes_a_pickable_person(studio, tmp_path):
    src = next((studio.settings.assets_dir / "audience" / "notes").glob("*.csv"))
    folder = tmp_path / "upload"
    import shutil

    shutil.copytree(src.parent, folder)
    for csv_file in folder.glob("*.csv"):  # fresh person ids: an upload never replaces the demo people
        lines = csv_file.read_text(encoding="utf-8").splitlines(keepends=True)
        csv_file.write_text(lines[0] + "".join(f"up_{line}" for line in lines[1:]), encoding="utf-8")
    archive = shutil.make_archive(str(tmp_path / "notes"), "zip", folder)
    sess, update, status = audience.on_upload_history(studio, Session(), [archive])
    assert status.startswith("✔"), status
    uid = update["value"]
    assert uid in sess.uploaded and sess.uploaded[uid].notes
    assert all(Path(p).is_relative_to(studio.data_dir) for n in sess.uploaded[uid].notes for p in n.image_paths)

    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    kept = restarted.audience[uid]
    assert len(kept.notes) == len(sess.uploaded[uid].notes)
    assert all(Path(p).is_relative_to(studio.data_dir / "audience") for n in kept.notes for p in n.image_paths)


def test_collage_controls_reorder_and_add_an_uploaded_image(studio, demo_user, demo_product, tmp_path):
    from PIL import Image

    sess = new_campaign(studio, demo_user, demo_product)
    # nothing changed: no version
    same = plan.on_collage(studio, sess, list(sess.plan.grounding.user_images), None, None)
    assert "no new version" in same[1] and sess.plan.version == 1
    extra = tmp_path / "extra.png"
    Image.new("RGB", (300, 200), "#C0392B").save(extra)
    chosen = list(reversed(sess.plan.grounding.user_images))[:2]
    swap = sess.plan.product.images[-1]
    sess, status, *out = plan.on_collage(studio, sess, chosen, swap, str(extra))
    assert status.startswith("✔"), status
    g = sess.plan.grounding
    assert g.user_images[:2] == chosen and len(g.user_images) == 3
    assert g.product_images[0] == swap and sess.plan.version == 2
    assert Path(g.collage_path).is_file() and "uploaded in the studio" in g.asset_licenses[g.user_images[2]]
    note = studio.store.plan_versions(sess.campaign_id)[-1].note
    assert "rebuilt the collage" in note


def test_pci_plan_shows_host_video_slider_and_rationale(studio):
    users = actions.audience(studio)
    uid = next(u for u, h in users.items() if h.host_video and h.host_video.video_path)
    sess, *_ = audience.on_user(studio, Session(), uid)
    product = actions.products(studio)[0].product_id
    sess, status, *out = plan.on_plan(studio, sess, uid, product, "pci", uid, 6, "16:9")  # the list holds ids
    assert sess.plan is not None, status
    slider, rationale, host = out[9], out[10], out[11]  # after the ask row and the campaign picker
    integ = sess.plan.integration
    assert slider["visible"] and slider["value"] == integ.timestamp and slider["maximum"] >= integ.timestamp
    assert f"{integ.timestamp}s" in rationale and host["visible"] and Path(host["value"]).is_file()
    # the status names the segment and the integrated length; the segment takes the host's orientation
    assert "6s segment" in status and "integrated video will last" in status, status
    from nextads_studio import rules

    assert sess.plan.storyboard.aspect == rules.host_frame(host["value"]).aspect


def test_compare_generic_and_nextads(studio, rendered):
    from nextads_studio.ui import compare

    sess = copy.deepcopy(rendered)
    sess, g_video, n_video, g_card, n_card, summary = compare.on_compare(studio, sess, 360)
    assert g_video and n_video and g_video != n_video, summary
    assert "GenericAds" in g_card and "NextAds" in n_card
    assert sess.generic["plan"].mode == "generic" and sess.generic["plan"].profile is None
    assert "Hook" in summary and sess.generic["plan"].storyboard.hook in summary
    # the generic ad uses no person data: its personalization scores are shown for comparison, never as a FAIL
    # beside an "accept" (the headline and the rows must tell one story)
    generic_rows = g_card.split("Personalization (content)")[1].split("</tr>")[0]
    assert "FAIL" not in generic_rows and "not required of a generic ad" in g_card


def test_impressions_simulation_table_and_plot(studio, planned):
    from nextads_studio.ui import impressions

    rows, plot, status = impressions.on_simulate(studio, copy.deepcopy(planned), 4)
    assert [r[1] for r in rows] == ["problem", "new routine", "lifestyle", "recap"], status
    assert "<svg" in plot and "evolving" in plot and "static" in plot
    assert "cumulative expected engagements (simulated)" in plot and ">impression<" in plot  # labelled axes
    assert "After 4 simulated impressions" in status and "x static" in status
    assert all(r[7].startswith(("exploit", "explore")) and "+-" in r[7] for r in rows)  # the choice and why
    assert all("what if your" not in r[3].lower() for r in rows)
    product = planned.plan.product
    rows, _, _ = impressions.on_simulate(studio, copy.deepcopy(planned), 12)  # past the selling points: facts
    facets = [r[2] for r in rows]
    assert all(f in product.selling_points or ": " in f for f in facets), facets  # 'Price: $699', never 'price'
    assert any(f.split(": ")[0].lower().replace(" ", "_") in product.facts for f in facets), facets


def test_feedback_import_attaches_to_versions_and_learns(studio, planned, tmp_path):
    from nextads_studio.ui import impressions

    sess = copy.deepcopy(planned)
    rows = ["impression_id,watch_time,skip_time,clicks"]
    rows += [f"ui-s{i},1.4,1.4,0" for i in range(14)] + [f"ui-f{i},{DURATION},,1" for i in range(6)]
    path = tmp_path / "feedback.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    table, status = impressions.on_import_feedback(studio, sess, [str(path)])
    assert "Imported 20 impressions" in status, status
    [row] = [r for r in table if r[0] == sess.plan.version]
    assert row[1] == 20 and row[2].startswith("70% (14/20; 90% interval ") and "early-skip rate 70%" in row[6]
    assert row[5].startswith("0% (0/20; 90% interval 0%-")  # conversions, with their uncertainty
    # the History tab shows the same per-version aggregates
    tables = history.history_tables(studio, sess)
    assert [r for r in tables[list(history.TABLES).index("feedback") + 1] if r[0] == sess.plan.version] == [row]
    again, status = impressions.on_import_feedback(studio, sess, [str(path)])
    assert "20 already there" in status and again == table
    bad = tmp_path / "bad.csv"
    bad.write_text("impression_id,watch_time\nx,abc\n", encoding="utf-8")
    _, status = impressions.on_import_feedback(studio, sess, [str(bad)])
    assert "line 2, column watch_time" in status


def test_impressions_sequence_strip(studio, planned):
    from nextads_studio.ui import impressions

    strip, rows, status = impressions.on_sequence(studio, copy.deepcopy(planned), 4, 360, progress=lambda *a, **k: None)
    assert "follow the arc" in status, status
    assert [r[2] for r in rows] == ["problem", "new routine", "lifestyle", "recap"]
    assert rows[0][3].startswith("none") and rows[0][7] == "none"  # product hidden, also on the frames
    assert [r[5] != "-" for r in rows] == [False, False, False, True]
    assert len({r[4] for r in rows}) == 4
    versions = [r[1] for r in rows]  # each impression is a stored plan version feedback can name
    assert versions == list(range(versions[0], versions[0] + 4)) and f"versions {versions[0]}-{versions[-1]}" in status
    assert all(Path(img).is_file() for img, _ in strip) and strip[0][1].startswith("1 · problem")


def test_automatic_loop_streams_events_and_stores_every_round(studio, demo_user):
    sess = new_campaign(studio, demo_user, actions.products(studio)[1].product_id)
    rows = views.storyboard_rows(sess.plan)
    rows[-1][6] = "It cures anxiety and guarantees you lose weight"
    sess, status, *_ = plan.on_save(studio, sess, rows, sess.plan.storyboard.hook, sess.plan.storyboard.cta, None)
    start = sess.plan.version
    logs = [log for _, log, _ in reflect.on_auto(studio, sess, 3, "9:16", 360, "preview")]
    assert any("round 1: render" in log for log in logs) and "finished after" in logs[-1], logs[-1]
    assert sess.verdict.decision == "accept" and sess.plan.version > start, sess.verdict.rationales
    assert "cures" not in sess.plan.storyboard.scenes[-1].narration
    assert not [f for f in sess.verdict.compliance.findings if f.category == "safety"]
    assert studio.store.latest_plan(sess.campaign_id).version == sess.plan.version
    assert len(studio.store.verdicts(sess.campaign_id)) == len(sess.rounds) >= 2


def test_broken_extra_asset_upload_gives_message(studio, planned, tmp_path):
    sess = copy.deepcopy(planned)
    broken = tmp_path / "extra.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)  # a PNG signature and nothing else
    sess, status, *_ = plan.on_collage(studio, sess, [], None, str(broken))
    assert status.startswith("✖") and "Extra asset" in status
    assert sess.plan.version == planned.plan.version


def test_product_made_in_the_form_survives_a_restart(studio, tmp_path):
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    shipped = studio.library.products[0]
    image = tmp_path / "bottle.png"
    image.write_bytes(Path(shipped.images[0]).read_bytes())
    logo = tmp_path / "logo.png"
    logo.write_bytes(Path(shipped.logo).read_bytes())
    sess, update, status = audience.on_new_product(
        studio, Session(), "Glacier Bottle", "Floe", "retail", "Cold for a day", "A steel bottle.",
        "Keeps drinks cold for 24 hours\nLeak-proof lid\nFits bike cages", "price: $25\ncapacity: 750 ml",
        str(image), str(logo))
    assert status.startswith("✔"), status
    assert update["value"] == "floe-glacier-bottle"

    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    product = restarted.library.get("floe-glacier-bottle")
    assert product.facts["price"] == "$25" and len(product.selling_points) == 3
    assert Path(product.images[0]).is_file() and Path(product.logo).is_file()
    assert Path(product.images[0]).parent == studio.data_dir / "library" / "images"


def test_switching_person_resets_task_and_host_video(studio):
    users = actions.audience(studio)
    video_person = next(u for u, h in users.items() if h.host_video and h.host_video.video_path)
    notes_person = next(u for u, h in users.items() if h.kind == "notes")
    sess, *_ = audience.on_user(studio, Session(), video_person)
    sess, _ = audience.on_task(sess, "pci")
    assert sess.host_video and sess.task == "pci"
    sess, *_ = audience.on_user(studio, sess, notes_person)
    assert sess.host_video is None and sess.task == "pcg" and sess.campaign is None
    task, host_pick, _, group = audience.person_controls(studio, sess)
    assert task["value"] == "pcg" and host_pick["value"] is None and group["visible"] is False


def test_plan_on_an_open_campaign_asks_new_version_or_new_campaign(studio, demo_user, demo_product):
    sess = new_campaign(studio, demo_user, demo_product)
    first = sess.campaign_id
    sess, status, ask, *_ = plan.on_plan(studio, sess, demo_user, demo_product, "pcg", None, 6, "9:16")
    assert ask["visible"] and "new version" in status and sess.plan.version == 1
    sess, status, ask, *_ = plan.on_plan_version(studio, sess)
    assert sess.campaign_id == first and sess.plan.version == 2 and not ask["visible"], status
    sess, status, ask, *_ = plan.on_plan_new(studio, sess, demo_user, demo_product, "pcg", None, 6, "9:16")
    assert sess.campaign_id != first and sess.plan.version == 1, status


def test_a_campaign_reopens_from_the_picker_and_can_be_renamed(studio, rendered):
    from nextads_studio.ui import campaigns

    cid = str(rendered.campaign_id)
    picker, _ = campaigns.on_refresh(studio, Session())
    assert cid in [v for _, v in picker["choices"]]
    sess, status, name, player = campaigns.on_open(studio, Session(), cid)
    assert sess.plan.content_hash() == rendered.plan.content_hash() and status.startswith("✔"), status
    assert sess.verdict.decision == rendered.verdict.decision and player["value"].endswith(".mp4")
    sess, status, picker = campaigns.on_rename(studio, sess, "Spring launch")
    assert "Spring launch" in status and any(label.startswith("Spring launch") for label, _ in picker["choices"])


def test_product_form_requires_slogan_and_two_selling_points(studio, tmp_path):
    shipped = studio.library.products[0]
    image = tmp_path / "bottle.png"
    image.write_bytes(Path(shipped.images[0]).read_bytes())
    _, _, status = audience.on_new_product(studio, Session(), "Pebble Lamp", "Glow", "retail", "", "",
                                           "Warm light", "", str(image), None)
    assert status.startswith("✖") and "slogan" in status
    _, _, status = audience.on_new_product(studio, Session(), "Pebble Lamp", "Glow", "retail", "Light, softly", "",
                                           "Warm light", "", str(image), None)
    assert status.startswith("✖") and "two selling points" in status


def test_a_csv_uploaded_with_its_images_as_separate_files_is_imported(studio, tmp_path):
    src = next((studio.settings.assets_dir / "audience" / "notes").glob("*.csv"))
    import csv

    with src.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["user_idx"] == "u_maya"][:3]
    upload = tmp_path / "maya.csv"
    with upload.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for r in rows:
            writer.writerow({**r, "user_idx": "u_maya_upload"})
    images = [src.parent / p for r in rows for p in r["image_paths"].split("|") if p]
    sess, update, status = audience.on_upload_history(studio, Session(), [str(upload), *map(str, images)])
    assert status.startswith("✔"), status
    notes = sess.uploaded["u_maya_upload"].notes
    assert len(notes) == 3 and all(Path(p).is_file() for n in notes for p in n.image_paths)
    assert sum(len(n.image_paths) for n in notes) == len(images)


def _upload_of_maya(studio, folder: Path, uid: str, change: dict | None = None) -> list[str]:
    """Three of u_maya's notes as another person's CSV plus their images, as a marketer uploads them (several
    files); `change` edits the first note's columns."""
    import csv

    src = next((studio.settings.assets_dir / "audience" / "notes").glob("*.csv"))
    with src.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["user_idx"] == "u_maya"][:3]
    rows = [{**r, "user_idx": uid} for r in rows]
    rows[0].update(change or {})
    folder.mkdir(parents=True, exist_ok=True)
    upload = folder / "history.csv"
    with upload.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return [str(upload), *(str(src.parent / p) for r in rows for p in r["image_paths"].split("|") if p)]


def test_the_same_history_uploaded_twice_is_said_to_be_loaded_and_is_picked(tmp_path):
    """Uploading the same CSV and images again (a page reload, a second try) said 'person 'u_x' (in audience/...)
    already exists; give the history new ids, or replace them explicitly (admin: nextads audience import
    --replace)'. It now says the person is loaded already and picks them; nothing is copied twice."""
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    files = _upload_of_maya(studio, tmp_path / "up", "u_lena")
    _, pick, status = audience.on_upload_history(studio, Session(), files)
    assert status == "✔ Imported 1: u_lena (notes).", status
    people = studio.data_dir / "audience"
    stored = sorted(p.relative_to(people).as_posix() for p in people.rglob("*") if p.is_file())

    sess, pick, status = audience.on_upload_history(studio, Session(), files)  # a fresh session, as after a reload
    assert status == "✔ u_lena is already loaded with these same 3 notes; selected.", status
    assert pick["value"] == "u_lena" and "u_lena" in [v for _, v in pick["choices"]]
    assert sorted(p.relative_to(people).as_posix() for p in people.rglob("*") if p.is_file()) == stored
    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    assert len(restarted.audience["u_lena"].notes) == 3
    sess, rows, *_ = audience.on_user(studio, sess, pick["value"])
    assert sess.user_id == "u_lena" and len(rows) == 3

    # the same person beside a new one in one file: the new one is imported, u_lena is not copied again
    both = _upload_of_maya(studio, tmp_path / "both", "u_omar")
    lines = Path(files[0]).read_text(encoding="utf-8").splitlines(keepends=True)
    with open(both[0], "a", encoding="utf-8") as f:
        f.writelines(lines[1:])
    _, pick, status = audience.on_upload_history(studio, Session(), both)
    assert status == "✔ Imported 1: u_omar (notes). u_lena was already loaded with these same 3 notes.", status
    assert pick["value"] == "u_omar"
    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    assert len(restarted.audience["u_lena"].notes) == 3 and len(restarted.audience["u_omar"].notes) == 3
    owners = [f for f in people.rglob("*.csv") if "u_lena" in f.read_text(encoding="utf-8")]
    assert len(owners) == 1, owners


def test_what_an_upload_says_is_not_overwritten_when_the_person_is_picked(studio):
    """The upload's line shared user_status with the person picker: the upload picks the person, the picker's
    change event then wrote 'u_x: 6 notes, language en.' over 'u_x is already loaded ...' a moment later."""
    from nextads_studio.ui import build_app

    config = build_app(studio).config
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    by_target = {tuple(t): d for d in config["dependencies"] for t in d["targets"]}
    upload = by_target[(ids["history_upload"], "upload")]
    picked = [d for (target, event), d in by_target.items() if (target, event) == (ids["user_pick"], "change")]
    assert ids["user_pick"] in upload["outputs"] and ids["history_upload_status"] in upload["outputs"]
    assert picked and all(ids["history_upload_status"] not in d["outputs"] for d in picked)


def test_a_history_reusing_an_id_with_other_notes_says_so_plainly_and_keeps_the_stored_one(tmp_path):
    """The same person id with an edited note: one sentence saying what happened and what to do (no ids jargon,
    no admin command), nothing imported, the stored history unchanged."""
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    _, _, status = audience.on_upload_history(studio, Session(), _upload_of_maya(studio, tmp_path / "a", "u_lena"))
    assert status.startswith("✔ Imported 1"), status
    people = studio.data_dir / "audience"
    stored = {p.relative_to(people).as_posix(): p.read_bytes() for p in people.rglob("*") if p.is_file()}
    original = [n.content for n in studio.audience["u_lena"].notes]

    edited = _upload_of_maya(studio, tmp_path / "b", "u_lena", {"note_content": "A different story altogether."})
    _, pick, status = audience.on_upload_history(studio, Session(), edited)
    assert status == ("⚠ u_lena is already in the studio with different notes (1 of 3 differs), so nothing was "
                      "imported and the stored history is unchanged; to add it as another person, rename the id "
                      "in the file (e.g. to u_lena_2) and upload again."), status
    assert pick == {"__type__": "update"}
    assert {p.relative_to(people).as_posix(): p.read_bytes() for p in people.rglob("*") if p.is_file()} == stored
    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    assert [n.content for n in restarted.audience["u_lena"].notes] == original
    assert not [p for p in (studio.data_dir / "uploads").glob(".history-*")]


def test_streaming_handlers_stay_generators_when_bound(studio):
    """Gradio streams only from generator functions; the loop's handler must stay one after binding."""
    import inspect

    from nextads_studio.ui.session import bind

    assert inspect.isgeneratorfunction(bind(studio, reflect.on_auto))
    assert not inspect.isgeneratorfunction(bind(studio, reflect.on_reflect))


def test_imported_product_without_brand_is_marked_and_the_marketer_sets_it(studio, tmp_path):
    """A products.json record without `brand` imports as 'unknown': the Products area says so, offers a brand
    field, and the entered brand is kept across a restart (never the first word of the name)."""
    import json

    from nextads_studio.library import import_products
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    shipped = studio.library.products[0]
    (tmp_path / "kettle.png").write_bytes(Path(shipped.images[0]).read_bytes())
    (tmp_path / "products.json").write_text(json.dumps([{
        "product_name": "Brisa Travel Kettle", "product_image": ["kettle.png"],
        "product_intro": "A folding electric kettle.", "product_details": "Boils 0.8 litres in four minutes. "
        "Folds flat to 4 cm."}]), encoding="utf-8")
    import_products(tmp_path / "products.json", studio.data_dir, taken=[p.product_id for p in studio.library])
    studio.__dict__.pop("library", None)
    sess = Session()
    label = dict((v, k) for k, v in actions.product_choices(studio, sess))["brisa-travel-kettle"]
    assert "brand unknown" in label and "Brisa ·" not in label
    sess, _, info = audience.on_product(studio, sess, "brisa-travel-kettle")
    assert "brand unknown" in info
    row, _ = audience.on_brand_row(studio, sess, "brisa-travel-kettle")
    assert row["visible"] is True
    assert audience.on_brand_row(studio, sess, shipped.product_id)[0]["visible"] is False

    _, _, _, _, status = audience.on_set_brand(studio, sess, "brisa-travel-kettle", "  ")
    assert status.startswith("✖"), status
    sess, pick, info, row, status = audience.on_set_brand(studio, sess, "brisa-travel-kettle", "Brisa Home")
    assert status.startswith("✔"), status
    assert "by Brisa Home" in info and row["visible"] is False
    restarted = Studio(Settings(data_dir=studio.data_dir, require_login=False))
    assert restarted.library.get("brisa-travel-kettle").brand == "Brisa Home"
    _, _, _, _, status = audience.on_set_brand(studio, sess, shipped.product_id, "Other")
    assert "shipped product" in status, status


def _sailing_products(folder: Path, studio, **change) -> list[str]:
    """A library-format products.json (name, brand, images, logo, selling_points...) with its two images and logo
    beside it, made from a shipped product's image; returns the file paths a marketer would upload."""
    import json

    shipped = Path(studio.library.products[0].images[0])
    (folder / "img").mkdir(parents=True, exist_ok=True)
    for name in ("w1.jpg", "w2.jpg", "logo.png"):
        (folder / "img" / name).write_bytes(shipped.read_bytes())
    entry = {"product_id": "tidemark-watch-test", "name": "Tidemark", "brand": "Harbourline",
             "category": "electronics", "subcategory": "sailing watch", "slogan": "Know the water.",
             "intro": "A sailing watch with tide graphs.", "details": "Tide data for 3,000 ports. Price $349.",
             "selling_points": ["Tide graph for 3,000 ports on your wrist", "Regatta countdown with a haptic start"],
             "facts": {"price": "$349", "ports": "3,000"}, "keywords": ["sailing", "watch"],
             "images": ["img/w1.jpg", "img/w2.jpg"], "logo": "img/logo.png", "brand_colors": ["#1E3C6E"]}
    entry.update(change)
    entry = {k: v for k, v in entry.items() if v is not None}
    (folder / "products.json").write_text(json.dumps([entry]), encoding="utf-8")
    return [str(folder / "products.json"), *(str(folder / "img" / n) for n in ("w1.jpg", "w2.jpg", "logo.png"))]


def test_a_products_json_uploaded_with_its_images_becomes_the_picked_product(studio, tmp_path):
    """The Audience tab imports a products.json in the library's own format (name, images, logo...; the studio
    had no such control and `products import` read only the reference format, failing with 'product_name is
    missing'), picks it, and it is kept in the data dir's library with its logo."""
    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    sess, pick, status = audience.on_upload_products(studio, Session(), _sailing_products(tmp_path, studio))
    assert status == "✔ Imported 1 product: Tidemark.", status
    assert pick["value"] == "tidemark-watch-test"
    assert ("Tidemark · Harbourline (electronics)", "tidemark-watch-test") in pick["choices"]
    sess, image, info = audience.on_product(studio, sess, "tidemark-watch-test")
    assert "by Harbourline" in info and "Regatta countdown" in info and Path(image).is_file()
    kept = Studio(Settings(data_dir=studio.data_dir, require_login=False)).library.get("tidemark-watch-test")
    assert kept.logo and Path(kept.logo).is_file() and len(kept.images) == 2


def test_the_same_products_uploaded_again_are_picked_and_other_details_under_their_id_change_nothing(tmp_path):
    """Uploading the same products.json twice (e.g. after a reload) said 'product id ... is already in the library;
    ... (admin: nextads products import --replace)'. The same details and images: said to be there already and
    picked, nothing copied again; the same id with another slogan: one sentence, the stored product unchanged."""
    import json

    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio

    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    _, _, status = audience.on_upload_products(studio, Session(), _sailing_products(tmp_path / "first", studio))
    assert status == "✔ Imported 1 product: Tidemark.", status
    library = studio.data_dir / "library"
    before = (library / "products.json").read_bytes(), sorted(p.name for p in (library / "images").iterdir())

    _, pick, status = audience.on_upload_products(studio, Session(), _sailing_products(tmp_path / "again", studio))
    assert status == "✔ Tidemark is already in the library with these same details and images; selected.", status
    assert pick["value"] == "tidemark-watch-test"
    assert [p.product_id for p in actions.products(studio)].count("tidemark-watch-test") == 1
    assert ((library / "products.json").read_bytes(), sorted(p.name for p in (library / "images").iterdir())) == before

    _, pick, status = audience.on_upload_products(
        studio, Session(), _sailing_products(tmp_path / "other", studio, slogan="Read the tide."))
    assert status == ("⚠ Tidemark (tidemark-watch-test) is already in the library and this upload changes its "
                      "slogan, so nothing was imported and the stored product is unchanged; to add it as another "
                      "product, change the product_id in products.json (e.g. to tidemark-watch-test-2) and upload "
                      "again."), status
    assert pick == {"__type__": "update"}
    assert (library / "products.json").read_bytes() == before[0]
    kept = Studio(Settings(data_dir=studio.data_dir, require_login=False)).library.get("tidemark-watch-test")
    assert kept.slogan == "Know the water."
    assert json.loads(before[0])[0]["slogan"] == "Know the water."


def test_a_bad_products_json_upload_says_what_is_wrong_and_adds_nothing(studio, tmp_path):
    """A logo that is not an image, or no selling points and no text to take them from: one line naming the entry
    and field; the library is unchanged and no staging folder is left behind."""
    before = [p.product_id for p in actions.products(studio)]
    files = _sailing_products(tmp_path / "a", studio, product_id="bad-logo")
    Path(files[-1]).write_text("not an image", encoding="utf-8")
    _, pick, status = audience.on_upload_products(studio, Session(), files)
    assert status.startswith("✖ Could not import") and "(bad-logo) logo" in status and "not an image" in status
    assert pick == {"__type__": "update"}
    files = _sailing_products(tmp_path / "b", studio, product_id="no-points", selling_points=None, details=None,
                              intro=None)
    _, _, status = audience.on_upload_products(studio, Session(), files)
    assert "(no-points): field selling_points: missing" in status, status
    _, _, status = audience.on_upload_products(studio, Session(), [files[1]])
    assert "No products.json among the uploads" in status, status
    studio.__dict__.pop("library", None)
    assert [p.product_id for p in actions.products(studio)] == before
    assert not [p for p in (studio.data_dir / "uploads").glob(".history-*")]


def test_the_campaign_picker_line_follows_the_verdict(studio, demo_user, demo_product):
    """The picker read 'v1 · not verified · draft' after the ad was rendered and accepted: a new scorecard (and an
    approval) refreshes the open campaign's line."""
    from nextads_studio.ui import build_app, campaigns

    sess = new_campaign(studio, demo_user, demo_product)
    line = dict((v, k) for k, v in campaigns.on_picker(studio, sess)["choices"])[str(sess.campaign_id)]
    assert " — v1 · planned · draft · " in line, line
    sess = render_and_verify(studio, sess)
    update = campaigns.on_picker(studio, sess)
    line = dict((v, k) for k, v in update["choices"])[str(sess.campaign_id)]
    said = actions.VERIFIER_SAYS[sess.verdict.decision]
    assert update["value"] == str(sess.campaign_id) and f" — v1 · rendered · {said} · draft · " in line, line

    config = build_app(studio).config
    ids = {c.get("props", {}).get("elem_id"): c["id"] for c in config["components"]}
    refreshers = [d for d in config["dependencies"] if ids["campaign_pick"] in d["outputs"]
                  and (ids["scorecard"], "change") in {tuple(t) for t in d["targets"]}]
    assert refreshers, "a new scorecard does not refresh the campaign picker"
    # Compare renders and verifies the NextAds ad as well (its line said 'v1 · planned' beside two scorecards)
    after_compare = [d for d in config["dependencies"] if ids["campaign_pick"] in d["outputs"]
                     and (ids["nextads_scorecard"], "change") in {tuple(t) for t in d["targets"]}]
    assert after_compare, "the Compare tab's scorecards do not refresh the campaign picker"


def test_a_pcg_plan_hides_the_host_player_and_names_collage_images_by_their_history_item(studio, planned):
    """A standalone ad showed an empty 'Host video' player under its plan, and the collage's image picker listed
    stored file names ('76b03c88...jpg'): the player is hidden, each image is named by its history item."""
    out = plan.plan_outputs(planned)
    host, images = out[9], out[5]
    assert host["visible"] is False and host["value"] is None
    titles = {str(n.title) for n in planned.history.notes}
    labels = [label for label, _ in images["choices"]]
    assert labels and all(label.split(" (")[0] in titles for label in labels), labels
    assert len(set(labels)) == len(labels)
    assert images["value"] == list(planned.plan.grounding.user_images)


def test_compare_summary_counts_collage_images_in_words(studio, planned):
    """'1 images from the person's history' read wrong beside an ad grounded on a single picture."""
    from nextads_studio.ui.compare import personalization_summary

    plan = planned.plan
    one = plan.model_copy(update={"grounding": plan.grounding.model_copy(
        update={"user_images": plan.grounding.user_images[:1]})})
    assert "1 image from the person's history" in personalization_summary(plan, one)


def test_a_campaign_picker_line_names_the_person_and_the_product_once(studio, demo_user, demo_product):
    """The picker read 'u_maya × Aurora X · u_maya · Aurora X · v1 · not verified · draft · ...': the name, then
    the person and product again. Now the name once, then where the campaign stands; a renamed campaign adds the
    person and product its name leaves out, once."""
    from dataclasses import replace

    from nextads_studio.campaign import list_campaigns
    from nextads_studio.ui import campaigns

    planned = new_campaign(studio, demo_user, demo_product)
    picker, _ = campaigns.on_refresh(studio, Session())
    line = dict((v, k) for k, v in picker["choices"])[str(planned.campaign_id)]
    person, product = planned.user_id, planned.plan.product.name
    assert line.startswith(f"{person} × {product} — v1 · planned · draft · "), line
    assert line.count(person) == 1 and line.count(product) == 1, line
    summary = next(c for c in list_campaigns(studio.store) if c.id == planned.campaign_id)
    renamed = actions.picker_line(replace(summary, name="Spring push"))
    assert renamed.startswith(f"Spring push ({person} × {product}) — v1 · planned · draft"), renamed
    own = actions.picker_line(replace(summary, name=f"{product} for {person}, spring"))
    assert own.startswith(f"{product} for {person}, spring — v1"), own
