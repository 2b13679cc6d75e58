"""The Store: the one object that opens database sessions. Repository methods live in the mixins."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ..settings import Settings
from .campaigns import CampaignsMixin
from .engine import WRITE_OPTIONS, create_store_engine, describe_url, with_retry
from .export import ExportMixin
from .files import BlobStore
from .learning import LearningMixin
from .migrations import migrate
from .review import ReviewMixin
from .tables import AuditEntry, utcnow
from .users import UsersMixin

log = logging.getLogger(__name__)
T = TypeVar("T")

class Store(UsersMixin, CampaignsMixin, ReviewMixin, ExportMixin, LearningMixin):
    """Campaigns, plan versions, creatives, verdicts, directives, feedback, approvals, users and the audit log.

    Safe to share between threads: every method runs its own short transaction.
    """

    def __init__(self, engine: Engine, blobs: BlobStore, *, url: str, attempts: int = 3):
        self.engine = engine
        self._writer = engine.execution_options(**WRITE_OPTIONS)
        self.blobs = blobs
        self.url = url
        self.attempts = attempts

    @classmethod
    def open(cls, settings: Settings | None = None, *, busy_timeout_s: float = 5.0, attempts: int = 3,
             run_migrations: bool = True) -> Store:
        """Open (and migrate) the store: SQLite at data_dir/studio.db unless settings.database_url is set."""
        settings = settings or Settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        # An absolute path, so a later chdir (some UI toolkits do) cannot open a second, empty database.
        url = settings.database_url or f"sqlite:///{settings.sqlite_path.resolve()}"
        store = cls(create_store_engine(url, busy_timeout_s), BlobStore(settings.data_dir.resolve() / "blobs"),
                    url=url, attempts=attempts)
        if run_migrations:
            store.migrate()
        store.blobs.sweep_incoming()
        return store

    def migrate(self, upto: str | None = None) -> list[str]:
        """Bring the schema up to date in place; returns the migrations that ran."""
        return with_retry(lambda: migrate(self.engine, upto), attempts=self.attempts, where=self.where)

    def close(self) -> None:
        """Close the database connections (the Store can be used as a context manager)."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        return describe_url(self.url)

    # --- transactions -----------------------------------------------------------------------------
    def _tx(self, work: Callable[[Session], T]) -> T:
        """Run `work(session)` as one transaction and commit; retried from the start while the db is busy."""

        def once() -> T:
            with Session(self._writer, expire_on_commit=False) as session:
                result = work(session)
                session.commit()
                return result

        return with_retry(once, attempts=self.attempts, where=self.where)

    def _read(self, work: Callable[[Session], T]) -> T:
        def once() -> T:
            with Session(self.engine, expire_on_commit=False) as session:
                return work(session)

        return with_retry(once, attempts=self.attempts, where=self.where)

    @staticmethod
    def _audit(session: Session, action: str, actor: str, campaign_id: int | None = None, **detail: Any) -> None:
        session.add(AuditEntry(campaign_id=campaign_id, actor=actor or "", action=action,
                               detail=detail, at=utcnow()))

    def record(self, action: str, actor: str, campaign_id: int | None = None, **detail: Any) -> None:
        """Write one audit entry on its own (for actions outside the store: an explicit import --replace)."""
        self._tx(lambda s: self._audit(s, action, actor, campaign_id, **detail))

    def audit_log(self, campaign_id: int | None = None) -> list[AuditEntry]:
        """Every write, oldest first; all entries when campaign_id is None."""

        def work(s: Session) -> list[AuditEntry]:
            q = select(AuditEntry).order_by(AuditEntry.id)
            if campaign_id is not None:
                q = q.where(AuditEntry.campaign_id == campaign_id)
            return list(s.exec(q).all())

        return self._read(work)

    @property
    def data_dir(self) -> Path:
        return self.blobs.root.parent
