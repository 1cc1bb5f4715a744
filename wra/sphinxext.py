"""Sphinx extension for the book (listed in ``_config.yml``).

* Copies the vendored partial plotly.js bundle (``wra/vendor/``) into the HTML
  output's ``_static/`` and adds it, once, only to pages that hold a plotly
  chart.
* Moves each chart's data and drawing script out of the page into a small,
  content-addressed script under ``_static/wra/figures/`` (a ``<script src>``,
  which also works from ``file://``), so a page's own HTML stays light.
* Fails the build on a notebook output that shows an error or stderr. A cell
  can finish "successfully" and still show a traceback (an exception inside a
  display formatter, e.g. a figure that cannot be drawn); myst-nb renders it
  silently. Such a page is also re-read on the next build, so a warning is
  never lost to the incremental build.
* Makes the search find Chinese names: with ``html_search_language: zh``
  Sphinx segments Chinese text with jieba; the extension gives jieba a user
  dictionary of the record's names (places' ``name_zh``), written into the
  build folder, so 倪家营子 is indexed as one word.
* The ``wra-glossary`` directive renders the glossary from ``data/glossary.csv``
  (people, organisations, units, terms) and ``data/places.csv`` (places), as
  Sphinx glossaries, one per kind; the page is rebuilt when either file changes.
* Never leaves a page that looks current when it is not. A notebook that
  fails to execute is read again on the next build; its page, and the pages
  that glue numbers from notebooks, carry an "out of date" banner; and the
  build writes a short summary (notebook, cell, error; :mod:`wra.pages`) that
  ``make book`` prints last. Figure scripts, images and downloads that no page
  refers to are removed at the end of every build.
* Keeps the execution cache honest. myst-nb's cache keys on a notebook's code
  cells only, so a changed CSV, bibliography or package module would leave a
  stale page. Each notebook declares the tables it reads in its front matter::

      wra:
        inputs: [strength, places]

  (no declaration means: every table). The extension rewrites the notebook's
  ``wra.setup()`` call, as the build reads it, into
  ``wra.setup(inputs=[...], digest="...")``, where the digest covers the
  declared tables, ``references.bib`` and the package's code. A changed input
  changes the code cell, so exactly the notebooks that depend on it miss the
  cache and execute again; ``env-get-outdated`` makes Sphinx re-read them, and
  the pages that glue their values. At run time ``wra.data.load`` refuses a
  table the notebook did not declare, so a declaration cannot go stale.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import yaml

from dataclasses import dataclass

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from wra import pages, paths
from wra.plotly_html import MARKER

logger = logging.getLogger(__name__)
BAD_OUTPUT_CLASSES = {"traceback": "an error (traceback)", "stderr": "text on stderr"}

PLOTLY_JS = "wra/plotly-basic.min.js"


def plotly_js_source() -> Path:
    return Path(__file__).parent / "vendor" / "plotly-basic.min.js"


def plotly_js_version(path: Path | None = None) -> str:
    """The plotly.js version in the header comment of a bundle."""
    import re

    head = (path or plotly_js_source()).read_text(encoding="utf-8", errors="replace")[:400]
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    if not match:
        raise ValueError(f"no plotly.js version in the header of {path}")
    return match.group(1)


FIGURE_DIR = "wra/figures"
FIGURE_SCRIPT = re.compile(r'<script(?: type="text/javascript")?>\s*(window\.PLOTLYENV.*?Plotly\.newPlot.*?)</script>', re.DOTALL)


def externalise_figures(body: str, write, url) -> str:
    """Replace each inline plotly drawing script by ``<script src>`` of a file holding it.

    ``write(name, text)`` stores a script; ``url(name)`` gives its address from the page.
    """

    def move(match: re.Match) -> str:
        script = match.group(1).strip() + "\n"
        name = hashlib.sha256(script.encode("utf-8")).hexdigest()[:20] + ".js"
        write(name, script)
        return f'<script src="{url(name)}"></script>'

    return FIGURE_SCRIPT.sub(move, body)


def _page_context(app, pagename, templatename, context, doctree):
    body = context.get("body", "")
    if MARKER not in body:
        return
    app.add_js_file(PLOTLY_JS, priority=400)
    folder = Path(app.outdir) / "_static" / FIGURE_DIR
    folder.mkdir(parents=True, exist_ok=True)

    def write(name: str, text: str) -> None:
        target = folder / name
        if not target.exists():
            target.write_text(text, encoding="utf-8")

    context["body"] = externalise_figures(
        body, write, lambda name: context["pathto"](f"_static/{FIGURE_DIR}/{name}", 1)
    )


def _copy_plotly(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / PLOTLY_JS
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), target)


SETUP_CALL = re.compile(r"^(\s*)wra\.setup\(\)[ \t]*$", re.MULTILINE)
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
NOTEBOOK_DIR = "notebooks/"


def declared_inputs(source: str) -> list[str]:
    """The tables a notebook's front matter declares (all tables if none)."""
    match = FRONT_MATTER.match(source)
    meta = yaml.safe_load(match.group(1)) if match else None
    inputs = ((meta or {}).get("wra") or {}).get("inputs")
    if inputs is None:
        return list(paths.TABLES)
    unknown = [name for name in inputs if name not in paths.TABLES]
    if unknown:
        raise ValueError(f"unknown table(s) in wra.inputs: {', '.join(unknown)}; known: {', '.join(paths.TABLES)}")
    return sorted(inputs)


def code_files(root: Path = paths.ROOT) -> list[Path]:
    """Every file of the package a notebook's output can depend on: code and shipped data."""
    return sorted(
        p for p in (root / "wra").rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


def inputs_digest(inputs: list[str], root: Path = paths.ROOT) -> str:
    """A digest of everything a notebook's output depends on besides its own code."""
    digest = hashlib.sha256()
    files = [paths.table_path(name, root) for name in inputs] + [paths.bib_path(root)] + code_files(root)
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def downloads_block(docname: str, inputs: list[str]) -> str:
    """Markdown appended to each chapter: its notebook (executed, and as source) and its data.

    The executed notebook and the data archive are written by :mod:`wra.downloads`
    while the page is written, after this block is read: plain HTML links point at them.
    """
    name = docname.rsplit("/", 1)[-1]
    data = [f"{{download}}`{t}.csv <../data/{t}.csv>`" for t in inputs]
    data.append("{download}`references.bib <../references.bib>`")
    return (
        '\n\n+++ {"wra": "downloads"}\n\n## Downloads\n\n'
        ":::{container} wra-downloads\n"
        f'- **This chapter as a notebook, executed**, with every output: <a href="../_sources/{docname}.ipynb" '
        f'download>{name}.ipynb</a>. It runs in Jupyter, in any folder, wherever the project\'s package is installed; '
        "see {doc}`../book/preface`, *How to rerun it*.\n"
        f"- Its source, a MyST Markdown text notebook (JupyterLab opens it with jupytext): {{download}}`{name}.md <{name}.md>`.\n"
        "- The data it used: " + ", ".join(data) + ". Their columns are described in {doc}`../data/README`.\n"
        '- All the data in one archive (every table, references.bib and the data dictionary): '
        '<a href="../wra-data.zip" download>wra-data.zip</a>.\n'
        ":::\n"
    )


def _is_notebook(docname: str) -> bool:
    return docname.startswith(NOTEBOOK_DIR)


def _digests(env) -> dict:
    if not hasattr(env, "wra_digests"):
        env.wra_digests = {}
    return env.wra_digests


def _source_read(app, docname, source):
    if not _is_notebook(docname):
        return
    text = source[0]
    try:
        inputs = declared_inputs(text)
    except (ValueError, yaml.YAMLError) as exc:
        logger.warning(f"front matter: {exc}", location=docname, type="wra", subtype="inputs")
        _broken(app.env).add(docname)
        return
    digest = inputs_digest(inputs, Path(app.srcdir))
    call = f'wra.setup(inputs={inputs!r}, digest="{digest}")'
    text, count = SETUP_CALL.subn(lambda m: m.group(1) + call, text, count=1)
    if count != 1:
        logger.warning(
            "notebook has no `wra.setup()` line: the build cannot tell when its inputs change",
            location=docname,
            type="wra",
            subtype="inputs",
        )
        _broken(app.env).add(docname)
    source[0] = text + downloads_block(docname, inputs)
    _digests(app.env)[docname] = (inputs, digest)


def search_terms(root: Path = paths.ROOT) -> list[str]:
    """Chinese names the search index should keep whole (from data/places.csv)."""
    import csv

    terms = set()
    path = paths.table_path("places", root)
    if path.exists():
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = (row.get("name_zh") or "").strip()
                # "临泽 (抚彝)" style names: keep each part
                for part in re.split(r"[\s()（）/、]+", name):
                    if len(part) >= 2:
                        terms.add(part)
    return sorted(terms)


def _search_dictionary(app):
    if app.config.html_search_language != "zh":
        return
    target = Path(app.outdir).parent / "wra-search-dict.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("".join(f"{term} 1000 ns\n" for term in search_terms(Path(app.srcdir))), encoding="utf-8")
    app.config.html_search_options = {**(app.config.html_search_options or {}), "dict": str(target)}


GLOSSARY_SECTIONS = (
    ("person", "People"),
    ("organisation", "Organisations"),
    ("unit", "Military units"),
    ("term", "Terms and regions"),
    ("place", "Places"),
)


@dataclass(frozen=True)
class GlossaryEntry:
    """One glossary entry, as plain text straight from the data (never parsed as markup)."""

    kind: str
    term: str
    text: str
    cite_label: str
    cite: str
    sort_name: str


def glossary_entries(root: Path = paths.ROOT) -> list[GlossaryEntry]:
    """An entry for every glossary row and every place, sorted by English name."""
    from wra import data, sources

    entries = []
    bib = paths.bib_path(root)
    for row in data.load("glossary", root).to_dict("records"):
        term = f"{row['term_zh']} {row['english']} ({row['pinyin']})"
        entries.append(GlossaryEntry(row["kind"], term, row["note_en"], "Source", sources.cite(row, bib), row["english"]))
    for row in data.load("places", root).to_dict("records"):
        term = f"{row['name_zh']} {row['name_en']} ({row['name_pinyin']})"
        modern = row.get("modern_name_zh")
        today = f" Today {modern}." if isinstance(modern, str) and modern and modern != row["name_zh"] else ""
        coords = f"{row['lat']:.2f}° N, {row['lon']:.2f}° E ({row['coord_precision'].replace('_', ' ')}, ±{row['uncertainty_km']:g} km)"
        entries.append(GlossaryEntry("place", term, f"{coords}.{today}", "Coordinates", sources.cite(row, bib), row["name_en"]))
    return sorted(entries, key=lambda e: (re.sub(r"^the ", "", e.sort_name.lower()), e.term))


def glossary_item(entry: GlossaryEntry, make_term) -> nodes.definition_list_item:
    """A definition-list item built from docutils text nodes: data text is shown, never parsed.

    ``make_term(text_nodes)`` makes the (cross-referenceable) term node.
    """
    definition = nodes.paragraph(
        "", "", nodes.Text(entry.text + " "), nodes.emphasis("", f"{entry.cite_label}: {entry.cite}.")
    )
    return nodes.definition_list_item("", make_term([nodes.Text(entry.term)]), nodes.definition("", definition))


class DataGlossary(SphinxDirective):
    """``wra-glossary``: the glossary, generated from the data as docutils nodes (no markup parsing)."""

    has_content = False

    def run(self):
        from sphinx import addnodes
        from sphinx.domains.std import make_glossary_term

        root = Path(self.env.srcdir)
        for name in ("glossary", "places"):
            self.env.note_dependency(str(paths.table_path(name, root)))
        self.env.note_dependency(str(paths.bib_path(root)))
        entries = glossary_entries(root)

        def make_term(text_nodes):
            return make_glossary_term(self.env, text_nodes, None, self.env.docname, self.lineno,
                                      node_id=None, document=self.state.document)

        out = []
        for kind, heading in GLOSSARY_SECTIONS:
            items = [glossary_item(e, make_term) for e in entries if e.kind == kind]
            if not items:
                continue
            glossary = addnodes.glossary(sorted=False)  # already sorted by English name
            glossary += nodes.definition_list("", *items, classes=["glossary"])
            out.extend([nodes.rubric(text=heading), glossary])
        return out


def _check_outputs(app, doctree):
    env = app.env
    docname = env.docname
    for node in doctree.findall(nodes.Element):
        classes = set(node.get("classes", ()))
        if "output" not in classes:
            continue
        for cls, what in BAD_OUTPUT_CLASSES.items():
            if cls in classes:
                first = node.astext().strip().splitlines()
                detail = first[-1][:200] if first else ""
                logger.warning(
                    f"a notebook output shows {what}: {detail}",
                    location=node,
                    type="wra",
                    subtype="bad-output",
                )
                _broken(env).add(docname)


def _failures(env) -> dict:
    if not hasattr(env, "wra_failures"):
        env.wra_failures = {}
    return env.wra_failures


def _record_failure(app, doctree):
    """A notebook that did not execute: remember where and why, and read it again next time."""
    from myst_nb.sphinx_ import NbMetadataCollector

    env = app.env
    data = NbMetadataCollector.get_exec_data(env, env.docname) if _is_notebook(env.docname) else None
    if not data or data.get("succeeded", True):
        return
    text = Path(env.doc2path(env.docname)).read_text(encoding="utf-8")
    _failures(env)[env.docname] = pages.failure(env.docname, text, data.get("traceback") or data.get("error") or "")
    _broken(env).add(env.docname)


def _banner(text: str) -> nodes.Element:
    banner = nodes.admonition("", classes=["error", "wra-build-failed"])
    banner += nodes.title("", "This page is out of date")
    banner += nodes.paragraph("", text)
    return banner


def _mark_failed(app, doctree, docname):
    """Put a banner at the top of a page the build could not bring up to date."""
    failures = _failures(app.env)
    if docname in failures:
        text = (f"The last build could not run this chapter's notebook ({failures[docname]}). "
                "Its figures and numbers are missing or stale.")
    elif failures and not _is_notebook(docname) and _uses_glue(app.env, docname):
        text = ("The last build could not run " + ", ".join(sorted(failures)) +
                "; numbers this page takes from it are missing or stale.")
    else:
        return
    sections = list(doctree.findall(nodes.section))
    target = sections[0] if sections else doctree
    target.insert(1 if sections else 0, _banner(text))


def _finish(app, exception):
    """Remove files no page uses; after failed notebooks, write the summary `make book` prints last."""
    outdir = Path(app.outdir)
    summary_file = outdir.parent / pages.SUMMARY_FILE
    summary_file.unlink(missing_ok=True)
    if exception is not None or app.builder.format != "html":
        return
    reports = pages.move_reports(outdir)
    removed = pages.prune_unused(outdir)
    if removed:
        logger.info(f"removed {len(removed)} unused file(s) from the output")
    failures = _failures(app.env)
    if failures:
        where = os.path.relpath(reports, app.srcdir) if reports else None
        summary_file.write_text(pages.summary([failures[d] for d in sorted(failures)], where), encoding="utf-8")


def _broken(env) -> set:
    if not hasattr(env, "wra_broken_docs"):
        env.wra_broken_docs = set()
    return env.wra_broken_docs


def _purge(app, env, docname):
    _broken(env).discard(docname)
    _failures(env).pop(docname, None)
    _digests(env).pop(docname, None)


def _outdated(app, env, added, changed, removed):
    # Pages that showed a bad output last time are read (and executed) again.
    again = {d for d in _broken(env) if d in env.found_docs}
    # Notebooks whose inputs changed since they were last read.
    root = Path(app.srcdir)
    for docname, (inputs, digest) in list(_digests(env).items()):
        if docname in env.found_docs and inputs_digest(inputs, root) != digest:
            again.add(docname)
    # Pages that glue values from another notebook show them again too.
    if again | (set(changed) & set(_digests(env))):
        again |= {d for d in env.found_docs if not _is_notebook(d) and _uses_glue(env, d)}
    return sorted(again - set(added) - set(changed))


def _uses_glue(env, docname: str) -> bool:
    try:
        text = Path(env.doc2path(docname)).read_text(encoding="utf-8")
    except OSError:
        return False
    return "{glue" in text


def _merge(app, env, docnames, other):
    _broken(env).update(_broken(other) & set(docnames))
    _failures(env).update({d: v for d, v in _failures(other).items() if d in docnames})
    _digests(env).update({d: v for d, v in _digests(other).items() if d in docnames})


def setup(app):
    app.add_directive("wra-glossary", DataGlossary)
    app.connect("builder-inited", _search_dictionary)
    app.connect("source-read", _source_read)
    app.connect("doctree-read", _check_outputs)
    app.connect("doctree-read", _record_failure)
    app.connect("doctree-resolved", _mark_failed)
    app.connect("env-purge-doc", _purge)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _copy_plotly)
    app.connect("build-finished", _finish)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
