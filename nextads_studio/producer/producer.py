"""The Producer: CreativePlan -> creative.mp4 (+ SRT, + integrated.mp4 for PCI), with a per-scene cache."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from ..atomic import atomic_path, sha256_file, write_json, write_text
from ..disclosure import AI_LABEL_TEXT, composite_label
from ..errors import InputError, StageCancelled
from ..media_io import probe
from ..schemas.creative import Creative, RenderSettings
from ..schemas.plan import CreativePlan
from . import audio as A
from .contact_sheet import contact_sheet, sheet_from_thumbnails, thumb_size, thumbnail
from .encode import encode_aac, encode_segments, join_and_mux, to_yuv420p
from .frames import FPS, SceneSpec, transition
from .pci import PciRenderer, host_frame_size, start_frame_file
from .plan_specs import (
    RENDERER_VERSION,
    Piece,
    frame_size,
    palette,
    pci_specs,
    pieces,
    scene_keys,
    scene_specs,
    tone_tags,
)
from .provenance import asset_licenses
from .scene import SceneRenderer

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]


class Producer:
    """Renders plans offline: motion graphics from the grounded assets, voice, music, captions, AI label."""

    def __init__(self, assets_dir: Path, cache_dir: Path, speech=None):
        self.assets_dir = Path(assets_dir)
        self.cache_dir = Path(cache_dir)
        self._speech = speech
        self.last_notes: list[str] = []
        self.last_timings: dict[str, float] = {}
        self.last_drawn = 0  # frames the last render drew (the rest came from the cache)

    @classmethod
    def from_studio(cls, studio) -> Producer:
        producer = cls(studio.settings.assets_dir, studio.data_dir / "cache" / "scenes")
        producer._speech_factory = lambda: studio.backend("speech")
        return producer

    @property
    def speech(self):
        if self._speech is None:
            factory = getattr(self, "_speech_factory", None)
            if factory is not None:
                self._speech = factory()
            else:
                from .speech import OfflineSpeech

                self._speech = OfflineSpeech()
        return self._speech

    # --- public -------------------------------------------------------------------------------
    def render(self, plan: CreativePlan, out_dir: Path, settings: RenderSettings | None = None,
               progress: Progress | None = None, cancel: threading.Event | None = None) -> Creative:
        """Render the plan into out_dir/creative.mp4, creative.srt and creative.json (and integrated.mp4 for
        PCI). Cancelling raises StageCancelled and leaves no partial file."""
        settings = settings or RenderSettings()
        started = time.perf_counter()
        report = progress or (lambda f, m: None)
        cancel = cancel or threading.Event()
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        roots = [self.assets_dir, self.assets_dir.parent, self.assets_dir.parent / "product_library"]
        if plan.task == "pci" and plan.integration is not None:
            width, height, specs = self._pci_specs(plan, roots)
        else:
            width, height = frame_size(settings.aspect or plan.storyboard.aspect, settings.resolution)
            specs = scene_specs(plan, width, height, roots)
        keys = scene_keys(specs, settings.quality)
        parts = pieces(specs, settings.quality)
        report(0.02, f"{len(specs)} scenes at {width}x{height}")
        video_cache = self.cache_dir / "video"
        video_cache.mkdir(parents=True, exist_ok=True)
        segments = [video_cache / f"{p.key}.mp4" for p in parts]
        missing = [k for k, seg in enumerate(segments) if not seg.is_file()]  # pieces to draw and encode
        self.last_drawn = sum(parts[k].end - parts[k].start for k in missing)
        scene_firsts = np.cumsum([0] + [s.n_frames for s in specs[:-1]]).tolist()
        firsts = [scene_firsts[p.scene] + p.start for p in parts]
        # a piece's contact-sheet thumbnails (its frames at 0.5 s, 1.5 s, ...) are cached next to its segment
        thumb_files = [video_cache / f"{p.key}.t{f % FPS:02d}.npy" for p, f in zip(parts, firsts, strict=True)]
        thumbs: dict[int, list[np.ndarray]] = {}
        with tempfile.TemporaryDirectory(prefix=".render-", dir=out_dir) as tmp:
            work = Path(tmp)
            sound: dict = {}
            audio_thread = threading.Thread(target=self._soundtrack_job, daemon=True,
                                            args=(plan, settings, work, sound))
            audio_thread.start()
            t0 = time.perf_counter()
            try:
                self._render_scenes(specs, [parts[k] for k in missing], [segments[k] for k in missing],
                                    settings.quality, report, cancel, (firsts, thumb_size(width, height), thumbs),
                                    missing)
            finally:
                t1 = time.perf_counter()
                audio_thread.join()
            self.last_timings = {"prepare": t0 - started, "video": t1 - t0, "audio": sound.get("seconds", 0.0),
                                 "audio_wait": time.perf_counter() - t1}
            if "error" in sound:
                raise sound["error"]
            self._check(cancel)
            report(0.9, "muxing")
            creative = self._assemble(plan, settings, specs, keys, segments, sorted({parts[k].scene for k in missing}),
                                      sound, work, out_dir, width, height)
            if plan.task == "pci" and plan.integration is not None:
                self._check(cancel)
                report(0.93, "splicing into the host video")
                from .insert import insert_segment

                integrated = out_dir / "integrated.mp4"
                start = insert_segment(out_dir / "creative.mp4", plan.integration, integrated, work, settings.quality)
                creative.integrated_path = str(integrated)
                creative.segment_start = start
        report(0.97, "contact sheet")
        creative.contact_sheet_path = str(self._contact_sheet(out_dir, thumbs, thumb_files, missing, width, height))
        creative.render_seconds = round(time.perf_counter() - started, 3)
        self.last_timings["total"] = creative.render_seconds
        write_json(out_dir / "creative.json", creative)  # the sidecar `nextads verify` reads next to the video
        report(1.0, "done")
        return creative

    @staticmethod
    def _contact_sheet(out_dir: Path, thumbs: dict[int, list[np.ndarray]], files: list[Path], missing: list[int],
                       width: int, height: int) -> Path:
        """contact_sheet.png from the thumbnails taken while drawing (and cached per scene); decoded from the
        video only when a cached scene has none."""
        for i in missing:
            if i in thumbs:
                with atomic_path(files[i]) as tmp:
                    np.save(tmp, np.stack(thumbs[i]) if thumbs[i] else np.zeros((0, 1, 1, 3), np.uint8),
                            allow_pickle=False)
        frames: list[np.ndarray] = []
        for i, path in enumerate(files):
            if i in thumbs:
                frames += thumbs[i]
            elif path.is_file():
                frames += list(np.load(path, allow_pickle=False))
            else:
                return contact_sheet(out_dir / "creative.mp4", out_dir / "contact_sheet.png")
        if not frames:
            return contact_sheet(out_dir / "creative.mp4", out_dir / "contact_sheet.png")
        return sheet_from_thumbnails(frames, out_dir / "contact_sheet.png", width, height)

    def _pci_specs(self, plan: CreativePlan, roots: list[Path]) -> tuple[int, int, list[SceneSpec]]:
        """A host-video segment takes the host's size and orientation and opens on its start frame."""
        host = Path(plan.integration.host_video_path)
        if not host.is_file():
            raise InputError(f"integration.host_video_path: {host} does not exist")
        info = probe(host)
        if not info.has_video or info.width <= 0 or info.height <= 0:
            raise InputError(f"{host.name}: integration.host_video_path has no video stream")
        width, height = host_frame_size(info.width, info.height)
        start = start_frame_file(host, plan.integration.timestamp, self.cache_dir / "start_frames")
        return width, height, pci_specs(plan, width, height, roots, str(start))

    # --- video ----------------------------------------------------------------------------------
    def _render_scenes(self, specs: list[SceneSpec], todo: list[Piece], segments: list[Path], quality: str,
                       report: Progress, cancel: threading.Event, sheet: tuple, ids: list[int]) -> None:
        """Synthesize the pieces' frames in a worker thread while the main thread feeds the encoder (they
        overlap); `ids` are the pieces' indices in the ad (for the contact-sheet thumbnails)."""
        if not todo:
            return
        total = sum(p.end - p.start for p in todo)
        with _opencv_single_threaded():
            self._stream(specs, todo, segments, quality, report, cancel, sheet, ids, total)

    def _stream(self, specs: list[SceneSpec], todo: list[Piece], segments: list[Path], quality: str,
                report: Progress, cancel: threading.Event, sheet: tuple, ids: list[int], total: int) -> None:
        frames_q: queue.Queue = queue.Queue(maxsize=12)
        stop = threading.Event()
        worker = threading.Thread(target=self._synthesize, args=(specs, list(zip(ids, todo, strict=True)), frames_q,
                                                                 stop, sheet), daemon=True)
        worker.start()
        done = 0

        def frames() -> Iterator[np.ndarray]:
            nonlocal done
            for _ in range(total):
                item = frames_q.get()
                if isinstance(item, BaseException):
                    raise item
                self._check(cancel)
                done += 1
                if done % 15 == 0:
                    report(0.05 + 0.83 * done / total, f"frame {done}/{total}")
                yield item

        try:
            # Written next to the cache so the final renames are atomic; removed on any failure.
            with tempfile.TemporaryDirectory(prefix=".enc-", dir=segments[0].parent) as tmp:
                encode_segments(frames(), [p.end - p.start for p in todo], segments, Path(tmp), specs[0].width,
                                specs[0].height, FPS, quality)
        finally:
            stop.set()
            while worker.is_alive():  # unblock a worker waiting on a full queue
                try:
                    frames_q.get_nowait()
                except queue.Empty:
                    worker.join(0.05)

    def _synthesize(self, specs: list[SceneSpec], todo: list[tuple[int, Piece]], frames_q: queue.Queue,
                    stop: threading.Event, sheet: tuple = ([], None, {})) -> None:
        firsts, size, thumbs = sheet
        renderers: dict[int, SceneRenderer | PciRenderer] = {}

        def renderer(i: int) -> SceneRenderer | PciRenderer:
            if i not in renderers:
                cls = PciRenderer if specs[i].kind == "pci" else SceneRenderer
                renderers[i] = cls(specs[i], str(self.cache_dir / "cutouts"))
            return renderers[i]

        try:
            for k, piece in todo:
                i = piece.scene
                spec = specs[i]
                cur = renderer(i)
                prev = renderer(i - 1) if i and piece.start < spec.transition_frames else None
                taken = thumbs.setdefault(k, []) if size else []
                for f in range(piece.start, piece.end):
                    if stop.is_set():
                        return
                    frame = cur.frame(f)
                    if prev is not None and f < spec.transition_frames:
                        p = (f + 1) / (spec.transition_frames + 1)
                        frame = transition(spec.transition, prev.frame(prev.spec.n_frames + f), frame, p)
                    frame = composite_label(frame)
                    if size and (firsts[k] + f - piece.start) % FPS == FPS // 2:  # mid-second, as fps=1 picks
                        taken.append(thumbnail(frame, size))
                    frames_q.put(to_yuv420p(frame))
                for old in [j for j in renderers if j < i]:
                    del renderers[old]  # free canvases we no longer need
        except BaseException as exc:  # handed to the consumer, which raises it
            frames_q.put(exc)

    @staticmethod
    def _check(cancel: threading.Event) -> None:
        if cancel.is_set():
            raise StageCancelled("render cancelled; nothing partial was written")

    # --- audio ----------------------------------------------------------------------------------
    def _soundtrack_job(self, plan: CreativePlan, settings: RenderSettings, work: Path, out: dict) -> None:
        started = time.perf_counter()
        try:
            out.update(self._soundtrack(plan, settings, work))
            out["seconds"] = time.perf_counter() - started
        except BaseException as exc:  # re-raised on the main thread
            out["error"] = exc

    def _soundtrack(self, plan: CreativePlan, settings: RenderSettings, work: Path) -> dict:
        sb = plan.storyboard
        total = round(sb.duration_sec * FPS) / FPS
        lines = [A.Line(s.index, s.narration, s.start, s.end) for s in sb.scenes if s.narration.strip()]
        engine, notes = "", []
        if settings.voice and lines:
            engine, notes = A.narrate(lines, self.speech, sb.language, self.cache_dir / "voice", total)
        else:
            lines = []
        # the same voice takes at the same places over the same music make the same soundtrack: an edit that
        # leaves the sound alone reuses the encoded one without mixing again
        audio_dir = self.cache_dir / "audio"
        known = audio_dir / f"mix-{_mix_key(lines, total, tone_tags(plan), plan.seed, settings.music)}.json"
        aac, lufs = _cached_mix(known)
        if aac is None:
            mix = A.mix_soundtrack(lines, total, tone_tags(plan), plan.seed, settings.music)
            mix, lufs = A.normalize(mix)
            wav = A.write_wav(work / "soundtrack.wav", mix)
            # the encoded soundtrack is also cached by its samples (another mix can come out the same)
            aac = audio_dir / f"{hashlib.sha256(wav.read_bytes()).hexdigest()[:24]}.m4a"
            if not aac.is_file():
                encode_aac(wav, aac)
            write_json(known, {"aac": aac.name, "lufs": lufs if np.isfinite(lufs) else None})
        if lines:
            cues = [(ln.start, min(ln.end, total), ln.text) for ln in lines]
        else:
            cues = [(s.start, s.end, s.narration or s.on_screen_text) for s in sb.scenes
                    if (s.narration or s.on_screen_text).strip()]
        voice_misses = {ln.scene for ln in lines if not ln.cached}
        return {"aac": aac, "lufs": lufs, "engine": engine, "notes": notes, "cues": cues,
                "voice_misses": voice_misses, "voiced": bool(lines)}

    # --- output ---------------------------------------------------------------------------------
    def _assemble(self, plan: CreativePlan, settings: RenderSettings, specs: list[SceneSpec], keys: list[str],
                  segments: list[Path], redrawn: list[int], sound: dict, work: Path, out_dir: Path,
                  width: int, height: int) -> Creative:
        plan_hash = plan.content_hash()
        meta = {
            "title": f"{plan.product.name}: {AI_LABEL_TEXT} ad",
            "comment": f"{AI_LABEL_TEXT}; plan_id={plan.plan_id}; version={plan.version}; plan_hash={plan_hash}",
            "description": f"{AI_LABEL_TEXT} by NextAds Studio ({RENDERER_VERSION}) from plan {plan.plan_id} "
                           f"v{plan.version}",
        }
        final = out_dir / "creative.mp4"
        with atomic_path(final) as tmp:
            join_and_mux(segments, sound["aac"], tmp, meta, work)
        srt = write_text(out_dir / "creative.srt", A.srt_text(sound["cues"]))
        self.last_notes = list(sound["notes"])
        total_frames = sum(s.n_frames for s in specs)
        rerendered = sorted(set(redrawn) | sound["voice_misses"])
        return Creative(
            plan_id=plan.plan_id, plan_version=plan.version, plan_hash=plan_hash, video_path=str(final),
            srt_path=str(srt), duration=total_frames / FPS, width=width, height=height, fps=float(FPS),
            sha256=sha256_file(final), settings=settings, scene_hashes=keys, scenes_rerendered=rerendered,
            loudness_lufs=round(sound["lufs"], 2) if np.isfinite(sound["lufs"]) else None, ai_label=True,
            voice_engine=sound["engine"], backend="offline",
            asset_licenses=asset_licenses(plan, specs, sound["engine"], settings.music),
        )


@functools.cache
def _mixing_code() -> str:
    """A digest of the code that mixes a soundtrack (a cached mix is only valid for the code that made it)."""
    from . import music

    return hashlib.sha256(Path(A.__file__).read_bytes() + Path(music.__file__).read_bytes()).hexdigest()[:16]


def _mix_key(lines: list[A.Line], total: float, tones: list[str], seed: int, music: bool) -> str:
    placed = [(ln.wav.name if ln.wav else "", round(ln.start, 4)) for ln in lines]
    raw = json.dumps([_mixing_code(), placed, round(total, 4), tones, seed, music])
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _cached_mix(record: Path) -> tuple[Path | None, float]:
    """(the encoded soundtrack, its loudness) recorded for a mix, or (None, nan) when there is none (or it is
    damaged: the soundtrack is then mixed again)."""
    try:
        data = json.loads(record.read_text())
        aac = record.parent / Path(str(data["aac"])).name
        lufs = float("nan") if data["lufs"] is None else float(data["lufs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, float("nan")
    return (aac, lufs) if aac.is_file() else (None, float("nan"))


_CV_LOCK = threading.Lock()
_CV_USERS = [0, 0]  # renders drawing now, OpenCV's thread count before the first of them


@contextlib.contextmanager
def _opencv_single_threaded() -> Iterator[None]:
    """OpenCV on one thread while frames are drawn. The encoder and the voice already keep every core busy
    during a render, so OpenCV's own worker threads only add hand-off work: one thread draws the same frames
    with ~15% less CPU (benchmarks/render.py). The previous setting comes back when the last render ends."""
    import cv2

    with _CV_LOCK:
        if _CV_USERS[0] == 0:
            _CV_USERS[1] = cv2.getNumThreads()
            cv2.setNumThreads(1)
        _CV_USERS[0] += 1
    try:
        yield
    finally:
        with _CV_LOCK:
            _CV_USERS[0] -= 1
            if _CV_USERS[0] == 0:
                cv2.setNumThreads(_CV_USERS[1])


def clear_cache(cache_dir: Path) -> None:
    """Delete every cached scene segment and voice line."""
    shutil.rmtree(cache_dir, ignore_errors=True)


__all__ = ["Producer", "clear_cache", "palette"]
