"""The import graph of apps/: cycles between files, cycles between apps, imports hidden in functions.

    python scripts/import_graph.py            figures and the cycles found
    python scripts/import_graph.py --json     the same as JSON
    python scripts/import_graph.py -v         the hidden imports listed too

tests/core/test_import_graph.py calls figures() and holds the line: no file cycle, the allowed
app pairs, the pinned number of hidden imports.

Only imports of ``apps.*`` count. An import inside a function (or under ``if TYPE_CHECKING``) is
"hidden": it does not run when the module loads, so it cannot make a load-time cycle, but it
is a dependency all the same: cycles are counted with them. Migrations, tests and
``log_types`` modules are left out.

Two kinds of edge are left out of the app pairs (the raw figures, with them, are printed too):

- edges to and from the policy, ``apps.accounts.policy`` (``HUB``): it is the one hub by design,
  it reads every app's models to answer "may this person do this?" and every face asks it, so
  each app would otherwise pair with ``accounts``;
- imports inside an ``AppConfig.ready()`` method (an app's ``apps.py``): Django's way to connect
  an app's signal handlers once the registry is loaded; they are also left out of the hidden
  imports, which they must be.

File cycles are counted on the whole graph, nothing left out.
"""

import ast
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
HUB = "apps.accounts.policy"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _resolve(module, node, is_package):
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join(base + ([node.module] if node.module else []))


def _walk(tree, is_apps_module):
    """(node, hidden, in_ready) for every import.

    hidden: inside a function or a TYPE_CHECKING block; in_ready: inside ``ready()`` of an
    ``apps.py`` module."""
    stack = [(tree, False, False)]
    while stack:
        node, hidden, in_ready = stack.pop()
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            inner = hidden or is_function
            ready = in_ready or (is_apps_module and is_function and getattr(child, "name", "") == "ready")
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                inner = True
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, hidden, in_ready
            stack.append((child, inner, ready))


def graph():
    """modules, the load-time edges, the hidden imports and the ready() imports (pairs of modules)."""
    modules = {}
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts or path.name == "log_types.py":
            continue
        modules[module_name(path)] = path
    edges, hidden, ready = {name: set() for name in modules}, [], []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), str(path))
        is_package = path.name == "__init__.py"
        for node, is_hidden, in_ready in _walk(tree, path.name == "apps.py"):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _resolve(name, node, is_package)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in modules else base)
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if not target.startswith("apps.") or target == name:
                    continue
                if in_ready:
                    ready.append((name, target))
                elif is_hidden:
                    hidden.append((name, target))
                else:
                    edges[name].add(target)
    return modules, edges, hidden, ready


def file_cycles(edges):
    """Strongly connected components of more than one file (Tarjan)."""
    index, low, stack, on_stack, result, counter = {}, {}, [], set(), [], itertools.count()

    def visit(node):
        index[node] = low[node] = next(counter)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


def app_of(module):
    return module.split(".")[1]


def app_pairs(edges):
    """Pairs of apps that import each other."""
    app_edges = {(app_of(a), app_of(b)) for a, targets in edges.items() for b in targets if app_of(a) != app_of(b)}
    return sorted({tuple(sorted(pair)) for pair in app_edges if (pair[1], pair[0]) in app_edges})


def figures():
    modules, edges, hidden, ready = graph()
    everything = {name: set(targets) for name, targets in edges.items()}
    for source, target in hidden + ready:
        everything[source].add(target)
    counted = {
        name: {target for target in targets if target != HUB} if name != HUB else set()
        for name, targets in edges.items()
    }
    for source, target in hidden:
        if HUB not in (source, target):
            counted[source].add(target)
    return {
        "files": len(modules),
        "file_cycles": file_cycles(everything),
        "app_pairs": [list(pair) for pair in app_pairs(counted)],
        "hidden_imports": sorted({f"{a} -> {b}" for a, b in hidden}),
        "ready_imports": sorted({f"{a} -> {b}" for a, b in ready}),
        "raw": {
            "app_pairs": [list(pair) for pair in app_pairs(everything)],
            "hidden_imports": sorted({f"{a} -> {b}" for a, b in hidden + ready}),
        },
    }


if __name__ == "__main__":
    result = figures()
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['files']} files")
        print(f"{len(result['file_cycles'])} file cycles")
        for cycle in result["file_cycles"]:
            print("  ", " <-> ".join(cycle))
        print(
            f"{len(result['app_pairs'])} app pairs importing each other, leaving out the hub ({HUB})"
            f" and ready() imports ({len(result['raw']['app_pairs'])} with them)"
        )
        for pair in result["app_pairs"]:
            print("  ", " <-> ".join(pair))
        print(
            f"{len(result['hidden_imports'])} imports hidden in functions, leaving out"
            f" {len(result['ready_imports'])} in ready() ({len(result['raw']['hidden_imports'])} with them)"
        )
        if "-v" in sys.argv:
            for line in result["hidden_imports"]:
                print("  ", line)
