"""Every pyspk module imports only from its own layer or the layers below it."""
from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[3] / "pyspk"

LAYERS = {
    "errors": 0, "conf": 0, "_utils": 0, "version": 0,
    "serde": 1, "rpc": 1, "protocol": 1, "storagelevel": 1, "taskcontext": 1,
    "accumulators": 1, "broadcast": 1, "files": 1,
    "storage": 2, "shuffle": 2,
    "deploy": 3, "executor": 3,
    "scheduler": 4,
    "rdd": 5, "context": 5, "status": 5, "master_url": 0,
    "sql": 6, "ml": 6,
    "ui": 5, "util": 5, "core": 5, "cli": 7, "testing": 7,
}
FORBIDDEN = {"deploy": {"scheduler", "rdd", "sql", "ml", "executor", "context"},
             "executor": {"deploy"}}


def _top(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if parts[0] == "pyspk" and len(parts) > 1 else None


def _modules():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        top = rel.parts[0].removesuffix(".py")
        if top == "__init__" or top == "__main__":
            continue
        yield path, top


@pytest.mark.parametrize("path,top", list(_modules()), ids=lambda v: str(v)[-60:])
def test_imports_go_down(path: pathlib.Path, top: str) -> None:
    assert top in LAYERS, f"{top} has no layer in this test's table"
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            target = _top(name)
            if target is None or target == top:
                continue
            assert target not in FORBIDDEN.get(top, set()), f"{path}: {top} imports {target}"
            assert LAYERS[target] <= LAYERS[top], \
                f"{path.relative_to(ROOT)}: layer {LAYERS[top]} ({top}) imports layer " \
                f"{LAYERS[target]} ({target})"
