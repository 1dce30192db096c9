"""The house rules: retrieval/ is a library without Telegram in three packages whose names show who may import
whom (core imports neither of the others; answering never imports indexing), bot/ reaches it through its facade
(retrieval/__init__.py) only, and no module grows past 400 lines."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "retrieval"
MAX_LINES = 400


def imported(path: Path) -> set[str]:
    """The modules a file imports, as absolute dotted names (relative imports resolved), lazy imports included."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_of(package: str) -> list[Path]:
    return sorted((LIBRARY / package).glob("*.py"))


def test_core_imports_neither_indexing_nor_answering():
    for path in modules_of("core"):
        wrong = {m for m in imported(path) if m.startswith(("retrieval.indexing", "retrieval.answering"))}
        assert not wrong, f"{path.name} imports {sorted(wrong)}"


def test_answering_never_imports_indexing():
    for path in modules_of("answering"):
        wrong = {m for m in imported(path) if m.startswith("retrieval.indexing")}
        assert not wrong, f"{path.name} imports {sorted(wrong)}"


def test_the_front_ends_import_the_library_through_its_facade_only():
    """bot/ names what it uses from `retrieval` itself, lazy imports included, never from its inner modules: the
    library's insides can move without the front ends noticing."""
    inner = []
    for path in sorted((ROOT / "bot").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("retrieval."):
                inner.append(f"{path.name}: from {node.module} import ...")
            elif isinstance(node, ast.Import):
                inner += [f"{path.name}: import {a.name}" for a in node.names if a.name.startswith("retrieval.")]
    assert not inner, inner


def _printed(code: str) -> str:
    """What `code` prints in a fresh interpreter (nothing imported yet)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout


def test_answering_loads_none_of_the_indexing_code():
    code = (
        "import sys, pkgutil, importlib, retrieval.answering as a\n"
        "for m in pkgutil.iter_modules(a.__path__): importlib.import_module('retrieval.answering.' + m.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('retrieval.indexing')))"
    )
    assert _printed(code).strip() == "[]"


def test_the_library_never_imports_telegram_and_search_starts_without_it():
    """retrieval/ is a library without Telegram; `qabot search` does not pay for importing it either."""
    code = (
        "import sys, pkgutil, importlib, retrieval\n"
        "for m in pkgutil.walk_packages(retrieval.__path__, 'retrieval.'): importlib.import_module(m.name)\n"
        "import bot.cli\n"
        "print('telegram' in sys.modules)"
    )
    assert _printed(code).strip() == "False"


def test_no_module_is_over_400_lines():
    long = {
        str(p.relative_to(ROOT)): n
        for folder in ("retrieval", "bot")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


def test_the_names_front_ends_use_are_importable_from_one_place_and_answering_loads_no_indexing():
    code = (
        "import sys, retrieval\n"
        "from retrieval import ask, Reply, passages_for, locate, Index, Answer, InvalidQuery, user_message\n"
        "print(sorted(m for m in sys.modules if m.startswith('retrieval.indexing')))\n"
        "from retrieval import open_index, BuildReport\n"
        "print(all(getattr(retrieval, n) is not None for n in retrieval.__all__))"
    )
    assert _printed(code).split("\n")[:2] == ["[]", "True"]
    from retrieval import _MODULES, _PUBLIC, __all__

    assert sorted(__all__) == sorted([*_PUBLIC, *_MODULES])
