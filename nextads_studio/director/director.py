"""The Director: history + product + serving context -> CreativePlan (profile, match, storyboard, grounding, PCI)."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from .. import rules
from ..atomic import atomic_path, write_json
from ..errors import InputError
from ..schemas.audience import UserHistory
from ..schemas.common import ASPECTS, DEFAULT_ASPECT
from ..schemas.plan import CreativePlan, Integration
from ..schemas.product import Product
from ..schemas.profile import LearnedPreferences, UserProfile
from . import grounding, host_video
from .learned import facets_led, lead_with, with_learned
from .matching import DEFAULT_THRESHOLD, generic_match, match
from .profile import ProfileState, build_profile, history_hash, history_items
from .storyboard import board_angle, make_storyboard, story_context

log = logging.getLogger(__name__)

# Bump when build_profile names or tiers interests differently: cached profiles from an older profiler are rebuilt
# (a studio would otherwise keep calling a birder a coffee drinker until her history changes).
PROFILER_VERSION = "profiler-6"


def plan_id_for(user: str | None, product_id: str, task: str, mode: str, seed: int) -> str:
    """Deterministic plan id (see rules.plan_id; the LLM Director uses the same)."""
    return rules.plan_id(user, product_id, task, mode, seed)


class Director:
    """Offline planner: embeddings, clustering, rules and templates. Deterministic for the same input and seed."""

    def __init__(self, embedder, text_model=None, cache_dir: Path | None = None,
                 match_threshold: float = DEFAULT_THRESHOLD):
        self.embedder = embedder
        self.text_model = text_model  # reserved for cloud planners; the offline path does not need it
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.match_threshold = match_threshold
        self._profiles: dict[str, tuple[UserProfile, ProfileState]] = {}
        self._latest: dict[str, ProfileState] = {}
        self._lock = threading.Lock()
        self.last_state: ProfileState | None = None
        # where a person's learned preferences are read from (the studio's store); None = nothing learned
        self.learned_source: Callable[[str], LearnedPreferences | None] | None = None
        # copy memory (the studio's store): a person's recent plans as {framework, hook}, and where a new one goes;
        # consecutive plans then rotate framework and hook across processes too. None = this process only.
        self.recent_source: Callable[[str], list[dict]] | None = None
        self.recent_sink: Callable[[str, str, str, str], None] | None = None

    @classmethod
    def from_studio(cls, studio) -> Director:
        director = cls(studio.embedder, cache_dir=studio.data_dir / "cache" / "profiles")
        director.learned_source = lambda user_id: studio.store.learned_preferences(user_id)
        director.recent_source = lambda user_id: studio.store.recent_copy(user_id)
        director.recent_sink = studio.store.remember_copy
        return director

    # --- profiles -------------------------------------------------------------------------------------------
    def build_profile(self, history: UserHistory) -> UserProfile:
        """Profile a history, cached by user + history hash (memory and disk); growth updates incrementally."""
        key = f"{history.user_id}:{history_hash(history)}"
        with self._lock:
            if key in self._profiles:
                return self._profiles[key][0]
            cached = self._load(history)
            if cached is not None:
                self._remember(key, *cached)
                return cached[0]
            previous = self._latest.get(history.user_id) or self._load_latest_state(history.user_id)
            profile, state = build_profile(history, self.embedder, previous)
            self._remember(key, profile, state)
            self._save(profile, state)
            return profile

    def _remember(self, key: str, profile: UserProfile, state: ProfileState) -> None:
        self._profiles[key] = (profile, state)
        self._latest[profile.user_id] = state
        self.last_state = state

    def _stem(self, user_id: str, h: str) -> Path | None:
        if self.cache_dir is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", user_id)
        return self.cache_dir / f"{safe}--{h}"

    def _save(self, profile: UserProfile, state: ProfileState) -> None:
        stem = self._stem(profile.user_id, profile.history_hash)
        if stem is None:
            return
        with atomic_path(stem.with_suffix(".npz"), suffix=".npz") as tmp:
            with open(tmp, "wb") as fh:
                np.savez(fh, embeddings=state.embeddings, centroids=state.centroids,
                         labels=np.array(state.labels, dtype=np.int32))
        write_json(stem.with_suffix(".json"), {
            "profile": profile.model_dump(mode="json"), "item_ids": state.item_ids, "text_hashes": state.text_hashes,
            "profiler": PROFILER_VERSION,
        })

    def _read(self, stem: Path, user_id: str) -> tuple[UserProfile, ProfileState] | None:
        try:
            meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
            with np.load(stem.with_suffix(".npz")) as z:
                emb, cents, labels = z["embeddings"], z["centroids"], z["labels"]
            profile = UserProfile.model_validate(meta["profile"])
            state = ProfileState(user_id, meta["item_ids"], meta["text_hashes"], emb, [int(v) for v in labels],
                                 cents)
            return profile, state
        except (OSError, ValueError, KeyError) as exc:
            log.warning("ignoring unreadable profile cache %s: %s", stem, exc)
            return None

    def _load(self, history: UserHistory) -> tuple[UserProfile, ProfileState] | None:
        stem = self._stem(history.user_id, history_hash(history))
        if stem is None or not stem.with_suffix(".json").exists():
            return None
        try:  # a profile an older profiler wrote is made again (its embeddings are still reused, incrementally)
            if json.loads(stem.with_suffix(".json").read_text(encoding="utf-8")).get("profiler") != PROFILER_VERSION:
                return None
        except (OSError, ValueError):
            return None
        return self._read(stem, history.user_id)

    def _load_latest_state(self, user_id: str) -> ProfileState | None:
        stem = self._stem(user_id, "x")
        if stem is None or not self.cache_dir.exists():
            return None
        files = sorted(self.cache_dir.glob(stem.name[:-1] + "*.json"), key=lambda p: p.stat().st_mtime)
        if not files:
            return None
        got = self._read(files[-1].with_suffix(""), user_id)
        return got[1] if got else None

    # --- plans ----------------------------------------------------------------------------------------------
    def plan(self, history: UserHistory | None, product: Product, *, task: str = "pcg", mode: str = "nextads",
             host_video: str | None = None, duration: float = 15, aspect: str = DEFAULT_ASPECT, seed: int = 7,
             out_dir: Path, previous_plans: Sequence[CreativePlan] = (),
             learned: LearnedPreferences | None = None) -> CreativePlan:
        """Plan one creative; writes out_dir/collage.png (and start_frame.png for PCI).

        `learned` (default: the person's stored learned preferences) leads the plan with the hook framework,
        tone, pacing and facets feedback showed to work; `previous_plans` are avoided (hooks, angles)."""
        if task not in ("pcg", "pci"):
            raise InputError(f"task: {task!r} is not supported; use pcg or pci")
        if mode not in ("nextads", "generic"):
            raise InputError(f"mode: {mode!r} is not supported; use nextads or generic")
        if aspect not in ASPECTS:
            raise InputError(f"aspect: {aspect!r} is not supported; use one of {', '.join(ASPECTS)}")
        if mode == "nextads" and history is None:
            raise InputError("history: a NextAds plan needs the person's history (or use mode=generic)")
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)

        profile = self.build_profile(history) if mode == "nextads" else None
        if profile is not None:
            if learned is None and self.learned_source is not None:
                learned = self.learned_source(profile.user_id)
            profile = with_learned(profile, learned)
            result = match(profile, product, self.embedder, self._image_counts(history, profile),
                           self.match_threshold)
        else:
            result = generic_match(product, self.embedder)
        personal = profile is not None and not result.fallback_generic
        interest = profile.tier(result.chosen_tier) if personal else None
        user_images = self._representative_images(history, interest) if personal else []

        integration, start_frame, host = None, None, None
        if task == "pci":
            integration, start_frame = self._integrate(history, product, host_video, out_dir,
                                                       result.chosen_theme if personal else "")
            host = integration.host_summary if mode == "nextads" else None
        palette = grounding.blend_palette(profile.visual.palette if personal and profile.visual else [],
                                          product.brand_colors)
        ctx = story_context(product, profile, result, palette, host,
                            integration.bridge if integration and mode == "nextads" else "")
        if previous_plans:  # session memory: facets this person was already told about go last
            said = {f for p in previous_plans for f in facets_led(p)}
            ctx.points = lead_with(ctx.points, [pt for pt in ctx.points if pt not in said])
        remembered = self.recent_source(profile.user_id) if personal and self.recent_source else []
        board = make_storyboard(ctx, task=task, duration=duration, aspect=aspect, seed=seed,
                                previous=previous_plans, used_angles=[r.get("framework", "") for r in remembered],
                                avoid_hooks=[r.get("hook", "") for r in remembered])
        if personal and self.recent_sink is not None:
            self.recent_sink(profile.user_id, product.product_id, board_angle(board), board.hook)
        collage = grounding.build_collage(user_images, product.images[0], out_dir / "collage.png", start_frame)
        ground = grounding.ground(
            board, product, user_images=user_images,
            user_palette=profile.visual.palette if personal and profile.visual else [], collage=collage,
            start_frame=str(start_frame) if start_frame else None, task=task, personal=personal,
            keywords=interest.keywords if interest else [],
        )
        user_id = history.user_id if mode == "nextads" and history else None
        return CreativePlan(
            plan_id=plan_id_for(user_id, product.product_id, task, mode, seed), task=task, mode=mode,
            user_id=user_id, product=product, profile=profile, match=result, storyboard=board, grounding=ground,
            integration=integration, seed=seed, backend="offline",
        )

    def _image_counts(self, history: UserHistory, profile: UserProfile) -> dict[str, int]:
        images = {it.item_id: it.images for it in history_items(history)}
        return {i.tier: sum(1 for e in i.evidence for p in images.get(e, [])[:1] if Path(p).is_file())
                for i in profile.interests}

    def _representative_images(self, history: UserHistory, interest) -> list[str]:
        """Up to four images from the chosen tier's most central notes: one per note first, then seconds."""
        if interest is None:
            return []
        images = {it.item_id: [p for p in it.images if p and Path(p).is_file()] for it in history_items(history)}
        picked: list[str] = []
        for rank in (0, 1, 2, 3):
            for note in interest.evidence:
                imgs = images.get(note, [])
                if len(imgs) > rank and imgs[rank] not in picked:
                    picked.append(imgs[rank])
                if len(picked) == 4:
                    return picked
        return picked

    def _integrate(self, history, product, host_path, out_dir, theme) -> tuple[Integration, Path]:
        if host_path is None and history is not None and history.host_video is not None:
            host_path = history.host_video.video_path
        if not host_path:
            raise InputError("host video: a PCI plan needs --host-video (or a MicroLens history with a host video)")
        title = history.host_video.title if history and history.host_video else None
        summary = host_video.analyze_host_video(host_path, title=title)
        signals = host_video.host_signals(host_path)
        point = host_video.choose_integration_point(summary, signals, product.name, theme,
                                                    product_colours=list(product.brand_colors),
                                                    product_topic=product.subcategory or product.category)
        start = host_video.extract_start_frame(host_path, point.timestamp, summary.fps, out_dir / "start_frame.png")
        integration = Integration(
            host_video_path=str(host_path), timestamp=point.timestamp, rationale=point.rationale,
            bridge=point.bridge, visual_cue=point.visual_cue, start_frame_path=str(start), host_summary=summary,
        )
        return integration, start
