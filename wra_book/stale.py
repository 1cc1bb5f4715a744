"""Pages to read again on the next build, whatever the incremental build thinks.

A page that showed a bad output (:mod:`wra_book.outputs`) or whose
notebook's front matter could not be read (:mod:`wra_book.inputs`) is marked
here, so that a warning is never lost to the incremental build: the next
build reads (and executes) the page again until it is clean.
"""

from __future__ import annotations


def docs(env) -> set[str]:
    """The pages marked stale in this environment."""
    if not hasattr(env, "wra_stale_docs"):
        env.wra_stale_docs = set()
    return env.wra_stale_docs


def mark(env, docname: str) -> None:
    docs(env).add(docname)


def _purge(app, env, docname):
    docs(env).discard(docname)


def _merge(app, env, docnames, other):
    docs(env).update(docs(other) & set(docnames))


def _outdated(app, env, added, changed, removed):
    return sorted(d for d in docs(env) if d in env.found_docs and d not in added and d not in changed)


def setup(app):
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-get-outdated", _outdated)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
