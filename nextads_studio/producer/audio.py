"""The soundtrack: voice-over timed to the scenes (cached per scene), synthesized music ducked under it,
loudness-normalized, plus the sidecar SRT."""

from __future__ import annotations

import hashlib
import logging
import wave
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

from ..atomic import atomic_path
from ..media_io import integrated_loudness
from .music import RATE, synthesize_music

log = logging.getLogger(__name__)
TARGET_LUFS = -14.0
MAX_SPEED = 1.0 / 0.75  # piper length_scale >= 0.75: faster than that stops sounding natural
LEAD = 0.12  # the voice starts a moment after the cut
GAP = 0.08


@dataclass
class Line:
    """One scene's narration and where it ended up."""

    scene: int
    text: str
    scene_start: float
    scene_end: float
    wav: Path | None = None
    speed: float = 1.0
    start: float = 0.0
    duration: float = 0.0
    cached: bool = False

    @property
    def end(self) -> float:
        return self.start + self.duration


def read_wav(path: Path) -> np.ndarray:
    """A mono 16-bit WAV as float32 at 48 kHz."""
    with wave.open(str(path), "rb") as w:
        rate, ch, n = w.getframerate(), w.getnchannels(), w.getnframes()
        data = np.frombuffer(w.readframes(n), dtype=np.int16).astype(np.float32) / 32768.0
    if ch > 1:
        data = data.reshape(-1, ch).mean(axis=1)
    if rate != RATE:
        g = np.gcd(RATE, rate)
        data = resample_poly(data, RATE // g, rate // g).astype(np.float32)
    return data


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Write mono float samples as 16-bit PCM, atomically."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
    with atomic_path(path) as tmp:
        with wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(pcm.tobytes())
    return path


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def voice_key(text: str, language: str, engine: str, speed: float) -> str:
    """Cache key of one spoken line."""
    raw = f"{engine}|{language}|{speed:.3f}|{' '.join(text.split())}"
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def _speak(engine, lines: list[Line], speed_of, cache: Path, language: str) -> None:
    """Fill line.wav for each line (cached per text/speed), batching the misses into one engine call."""
    cache.mkdir(parents=True, exist_ok=True)
    groups: dict[float, dict[Path, str]] = {}  # speed -> wav -> text (identical lines are spoken once)
    for ln in lines:
        ln.speed = speed_of(ln)
        ln.wav = cache / f"{voice_key(ln.text, language, engine.engine, ln.speed)}.wav"
        ln.cached = ln.wav.is_file()
        if not ln.cached:
            groups.setdefault(ln.speed, {})[ln.wav] = ln.text
    for speed, todo in groups.items():
        wavs = list(todo)
        tmp_paths = [w.with_suffix(".part.wav") for w in wavs]
        kwargs = {"language": language} if "espeak" in engine.engine else {}
        engine.synthesize_many([todo[w] for w in wavs], cache, speed, tmp_paths, **kwargs)
        for wav, tmp in zip(wavs, tmp_paths, strict=True):
            tmp.replace(wav)
    for ln in lines:
        ln.duration = wav_seconds(ln.wav)


def _stretch(lines: list[Line], speeds: dict[int, float], cache: Path, language: str, engine: str) -> None:
    """Speak lines faster by time-stretching their base-speed take (pitch kept, every word kept): one ffmpeg
    process for all of them instead of reloading the voice once per speed."""
    import subprocess

    import imageio_ffmpeg

    todo: dict[Path, tuple[Path, float]] = {}
    for ln in lines:
        ln.speed = speeds[ln.scene]
        wav = cache / f"{voice_key(ln.text, language, engine + '|atempo', ln.speed)}.wav"
        if not wav.is_file():
            todo[wav] = (ln.wav, ln.speed)
        ln.cached, ln.wav = ln.cached and wav.is_file(), wav
    if todo:
        cmd = [imageio_ffmpeg.get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y"]
        for src, _ in todo.values():
            cmd += ["-i", str(src)]
        parts = [w.with_suffix(".part.wav") for w in todo]
        for k, (part, (_, speed)) in enumerate(zip(parts, todo.values(), strict=True)):
            cmd += ["-map", f"{k}:a", "-filter:a", f"atempo={speed:.4f}", "-c:a", "pcm_s16le", str(part)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"ffmpeg could not speed up the narration: {proc.stderr.strip()[-300:]}")
        for wav, part in zip(todo, parts, strict=True):
            part.replace(wav)
    for ln in lines:
        ln.duration = wav_seconds(ln.wav)


def narrate(lines: list[Line], speech, language: str, cache: Path, total: float) -> tuple[str, list[str]]:
    """Synthesize and place every line: speed up (within limits) to fit its scene, never cut words, never past
    the end. Returns (engine name, notes)."""
    notes: list[str] = []
    if not lines:
        return "", notes
    engine = speech.for_language(language) if hasattr(speech, "for_language") else speech
    if engine is None:
        notes.append(f"no offline voice for language {language!r}: narration skipped, captions and SRT kept")
        lines.clear()
        return "", notes
    _speak(engine, lines, lambda ln: 1.0, cache, language)
    fitted = {}
    for ln in lines:
        room = ln.scene_end - ln.scene_start - LEAD - GAP
        if ln.duration > room:
            fitted[ln.scene] = round(min(MAX_SPEED, ln.duration / max(room, 0.1) * 1.02), 3)
    if fitted:
        _stretch([ln for ln in lines if ln.scene in fitted], fitted, cache, language, engine.engine)
    cursor = 0.0
    for ln in lines:
        ln.start = max(ln.scene_start + LEAD, cursor + GAP if cursor else 0.0)
        if ln.end > ln.scene_end:
            notes.append(f"scene {ln.scene}: narration runs {ln.end - ln.scene_end:.2f}s into the next scene")
        cursor = ln.end
    overflow = lines[-1].end - (total - 0.05)
    for i in range(len(lines) - 1, -1, -1):  # pull the tail earlier into the gaps, last line first
        if overflow <= 0:
            break
        low = lines[i - 1].end + 0.02 if i else 0.0
        shift = min(overflow, max(0.0, lines[i].start - low))
        for later in lines[i:]:
            later.start -= shift
        overflow -= shift
    if overflow > 0:
        notes.append(f"narration is {overflow:.2f}s longer than the ad even at the fastest natural speed; "
                     "shorten the narration")
    while lines and lines[-1].start > total - 0.3:  # a line with no room left is dropped whole, not garbled
        dropped = lines.pop()
        notes.append(f"scene {dropped.scene}: narration dropped (no room before the end); its caption stays")
    return engine.engine, notes


def _moving_average(x: np.ndarray, win: int) -> np.ndarray:
    """Centred moving average in O(n) (np.convolve with long windows is O(n * win))."""
    c = np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])
    half = win // 2
    idx = np.arange(len(x))
    lo, hi = np.clip(idx - half, 0, len(x)), np.clip(idx + win - half, 0, len(x))
    return ((c[hi] - c[lo]) / np.maximum(hi - lo, 1)).astype(np.float32)


def duck_envelope(voice: np.ndarray, depth_db: float = -11.0) -> np.ndarray:
    """Music gain per sample: down by depth_db while the voice speaks, with smooth attack and release."""
    energy = np.sqrt(_moving_average(voice.astype(np.float64) ** 2, int(0.05 * RATE)))
    active = (energy > 0.01).astype(np.float32)
    active = _moving_average(active, int(0.25 * RATE))
    active = np.clip(active * 2.0, 0.0, 1.0)
    return (1.0 - active * (1.0 - 10 ** (depth_db / 20))).astype(np.float32)


def normalize(mix: np.ndarray, target: float = TARGET_LUFS) -> tuple[np.ndarray, float]:
    """Gain to the target integrated loudness with a soft limiter on peaks; returns (samples, LUFS)."""
    lufs = integrated_loudness(mix, RATE)
    if not np.isfinite(lufs):
        return mix, lufs
    out = mix * 10 ** ((target - lufs) / 20)
    peak = float(np.abs(out).max())
    if peak > 0.95:  # soft-knee limiting keeps loudness while avoiding clipped AAC
        over = np.abs(out) > 0.8
        out[over] = np.sign(out[over]) * (0.8 + 0.19 * np.tanh((np.abs(out[over]) - 0.8) / 0.19))
        lufs2 = integrated_loudness(out, RATE)
        out *= 10 ** ((target - lufs2) / 20)
        out = np.clip(out, -0.99, 0.99)
    return out.astype(np.float32), integrated_loudness(out, RATE)


@lru_cache(maxsize=8)
def _music_bed(total: float, tone_tags: tuple[str, ...], seed: int) -> np.ndarray:
    """The music bed, synthesized once per process for the same length, mood and seed (read-only)."""
    bed = synthesize_music(total, list(tone_tags), seed)
    bed.setflags(write=False)
    return bed


def mix_soundtrack(lines: list[Line], total: float, tone_tags: list[str], seed: int, music: bool) -> np.ndarray:
    """Voice placed on the timeline plus ducked music, exactly `total` seconds long."""
    n = int(round(total * RATE))
    voice = np.zeros(n, np.float32)
    for ln in lines:
        data = read_wav(ln.wav)
        peak = float(np.abs(data).max()) or 1.0
        data = data / peak * 0.7
        s = int(round(ln.start * RATE))
        e = min(n, s + len(data))
        if e > s:
            voice[s:e] += data[: e - s]
    if not music:
        return voice
    bed = _music_bed(total, tuple(tone_tags), seed)[:n]
    level = 0.32 if lines else 0.6
    return voice + bed * level * duck_envelope(voice)


def _ts(t: float) -> str:
    ms = int(round(max(0.0, t) * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d},{ms:03d}"


def srt_text(cues: list[tuple[float, float, str]]) -> str:
    """SubRip text from (start, end, text) cues."""
    blocks = []
    for i, (start, end, text) in enumerate(cues, 1):
        blocks.append(f"{i}\n{_ts(start)} --> {_ts(end)}\n{' '.join(text.split())}\n")
    return "\n".join(blocks)
