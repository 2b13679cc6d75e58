"""Creatives (content-addressed files), verdicts, directives, feedback and the approval rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, or_, select

from ..errors import InputError, PermissionDenied
from ..schemas import Creative, DirectiveAdapter, FeedbackEvent, Verdict
from .files import CorruptArtifact
from .tables import (
    APPROVER_ROLES,
    ApprovalEvent,
    Campaign,
    CreativeFile,
    CreativeRecord,
    DirectiveRecord,
    FeedbackRecord,
    PlanVersion,
    StudioUser,
    VerdictRecord,
    utcnow,
)
from .validate import validated

FILE_ROLES = ("video", "srt", "integrated")


class ApprovalBlocked(InputError):
    """The creative breaks an approval rule (critical finding, missing AI label, not verified yet)."""


class ReviewMixin:
    # --- creatives --------------------------------------------------------------------------------
    def add_creative(self, campaign_id: int, plan_version: int, creative: Creative,
                     files: dict[str, Path | str] | None = None, *, by: str = "producer") -> CreativeRecord:
        """Record a render. Its files (default: the creative's video/srt/integrated paths) are copied into
        the content-addressed blob store; the stored Creative points at those copies."""
        creative = validated(Creative, creative, "creative")
        files = dict(files) if files else {r: p for r, p in (("video", creative.video_path),
                                                             ("srt", creative.srt_path),
                                                             ("integrated", creative.integrated_path)) if p}
        if "video" not in files or set(files) - set(FILE_ROLES):
            raise InputError(f"creative files: need a 'video' and only roles {FILE_ROLES}, got {sorted(files)}")
        stored = {role: (*self.blobs.put_file(path), Path(path).name) for role, path in files.items()}
        video_sha = stored["video"][0]
        if creative.sha256 and creative.sha256 != video_sha:
            raise InputError(f"creative.sha256 {creative.sha256[:12]} does not match the video file "
                             f"{files['video']} ({video_sha[:12]})")
        paths = {f"{role}_path": str(self.blobs.path_for(sha)) for role, (sha, _, _) in stored.items()}
        creative = validated(Creative, {**creative.model_dump(mode="json"), **paths, "sha256": video_sha}, "creative")

        def work(s: Session) -> CreativeRecord:
            self._campaign(s, campaign_id)
            self._require_version(s, campaign_id, plan_version)
            row = CreativeRecord(campaign_id=campaign_id, plan_version=plan_version, video_sha256=video_sha,
                                 ai_label=creative.ai_label, data=creative.model_dump(mode="json"))
            s.add(row)
            s.flush()
            for role, (sha, size, name) in stored.items():
                s.add(CreativeFile(creative_id=row.id, role=role, sha256=sha, name=name, size=size))
            self._audit(s, "creative_added", by, campaign_id, creative_id=row.id, plan_version=plan_version,
                        video_sha256=video_sha)
            return row

        return self._tx(work)

    def creatives(self, campaign_id: int) -> list[CreativeRecord]:
        q = select(CreativeRecord).where(CreativeRecord.campaign_id == campaign_id).order_by(CreativeRecord.id)
        return self._read(lambda s: list(s.exec(q).all()))

    def creative_files(self, creative_id: int) -> list[CreativeFile]:
        q = select(CreativeFile).where(CreativeFile.creative_id == creative_id).order_by(CreativeFile.id)
        return self._read(lambda s: list(s.exec(q).all()))

    def creative_file(self, creative_id: int, role: str = "video") -> Path:
        """The path of a creative's file, checked against its hash (CorruptArtifact if it changed)."""
        found = [f for f in self.creative_files(creative_id) if f.role == role]
        if not found:
            raise InputError(f"creative {creative_id} has no {role} file")
        return self.blobs.verified_path(found[0].sha256)

    # --- verdicts and directives --------------------------------------------------------------------
    def add_verdict(self, campaign_id: int, verdict: Verdict, creative_id: int | None = None, *,
                    by: str = "verifier") -> VerdictRecord:
        """Record a Verifier verdict, linked to its creative (by id, by video hash, or the version's latest)."""
        verdict = validated(Verdict, verdict, "verdict")

        def work(s: Session) -> VerdictRecord:
            self._campaign(s, campaign_id)
            creative = self._creative_for(s, campaign_id, verdict, creative_id)
            row = VerdictRecord(campaign_id=campaign_id, creative_id=creative.id if creative else None,
                                plan_version=verdict.plan_version, decision=verdict.decision,
                                has_critical=verdict.has_critical(), ai_label=verdict.ai_label,
                                data=verdict.model_dump(mode="json"))
            s.add(row)
            s.flush()
            self._audit(s, "verdict_added", by, campaign_id, verdict_id=row.id, decision=row.decision,
                        creative_id=row.creative_id, critical=row.has_critical)
            return row

        return self._tx(work)

    def verdicts(self, campaign_id: int) -> list[VerdictRecord]:
        q = select(VerdictRecord).where(VerdictRecord.campaign_id == campaign_id).order_by(VerdictRecord.id)
        return self._read(lambda s: list(s.exec(q).all()))

    def add_directive(self, campaign_id: int, directive: Any, plan_version: int | None = None,
                      verdict_id: int | None = None, *, by: str = "reflector") -> DirectiveRecord:
        """Record a proposed revision directive (any member of the Directive union)."""
        data = _directive_data(directive)

        def work(s: Session) -> DirectiveRecord:
            self._campaign(s, campaign_id)
            latest = self._latest(s, campaign_id)
            version = plan_version or (latest.version if latest else 0)
            self._require_version(s, campaign_id, version)
            row = DirectiveRecord(campaign_id=campaign_id, plan_version=version, verdict_id=verdict_id,
                                  kind=data["kind"], status="proposed", data=data)
            s.add(row)
            s.flush()
            self._audit(s, "directive_proposed", by, campaign_id, directive_id=row.id, kind=row.kind)
            return row

        return self._tx(work)

    def set_directive_status(self, directive_id: int, status: str, by_user: str) -> DirectiveRecord:
        """Mark a directive applied or dismissed, recording who and when."""
        if status not in ("applied", "dismissed"):
            raise InputError(f"directive status must be 'applied' or 'dismissed', not {status!r}")

        def work(s: Session) -> DirectiveRecord:
            row = s.get(DirectiveRecord, directive_id)
            if row is None:
                raise InputError(f"no directive {directive_id}")
            row.status, row.status_by, row.status_at = status, by_user, utcnow()
            s.add(row)
            self._audit(s, f"directive_{status}", by_user, row.campaign_id, directive_id=row.id, kind=row.kind)
            return row

        return self._tx(work)

    def directives(self, campaign_id: int, status: str | None = None) -> list[DirectiveRecord]:
        q = select(DirectiveRecord).where(DirectiveRecord.campaign_id == campaign_id)
        if status:
            q = q.where(DirectiveRecord.status == status)
        return self._read(lambda s: list(s.exec(q.order_by(DirectiveRecord.id)).all()))

    # --- feedback -----------------------------------------------------------------------------------
    def add_feedback(self, event: FeedbackEvent, campaign_id: int | None = None, *,
                     by: str = "feedback") -> FeedbackRecord:
        """Record one impression's signals; the campaign is found from event.plan_id when not given."""
        event = validated(FeedbackEvent, event, "feedback event")

        def work(s: Session) -> FeedbackRecord:
            cid = campaign_id
            if cid is None and event.plan_id:
                camp = s.exec(select(Campaign).where(Campaign.plan_id == event.plan_id)).first()
                cid = camp.id if camp else None
            row = FeedbackRecord(campaign_id=cid, impression_id=event.impression_id,
                                 plan_version=event.plan_version, data=event.model_dump(mode="json"))
            s.add(row)
            s.flush()
            self._audit(s, "feedback_added", by, cid, feedback_id=row.id, impression_id=event.impression_id)
            return row

        return self._tx(work)

    def feedback(self, campaign_id: int) -> list[FeedbackRecord]:
        q = select(FeedbackRecord).where(FeedbackRecord.campaign_id == campaign_id).order_by(FeedbackRecord.id)
        return self._read(lambda s: list(s.exec(q).all()))

    # --- approvals ----------------------------------------------------------------------------------
    def approve(self, campaign_id: int, user: StudioUser | int | str, comment: str = "",
                creative_id: int | None = None) -> ApprovalEvent:
        """Approve the latest plan version's creative. Needs an approver/admin, a verdict without critical
        findings, and the AI label (on the creative and as seen by the Verifier)."""
        return self._decide(campaign_id, user, "approve", comment, creative_id)

    def reject(self, campaign_id: int, user: StudioUser | int | str, comment: str) -> ApprovalEvent:
        """Send the campaign back with a reason (approver/admin only)."""
        if not comment.strip():
            raise InputError("reject: say why in the comment, so the editor knows what to change")
        return self._decide(campaign_id, user, "reject", comment, None)

    def approvals(self, campaign_id: int) -> list[ApprovalEvent]:
        q = select(ApprovalEvent).where(ApprovalEvent.campaign_id == campaign_id).order_by(ApprovalEvent.id)
        return self._read(lambda s: list(s.exec(q).all()))

    def current_approval(self, campaign_id: int) -> ApprovalEvent | None:
        """The approval that still holds (it approved the latest plan version), else None."""

        def work(s: Session) -> ApprovalEvent | None:
            camp, latest = self._campaign(s, campaign_id), self._latest(s, campaign_id)
            q = select(ApprovalEvent).where(ApprovalEvent.campaign_id == campaign_id)
            last = s.exec(q.order_by(col(ApprovalEvent.id).desc()).limit(1)).first()
            ok = camp.status == "approved" and last and latest and last.action == "approve"
            return last if ok and last.plan_version == latest.version else None

        return self._read(work)

    def _decide(self, campaign_id: int, user: Any, action: str, comment: str,
                creative_id: int | None) -> ApprovalEvent:
        def work(s: Session) -> ApprovalEvent | Exception:
            person = self._get_user(s, user)
            camp, latest = self._campaign(s, campaign_id), self._latest(s, campaign_id)
            problem: Exception | None = None
            creative = None
            if person.role not in APPROVER_ROLES:
                problem = PermissionDenied(f"{person.username} is an {person.role}; only an approver or admin "
                                           f"can {action} campaign {campaign_id}")
            elif latest is None:
                problem = InputError(f"campaign {campaign_id} has no plan yet; there is nothing to {action}")
            elif action == "approve":
                creative, problem = self._approvable(s, campaign_id, latest.version, creative_id)
            if problem is not None:
                self._audit(s, f"{action}_refused", person.username, campaign_id, reason=str(problem))
                return problem
            event = ApprovalEvent(campaign_id=campaign_id, plan_version=latest.version,
                                  creative_id=creative.id if creative else None, action=action,
                                  user_id=person.id, username=person.username, comment=comment, at=utcnow())
            camp.status, camp.updated_at = ("approved" if action == "approve" else "rejected"), utcnow()
            s.add_all([event, camp])
            s.flush()
            self._audit(s, f"campaign_{action}d", person.username, campaign_id,
                        plan_version=latest.version, creative_id=event.creative_id, comment=comment)
            return event

        outcome = self._tx(work)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _approvable(self, s: Session, campaign_id: int, version: int,
                    creative_id: int | None) -> tuple[CreativeRecord | None, Exception | None]:
        q = select(CreativeRecord).where(CreativeRecord.campaign_id == campaign_id)
        q = q.where(CreativeRecord.id == creative_id) if creative_id else q.where(CreativeRecord.plan_version == version)
        creative = s.exec(q.order_by(col(CreativeRecord.id).desc()).limit(1)).first()
        if creative is None:
            return None, ApprovalBlocked(f"campaign {campaign_id}: render plan version {version} before approving")
        if creative.plan_version != version:
            return None, ApprovalBlocked(f"creative {creative.id} shows plan version {creative.plan_version}, but the "
                                         f"latest is {version}; render the latest version and verify it")
        if not creative.ai_label:
            return None, ApprovalBlocked(f"creative {creative.id} does not carry the 'AI generated' label; "
                                         "render it with the label before approving")
        for stored in s.exec(select(CreativeFile).where(CreativeFile.creative_id == creative.id)).all():
            try:
                self.blobs.verified_path(stored.sha256)  # what is approved is exactly what was rendered
            except CorruptArtifact as exc:
                return None, ApprovalBlocked(f"creative {creative.id}'s stored {stored.role} file {stored.name} no "
                                             f"longer matches its hash ({exc}); re-render and verify it before "
                                             "approving")
        vq = select(VerdictRecord).where(VerdictRecord.campaign_id == campaign_id, or_(
            VerdictRecord.creative_id == creative.id,
            (col(VerdictRecord.creative_id).is_(None)) & (VerdictRecord.plan_version == version)))
        verdict = s.exec(vq.order_by(col(VerdictRecord.id).desc()).limit(1)).first()
        if verdict is None:
            return None, ApprovalBlocked(f"creative {creative.id} has not been verified; run the Verifier first")
        if verdict.has_critical:
            worst = [f.message for f in verdict.verdict.compliance.findings if f.severity == "critical"]
            return None, ApprovalBlocked(f"creative {creative.id}'s latest verdict has a critical finding: "
                                         f"{'; '.join(worst)}; revise the plan first")
        if not verdict.ai_label:
            return None, ApprovalBlocked(f"the Verifier did not find the AI label on creative {creative.id}; "
                                         "render it with the label and verify again")
        return creative, None

    # --- helpers ------------------------------------------------------------------------------------
    def _require_version(self, s: Session, campaign_id: int, version: int) -> None:
        q = select(PlanVersion.id).where(PlanVersion.campaign_id == campaign_id, PlanVersion.version == version)
        if s.exec(q).first() is None:
            raise InputError(f"campaign {campaign_id} has no plan version {version}; save the plan first")

    @staticmethod
    def _creative_for(s: Session, campaign_id: int, verdict: Verdict,
                      creative_id: int | None) -> CreativeRecord | None:
        q = select(CreativeRecord).where(CreativeRecord.campaign_id == campaign_id)
        if creative_id is not None:
            found = s.exec(q.where(CreativeRecord.id == creative_id)).first()
            if found is None:
                raise InputError(f"campaign {campaign_id} has no creative {creative_id}")
            return found
        if verdict.creative_sha256:
            found = s.exec(q.where(CreativeRecord.video_sha256 == verdict.creative_sha256)
                           .order_by(col(CreativeRecord.id).desc())).first()
            if found is not None:
                return found
        q = q.where(CreativeRecord.plan_version == verdict.plan_version)
        return s.exec(q.order_by(col(CreativeRecord.id).desc()).limit(1)).first()


def _directive_data(directive: Any) -> dict[str, Any]:
    """A directive (object or dict) checked against the Directive union, as JSON-ready data."""
    raw = directive.model_dump(mode="json") if hasattr(directive, "model_dump") else directive
    try:
        return DirectiveAdapter.dump_python(DirectiveAdapter.validate_python(raw), mode="json")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(f"directive: {where}: {first['msg']}") from exc
