"""Ratchets on the shape of the code, read from the source with `ast` (nothing is imported):

- no module outside migrations is longer than MAX_LINES;
- no two modules import each other, wherever the import stands (at the top or inside a
  function: a lazy import hides a cycle, it does not remove it);
- services never import forms: the checks a service relies on live in the service or in a
  module of their own (e.g. audits/answers.py), which the form may use too.

Each allowlist holds what was already there when the rule came; it may only shrink. An entry
that is no longer needed fails the test too, so it is taken out when its module is fixed.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "accounts",
    "auditportal",
    "cases",
    "audits",
    "surveys",
    "findings",
    "briefings",
    "demo",
    "bench",
    "tests",
)
MAX_LINES = 500

# Modules already past MAX_LINES, with their length then as a ceiling: one may shrink, never
# grow. Empty since the rooms were split by noun (issue 13, build point 3): keep it so.
OVERSIZED: dict[str, int] = {}

# Pairs of modules that import each other (sorted by name). Empty: keep it so.
MUTUAL_IMPORTS: set[tuple[str, str]] = set()

# Service modules that import a forms module.
SERVICES_IMPORTING_FORMS: set[tuple[str, str]] = set()


def project_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the project outside migrations."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported_modules(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body. `from package import x`
    counts as importing the submodule package.x when there is one, else the package."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                targets.add(submodule if submodule in modules else module)
    found = set()
    for target in targets:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def is_service(name: str) -> bool:
    return not name.startswith("tests.") and "services" in name.split(".")


def is_forms(name: str) -> bool:
    parts = name.split(".")
    return parts[-1] == "forms" or parts[-1].endswith("_forms") or "forms" in parts[:-1]


def test_no_module_grows_past_500_lines():
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for path in project_modules().values()
    }

    too_long = [
        f"{module}: {lines} lines (at most {OVERSIZED.get(module, MAX_LINES)})"
        for module, lines in sorted(lengths.items())
        if lines > OVERSIZED.get(module, MAX_LINES)
    ]
    stale = [
        f"{module}: now {lengths[module]} lines or gone, take it off OVERSIZED"
        for module in sorted(OVERSIZED)
        if lengths.get(module, 0) <= MAX_LINES
    ]
    assert too_long + stale == []


def test_no_two_modules_import_each_other():
    graph = import_graph()

    pairs = {(a, b) for a, imported in graph.items() for b in imported if a < b and a in graph[b]}

    assert sorted(pairs - MUTUAL_IMPORTS) == []
    assert sorted(MUTUAL_IMPORTS - pairs) == [], "fixed: take these off MUTUAL_IMPORTS"


def test_services_never_import_forms():
    graph = import_graph()

    found = {
        (module, imported)
        for module, imports in graph.items()
        if is_service(module)
        for imported in imports
        if is_forms(imported)
    }

    assert sorted(found - SERVICES_IMPORTING_FORMS) == []
    assert sorted(SERVICES_IMPORTING_FORMS - found) == [], "fixed: take these off the list"


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones(tmp_path):
    package = tmp_path / "app"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tasks.py").write_text("def run():\n    from .services import go\n")
    (package / "services.py").write_text("from app import tasks\n")
    modules = {
        "app": package / "__init__.py",
        "app.tasks": package / "tasks.py",
        "app.services": package / "services.py",
    }

    tasks_imports = imported_modules("app.tasks", modules["app.tasks"], modules)
    services_imports = imported_modules("app.services", modules["app.services"], modules)

    assert (tasks_imports, services_imports) == ({"app.services"}, {"app.tasks"})
