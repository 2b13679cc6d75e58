"""Background music synthesized by our own code: chords, an arpeggio and drums, tempo and mood from the plan's tone."""

from __future__ import annotations

import numpy as np

RATE = 48000

# tone tag -> (bpm, minor key, drum density 0..1, brightness 0..1)
_MOODS = {
    "energetic": (124, False, 1.0, 0.9),
    "playful": (116, False, 0.8, 0.8),
    "humorous": (112, False, 0.7, 0.8),
    "inspirational": (100, False, 0.55, 0.7),
    "warm": (92, False, 0.35, 0.5),
    "informative": (98, False, 0.5, 0.6),
    "practical": (100, False, 0.5, 0.6),
    "premium": (88, True, 0.3, 0.45),
    "calm": (78, False, 0.0, 0.35),
}
_MAJOR = [[0, 4, 7, 11], [7, 11, 14, 17], [9, 12, 16, 19], [5, 9, 12, 16]]  # Imaj7 V vi IVmaj7-ish
_MINOR = [[0, 3, 7, 10], [8, 12, 15, 19], [3, 7, 10, 14], [10, 14, 17, 20]]  # i VI III VII


def mood_for(tone_tags: list[str]) -> tuple[int, bool, float, float]:
    """(bpm, minor, drums, brightness) averaged over the known tone tags (first tag counts double)."""
    known = [t for t in tone_tags if t in _MOODS]
    if not known:
        return 100, False, 0.5, 0.6
    weights = [2.0] + [1.0] * (len(known) - 1)
    vals = np.array([_MOODS[t] for t in known], dtype=np.float64)
    avg = (vals * np.array(weights)[:, None]).sum(axis=0) / sum(weights)
    return int(round(avg[0])), bool(_MOODS[known[0]][1]), float(avg[2]), float(avg[3])


def _freq(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


def _env(n: int, attack: float, decay: float) -> np.ndarray:
    t = np.arange(n) / RATE
    return np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-t / max(decay, 1e-4))


def _tone(freq: float, n: int, harmonics: int, bright: float) -> np.ndarray:
    t = np.arange(n) / RATE
    out = np.zeros(n)
    for k in range(1, harmonics + 1):
        out += np.sin(2 * np.pi * freq * k * t) * (bright ** (k - 1)) / k
    return out


def _bar(chord: list[int], root: int, bar_len: int, step: int, bright: float) -> np.ndarray:
    """One bar of pad, bass and arpeggio for a chord (with a tail that rings into the next bar)."""
    out = np.zeros(bar_len + 2 * step)
    for iv in chord[:3]:
        _add(out, 0, _tone(_freq(root + 12 + iv), bar_len, 4, 0.35 + 0.2 * bright) * _env(bar_len, 0.25, 6.0) * 0.16)
    _add(out, 0, _tone(_freq(root - 12 + chord[0]), bar_len, 3, 0.5) * _env(bar_len, 0.01, 1.2) * 0.35)
    for s in range(8):
        note = root + 24 + chord[s % 4] + (12 if s in (3, 6) and bright > 0.6 else 0)
        sig = _tone(_freq(note), step * 2, 3, 0.3 + 0.3 * bright) * _env(step * 2, 0.005, 0.18)
        _add(out, s * step, sig * (0.10 + 0.06 * bright))
    return out


def _add(buf: np.ndarray, start: int, sig: np.ndarray) -> None:
    end = min(len(buf), start + len(sig))
    if start < end:
        buf[start:end] += sig[: end - start]


def synthesize_music(duration: float, tone_tags: list[str], seed: int) -> np.ndarray:
    """Mono float32 music bed exactly `duration` seconds long at 48 kHz (deterministic for the inputs)."""
    rng = np.random.default_rng(seed)
    bpm, minor, drums, bright = mood_for(tone_tags)
    n = int(round(duration * RATE))
    beat = 60.0 / bpm
    root = 48 + int(rng.integers(0, 7))  # C3..F#3
    prog = _MINOR if minor else _MAJOR
    order = rng.permutation(4) if rng.random() < 0.3 else np.arange(4)
    bar_len = int(4 * beat * RATE)
    step = int(beat / 2 * RATE)
    bars = [_bar(prog[int(order[k])], root, bar_len, step, bright) for k in range(4)]  # each chord once
    music = np.zeros(n + 2 * bar_len)
    for bar in range(int(np.ceil(n / bar_len)) + 1):
        _add(music, bar * bar_len, bars[bar % 4])
    out = music[:n]
    if drums > 0.05:
        out += _drums(n, beat, drums, rng)
    fade = min(n // 4, int(0.6 * RATE))
    if fade > 0:
        out[:fade] *= np.linspace(0, 1, fade)
        out[-fade:] *= np.linspace(1, 0, fade)
    peak = np.abs(out).max() or 1.0
    return (out / peak * 0.8).astype(np.float32)


def _drums(n: int, beat: float, density: float, rng: np.random.Generator) -> np.ndarray:
    out = np.zeros(n)
    k_len = int(0.35 * RATE)
    t = np.arange(k_len) / RATE
    kick = np.sin(2 * np.pi * (50 * t + 90 * (1 - np.exp(-t * 30)) / 30)) * np.exp(-t * 9)
    h_len = int(0.05 * RATE)
    hat = rng.standard_normal(h_len) * np.exp(-np.arange(h_len) / RATE * 80)
    hat = np.diff(hat, prepend=0.0)  # a crude high-pass: hats should hiss, not rumble
    s_len = int(0.2 * RATE)
    snare = rng.standard_normal(s_len) * np.exp(-np.arange(s_len) / RATE * 22) * 0.6
    b = 0
    while int(b * beat * RATE) < n:
        pos = int(b * beat * RATE)
        if b % 2 == 0 or density > 0.7:
            _add(out, pos, kick * 0.55)
        if b % 2 == 1 and density > 0.4:
            _add(out, pos, snare * 0.35 * density)
        _add(out, pos + int(beat / 2 * RATE), hat * 0.18 * density)
        b += 1
    return out
