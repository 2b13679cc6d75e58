"""Write the demo video-history audience (MicroLens-style): users.json, titles.json, covers/, videos/, design.json.

Videos are flat motion graphics drawn by our code: hard cuts every 2-6 s, pans and moving shapes, and a synthesized
audio bed. Host videos (the last vid of each user) have a quiet, low-motion shot near the middle, a natural pause
for inserting an ad. `python -m tools.demo_data.demo_videos [OUT_DIR]` regenerates them deterministically.
"""

from __future__ import annotations

import io
import json
import random
import sys
import tempfile
import wave
from pathlib import Path

import imageio_ffmpeg
import numpy as np
from PIL import Image, ImageDraw

from nextads_studio.atomic import atomic_path, write_bytes, write_json

from .draw_kit import lighter, rgb, vertical_gradient
from .note_motifs import MOTIFS, S

FPS = 30
RATE = 48000
PAD = 80  # panorama margin the camera pans across

USERS: dict[str, dict] = {
    "v_kai": {"theme": "home cooking", "root": 220.0, "motifs": ["bowl", "bread", "cup", "lunchbox", "skewer"],
              "palette": ["#D35400", "#F39C12", "#FDEBD0", "#27AE60", "#FFF8EE"],
              "products": ["ferro-skillet", "ridge-roast"],
              "titles": ["One-pan garlic noodles in 10 minutes", "Sourdough crust close-up", "Morning coffee ritual",
                         "Meal prep for a busy week", "Street-style skewers at home, full recipe"],
              "durations": [10, 12, 9, 11, 24]},
    "v_jules": {"theme": "PC gaming", "root": 165.0, "motifs": ["controller", "monitor", "screen", "stars"],
                "palette": ["#12002B", "#8A2BE2", "#00E5FF", "#FF2E97", "#05030D"],
                "products": ["sonique-air", "flickbox", "dashbite"],
                "titles": ["Clutch round highlights", "New desk setup tour", "Speedrun attempt #12",
                           "Anime night with the squad", "Ranked climb: full session recap"],
                "durations": [9, 13, 10, 8, 26]},
    "v_ines": {"theme": "travel vlog", "root": 196.0, "motifs": ["mountains", "map", "backpack", "city", "camera"],
               "palette": ["#0E7C86", "#F4A259", "#F4E285", "#BC4B51", "#FFFBF0"],
               "products": ["nestaway", "kestrel-m10", "zipride"],
               "titles": ["Ferry to the islands", "Old town at golden hour", "What's in my backpack",
                          "Night market food crawl", "Three days in the mountains: travel vlog"],
               "durations": [12, 10, 9, 14, 28]},
    "v_omar": {"theme": "fitness and running", "root": 247.0, "motifs": ["trail", "yoga", "mat", "mountains"],
               "palette": ["#2B9348", "#FF7B00", "#EEEF20", "#007F5F", "#F1FAEE"],
               "products": ["pulse-watch", "bluefizz-water", "strider-trail"],
               "titles": ["5 am tempo run", "Mobility routine for runners", "Hill sprints", "Rest day stretch",
                          "Race week vlog: long run and recovery"],
               "durations": [9, 11, 8, 10, 22], "host_size": (360, 640)},
}


def _tile(motif: str, palette: list, size: int, seed: str) -> Image.Image:
    rng = random.Random(seed)
    pal = [rgb(c) for c in palette]
    img = vertical_gradient((S, S), lighter(pal[4], 0.1), lighter(pal[rng.choice([1, 2, 3])], 0.3))
    MOTIFS[motif](ImageDraw.Draw(img), pal, rng)
    return img.resize((size, size), Image.LANCZOS)


def _panorama(spec: dict, motif_offset: int, size: tuple[int, int], seed: str) -> np.ndarray:
    """A picture a bit larger than the frame, made of motif tiles along the long side."""
    w, h = size[0] + PAD, size[1] + PAD
    tile = min(w, h)
    pano = Image.new("RGB", (w, h), rgb(spec["palette"][4]))
    n = -(-max(w, h) // tile)
    for k in range(n):
        motif = spec["motifs"][(motif_offset + k) % len(spec["motifs"])]
        pos = (k * tile, 0) if w >= h else (0, k * tile)
        pano.paste(_tile(motif, spec["palette"], tile, f"{seed}:{k}"), pos)
    return np.asarray(pano)


def _shot_frames(pano: np.ndarray, size: tuple[int, int], n: int, calm: bool, accent: tuple, rng: random.Random):
    """Frames of one shot: the camera pans across the panorama while a shape crosses it (barely moves if calm)."""
    w, h = size
    dx, dy = (rng.choice([-1, 1]) * PAD, rng.uniform(-0.4, 0.4) * PAD) if w >= h else (0.3 * PAD, PAD)
    if calm:
        dx, dy = dx * 0.05, dy * 0.05
    x0, y0 = (PAD if dx < 0 else 0), (PAD / 2 - dy / 2 if w >= h else 0)
    ball_y = rng.uniform(0.2, 0.8) * h
    for i in range(n):
        t = i / max(n - 1, 1)
        x, y = int(round(x0 + dx * t)), int(round(min(max(y0 + dy * t, 0), PAD)))
        frame = pano[y:y + h, x:x + w].copy()
        if not calm:
            cx, cy = int(-40 + (w + 80) * t), int(ball_y + 30 * np.sin(6 * np.pi * t))
            yy, xx = np.ogrid[:h, :w]
            frame[(xx - cx) ** 2 + (yy - cy) ** 2 < 18 ** 2] = accent
        yield frame


def _plan_shots(duration: float, host: bool, rng: random.Random) -> list[tuple[float, bool]]:
    """Shot lengths (2-6 s) summing to `duration`; a host video gets one calm 2.5 s shot near the middle."""
    shots: list[tuple[float, bool]] = []
    t = 0.0
    calm_at = duration * 0.45 if host else None
    while duration - t > 0.01:
        if calm_at is not None and t >= calm_at - 2.0:
            shots.append((2.5, True))
            t += 2.5
            calm_at = None
            continue
        length = min(rng.uniform(2.5, 5.0), duration - t)
        if duration - t - length < 2.0:
            length = duration - t
        shots.append((length, False))
        t += length
    return shots


def _audio(shots: list[tuple[float, bool]], root: float, rng: random.Random) -> np.ndarray:
    """A tone-and-noise bed: a new chord per shot, a pulse, near silence in calm shots."""
    parts = []
    for k, (length, calm) in enumerate(shots):
        n = int(round(length * FPS)) * RATE // FPS
        t = np.arange(n) / RATE
        base = root * [1.0, 1.189, 1.335, 1.498][k % 4]
        chord = sum(np.sin(2 * np.pi * base * m * t) for m in (1.0, 1.26, 1.5)) / 3
        pulse = 0.6 + 0.4 * (np.sin(2 * np.pi * 2.0 * t) > 0)
        noise = np.random.default_rng(k + int(root)).normal(0, 1, n)
        seg = (0.25 * chord * pulse + 0.03 * noise) * (0.04 if calm else 1.0)
        ramp = np.minimum(1.0, np.minimum(np.arange(n), np.arange(n)[::-1]) / (0.01 * RATE))
        parts.append(seg * ramp)
    return np.concatenate(parts).astype(np.float32)


def _write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())


def render_video(spec: dict, vid: str, duration: float, host: bool, size: tuple[int, int], out: Path) -> dict:
    """Render one video to `out` (H.264 + AAC); return its shot list and first frame for the cover."""
    rng = random.Random(f"video:{vid}")
    shots = _plan_shots(duration, host, rng)
    accent = rgb(spec["palette"][1])
    cover = None
    with tempfile.TemporaryDirectory() as tmp, atomic_path(out, suffix=".mp4") as tmp_mp4:
        wav = Path(tmp) / "bed.wav"
        _write_wav(wav, _audio(shots, spec["root"], rng))
        writer = imageio_ffmpeg.write_frames(
            str(tmp_mp4), size, fps=FPS, codec="libx264", quality=None, macro_block_size=2, audio_path=str(wav),
            audio_codec="aac", ffmpeg_log_level="error", output_params=["-crf", "32", "-preset", "veryfast", "-movflags", "+faststart",
                                              "-b:a", "48k", "-shortest"])
        writer.send(None)
        for k, (length, calm) in enumerate(shots):
            pano = _panorama(spec, k + (2 if calm else 0), size, f"{vid}:{k}")
            for frame in _shot_frames(pano, size, int(round(length * FPS)), calm, accent, rng):
                cover = frame if cover is None and k == 0 else cover
                writer.send(np.ascontiguousarray(frame))
        writer.close()
    cuts, t = [], 0.0
    for length, _ in shots[:-1]:
        t += int(round(length * FPS)) / FPS
        cuts.append(round(t, 3))
    calm_shot = [(round(sum(int(round(s[0] * FPS)) / FPS for s in shots[:i]), 3), s[0]) for i, s in enumerate(shots) if s[1]]
    info = {"duration": sum(int(round(s[0] * FPS)) for s in shots) / FPS, "shot_boundaries": cuts, "size": list(size)}
    if calm_shot:
        info["calm"] = [calm_shot[0][0], round(calm_shot[0][0] + calm_shot[0][1], 3)]
    return {"info": info, "cover": cover}


def generate(out_dir: Path) -> None:
    """Write every user's videos and covers, then users.json, titles.json and design.json."""
    users, titles, design = [], {}, {}
    for uid, spec in USERS.items():
        vids = [f"{uid.removeprefix('v_')}{k + 1:02d}" for k in range(len(spec["durations"]))]
        design[uid] = {"theme": spec["theme"], "host_vid": vids[-1], "videos": {}}
        for k, (vid, duration) in enumerate(zip(vids, spec["durations"], strict=True)):
            host = k == len(vids) - 1
            size = spec.get("host_size", (640, 360)) if host else (640, 360)
            result = render_video(spec, vid, duration, host, size, out_dir / "videos" / f"{vid}.mp4")
            buf = io.BytesIO()
            Image.fromarray(result["cover"]).save(buf, "JPEG", quality=80, optimize=True)
            write_bytes(out_dir / "covers" / f"{vid}.jpg", buf.getvalue())
            titles[vid] = spec["titles"][k]
            design[uid]["videos"][vid] = result["info"]
        users.append({"user_id": uid, "vids": vids, "products": spec["products"]})
    write_json(out_dir / "users.json", users)
    write_json(out_dir / "titles.json", titles)
    write_json(out_dir / "design.json", design)


def main(argv: list[str] | None = None) -> int:
    from nextads_studio.settings import Settings

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Settings().assets_dir / "audience" / "videos"
    generate(out)
    print(json.dumps({"written": str(out), "users": len(USERS)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
