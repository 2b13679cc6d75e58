"""End to end in real Debian chromium: sign in, plan, edit a cell, render, scorecard, apply a fix, approve, compare.

Never downloads a browser: it drives the system chromium and is skipped only when that is absent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui import build_app, launch_kwargs

from .conftest import DURATION, free_port

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ui"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CLAIM = "It cures anxiety and guarantees you lose weight"
LONG = 120_000  # ms; renders run on two shared CPU cores


@pytest.fixture(scope="module")
def served(studio):
    # Same data dir as the other UI tests (shared render cache), but this studio requires sign-in.
    studio = Studio(Settings(data_dir=studio.settings.data_dir, require_login=True))
    studio.store.add_user("ann", "approver-pass-123", role="approver", by="test")
    demo = build_app(studio)
    port = free_port()
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        **launch_kwargs(studio))
    yield f"http://127.0.0.1:{port}", studio
    demo.close()


@pytest.fixture
def page(tmp_path):
    if CHROMIUM is None:
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, viewport={"width": 1400, "height": 1000},
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield context.pages[0] if context.pages else context.new_page()
        context.close()


def shot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).click()


def edit_cell(page, row: int, col: int, text: str) -> None:
    """The Dataframe is virtualized: target the cell's test id, double-click, replace, Enter."""
    cell = page.locator(f'#storyboard [data-testid="cell-{row}-{col}"]')
    cell.dblclick()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_sign_in_plan_edit_render_verify_fix_loop_approve_reopen_and_pci(served, page):
    try:
        run_flow(served, page)
        run_pci(served, page)
    except Exception:
        shot(page, "failure", full_page=True)
        raise


def pick(page, elem_id: str, text: str) -> None:
    """Choose the option containing `text` in a Gradio dropdown."""
    page.locator(f"#{elem_id} input").first.click()
    page.get_by_role("option").filter(has_text=text).first.click()


def sign_in(page, base: str) -> None:
    """Sign in as ann and set the shortest duration the studio allows (renders are slow on shared CPUs)."""
    page.goto(base + "/")
    page.get_by_test_id("textbox").fill("ann")
    page.get_by_test_id("password").fill("approver-pass-123")
    page.get_by_role("button", name="Login").click()
    page.locator("#whoami").get_by_text("ann").wait_for(timeout=30_000)
    page.locator("#profile").get_by_text("strong").first.wait_for(timeout=LONG)
    number = page.locator("#duration input[type=number]")
    number.fill(str(DURATION))
    number.press("Enter")


def run_flow(served, page) -> None:
    base, studio = served
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: requests.append(f"pageerror:{e}"))

    sign_in(page, base)
    shot(page, "1_audience")

    page.locator("#plan_go").click()  # plans and switches to the Plan tab
    page.locator("#plan_status").get_by_text("ready").wait_for(timeout=LONG)
    n_scenes = page.locator("#storyboard [data-testid^='cell-'][data-testid$='-0']").count()
    last = max(0, n_scenes - 1)

    # An invalid edit: every error is listed by its cell, and what was typed stays in the table.
    too_long = " ".join(["word"] * 20)
    edit_cell(page, 0, 6, too_long)
    cta = page.locator("#cta textarea, #cta input").first
    cta_text = cta.input_value()
    cta.fill("")
    page.locator("#save_version").click()
    errors = page.locator("#save_status")
    errors.get_by_text("nothing saved").wait_for(timeout=LONG)
    text = errors.inner_text()
    assert "2 problems" in text and "Scene 0 · Narration" in text and "Call to action" in text, text
    assert "word word" in page.locator('#storyboard [data-testid="cell-0-6"]').inner_text()
    shot(page, "2_invalid_edit")

    # A valid edit: the claim goes into the last scene (the Verifier must catch it).
    edit_cell(page, 0, 6, "Mornings, sorted.")
    edit_cell(page, last, 6, CLAIM)
    cta.fill(cta_text)
    page.locator("#save_version").click()
    page.locator("#save_status").get_by_text("Saved version 2").wait_for(timeout=LONG)
    shot(page, "2_plan")

    tab(page, "Produce")
    page.locator("#resolution").get_by_text("360", exact=True).click()
    page.locator("#render_btn").click()
    page.locator("#render_status").get_by_text("Rendered v2").wait_for(timeout=LONG)
    shot(page, "3_produce")

    tab(page, "Verify")
    page.locator("#scorecard .nx-decision").wait_for(timeout=LONG)
    assert page.locator("#scorecard .nx-bar").count() >= 4
    # Selecting the planted claim's finding seeks the player to the last scene.
    page.wait_for_function("() => { const v = document.querySelector('#verify_player video');"
                           " return v && v.readyState >= 1; }", timeout=LONG)
    start = float(page.locator('#findings [data-testid="cell-0-2"]').inner_text())
    assert start > 0
    page.locator('#findings [data-testid="cell-0-5"]').click()
    page.wait_for_function(f"() => Math.abs(document.querySelector('#verify_player video').currentTime - {start})"
                           " < 0.05", timeout=30_000)
    shot(page, "4_verify")

    tab(page, "Reflect")
    page.locator("#reflect_btn").click()
    page.locator("#directives input[type=checkbox]").first.wait_for(timeout=LONG)
    page.locator("#apply_btn").click()
    # applying ends with the new version's verdict, not a "re-rendering" message left behind
    page.locator("#reflect_status").get_by_text("Version 3 rendered and verified").wait_for(timeout=3 * LONG)
    diff = page.locator("#diff").inner_text()
    assert "cures" in diff and "None" not in diff and "{" not in diff, diff
    shot(page, "5_reflect")

    # The automatic loop runs to its end (it used to fail with a bare "Error").
    page.get_by_text("Automatic loop").first.click()
    page.locator("#auto_btn").click()
    page.locator("#auto_log").get_by_text("finished after").wait_for(timeout=4 * LONG)
    assert "Error" not in page.locator("#auto_log").inner_text()
    shot(page, "5b_loop")
    camp = studio.store.list_campaigns()[-1]
    latest = studio.store.latest_plan(camp.id)
    version, opening = latest.version, latest.plan.storyboard.scenes[0].narration

    tab(page, "History & approval")
    page.locator("#approval_comment textarea, #approval_comment input").first.fill("Claim removed; ship it.")
    page.locator("#approve_btn").click()
    status = page.locator("#approval_status")
    status.get_by_text("approved", exact=False).or_(status.get_by_text("critical", exact=False)).wait_for(
        timeout=LONG)
    shot(page, "7_history")
    text = status.inner_text()
    assert f"approved plan v{version} as ann" in text, text

    # Rename it, reload the page, and pick it again from the picker: it opens as it was left.
    page.locator("#campaign_name textarea, #campaign_name input").first.fill("Maya spring launch")
    page.locator("#campaign_rename").click()
    page.locator("#campaign_bar_status").get_by_text("Renamed").wait_for(timeout=LONG)
    page.reload()
    page.locator("#whoami").get_by_text("ann").wait_for(timeout=30_000)
    pick(page, "campaign_pick", f"Maya spring launch ({camp.audience_user_id} × ")
    page.locator("#campaign_open").click()
    page.locator("#campaign_bar_status").get_by_text("Opened").wait_for(timeout=LONG)
    tab(page, "Plan")
    # The plan as the loop left it (the loop may have rewritten the opening line the marketer typed).
    page.locator('#storyboard [data-testid="cell-0-6"]').get_by_text(opening.split()[0]).wait_for(timeout=LONG)
    assert page.locator('#storyboard [data-testid="cell-0-6"]').inner_text().strip() == opening.strip()
    tab(page, "History & approval")
    page.locator("#history_refresh").click()
    page.locator("#campaign_status").get_by_text("approved").wait_for(timeout=LONG)
    shot(page, "8_reopened")

    # Same person and product, side by side with the generic ad.
    tab(page, "Compare")
    page.locator("#compare_btn").click()
    page.locator("#compare_summary").get_by_text("What personalization changed").wait_for(timeout=LONG)
    page.locator("#generic_scorecard .nx-decision").wait_for(timeout=LONG)
    page.locator("#nextads_scorecard .nx-decision").wait_for(timeout=LONG)
    shot(page, "9_compare", full_page=True)  # the README's screenshot (assets/ui/studio.png)
    # each score's meaning and evidence reads as lines of text across the card, not a word per line
    for card in ("#generic_scorecard", "#nextads_scorecard"):
        table = page.locator(f"{card} table").bounding_box()
        why = page.locator(f"{card} tr.nx-why td").first.bounding_box()
        assert why["width"] >= 0.9 * table["width"], (card, why, table)
        assert page.locator(f"{card} th").all_inner_texts()[-2:] == ["threshold", "pass"]

    outside = [u for u in requests if not (u.startswith(base) or u.startswith(("data:", "blob:")))]
    assert outside == [], outside


def run_pci(served, page) -> None:
    """A person with a host video: a PCI plan takes the host's orientation, and the integrated video has no bars."""
    import numpy as np

    from nextads_studio.media_io import probe, read_frames

    base, studio = served
    person = next(u for u, h in studio.audience.items() if h.host_video and h.host_video.video_path)
    tab(page, "Audience & product")
    pick(page, "user_pick", person)
    page.locator("#user_status").get_by_text(person).wait_for(timeout=LONG)
    page.locator("#task_pick").get_by_text("PCI").click()
    page.wait_for_function("() => document.querySelector('#duration input[type=number]').value === '6'",
                           timeout=30_000)
    page.locator("#plan_go").click()
    page.locator("#plan_status").get_by_text("integrated video will last").wait_for(timeout=LONG)
    tab(page, "Produce")
    page.locator("#render_btn").click()
    page.locator("#render_status").get_by_text("integrated video").wait_for(timeout=LONG)
    shot(page, "10_pci")
    camp = studio.store.list_campaigns()[-1]
    creative = studio.store.creatives(camp.id)[-1].creative
    host = probe(studio.audience[person].host_video.video_path)
    seg = probe(creative.video_path)
    assert (seg.width, seg.height) == (host.width + host.width % 2, host.height + host.height % 2)
    t0 = float(creative.segment_start or 0)
    frames = list(read_frames(creative.integrated_path, fps=2, start=t0 + 0.5, end=t0 + seg.duration - 0.5))
    assert frames
    for frame in frames:
        grey = frame.mean(axis=2)
        h, w = grey.shape
        edges = {"left": grey[:, : w // 25], "right": grey[:, -w // 25:], "top": grey[: h // 25],
                 "bottom": grey[-h // 25:]}
        black = {k: float((v < 12).mean()) for k, v in edges.items()}
        assert all(b < 0.9 for b in black.values()), black  # a pillar- or letterbox bar is all black
    assert np.isfinite(seg.duration)


def test_impressions_tab_runs_a_four_impression_sequence_and_reads_the_strip(served, page, tmp_path):
    try:
        run_impressions(served, page, tmp_path)
    except Exception:
        shot(page, "impressions_failure", full_page=True)
        raise


def finished(page, elem_id: str, text: str):
    """`text` in the element, or Gradio's bare "Error" anywhere (a handler that failed): never a silent hang."""
    page.locator(f"#{elem_id}").get_by_text(text).or_(page.get_by_text("Error", exact=True)).first.wait_for(
        timeout=6 * LONG)
    shown = page.locator(f"#{elem_id}").inner_text()
    assert text in shown, f"{elem_id}: {shown!r}"
    return shown


def cells(page, elem_id: str, row: int, n_cols: int) -> list[str]:
    return [page.locator(f'#{elem_id} [data-testid="cell-{row}-{c}"]').inner_text().strip() for c in range(n_cols)]


def run_impressions(served, page, tmp_path) -> None:
    """Plan, then on the Impressions tab: a rendered 4-impression sequence as a strip with its arc, real feedback
    imported onto the impressions' versions (also in History), and the simulator labelled as one."""
    base, studio = served
    sign_in(page, base)
    page.locator("#plan_go").click()
    page.locator("#plan_status").get_by_text("ready").wait_for(timeout=LONG)

    tab(page, "Impressions")
    count = page.locator("#sequence_n input[type=number]")
    count.fill("4")
    count.press("Enter")
    pick(page, "sequence_resolution", "360")
    page.locator("#sequence_btn").click()
    status = finished(page, "sequence_status", "follow the arc")

    # the strip: one contact sheet per impression, each captioned with its arc stage, facet and hook
    strip = page.locator("#sequence_strip img")
    assert strip.count() >= 4, strip.count()
    captions = [strip.nth(k).get_attribute("alt") or "" for k in range(strip.count())]
    stages = [" · ".join(c.split(" · ")[:2]) for c in captions]
    assert stages == ["1 · problem", "2 · new routine", "3 · lifestyle", "4 · recap"], captions
    assert "none (product hidden)" in captions[0]
    for k in range(4):
        img = strip.nth(k)
        img.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle(),
                               timeout=30_000)
    shot(page, "11_impressions_strip", full_page=True)

    # the sequence table: impression, plan version, stage, facets, hook, call to action, verdict, product seconds
    rows = [cells(page, "sequence_table", r, 8) for r in range(4)]
    assert [r[2] for r in rows] == ["problem", "new routine", "lifestyle", "recap"], rows
    assert rows[0][7] == "none", rows[0]  # the product is not found on the first impression's frames
    assert [r[5] != "-" for r in rows] == [False, False, False, True], rows  # the call to action only last
    assert len({r[4] for r in rows}) == 4, rows  # four different hooks
    assert all(r[6] in ("accept", "revise", "reject") for r in rows), rows  # each verified
    versions = [int(r[1]) for r in rows]
    assert f"versions {versions[0]}-{versions[-1]}" in status, status

    # real feedback for the first and the last impression, uploaded in the studio
    lines = ["impression_id,watch_time,skip_time,clicks,conversions,plan_version"]
    lines += [f"b-s{i},1.2,1.2,0,0,{versions[0]}" for i in range(9)]
    lines += [f"b-f{i},{DURATION},,1,{int(i == 0)},{versions[0]}" for i in range(3)]
    lines += [f"b-l{i},{DURATION},,1,0,{versions[-1]}" for i in range(4)]
    feedback = tmp_path / "feedback.csv"
    feedback.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.locator("#feedback_file input[type=file]").set_input_files(str(feedback))
    page.locator("#feedback_btn").click()
    finished(page, "feedback_status", "Imported 16 impressions")
    first = cells(page, "feedback_table", 0, 7)
    assert first[:2] == [str(versions[0]), "12"] and first[2].startswith("75% (9/12; 90% interval"), first
    assert first[5].startswith("8% (1/12;") and "rewrite the opening" in first[6], first
    last = cells(page, "feedback_table", 1, 7)
    assert last[:2] == [str(versions[-1]), "4"] and "not decided: 4 of 10" in last[6], last

    # the simulator: labelled as one, a reading, and a chart with three policies and labelled axes
    assert "Simulator, not real people" in page.locator("#simulator_banner").inner_text()
    page.locator("#simulate_btn").click()
    reading = finished(page, "simulate_reading", "simulated impressions")
    assert all(p in reading for p in ("evolving", "static", "random", "x static")), reading
    if "not ahead" in reading:
        assert "Why static does as well here" in reading, reading
    plot = page.locator("#engagement_plot svg")
    assert plot.locator("polyline").count() == 3
    labels = plot.text_content() or ""
    assert "impression" in labels and "(simulated)" in labels, labels
    shot(page, "12_impressions_simulator", full_page=True)

    # History shows each impression as a version and the same per-version feedback
    tab(page, "History & approval")
    page.locator("#history_refresh").click()
    page.locator("#versions_table").get_by_text("impression 4 of 4 (recap)").wait_for(timeout=LONG)
    assert "impression 2 of 4 (new routine)" in page.locator("#versions_table").inner_text()  # words, not keys
    page.locator('#version_feedback_table [data-testid="cell-0-6"]').get_by_text("rewrite the opening").wait_for(
        timeout=LONG)
    assert cells(page, "version_feedback_table", 0, 7) == first
    shot(page, "13_history_feedback", full_page=True)
