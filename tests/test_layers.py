"""The rooms keep their doors: imports run record -> analysis -> presentation, never back.

Read from every module's syntax tree (so an import inside a function counts
too), then checked once more at run time (so an import made by a library
counts too). See CONTRIBUTING.md.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wra.record import paths

PACKAGE = paths.ROOT / "wra"
PLOTTING = ("matplotlib", "plotly", "IPython")
BOOK = ("sphinx", "docutils", "myst_nb", "wra_book")
#: what each room may not import (a name forbids the module and everything under it)
FORBIDDEN = {
    "wra/record": (*PLOTTING, *BOOK, "html", "wra.analysis", "wra.presentation"),
    "wra/analysis": (*PLOTTING, *BOOK, "html", "wra.presentation"),
    "wra/presentation": BOOK,
    "wra": BOOK,
}
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b")


def modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, by absolute dotted name."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def room(path: Path) -> str:
    rel = path.relative_to(paths.ROOT).parts
    return "/".join(rel[:2]) if len(rel) > 2 else rel[0]


def breaches(path: Path, in_room: str | None = None) -> list[str]:
    forbidden = FORBIDDEN[in_room or room(path)]
    return sorted(n for n in imported(path) if any(n == f or n.startswith(f + ".") for f in forbidden))


@pytest.mark.parametrize("path", modules(PACKAGE), ids=lambda p: p.relative_to(paths.ROOT).as_posix())
def test_no_module_imports_from_a_room_it_may_not(path):
    assert not breaches(path), f"{path.relative_to(paths.ROOT)} imports {breaches(path)}"


def test_the_check_catches_a_backward_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from wra.presentation import style\n    import matplotlib.pyplot as plt\n")
    assert breaches(probe, "wra/analysis") == ["matplotlib.pyplot", "wra.presentation", "wra.presentation.style"]
    assert breaches(probe, "wra/presentation") == []


@pytest.mark.parametrize("path", modules(PACKAGE / "analysis"), ids=lambda p: p.name)
def test_analysis_picks_no_colour(path):
    found = COLOUR.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} names colours {found}: colours live in wra/presentation/style.py"


def test_the_record_and_the_analysis_load_no_plotting_or_book_library():
    names = [
        ".".join(p.relative_to(paths.ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in modules(PACKAGE / "record") + modules(PACKAGE / "analysis")
    ]
    code = (
        "import sys, importlib\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(PLOTTING + BOOK)!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_notebooks_entry_point_loads_no_book_machinery():
    code = (
        "import sys, wra\n"
        "wra.setup()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sphinx', 'docutils', 'wra_book'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_each_chart_is_drawn_once_in_plotly():
    """No chart is drawn twice: the presentation room draws with plotly only (matplotlib only
    finds and reads the CJK font, in style.py: font_manager and ft2font), and no function is one
    library's copy of another's chart."""
    for path in modules(PACKAGE / "presentation"):
        names = imported(path)
        drawing = sorted(
            n
            for n in names
            if n.startswith("matplotlib") and n not in ("matplotlib", "matplotlib.font_manager", "matplotlib.ft2font")
        )
        assert not drawing, f"{path.relative_to(paths.ROOT)} draws with matplotlib: {drawing}"
        if path.name != "style.py":
            assert not any(n.startswith("matplotlib") for n in names), path
        tree = ast.parse(path.read_text(encoding="utf-8"))
        twins = [
            node.name
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and re.search(r"_(mpl|plotly)$", node.name)
        ]
        assert not twins, f"{path.relative_to(paths.ROOT)}: one library's drawing of a chart: {twins}"
