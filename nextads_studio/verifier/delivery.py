"""The file itself: is it a video, of the planned length and frame rate, with sound; for PCI, does the splice hold?

A file that is not a video at all (a JPEG renamed .mp4, a text file) is refused with an InputError: there is
nothing to judge. Everything else is a `delivery` finding with the time range it concerns:
- length or frame rate off the plan (a 2 s clip for a 15 s plan), a frame of another aspect than the plan's;
- no audio track, or an audio track that is silent while the plan has narration;
- PCI: black bars around the segment (pillar/letterbox), dips to black at the joins, and whether the host resumes
  at the frame where it was cut.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import media_io, rules
from ..errors import InputError
from ..schemas import Creative, CreativePlan, Evidence, Finding

DELIVERY = rules.DELIVERY

_SIGNATURES = [(b"\xff\xd8\xff", "a JPEG image"), (b"\x89PNG", "a PNG image"), (b"GIF8", "a GIF image"),
               (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"BM", "a BMP image")]


def _finding(code: str, severity: str, message: str, start: float | None = None, end: float | None = None,
             visual: str | None = None, scene: int | None = None) -> Finding:
    return Finding(category="delivery", severity=severity, code=code, message=message,
                   evidence=Evidence(scene_index=scene, start=None if start is None else round(max(start, 0), 2),
                                     end=None if end is None else round(max(end, 0), 2), visual_element=visual,
                                     field="render"))


def check_file(path: str | Path) -> media_io.VideoInfo:
    """Refuse a file that is not a video (with what it is, when its first bytes say so); else probe it."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: video file not found")
    head = path.read_bytes()[:16] if path.stat().st_size < 64 else path.open("rb").read(16)
    if b"RIFF" == head[:4] and head[8:12] == b"WEBP":
        raise InputError(f"{path.name} is a WebP image, not a video: render the plan again")
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{path.name} is {what} with a video file name, not a video: render the plan again")
    info = media_io.probe(path)
    if not info.has_video or info.width <= 0 or info.height <= 0:
        raise InputError(f"{path.name} has no video stream: render the plan again")
    return info


def check_container(plan: CreativePlan, creative: Creative, info: media_io.VideoInfo) -> list[Finding]:
    """Length, frame rate, aspect and sound of the rendered file against the plan."""
    found = []
    want = plan.storyboard.duration_sec
    tol = max(DELIVERY["length_tolerance_s"], DELIVERY["length_tolerance_share"] * want)
    if abs(info.duration - want) > tol:
        sev = "critical" if info.duration < 0.5 * want or info.duration > 2 * want else "major"
        found.append(_finding("delivery.wrong_length", sev, f"the video lasts {info.duration:.1f}s; the plan is "
                              f"{want:.1f}s", 0.0, info.duration, "video length"))
    fps = float(creative.settings.fps if creative.settings else creative.fps)
    if info.fps and abs(info.fps - fps) > DELIVERY["fps_tolerance"]:
        found.append(_finding("delivery.wrong_frame_rate", "major", f"the video plays at {info.fps:g} fps; the "
                              f"plan renders at {fps:g} fps", 0.0, info.duration, "frame rate"))
    aspect = rules.aspect_of(info.width, info.height)
    if plan.task == "pcg" and aspect != plan.storyboard.aspect:
        found.append(_finding("delivery.wrong_aspect", "major", f"the frame is {info.width}x{info.height} "
                              f"({aspect}); the plan is {plan.storyboard.aspect}", 0.0, info.duration, "frame size"))
    found += _check_audio(plan, creative, info)
    return found


def _check_audio(plan: CreativePlan, creative: Creative, info: media_io.VideoInfo) -> list[Finding]:
    speaks = any(s.narration.strip() for s in plan.storyboard.scenes)
    wants_sound = speaks and (creative.settings is None or creative.settings.voice or creative.settings.music)
    if not wants_sound:
        return []
    if not info.has_audio:
        return [_finding("delivery.no_audio", "major", "the video has no audio track; the plan has narration",
                         0.0, info.duration, "audio track")]
    audio = media_io.read_audio(info.path, rate=8000)
    if audio.size == 0 or float(np.abs(audio).max()) < DELIVERY["silent_peak"]:
        return [_finding("delivery.silent_audio", "major", "the audio track is silent; the plan has narration",
                         0.0, info.duration, "audio track")]
    return []


# --- PCI ------------------------------------------------------------------------------------------
def _luma(frame: np.ndarray) -> np.ndarray:
    return frame.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)


def bar_share(frame: np.ndarray) -> tuple[float, float]:
    """Width share of dark bands at the left+right edges and height share at the top+bottom (0 when none)."""
    y = _luma(frame)
    cols, rows = y.max(axis=0), y.max(axis=1)

    def band(profile: np.ndarray) -> float:
        dark = profile < DELIVERY["bar_luma"]
        n = len(profile)
        lead = int(np.argmin(dark)) if not dark.all() else n
        trail = int(np.argmin(dark[::-1])) if not dark.all() else n
        return (lead + trail) / n if lead and trail else 0.0

    return band(cols), band(rows)


def check_pci(plan: CreativePlan, creative: Creative) -> list[Finding]:
    """Bars around the inserted segment, dips to black at the joins, and the host resuming where it was cut."""
    if plan.task != "pci" or not creative.integrated_path or creative.segment_start is None:
        return []
    path, t0 = creative.integrated_path, float(creative.segment_start)
    t1 = t0 + creative.duration
    info = media_io.probe(path)
    size = (160, max(int(round(160 * info.height / max(info.width, 1) / 2)) * 2, 2))
    found: list[Finding] = []
    step = 1 / 8
    frames = list(media_io.read_frames(path, fps=8, size=size, start=max(t0 - 1.0, 0), end=min(t1 + 1.0,
                                                                                             info.duration)))
    times = [max(t0 - 1.0, 0) + i * step for i in range(len(frames))]
    inside = [f for t, f in zip(times, frames, strict=True) if t0 + 0.4 <= t <= t1 - 0.4]
    shares = [bar_share(f) for f in inside]
    if shares:
        sides = float(np.median([s[0] for s in shares]))
        tops = float(np.median([s[1] for s in shares]))
        if max(sides, tops) >= DELIVERY["bar_min_share"]:
            kind = "pillarboxed (black bars left and right)" if sides >= tops else "letterboxed (black bars above and below)"
            found.append(_finding("delivery.black_bars", "major", f"the inserted segment is {kind}: "
                                  f"{max(sides, tops):.0%} of the frame", t0, t1, "black bars"))
    dark = [float(_luma(f).mean()) < DELIVERY["black_luma"] for f in frames]
    found += _dips(dark, times, step)
    found += _resume(plan, path, t1, size)
    return found


def _dips(dark: list[bool], times: list[float], step: float) -> list[Finding]:
    out, i = [], 0
    while i < len(dark):
        if not dark[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(dark) and dark[j + 1]:
            j += 1
        length = times[j] - times[i] + step
        if length >= DELIVERY["dip_minor_s"]:
            sev = "major" if length >= DELIVERY["dip_major_s"] else "minor"
            out.append(_finding("delivery.dip_to_black", sev, f"the picture goes black for {length:.1f}s at the "
                                "join", times[i], times[j] + step, "dip to black"))
        i = j + 1
    return out


def _resume(plan: CreativePlan, path: str, t_end: float, size: tuple[int, int]) -> list[Finding]:
    """After the segment the host must continue from the frame it was cut at."""
    integ = plan.integration
    if integ is None or not Path(integ.host_video_path).is_file():
        return []
    # the join fades in over ~0.25 s: compare a frame just after it with the host a moment after the cut
    after = 0.4
    resumed = next(iter(media_io.read_frames(path, size=size, start=t_end + after, end=t_end + after + 0.1)), None)
    host = next(iter(media_io.read_frames(integ.host_video_path, size=size, start=integ.timestamp + after,
                                          end=integ.timestamp + after + 0.1)), None)
    if resumed is None or host is None:
        return []
    diff = float(np.mean(np.abs(resumed.astype(np.float32) - host.astype(np.float32))))
    if diff > DELIVERY["resume_max_diff"]:
        return [_finding("delivery.no_return", "major", f"after the segment the host video does not resume where it "
                         f"was cut ({integ.timestamp}s): the frame differs by {diff:.0f}/255", t_end, t_end + 1.0,
                         "return to the host")]
    return []


__all__ = ["DELIVERY", "bar_share", "check_container", "check_file", "check_pci"]
