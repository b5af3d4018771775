"""The cluster layer imports only the base and transport layers (and psutil): never the
scheduler, the executor, RDDs or SQL."""
from __future__ import annotations

import ast
from pathlib import Path

import pyspk.deploy

ALLOWED = ("pyspk.errors", "pyspk.conf", "pyspk._utils", "pyspk.rpc", "pyspk.protocol",
           "pyspk.deploy")


def test_deploy_imports_only_lower_layers():
    offenders = []
    for path in Path(pyspk.deploy.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                if name.split(".")[0] == "pyspk" and not name.startswith(ALLOWED):
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
