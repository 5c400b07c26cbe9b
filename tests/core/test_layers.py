"""Imports flow down: the domain records what it published and never reaches up to the status
page, which reads the outbox instead."""

import ast
from pathlib import Path

import clearline

DOMAIN = ["core", "incidents", "updates", "brief", "reviews"]
ABOVE = "clearline.statuspage"


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports, lazy imports inside functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_no_domain_module_imports_the_status_page():
    root = Path(clearline.__file__).parent
    reaching_up = [
        f"{path.relative_to(root.parent)}:{line} imports {name}"
        for app in DOMAIN
        for path in sorted((root / app).rglob("*.py"))
        for line, name in imports_of(path)
        if name == ABOVE or name.startswith(ABOVE + ".")
    ]
    assert reaching_up == []


def test_the_walk_sees_a_lazy_import(tmp_path):
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from clearline.statuspage.snapshot import render\n")
    assert (2, "clearline.statuspage.snapshot") in imports_of(module)
