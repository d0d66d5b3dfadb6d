"""The layout of generator/: no module imports, however indirectly, a module that imports it back (issue 15).

Imports are read with ast from the source (module level and inside functions alike: a deferred import is still a
dependency), relative and absolute, and the graph of generator's modules must be acyclic. A failure names the cycle.
"""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "generator"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, modules: set[str], root: Path = ROOT) -> set[str]:
    """The modules of generator/ that the file imports."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # "from . import charts" imports the module generator.site.charts; "from .render import x" generator.site.render
            targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in modules else prefix for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in modules:       # generator.extract.names.X -> generator.extract.names
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    files = sorted(root.rglob("*.py"))
    modules = {module_name(f) for f in files}
    return {module_name(f): imports_of(f, modules) for f in files}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as [a, b, ..., a], or None."""
    state: dict[str, int] = {}          # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_generator_has_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 20 and graph["generator.site.render"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle in generator/: " + " -> ".join(cycle)


def test_the_check_finds_and_names_a_cycle(tmp_path):
    pkg = tmp_path / "generator"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import f\n")
    (pkg / "b.py").write_text("def f():\n    from .sub import c\n")
    (pkg / "sub" / "c.py").write_text("from ..a import x\n")
    (pkg / "d.py").write_text("from . import a\nimport generator.sub.c\n")
    files = sorted(pkg.rglob("*.py"))
    modules = {module_name(f, tmp_path) for f in files}
    graph = {module_name(f, tmp_path): imports_of(f, modules, tmp_path) for f in files}
    assert graph["generator.d"] == {"generator.a", "generator.sub.c"}
    assert find_cycle(graph) == ["generator.a", "generator.b", "generator.sub.c", "generator.a"]
    (pkg / "sub" / "c.py").write_text("x = 1\n")
    graph["generator.sub.c"] = set()
    assert find_cycle(graph) is None



# The pipeline's layers, bottom first (README, "Architecture"): a module imports only from its own layer or below.
# The extractor sits beside the site stages: it reads content (the registry) and never the site, nor the site it.
LAYERS = {
    "bottom": 0,     # generator/config.py, files.py, problems.py, folding.py, anchors.py
    "model": 1,      # Plan, Task, Agency, Criterion, Deadline
    "content": 2,    # load -> validate -> resolve into the model
    "extract": 3,    # beside the pipeline
    "site": 3,       # projection, pages, data files, search, feeds
    "publish": 4,    # MkDocs, link check, the atomic swap
    "entry": 5,      # cli.py, __main__.py
}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        return parts[1]
    return "entry" if parts[-1] in ("cli", "__main__") else "bottom"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for module, targets in sorted(graph.items()):
        here = layer_of(module)
        for target in sorted(targets):
            there = layer_of(target)
            if target == "generator" or target == f"generator.{there}":
                continue            # a package's __init__ holds only its docstring
            if LAYERS[there] > LAYERS[here] or (there != here and LAYERS[there] == LAYERS[here]):
                out.append(f"{module} ({here}) imports {target} ({there})")
    return out


def test_generator_is_layered_as_a_pipeline():
    graph = import_graph()
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == {"model", "content", "site", "publish", "extract"}
    assert {layer_of(m) for m in graph} == set(LAYERS)
    assert upward_imports(graph) == []


def test_the_layer_check_finds_an_upward_import():
    graph = import_graph()
    graph["generator.model.domain"] = graph["generator.model.domain"] | {"generator.site.render"}
    graph["generator.extract.names"] = graph["generator.extract.names"] | {"generator.site.search"}
    assert upward_imports(graph) == [
        "generator.extract.names (extract) imports generator.site.search (site)",
        "generator.model.domain (model) imports generator.site.render (site)"]
