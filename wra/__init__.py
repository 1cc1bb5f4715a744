"""wra: the package the book's notebooks import.

Three rooms, imports running one way (see CONTRIBUTING.md):

* :mod:`wra.record`: paths, the data contract, validation, loading, citation;
* :mod:`wra.analysis`: one module per chapter, tables in, plain data out;
* :mod:`wra.presentation`: house style, charts, HTML tables, the plotly renderer.

A notebook starts with ``import wra; wra.setup()``.
"""

from __future__ import annotations

__all__ = ["setup"]


def setup(force: bool = False, *, inputs: list[str] | None = None, digest: str | None = None) -> None:
    """Declare the notebook's inputs, find the data, then apply the house style (once per process).

    Notebooks call plain ``wra.setup()``. During a book build the extension
    :mod:`wra_book.inputs` rewrites that call to pass the tables the notebook
    declared (``inputs``) and a ``digest`` of them; the digest only serves to
    change the cell's code, and so the execution cache's key, when an input
    changes. ``inputs`` makes :func:`wra.record.data.load` refuse any other
    table (:func:`wra.record.data.declare`).

    Then it checks that the data can be found (:func:`wra.record.paths.check_data`),
    records the values the notebook glues when it runs in Jupyter
    (:func:`wra.presentation.notebook.install`) and applies the style
    (:func:`wra.presentation.style.apply`).
    """
    from wra.presentation import notebook, style
    from wra.record import data, paths

    if inputs is not None:
        data.declare(inputs)
    paths.check_data()
    notebook.install()
    style.apply(force)
