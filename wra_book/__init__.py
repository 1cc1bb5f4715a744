"""The book's machinery, beside the package its notebooks import (listed in ``_config.yml``).

Nothing in :mod:`wra` imports this package. Loading ``wra_book`` as a Sphinx
extension loads each feature, every one a small extension of its own with
its own config values:

* :mod:`wra_book.cache`: a damaged execution cache heals (or the build stops saying how to fix it);
* :mod:`wra_book.inputs`: the execution cache keys on each notebook's
  declared tables and the ``wra`` package (with :mod:`wra_book.notebooks`);
* :mod:`wra_book.execute`: the notebooks the cache does not hold are executed side by side,
  before Sphinx reads them;
* :mod:`wra_book.downloads`: each chapter offers its notebook (executed, and
  as source) and its data; the data archive;
* :mod:`wra_book.charts`: each chart once: one plotly figure, its static images (laptop and
  phone, light and dark) exported from it, the interactive chart drawn from it when reached;
* :mod:`wra_book.outputs`: a notebook output with an error or stderr fails the build;
* :mod:`wra_book.stale`: such pages, and notebooks that failed, are read again until they are
  clean; failed pages carry a banner, unused output files are removed (with :mod:`wra_book.pages`);
* :mod:`wra_book.search`: the search keeps the record's Chinese names whole;
* :mod:`wra_book.find`: the tables' and the glossary's filters find a name typed in Chinese, pinyin or
  English (the record's names tables, written into the site with their matcher);
* :mod:`wra_book.glossary`: the ``wra-glossary`` directive, with an index by kind and a filter;
* :mod:`wra_book.answer`: the ``wra-answer`` directive, a chapter's answer in a box under its title;
* :mod:`wra_book.pdf`: the single page ``make pdf`` prints asks for no MathJax it does not need;
* :mod:`wra_book.tables`: long tables sortable and filterable (vendored DataTables, only on their
  pages), a scroll cue for wide tables, citations linked to the bibliography;
* :mod:`wra_book.citation`: how to cite the book, its version and licences, all from ``CITATION.cff``
  (the ``wra-citation`` directive, every page's footer, the data package's metadata);
* :mod:`wra_book.repository`: the repository address, one setting (the repository button, the
  ``wra-install`` directive, README's install block); no sphinx-thebe configuration on the pages;
* :mod:`wra_book.markup`: leaner pages (one-word literals and glued values without their empty wrappers).

:mod:`wra_book.build` runs a build and reads what it executed (for the
rebuild tests and ``make bench``); :mod:`wra_book.chromium` finds the browser;
``vendor/`` holds the plotly.js bundle, DataTables and the Citation File Format schema.
"""

from __future__ import annotations

FEATURES = (
    "cache",
    "inputs",
    "execute",
    "downloads",
    "charts",
    "outputs",
    "search",
    "find",
    "glossary",
    "answer",
    "pdf",
    "tables",
    "citation",
    "repository",
    "markup",
)


def setup(app):
    for feature in FEATURES:
        app.setup_extension(f"wra_book.{feature}")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
