"""Render speed, side by side in one run, on the same 15 s 720x1280 ad with voice and music:

(a) our Producer (numpy/OpenCV frames streamed to x264 while the next frames are synthesized), cold cache:
    nothing in memory or in the render cache; what is made once per product or installation is there: the
    product's mattes (made when it entered the library; a'' measures a product that never did) and the voice
    model optimized for onnxruntime (made on the first voice start). Issue #16 allows one voice process "per
    render, or per studio": (a) is the studio's case (its voice process is up: `nextads serve` starts it), (a')
    a one-off render that starts its voice process inside (a `nextads render` from the shell);
(b) the encoder floor: the same number of already-prepared frames encoded with the same encoder settings
    (and the same soundtrack muxed as AAC);
(c) a straightforward moviepy CompositeVideoClip version of the same ad (ImageClips, resize-based zoom,
    crossfades, TextClips), the way popular open-source generators build theirs.

Every case runs --rounds times (default 3); medians of wall and CPU seconds are printed side by side.

Usage: python benchmarks/render.py [--quality preview|final] [--rounds N] [--skip-moviepy]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nextads_studio.disclosure import draw_ai_label  # noqa: E402
from nextads_studio.media_io import read_frames  # noqa: E402
from nextads_studio.producer import Producer  # noqa: E402
from nextads_studio.producer.encode import to_yuv420p, x264_params  # noqa: E402
from nextads_studio.schemas.creative import RenderSettings  # noqa: E402
from nextads_studio.schemas.plan import CreativePlan, Grounding, Scene, SceneAssets, Storyboard  # noqa: E402
from nextads_studio.schemas.product import Product  # noqa: E402

FONT = ROOT / "assets" / "fonts" / "DejaVuSans-Bold.ttf"


def _images(tmp: Path) -> tuple[list[str], list[str], str | None, dict]:
    """Product images, user images and a logo: the shipped library and demo media, else drawn ones."""
    lib = ROOT / "product_library" / "products.json"
    users = sorted((ROOT / "assets" / "audience" / "notes" / "images").glob("*/*.jpg"))[:3]
    if lib.is_file() and users:
        prod = json.loads(lib.read_text())[0]
        return ([str(ROOT / "product_library" / p) for p in prod["images"]], [str(u) for u in users],
                str(ROOT / "product_library" / prod["logo"]) if prod.get("logo") else None, prod)
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (800, 800), (235, 235, 230))
    ImageDraw.Draw(img).rounded_rectangle((250, 120, 550, 700), radius=60, fill=(40, 90, 200))
    img.save(tmp / "p.png")
    shots = []
    for i in range(3):
        ph = Image.new("RGB", (900, 600), (60 * i, 120, 200 - 50 * i))
        ImageDraw.Draw(ph).ellipse((100 + 80 * i, 100, 600, 500), fill=(250, 200, 90))
        ph.save(tmp / f"u{i}.jpg")
        shots.append(str(tmp / f"u{i}.jpg"))
    return [str(tmp / "p.png")], shots, None, {"name": "Aero", "brand": "Aero", "slogan": "Sound that moves"}


def build_plan(tmp: Path, loose: bool = False) -> CreativePlan:
    """The benchmark ad. loose=True points it at copies of the product images outside the library (a product
    given by path, never imported: no matte was made for it, so the render cuts it out)."""
    prods, users, logo, info = _images(tmp)
    if loose:
        (tmp / "loose").mkdir(parents=True, exist_ok=True)
        prods = [str(shutil.copy(p, tmp / "loose" / Path(p).name)) for p in prods]
    texts = ["Night shots, no tripod", "Two days on one charge", "Your trips, in 120 Hz",
             "Built for 20% more light", "Shop the Aurora X"]
    narr = ["Every light, every shot.", "A battery that keeps up with your weekend.", "Smooth, bright, and fast.",
            "Made for the moments you travel for.", "Tap to get yours today."]
    motions = ["push_in", "parallax", "pan_left", "pull_out", "static"]
    trans = ["cut", "crossfade", "slide", "whip", "crossfade"]
    scenes = [Scene(index=i, start=3.0 * i, end=3.0 * (i + 1), camera_motion=motions[i], transition=trans[i],
                    narration=narr[i], on_screen_text=texts[i], product_focus=i in (0, 2, 4)) for i in range(5)]
    bound = [SceneAssets(scene_index=i, product_image=prods[i % len(prods)] if i in (0, 2, 4) else None,
                         user_images=[users[i % len(users)]] if i in (1, 3) else []) for i in range(5)]
    product = Product(product_id="bench", name=info["name"], brand=info["brand"], category="electronics",
                      slogan=info.get("slogan", ""), images=prods, logo=logo)
    grounding = Grounding(product_images=prods, user_images=users, logo_path=logo,
                          palette=["#2B3A67", "#496A81", "#FFC857", "#F5F7FF"], scene_assets=bound)
    sb = Storyboard(duration_sec=15.0, aspect="9:16", hook="Every shot, every light", cta="Shop now",
                    tone_tags=["energetic"], scenes=scenes)
    return CreativePlan(plan_id="bench", product=product, storyboard=sb, grounding=grounding)


def cpu_seconds() -> float:
    """CPU time of this process, its finished children (ffmpeg, piper) and the still-running piper worker (its
    time reaches os.times() only once it is reaped): robust to a busy machine."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system + _live_voice_cpu()


def _live_voice_cpu() -> float:
    from nextads_studio.producer import speech

    total = 0.0
    for worker in list(speech._WORKERS.values()):
        try:
            fields = Path(f"/proc/{worker.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone (its time is in children_* once reaped) or no /proc on this system
            continue
        if worker.proc.returncode is None:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def run_floor(frames: list[np.ndarray], wav: Path, out: Path, quality: str, pix_fmt: str = "rgb24") -> float:
    import imageio_ffmpeg

    h, w = frames[0].shape[:2]
    if pix_fmt == "yuv420p":  # planar: the array is (h * 3 / 2, w), the picture h high
        h = h * 2 // 3
    t = time.perf_counter()
    writer = imageio_ffmpeg.write_frames(
        str(out), (w, h), fps=30, codec="libx264", macro_block_size=2, quality=None, pix_fmt_in=pix_fmt,
        output_params=[*x264_params(quality), "-movflags", "+faststart"], audio_path=str(wav), audio_codec="aac",
        ffmpeg_log_level="error")
    writer.send(None)
    for f in frames:
        writer.send(f)
    writer.close()
    return time.perf_counter() - t


def run_moviepy(plan: CreativePlan, wav: Path, out: Path, quality: str) -> float:
    """The idiomatic moviepy 2 build of the same ad."""
    from moviepy import AudioFileClip, ColorClip, CompositeVideoClip, ImageClip, TextClip, vfx

    w, h = 720, 1280
    t0 = time.perf_counter()
    clips = []
    bound = {a.scene_index: a for a in plan.grounding.scene_assets}
    for s in plan.storyboard.scenes:
        dur = s.end - s.start
        a = bound[s.index]
        layers = [ColorClip((w, h), color=(43, 58, 103)).with_duration(dur)]
        if a.user_images:
            bg = ImageClip(a.user_images[0]).with_duration(dur).resized(height=h)
            bg = bg.with_effects([vfx.Resize(lambda t, d=dur: 1.0 + 0.1 * t / d)]).with_position("center")
            layers.append(bg)
        if a.product_image:
            prod = ImageClip(a.product_image).with_duration(dur).resized(width=int(w * 0.8))
            prod = prod.with_effects([vfx.Resize(lambda t, d=dur: 1.0 + 0.12 * t / d)])
            layers.append(prod.with_position(("center", int(h * 0.15))))
        txt = TextClip(font=str(FONT), text=s.on_screen_text, font_size=40, color="white", bg_color=(20, 20, 30),
                       method="caption", size=(int(w * 0.86), None)).with_duration(dur)
        layers.append(txt.with_position(("center", int(h * 0.64))))
        scene = CompositeVideoClip(layers, size=(w, h)).with_duration(dur)
        if s.index:
            scene = scene.with_effects([vfx.CrossFadeIn(0.4)])
        clips.append(scene.with_start(s.start))
    label_rgba, (x0, y0, _, _) = draw_ai_label(w, h)
    label = ImageClip(np.ascontiguousarray(label_rgba[..., :3]), transparent=False).with_duration(15.0)
    label = label.with_mask(ImageClip(label_rgba[..., 3] / 255.0, is_mask=True).with_duration(15.0))
    clips.append(label.with_position((x0, y0)))
    video = CompositeVideoClip(clips, size=(w, h)).with_duration(15.0).with_audio(AudioFileClip(str(wav)))
    preset = "ultrafast" if quality == "preview" else "veryfast"
    video.write_videofile(str(out), fps=30, codec="libx264", audio_codec="aac", preset=preset, threads=2,
                          logger=None, ffmpeg_params=["-crf", "23", "-pix_fmt", "yuv420p"])
    return time.perf_counter() - t0


def forget_in_process_caches() -> None:
    """What a fresh process would not have: mattes, product sprites, images, backdrops, motif drawings and the
    music bed kept in memory. (Modules stay imported: the floor is not charged its imports either.)"""
    from nextads_studio.producer import audio, backdrops, layers, motifs, scene

    layers.forget_mattes()
    scene._SPRITES.clear()
    for fn in (layers.load_rgba, backdrops._backdrop, motifs.motif_mask, audio._music_bed):
        fn.cache_clear()


def measure(fn) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process and its children, result) of one call."""
    c0, t0 = cpu_seconds(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, cpu_seconds() - c0, out


def one_round(plan: CreativePlan, tmp: Path, quality: str) -> dict[str, tuple[float, float]]:
    """Every measured case once, on the same plan, in one run."""
    from nextads_studio.media_io import read_audio
    from nextads_studio.producer.audio import write_wav
    from nextads_studio.producer.speech import close_voice_workers

    settings = RenderSettings(resolution=720, quality=quality)
    out: dict[str, tuple[float, float]] = {}
    close_voice_workers()  # cold: the voice process is started (and the voice loaded) inside the measurement
    forget_in_process_caches()
    producer = Producer(ROOT / "assets", tmp / "cache")
    wall, cpu, creative = measure(lambda: producer.render(plan, tmp / "ours", settings))
    out["cold"] = (wall, cpu)
    out["parts"] = dict(producer.last_timings)
    video = Path(creative.video_path)
    frames = list(read_frames(video))
    out["frames"] = (len(frames), 0.0)
    wav = tmp / "soundtrack.wav"
    write_wav(wav, read_audio(video))
    wall, cpu, _ = measure(lambda: run_floor(frames, wav, tmp / "floor.mp4", quality))
    out["floor"] = (wall, cpu)
    yuv = [to_yuv420p(f) for f in frames]
    frames.clear()
    wall, cpu, _ = measure(lambda: run_floor(yuv, wav, tmp / "floor2.mp4", quality, pix_fmt="yuv420p"))
    out["floor_yuv"] = (wall, cpu)
    yuv.clear()
    wall, cpu, _ = measure(lambda: producer.render(plan, tmp / "warm", settings))
    out["warm"] = (wall, cpu)
    shutil.rmtree(tmp / "cache" / "video")  # frames drawn and encoded again, voice lines from the cache
    wall, cpu, _ = measure(lambda: producer.render(plan, tmp / "revoice", settings))
    out["voice_cached"] = (wall, cpu)
    scenes = [sc.model_copy() for sc in plan.storyboard.scenes]
    scenes[2] = scenes[2].model_copy(update={"on_screen_text": "Bright nights, steady hands"})
    edited = plan.model_copy(update={"version": 2, "parent_version": 1,
                                     "storyboard": plan.storyboard.model_copy(update={"scenes": scenes})})
    wall, cpu, one = measure(lambda: producer.render(edited, tmp / "one", settings))
    out["one_scene"] = (wall, cpu)
    out["one_scene_list"] = one.scenes_rerendered
    # the studio's case: a new ad while the studio runs; empty caches, but the voice process is already up
    forget_in_process_caches()
    studio = Producer(ROOT / "assets", tmp / "cache_studio")
    wall, cpu, _ = measure(lambda: studio.render(plan, tmp / "studio", settings))
    out["cold_voice_up"] = (wall, cpu)
    # a product never imported into the library: its images are cut out inside the render
    close_voice_workers()
    forget_in_process_caches()
    loose, loose_plan = Producer(ROOT / "assets", tmp / "cache_loose"), build_plan(tmp, loose=True)
    wall, cpu, _ = measure(lambda: loose.render(loose_plan, tmp / "loose_out", settings))
    out["cold_unimported"] = (wall, cpu)
    for name in ("ours", "warm", "revoice", "one", "studio", "cache", "cache_studio", "cache_loose", "loose_out",
                 "loose"):
        shutil.rmtree(tmp / name, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", choices=["preview", "final"], default="preview")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every case; medians are printed")
    parser.add_argument("--skip-moviepy", action="store_true")
    args = parser.parse_args()
    from nextads_studio.producer import speech

    voice = speech.piper_model()
    if voice is not None and not speech.prepare_model(*voice):  # made once per installation, never per render
        print("note: the voice model could not be prepared; the voice loads the packaged model")
    load = os.getloadavg()[0]
    rounds = []
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        plan = build_plan(tmp)
        for _ in range(max(1, args.rounds)):
            rounds.append(one_round(plan, tmp / f"r{len(rounds)}", args.quality))
        c = c_cpu = None
        if not args.skip_moviepy:
            wav = tmp / "mp_soundtrack.wav"
            from nextads_studio.media_io import read_audio
            from nextads_studio.producer.audio import write_wav

            first = Producer(ROOT / "assets", tmp / "mp_cache").render(
                plan, tmp / "mp_ours", RenderSettings(resolution=720, quality=args.quality))
            write_wav(wav, read_audio(first.video_path))
            c, c_cpu, _ = measure(lambda: run_moviepy(plan, wav, tmp / "moviepy.mp4", args.quality))

    def med(key: str) -> tuple[float, float]:
        return (statistics.median(r[key][0] for r in rounds), statistics.median(r[key][1] for r in rounds))

    n = rounds[0]["frames"][0]
    a, fl, fy = med("cold"), med("floor"), med("floor_yuv")
    vc, up, warm, one = med("voice_cached"), med("cold_voice_up"), med("warm"), med("one_scene")
    loose = med("cold_unimported")
    parts = {k: statistics.median(r["parts"][k] for r in rounds) for k in rounds[0]["parts"]}
    print(f"plan: 15 s, 5 scenes, 720x1280, 30 fps, voice + music, quality={args.quality}, frames={n}; "
          f"medians of {len(rounds)} rounds")
    print(f"load average at start: {load:.1f} on {os.cpu_count()} cores (wall times suffer when it is high; "
          "CPU seconds do not)")
    print("                                          wall      CPU    wall/b  CPU/b   target")
    rows = [
        ("(a) ours, cold, in the studio: empty caches, the voice process up (one per studio)", up, "<= 1.5x"),
        ("(a') ours, cold, one-off: empty caches, the voice process started inside (one per render)", a, "<= 1.5x"),
        ("(a'') ours, cold, product never imported (its images cut out inside)", loose, ""),
        ("    ours, voice cached (all frames drawn and encoded again)", vc, "<= 1.2x"),
        ("    ours, warm cache (every scene from the cache)", warm, ""),
        ("(b) encoder floor (same frames, same x264 settings, AAC mux)", fl, ""),
        ("(b') floor fed yuv420p frames (what ours pipes)", fy, ""),
    ]
    for label, (w, cpu), target in rows:
        print(f"{label}\n{'':40s}{w:7.2f} s {cpu:6.2f} s  {w / fl[0]:5.2f}x  {cpu / fl[1]:5.2f}x   {target}")
    print("cold render parts (wall, median): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
    print(f"one scene edited: {one[0]:.2f} s wall, {one[1]:.2f} s CPU (scenes re-rendered: "
          f"{rounds[0]['one_scene_list']}); {one[0] / up[0]:.2f}x wall, {one[1] / up[1]:.2f}x CPU of the studio's "
          "cold full render (target <= 0.3x)")
    print(f"a/b = {up[0] / fl[0]:.2f}x wall, {up[1] / fl[1]:.2f}x CPU in the studio, {a[0] / fl[0]:.2f}x wall, "
          f"{a[1] / fl[1]:.2f}x CPU one-off (target <= 1.5x); voice cached: "
          f"{vc[0] / fl[0]:.2f}x wall, {vc[1] / fl[1]:.2f}x CPU (target <= 1.2x)")
    if c is not None:
        print(f"(c) moviepy composite     {c:7.2f} s wall, {c_cpu:6.2f} s CPU (one run)")
        print(f"c/a = {c / a[0]:.2f}x wall, {c_cpu / a[1]:.2f}x CPU: ours is that much faster (target >= 5x)")


if __name__ == "__main__":
    main()
