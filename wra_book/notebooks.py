"""Which documents are the book's notebooks, and what their front matter declares.

Shared by the features that treat notebooks apart (the execution cache's
inputs, the downloads, the stale pages). Config values:

``wra_notebooks`` (default ``"notebooks"``)
    the folder, relative to the source directory, that holds the notebooks;
``wra_front_matter_key`` (default ``"wra"``)
    the front-matter key under which a notebook declares its inputs::

        wra:
          inputs: [strength, places]

    (no declaration means: every table).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from wra.record import paths

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


def declared_inputs(source: str, key: str = "wra") -> list[str]:
    """The tables a notebook's front matter declares under ``key`` (all tables if none).

    Raises ``ValueError`` for a table that does not exist, ``yaml.YAMLError``
    for front matter that is not YAML.
    """
    match = FRONT_MATTER.match(source)
    meta = yaml.safe_load(match.group(1)) if match else None
    inputs = ((meta or {}).get(key) or {}).get("inputs")
    if inputs is None:
        return list(paths.TABLES)
    unknown = [name for name in inputs if name not in paths.TABLES]
    if unknown:
        raise ValueError(f"unknown table(s) in {key}.inputs: {', '.join(unknown)}; known: {', '.join(paths.TABLES)}")
    return sorted(inputs)


def is_notebook(config, docname: str) -> bool:
    """Whether ``docname`` lies in the notebooks folder (``wra_notebooks``)."""
    return docname.startswith(config.wra_notebooks.strip("/") + "/")


def uses_glue(env, docname: str) -> bool:
    """Whether the page ``docname`` glues values from a notebook (a ``{glue`` role or directive)."""
    try:
        text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except OSError:
        return False
    return "{glue" in text


def inputs(config, source: str) -> list[str]:
    """:func:`declared_inputs` under the configured front-matter key."""
    return declared_inputs(source, config.wra_front_matter_key)


def setup(app):
    app.add_config_value("wra_notebooks", "notebooks", "env", types=[str])
    app.add_config_value("wra_front_matter_key", "wra", "env", types=[str])
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
