"""A "Downloads" section at the end of each chapter: its notebook and the data it used.

Appended to every notebook (see :mod:`wra_book.notebooks`) as it is read:
the notebook's own source, the tables its front matter declares and the
bibliography, each a ``{download}`` link, and a link to the data dictionary.
"""

from __future__ import annotations

import posixpath

import yaml

from wra.record import paths
from wra_book import notebooks


def downloads_block(docname: str, inputs: list[str]) -> str:
    """Markdown appended to a chapter ``docname``: its notebook and the data it used, for download."""
    here = posixpath.dirname(docname)

    def rel(path: str) -> str:
        return posixpath.relpath(path, here or ".")

    name = posixpath.basename(docname)
    data = paths.data_dir(".").as_posix()
    files = [f"{{download}}`{name}.md <{name}.md>`"]
    files += [f"{{download}}`{t}.csv <{rel(f'{data}/{t}.csv')}>`" for t in inputs]
    bib = paths.bib_path(".").as_posix()
    files.append(f"{{download}}`{posixpath.basename(bib)} <{rel(bib)}>`")
    return (
        "\n\n+++\n\n## Downloads\n\n"
        "This chapter as a notebook (MyST Markdown; Jupyter opens it with jupytext): "
        + files[0]
        + ". The data it used: "
        + ", ".join(files[1:])
        + f". Their columns are described in {{doc}}`{rel(f'{data}/README')}`.\n"
    )


def _source_read(app, docname, source):
    if not notebooks.is_notebook(app.config, docname):
        return
    try:
        inputs = notebooks.inputs(app.config, source[0])
    except (ValueError, yaml.YAMLError):
        return  # the front matter's error is reported by wra_book.inputs
    source[0] += downloads_block(docname, inputs)


def setup(app):
    app.setup_extension("wra_book.notebooks")
    app.connect("source-read", _source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
