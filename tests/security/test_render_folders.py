"""Item 6: two sessions rendering the same person x product x version get their own folders and their own videos."""

from __future__ import annotations

from pathlib import Path

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui import actions, audience, plan, produce
from nextads_studio.ui.session import Session


def session(studio, user, product) -> Session:
    sess, *_ = audience.on_user(studio, Session(), user)
    sess, status, *_ = plan.on_plan(studio, sess, user, product, "pcg", None, 6, "9:16")
    assert sess.plan is not None, status
    return sess


def test_two_sessions_never_share_a_render_folder(tmp_path):
    studio = Studio(Settings(data_dir=tmp_path / "data", require_login=False))
    user, product = actions.default_user(studio), actions.products(studio)[0].product_id
    a, b = session(studio, user, product), session(studio, user, product)
    assert a.plan.plan_id == b.plan.plan_id and a.plan.version == b.plan.version  # the same work...
    assert a.campaign_id != b.campaign_id
    assert Path(a.plan.grounding.collage_path) != Path(b.plan.grounding.collage_path)
    a, video_a, files_a, _, status = produce.on_render(studio, a, "9:16", 360, "preview")
    assert video_a, status
    size_a = Path(video_a).stat().st_size
    b, video_b, files_b, _, status = produce.on_render(studio, b, "9:16", 360, "preview")
    assert video_b, status
    assert Path(video_a).parent != Path(video_b).parent  # ...in two folders
    assert Path(video_a).is_file() and Path(video_a).stat().st_size == size_a
    plans = [f for f in files_a + files_b if f.endswith(".json")]
    assert len(set(plans)) == 2 and all(Path(p).parent in (Path(video_a).parent, Path(video_b).parent) for p in plans)
    assert a.creative.plan_hash == a.plan.content_hash() and b.creative.plan_hash == b.plan.content_hash()
