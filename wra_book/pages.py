"""What a build leaves in ``_build/html``: no page that looks current when it is not, no unused file.

Used by :mod:`wra_book.inputs` (pure functions, tested on their own):

* :func:`failure` reads which cell of a notebook raised, and what, from the
  traceback myst-nb records when a notebook fails to execute;
* :func:`summary` is the few lines ``make book`` prints last when the build
  failed (:data:`SUMMARY_FILE`), naming the notebook, the cell and the error;
* :func:`prune_unused` removes figure scripts, images and downloads that no
  page refers to any more (each rebuild of a chart writes new ones);
* :func:`move_reports` takes myst-nb's tracebacks of failed notebooks
  (``reports/``) out of the site, to ``_build/reports/``;
* :func:`write_if_changed` and :func:`copy_if_changed` write a file of the
  site only when its bytes change, so a build that changed nothing writes
  nothing (and what is derived from the site, the PDF, stays current);
* :func:`refresh_static` copies the book's own static files that changed,
  also when no page did (Sphinx then skips copying them).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

#: written next to the HTML output when notebooks failed; ``make book`` prints it last
SUMMARY_FILE = "wra-build-failures.txt"
#: output folders whose files exist only for the pages that refer to them
PRUNED = ("_static/wra/charts", "_images", "_downloads")

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_SOURCE = re.compile(r"^-{10,}\n(.*?)\n-{10,}$", re.DOTALL | re.MULTILINE)
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_REFERENCE = re.compile(r"""(?:src|href|srcset)=["']([^"'#?]+)""")


@dataclass(frozen=True)
class Failure:
    """A notebook that did not execute: where and why."""

    docname: str
    cell: int | None  # 1-based among the notebook's code cells, if found
    line: int | None  # line of the cell's fence in the notebook's source file
    error: str  # "ValueError: deliberate"

    def where(self) -> str:
        if self.cell is None:
            return f"{self.docname}.md"
        return f"{self.docname}.md:{self.line} (code cell {self.cell})"

    def __str__(self) -> str:
        return f"{self.where()}: {self.error}"


def failure(docname: str, notebook_text: str, traceback_text: str) -> Failure:
    """The cell that raised and its error, from the traceback text of a failed execution."""
    text = _ANSI.sub("", traceback_text or "")
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    error = lines[-1] if lines else "the notebook did not execute"
    cell = line = None
    source = _CELL_SOURCE.search(text)
    if source:
        wanted = [s for s in source.group(1).strip().splitlines() if s.strip()]
        for number, match in enumerate(_CODE_CELL.finditer(notebook_text), 1):
            if wanted and wanted[-1].strip() in match.group(1) and wanted[0].strip() in match.group(1):
                cell, line = number, notebook_text.count("\n", 0, match.start()) + 1
                break
    return Failure(docname, cell, line, error[:300])


def summary(failures: list[Failure], reports: str | None = None) -> str:
    """The closing lines of a failed build (at most 15)."""
    head = ["", "The build failed: these pages could not be rebuilt; each is marked as out of date:"]
    body = [f"  {f}" for f in failures[:9]]
    more = [f"  ... and {len(failures) - 9} more"] if len(failures) > 9 else []
    tail = [f"Full tracebacks: {reports}/"] if reports else []
    return "\n".join(head + body + more + tail + ["Fix the cell and run `make book` again.", ""])


def move_reports(outdir: Path | str) -> Path | None:
    """Move ``outdir/reports`` (tracebacks of failed notebooks) next to ``outdir``; return where."""
    outdir = Path(outdir)
    source, target = outdir / "reports", outdir.parent / "reports"
    if not source.is_dir():
        return None
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(source), str(target))
    return target


def _referenced(outdir: Path) -> set[str]:
    """Every output file a page refers to, as a path relative to ``outdir``."""
    used = set()
    for page in outdir.rglob("*.html"):
        base = page.parent
        for target in _REFERENCE.findall(page.read_text(encoding="utf-8", errors="replace")):
            if "://" in target:
                continue
            try:
                used.add((base / unquote(target)).resolve().relative_to(outdir.resolve()).as_posix())
            except ValueError:
                continue
    return used


def prune_unused(outdir: Path | str) -> list[str]:
    """Remove files under :data:`PRUNED` that no page of ``outdir`` refers to; return them."""
    outdir = Path(outdir)
    used = _referenced(outdir)
    removed = []
    for folder in PRUNED:
        root = outdir / folder
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(outdir).as_posix()
            if rel not in used:
                path.unlink()
                removed.append(rel)
        for sub in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
            if not any(sub.iterdir()):
                sub.rmdir()
    return removed


def write_if_changed(target: Path | str, data: bytes | str) -> bool:
    """Write ``data`` to ``target`` unless it already holds exactly that; return whether it wrote."""
    target = Path(target)
    data = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return True


def copy_if_changed(source: Path | str, target: Path | str) -> bool:
    """Copy ``source`` to ``target`` unless ``target`` already holds the same bytes."""
    return write_if_changed(target, Path(source).read_bytes())


def refresh_static(srcdir: Path | str, outdir: Path | str, static_paths) -> list[str]:
    """Copy each plain file of the ``html_static_path`` folders (the book's own ``_static/``) whose
    bytes differ into ``outdir/_static``; return them. Sphinx copies them only when it writes a page,
    so an edited script or stylesheet would otherwise wait for the next edited page."""
    srcdir, target = Path(srcdir), Path(outdir) / "_static"
    copied = []
    for entry in static_paths:
        folder = srcdir / entry
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith("_t")):
            rel = path.relative_to(folder).as_posix()
            if copy_if_changed(path, target / rel):
                copied.append(rel)
    return copied
