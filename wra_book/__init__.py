"""The book's Sphinx machinery, beside the package notebooks import (listed in ``_config.yml``)."""

from __future__ import annotations


def setup(app):
    app.setup_extension("wra_book.inputs")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
