"""The web layer's import rules, read from the source (issue 19 item 8).

- The JSON API (web/api/*) never imports a page module (web/views/*), directly or through
  another module: what both need lives in a neutral module (web/errors.py, web/client.py,
  web/conference_record.py, web/subject_access.py; web/views/helpers.py, the shared helpers,
  knows no page).
- web/extensions.py, web/auth.py and web/api/base.py are in no import circle, counting the
  imports inside functions too (a lazy import only hides a circle), and each imports alone in
  a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
UNTIED = ("web.extensions", "web.auth", "web.api.base")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def web_modules() -> dict[str, Path]:
    return {module_name(p): p for p in WEB.rglob("*.py")
            if "templates" not in p.parts and "__pycache__" not in p.parts}


def imports_of(path: Path, name: str | None = None) -> set[str]:
    """Every module this file imports, anywhere in it (top level or inside a function),
    relative imports resolved; `from pkg import name` also counts pkg.name (kept when that is
    a module). `name` is the file's module name (by default from its path)."""
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    modules = web_modules()
    return {name: {m for m in imports_of(path) if m in modules and m != name}
            for name, path in modules.items()}


# The one module under web/views/ that is not a page: the shared helpers (display name, date
# field, form errors), which know no page; anything may use them.
SHARED = {"web.views.helpers"}
# Packages whose imports inside functions register every page and endpoint (create_app, and
# web/views' register): run by the app factory, not by importing a module, so not followed.
REGISTRARS = {"web", "web.views"}


def reachable(start: str, edges: dict[str, set[str]]) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for nxt in edges.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                if nxt not in REGISTRARS:
                    stack.append(nxt)
    return seen - REGISTRARS


def test_the_api_never_imports_a_page_module():
    # Directly, or through a module it imports (lazy imports too).
    edges = graph()
    offenders = {}
    for name in edges:
        if name != "web.api" and not name.startswith("web.api."):
            continue
        pages = sorted(m for m in reachable(name, edges)
                       if m.startswith("web.views") and m not in SHARED)
        if pages:
            offenders[name] = pages
    assert not offenders, (
        "API modules import page modules (move what they share to a neutral module beside "
        f"them, for example web/conference_record.py): {offenders}")


def test_the_rule_sees_a_lazy_import_of_a_page(tmp_path):
    # The kind of import that used to be there: inside a function, relative, two dots up.
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from ..views.conferences import record_pdf\n")
    assert "web.views.conferences" in imports_of(probe, "web.api.probe")


def cycles_through(start: str, edges: dict[str, set[str]]) -> list[list[str]]:
    """Import paths from `start` back to itself (each a list of modules)."""
    found, stack = [], [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                found.append(path + [start])
            elif nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return found


@pytest.mark.parametrize("module", UNTIED)
def test_no_import_circle_through(module):
    edges = graph()
    assert module in edges
    assert cycles_through(module, edges) == [], f"{module} imports itself back"


def test_the_circle_finder_finds_one():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles_through("a", edges) == [["a", "b", "c", "a"]]
    assert cycles_through("d", edges) == []


@pytest.mark.parametrize("module", UNTIED + ("web.errors", "web.client"))
def test_each_imports_alone_in_a_fresh_interpreter(module):
    done = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_page_reached_through_a_neutral_module_counts():
    edges = {"web.api.x": {"web.shared"}, "web.shared": {"web.views.maps", "web.views.helpers"},
             "web.api.y": {"web"}, "web": {"web.views.maps"}}
    assert reachable("web.api.x", edges) == {"web.shared", "web.views.maps",
                                             "web.views.helpers"}
    assert reachable("web.api.y", edges) == set()  # the app factory is not followed
