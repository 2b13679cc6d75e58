"""Workspaces, audience members, products, campaigns and immutable plan versions (optimistic edits)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from ..errors import ConflictError, InputError
from ..redact import redact
from ..schemas import CreativePlan, Product, UserHistory
from .tables import (
    ApprovalEvent,
    AudienceMember,
    Campaign,
    CreativeFile,
    CreativeRecord,
    DirectiveRecord,
    FeedbackRecord,
    PlanDraft,
    PlanVersion,
    ProductRecord,
    VerdictRecord,
    Workspace,
    utcnow,
)
from .validate import validated

TASKS, MODES = ("pcg", "pci"), ("nextads", "generic")


class PlanConflict(ConflictError):
    """A plan edit based on an old version. The edit is saved as a draft (`draft_id`) and carried here."""

    def __init__(self, message: str, *, draft_id: int, base_version: int | None, latest_version: int | None,
                 latest_author: str, plan: CreativePlan):
        super().__init__(message)
        self.draft_id, self.plan = draft_id, plan
        self.base_version, self.latest_version, self.latest_author = base_version, latest_version, latest_author


class CampaignsMixin:
    # --- reference data ---------------------------------------------------------------------------
    def ensure_workspace(self, name: str = "default") -> Workspace:
        """The workspace called `name`, created on first use."""
        return self._tx(lambda s: self._workspace(s, name))

    def upsert_audience_member(self, history: UserHistory, *, by: str = "library") -> AudienceMember:
        """Store (or replace) a person's interaction history."""
        history = validated(UserHistory, history, f"history of {getattr(history, 'user_id', '?')}")

        def work(s: Session) -> AudienceMember:
            row = s.get(AudienceMember, history.user_id) or AudienceMember(user_id=history.user_id, kind=history.kind)
            row.kind, row.data, row.updated_at = history.kind, history.model_dump(mode="json"), utcnow()
            s.add(row)
            self._audit(s, "audience_member_saved", by, user_id=history.user_id)
            return row

        return self._tx(work)

    def upsert_product(self, product: Product, *, by: str = "library") -> ProductRecord:
        """Store (or replace) a product from the library."""
        product = validated(Product, product, f"product {getattr(product, 'product_id', '?')}")

        def work(s: Session) -> ProductRecord:
            row = s.get(ProductRecord, product.product_id) or ProductRecord(product_id=product.product_id,
                                                                            name=product.name)
            row.name, row.data, row.updated_at = product.name, product.model_dump(mode="json"), utcnow()
            s.add(row)
            self._audit(s, "product_saved", by, product_id=product.product_id)
            return row

        return self._tx(work)

    def stored_history(self, user_id: str) -> UserHistory | None:
        """The history saved for an audience member, or None."""
        row = self._read(lambda s: s.get(AudienceMember, user_id))
        return row.history() if row else None

    def stored_product(self, product_id: str) -> Product | None:
        """The product saved under `product_id`, or None."""
        row = self._read(lambda s: s.get(ProductRecord, product_id))
        return row.product() if row else None

    # --- campaigns --------------------------------------------------------------------------------
    def create_campaign(self, user_id: str | UserHistory | None, product_id: str | Product, task: str = "pcg",
                        mode: str = "nextads", author: str = "", workspace: str = "default",
                        name: str = "") -> Campaign:
        """A campaign for one audience member (None for generic ads) and one product; objects are upserted."""
        name = _campaign_name(name) if name else ""
        if task not in TASKS or mode not in MODES:
            raise InputError(f"campaign: task must be one of {TASKS} and mode one of {MODES}, got {task!r}/{mode!r}")
        if isinstance(product_id, Product):
            product_id = self.upsert_product(product_id, by=author).product_id
        if isinstance(user_id, UserHistory):
            user_id = self.upsert_audience_member(user_id, by=author).user_id

        def work(s: Session) -> Campaign:
            if s.get(ProductRecord, product_id) is None:
                raise InputError(f"campaign: product {product_id!r} is not in the store; save it first")
            if user_id is not None and s.get(AudienceMember, user_id) is None:
                raise InputError(f"campaign: audience member {user_id!r} is not in the store; import them first")
            camp = Campaign(workspace_id=self._workspace(s, workspace).id, audience_user_id=user_id,
                            product_id=product_id, task=task, mode=mode, created_by=author, name=name)
            s.add(camp)
            s.flush()
            self._audit(s, "campaign_created", author, camp.id, user_id=user_id, product_id=product_id,
                        task=task, mode=mode)
            return camp

        return self._tx(work)

    def get_campaign(self, campaign_id: int) -> Campaign:
        return self._read(lambda s: self._campaign(s, campaign_id))

    def can_read_campaign(self, username: str, campaign_id: int, *, signed_in: bool = True) -> bool:
        """Who may see a campaign's files: approvers and admins all; an editor the campaigns they created or
        wrote a version of. Without sign-in (loopback, one local person) everything is theirs."""
        from .tables import APPROVER_ROLES, StudioUser

        def work(s: Session) -> bool:
            if not signed_in:
                return True
            person = s.exec(select(StudioUser).where(StudioUser.username == username)).first()
            if person is None:
                return False
            if person.role in APPROVER_ROLES:
                return True
            camp = s.get(Campaign, campaign_id)
            if camp is None:
                return False
            if camp.created_by == username:
                return True
            q = select(PlanVersion.id).where(PlanVersion.campaign_id == campaign_id, PlanVersion.author == username)
            return s.exec(q.limit(1)).first() is not None

        return self._read(work)

    def rename_campaign(self, campaign_id: int, name: str, *, by: str = "") -> Campaign:
        """Give a campaign a new name (shown in the studio's picker and `nextads campaigns list`)."""
        name = _campaign_name(name)

        def work(s: Session) -> Campaign:
            camp = self._campaign(s, campaign_id)
            old, camp.name, camp.updated_at = camp.name, name, utcnow()
            s.add(camp)
            self._audit(s, "campaign_renamed", by, campaign_id, old=old, new=name)
            return camp

        return self._tx(work)

    def find_campaigns(self, name: str, workspace: str | None = None) -> list[Campaign]:
        """Campaigns called `name` (exactly), oldest first."""
        return [c for c in self.list_campaigns(workspace) if c.name == name]

    def list_campaigns(self, workspace: str | None = None) -> list[Campaign]:
        def work(s: Session) -> list[Campaign]:
            q = select(Campaign).order_by(Campaign.id)
            if workspace is not None:
                q = q.join(Workspace).where(Workspace.name == workspace)
            return list(s.exec(q).all())

        return self._read(work)

    def delete_campaign(self, campaign_id: int, *, by: str = "") -> list[str]:
        """Delete a campaign and its records; blobs still referenced elsewhere stay. Returns removed hashes."""

        def work(s: Session) -> set[str]:
            self._campaign(s, campaign_id)
            creative_ids = select(CreativeRecord.id).where(CreativeRecord.campaign_id == campaign_id)
            shas = set(s.exec(select(CreativeFile.sha256).where(col(CreativeFile.creative_id).in_(creative_ids))))
            for table in (ApprovalEvent, DirectiveRecord, VerdictRecord):
                s.exec(delete(table).where(table.campaign_id == campaign_id))
            s.exec(delete(CreativeFile).where(col(CreativeFile.creative_id).in_(creative_ids)))
            for table in (CreativeRecord, FeedbackRecord, PlanDraft, PlanVersion):
                s.exec(delete(table).where(table.campaign_id == campaign_id))
            s.exec(delete(Campaign).where(Campaign.id == campaign_id))
            still = set(s.exec(select(CreativeFile.sha256).where(col(CreativeFile.sha256).in_(shas)))) if shas else set()
            self._audit(s, "campaign_deleted", by, campaign_id, files_released=len(shas - still))
            return shas - still

        unreferenced = self._tx(work)
        # Only after the commit: a failed delete must not lose files its records still point to.
        return sorted(sha for sha in unreferenced if self.blobs.delete(sha))

    # --- plan versions ----------------------------------------------------------------------------
    def save_plan_version(self, campaign_id: int, plan: CreativePlan, author: str,
                          expected_version: int | None = None, note: str = "") -> PlanVersion:
        """Append an immutable plan version. `expected_version` is the version the editor opened (0 = none):
        if another version landed since, the edit is kept as a draft and PlanConflict is raised."""
        plan = validated(CreativePlan, plan, "plan")
        for attempt in range(1, 9):
            try:
                outcome = self._tx(lambda s: self._append_plan(s, campaign_id, plan, author, expected_version,
                                                               note))
                break
            except IntegrityError:
                # Another writer took the same version number between our read and our insert. An edit of a
                # known version becomes a draft; a save without one simply appends on top (as SQLite does).
                if expected_version is not None or attempt == 8:
                    outcome = self._tx(lambda s: self._keep_draft(s, campaign_id, plan, author, expected_version))
                    break
        if isinstance(outcome, PlanConflict):
            raise outcome
        return outcome

    def latest_plan(self, campaign_id: int) -> PlanVersion | None:
        """The newest plan version (its `.plan` is the CreativePlan), or None before the first plan."""
        return self._read(lambda s: self._latest(s, campaign_id))

    def plan_versions(self, campaign_id: int) -> list[PlanVersion]:
        q = select(PlanVersion).where(PlanVersion.campaign_id == campaign_id).order_by(PlanVersion.version)
        return self._read(lambda s: list(s.exec(q).all()))

    def plan_version(self, campaign_id: int, version: int) -> PlanVersion:
        def work(s: Session) -> PlanVersion:
            row = s.exec(select(PlanVersion).where(PlanVersion.campaign_id == campaign_id,
                                                   PlanVersion.version == version)).first()
            if row is None:
                raise InputError(f"campaign {campaign_id} has no plan version {version}")
            return row

        return self._read(work)

    def drafts(self, campaign_id: int) -> list[PlanDraft]:
        """Edits that lost a concurrent-edit check, newest last."""
        q = select(PlanDraft).where(PlanDraft.campaign_id == campaign_id).order_by(PlanDraft.id)
        return self._read(lambda s: list(s.exec(q).all()))

    def _append_plan(self, s: Session, campaign_id: int, plan: CreativePlan, author: str,
                     expected: int | None, note: str) -> PlanVersion | PlanConflict:
        # The campaign row is locked for the append (PostgreSQL; SQLite's BEGIN IMMEDIATE already serializes).
        camp = s.exec(select(Campaign).where(Campaign.id == campaign_id).with_for_update()).first()
        if camp is None:
            camp = self._campaign(s, campaign_id)
        latest = self._latest(s, campaign_id)
        latest_v = latest.version if latest else 0
        if expected is not None and expected != latest_v:
            return self._keep_draft(s, campaign_id, plan, author, expected)
        stored = validated(CreativePlan, {**plan.model_dump(mode="json"), "version": latest_v + 1,
                                          "parent_version": latest_v or None}, "plan")
        row = PlanVersion(campaign_id=campaign_id, version=stored.version, parent_version=stored.parent_version,
                          author=author, content_hash=stored.content_hash(), note=redact(note)[:500],
                          data=stored.model_dump(mode="json"))
        s.add(row)
        if camp.status == "approved":
            self._audit(s, "approval_cleared", author, campaign_id, approved_version=latest_v,
                        reason=f"version {stored.version} replaces the approved version {latest_v}")
        camp.status, camp.updated_at, camp.plan_id = "draft", utcnow(), camp.plan_id or stored.plan_id
        s.add(camp)
        s.flush()
        self._audit(s, "plan_saved", author, campaign_id, version=row.version, parent_version=row.parent_version,
                    content_hash=row.content_hash, note=note)
        return row

    def _keep_draft(self, s: Session, campaign_id: int, plan: CreativePlan, author: str,
                    expected: int | None) -> PlanConflict:
        latest = self._latest(s, campaign_id)
        latest_v, latest_by = (latest.version, latest.author or "someone") if latest else (None, "")
        draft = PlanDraft(campaign_id=campaign_id, base_version=expected, latest_version=latest_v, author=author,
                          reason="concurrent edit", data=plan.model_dump(mode="json"))
        s.add(draft)
        s.flush()
        self._audit(s, "plan_conflict", author, campaign_id, draft_id=draft.id, base_version=expected,
                    latest_version=latest_v)
        latest_txt = f"the latest is {latest_v} by {latest_by}" if latest_v else "it has no saved version"
        return PlanConflict(
            f"the plan changed since you opened it (you edited version {expected}, {latest_txt}); your edit is "
            f"kept as draft #{draft.id}: open the latest version and reapply your changes from the draft",
            draft_id=draft.id, base_version=expected, latest_version=latest_v, latest_author=latest_by, plan=plan)

    # --- helpers shared by the mixins ---------------------------------------------------------------
    @staticmethod
    def _workspace(s: Session, name: str) -> Workspace:
        found = s.exec(select(Workspace).where(Workspace.name == name)).first()
        if found is None:
            found = Workspace(name=name)
            s.add(found)
            s.flush()
        return found

    @staticmethod
    def _campaign(s: Session, campaign_id: int) -> Campaign:
        camp = s.get(Campaign, campaign_id)
        if camp is None:
            raise InputError(f"no campaign {campaign_id}; `nextads campaigns list` shows the ids")
        return camp

    @staticmethod
    def _latest(s: Session, campaign_id: int) -> PlanVersion | None:
        q = select(PlanVersion).where(PlanVersion.campaign_id == campaign_id)
        return s.exec(q.order_by(col(PlanVersion.version).desc()).limit(1)).first()


def _campaign_name(name: str) -> str:
    """A campaign name: one line, 1-120 characters."""
    name = " ".join(str(name).split())
    if not name:
        raise InputError("campaign name: type a name (it cannot be empty)")
    if len(name) > 120:
        raise InputError(f"campaign name: at most 120 characters, got {len(name)}")
    return name
