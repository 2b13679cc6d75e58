"""Build PCG-Bench / PCI-Bench manifests from note (Qilin) or video (MicroLens) histories.

Selection criteria (the paper: users with "distinctive and consistent preferences"), all configurable:
- enough history: at least `min_items` notes or history videos (the reference pipeline needs 5);
- a dominant tier: the strongest interest holds at least `min_dominant_share` of the history;
- consistency: the strong tier's items sit close to their centroid (mean cosine >= `min_consistency`).
Users are ranked by dominant_share x consistency; the top `n_users` are kept. Each is paired with the `n_products`
library products most compatible with its strong or medium tier (cosine of tier theme + summary + keywords to the
product description; sensitive themes never count). PCI takes the last video as host and the rest as history.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..schemas import Product, UserHistory, UserProfile
from .manifest import BenchManifest, BenchPair, BenchUser, hash_source

log = logging.getLogger(__name__)

DEFAULT_CRITERIA = {"min_items": 5, "min_dominant_share": 0.3, "min_consistency": 0.2, "n_users": 50,
                    "n_products": 5}


def load_histories(source: Path) -> dict[str, UserHistory]:
    """Every user in a Qilin CSV, a Qilin parquet folder or a MicroLens-style folder."""
    from ..library import read_microlens, read_qilin_csv

    if source.is_file() and source.suffix.lower() == ".csv":
        return read_qilin_csv(source)
    if source.is_dir() and (source / "users.json").exists():
        return read_microlens(source)
    if source.is_dir() and any(source.glob("*.parquet")):
        return _read_qilin_parquet(source)
    raise InputError(f"{source}: expected a Qilin CSV, a folder of Qilin parquet tables, or a MicroLens-style "
                     "folder with users.json")


def _read_qilin_parquet(folder: Path) -> dict[str, UserHistory]:
    """Qilin's notes / recommendation_train / user_feat parquet tables joined into histories."""
    try:
        import pandas as pd

        notes = pd.read_parquet(_one(folder, "notes"))
        recs = pd.read_parquet(_one(folder, "recommendation_train"))
        feats = pd.read_parquet(_one(folder, "user_feat"))
    except ImportError:
        raise InputError("reading parquet needs pyarrow: pip install pyarrow") from None
    from ..library import resolve_within
    from ..schemas import Note

    by_idx = {str(r.note_idx): r for r in notes.itertuples()}
    feat = {str(r.user_idx): r for r in feats.itertuples()}
    histories = {}
    for row in recs.itertuples():
        items = []
        for idx in list(row.recent_clicked_note_idxs)[-60:]:
            n = by_idx.get(str(idx))
            if n is None:
                continue
            paths = [str(resolve_within(folder, p)) for p in str(getattr(n, "image_path", "") or "").split("|") if p]
            items.append(Note(note_idx=str(idx), title=str(n.note_title or ""), content=str(n.note_content or ""),
                              image_paths=[p for p in paths if Path(p).exists()]))
        if items:
            f = feat.get(str(row.user_idx))
            histories[str(row.user_idx)] = UserHistory(
                user_id=str(row.user_idx), kind="notes", notes=items, source=str(folder),
                gender=str(getattr(f, "gender", "")) if f is not None else None,
                age=str(getattr(f, "age", "")) if f is not None else None)
    return histories


def _one(folder: Path, stem: str) -> Path:
    hits = sorted(folder.glob(f"{stem}*.parquet"))
    if not hits:
        raise InputError(f"{folder}: missing the {stem}.parquet table")
    return hits[0]


def _item_texts(history: UserHistory, ids: Sequence[str]) -> list[str]:
    if history.kind == "notes":
        by = {n.note_idx: f"{n.title}. {n.content}"[:700] for n in history.notes}
    else:
        by = {v.vid: v.title for v in history.videos}
    return [by[i] for i in ids if i in by]


def _consistency(embedder, texts: list[str]) -> float:
    if len(texts) < 2:
        return 0.0
    vecs = embedder.embed(texts)
    centroid = vecs.mean(axis=0)
    centroid /= np.linalg.norm(centroid) + 1e-9
    return float((vecs @ centroid).mean())


def compatibility(embedder, profile: UserProfile, products: Sequence[Product]) -> np.ndarray:
    """Per product, the best cosine between a strong/medium (non-sensitive) tier and the product."""
    excluded = {s.lower() for s in profile.excluded_sensitive}
    tiers = [i for i in profile.interests if i.tier in ("strong", "medium")
             and not any(s in f"{i.theme} {i.summary}".lower() for s in excluded)]
    if not tiers or not products:
        return np.zeros(len(products))
    tier_vecs = embedder.embed([f"{i.theme}. {i.summary} {' '.join(i.keywords)}" for i in tiers])
    prod_vecs = embedder.embed([p.describe() + " " + " ".join(p.keywords) for p in products])
    return (prod_vecs @ tier_vecs.T).max(axis=1)


def build_suite(suite: str, source: Path, studio, criteria: dict | None = None) -> BenchManifest:
    """Select users and pair each with its most compatible products."""
    crit = {**DEFAULT_CRITERIA, **(criteria or {})}
    histories = load_histories(source)
    if suite == "pci" and any(h.kind != "videos" for h in histories.values()):
        raise InputError("PCI-Bench needs video histories (a MicroLens-style folder); got note histories")
    if suite == "pcg" and any(h.kind != "notes" for h in histories.values()):
        raise InputError("PCG-Bench needs note histories (a Qilin CSV or parquet folder); got video histories")
    products = studio.library.products
    users, candidates = [], []
    for uid, history in sorted(histories.items()):
        n_items = len(history.notes) if history.kind == "notes" else len(history.videos)
        if n_items < crit["min_items"]:
            continue
        profile = studio.director.build_profile(history)
        strong = profile.tier("strong")
        if strong is None or strong.share < crit["min_dominant_share"]:
            continue
        consistency = _consistency(studio.embedder, _item_texts(history, strong.evidence))
        if consistency < crit["min_consistency"]:
            continue
        users.append(BenchUser(user_id=uid, n_items=n_items, dominant_share=strong.share,
                               consistency=round(consistency, 4), history_hash=profile.history_hash))
        candidates.append((strong.share * consistency, uid, profile, history))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    keep = {uid for _, uid, _, _ in candidates[: int(crit["n_users"])]}
    pairs = []
    for _, uid, profile, history in sorted(candidates, key=lambda c: c[1]):
        if uid not in keep:
            continue
        scores = compatibility(studio.embedder, profile, products)
        order = sorted(range(len(products)), key=lambda i: (-scores[i], products[i].product_id))
        host = history.host_video.video_path if (suite == "pci" and history.host_video) else None
        for i in order[: int(crit["n_products"])]:
            pairs.append(BenchPair(pair_id=f"{uid}__{products[i].product_id}", user_id=uid,
                                   product_id=products[i].product_id, compatibility=round(float(scores[i]), 4),
                                   host_video=host))
    if not pairs:
        raise InputError(f"{source}: no user meets the selection criteria {crit}")
    return BenchManifest(suite=suite, source=str(source), source_hash=hash_source(source), criteria=crit,
                         users=[u for u in users if u.user_id in keep], pairs=pairs)
