"""Schema migrations: an ordered list of named functions, each run once and recorded in `_migrations`.

Each migration spells out its own DDL (frozen here, not derived from tables.py), so a database made by an older
release upgrades in place. Append new migrations at the end; never edit or reorder old ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .engine import WRITE_OPTIONS
from .tables import JSONType

log = logging.getLogger(__name__)
Migration = Callable[[Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []
_LOCK_KEY = 0x6E657874  # PostgreSQL advisory lock id for migrations ("next")


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration; its name is its identity in `_migrations`."""
    MIGRATIONS.append((fn.__name__, fn))
    return fn


def _ts(name: str = "created_at", **kw) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=kw.get("nullable", False))


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True, autoincrement=True)


def _json() -> sa.Column:
    return sa.Column("data", JSONType, nullable=False)


@migration
def m001_initial(conn: Connection) -> None:
    md = sa.MetaData()
    s, i, b = sa.String, sa.Integer, sa.Boolean
    sa.Table("workspaces", md, _id(), sa.Column("name", s, nullable=False, unique=True), _ts())
    sa.Table("studio_users", md, _id(), sa.Column("username", s, nullable=False, unique=True),
             sa.Column("password_hash", s, nullable=False), sa.Column("role", s, nullable=False), _ts())
    sa.Table("audience_members", md, sa.Column("user_id", s, primary_key=True),
             sa.Column("kind", s, nullable=False), _json(), _ts("updated_at"))
    sa.Table("products", md, sa.Column("product_id", s, primary_key=True),
             sa.Column("name", s, nullable=False), _json(), _ts("updated_at"))
    sa.Table("campaigns", md, _id(),
             sa.Column("workspace_id", i, sa.ForeignKey("workspaces.id"), nullable=False),
             sa.Column("plan_id", s), sa.Column("audience_user_id", s, sa.ForeignKey("audience_members.user_id")),
             sa.Column("product_id", s, sa.ForeignKey("products.product_id"), nullable=False),
             sa.Column("task", s, nullable=False), sa.Column("mode", s, nullable=False),
             sa.Column("status", s, nullable=False), sa.Column("created_by", s, nullable=False),
             _ts(), _ts("updated_at"))
    campaign_fk = lambda: sa.Column("campaign_id", i, sa.ForeignKey("campaigns.id"), nullable=False,  # noqa: E731
                                    index=True)
    sa.Table("plan_versions", md, _id(), campaign_fk(), sa.Column("version", i, nullable=False),
             sa.Column("parent_version", i), sa.Column("author", s, nullable=False),
             sa.Column("content_hash", s, nullable=False), _json(), _ts(),
             sa.UniqueConstraint("campaign_id", "version", name="uq_plan_versions_campaign_version"))
    sa.Table("creatives", md, _id(), campaign_fk(), sa.Column("plan_version", i, nullable=False),
             sa.Column("video_sha256", s, nullable=False), sa.Column("ai_label", b, nullable=False), _json(), _ts())
    sa.Table("creative_files", md, _id(),
             sa.Column("creative_id", i, sa.ForeignKey("creatives.id"), nullable=False, index=True),
             sa.Column("role", s, nullable=False), sa.Column("sha256", s, nullable=False, index=True),
             sa.Column("name", s, nullable=False), sa.Column("size", i, nullable=False))
    sa.Table("verdicts", md, _id(), campaign_fk(), sa.Column("creative_id", i, sa.ForeignKey("creatives.id")),
             sa.Column("plan_version", i, nullable=False), sa.Column("decision", s, nullable=False),
             sa.Column("has_critical", b, nullable=False), sa.Column("ai_label", b, nullable=False), _json(), _ts())
    sa.Table("directives", md, _id(), campaign_fk(), sa.Column("plan_version", i, nullable=False),
             sa.Column("verdict_id", i, sa.ForeignKey("verdicts.id")), sa.Column("kind", s, nullable=False),
             sa.Column("status", s, nullable=False), _json(), _ts(), sa.Column("status_by", s),
             _ts("status_at", nullable=True))
    sa.Table("feedback_events", md, _id(),
             sa.Column("campaign_id", i, sa.ForeignKey("campaigns.id"), index=True),
             sa.Column("impression_id", s, nullable=False), _json(), _ts())
    sa.Table("approval_events", md, _id(), campaign_fk(), sa.Column("plan_version", i, nullable=False),
             sa.Column("creative_id", i, sa.ForeignKey("creatives.id")), sa.Column("action", s, nullable=False),
             sa.Column("user_id", i, sa.ForeignKey("studio_users.id"), nullable=False),
             sa.Column("username", s, nullable=False), sa.Column("comment", s, nullable=False), _ts("at"))
    sa.Table("audit_log", md, _id(), sa.Column("campaign_id", i, index=True), sa.Column("actor", s, nullable=False),
             sa.Column("action", s, nullable=False), sa.Column("detail", JSONType, nullable=False), _ts("at"))
    md.create_all(conn)


@migration
def m002_plan_drafts(conn: Connection) -> None:
    """Keep edits that lost a concurrent-edit check, so nothing a person typed is lost."""
    md = sa.MetaData()
    sa.Table("campaigns", md, _id())  # referenced only, already exists
    sa.Table("plan_drafts", md, _id(),
             sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False, index=True),
             sa.Column("base_version", sa.Integer), sa.Column("latest_version", sa.Integer),
             sa.Column("author", sa.String, nullable=False), sa.Column("reason", sa.String, nullable=False),
             _json(), _ts())
    md.tables["plan_drafts"].create(conn)


@migration
def m003_user_last_login(conn: Connection) -> None:
    """Record when a studio user last signed in."""
    col_type = sa.DateTime(timezone=True).compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE studio_users ADD COLUMN last_login_at {col_type}"))


@migration
def m004_feedback_versions_and_learned_preferences(conn: Connection) -> None:
    """Feedback counted per plan version; what a person's feedback taught, as versioned rows (a reset is a row)."""
    conn.execute(sa.text("ALTER TABLE feedback_events ADD COLUMN plan_version INTEGER"))
    conn.execute(sa.text("CREATE INDEX ix_feedback_events_campaign_version ON feedback_events "
                         "(campaign_id, plan_version)"))
    md = sa.MetaData()
    sa.Table("learned_preferences", md, _id(), sa.Column("user_id", sa.String, nullable=False, index=True),
             sa.Column("version", sa.Integer, nullable=False), sa.Column("author", sa.String, nullable=False),
             sa.Column("reason", sa.String, nullable=False), _json(), _ts(),
             sa.UniqueConstraint("user_id", "version", name="uq_learned_preferences_user_version"))
    md.tables["learned_preferences"].create(conn)


@migration
def m005_campaign_name_and_version_note(conn: Connection) -> None:
    """Campaigns get a name people can change; each plan version keeps its change note (who changed what)."""
    conn.execute(sa.text("ALTER TABLE campaigns ADD COLUMN name VARCHAR NOT NULL DEFAULT ''"))
    conn.execute(sa.text("ALTER TABLE plan_versions ADD COLUMN note VARCHAR NOT NULL DEFAULT ''"))


def _ensure_table(conn: Connection) -> None:
    md = sa.MetaData()
    sa.Table("_migrations", md, sa.Column("name", sa.String, primary_key=True),
             sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False))
    md.create_all(conn)


def _done(conn: Connection) -> list[str]:
    return [r[0] for r in conn.execute(sa.text("SELECT name FROM _migrations ORDER BY applied_at, name"))]


def applied(engine: Engine) -> list[str]:
    """Names of the migrations this database has run, in the order they ran."""
    with engine.begin() as conn:
        _ensure_table(conn)
        return _done(conn)


def migrate(engine: Engine, upto: str | None = None) -> list[str]:
    """Run the migrations this database lacks (up to and including `upto`); return the names that ran.

    Safe when two processes open a new database at once: on PostgreSQL an advisory lock serializes them,
    on SQLite each step is a BEGIN IMMEDIATE transaction that re-checks what is already applied.
    """
    ran: list[str] = []
    with engine.connect() as conn:
        conn = conn.execution_options(**WRITE_OPTIONS)
        pg = conn.dialect.name == "postgresql"
        if pg:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
            conn.commit()
        try:
            with conn.begin():
                _ensure_table(conn)
            for name, fn in MIGRATIONS:
                with conn.begin():
                    if name not in _done(conn):
                        fn(conn)
                        conn.execute(sa.text("INSERT INTO _migrations (name, applied_at) VALUES (:n, :t)"),
                                     {"n": name, "t": datetime.now(UTC)})
                        log.info("applied migration %s", name)
                        ran.append(name)
                if name == upto:
                    break
        finally:
            if pg:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                conn.commit()
    return ran
