"""Persistence for the studio: the only package that opens a database session.

`Store.open(settings)` gives SQLite in data_dir/studio.db (or PostgreSQL via NEXTADS_DATABASE_URL), migrated
in place; files live content-addressed under data_dir/blobs.
"""

from .campaigns import PlanConflict
from .core import Store
from .engine import StoreBusy
from .export import load_export, validate_export
from .files import BlobStore, CorruptArtifact
from .migrations import MIGRATIONS
from .review import ApprovalBlocked
from .tables import (
    ROLES,
    ApprovalEvent,
    AudienceMember,
    AuditEntry,
    Campaign,
    CreativeFile,
    CreativeRecord,
    DirectiveRecord,
    FeedbackRecord,
    LearnedPreferenceRecord,
    PlanDraft,
    PlanVersion,
    ProductRecord,
    StudioUser,
    VerdictRecord,
    Workspace,
)

__all__ = [
    "MIGRATIONS", "ROLES", "ApprovalBlocked", "ApprovalEvent", "AudienceMember", "AuditEntry", "BlobStore",
    "Campaign", "CorruptArtifact", "CreativeFile", "CreativeRecord", "DirectiveRecord", "FeedbackRecord",
    "LearnedPreferenceRecord", "PlanConflict", "PlanDraft", "PlanVersion", "ProductRecord", "Store", "StoreBusy",
    "StudioUser", "VerdictRecord", "Workspace", "load_export", "validate_export",
]
