"""Keep the execution cache honest: a notebook re-executes when what it reads changes.

myst-nb's cache keys on a notebook's code cells only, so a changed CSV,
bibliography or package module would leave a stale page. Each notebook
declares the tables it reads in its front matter (see
:mod:`wra_book.notebooks`)::

    wra:
      inputs: [strength, places]

As the build reads a notebook, this feature rewrites its ``wra.setup()``
call into ``wra.setup(inputs=[...], digest="...")``, where the digest
covers the declared tables, ``references.bib`` and every file of the
packages the notebooks import (config value ``wra_digest_packages``,
default ``["wra"]``: its code and the data it ships; not the book machinery
in ``wra_book/``, nor ``tools/`` or ``tests/``). A changed input changes the
code cell, so exactly the notebooks that depend on it miss the cache and
execute again; ``env-get-outdated`` makes Sphinx re-read them, and the pages
that glue their values. At run time ``wra.record.data.load`` refuses a table
the notebook did not declare, so a declaration cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from sphinx.util import logging

from wra.record import paths
from wra_book import notebooks, stale
from wra_book.keys import digest_files

logger = logging.getLogger(__name__)

SETUP_CALL = re.compile(r"^(\s*)wra\.setup\(\)[ \t]*$", re.MULTILINE)
PACKAGES = ("wra",)


def code_files(root: Path = paths.ROOT, packages=PACKAGES) -> list[Path]:
    """Every file of ``packages`` (folders under ``root``) a notebook's output can depend on:
    code and shipped data, not caches."""
    return sorted(
        p
        for package in packages
        for p in (Path(root) / package).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def inputs_digest(inputs: list[str], root: Path = paths.ROOT, packages=PACKAGES) -> str:
    """A digest of everything a notebook's output depends on besides its own code."""
    root = Path(root)
    files = [paths.table_path(name, root) for name in inputs] + [paths.bib_path(root)] + code_files(root, packages)
    return digest_files(files, root)[:16]


def _digests(env) -> dict:
    if not hasattr(env, "wra_digests"):
        env.wra_digests = {}
    return env.wra_digests


def _source_read(app, docname, source):
    if not notebooks.is_notebook(app.config, docname):
        return
    text = source[0]
    try:
        inputs = notebooks.inputs(app.config, text)
    except (ValueError, yaml.YAMLError) as exc:
        logger.warning(f"front matter: {exc}", location=docname, type="wra", subtype="inputs")
        stale.mark(app.env, docname)
        return
    digest = inputs_digest(inputs, Path(app.srcdir), app.config.wra_digest_packages)
    call = f'wra.setup(inputs={inputs!r}, digest="{digest}")'
    text, count = SETUP_CALL.subn(lambda m: m.group(1) + call, text, count=1)
    if count != 1:
        logger.warning(
            "notebook has no `wra.setup()` line: the build cannot tell when its inputs change",
            location=docname,
            type="wra",
            subtype="inputs",
        )
        stale.mark(app.env, docname)
    source[0] = text
    _digests(app.env)[docname] = (inputs, digest)


def _outdated(app, env, added, changed, removed):
    root = Path(app.srcdir)
    packages = app.config.wra_digest_packages
    # Notebooks whose inputs changed since they were last read.
    again = {
        docname
        for docname, (inputs, digest) in _digests(env).items()
        if docname in env.found_docs and inputs_digest(inputs, root, packages) != digest
    }
    # Pages that glue values from a notebook that is read again show them again too.
    rereads = again | (set(changed) & set(_digests(env))) | {d for d in stale.docs(env) if d in _digests(env)}
    if rereads:
        again |= {d for d in env.found_docs if not notebooks.is_notebook(app.config, d) and notebooks.uses_glue(env, d)}
    return sorted(again - set(added) - set(changed))


def _purge(app, env, docname):
    _digests(env).pop(docname, None)


def _merge(app, env, docnames, other):
    _digests(env).update({d: v for d, v in _digests(other).items() if d in docnames})


def setup(app):
    app.setup_extension("wra_book.notebooks")
    app.setup_extension("wra_book.stale")
    app.add_config_value("wra_digest_packages", list(PACKAGES), "env", types=[list, tuple])
    app.connect("source-read", _source_read)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
