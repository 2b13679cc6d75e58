"""Write the demo note-history audience: a Qilin-format CSV, flat illustrations and design.json.

`python -m tools.demo_data.demo_notes [OUT_DIR]` regenerates assets/audience/notes deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from nextads_studio.atomic import write_bytes, write_json, write_text

from .demo_notes_text import USERS
from .draw_kit import darker, finish, lighter, rgb, vertical_gradient
from .note_motifs import MOTIFS, S

TIERS = ("strong", "medium", "weak")
CSV_COLUMNS = ["user_idx", "gender", "age", "note_idx", "note_title", "note_content", "image_paths"]
IMAGE_SIZE = (480, 480)


def _backdrop(palette: list, brightness: str, rng: random.Random) -> Image.Image:
    if brightness == "dark":
        top, bottom = palette[4], palette[0]
    else:
        top, bottom = lighter(palette[4], 0.2), lighter(palette[rng.choice([2, 3])], 0.35)
    return vertical_gradient((S, S), top, bottom)


def draw_note_image(user_id: str, motif: str, seed: str) -> Image.Image:
    """One flat illustration of `motif` in the user's palette."""
    spec = USERS[user_id]
    rng = random.Random(seed)
    pal = [rgb(c) for c in spec["palette"]]
    if spec["brightness"] == "medium":
        pal = [darker(c, 0.1) for c in pal]
    img = _backdrop(pal, spec["brightness"], rng)
    MOTIFS[motif](ImageDraw.Draw(img), pal, rng)
    return finish(img, IMAGE_SIZE)


def _chronology(user_id: str) -> list[tuple[str, str]]:
    """(tier, note text) oldest first; the strong tier dominates the most recent notes."""
    rng = random.Random(f"order:{user_id}")
    spec = USERS[user_id]
    keyed = []
    for tier, (lo, hi) in zip(TIERS, ((0.3, 1.0), (0.0, 0.85), (0.0, 0.75)), strict=True):
        notes = spec[tier]["notes"]
        for k, text in enumerate(notes):
            # the last three strong notes are pinned to the end: the interest is current
            key = 1.0 + k / 100 if tier == "strong" and k >= len(notes) - 3 else rng.uniform(lo, hi)
            keyed.append((key, tier, text))
    keyed.sort(key=lambda item: item[0])
    return [(tier, text) for _, tier, text in keyed]


def build_user(user_id: str, out_dir: Path) -> tuple[list[dict], dict]:
    """Draw one user's images; return their CSV rows and their design record."""
    spec = USERS[user_id]
    short = user_id.removeprefix("u_")
    rows: list[dict] = []
    design = {t: {"theme": spec[t]["theme"], "keywords": spec[t]["keywords"], "note_idxs": []} for t in TIERS}
    for i, (tier, text) in enumerate(_chronology(user_id), start=1):
        title, content = (part.strip() for part in text.split("|", 1))
        note_idx = f"{short}_{i:03d}"
        rng = random.Random(f"imgs:{note_idx}")
        count = rng.choices([1, 2, 3], weights=[5, 4, 1])[0]
        motifs = spec[tier]["motifs"]
        paths = []
        for k in range(count):
            motif = motifs[(i + k) % len(motifs)]
            rel = f"images/{user_id}/{note_idx}_{k + 1}.jpg"
            buf = io.BytesIO()
            draw_note_image(user_id, motif, f"{note_idx}:{k}").save(buf, "JPEG", quality=70, optimize=True)
            write_bytes(out_dir / rel, buf.getvalue())
            paths.append(rel)
        design[tier]["note_idxs"].append(note_idx)
        rows.append({"user_idx": user_id, "gender": spec["gender"], "age": spec["age"], "note_idx": note_idx,
                     "note_title": title, "note_content": content, "image_paths": "|".join(paths)})
    design["sensitive"] = spec["sensitive"]
    design["palette"] = spec["palette"]
    design["brightness"] = spec["brightness"]
    return rows, design


def generate(out_dir: Path) -> None:
    """Write qilin_demo.csv, images/ and design.json under `out_dir`."""
    all_rows: list[dict] = []
    designs: dict[str, dict] = {}
    for user_id in USERS:
        rows, design = build_user(user_id, out_dir)
        all_rows += rows
        designs[user_id] = design
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(all_rows)
    write_text(out_dir / "qilin_demo.csv", buf.getvalue())
    write_json(out_dir / "design.json", designs)


def main(argv: list[str] | None = None) -> int:
    from nextads_studio.settings import Settings

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Settings().assets_dir / "audience" / "notes"
    generate(out)
    print(json.dumps({"written": str(out), "users": len(USERS)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
