"""The Bench tab runs the demo bench from the studio and shows the latest Table-1 report."""

from __future__ import annotations

from pathlib import Path

import pytest

from nextads_studio.ui import bench
from nextads_studio.ui.session import Session

pytestmark = pytest.mark.slow


def test_demo_bench_runs_from_the_studio_and_its_report_is_shown(studio):
    table, chart, status = bench.on_refresh(studio, Session())
    if not list(bench.bench_root(studio).glob("*/report.json")):
        assert table == "" and chart is None and "No bench report yet" in status

    table, chart, status = bench.on_run_demo(studio, Session(), 1, 1, progress=lambda *a, **k: None)
    assert "| NextAds |" in table and "| GenericAds |" in table, status
    assert "Pers. (Content)" in table and "IQ" in table
    assert chart and Path(chart).stat().st_size > 1000

    again = bench.on_refresh(studio, Session())
    assert again[0] == table  # the latest report is what the run wrote
