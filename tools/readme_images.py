"""Remake the README's pictures from the demo data: the NextAds and GenericAds contact sheets of one person and
product (assets/ui/contact_sheet_nextads.png, contact_sheet_generic.png) and the studio's Compare tab
(assets/ui/studio.png, taken in headless chromium through Playwright).

Usage: python -m tools.readme_images [--only sheets|studio]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "ui"
PERSON, PRODUCT = "u_maya", "strider-trail"


def sheets(work: Path) -> None:
    history = ROOT / "assets" / "audience" / "notes" / "qilin_demo.csv"
    env = {**os.environ, "NEXTADS_DATA_DIR": str(work / "data")}  # campaigns and caches stay out of the studio's
    for mode, name in (("nextads", "contact_sheet_nextads.png"), ("generic", "contact_sheet_generic.png")):
        folder = work / mode
        cmd = [sys.executable, "-m", "nextads_studio", "plan", "--user", PERSON, "--product", PRODUCT,
               "--duration", "15", "--out", str(folder)]
        cmd += ["--generic"] if mode == "generic" else ["--history", str(history)]
        subprocess.run(cmd, check=True, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, "-m", "nextads_studio", "render", str(folder / "plan.json")], check=True,
                       cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        shutil.copyfile(folder / "contact_sheet.png", OUT / name)
        print(f"wrote {OUT / name}")


def studio(work: Path) -> None:
    from playwright.sync_api import sync_playwright

    from nextads_studio.settings import Settings
    from nextads_studio.studio import Studio
    from nextads_studio.ui import build_app, launch_kwargs

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = Studio(Settings(data_dir=work / "studio"))
    demo = build_app(app)
    demo.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                        **launch_kwargs(app))
    try:
        with sync_playwright() as pw:
            _shoot(pw, port, work)
    finally:
        demo.close()
    print(f"wrote {OUT / 'studio.png'}")


def _shoot(pw, port: int, work: Path) -> None:
    """Plan the preselected demo person and product, compare with the generic ad, and screenshot the page (a
    failure leaves failure.png in the work folder's parent for a look)."""
    ctx = pw.chromium.launch_persistent_context(
        str(work / "profile"), executable_path=shutil.which("chromium"), viewport={"width": 1400, "height": 1000},
        args=["--headless", "--no-sandbox", "--disable-gpu"])
    page = ctx.pages[0] if ctx.pages else ctx.new_page()
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        page.locator("#profile").get_by_text("strong").first.wait_for(timeout=300_000)
        page.locator("#plan_go").click()
        page.locator("#plan_status").get_by_text("ready").wait_for(timeout=300_000)
        page.get_by_role("tab", name="Compare", exact=True).click()
        page.locator("#compare_btn").click()
        page.locator("#compare_summary").get_by_text("What personalization changed").wait_for(timeout=900_000)
        page.locator("#generic_scorecard .nx-decision").wait_for(timeout=600_000)
        page.locator("#nextads_scorecard .nx-decision").wait_for(timeout=600_000)
        time.sleep(2)  # let the players and images settle
        page.screenshot(path=str(OUT / "studio.png"), full_page=True)
    except Exception:
        page.screenshot(path=str(work.parent / "failure.png"), full_page=True)
        raise
    finally:
        ctx.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sheets", "studio"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        if args.only in (None, "sheets"):
            sheets(Path(d))
        if args.only in (None, "studio"):
            studio(Path(d))


if __name__ == "__main__":
    main()
