"""The layers of docs/architecture.md, section 1, read from the code itself.

C++: the folders of the library depend one way, the model's processes
(``model/``, ``include/codev/``) below ``scenario/``, below ``results/``,
below ``state/``, below ``ensemble/``, below the command (``model/cli/``) and the bindings
(``python/src/``): no ``#include`` reaches a higher layer.

Python: the package's modules import one another without a cycle, counting
imports made inside functions (they run too) and leaving out those under
``if TYPE_CHECKING:`` (they never run).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "scenario", "results", "state", "ensemble", "cli", "bindings"]
FOLDERS = ("scenario", "results", "state", "ensemble")


def cpp_layer(path: Path) -> str:
    relative = path.relative_to(ROOT).as_posix()
    if relative.startswith("python/src/"):
        return "bindings"
    if relative.startswith("model/cli/"):
        return "cli"
    for folder in FOLDERS:
        if relative.startswith((f"model/{folder}/", f"include/codev/{folder}/")):
            return folder
    return "core"


def included_layer(name: str) -> str:
    head = name.split("/")[0]
    return head if head in FOLDERS else "core"


def cpp_sources() -> list[Path]:
    patterns = ("model/**/*.cpp", "model/**/*.hpp", "include/codev/**/*.hpp", "python/src/*.cpp", "python/src/*.hpp")
    return sorted({p for pattern in patterns for p in ROOT.glob(pattern)})


def test_every_include_goes_down_the_layers_of_the_library():
    upward = []
    for path in cpp_sources():
        layer = LAYERS.index(cpp_layer(path))
        for name in re.findall(r'#include "codev/([^"]+)"', path.read_text(encoding="utf-8")):
            if LAYERS.index(included_layer(name)) > layer:
                upward.append(f"{path.relative_to(ROOT)} includes codev/{name}")
    assert len(cpp_sources()) > 100
    assert not upward, upward


def test_the_folders_are_the_subsystems_and_mirror_each_other():
    for folder in FOLDERS:
        assert list((ROOT / "model" / folder).glob("*.cpp")), folder
        assert list((ROOT / "include" / "codev" / folder).glob("*.hpp")), folder
        assert list((ROOT / "tests" / "cpp" / folder).glob("*_test.cpp")), folder


def _module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom, modules) -> list[str]:
    """What ``from BASE import a, b`` depends on: ``BASE.a`` where that is a
    module (``from . import x``), else ``BASE`` itself (its ``__init__`` for a
    package). The parent packages Python imports on the way are not counted:
    they are the same for every module of a package."""
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        parent = parts if is_package else parts[:-1]
        parent = parent[: len(parent) - (node.level - 1)]
        base = ".".join(parent + ([node.module] if node.module else []))
    return [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]


def _runtime_nodes(tree: ast.AST):
    """Every node except what sits under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(package: Path) -> dict[str, set[str]]:
    files = {_module_name(p, package): p for p in package.rglob("*.py")}
    modules = set(files) | {_module_name(p, package) for p in package.rglob("*.pyi")}  # compiled: _core
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _runtime_nodes(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(name, path.name == "__init__.py", node, modules)
            graph[name] |= {t for t in targets if t in files and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_lazy_import(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def f():\n    from .a import x\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import y\n")
    (package / "a_user.py").write_text("from .c import z\n")
    assert cycles(import_graph(package)) == [["pkg.a", "pkg.b"]]


def test_the_package_imports_without_a_cycle():
    graph = import_graph(ROOT / "python" / "codev")
    assert len(graph) > 25
    assert cycles(graph) == []
