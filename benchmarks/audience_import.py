"""Large history imports, side by side in one run: a Qilin CSV of N notes that share a few pictures.

(a) bytes stored: one copy per distinct picture (content hash) vs. one copy per row (what a per-row copy writes);
(b) loading the imported audience (studio start-up, `nextads audience list`): each picture checked once vs. checked
    again for every row that refers to it (the check cache switched off).

Usage: python benchmarks/audience_import.py [--rows 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from nextads_studio.library import audience as audience_mod  # noqa: E402
from nextads_studio.library import import_audience, load_audience  # noqa: E402

HEADER = ["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"]


def build(folder: Path, rows: int) -> Path:
    pics = []
    for k, color in enumerate(((200, 60, 40), (40, 120, 200), (60, 160, 90))):
        p = folder / f"pic{k}.jpg"
        Image.new("RGB", (640, 480), color).save(p, quality=90)
        pics.append(p.name)
    path = folder / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            w.writerow([f"p{i % 50}", "", "", f"n{i}", f"Ride {i}", "Gravel ride along the river at dawn.",
                        pics[i % len(pics)]])
    return path


class _Forget(set):
    def add(self, key) -> None:
        pass


def timed(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "src").mkdir()
        src = build(tmp / "src", args.rows)
        data = tmp / "data"
        start = time.perf_counter()
        import_audience(src, data)
        import_s = time.perf_counter() - start
        stored = sum(p.stat().st_size for p in (data / "audience").rglob("*") if p.is_file())
        per_row = sum((src.parent / r["image_paths"]).stat().st_size
                      for r in csv.DictReader(open(src, encoding="utf-8")))

        def load():
            return load_audience(tmp / "none", extra_dirs=[data / "audience"])

        audience_mod._CHECKED.clear()
        cached = timed(lambda: (audience_mod._CHECKED.clear(), load()), args.repeat)
        real = audience_mod._CHECKED
        audience_mod._CHECKED = _Forget()  # every row checks its picture again
        try:
            uncached = timed(load, args.repeat)
        finally:
            audience_mod._CHECKED = real
        print(f"rows: {args.rows}, import: {import_s:.1f} s")
        print(f"stored bytes: {stored / 1e6:.1f} MB (content hash) vs {per_row / 1e6:.1f} MB (per row): "
              f"{per_row / max(stored, 1):.0f}x less")
        print(f"load audience (median of {args.repeat}): {cached:.2f} s (each picture checked once) vs "
              f"{uncached:.2f} s (checked per row): {uncached / cached:.1f}x faster")


if __name__ == "__main__":
    main()
