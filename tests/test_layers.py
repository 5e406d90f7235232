"""Dependencies point one way: interfaces → domain → store → model → settings."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "leadboard"

LAYER = {
    "settings": 0,
    "model": 1,
    "store": 2,
    "metrics": 3,
    "alerts": 3,
    "sources": 3,
    "reports": 3,
    "api": 4,
    "web": 4,
    "client": 4,
    "server": 5,
    "cli": 5,
}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("leadboard.")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("leadboard."):
            found.add(str(node.module))
    return found


def test_every_module_belongs_to_a_layer() -> None:
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    assert parts - {"__init__", "__main__"} <= set(LAYER)


def test_imports_only_point_down() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if own in ("__init__", "__main__"):
            continue
        for module in _imports(path):
            other = _part(module)
            if other == own or other not in LAYER:
                continue
            if LAYER[other] > LAYER[own]:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert wrong == []
