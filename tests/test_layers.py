"""Imports point one way (DESIGN.md, STYLE.md section 5): every module of ``src/shieldcheck`` is
read with ``ast`` (imports at the top and inside functions alike, relative and absolute), and the
module graph must have no circle, no arrow up the layer table, and no private name (``_name``)
taken from another module.

A lazy import inside a function still is a dependency: it only hides a circle from the
interpreter, so it counts here the same as one at the top of the file.
"""

from __future__ import annotations

import ast
import functools
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = "shieldcheck"
ROOT = Path(__file__).resolve().parents[1] / "src" / PACKAGE

# The layer of every module, bottom up; an import may point to its own layer or below, never up.
# A name ending in ".*" covers a package and everything in it.
LAYERS: dict[str, int] = {
    # L0: facts and plumbing every layer reads. ``verdicts``, ``limits``, ``cachekey``, ``atomic`` and
    # ``tomlfile`` are the one-place tables and helpers of the "one place for each fact" work, listed
    # before they arrive on this branch so that their arrival needs no edit here.
    "constants": 0, "errors": 0, "verdicts": 0, "limits": 0, "cachekey": 0, "atomic": 0, "tomlfile": 0,
    # ``folder_kind``: which kind of output a folder holds (the marker every writing command claims it with)
    "folder_kind": 0,
    # L1: the one compiled source; knows no records, names or catalog (imports only L0 and itself).
    "engine.*": 1,
    # L2: records and the models that belong to them. The kill vehicle's record lives in ``vehicles``
    # beside the interceptor it belongs to, so the catalog needs nothing of ``endgame``.
    "earth": 2, "atmosphere": 2, "vehicles": 2, "sensors": 2, "geography": 2, "constellation": 2,
    # L3: data files into records.
    "catalog.*": 3,
    # L4: physics operations on records. ``scipy_flight`` is the independent reference integrator
    # that the tests compare the kernels against: an operation on a Missile, like ``flight``.
    "flight": 4, "aiming": 4, "orbital": 4, "reach": 4, "engagement": 4, "sampling": 4, "launch_areas": 4,
    "scipy_flight": 4,
    # ``trial_flight``: an interceptor test flown from a range; ``watch``: which radars see it (issue 27)
    "trial_flight": 4, "watch": 4,
    # ``space_intercept``: reach from orbit (constellations of space-based interceptors against boosting missiles)
    "space_intercept": 4,
    # ``endgame`` is here, not in L2: ``for_interceptor`` reads an interceptor's kill vehicle from the
    # catalog, and its checks are an operation on the records, run by ``engagement``.
    "endgame": 4,
    # L5: studies: they return results; whoever runs them (CLI, a pipeline) calls the writers.
    "scenario": 5, "assess": 5, "aggregate": 5, "attrition": 5, "guarantee": 5, "footprint": 5, "sweep": 5,
    "early_phase": 5, "verify": 5, "kill_probability": 5,
    # ``burnout_estimate``: a burnout speed estimated from the other side's radar track (issue 27)
    "burnout_estimate": 5,
    # ``treaty``: the 1997 texts' lines and the catalog's interceptors and missiles against them
    "treaty": 5,
    # ``space_study``: what a constellation of space-based interceptors means for a scenario's threat sets
    "space_study": 5,
    # L6: presentation. ``scene`` writes CZML and KML from a study's results, so it is a writer like
    # the report, not a study. There is no top-level ``results`` module: the per-flight summary
    # columns live in ``engine/results.py`` (L1, named by the kernels) and the explorer's loader of
    # assessment folders in ``explorer/results.py`` (L6).
    "report.*": 6, "scene": 6, "explorer.*": 6,
    # L7: the command line and the package's front door (``shieldcheck.fly`` etc. load lazily).
    "cli.*": 7, "_entry": 7, "": 7,
    # L7 too: the public library (one function per command; the command line is a thin layer over it).
    "api.*": 7,
}
LAYER_NAMES = {0: "L0 facts", 1: "L1 engine", 2: "L2 records", 3: "L3 catalog", 4: "L4 operations",
               5: "L5 studies", 6: "L6 presentation", 7: "L7 command line"}

# Circles not yet taken apart, each with why; any circle not listed here fails, and so does an entry
# here that no longer is a circle (delete it).
ALLOWED_CIRCLES: dict[frozenset[str], str] = {}  # none left

# Arrows up the table not yet removed, as (importer, imported): reason. Same rules as above.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {}  # none left

# Private names still taken across modules, as (importer, "module.name"): reason. Same rules as above.
ALLOWED_PRIVATE: dict[tuple[str, str], str] = {}  # none left


@functools.cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), filename=str(path))


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)  # "" is the package itself


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def layer_of(module: str) -> int | None:
    if module in LAYERS:
        return LAYERS[module]
    for key, layer in LAYERS.items():
        if key.endswith(".*") and (module == key[:-2] or module.startswith(key[:-1])):
            return layer
    return None


def _show(module: str) -> str:
    return f"{PACKAGE}.{module}" if module else PACKAGE


class Import:
    """One arrow: ``importer`` needs ``target`` (a module of the package), at ``line``."""

    def __init__(self, importer: str, target: str, line: int, names: tuple[str, ...]):
        self.importer, self.target, self.line, self.names = importer, target, line, names

    def where(self, modules: dict[str, Path]) -> str:
        return f"{modules[self.importer].relative_to(ROOT.parent)}:{self.line}"


def _imports(modules: dict[str, Path]) -> list[Import]:
    """Every import of a package module by another, with the names taken from it."""
    found = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0] if "." in module else ""
        tree = _tree(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                        target = alias.name[len(PACKAGE) + 1:]
                        found.append(Import(module, target, node.lineno, ()))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".") if package else []
                    if node.level > 1:
                        base = base[: len(base) - (node.level - 1)]
                    base = ".".join(base + (node.module.split(".") if node.module else []))
                elif node.module == PACKAGE or (node.module or "").startswith(PACKAGE + "."):
                    base = node.module[len(PACKAGE) + 1:]
                else:
                    continue
                for alias in node.names:
                    submodule = f"{base}.{alias.name}" if base else alias.name
                    if submodule in modules:  # ``from . import flight``: the module itself
                        found.append(Import(module, submodule, node.lineno, ()))
                    else:  # ``from .flight import fly``: a name defined in ``base``
                        found.append(Import(module, base, node.lineno, (alias.name,)))
    return [imp for imp in found if imp.target != imp.importer]


def _private_attributes(modules: dict[str, Path]) -> list[Import]:
    """``alias._name`` where ``alias`` is a package module bound by an import (``P._pack``)."""
    found = []
    for module, path in modules.items():
        tree = _tree(path)
        is_package = path.name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0] if "." in module else ""
        bound: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".") if package else []
                if node.level > 1:
                    base = base[: len(base) - (node.level - 1)]
                base = ".".join(base + (node.module.split(".") if node.module else []))
                for alias in node.names:
                    submodule = f"{base}.{alias.name}" if base else alias.name
                    if submodule in modules:
                        bound[alias.asname or alias.name] = submodule
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(Import(module, bound[node.value.id], node.lineno, (node.attr,)))
    return found


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _one_cycle(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, inside the component."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt_frontier = []
        for node in frontier:
            for nxt in sorted(edges[node] & members):
                if nxt == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return path[::-1] + [start]
                if nxt not in previous:
                    previous[nxt] = node
                    nxt_frontier.append(nxt)
        frontier = nxt_frontier
    return component


@pytest.fixture(scope="module")
def graph():
    modules = _modules()
    imports = _imports(modules)
    return modules, imports


def test_every_module_has_a_layer(graph):
    modules, _ = graph
    missing = [_show(m) for m in modules if layer_of(m) is None]
    assert not missing, f"modules with no layer in tests/test_layers.py LAYERS: {missing}"


def test_no_import_circles(graph):
    modules, imports = graph
    edges: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], str] = {}
    for imp in imports:
        edges[imp.importer].add(imp.target)
        edges[imp.target]
        where.setdefault((imp.importer, imp.target), imp.where(modules))
    circles = _circles(edges)
    problems = []
    for component in circles:
        if frozenset(component) in ALLOWED_CIRCLES:
            continue
        cycle = _one_cycle(component, edges)
        steps = "\n".join(f"    {_show(a)} -> {_show(b)}  ({where[(a, b)]})" for a, b in zip(cycle, cycle[1:]))
        problems.append(f"circle among {', '.join(map(_show, component))}:\n{steps}")
    stale = [sorted(key) for key in ALLOWED_CIRCLES if sorted(key) not in circles]
    problems += [f"ALLOWED_CIRCLES lists {key}, which is no longer a circle: delete the entry" for key in stale]
    assert not problems, "\n".join(problems)


def test_imports_point_down(graph):
    modules, imports = graph
    problems, seen = [], set()
    for imp in imports:
        low, high = layer_of(imp.importer), layer_of(imp.target)
        if low is None or high is None or high <= low or (imp.importer, imp.target) in seen:
            continue
        seen.add((imp.importer, imp.target))
        if (imp.importer, imp.target) in ALLOWED_UPWARD:
            continue
        problems.append(f"{_show(imp.importer)} ({LAYER_NAMES[low]}) imports {_show(imp.target)} "
                        f"({LAYER_NAMES[high]}) at {imp.where(modules)}")
    stale = [key for key in ALLOWED_UPWARD if key not in seen]
    problems += [f"ALLOWED_UPWARD lists {key}, which no longer is imported: delete the entry" for key in stale]
    assert not problems, "imports that point up the layer table:\n" + "\n".join(problems)


def test_no_private_names_across_modules(graph):
    modules, imports = graph
    problems, seen = [], set()
    for imp in imports + _private_attributes(modules):
        for name in imp.names:
            if not name.startswith("_") or name.startswith("__"):
                continue
            key = (imp.importer, f"{imp.target}.{name}" if imp.target else name)
            seen.add(key)
            if key in ALLOWED_PRIVATE:
                continue
            problems.append(f"{_show(imp.importer)} takes private {_show(imp.target)}.{name} at {imp.where(modules)}")
    stale = [key for key in ALLOWED_PRIVATE if key not in seen]
    problems += [f"ALLOWED_PRIVATE lists {key}, which is no longer taken: delete the entry" for key in stale]
    assert not problems, "private names used outside their module:\n" + "\n".join(problems)


def test_the_reader_sees_lazy_and_relative_imports():
    """The graph reader itself: function-level, ``from . import x``, ``from ..x import y``, absolute."""
    modules = _modules()
    arrows = {(imp.importer, imp.target) for imp in _imports(modules)}
    assert ("_entry", "cli") in arrows  # inside main(), so Ctrl-C during loading is caught
    assert ("engine.physics", "constants") in arrows  # from ..constants import ...
    assert ("engine.engage", "engine.physics") in arrows  # from . import physics
    assert ("flight", "engine.pack") in arrows  # from .engine import pack as P
