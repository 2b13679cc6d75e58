"""One campaign's workflow, for the studio, the CLI and the bench alike: plan -> edit -> render -> verify ->
reflect -> apply / dismiss -> approve, and the closed loop. Every step is saved to the store as it happens, so a
campaign can be reopened after a restart or from another browser, and the CLI's runs are listed with the studio's.

    campaign = studio.new_campaign(history, product, brief)   # or studio.open_campaign(campaign_id)
    planned = campaign.plan(author="ana")                      # -> Planned(plan)
    campaign.edit(scenes, hook, cta, author="ana")              # -> Edited(plan); EditRejected lists every error
    campaign.render(progress, cancel)                          # -> Rendered(creative)
    campaign.verify()                                          # -> Verified(verdict)
    campaign.reflect()                                         # -> Proposed(directives, ids)
    campaign.apply(ids)                                        # -> Applied(plan)

Each method returns one typed event (a frozen dataclass); callers match them with ``isinstance``. ``run_loop``
yields the same events for every round and ends with ``Finished``. No Gradio here: the studio's tabs only call
one method each and show its event.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from . import rules, runs
from .atomic import write_json
from .errors import InputError
from .schemas import (
    Creative,
    CreativePlan,
    Directive,
    DirectiveListAdapter,
    FeedbackEvent,
    Product,
    RenderSettings,
    Scene,
    UserHistory,
    UserProfile,
    Verdict,
)
from .schemas.common import count_words
from .stages import Progress

if TYPE_CHECKING:
    from .store import Store
    from .studio import Studio

HOOK_WORDS, CTA_WORDS = 10, 6
DECISIONS = ("apply", "dismiss")
SCENE_FIELDS = ("start", "end", "shot_goal", "visual", "camera_motion", "narration", "on_screen_text",
                "product_focus")


# --- what a campaign is made for ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Brief:
    """What to make: PCG (a standalone ad) or PCI (a segment spliced into a host video), NextAds or generic."""

    task: str = "pcg"
    mode: str = "nextads"
    duration: float = 15.0
    aspect: str | None = None  # None: rules.DEFAULT_ASPECT, or for PCI the host video's
    host_video: str | None = None
    name: str = ""  # default "<person> × <product>"

    def __post_init__(self) -> None:
        if self.task not in ("pcg", "pci"):
            raise InputError(f"task must be pcg or pci, got {self.task!r}")
        if self.mode not in ("nextads", "generic"):
            raise InputError(f"mode must be nextads or generic, got {self.mode!r}")
        if not 3 <= float(self.duration) <= 120:
            raise InputError(f"duration must be 3-120 seconds, got {self.duration}")
        if self.aspect is not None and self.aspect not in rules.ASPECTS:
            raise InputError(f"aspect must be one of {', '.join(rules.ASPECTS)}, got {self.aspect!r}")


def default_name(history: UserHistory | None, product: Product) -> str:
    return f"{history.user_id if history else 'everyone'} × {product.name}"


# --- events --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Started:
    stage: str
    round: int = 0


@dataclass(frozen=True)
class Progressed:
    stage: str
    fraction: float
    message: str
    round: int = 0


@dataclass(frozen=True)
class Planned:
    plan: CreativePlan


@dataclass(frozen=True)
class Edited:
    plan: CreativePlan
    changes: list[str]


@dataclass(frozen=True)
class Unchanged:
    """An edit or rebuild that changes nothing: no version is made."""

    plan: CreativePlan


@dataclass(frozen=True)
class Rendered:
    creative: Creative
    creative_id: int


@dataclass(frozen=True)
class Verified:
    verdict: Verdict


@dataclass(frozen=True)
class Proposed:
    directives: list[Directive]
    ids: list[int]


@dataclass(frozen=True)
class AwaitingApproval:
    """Human mode of the loop: answer with ``events.send("apply")`` or ``events.send("dismiss")``."""

    directive: Directive
    id: int
    round: int


@dataclass(frozen=True)
class Applied:
    plan: CreativePlan
    ids: list[int]


@dataclass(frozen=True)
class Dismissed:
    ids: list[int]


@dataclass(frozen=True)
class Decided:
    action: str  # approve | reject
    version: int
    by: str


@dataclass(frozen=True)
class Compared:
    """The GenericAds counterpart of the campaign's current version."""

    plan: CreativePlan
    creative: Creative
    verdict: Verdict


@dataclass(frozen=True)
class Evolved:
    """A sequence made by :meth:`Campaign.evolve`: the rendered, verified impressions and the versions they are."""

    result: Any  # evolve.SequenceResult
    versions: list[int]


@dataclass(frozen=True)
class RoundRecord:
    round: int
    version: int
    decision: str
    applied: list[str] = field(default_factory=list)
    dismissed: list[str] = field(default_factory=list)
    rerendered: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Finished:
    decision: str
    rounds: list[RoundRecord]
    plan: CreativePlan
    creative: Creative | None
    verdict: Verdict | None


Event = (Started | Progressed | Planned | Edited | Unchanged | Rendered | Verified | Proposed | AwaitingApproval
         | Applied | Dismissed | Decided | Finished)


# --- errors --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CellError:
    """One problem with an edit: the storyboard row (None: the hook, CTA or the table as a whole) and column."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"scene {self.row} {self.field.replace('_', ' ')}" if self.row is not None else self.field
        return f"{where}: {self.message}"


class EditRejected(InputError):
    """An edit that does not validate; every problem is listed with its cell and nothing is saved."""

    def __init__(self, errors: list[CellError]):
        self.errors = errors
        n = len(errors)
        super().__init__(f"{n} problem{'s' * (n != 1)} in the edit, nothing saved: " + "; ".join(map(str, errors)))


# --- the campaign --------------------------------------------------------------------------------------------------
class Campaign:
    """One campaign's state and workflow; every method saves what it made to the store before returning."""

    def __deepcopy__(self, memo: dict) -> Campaign:
        """Per-session copies (the studio's gr.State) share the Studio; the rest is copied."""
        import copy

        clone = copy.copy(self)
        for key, value in self.__dict__.items():
            if key != "studio":
                setattr(clone, key, copy.deepcopy(value, memo))
        return clone

    def __init__(self, studio: Studio, campaign_id: int, history: UserHistory | None, product: Product,
                 brief: Brief):
        self.studio, self.id, self.history, self.product, self.brief = studio, campaign_id, history, product, brief
        self.current: CreativePlan | None = None  # the latest version
        self.previous_plan: CreativePlan | None = None
        self.creative: Creative | None = None
        self.creative_id: int | None = None
        self.verdict: Verdict | None = None
        self.directives: list[Directive] = []
        self.directive_ids: list[int] = []

    # --- construction ------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, studio: Studio, history: UserHistory | None, product: Product, brief: Brief | None = None,
               author: str = "") -> Campaign:
        brief = brief or Brief()
        if brief.mode == "nextads" and history is None:
            raise InputError("a NextAds campaign needs a person's history; use mode 'generic' without one")
        host = brief.host_video or _own_host(history)
        if brief.task == "pci" and not (host and Path(host).is_file()):
            raise InputError("PCI needs a host video: pick one or upload an MP4.")
        brief = Brief(brief.task, brief.mode, brief.duration, rules.plan_aspect(brief.task, host, brief.aspect),
                      host if brief.task == "pci" else None, brief.name or default_name(history, product))
        store = studio.store
        row = store.create_campaign(history if brief.mode == "nextads" else None, product, task=brief.task,
                                    mode=brief.mode, author=author, name=brief.name)
        camp = cls(studio, int(row.id), history, product, brief)
        if history is not None and brief.mode == "generic":
            store.upsert_audience_member(history, by=author)  # judged against the person even for a generic ad
        return camp

    @classmethod
    def open(cls, studio: Studio, campaign_id: int, history: UserHistory | None = None) -> Campaign:
        """The campaign as stored: its latest plan, that version's newest creative and verdict, open proposals."""
        store = studio.store
        row = store.get_campaign(int(campaign_id))
        latest = store.latest_plan(row.id)
        plan = latest.plan if latest else None
        product = plan.product if plan else _stored_product(store, row.product_id)
        if history is None and row.audience_user_id:
            history = _stored_history(studio, row.audience_user_id)
        host = plan.integration.host_video_path if plan and plan.integration else None
        brief = Brief(row.task, row.mode, plan.storyboard.duration_sec if plan else 15.0,
                      plan.storyboard.aspect if plan else None, host, row.name or default_name(history, product))
        camp = cls(studio, int(row.id), history, product, brief)
        camp.current = plan
        if plan is not None:
            camp._load_version_state(plan.version)
        return camp

    def _load_version_state(self, version: int) -> None:
        store = self.store
        creatives = [c for c in store.creatives(self.id) if c.plan_version == version]
        self.creative, self.creative_id = (creatives[-1].creative, creatives[-1].id) if creatives else (None, None)
        verdicts = [v for v in store.verdicts(self.id) if v.plan_version == version
                    and (self.creative_id is None or v.creative_id == self.creative_id)]
        self.verdict = verdicts[-1].verdict if verdicts and self.creative is not None else None
        open_ = [d for d in store.directives(self.id, status="proposed") if d.plan_version == version]
        self.directives, self.directive_ids = [d.directive for d in open_], [int(d.id) for d in open_]
        if version > 1:
            self.previous_plan = store.plan_version(self.id, version - 1).plan

    @property
    def store(self) -> Store:
        return self.studio.store

    @property
    def name(self) -> str:
        return self.brief.name

    @property
    def version(self) -> int:
        return self.current.version if self.current else 0

    def _need_plan(self) -> CreativePlan:
        if self.current is None:
            raise InputError("Make a plan first.")
        return self.current

    def rename(self, name: str, author: str = "") -> str:
        row = self.store.rename_campaign(self.id, name, by=author)
        self.brief = Brief(self.brief.task, self.brief.mode, self.brief.duration, self.brief.aspect,
                           self.brief.host_video, row.name)
        return row.name

    # --- plan and edit -----------------------------------------------------------------------------------------
    def plan(self, *, author: str = "", seed: int | None = None, out_dir: Path | None = None) -> Planned:
        """The Director's plan for this campaign's person, product and brief, saved as the next version."""
        b = self.brief
        folder = Path(out_dir) if out_dir else runs.run_dir(self.studio.data_dir, self.id, self.version + 1, "plan")
        folder.mkdir(parents=True, exist_ok=True)
        plan = self.studio.director.plan(
            self.history if b.mode == "nextads" else None, self.product, task=b.task, mode=b.mode,
            host_video=b.host_video, duration=b.duration, aspect=b.aspect or rules.DEFAULT_ASPECT,
            seed=self.studio.settings.seed if seed is None else seed, out_dir=folder)
        note = "planned by the Director" if self.current is None else "re-planned by the Director"
        self._save(plan, author, note)
        return Planned(self.current)  # type: ignore[arg-type]

    def edit(self, scenes: Sequence[Mapping[str, Any]], hook: str, cta: str, *, integration_at: float | None = None,
             base_version: int | None = None, author: str = "") -> Edited | Unchanged:
        """The storyboard, hook and CTA as edited, saved as the next version.

        Raises EditRejected listing every invalid cell (nothing saved), or store.PlanConflict when another
        version landed since ``base_version`` (the edit is kept as a draft)."""
        plan = self._need_plan()
        edited, changes = edited_plan(plan, scenes, hook, cta, integration_at)
        if edited.content_hash() == plan.content_hash():
            return Unchanged(plan)
        self._save(edited, author, f"{author or 'someone'} edited " + ", ".join(changes),
                   expected=plan.version if base_version is None else base_version)
        return Edited(self.current, changes)  # type: ignore[arg-type]

    def reground(self, user_images: Sequence[str], product_image: str | None, extra: Sequence[str] = (), *,
                 author: str = "") -> Edited | Unchanged:
        """The collage and scene assets rebuilt from the chosen images (in order); no version when unchanged."""
        from .director import grounding

        plan = self._need_plan()
        images = [*user_images, *[e for e in extra if e not in user_images]]
        product = plan.product
        if product_image and product_image in product.images:
            product = product.model_copy(update={"images": [product_image,
                                                             *[i for i in product.images if i != product_image]]})
        same_images = images[:4] == plan.grounding.user_images[:4] and not extra
        same_product = not product_image or (plan.grounding.product_images[:1] == [product_image])
        if same_images and same_product:
            return Unchanged(plan)
        start = plan.integration.start_frame_path if plan.integration else None
        out = runs.run_dir(self.studio.data_dir, self.id, plan.version + 1, "collage")
        collage = grounding.build_collage(images[:4], product.images[0], out / "collage.png", start)
        personal = plan.mode == "nextads" and plan.match is not None and not plan.match.fallback_generic
        interest = plan.profile.tier(plan.match.chosen_tier) if personal and plan.profile and plan.match else None
        palette = plan.profile.visual.palette if personal and plan.profile and plan.profile.visual else []
        ground = grounding.ground(
            plan.storyboard, product, user_images=images, user_palette=palette, collage=collage, start_frame=start,
            task=plan.task, personal=personal, keywords=interest.keywords if interest else [],
            audience_licenses={e: f"uploaded in the studio by {author or 'someone'}" for e in extra},
        )
        new = CreativePlan.model_validate({**plan.model_dump(), "product": product.model_dump(),
                                           "grounding": ground.model_dump()})
        if new.content_hash() == plan.content_hash():
            return Unchanged(plan)
        what = ["collage images"] if not same_images else []
        what += ["product image"] if not same_product else []
        self._save(new, author, f"{author or 'someone'} rebuilt the collage ({', '.join(what)})")
        return Edited(self.current, what)  # type: ignore[arg-type]

    def save_plan(self, plan: CreativePlan, author: str, note: str) -> CreativePlan:
        """Save a plan made elsewhere (a plan.json edited by hand) as the next version."""
        self._save(plan, author, note)
        return self._need_plan()

    def record_creative(self, creative: Creative) -> Rendered:
        """Store a render of the current version (made by :meth:`render` or by `nextads render`)."""
        plan = self._need_plan()
        row = self.store.add_creative(self.id, plan.version, creative)
        # the session keeps the run folder's files (named .mp4, .srt); the store keeps content-addressed copies
        self.creative = creative.model_copy(update={"sha256": row.video_sha256})
        self.creative_id, self.verdict = int(row.id), None
        return Rendered(self.creative, self.creative_id)

    def record_verdict(self, verdict: Verdict) -> Verified:
        self.store.add_verdict(self.id, verdict, self.creative_id)
        self.verdict = verdict
        return Verified(verdict)

    def _save(self, plan: CreativePlan, author: str, note: str, expected: int | None = None) -> None:
        base = self.current
        expected = (base.version if base else 0) if expected is None else expected
        row = self.store.save_plan_version(self.id, plan, author=author, expected_version=expected, note=note)
        self.previous_plan, self.current = base, row.plan
        self.creative = self.verdict = None
        self.creative_id = None
        self.directives, self.directive_ids = [], []

    def refresh(self) -> Campaign:
        """Reload the latest stored version (after a conflict, or when another browser changed it)."""
        fresh = Campaign.open(self.studio, self.id, self.history)
        self.__dict__.update({k: v for k, v in fresh.__dict__.items() if k != "studio"})
        return self

    # --- render, verify, reflect -------------------------------------------------------------------------------
    def render(self, progress: Progress | None = None, cancel: threading.Event | None = None, *,
               settings: RenderSettings | None = None, out_dir: Path | None = None) -> Rendered:
        """Render the current version (its own run folder per attempt) and store the creative."""
        from .sweep import sweep_stale

        plan = self._need_plan()
        settings = settings or RenderSettings(aspect=plan.storyboard.aspect)
        sweep_stale(self.studio.data_dir)  # folders left by renders that were killed half-way
        folder = Path(out_dir) if out_dir else runs.run_dir(self.studio.data_dir, self.id, plan.version, "render")
        creative = self.studio.producer.render(plan, folder, settings, progress=progress, cancel=cancel)
        return self.record_creative(creative)

    def media(self, role: str = "video") -> str | None:
        """A playable path for the current creative's file (video, srt, integrated), or None.

        A reopened campaign's files live in the content-addressed store without an extension; they are linked
        into this version's run folder under their usual name so a browser plays them."""
        c = self.creative
        path = {"video": c.video_path, "srt": c.srt_path, "integrated": c.integrated_path}.get(role) if c else None
        if not path or not Path(path).is_file():
            return None
        if Path(path).suffix:
            return path
        name = {"video": "creative.mp4", "srt": "creative.srt", "integrated": "integrated.mp4"}[role]
        folder = runs.campaign_dir(self.studio.data_dir, self.id) / f"v{self.version}" / "view"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{self.creative_id or 0}-{name}"
        if not target.exists():
            try:
                target.hardlink_to(path)
            except OSError:
                import shutil

                shutil.copyfile(path, target)
        return str(target)

    def judged_profile(self) -> UserProfile | None:
        """The profile a creative is judged against: the plan's, or for a generic ad the real person's."""
        plan = self._need_plan()
        if plan.profile is not None or self.history is None:
            return plan.profile
        return self.studio.director.build_profile(self.history)

    def verify(self) -> Verified:
        """Judge the rendered ad against the person and store the verdict."""
        plan = self._need_plan()
        if self.creative is None or self.creative.plan_version != plan.version:
            raise InputError(f"Render version {plan.version} first: there is no video of it to verify.")
        verdict = self.studio.verifier.verify(plan, self.creative, history=self.history,
                                              profile=self.judged_profile())
        return self.record_verdict(verdict)

    def reflect(self, feedback: Sequence[FeedbackEvent] = (), budget: float | None = None) -> Proposed:
        """The Reflector's directives for the current verdict (and feedback), stored as proposals."""
        plan = self._need_plan()
        if self.verdict is None and not feedback:
            raise InputError("Verify the video first (or bring impression feedback): there is nothing to reflect on.")
        proposal = self.studio.reflector.propose(plan, self.verdict, feedback, budget=budget, creative=self.creative)
        return self.record_proposals(list(proposal.directives))

    def record_proposals(self, directives: Sequence[Directive]) -> Proposed:
        """Store directives as the open proposals for the current version (earlier open ones are closed)."""
        plan = self._need_plan()
        for old in self.directive_ids:  # superseded proposals are closed, not left open
            self.store.set_directive_status(old, "dismissed", "reflector")
        ids = [int(self.store.add_directive(self.id, d, plan_version=plan.version).id) for d in directives]
        self.directives, self.directive_ids = list(directives), ids
        return Proposed(list(directives), ids)

    def apply(self, ids: Iterable[int] | None = None, *, author: str = "") -> Applied | Unchanged:
        """The chosen proposals (default: all) applied as ONE new version; the others stay proposed."""
        from .reflector import apply_all

        plan = self._need_plan()
        chosen = self._pick(ids)
        if not chosen:
            return Unchanged(plan)
        picked = [d for i, d in zip(self.directive_ids, self.directives, strict=True) if i in chosen]
        new = apply_all(plan, picked)
        kinds = ", ".join(d.kind for d in picked)
        rest = [(i, d) for i, d in zip(self.directive_ids, self.directives, strict=True) if i not in chosen]
        self._save(new, author, f"{author or 'the Reflector'} applied {kinds}")
        for i in chosen:
            self.store.set_directive_status(i, "applied", author or "reflector")
        for i, _ in rest:  # proposals for the old version no longer fit the new one
            self.store.set_directive_status(i, "dismissed", author or "reflector")
        return Applied(self.current, sorted(chosen))  # type: ignore[arg-type]

    def dismiss(self, ids: Iterable[int] | None = None, *, author: str = "") -> Dismissed:
        chosen = self._pick(ids)
        for i in chosen:
            self.store.set_directive_status(i, "dismissed", author or "reflector")
        keep = [(i, d) for i, d in zip(self.directive_ids, self.directives, strict=True) if i not in chosen]
        self.directive_ids, self.directives = [i for i, _ in keep], [d for _, d in keep]
        return Dismissed(sorted(chosen))

    def _pick(self, ids: Iterable[int] | None) -> set[int]:
        chosen = set(self.directive_ids) if ids is None else {int(i) for i in ids}
        unknown = chosen - set(self.directive_ids)
        if unknown:
            raise InputError(f"directive(s) {sorted(unknown)} are not open on version {self.version}; "
                             "reflect again to get current proposals")
        return chosen

    # --- side views -----------------------------------------------------------------------------------------------
    def simulate_impressions(self, n: int, seed: int | None = None) -> tuple[list[list[Any]], dict[str, list[float]]]:
        """Rows per simulated impression and engagement series (the Reflector's evolution policy)."""
        from .reflector import evolution

        plan = self._need_plan()
        return evolution.simulate_for_ui(plan, int(n), seed=self.studio.settings.seed if seed is None else seed,
                                         embedder=self.studio.embedder)

    def why_static(self, n: int) -> str:
        """Why the static creative does as well as evolving on the simulator for this person (one sentence)."""
        from .reflector import evolution
        from .reflector.simulator import explain_static_lead

        plan = self._need_plan()
        profile = plan.profile or UserProfile(user_id=plan.user_id or "generic")
        return explain_static_lead(profile, plan.product, self.studio.embedder, evolution.base_variant(plan),
                                   evolution.candidate_variants(profile, plan.product), int(n),
                                   seed=self.studio.settings.seed)

    def import_feedback(self, paths: Sequence[str | Path], by: str = "studio") -> tuple[int, int, Any]:
        """Attach feedback files (CSV or JSON lines) to this campaign's versions and update what is learned about
        the person: (impressions added, impressions already there, learned preferences or None)."""
        from .reflector import read_feedback
        from .reflector.learning import update_learned

        added = skipped = 0
        for path in paths:
            a, k = self.store.import_feedback(self.id, read_feedback(path), by=by)
            added, skipped = added + a, skipped + k
        plan = self._need_plan()
        return added, skipped, (update_learned(self.store, plan.user_id) if plan.user_id else None)

    def feedback_by_version(self) -> list[tuple[int, Any, list[Any]]]:
        """Per plan version with feedback: (version, its aggregate, the decisions taken from it)."""
        from .reflector import aggregate

        plans = {v.version: v.plan for v in self.store.plan_versions(self.id)}
        rows = []
        for version, events in sorted(self.store.feedback_by_version(self.id).items(), key=lambda kv: kv[0] or 0):
            plan = plans.get(version) or self._need_plan()
            agg = aggregate.VersionFeedback(version, plan.storyboard.duration_sec, events)
            rows.append((version, agg, aggregate.decide(plan, agg)))
        return rows

    def compare_generic(self, settings: RenderSettings | None = None,
                        progress: Progress | None = None) -> Compared:
        """The GenericAds version of this ad (same product, no personal data), rendered and judged against the
        same person; the NextAds side is rendered and verified first if it is not yet. Not stored as a version."""
        plan = self._need_plan()
        report = progress or (lambda f, m: None)
        settings = settings or RenderSettings(aspect=plan.storyboard.aspect)
        folder = runs.run_dir(self.studio.data_dir, self.id, plan.version, "generic")
        report(0.1, "GenericAds: planning")
        generic = self.studio.director.plan(None, plan.product, task=plan.task, mode="generic",
                                            host_video=self.brief.host_video,
                                            duration=plan.storyboard.duration_sec, aspect=plan.storyboard.aspect,
                                            seed=self.studio.settings.seed, out_dir=folder)
        report(0.3, "GenericAds: rendering")
        g_creative = self.studio.producer.render(generic, folder, settings)
        profile = self.judged_profile()
        g_verdict = self.studio.verifier.verify(generic, g_creative, history=self.history, profile=profile)
        if self.creative is None or self.creative.plan_version != plan.version:
            report(0.6, "NextAds: rendering")
            self.render(settings=settings)
        if self.verdict is None:
            report(0.85, "NextAds: verifying")
            self.verify()
        return Compared(generic, g_creative, g_verdict)

    # --- approval ----------------------------------------------------------------------------------------------
    def evolve(self, impressions: int = 4, policy: str = "arc", *, settings: RenderSettings | None = None,
               progress: Progress | None = None, out_dir: Path | None = None, author: str = "") -> Evolved:
        """Plan, render and verify a sequence of creatives for this person and product (a progressive arc).

        Each impression is stored as the next version of this campaign with its creative and verdict, so feedback
        from viewers attaches to the version they saw and the Director's session memory reads what was shown."""
        from .evolve import evolve_sequence

        if self.brief.task != "pcg":
            raise InputError("A sequence across impressions is made of standalone ads (PCG), not host insertions.")
        aspect = self.brief.aspect or rules.DEFAULT_ASPECT
        folder = Path(out_dir) if out_dir else runs.run_dir(self.studio.data_dir, self.id, self.version, "sequence")
        result = evolve_sequence(self.studio, self.history, self.product, impressions, out_dir=folder,
                                 policy=policy, duration=self.brief.duration, aspect=aspect, mode=self.brief.mode,
                                 render_settings=settings or RenderSettings(aspect=aspect), progress=progress)
        for item in result.impressions:
            imp = item.impression
            self._save(imp.plan, author, f"impression {imp.index} of {len(result.impressions)} "
                                         f"({imp.stage.replace('_', ' ')}): "
                                         f"{imp.hook}")
            self.record_creative(item.creative)
            self.record_verdict(item.verdict)
        return Evolved(result, [v.version for v in self.store.plan_versions(self.id)][-len(result.impressions):])

    def approve(self, user: str, comment: str = "") -> Decided:
        if self.current is None:
            raise InputError("Nothing to approve yet: make a plan, render and verify it first.")
        event = self.store.approve(self.id, user, comment, creative_id=self.creative_id)
        return Decided("approve", event.plan_version, event.username)

    def reject(self, user: str, comment: str) -> Decided:
        if self.current is None:
            raise InputError("Nothing to reject yet: make a plan first.")
        event = self.store.reject(self.id, user, comment)
        return Decided("reject", event.plan_version, event.username)

    # --- the closed loop ---------------------------------------------------------------------------------------
    def run_loop(self, max_rounds: int = 3, human: bool = False, *, settings: RenderSettings | None = None,
                 feedback: Sequence[FeedbackEvent] = (), cancel: threading.Event | None = None,
                 out_dir: Path | None = None, author: str = "") -> Generator[Event, str | None, None]:
        """Plan (when there is no plan yet), then render -> verify -> reflect -> apply until the Verifier accepts
        or ``max_rounds`` renders were made. Every version, creative, verdict and directive is stored as it lands.

        Human mode yields AwaitingApproval per directive; ``send("apply")`` / ``send("dismiss")`` answers, and
        plain ``next()`` counts as dismiss (nothing changes without an approval). ``out_dir`` also writes
        round_N/{plan,verdict,directives,round}.json and the render there (the CLI's --out)."""
        if max_rounds < 1:
            raise InputError(f"max_rounds must be at least 1, got {max_rounds}")
        cancel = cancel or threading.Event()
        out = Path(out_dir) if out_dir else None
        if self.current is None:
            yield Started("plan", 1)
            yield self.plan(author=author, out_dir=out / "round_1" if out else None)
        records: list[RoundRecord] = []
        for rnd in range(1, max_rounds + 1):
            plan = self._need_plan()
            rdir = out / f"round_{rnd}" if out else None
            if rdir is not None:
                write_json(rdir / "plan.json", plan)
            if self.creative is None or self.creative.plan_version != plan.version:
                yield Started("render", rnd)
                yield from self._render_in_thread(rnd, settings, cancel, rdir)
            if self.verdict is None:
                yield Started("verify", rnd)
                yield self.verify()
            verdict = self.verdict
            assert verdict is not None and self.creative is not None
            proposed = Proposed([], [])
            if verdict.decision != "accept" or (feedback and rnd == 1):
                yield Started("reflect", rnd)
                proposed = self.reflect(feedback if rnd == 1 else ())
                yield proposed
            if rdir is not None:
                write_json(rdir / "verdict.json", verdict)
                write_json(rdir / "directives.json",
                           DirectiveListAdapter.dump_python(proposed.directives, mode="json"))
            applied: list[int] = []
            if proposed.ids and rnd < max_rounds:
                for d, i in zip(proposed.directives, proposed.ids, strict=True):
                    answer: str | None = "apply"
                    if human:
                        answer = _decision((yield AwaitingApproval(d, i, rnd)))
                    if answer == "apply":
                        applied.append(i)
            kinds = dict(zip(proposed.ids, [d.kind for d in proposed.directives], strict=True))
            record = RoundRecord(rnd, plan.version, verdict.decision, [kinds[i] for i in applied],
                                 [kinds[i] for i in proposed.ids if i not in applied and rnd < max_rounds],
                                 list(self.creative.scenes_rerendered))
            records.append(record)
            if rdir is not None:
                write_json(rdir / "round.json", record.__dict__)
            if not proposed.ids or rnd == max_rounds:
                break
            if not applied:
                yield self.dismiss(author=author)
                break  # every change dismissed: nothing new to render
            yield Started("apply", rnd)
            yield self.apply(applied, author=author or "automatic loop")
        done = Finished(self.verdict.decision if self.verdict else "none", records, self._need_plan(),
                        self.creative, self.verdict)
        if out is not None:
            write_json(out / "summary.json", {"campaign": self.id, "decision": done.decision,
                                              "rounds": len(records), "plan_id": done.plan.plan_id,
                                              "final_version": done.plan.version,
                                              "history": [r.__dict__ for r in records]})
        yield done

    def _render_in_thread(self, rnd: int, settings: RenderSettings | None, cancel: threading.Event,
                          out_dir: Path | None) -> Generator[Event, Any, None]:
        """Render in a worker thread, yielding its progress as it arrives, then the Rendered event."""
        reports: queue.Queue = queue.Queue()
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                result["event"] = self.render(lambda f, m: reports.put((f, m)), cancel, settings=settings,
                                              out_dir=out_dir)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the generator's thread
                result["error"] = exc
            finally:
                reports.put(None)

        worker = threading.Thread(target=work, name=f"render-c{self.id}-r{rnd}", daemon=True)
        worker.start()
        try:
            while (item := reports.get()) is not None:
                yield Progressed("render", float(item[0]), str(item[1]), rnd)
        finally:
            if worker.is_alive():  # the consumer closed the loop mid-render: stop the Producer cleanly
                cancel.set()
            worker.join()
        if "error" in result:
            raise result["error"]
        yield result["event"]


def drive(events: Generator[Event, str | None, None], decide: Callable[[AwaitingApproval], str] | None = None,
          on_event: Callable[[Event], None] | None = None) -> Finished:
    """Run a loop to its end; ``decide`` answers each AwaitingApproval ("apply" or "dismiss")."""
    event = next(events)
    while True:
        if on_event is not None:
            on_event(event)
        if isinstance(event, Finished):
            events.close()
            return event
        try:
            event = events.send(decide(event) if decide else "apply") if isinstance(event, AwaitingApproval) \
                else next(events)
        except StopIteration as exc:
            raise RuntimeError("the loop ended without a Finished event") from exc


def _decision(answer: str | None) -> str:
    if answer is None:
        return "dismiss"
    if answer not in DECISIONS:
        raise InputError(f"approval must be one of {', '.join(DECISIONS)}, got {answer!r}")
    return answer


# --- edits ---------------------------------------------------------------------------------------------------------
def edited_plan(plan: CreativePlan, scenes: Sequence[Mapping[str, Any]], hook: str, cta: str,
                integration_at: float | None = None) -> tuple[CreativePlan, list[str]]:
    """The plan with the edited storyboard, and what changed in words; EditRejected lists every bad cell."""
    errors: list[CellError] = []
    old = plan.storyboard
    hook, cta = " ".join(str(hook or "").split()), " ".join(str(cta or "").split())
    if count_words(hook) > HOOK_WORDS:
        errors.append(CellError(None, "hook", f"has {count_words(hook)} words; at most {HOOK_WORDS}"))
    if not cta:
        errors.append(CellError(None, "call to action", "cannot be empty: say what the viewer should do"))
    elif count_words(cta) > CTA_WORDS:
        errors.append(CellError(None, "call to action", f"has {count_words(cta)} words; at most {CTA_WORDS}"))
    if not scenes:
        errors.append(CellError(None, "storyboard", "needs at least one scene"))
    new_scenes: list[dict[str, Any]] = []
    for i, row in enumerate(scenes):
        before = old.scenes[i].model_dump() if i < len(old.scenes) else {}
        data = {**before, "index": i}
        for key in SCENE_FIELDS:
            if key not in row:
                continue
            value = row[key]
            if key in ("start", "end"):
                try:
                    value = round(float(value), 3)
                except (TypeError, ValueError):
                    errors.append(CellError(i, key, f"{value!r} is not a number of seconds"))
                    continue
            elif key == "product_focus":
                value = value.strip().lower() in {"true", "yes", "1", "y", "x"} if isinstance(value, str) \
                    else bool(value)
            else:
                value = "" if value is None else str(value).strip()
            data[key] = value
        try:
            new_scenes.append(Scene.model_validate(data).model_dump())
        except ValidationError as exc:
            for err in exc.errors():
                loc = [p for p in err.get("loc", ()) if isinstance(p, str)]
                errors.append(CellError(i, loc[0] if loc else "end", _msg(err)))
            new_scenes.append(data)
    changes = _changes(old, new_scenes, hook, cta)
    _carry_hook_and_cta(old, new_scenes, hook, cta)
    board = {**old.model_dump(), "scenes": new_scenes, "hook": hook, "cta": cta,
             "duration_sec": new_scenes[-1]["end"] if new_scenes and not errors else old.duration_sec}
    data = {**plan.model_dump(), "storyboard": board}
    if integration_at is not None and plan.integration is not None \
            and int(integration_at) != plan.integration.timestamp:
        data["integration"] = {**plan.integration.model_dump(), "timestamp": int(integration_at)}
        changes.append(f"integration point {plan.integration.timestamp}s → {int(integration_at)}s")
    if errors:
        raise EditRejected(errors)
    try:
        return CreativePlan.model_validate(data), changes
    except ValidationError as exc:
        raise EditRejected([_cell(err) for err in exc.errors()]) from exc


def _msg(err: Mapping[str, Any]) -> str:
    return str(err.get("msg", "")).removeprefix("Value error, ")


def _cell(err: Mapping[str, Any]) -> CellError:
    loc = list(err.get("loc", ()))
    if "scenes" in loc and loc.index("scenes") + 1 < len(loc):
        at = loc.index("scenes")
        rest = [p for p in loc[at + 2:] if isinstance(p, str)]
        return CellError(int(loc[at + 1]), rest[0] if rest else "end", _msg(err))
    return CellError(None, "storyboard", _msg(err))


def _changes(old: Any, new_scenes: list[dict[str, Any]], hook: str, cta: str) -> list[str]:
    out = []
    if hook != old.hook:
        out.append("hook")
    if cta != old.cta:
        out.append("call to action")
    for i, scene in enumerate(new_scenes):
        if i >= len(old.scenes):
            out.append(f"scene {i} added")
            continue
        before = old.scenes[i].model_dump()
        fields = [k.replace("_", " ") for k in SCENE_FIELDS if before.get(k) != scene.get(k)]
        if fields:
            out.append(f"scene {i} {', '.join(fields)}")
    if len(new_scenes) < len(old.scenes):
        out.append(f"{len(old.scenes) - len(new_scenes)} scene(s) removed")
    return out


def _carry_hook_and_cta(old: Any, scenes: list[dict[str, Any]], hook: str, cta: str) -> None:
    """A new hook shows in the opening scene and a new CTA on the closing one, wherever the old ones were said or
    shown (the Producer draws and speaks scene text; the hook and CTA fields alone do not reach the video).
    A scene field the person edited in the same go is left as they typed it."""
    if not scenes or not old.scenes:
        return
    for text, before, scene, was in ((hook, old.hook, scenes[0], old.scenes[0]),
                                     (cta, old.cta, scenes[-1], old.scenes[-1])):
        if not text or text == before:
            continue
        placed = False
        for key, limit in (("on_screen_text", 8), ("narration", 16)):
            untouched = scene.get(key) == getattr(was, key)
            if untouched and before and _same_words(getattr(was, key), before) and count_words(text) <= limit:
                scene[key], placed = text, True
        if not placed and text is hook and scene.get("on_screen_text") == was.on_screen_text \
                and count_words(text) <= 8:
            scene["on_screen_text"] = text  # the opening card shows the hook


def _same_words(a: str, b: str) -> bool:
    def norm(t: str) -> str:
        return " ".join("".join(ch for ch in t.lower() if ch.isalnum() or ch.isspace()).split())

    return bool(a.strip()) and norm(a) == norm(b)


# --- reading a change --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One line of a before → after diff, in words (no raw dicts, no file paths, no "None")."""

    where: str
    field: str
    before: str
    after: str


_FIELD_WORDS = {"on_screen_text": "on-screen text", "shot_goal": "shot goal", "camera_motion": "camera motion",
                "product_focus": "product focus", "assets.user_images": "pictures from the person",
                "assets.product_image": "product picture", "assets.extra": "uploaded pictures",
                "assets.logo": "logo", "assets.start_frame": "host frame"}


def plan_changes(old: CreativePlan | None, new: CreativePlan | None) -> list[Change]:
    """What changed between two versions, as text a marketer reads."""
    if old is None or new is None:
        return []
    from .reflector import plan_diff

    out = []
    for r in plan_diff(old, new):
        field = str(r["field"])
        if field in ("notes", "version", "parent_version") or field.startswith(("notes", "profile")):
            continue
        where = "whole ad" if r["scene"] is None else f"scene {r['scene']} ({r['start']:.1f}-{r['end']:.1f}s)"
        out.append(Change(where, _FIELD_WORDS.get(field, field.split(".")[-1].replace("_", " ")),
                          _words(r["before"]), _words(r["after"])))
    return out


def _words(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(nothing)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return Path(value).stem.replace("_", " ") if ("/" in value or "\\" in value) and "." in value[-6:] else value
    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k.replace('_', ' ')}: {_words(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# --- listing -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CampaignSummary:
    """One line of the campaign picker and of `nextads campaigns list`."""

    id: int
    name: str
    person: str
    product: str
    task: str
    mode: str
    versions: int
    latest_decision: str
    approval: str
    updated_at: str
    created_by: str
    rendered: bool = False  # the latest version has a video


def list_campaigns(store: Store, person: str | None = None) -> list[CampaignSummary]:
    """Every campaign (or one person's), newest first, with its latest version, decision and approval."""
    out = []
    for c in store.list_campaigns():
        if person is not None and c.audience_user_id != person:
            continue
        latest = store.latest_plan(c.id)
        verdicts = store.verdicts(c.id)
        last = [v for v in verdicts if latest and v.plan_version == latest.version]
        product = latest.plan.product.name if latest else c.product_id
        out.append(CampaignSummary(
            id=int(c.id), name=c.name or f"{c.audience_user_id or 'everyone'} × {product}",
            person=c.audience_user_id or "everyone", product=product, task=c.task, mode=c.mode,
            versions=latest.version if latest else 0, latest_decision=last[-1].decision if last else "not verified",
            approval=c.status, updated_at=c.updated_at.strftime("%Y-%m-%d %H:%M"), created_by=c.created_by,
            rendered=bool(latest) and any(r.plan_version == latest.version for r in store.creatives(c.id))))
    return sorted(out, key=lambda s: (s.updated_at, s.id), reverse=True)


def _own_host(history: UserHistory | None) -> str | None:
    own = history.host_video if history else None
    return own.video_path if own and own.video_path else None


def _stored_product(store: Store, product_id: str) -> Product:
    product = store.stored_product(product_id)
    if product is None:
        raise InputError(f"product {product_id!r} is not in the store")
    return product


def _stored_history(studio: Studio, user_id: str) -> UserHistory | None:
    return studio.store.stored_history(user_id) or studio.audience.get(user_id)


# --- reading a verdict (the studio shows these; it imports no stage module) ------------------------------------

def verdict_scorecard(verdict: Verdict, mode: str = "nextads", directives: Sequence | None = None):
    """The Verifier's scorecard of a stored verdict, read against the shared thresholds in `rules`."""
    from .verifier.scorecard import scorecard

    return scorecard(verdict, {**rules.ACCEPT_AT, "reject_below": dict(rules.REJECT_BELOW)}, mode, directives)


def finding_where(finding) -> str:
    """Where a finding is, in words ("scene 5 narration, 9.0-12.0 s")."""
    from .verifier.scorecard import where

    return where(finding)


def finding_way_forward(finding, directives: Sequence | None = None) -> str:
    """The directive that answers a finding, or the note that it needs a person."""
    from .verifier.scorecard import way_forward

    return way_forward(finding, directives)


__all__ = ["Applied", "AwaitingApproval", "Brief", "Campaign", "CampaignSummary", "CellError", "Change",
           "Compared", "Decided",
           "Dismissed", "EditRejected", "Edited", "Event", "Finished", "Planned", "Progressed", "Proposed",
           "Rendered", "RoundRecord", "Started", "Unchanged", "Verified", "default_name", "drive", "edited_plan",
           "finding_way_forward", "finding_where", "list_campaigns", "plan_changes", "verdict_scorecard"]
