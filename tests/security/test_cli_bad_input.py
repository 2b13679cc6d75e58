"""Low items: every bad input to the command line ends in one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from PIL import Image

from nextads_studio.cli import main
from nextads_studio.cli._common import explain


def run(capsys, *argv: str) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, (argv, code, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def bad(tmp_path, data_dir) -> Path:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "deep.json").write_text("[" * 5000 + "]" * 5000)
    (folder / "latin1.json").write_bytes('{"plan_id": "café"}'.encode("latin-1"))
    Image.new("RGB", (8, 8)).save(folder / "a.png")
    (folder / "nan.json").write_text('[{"product_name": "X", "product_image": "a.png", "price": NaN}]')
    (folder / "afile").write_text("x")
    ml = folder / "ml"
    (ml / "covers").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(ml / "covers" / "v1.jpg")
    Image.new("RGB", (8, 8)).save(ml / "covers" / "v2.jpg")
    return folder


@pytest.mark.parametrize("argv, says", [
    (("products", "import", "{bad}/deep.json"), "nested too deeply"),
    (("render", "{bad}/deep.json"), "nested too deeply"),
    (("reflect", "{bad}/deep.json", "{bad}/deep.json", "--out", "{bad}/r"), "recursion limit"),
    (("render", "{bad}/latin1.json"), "not UTF-8"),
    (("products", "import", "{bad}/nan.json"), "NaN is not valid JSON"),
    (("products", "import", "{bad}"), "is a folder"),
    (("products", "import", "{bad}/a\x00b.json"), "NUL byte"),
    (("campaigns", "show", "99999999999999999999999"), "too large"),
    (("plan", "--product", "torquemax-drill", "--generic", "--out", "{bad}/afile"), "not a folder"),
])
def test_bad_command_lines_end_in_one_line(capsys, bad, argv, says):
    line = run(capsys, *(a.replace("{bad}", str(bad)) for a in argv))
    assert says in line, line


def test_duration_nan_is_refused_by_the_parser(capsys, bad):
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--product", "torquemax-drill", "--generic", "--duration", "nan", "--out", str(bad / "o")])
    assert exit_.value.code == 2 and "positive number of seconds" in capsys.readouterr().err
    assert not (bad / "o").exists()


@pytest.mark.parametrize("products, titles, says", [
    (5, None, "products must be a list"),
    ([], ["not", "a", "map"], "titles.json: expected a JSON object"),
])
def test_bad_microlens_fields(capsys, bad, products, titles, says):
    ml = bad / "ml"
    (ml / "users.json").write_text(json.dumps([{"user_id": "m1", "vids": ["v1", "v2"], "products": products}]))
    if titles is not None:
        (ml / "titles.json").write_text(json.dumps(titles))
    assert says in run(capsys, "audience", "import", str(ml))


@pytest.mark.parametrize("env, says", [("NEXTADS_PORT", "setting NEXTADS_PORT='abc'"),
                                       ("NEXTADS_MAX_UPLOAD_MB", "setting NEXTADS_MAX_UPLOAD_MB='abc'")])
def test_bad_settings_are_named(capsys, monkeypatch, data_dir, env, says):
    monkeypatch.setenv(env, "abc")
    assert says in run(capsys, "users", "list")


@pytest.mark.parametrize("exc, says", [
    (OSError(errno.ENOSPC, "No space left on device", "/data/runs/x.mp4"), "disk is full while writing"),
    (OSError(errno.EROFS, "Read-only file system", "/data/studio.db"), "read-only"),
    (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
])
def test_system_failures_are_explained(exc, says):
    assert says in explain(exc)
