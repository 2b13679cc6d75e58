"""Low item: a save without an expected version appends, also when 8 writers save at once (PostgreSQL had some
of them end as "you edited version None" drafts)."""

from __future__ import annotations

import threading

from nextads_studio.store import Store
from tests.store.builders import make_history, make_plan, make_product


def test_eight_concurrent_saves_without_expected_version_all_append(store_settings):
    first = Store.open(store_settings)
    camp = first.create_campaign(make_history(), make_product(), author="ana")
    first.save_plan_version(camp.id, make_plan(), author="ana", expected_version=0)
    stores = [Store.open(store_settings) for _ in range(8)]
    barrier, errors = threading.Barrier(8), []

    def save(st: Store, i: int) -> None:
        try:
            barrier.wait(30)
            st.save_plan_version(camp.id, make_plan(), author=f"w{i}")
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(st, i)) for i, st in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        versions = [v.version for v in first.plan_versions(camp.id)]
        assert versions == list(range(1, 10)) and first.drafts(camp.id) == []
    finally:
        for st in [first, *stores]:
            st.close()
