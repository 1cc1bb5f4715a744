"""Every notebook executes cleanly, outside the book build, and writes nothing into data/."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from wra.record import paths

NOTEBOOKS = sorted((paths.ROOT / "notebooks").glob("*.md"))
NAME = re.compile(r"^\d{2}_[a-z0-9_]+\.md$")


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def toc_files() -> list[str]:
    toc = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts", toc.get("chapters", [])))
    return found


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks/*.md"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_a_named_text_notebook_in_the_toc(path):
    assert NAME.match(path.name), f"{path.name}: notebooks are named NN_topic.md"
    nb = jupytext.read(path)
    assert nb.metadata["jupytext"]["text_representation"]["format_name"] == "myst"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert f"notebooks/{path.stem}" in toc_files(), f"{path.name} is not in _toc.yml"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_without_errors_or_stderr(path, tmp_path):
    before = tree_digest(paths.DATA)
    nb = jupytext.read(path)
    nb = nbformat.from_dict(nb)
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    bad = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "error" or (output.output_type == "stream" and output.name == "stderr"):
                text = output.get("text") or "\n".join(output.get("traceback", []))
                bad.append(f"cell {index}: {output.output_type}: {text[-300:]}")
    assert not bad, "\n".join(bad)
    assert tree_digest(paths.DATA) == before, f"{path.name} wrote into data/"
