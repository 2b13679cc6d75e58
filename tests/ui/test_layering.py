"""The studio only renders what the campaign core returns: ui/ imports no stage module."""

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "nextads_studio" / "ui"
STAGES = {"director", "producer", "verifier", "reflector", "pipeline", "evolve"}


def test_ui_imports_no_stage_module() -> None:
    found = []
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level >= 2:
                names = [node.module.split(".")[0]]  # from ..reflector import x
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nextads_studio."):
                names = [node.module.split(".")[1]]
            elif isinstance(node, ast.Import):
                names = [a.name.split(".")[1] for a in node.names if a.name.startswith("nextads_studio.")]
            found += [f"{path.name}:{node.lineno} {n}" for n in names if n in STAGES]
    assert found == []
