"""LLMDirector: the Director's steps run by a TextModel (GPT-4o, Gemini, Qwen-VL) with structured outputs.

Same public API as the offline Director: `plan(...) -> CreativePlan` and `build_profile(history)`. Every step is
a prompt from backends/prompts/ plus a pydantic schema; temperatures follow the reference code (0.2, storyboard
0.6). The person's history enters prompts only inside <<<DATA ... DATA>>> blocks, and the storyboard goes through
a post-check that drops claims the product data does not support.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, create_model

from .. import rules
from ..errors import InputError
from ..schemas.audience import UserHistory, VideoItem
from ..schemas.common import DEFAULT_ASPECT
from ..schemas.plan import (
    CreativePlan,
    Grounding,
    HostSummary,
    Integration,
    MatchResult,
    SceneAssets,
    Storyboard,
)
from ..schemas.product import Product
from ..schemas.profile import UserProfile
from . import llm_steps as steps
from .base import TextModel
from .context_fit import fit_items
from .frames import frame_at, sample_frames, video_info
from .llm_grounding import build_collage, injected_names, strip_unsupported
from .structured import data_block

log = logging.getLogger(__name__)
PLAN_T, STORY_T = 0.2, 0.6


class LLMDirector:
    """Plans a creative with a language/vision model; holds no state but a per-history profile cache."""

    def __init__(self, model: TextModel, *, data_dir: Path | None = None, known_brands: Sequence[str] = ()):
        self.model = model
        self.data_dir = Path(data_dir) if data_dir else Path(tempfile.gettempdir()) / "nextads-llm-director"
        self.known_brands = list(known_brands)
        self._profiles: dict[str, UserProfile] = {}
        self._profile_notes: dict[str, list[str]] = {}
        self._skipped_visual = False
        self._story_note: str | None = None

    @property
    def backend_id(self) -> str:
        return getattr(self.model, "backend_id", "llm")

    @classmethod
    def from_studio(cls, studio: Any, model: TextModel | None = None) -> LLMDirector:
        try:
            products = studio.library.products
            brands = [p.brand for p in (products() if callable(products) else products)]
        except Exception:  # the library is optional here: brands only sharpen the post-check
            brands = []
        return cls(model or studio.backend("director"), data_dir=studio.data_dir / "llm_director",
                   known_brands=brands)

    # --- profile ------------------------------------------------------------------------------------------------
    def build_profile(self, history: UserHistory) -> UserProfile:
        """Interest tiers, style, needs and visual taste from the history (cached per history content)."""
        key = rules.history_hash(history)
        if key not in self._profiles:
            all_items, all_images = _history_items(history)
            demographics = {k: v for k, v in (("gender", history.gender), ("age", history.age)) if v}
            schema = steps.profile_schema({i["id"] for i in all_items})

            def ask():
                text, items, images, note = fit_items(
                    self.model, schema,
                    lambda block: steps.prompt("profile_tiers", history=block,
                                               demographics=data_block("demographics", demographics)),
                    all_items, all_images[:6], "history")
                return self.model.generate_json(text, schema, images=images, temperature=PLAN_T), items, note

            out, _, note = _refit_once(ask)
            ids = {i["id"] for i in all_items}
            self._profiles[key] = steps.to_profile(out, history.user_id, ids, demographics, key)
            self._profile_notes[key] = [note] if note else []
        return self._profiles[key]

    # --- plan ---------------------------------------------------------------------------------------------------
    def plan(self, history: UserHistory | None, product: Product, *, task: str = "pcg", mode: str = "nextads",
             host_video: Any = None, duration: float = 15.0, aspect: str = DEFAULT_ASPECT, seed: int = 7,
             out_dir: Path | None = None, previous_plans: Sequence[CreativePlan] = ()) -> CreativePlan:
        """One CreativePlan for (history, product); raises BackendError when the model fails twice."""
        if mode == "nextads" and history is None:
            raise InputError("NextAds mode needs a user history; use mode='generic' without one")
        out_dir = Path(out_dir) if out_dir else self.data_dir / product.product_id / (history.user_id if history
                                                                                        else "generic")
        out_dir.mkdir(parents=True, exist_ok=True)
        profile = self.build_profile(history) if mode == "nextads" and history else None
        match = self._match(profile, product) if profile else None
        grounding, visual = self._ground(history, profile, match, product, out_dir)
        if profile is not None and visual is not None:
            profile = profile.model_copy(update={"visual": visual})
        integration = None
        if task == "pci":
            integration = self._integrate(host_video or (history.host_video if history else None), product,
                                          profile, duration, out_dir)
        storyboard, removed = self._storyboard(history, profile, match, product, task, duration, aspect,
                                               previous_plans, integration)
        grounding = grounding.model_copy(update={"scene_assets": _bind_scenes(storyboard, product, grounding,
                                                                              integration, task)})
        notes = [f"post-check removed: {s!r}" for s in removed]
        if profile is not None and history is not None:
            notes = self._profile_notes.get(rules.history_hash(history), []) + notes
        if self._story_note:
            notes.append(self._story_note)
        if self._skipped_visual:
            notes.append(f"{self.backend_id} takes no images: the visual-taste step was skipped")
        plan_id = rules.plan_id(history.user_id if history else None, product.product_id, task, mode, seed)
        return CreativePlan(plan_id=plan_id, task=task, mode=mode, user_id=history.user_id if profile else None,
                            product=product, profile=profile, match=match, storyboard=storyboard,
                            grounding=grounding, integration=integration, seed=seed, backend=self.backend_id,
                            notes=notes)

    # --- steps --------------------------------------------------------------------------------------------------
    def _match(self, profile: UserProfile, product: Product) -> MatchResult:
        tiers = [{"tier": i.tier, "theme": i.theme, "summary": i.summary, "keywords": i.keywords}
                 for i in profile.interests]
        text = steps.prompt("matching", product=data_block("product", _product_data(product)),
                            tiers=data_block("interest tiers", tiers))
        out = self.model.generate_json(text, steps.MatchOut, images=product.images[:1], temperature=PLAN_T)
        return steps.to_match(out, profile)

    def _ground(self, history, profile, match, product: Product, out_dir: Path) -> tuple[Grounding, Any]:
        user_images = _tier_images(history, profile, match)
        # the same licence records as the offline Director's grounding, so the Verifier's licensing check agrees
        licenses = {lic.path: lic.license for lic in product.licenses}
        for path in user_images:
            licenses.setdefault(str(path), "demo audience asset (see its licence record)")
        grounding = Grounding(product_images=product.images[:4], user_images=user_images, logo_path=product.logo,
                              palette=product.brand_colors[:6], asset_licenses=licenses)
        self._skipped_visual = bool(user_images) and getattr(self.model, "sees_images", None) is False
        if not user_images or self._skipped_visual:
            return grounding, None
        collage = _collage(user_images, product.images[0], out_dir / "collage.png")
        out = self.model.generate_json(steps.prompt("visual_metadata"), steps.VisualOut, images=[collage],
                                       temperature=PLAN_T)
        cues = [*out.mood_tags, out.colors_lighting, out.camera_style, *out.scenes, *out.objects]
        update = {"collage_path": str(collage), "palette": out.palette, "visual_cues": [c for c in cues if c][:12]}
        return grounding.model_copy(update=update), steps.visual_taste(out)

    def _integrate(self, host: Any, product: Product, profile: UserProfile | None, ad_seconds: float,
                   out_dir: Path) -> Integration:
        path = host.video_path if isinstance(host, VideoItem) else host
        if not path:
            raise InputError("a PCI plan needs a host video file (host_video or the history's last video)")
        seconds, fps, width, height = video_info(path)
        if seconds < 7:
            raise InputError(f"host video {path} lasts {seconds:.1f}s; PCI needs at least 7s")
        frames = sample_frames(path, out_dir / "host_frames", count=8, end=min(30.0, seconds))
        title = host.title if isinstance(host, VideoItem) else ""
        h = self.model.generate_json(steps.prompt("host_summary", title=data_block("title", title)),
                                     steps.HostOut, images=frames, temperature=PLAN_T)
        summary = HostSummary(title=h.title or title, topic=h.topic, content=h.content, style_tags=h.style_tags,
                              audio_type=h.audio_type, pacing_shots_per_minute=h.pacing_shots_per_minute,
                              duration=seconds, fps=fps, width=width, height=height)
        lo, hi = 3, int(seconds - 3)
        schema = create_model("IntegrationOut", __base__=steps.IntegrationOut,
                              insertion_timestamp=(int, Field(ge=lo, le=hi)))
        profile_data = [i.theme for i in profile.interests] if profile else []
        text = steps.prompt("integration", ad_seconds=ad_seconds, host_seconds=round(seconds, 1),
                            host=data_block("host summary", h.model_dump()),
                            product=data_block("product", _product_data(product)),
                            profile=data_block("interests", profile_data))
        out = self.model.generate_json(text, schema, images=frames, temperature=PLAN_T)
        start_frame = out_dir / "start_frame.png"
        from PIL import Image

        Image.fromarray(frame_at(path, max(0, out.insertion_timestamp - 1))).save(start_frame)
        return Integration(host_video_path=str(path), timestamp=out.insertion_timestamp,
                           rationale=out.insertion_logic, bridge=out.bridge_description,
                           visual_cue=out.visual_cue_to_trigger, start_frame_path=str(start_frame),
                           host_summary=summary)

    def _storyboard(self, history, profile, match, product, task, duration, aspect, previous, integration):
        schema = create_model("Storyboard", __base__=Storyboard,
                              duration_sec=(float, Field(ge=duration, le=duration)),
                              aspect=(Literal[aspect], aspect))
        if task == "pci":
            rules = ("- This segment is inserted into a host video: it starts on the host's start frame and "
                     "returns to it in the last 2 s; no CTA; the product is a natural object in the host's world.")
        else:
            rules = "- The last 2 s are the call to action with a product hero shot (product_focus true)."
        personal, tier_items = "", []
        if profile and match and match.chosen_tier != "generic":
            chosen = profile.tier(match.chosen_tier)
            personal = data_block("personalization", {"theme": chosen.theme, "summary": chosen.summary,
                                                      "tone_tags": profile.style.tone_tags,
                                                      "suggested_hooks": match.suggested_hooks})
            tier_items = _tier_texts(history, chosen.evidence)[:18]
        prev = [p.storyboard.hook for p in previous]

        def render(items_block: str) -> str:
            extra = f"{personal}\n{items_block}" if personal else ""
            return steps.prompt("storyboard", duration=duration, aspect=aspect, task_rules=rules,
                                personalization=extra, product=data_block("product", _product_data(product)),
                                previous=data_block("hooks already used (do not repeat)", prev) if prev else "")

        def ask():
            images = [integration.start_frame_path] if integration else []
            text, _, images, note = fit_items(self.model, schema, render, tier_items, images + product.images[:1],
                                              "items behind the chosen interest")
            self._story_note = note
            return self.model.generate_json(text, schema, images=images, temperature=STORY_T)

        board = _refit_once(ask)
        board = Storyboard.model_validate(board.model_dump())
        banned = set(self.known_brands) - {product.brand}
        if history is not None:
            banned |= injected_names(_all_texts(history))
        return strip_unsupported(board, product, banned)


# --- helpers ------------------------------------------------------------------------------------------------------
def _refit_once(ask):
    """Run a step; when the server says the prompt is over its context (now known), fit and ask once more."""
    from .openai_text import ContextTooSmall

    try:
        return ask()
    except ContextTooSmall as exc:
        if not exc.n_ctx:
            raise
        log.warning("%s; trimming to %d tokens and asking again", exc, exc.n_ctx)
        return ask()


def _collage(user_images: Sequence[str], product_image: str, out_path: Path) -> Path:
    """The offline Director's collage when it is installed (one look for both directors), else ours."""
    try:
        from ..director.grounding import build_collage as offline_collage
    except ImportError:
        return build_collage(user_images, product_image, out_path)
    return offline_collage(user_images, product_image, out_path)


def _bind_scenes(board: Storyboard, product: Product, grounding: Grounding, integration: Integration | None,
                 task: str) -> list[SceneAssets]:
    """Scene-to-asset binding shared with the offline Director (so the Producer sees the same shapes)."""
    try:
        from ..director.grounding import bind_scenes
    except ImportError:
        return _scene_assets(board, grounding, integration)
    start = integration.start_frame_path if integration else None
    return bind_scenes(board, product, grounding.user_images, start_frame=start, task=task)


def _history_items(history: UserHistory) -> tuple[list[dict], list[str]]:
    """The newest items as plain data (notes cut to 700 chars) and their images, newest first."""
    if history.kind == "notes":
        notes = history.notes[-steps.MAX_NOTES:]
        items = [{"id": n.note_idx, "title": n.title, "content": n.content[:steps.NOTE_CHARS]} for n in notes]
        images = [p for n in reversed(notes) for p in n.image_paths[:1] if Path(p).is_file()]
    else:
        items = [{"id": v.vid, "title": v.title} for v in history.videos[-steps.MAX_NOTES:]]
        images = [v.cover_path for v in reversed(history.videos) if v.cover_path and Path(v.cover_path).is_file()]
    return items, images


def _all_texts(history: UserHistory) -> list[str]:
    return [f"{n.title} {n.content}" for n in history.notes] + [v.title for v in history.videos]


def _tier_texts(history, evidence: Sequence[str]) -> list[dict]:
    items, _ = _history_items(history)
    return [i for i in items if i["id"] in set(evidence)]


def _tier_images(history, profile, match) -> list[str]:
    """Up to 4 images from the chosen tier's items (the reference draws candidates only from that tier)."""
    if not history or not profile or not match or match.chosen_tier == "generic":
        return []
    evidence = set(profile.tier(match.chosen_tier).evidence)
    paths = [p for n in history.notes if n.note_idx in evidence for p in n.image_paths[:4]]
    paths += [v.cover_path for v in history.videos if v.vid in evidence and v.cover_path]
    return [p for p in paths if Path(p).is_file()][:4]


def _scene_assets(board: Storyboard, grounding: Grounding, integration: Integration | None) -> list[SceneAssets]:
    product_image = grounding.product_images[0] if grounding.product_images else None
    last = len(board.scenes) - 1
    return [SceneAssets(scene_index=s.index, product_image=product_image if s.product_focus else None,
                        user_images=grounding.user_images[s.index % 4:s.index % 4 + 1] if grounding.user_images
                        and not s.product_focus else [],
                        logo=s.index == last and grounding.logo_path is not None,
                        start_frame=integration is not None and s.index in (0, last))
            for s in board.scenes]


def _product_data(product: Product) -> dict:
    return {"name": product.name, "brand": product.brand, "category": product.category, "slogan": product.slogan,
            "intro": product.intro, "details": product.details, "selling_points": product.selling_points,
            "facts": product.facts}
