"""A labelled check set for the Verifier: clean creatives and creatives with one planted defect each.

Every defect is made the way it would arise: by editing the plan before rendering (a cut caption, a fragment, a
superlative, a price the facts do not hold, a product on a backdrop of its own colour, a first scene without the
product) or by editing the rendered file (a person's photo pasted into a scene, the AI label painted over, a
pillarboxed PCI insert, a clip cut short, the sound muted). Nothing here states what the Verifier will say; the
expected category, scene and time come from where the defect was planted.

Used by tests/verifier/test_calibration.py and benchmarks/verifier_calibration.py.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from nextads_studio import media_io
from nextads_studio.disclosure import label_box
from nextads_studio.schemas import (
    AssetLicense,
    CreativePlan,
    HostSummary,
    Integration,
    Note,
    RenderSettings,
    UserHistory,
)

from .clips import texture
from .conftest import DURATION, SCENES, make_history, make_plan, scenes_with

SCENE_S = DURATION / len(SCENES)


@dataclass
class Case:
    name: str
    codes: tuple[str, ...]  # the finding codes that name this defect (empty: a clean creative)
    scene: int | None  # where it was planted (None: the whole creative)
    window: tuple[float, float] | None  # when it was planted (seconds)


@dataclass
class Built:
    case: Case
    plan: CreativePlan
    creative: object
    history: UserHistory


def _ffmpeg(*args: str) -> None:
    subprocess.run([media_io.ffmpeg_exe(), "-y", "-loglevel", "error", *args], check=True)


def _scene_window(i: int) -> tuple[float, float]:
    return round(i * SCENE_S, 3), round((i + 1) * SCENE_S, 3)


def flat_product(path: Path, colour=(230, 120, 30)) -> Path:
    """A flat product drawing (a bottle: one colour and a cap) on a white card, like the product library's."""
    img = np.full((480, 360, 3), 250, np.uint8)
    cv2.rectangle(img, (120, 140), (240, 430), colour, -1)
    cv2.rectangle(img, (150, 80), (210, 140), tuple(int(c * 0.6) for c in colour), -1)
    cv2.circle(img, (180, 290), 40, tuple(min(255, int(c * 1.2) + 20) for c in colour), -1)
    cv2.imwrite(str(path), cv2.cvtColor(img, cv2.COLOR_RGB2BGR))
    return path


def _flat_plan(assets, folder: Path, palette: list[str] | None) -> CreativePlan:
    bottle = flat_product(folder / "bottle.png")
    plan = make_plan(assets, scenes=SCENES, duration=DURATION)
    product = plan.product.model_copy(update={
        "images": [str(bottle)],
        "licenses": [*plan.product.licenses, AssetLicense(path=str(bottle), license="Apache-2.0",
                                                          author="NextAds Studio")]})
    sas = [a.model_copy(update={"product_image": str(bottle)}) for a in plan.grounding.scene_assets]
    grounding = plan.grounding.model_copy(update={"product_images": [str(bottle)], "scene_assets": sas,
                                                  **({"palette": palette} if palette else {})})
    return plan.model_copy(update={"product": product, "grounding": grounding})


def _recolour_backdrop(source: Path, out: Path, window: tuple[float, float]) -> Path:
    """Within `window`, every pixel that is not the flat bottle's orange (and not the AI label) becomes a near-same
    orange: the product melts into its backdrop."""
    import imageio_ffmpeg

    from .clips import write_clip

    info = media_io.probe(source)
    x0, y0, x1, y1 = label_box(info.width, info.height)
    bottle = np.float32(cv2.cvtColor(np.uint8([[[230, 120, 30]]]), cv2.COLOR_RGB2LAB)[0, 0])
    reader = imageio_ffmpeg.read_frames(str(source))
    meta = next(reader)
    w, h = meta["size"]
    frames = []
    for k, raw in enumerate(reader):
        frame = np.frombuffer(raw, np.uint8).reshape(h, w, 3).copy()
        if window[0] <= k / info.fps < window[1]:
            lab = cv2.cvtColor(frame, cv2.COLOR_RGB2LAB).astype(np.float32)
            other = np.linalg.norm(lab - bottle, axis=2) > 30
            other[y0:y1, x0:x1] = False
            frame[other] = (222, 114, 36)
        frames.append(frame)
    silent = write_clip(out.with_suffix(".video.mp4"), frames, fps=int(round(info.fps)))
    _ffmpeg("-i", str(silent), "-i", str(source), "-map", "0:v", "-map", "1:a", "-map_metadata", "1", "-c", "copy",
            str(out))
    return out


def _photo_history(folder: Path) -> tuple[UserHistory, Path]:
    """The test person's history with one of their own photos (not licensed for reuse)."""
    photo = folder / "my_trail_photo.png"
    cv2.imwrite(str(photo), cv2.cvtColor(texture(320, 240, seed=77), cv2.COLOR_RGB2BGR))
    base = make_history()
    notes = [*base.notes, Note(note_idx="n-photo", title="Ridge at sunrise", content="Best run of the year.",
                               image_paths=[str(photo)])]
    return base.model_copy(update={"notes": notes}), photo


# --- cases -----------------------------------------------------------------------------------------
def cases() -> list[Case]:
    return [
        Case("clean", (), None, None),
        Case("clean, flat product", (), None, None),
        Case("clean PCI", (), None, None),
        Case("cut caption", ("legibility.cut_caption", "copy.fragment"), 1, _scene_window(1)),
        Case("fragment", ("copy.fragment",), 2, _scene_window(2)),
        Case("superlative", ("copy.superlative", "safety.superlative"), 3, _scene_window(3)),
        Case("price not in facts", ("safety.price_not_in_facts",), 1, _scene_window(1)),
        Case("product on same-colour backdrop", ("product.lost_on_backdrop",), 1, _scene_window(1)),
        Case("product absent in the first 2 s", ("product.absent_early",), 0, (0.0, 2.0)),
        Case("unlicensed history image", ("licensing.history_image_shown",), 2, _scene_window(2)),
        Case("missing AI label", ("disclosure.label_missing",), None, (0.0, DURATION)),
        Case("pillarboxed PCI", ("delivery.black_bars",), None, (6.0, 6.0 + DURATION)),
        Case("wrong length", ("delivery.wrong_length",), None, (0.0, 2.0)),
        Case("silent audio", ("delivery.silent_audio",), None, (0.0, DURATION)),
    ]


def build(case: Case, assets, render: Callable, folder: Path, clean) -> Built:
    """Plan, render and edit the creative for one case. `clean`: the (plan, creative) of the clean render."""
    folder.mkdir(parents=True, exist_ok=True)
    plan, creative = clean
    history = make_history()
    name = case.name

    def rendered(p: CreativePlan) -> Built:
        return Built(case, p, render(p, name.replace(" ", "-").replace(",", "")), history)

    def edited(path: Path, **update) -> Built:
        return Built(case, plan, creative.model_copy(update={"video_path": str(path), "sha256": "", **update}),
                     history)

    if name == "clean":
        return Built(case, plan, creative, history)
    if name == "clean, flat product":
        return rendered(_flat_plan(assets, folder, None))
    if name == "cut caption":
        return rendered(make_plan(assets, scenes=scenes_with(1, on_screen_text="Stride Runner weighs just"),
                                  duration=DURATION))
    if name == "fragment":
        return rendered(make_plan(assets, scenes=scenes_with(2, narration="A cushioned sole for long hill runs and."),
                                  duration=DURATION))
    if name == "superlative":
        return rendered(make_plan(assets, scenes=scenes_with(3, narration="The best trail shoe ever made."),
                                  duration=DURATION))
    if name == "price not in facts":
        return rendered(make_plan(assets, scenes=scenes_with(1, on_screen_text="Now just $49"), duration=DURATION))
    if name == "product on same-colour backdrop":
        # the Producer keeps a product off a backdrop of its own colour (it lightens the palette), so the defect is
        # planted in the file, as a generated backdrop would give it: scene 1's backdrop turned the bottle's orange
        flat = _flat_plan(assets, folder, None)
        source = render(flat, "flat-for-backdrop")
        out = _recolour_backdrop(Path(source.video_path), folder / "same-colour.mp4", _scene_window(1))
        return Built(case, flat, source.model_copy(update={"video_path": str(out), "sha256": ""}), history)
    if name == "product absent in the first 2 s":
        # every scene the Producer draws shows the product, so the opening is replaced in the file, as a generated
        # establishing shot would be: a trail-like still over scene 0 (the AI label stays)
        info = media_io.probe(creative.video_path)
        top = label_box(info.width, info.height)[3] + 4
        still = folder / "opening.png"
        cv2.imwrite(str(still), cv2.cvtColor(texture(info.width, info.height - top, seed=11), cv2.COLOR_RGB2BGR))
        a, b = _scene_window(0)
        out = folder / "no-product-first.mp4"
        _ffmpeg("-i", creative.video_path, "-i", str(still), "-filter_complex",
                f"[0][1]overlay=0:{top}:enable='between(t,{a},{b})'", "-c:a", "copy", str(out))
        return edited(out)
    if name == "unlicensed history image":
        history, photo = _photo_history(folder)
        a, b = _scene_window(2)
        out = folder / "with-photo.mp4"
        _ffmpeg("-i", creative.video_path, "-i", str(photo), "-filter_complex",
                f"[1]scale=200:-2[p];[0][p]overlay=380:80:enable='between(t,{a},{b})'", "-c:a", "copy", str(out))
        built = edited(out)
        built.history = history
        return built
    if name == "missing AI label":
        info = media_io.probe(creative.video_path)
        x0, y0, x1, y1 = label_box(info.width, info.height)
        out = folder / "no-label.mp4"
        _ffmpeg("-i", creative.video_path, "-vf", f"drawbox=x={x0 - 2}:y={y0 - 2}:w={x1 - x0 + 4}:h={y1 - y0 + 4}:"
                "color=0x5a8f5a:t=fill", "-c:a", "copy", str(out))
        return edited(out)
    if name == "wrong length":
        out = folder / "short.mp4"
        _ffmpeg("-i", creative.video_path, "-t", "2", "-c", "copy", str(out))
        return edited(out)
    if name == "silent audio":
        out = folder / "mute.mp4"
        _ffmpeg("-i", creative.video_path, "-c:v", "copy", "-af", "volume=0", "-c:a", "aac", str(out))
        return edited(out)
    if name in ("clean PCI", "pillarboxed PCI"):
        return _pci(case, plan, creative, history, folder, boxed=name == "pillarboxed PCI")
    raise ValueError(name)


def _pci(case: Case, plan: CreativePlan, creative, history: UserHistory, folder: Path, boxed: bool) -> Built:
    """A 20 s host with the creative spliced in at 6 s; `boxed`: the segment squeezed to 4:3 with
    black bars, as a splice that ignored the host's shape would look."""
    info = media_io.probe(creative.video_path)
    w, h = info.width, info.height
    host = folder / "host.mp4"
    if not host.exists():  # a 20 s host in the ad's own colours and loudness (the creative, played twice)
        _ffmpeg("-stream_loop", "1", "-i", creative.video_path, "-t", "20", "-c:v", "libx264", "-preset",
                "ultrafast", "-c:a", "aac", str(host))
    fit = f"scale={h * 4 // 3 // 2 * 2}:{h},pad={w}:{h}:(ow-iw)/2:0" if boxed else f"scale={w}:{h}"
    out = folder / ("boxed.mp4" if boxed else "spliced.mp4")
    graph = (f"[0:v]trim=0:6,setpts=PTS-STARTPTS[a];[1:v]{fit},setsar=1,setpts=PTS-STARTPTS[s];"
             f"[0:v]trim=6:20,setpts=PTS-STARTPTS[b];[0:a]atrim=0:6,asetpts=PTS-STARTPTS[aa];"
             f"[1:a]aresample=44100,asetpts=PTS-STARTPTS[as];[0:a]atrim=6:20,asetpts=PTS-STARTPTS[ab];"
             f"[aa]aresample=44100[aa2];[ab]aresample=44100[ab2];"
             f"[a][aa2][s][as][b][ab2]concat=n=3:v=1:a=1[v][au]")
    _ffmpeg("-i", str(host), "-i", creative.video_path, "-filter_complex", graph, "-map", "[v]", "-map", "[au]",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(out))
    pci = plan.model_copy(update={"task": "pci", "integration": Integration(
        host_video_path=str(host), timestamp=6, bridge="Back on the trail.", host_summary=HostSummary(
            duration=20.0, title="Ridge trail run", topic="trail running",
            content="A morning trail run on the ridge, hill repeats and a long descent.",
            palette=["#2E7D32", "#A5D6A7", "#1B5E20", "#F1F8E9"]))})
    spliced = creative.model_copy(update={"integrated_path": str(out), "segment_start": 6.0})
    return Built(case, pci, spliced, history)


def found(case: Case, verdict) -> tuple[bool, bool]:
    """(the defect was reported with one of its codes, and at its scene and time)."""
    hits = [f for f in verdict.compliance.findings if f.code in case.codes]
    if not hits:
        return False, False
    for f in hits:
        e = f.evidence
        scene_ok = case.scene is None or e.scene_index == case.scene
        time_ok = case.window is None or (e.start is not None and e.end is not None
                                          and e.start < case.window[1] + 0.3 and e.end > case.window[0] - 0.3)
        if scene_ok and time_ok:
            return True, True
    return True, False


def settings() -> RenderSettings:
    return RenderSettings(resolution=360)


__all__ = ["Built", "Case", "build", "cases", "found", "settings"]
