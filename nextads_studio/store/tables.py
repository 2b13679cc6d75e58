"""The studio's tables (the schema after every migration in migrations.py has run).

`table=True` models do not validate, so every write goes through the pydantic contracts first and JSON
columns hold `model_dump(mode="json")`; readers rebuild the contract with `model_validate`.
Datetimes are tz-aware UTC (sqlmodel maps `datetime` to UTCDateTime).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import JSON, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from ..schemas import (
    Creative,
    CreativePlan,
    DirectiveAdapter,
    FeedbackEvent,
    LearnedPreferences,
    Product,
    UserHistory,
    Verdict,
)

JSONType = JSON().with_variant(JSONB(), "postgresql")
Role = Literal["editor", "approver", "admin"]
ROLES: tuple[str, ...] = ("editor", "approver", "admin")
APPROVER_ROLES = frozenset({"approver", "admin"})


def utcnow() -> datetime:
    return datetime.now(UTC)


def _json() -> Any:
    return Field(default_factory=dict, sa_type=JSONType)


class Workspace(SQLModel, table=True):
    __tablename__ = "workspaces"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    created_at: datetime = Field(default_factory=utcnow)


class StudioUser(SQLModel, table=True):
    """A person who signs in to the studio. `password_hash` is an argon2id hash, never the password."""

    __tablename__ = "studio_users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True)
    password_hash: str = Field(repr=False)
    role: str = "editor"
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None

    @property
    def can_approve(self) -> bool:
        return self.role in APPROVER_ROLES


class AudienceMember(SQLModel, table=True):
    __tablename__ = "audience_members"
    user_id: str = Field(primary_key=True)
    kind: str
    data: dict[str, Any] = _json()
    updated_at: datetime = Field(default_factory=utcnow)

    def history(self) -> UserHistory:
        return UserHistory.model_validate(self.data)


class ProductRecord(SQLModel, table=True):
    __tablename__ = "products"
    product_id: str = Field(primary_key=True)
    name: str
    data: dict[str, Any] = _json()
    updated_at: datetime = Field(default_factory=utcnow)

    def product(self) -> Product:
        return Product.model_validate(self.data)


class Campaign(SQLModel, table=True):
    """One ad for one person (or everyone, generic mode) and one product. status: draft|approved|rejected."""

    __tablename__ = "campaigns"
    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspaces.id")
    name: str = ""
    plan_id: str | None = None
    audience_user_id: str | None = Field(default=None, foreign_key="audience_members.user_id")
    product_id: str = Field(foreign_key="products.product_id")
    task: str = "pcg"
    mode: str = "nextads"
    status: str = "draft"
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlanVersion(SQLModel, table=True):
    """An immutable plan version. Editing creates a new row; rows are never updated."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("campaign_id", "version", name="uq_plan_versions_campaign_version"),)
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    version: int
    parent_version: int | None = None
    author: str = ""
    content_hash: str = ""
    note: str = ""
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def plan(self) -> CreativePlan:
        return CreativePlan.model_validate(self.data)


class PlanDraft(SQLModel, table=True):
    """An edit that lost an optimistic version check; kept so nothing a person typed is lost."""

    __tablename__ = "plan_drafts"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    base_version: int | None = None
    latest_version: int | None = None
    author: str = ""
    reason: str = ""
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def plan(self) -> CreativePlan:
        return CreativePlan.model_validate(self.data)


class CreativeRecord(SQLModel, table=True):
    __tablename__ = "creatives"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    plan_version: int
    video_sha256: str = ""
    ai_label: bool = True
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def creative(self) -> Creative:
        return Creative.model_validate(self.data)


class CreativeFile(SQLModel, table=True):
    """A file of a creative (video, srt, integrated), stored once under its sha256 in the blob store."""

    __tablename__ = "creative_files"
    id: int | None = Field(default=None, primary_key=True)
    creative_id: int = Field(foreign_key="creatives.id", index=True)
    role: str
    sha256: str = Field(index=True)
    name: str = ""
    size: int = 0


class VerdictRecord(SQLModel, table=True):
    __tablename__ = "verdicts"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    creative_id: int | None = Field(default=None, foreign_key="creatives.id")
    plan_version: int
    decision: str
    has_critical: bool = False
    ai_label: bool = False
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def verdict(self) -> Verdict:
        return Verdict.model_validate(self.data)


class DirectiveRecord(SQLModel, table=True):
    """A Reflector (or human) directive; status proposed -> applied | dismissed, with who and when."""

    __tablename__ = "directives"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    plan_version: int
    verdict_id: int | None = Field(default=None, foreign_key="verdicts.id")
    kind: str
    status: str = "proposed"
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)
    status_by: str | None = None
    status_at: datetime | None = None

    @property
    def directive(self):
        return DirectiveAdapter.validate_python(self.data)


class FeedbackRecord(SQLModel, table=True):
    __tablename__ = "feedback_events"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int | None = Field(default=None, foreign_key="campaigns.id", index=True)
    impression_id: str
    plan_version: int | None = None
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def event(self) -> FeedbackEvent:
        return FeedbackEvent.model_validate(self.data)


class LearnedPreferenceRecord(SQLModel, table=True):
    """One version of what a person's feedback taught (LearnedPreferences); rows are never updated."""

    __tablename__ = "learned_preferences"
    __table_args__ = (UniqueConstraint("user_id", "version", name="uq_learned_preferences_user_version"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: str = Field(index=True)
    version: int
    author: str = ""
    reason: str = ""
    data: dict[str, Any] = _json()
    created_at: datetime = Field(default_factory=utcnow)

    @property
    def preferences(self) -> LearnedPreferences:
        return LearnedPreferences.model_validate(self.data)


class ApprovalEvent(SQLModel, table=True):
    """approve | reject, by whom, when, on which plan version and creative."""

    __tablename__ = "approval_events"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    plan_version: int
    creative_id: int | None = Field(default=None, foreign_key="creatives.id")
    action: str
    user_id: int = Field(foreign_key="studio_users.id")
    username: str
    comment: str = ""
    at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Every write. campaign_id has no foreign key on purpose: the log outlives a deleted campaign."""

    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int | None = Field(default=None, index=True)
    actor: str = ""
    action: str
    detail: dict[str, Any] = _json()
    at: datetime = Field(default_factory=utcnow)


__all__ = [
    "APPROVER_ROLES", "ROLES", "ApprovalEvent", "AudienceMember", "AuditEntry", "Campaign", "CreativeFile",
    "CreativeRecord", "DirectiveRecord", "FeedbackRecord", "JSONType", "LearnedPreferenceRecord", "PlanDraft",
    "PlanVersion", "ProductRecord", "Role", "StudioUser", "VerdictRecord", "Workspace", "utcnow",
]
