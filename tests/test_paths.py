from pathlib import Path

import pytest

from nextads_studio.errors import InputError
from nextads_studio.paths import child, ensure_within, safe_component


@pytest.mark.parametrize("raw", ["../../../../outside/pwn", "../../x\x00y", "a/b", "..", ".", "", "旅行·建筑", "/etc/passwd"])
def test_unsafe_ids_become_one_component_inside_the_root(tmp_path: Path, raw: str) -> None:
    name = safe_component(raw)
    assert name and "/" not in name and "\x00" not in name and name not in {".", ".."}
    assert not name.startswith(".")
    target = child(tmp_path, raw, "collage.png")
    assert tmp_path.resolve() in target.parents


def test_safe_ids_keep_their_names_and_lookalikes_do_not_collide() -> None:
    assert safe_component("u_nora") == "u_nora"
    assert safe_component("torquemax-drill") == "torquemax-drill"
    assert safe_component("a/b") != safe_component("a_b")


def test_ensure_within_refuses_an_escape_through_a_symlink(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside)
    with pytest.raises(InputError):
        ensure_within(root, root / "link" / "file.png")
    assert ensure_within(root, "sub/file.png") == (root / "sub" / "file.png").resolve()
