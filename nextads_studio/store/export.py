"""Export a campaign to a folder (plans, verdicts, directives, media, manifest with sha256) and validate one.

Layout:  manifest.json, campaign.json, audit.json, plans/plan-v001.json, drafts/draft-N.json,
         creatives/creative-N.json, media/creative-N-video.mp4 (and .srt), verdicts/verdict-N.json,
         directives/directive-N.json. manifest.json lists every other file with its kind, size and sha256.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..atomic import sha256_file
from ..errors import InputError
from ..schemas import Creative, CreativePlan, DirectiveAdapter, Product, UserHistory, Verdict
from .tables import AudienceMember, ProductRecord

FORMAT = "nextads-campaign-export"
FORMAT_VERSION = 1
_SCHEMAS: dict[str, Any] = {
    "plan": CreativePlan.model_validate, "draft": CreativePlan.model_validate,
    "verdict": Verdict.model_validate, "directive": DirectiveAdapter.validate_python,
    "creative": Creative.model_validate,
}


def _row(obj: BaseModel, drop: tuple[str, ...] = ("data",)) -> dict[str, Any]:
    return obj.model_dump(mode="json", exclude=set(drop))


class ExportMixin:
    def export_campaign(self, campaign_id: int, out_dir: Path | str) -> Path:
        """Write the campaign to `out_dir` (must not exist or be empty); media are verified by hash first.

        The folder appears complete or not at all: it is built beside `out_dir` and renamed into place.
        """
        out_dir = Path(out_dir)
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise InputError(f"export: {out_dir} already exists and is not empty; pick a new folder")
        camp = self.get_campaign(campaign_id)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
        try:
            files = self._write_export(camp, tmp)
            manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "campaign_id": campaign_id,
                        "exported_at": datetime.now(UTC).isoformat(), "files": files}
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
            if out_dir.exists():
                out_dir.rmdir()
            os.replace(tmp, out_dir)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return out_dir

    def import_campaign(self, folder: Path | str, author: str = "import") -> int:
        """Re-create an exported campaign (versions, creatives with files, verdicts, directives) as a new one.

        Approvals are not imported: they were made by another studio's users. Returns the new campaign id.
        """
        folder, data = Path(folder), load_export(folder)
        old = data["campaign"]
        camp = self.create_campaign(data["history"] or old["audience_user_id"], data["product"] or old["product_id"],
                                    old["task"], old["mode"], author=author)
        for plan in data["plans"]:
            self.save_plan_version(camp.id, plan, author=author, note=f"imported from {folder.name}")
        creative_ids, verdict_ids = {}, {}
        for c in data["creatives"]:
            rel = json.loads((folder / f"creatives/creative-{c['id']}.json").read_text())
            files = {role: folder / path for role, path in c["files"].items()}
            creative_ids[c["id"]] = self.add_creative(camp.id, c["plan_version"], Creative.model_validate(rel),
                                                      files, by=author).id
        for v in data["verdicts"]:
            verdict = Verdict.model_validate_json((folder / f"verdicts/verdict-{v['id']}.json").read_text())
            verdict_ids[v["id"]] = self.add_verdict(camp.id, verdict, creative_ids.get(v["creative_id"]),
                                                    by=author).id
        for d in data["directives"]:
            body = json.loads((folder / f"directives/directive-{d['id']}.json").read_text())
            row = self.add_directive(camp.id, body, d["plan_version"], verdict_ids.get(d["verdict_id"]), by=author)
            if d["status"] != "proposed":
                self.set_directive_status(row.id, d["status"], d["status_by"] or author)
        return camp.id

    def _write_export(self, camp, root: Path) -> dict[str, dict[str, Any]]:
        cid, files = camp.id, {}

        def put_json(rel: str, kind: str, data: Any) -> None:
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
            files[rel] = {"kind": kind, "size": path.stat().st_size, "sha256": sha256_file(path)}

        for v in self.plan_versions(cid):
            put_json(f"plans/plan-v{v.version:03d}.json", "plan", v.data)
        for d in self.drafts(cid):
            put_json(f"drafts/draft-{d.id}.json", "draft", d.data)
        creatives = []
        for c in self.creatives(cid):
            put_json(f"creatives/creative-{c.id}.json", "creative", c.data)
            media = {}
            for f in self.creative_files(c.id):
                src = self.blobs.verified_path(f.sha256)
                rel = f"media/creative-{c.id}-{f.role}{Path(f.name).suffix or '.bin'}"
                (root / "media").mkdir(exist_ok=True)
                shutil.copyfile(src, root / rel)
                files[rel] = {"kind": f.role, "size": f.size, "sha256": f.sha256}
                media[f.role] = rel
            creatives.append({**_row(c), "files": media})
        verdicts = [_row(v) for v in self.verdicts(cid)]
        for v in self.verdicts(cid):
            put_json(f"verdicts/verdict-{v.id}.json", "verdict", v.data)
        directives = [_row(d) for d in self.directives(cid)]
        for d in self.directives(cid):
            put_json(f"directives/directive-{d.id}.json", "directive", d.data)
        product = self._read(lambda s: s.get(ProductRecord, camp.product_id))
        member = None
        if camp.audience_user_id:
            member = self._read(lambda s: s.get(AudienceMember, camp.audience_user_id))
        put_json("campaign.json", "campaign", {
            "campaign": _row(camp, ()), "product": product.data if product else None,
            "audience_member": member.data if member else None, "creatives": creatives, "verdicts": verdicts,
            "directives": directives, "approvals": [_row(a, ()) for a in self.approvals(cid)],
            "feedback": [_row(f, ()) for f in self.feedback(cid)],
        })
        put_json("audit.json", "audit", [_row(a, ()) for a in self.audit_log(cid)])
        return files


def validate_export(folder: Path | str) -> dict[str, Any]:
    """Check an export: every listed file present with its hash, nothing unlisted, every JSON valid against its
    contract, plan versions 1..n, media readable. Returns a summary; raises InputError listing the problems."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise InputError(f"{folder}: no manifest.json; is this a campaign export?")
    try:
        manifest = json.loads(manifest_path.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(f"{manifest_path}: not valid JSON ({exc})") from exc
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise InputError(f"{manifest_path}: format {manifest.get('format')!r} v{manifest.get('format_version')} "
                         f"is not {FORMAT} v{FORMAT_VERSION}")
    listed: dict[str, dict[str, Any]] = manifest.get("files", {})
    problems = _check_files(folder, listed)
    counts: dict[str, int] = {}
    for rel, meta in sorted(listed.items()):
        counts[meta["kind"]] = counts.get(meta["kind"], 0) + 1
        if (folder / rel).is_file() and meta["kind"] in _SCHEMAS:
            try:
                _SCHEMAS[meta["kind"]](json.loads((folder / rel).read_text()))
            except Exception as exc:  # ValidationError or JSONDecodeError: report, keep checking
                problems.append(f"{rel}: not a valid {meta['kind']}: {str(exc).splitlines()[0]}")
    problems += _check_plan_versions(folder, listed) + _check_media(folder, listed)
    if problems:
        raise InputError(f"{folder}: export is not valid: " + "; ".join(problems[:10]))
    return {"campaign_id": manifest["campaign_id"], "files": len(listed), "counts": counts}


def _check_files(folder: Path, listed: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for rel, meta in listed.items():
        path = folder / rel
        if ".." in Path(rel).parts or not path.is_file():
            problems.append(f"{rel}: listed in the manifest but missing")
        elif sha256_file(path) != meta["sha256"]:
            problems.append(f"{rel}: content does not match its sha256 in the manifest (changed or corrupted)")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"manifest.json"}
    problems += [f"{rel}: present but not listed in the manifest" for rel in sorted(present - set(listed))]
    return problems


def _check_plan_versions(folder: Path, listed: dict[str, dict[str, Any]]) -> list[str]:
    versions = []
    for rel, meta in listed.items():
        if meta["kind"] == "plan" and (folder / rel).is_file():
            try:
                versions.append(json.loads((folder / rel).read_text())["version"])
            except (KeyError, json.JSONDecodeError):
                continue
    expected = list(range(1, len(versions) + 1))
    return [] if sorted(versions) == expected else [f"plan versions {sorted(versions)} are not 1..{len(versions)}"]


def _check_media(folder: Path, listed: dict[str, dict[str, Any]]) -> list[str]:
    problems = []
    for rel, meta in listed.items():
        path = folder / rel
        if meta["kind"] in ("video", "integrated") and path.is_file():
            try:
                from ..media_io import probe

                if probe(path).duration <= 0:
                    problems.append(f"{rel}: video has no duration")
            except Exception as exc:  # an unreadable video is a problem to report, not a crash
                problems.append(f"{rel}: not a readable video ({str(exc).splitlines()[0] if str(exc) else exc!r})")
        elif meta["kind"] == "srt" and path.is_file() and "-->" not in path.read_text(errors="replace"):
            problems.append(f"{rel}: not an SRT file (no cue timings)")
    return problems


def load_export(folder: Path | str) -> dict[str, Any]:
    """A validated export as contracts: product, history, plans (by version), creatives and verdicts."""
    validate_export(folder)
    folder = Path(folder)
    index = json.loads((folder / "campaign.json").read_text())
    manifest = json.loads((folder / "manifest.json").read_text())["files"]
    by_kind: dict[str, list[str]] = {}
    for rel, meta in sorted(manifest.items()):
        by_kind.setdefault(meta["kind"], []).append(rel)
    for c in index["creatives"]:
        strays = [rel for rel in c["files"].values() if rel not in manifest]
        if strays:
            raise InputError(f"{folder}/campaign.json: creative {c['id']} names files not in the manifest: {strays}")
    read = lambda rel: json.loads((folder / rel).read_text())  # noqa: E731
    return {
        "campaign": index["campaign"],
        "product": Product.model_validate(index["product"]) if index["product"] else None,
        "history": UserHistory.model_validate(index["audience_member"]) if index["audience_member"] else None,
        "plans": sorted((CreativePlan.model_validate(read(r)) for r in by_kind.get("plan", [])),
                        key=lambda p: p.version),
        "creatives": index["creatives"], "verdicts": index["verdicts"], "directives": index["directives"],
    }
