"""Shared studio for the UI tests: one Studio (models load once), one planned and rendered session."""

from __future__ import annotations

import socket

import pytest

from nextads_studio.settings import Settings
from nextads_studio.studio import Studio
from nextads_studio.ui import actions
from nextads_studio.ui.session import Session

DURATION = 6  # short clips keep the suite fast; nothing here checks resolution
RESOLUTION = 360


@pytest.fixture(scope="session")
def studio(tmp_path_factory) -> Studio:
    data = tmp_path_factory.mktemp("ui_data")
    return Studio(Settings(data_dir=data, require_login=False))


@pytest.fixture(scope="session")
def demo_user(studio) -> str:
    return actions.default_user(studio)


@pytest.fixture(scope="session")
def demo_product(studio) -> str:
    return actions.products(studio)[0].product_id


def new_campaign(studio, user_id: str, product_id: str) -> Session:
    """A fresh session with a 6 s plan stored as version 1 of its own campaign (tests that edit don't collide)."""
    from nextads_studio.ui import audience, plan

    sess, *_ = audience.on_user(studio, Session(), user_id)
    sess, status, *_ = plan.on_plan(studio, sess, user_id, product_id, "pcg", None, DURATION, "9:16")
    assert sess.plan is not None, status
    return sess


def render_and_verify(studio, sess: Session) -> Session:
    """Render at 360p preview (the Producer's scene cache makes repeats cheap) and verify."""
    from nextads_studio.ui import produce, verify

    sess, video, files, _, status = produce.on_render(studio, sess, "9:16", RESOLUTION, "preview")
    assert video, status
    sess, *_ = verify.on_verify(studio, sess)
    return sess


@pytest.fixture(scope="session")
def planned(studio, demo_user, demo_product) -> Session:
    return new_campaign(studio, demo_user, demo_product)


@pytest.fixture(scope="session")
def rendered(studio, demo_user, demo_product) -> Session:
    return render_and_verify(studio, new_campaign(studio, demo_user, demo_product))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
