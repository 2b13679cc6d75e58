"""Feedback per plan version (bulk import without double counting) and learned preferences (versioned rows)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from ..errors import InputError
from ..schemas import FeedbackEvent, LearnedPreferences
from .tables import AuditEntry, Campaign, FeedbackRecord, LearnedPreferenceRecord, PlanVersion
from .validate import validated

_RESET = "reset by a person"
COPY_PLANNED = "copy planned"


class LearningMixin:
    # --- feedback per version ------------------------------------------------------------------------
    def import_feedback(self, campaign_id: int, events: Sequence[FeedbackEvent], *, by: str = "feedback",
                        plan_version: int | None = None) -> tuple[int, int]:
        """Attach events to a campaign's plan versions in one transaction; returns (added, already there).

        An event without a plan_version gets `plan_version` (default: the campaign's latest version); an event
        naming a version the campaign does not have is refused with the line to fix. Impression ids already stored
        for the campaign are skipped, so importing the same file twice counts each impression once.
        """
        events = [validated(FeedbackEvent, e, "feedback event") for e in events]

        def work(s: Session) -> tuple[int, int]:
            self._campaign(s, campaign_id)
            versions = set(s.exec(select(PlanVersion.version).where(PlanVersion.campaign_id == campaign_id)))
            if not versions:
                raise InputError(f"campaign {campaign_id} has no plan yet; feedback belongs to a plan version")
            default = plan_version if plan_version is not None else max(versions)
            if default not in versions:
                raise InputError(f"campaign {campaign_id} has no plan version {default} "
                                 f"(it has {', '.join(map(str, sorted(versions)))})")
            seen = set(s.exec(select(FeedbackRecord.impression_id).where(FeedbackRecord.campaign_id == campaign_id)))
            added = skipped = 0
            for n, event in enumerate(events, 1):
                version = event.plan_version if event.plan_version is not None else default
                if version not in versions:
                    raise InputError(f"feedback item {n} ({event.impression_id}): campaign {campaign_id} has no plan "
                                     f"version {version} (it has {', '.join(map(str, sorted(versions)))})")
                if event.impression_id in seen:
                    skipped += 1
                    continue
                seen.add(event.impression_id)
                stored = event.model_copy(update={"plan_version": version})
                s.add(FeedbackRecord(campaign_id=campaign_id, impression_id=event.impression_id,
                                     plan_version=version, data=stored.model_dump(mode="json")))
                added += 1
            self._audit(s, "feedback_imported", by, campaign_id, added=added, skipped=skipped)
            return added, skipped

        return self._tx(work)

    def feedback_by_version(self, campaign_id: int, since_id: int = 0) -> dict[int | None, list[FeedbackEvent]]:
        """The campaign's feedback events grouped by plan version (None: events recorded without one); only
        events stored after row `since_id` when given."""
        q = select(FeedbackRecord).where(FeedbackRecord.campaign_id == campaign_id, FeedbackRecord.id > since_id)
        q = q.order_by(FeedbackRecord.id)
        out: dict[int | None, list[FeedbackEvent]] = {}
        for row in self._read(lambda s: list(s.exec(q).all())):
            out.setdefault(row.plan_version, []).append(row.event)
        return out

    def campaigns_of(self, user_id: str) -> list[Campaign]:
        """Every campaign made for one audience member, oldest first."""
        q = select(Campaign).where(Campaign.audience_user_id == user_id).order_by(Campaign.id)
        return self._read(lambda s: list(s.exec(q).all()))

    # --- copy memory: the angles and hooks a person was shown lately ----------------------------------
    def remember_copy(self, user_id: str, product_id: str, framework: str, hook: str, *, by: str = "director") -> None:
        """Note one plan's framework and hook, so the next plan for this person (any process) opens differently."""
        self.record(COPY_PLANNED, by, None, user_id=user_id, product_id=product_id, framework=framework, hook=hook)

    def recent_copy(self, user_id: str, limit: int = 8, scan: int = 500) -> list[dict]:
        """The person's last `limit` remembered plans (framework, hook, product_id), oldest first; looks through
        the latest `scan` copy notes of all people."""
        q = (select(AuditEntry).where(AuditEntry.action == COPY_PLANNED).order_by(col(AuditEntry.id).desc())
             .limit(scan))
        rows = self._read(lambda s: list(s.exec(q).all()))
        mine = [dict(r.detail) for r in rows if (r.detail or {}).get("user_id") == user_id][:limit]
        return mine[::-1]

    # --- learned preferences ------------------------------------------------------------------------
    def learned_preferences(self, user_id: str) -> LearnedPreferences | None:
        """The person's current learned preferences (None when nothing was ever learned or after a reset)."""
        row = self._read(lambda s: self._latest_learned(s, user_id))
        if row is None:
            return None
        prefs = row.preferences
        return None if prefs.empty else prefs

    def feedback_seen_at_reset(self, user_id: str) -> int:
        """The last feedback row id stored when the person last reset what was learned (0: never reset); learning
        starts after it, so a reset is not undone by re-reading the same feedback."""
        q = select(LearnedPreferenceRecord).where(LearnedPreferenceRecord.user_id == user_id,
                                                  LearnedPreferenceRecord.reason == _RESET)
        row = self._read(lambda s: s.exec(q.order_by(col(LearnedPreferenceRecord.version).desc()).limit(1)).first())
        return int(row.data.get("note", "reset 0").split()[-1]) if row else 0

    def learned_preference_versions(self, user_id: str) -> list[LearnedPreferenceRecord]:
        """Every version, oldest first (a reset is a version with nothing in it)."""
        q = select(LearnedPreferenceRecord).where(LearnedPreferenceRecord.user_id == user_id)
        return self._read(lambda s: list(s.exec(q.order_by(LearnedPreferenceRecord.version)).all()))

    def save_learned_preferences(self, prefs: LearnedPreferences, *, by: str = "reflector",
                                 reason: str = "learned from feedback") -> LearnedPreferences:
        """Append a new version (the stored copy carries its version number)."""
        prefs = validated(LearnedPreferences, prefs, "learned preferences")
        return self._tx(lambda s: self._append_learned(s, prefs, by, reason))

    def reset_learned_preferences(self, user_id: str, *, by: str = "") -> LearnedPreferences:
        """Forget what was learned: a new, empty version (the old ones stay in the history)."""
        def work(s: Session) -> LearnedPreferences:
            last = s.exec(select(FeedbackRecord.id).order_by(col(FeedbackRecord.id).desc()).limit(1)).first() or 0
            empty = LearnedPreferences(user_id=user_id, note=f"reset after feedback {last}")
            return self._append_learned(s, empty, by, _RESET)

        return self._tx(work)

    def _append_learned(self, s: Session, prefs: LearnedPreferences, by: str, reason: str) -> LearnedPreferences:
        latest = self._latest_learned(s, prefs.user_id)
        version = (latest.version if latest else 0) + 1
        stored = prefs.model_copy(update={"version": version})
        s.add(LearnedPreferenceRecord(user_id=prefs.user_id, version=version, author=by, reason=reason,
                                      data=stored.model_dump(mode="json")))
        self._audit(s, "learned_preferences_saved", by, None, user_id=prefs.user_id, version=version,
                    reason=reason)
        return stored

    @staticmethod
    def _latest_learned(s: Session, user_id: str) -> LearnedPreferenceRecord | None:
        q = select(LearnedPreferenceRecord).where(LearnedPreferenceRecord.user_id == user_id)
        return s.exec(q.order_by(col(LearnedPreferenceRecord.version).desc()).limit(1)).first()
