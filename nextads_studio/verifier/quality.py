"""Offline, weight-free proxies for VBench's four video-quality dimensions, each in [0, 1].

VBench's own models (AMT, RAFT, CLIP+LAION, MUSIQ) need downloaded weights, so each is replaced by a measurement
with the same protocol. One decode of the video at 360p (short side) feeds every metric.

Motion Smoothness (MS), flow-interpolation proxy of VBench's frame re-interpolation:
    for consecutive triplets (f0, f1, f2):  F02 = DIS(f0 -> f2), F20 = DIS(f2 -> f0)  (DIS medium, grey, 360p)
    pred = 0.5 * (warp(f0, -0.5 * F02) + warp(f2, -0.5 * F20))           (cv2.remap, bilinear)
    MS = (255 - mean_triplets MAE(f1, pred)) / 255
    Triplets across a hard cut are skipped (a cut is editing, not motion); up to `max_triplets` spread evenly.
Dynamic Degree (DD), VBench's rule with DIS fast instead of RAFT:
    frames every round(fps/8); per pair the mean of the top 5% flow magnitudes; thres = 6 * min(h, w) / 256 px;
    dynamic if at least round(4 * N / 16) pairs exceed thres.  `dynamic_degree` = 1.0 / 0.0 (VBench's per-video
    bool, so averages over many videos are VBench's fraction) -- this is what goes into the Verdict.
    `dynamic_degree_continuous` = min(1, median_pair_top5 / thres) is reported beside it for finer comparisons.
Imaging Quality (IQ) = 1 - mean_frames(PIQE) / 100, PIQE (Venkatanath et al. 2015) ported to numpy below, on
    frames resized so the longer side is 512 (VBench's MUSIQ preprocessing). Uncalibrated vs MUSIQ: compare relatively.
Aesthetic Quality (AQ) = 0.5 * H + 0.5 * IQ, with the image-statistics score
    H = clip(0.3*min(colorfulness/100, 1) + 0.25*min(rms_contrast/0.25, 1) + 0.2*(1 - 2|mean_luma - 0.5|)
             + 0.25*min(lapvar/0.01, 1) - 0.5*clipped_frac, 0, 1)
    (Hasler-Suesstrunk colorfulness on 0-255 RGB; luma, contrast, Laplacian variance on [0, 1] grey at 360p;
    clipped_frac = share of pixels with luma <= 2/255 or >= 253/255). H alone is fooled by noise, hence the IQ term.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..errors import InputError

MS_FLOW_SIDE = 360
IQ_LONG_SIDE = 512
CUT_THRESHOLD = 0.45  # grey-histogram L1 distance (0..2) between consecutive frames that marks a hard cut


@dataclass
class VideoSample:
    """What one decode of a video yields: frames for DD (about 8 fps), triplets for MS, timestamps."""

    path: str
    fps: float
    duration: float
    width: int
    height: int
    frames: list[np.ndarray] = field(default_factory=list)  # RGB uint8 at ~8 fps, short side `side`
    times: list[float] = field(default_factory=list)
    triplets: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    decode_seconds: float = 0.0
    metadata: dict[str, str] = field(default_factory=dict)  # container tags (the AI disclosure lives here)

    def frame_at(self, t: float) -> np.ndarray:
        """The sampled frame closest to time t."""
        i = int(np.argmin(np.abs(np.asarray(self.times) - t)))
        return self.frames[i]

    def frames_between(self, start: float, end: float) -> list[tuple[float, np.ndarray]]:
        return [(t, f) for t, f in zip(self.times, self.frames, strict=True) if start <= t < end]


# --- decoding ---------------------------------------------------------------------------------------
def _scaled_size(width: int, height: int, side: int) -> tuple[int, int]:
    scale = side / min(width, height)
    if scale >= 1.0:
        return width - width % 2, height - height % 2
    w, h = int(round(width * scale / 2) * 2), int(round(height * scale / 2) * 2)
    return max(w, 2), max(h, 2)


def _iter_frames(path: str, size: tuple[int, int]) -> Iterator[np.ndarray]:
    from .. import media_io

    yield from media_io.read_frames(path, size=size)


def _probe(path: str):
    from .. import media_io

    return media_io.probe(path)


def sample_video(path: str | Path, side: int = MS_FLOW_SIDE, max_triplets: int = 16) -> VideoSample:
    """Decode the video once at `side` px (short side): keep ~8 fps frames and evenly spread MS triplets."""
    path = str(path)
    if not Path(path).is_file():
        raise InputError(f"{path}: video file not found")
    t0 = time.perf_counter()
    info = _probe(path)
    fps = float(info.fps) or 30.0
    n_est = max(int(getattr(info, "n_frames", 0) or round(info.duration * fps)), 1)
    step = max(int(round(fps / 8.0)), 1)
    # triplet start indices: even, spread over the video
    starts = np.linspace(0, max(n_est - 3, 0), num=min(max_triplets, max(n_est // 3, 1))).astype(int)
    wanted = {int(s) - int(s) % 2 for s in starts}
    size = _scaled_size(info.width, info.height, side)
    sample = VideoSample(path=path, fps=fps, duration=float(info.duration), width=info.width, height=info.height,
                         metadata=dict(getattr(info, "metadata", {}) or {}))
    window: list[np.ndarray] = []
    open_at: int | None = None
    for i, frame in enumerate(_iter_frames(path, size)):
        if i % step == 0:
            sample.frames.append(frame)
            sample.times.append(i / fps)
        if i in wanted:
            window, open_at = [frame], i
        elif open_at is not None:
            window.append(frame)
            if len(window) == 3:
                sample.triplets.append((window[0], window[1], window[2]))
                open_at = None
    if not sample.frames:
        raise InputError(f"{path}: no video frames could be decoded")
    sample.decode_seconds = time.perf_counter() - t0
    return sample


# --- Motion Smoothness ------------------------------------------------------------------------------
def _grey(frame: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) if frame.ndim == 3 else frame


def is_cut(a: np.ndarray, b: np.ndarray) -> bool:
    """A hard cut: the grey-level histograms of two frames differ a lot (L1 distance of normalised hists)."""
    ha = cv2.calcHist([_grey(a)], [0], None, [32], [0, 256]).ravel()
    hb = cv2.calcHist([_grey(b)], [0], None, [32], [0, 256]).ravel()
    ha, hb = ha / max(ha.sum(), 1), hb / max(hb.sum(), 1)
    return float(np.abs(ha - hb).sum()) > CUT_THRESHOLD or float(
        np.mean(cv2.absdiff(_grey(a), _grey(b)))) > 60.0


def _warp(img: np.ndarray, flow: np.ndarray, factor: float) -> np.ndarray:
    h, w = flow.shape[:2]
    gx, gy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    return cv2.remap(img, gx + factor * flow[..., 0], gy + factor * flow[..., 1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)


def interpolation_error(f0: np.ndarray, f1: np.ndarray, f2: np.ndarray, dis=None) -> float:
    """Mean absolute error (0..255) between f1 and its flow interpolation from f0 and f2."""
    dis = dis or cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    g0, g2 = _grey(f0), _grey(f2)
    f02 = dis.calc(g0, g2, None)
    f20 = dis.calc(g2, g0, None)
    pred = 0.5 * (_warp(f0.astype(np.float32), f02, -0.5) + _warp(f2.astype(np.float32), f20, -0.5))
    return float(np.mean(np.abs(pred - f1.astype(np.float32))))


def motion_smoothness(triplets: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> float | None:
    """VBench-style MS in [0,1] from consecutive-frame triplets; None when every triplet spans a cut."""
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_MEDIUM)
    errors = [interpolation_error(a, b, c, dis) for a, b, c in triplets if not (is_cut(a, b) or is_cut(b, c))]
    if not errors:
        return None
    return float(np.clip((255.0 - np.mean(errors)) / 255.0, 0.0, 1.0))


# --- Dynamic Degree ---------------------------------------------------------------------------------
def dynamic_degree(frames: list[np.ndarray]) -> tuple[float, float, dict[str, float]]:
    """VBench rule (1.0 dynamic / 0.0 static), its continuous variant, and the evidence."""
    if len(frames) < 2:
        return 0.0, 0.0, {"pairs": 0.0}
    dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_FAST)
    greys = [_grey(f) for f in frames]
    scores = []
    for a, b in zip(greys, greys[1:], strict=False):
        flow = dis.calc(a, b, None)
        mag = np.sqrt(flow[..., 0] ** 2 + flow[..., 1] ** 2).ravel()
        k = max(int(mag.size * 0.05), 1)
        scores.append(float(np.mean(np.partition(mag, -k)[-k:])))
    h, w = greys[0].shape
    thres = 6.0 * min(h, w) / 256.0
    count_num = round(4 * len(frames) / 16.0)
    moving = sum(s > thres for s in scores)
    rule = 1.0 if moving >= max(count_num, 1) else 0.0
    continuous = float(min(1.0, np.median(scores) / thres))
    return rule, continuous, {"pairs": float(len(scores)), "moving_pairs": float(moving), "threshold_px": thres,
                              "median_top5_px": float(np.median(scores))}


# --- Imaging Quality: PIQE --------------------------------------------------------------------------
def _mscn(grey: np.ndarray) -> np.ndarray:
    """Mean-subtracted contrast-normalised coefficients (7x7 Gaussian, sigma 7/6, C = 1)."""
    mu = cv2.GaussianBlur(grey, (7, 7), 7 / 6, borderType=cv2.BORDER_REPLICATE)
    var = cv2.GaussianBlur(grey * grey, (7, 7), 7 / 6, borderType=cv2.BORDER_REPLICATE) - mu * mu
    return (grey - mu) / (np.sqrt(np.abs(var)) + 1.0)


def piqe(image: np.ndarray, block: int = 16, activity: float = 0.1, impaired: float = 0.1,
         window: int = 6) -> float:
    """PIQE score, 0 (best) .. 100 (worst), of an RGB or grey uint8 image (numpy port of the MATLAB method)."""
    if image.ndim == 3:
        rgb = image.astype(np.float64)
        grey = 0.299 * rgb[..., 0] + 0.587 * rgb[..., 1] + 0.114 * rgb[..., 2]
    else:
        grey = image.astype(np.float64)
    grey = np.round(255.0 * grey / max(float(grey.max()), 1e-6))
    h, w = (grey.shape[0] // block) * block, (grey.shape[1] // block) * block
    if h == 0 or w == 0:
        raise InputError(f"image of {image.shape[:2]} is smaller than one {block}x{block} PIQE block")
    norm = _mscn(grey[:h, :w].astype(np.float32)).astype(np.float64)
    blocks = norm.reshape(h // block, block, w // block, block).transpose(0, 2, 1, 3).reshape(-1, block, block)
    var = blocks.var(axis=(1, 2), ddof=1)
    active = var > activity
    # noise criterion: centre-vs-surround deviation of each block
    sigma = np.sqrt(var)
    c1 = (block - 1 + 1) // 2  # centre columns of the (block-1)-wide analysis, as the reference does
    centre = blocks[:, :, [c1 - 1, c1]]
    surround = np.delete(blocks, [c1 - 1, c1], axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.nan_to_num(centre.reshape(len(blocks), -1).std(axis=1, ddof=1)
                              / surround.reshape(len(blocks), -1).std(axis=1, ddof=1))
    beta = np.abs(sigma - ratio) / np.maximum(np.maximum(sigma, ratio), 1e-12)
    noisy = sigma > 2 * beta
    # noticeable-distortion criterion: any flat segment along a block edge
    edges = np.stack([blocks[:, 0, :], blocks[:, :, -1], blocks[:, -1, :], blocks[:, :, 0]], axis=1)
    segs = np.lib.stride_tricks.sliding_window_view(edges, window, axis=2)
    distorted = (segs.std(axis=-1, ddof=1) < impaired).any(axis=(1, 2))
    dist = active * distorted * (1 - var) + active * noisy * var
    return float((dist.sum() + 1.0) / (active.sum() + 1.0) * 100.0)


def _resize_long(frame: np.ndarray, long_side: int) -> np.ndarray:
    h, w = frame.shape[:2]
    scale = long_side / max(h, w)
    if scale >= 1.0:
        return frame
    return cv2.resize(frame, (int(round(w * scale)), int(round(h * scale))), interpolation=cv2.INTER_AREA)


def imaging_quality(frames: list[np.ndarray]) -> tuple[float, list[float]]:
    """1 - mean PIQE/100 over frames resized to a longer side of 512; also the per-frame PIQE values."""
    values = [min(piqe(_resize_long(f, IQ_LONG_SIDE)), 100.0) for f in frames]
    return float(1.0 - np.mean(values) / 100.0), values


# --- Aesthetic Quality ------------------------------------------------------------------------------
def image_statistics(frame: np.ndarray) -> float:
    """H in [0,1]: colourfulness, contrast, exposure and sharpness, minus clipping (see module docstring)."""
    rgb = frame.astype(np.float32)
    rg = rgb[..., 0] - rgb[..., 1]
    yb = 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
    colorfulness = np.sqrt(rg.std() ** 2 + yb.std() ** 2) + 0.3 * np.sqrt(rg.mean() ** 2 + yb.mean() ** 2)
    grey = _grey(frame).astype(np.float32) / 255.0
    lapvar = float(cv2.Laplacian(grey, cv2.CV_32F).var())
    clipped = float(np.mean((grey <= 2 / 255) | (grey >= 253 / 255)))
    h = (0.3 * min(colorfulness / 100.0, 1.0) + 0.25 * min(float(grey.std()) / 0.25, 1.0)
         + 0.2 * (1.0 - 2.0 * abs(float(grey.mean()) - 0.5)) + 0.25 * min(lapvar / 0.01, 1.0) - 0.5 * clipped)
    return float(np.clip(h, 0.0, 1.0))


def aesthetic_quality(frames: list[np.ndarray], iq: float) -> tuple[float, float]:
    """0.5*H + 0.5*IQ, and H alone."""
    h = float(np.mean([image_statistics(f) for f in frames]))
    return float(0.5 * h + 0.5 * iq), h


# --- all four ---------------------------------------------------------------------------------------
def _spread(items: list, n: int) -> list:
    if len(items) <= n:
        return list(items)
    idx = np.linspace(0, len(items) - 1, n).round().astype(int)
    return [items[i] for i in idx]


def measure_sample(sample: VideoSample, max_frames: int = 16) -> dict[str, float | None | dict]:
    """The four proxies from an already decoded sample, with per-metric timings in seconds."""
    timings: dict[str, float] = {"decode": sample.decode_seconds}
    t = time.perf_counter()
    ms = motion_smoothness(sample.triplets)
    timings["motion_smoothness"] = time.perf_counter() - t
    t = time.perf_counter()
    dd, dd_cont, dd_evidence = dynamic_degree(sample.frames)
    timings["dynamic_degree"] = time.perf_counter() - t
    t = time.perf_counter()
    stills = _spread(sample.frames, max_frames)
    iq, piqe_values = imaging_quality(stills)
    timings["imaging_quality"] = time.perf_counter() - t
    t = time.perf_counter()
    aq, h = aesthetic_quality(stills, iq)
    timings["aesthetic_quality"] = time.perf_counter() - t
    return {
        "motion_smoothness": ms, "dynamic_degree": dd, "dynamic_degree_continuous": dd_cont,
        "imaging_quality": iq, "aesthetic_quality": aq, "image_statistics": h,
        "piqe_mean": float(np.mean(piqe_values)), "dd_evidence": dd_evidence, "timings": timings,
    }


def measure(video_path: str | Path, max_frames: int = 16) -> dict[str, float | None | dict]:
    """Decode `video_path` once and return MS, DD (rule + continuous), IQ, AQ in [0,1] plus timings."""
    return measure_sample(sample_video(video_path), max_frames=max_frames)


__all__ = ["VideoSample", "aesthetic_quality", "dynamic_degree", "image_statistics", "imaging_quality",
           "interpolation_error", "is_cut", "measure", "measure_sample", "motion_smoothness", "piqe",
           "sample_video"]
