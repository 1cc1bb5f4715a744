"""Where the project lives: one setting, and no page naming any other repository.

The project's public repository address is one setting, ``repository: url:``
in ``_config.yml`` (Jupyter Book's own key, which the theme's repository
button reads). While it is empty (today) nothing links to a repository, and
the install instructions say to work in a checkout of the project or from the
data archive. Once it is set:

* the repository button appears on every page (``use_repository_button``
  follows the setting: no button can point nowhere);
* the install instructions name it: the ``wra-install`` directive in the book
  (the preface's *How to rerun it*) and the block between :data:`BEGIN` and
  :data:`END` in README.md, both :func:`install_markdown`. ``python -m
  wra_book.repository`` rewrites README's block; a test fails while README's
  block, CITATION.cff's ``repository-code`` or pyproject.toml's
  ``[project.urls]`` disagree with the setting.

sphinx-thebe, which Jupyter Book always loads, put on every page a launch
configuration naming an unrelated Binder repository of Jupyter's examples,
unused since the book runs no live kernels. Its hooks are disconnected here,
so no page carries it, its script or its stylesheet.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

CONFIG_FILE = "_config.yml"
README = "README.md"
BEGIN = "<!-- install: made from _config.yml (repository: url:) by `python -m wra_book.repository`; do not edit -->"
END = "<!-- /install -->"
#: sphinx-thebe's hooks that put its configuration, script and stylesheet on the pages
THEBE_HOOKS = ("init_thebe_core", "update_thebe_context", "init_thebe_default_config", "st_static_path")
THEBE_FILES = ("sphinx-thebe.css", "sphinx-thebe.js")


def url_from_config(root: Path | str) -> str:
    """The setting: ``repository: url:`` in ``root``'s _config.yml ("" while it is empty)."""
    path = Path(root) / CONFIG_FILE
    if not path.is_file():
        return ""
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str((config.get("repository") or {}).get("url") or "").strip()


def install_markdown(url: str) -> str:
    """How to get the project, in Markdown that README.md and the book read the same way."""
    if url:
        return (
            f"The project's repository is <{url}>. Clone it:\n"
            "\n"
            "```bash\n"
            f"git clone {url} western-route-army\n"
            "cd western-route-army\n"
            "```\n"
        )
    return (
        "The project has no public repository address yet. Work in a checkout of it: the folder that holds "
        "`Makefile`, `pyproject.toml` and `data/`. For the data alone, take the archive `wra-data.zip` from "
        "the book's front page or any chapter's Downloads; it needs none of the code.\n"
    )


def readme_block(url: str) -> str:
    """README.md's install block, markers included."""
    return f"{BEGIN}\n{install_markdown(url)}{END}"


def current_readme_block(text: str) -> str | None:
    """The install block README.md holds now, or None if its markers are missing."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start : end + len(END)]


def write_readme(root: Path | str) -> bool:
    """Rewrite README.md's install block from the setting; True if it changed."""
    path = Path(root) / README
    text = path.read_text(encoding="utf-8")
    old = current_readme_block(text)
    if old is None:
        raise ValueError(f"{path}: no install block ({BEGIN} ... {END}) to rewrite")
    new = text.replace(old, readme_block(url_from_config(root)))
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


class InstallDirective(SphinxDirective):
    """``{wra-install}``: how to get the project, from the repository setting."""

    has_content = False

    def run(self):
        url = self.config.html_theme_options.get("repository_url") or ""
        container = nodes.container(classes=["wra-install"])
        lines = StringList(install_markdown(url).splitlines(), source="wra-install")
        self.state.nested_parse(lines, self.content_offset, container)
        return [container]


def _config_inited(app, config):
    if config.html_theme != "sphinx_book_theme":
        return  # the repository button is the theme's
    options = dict(config.html_theme_options or {})
    # Jupyter Book fills in its own repository when _config.yml names none: the setting wins, empty or not
    url = url_from_config(app.srcdir) if (Path(app.srcdir) / CONFIG_FILE).is_file() else ""
    options["repository_url"] = url
    options["use_repository_button"] = bool(url)
    config.html_theme_options = options


def _drop_thebe(app):
    """Disconnect sphinx-thebe's hooks and drop its stylesheet (it is loaded before this extension)."""
    for listeners in app.events.listeners.values():
        for listener in list(listeners):
            handler = listener.handler
            if getattr(handler, "__module__", "") == "sphinx_thebe" and handler.__name__ in THEBE_HOOKS:
                app.disconnect(listener.id)
    app.registry.css_files = [(name, attrs) for name, attrs in app.registry.css_files if name not in THEBE_FILES]


def setup(app):
    app.add_directive("wra-install", InstallDirective)
    app.connect("config-inited", _config_inited)
    if "sphinx_thebe" in app.extensions:
        _drop_thebe(app)
    else:
        # loaded later (Jupyter Book lists it before this extension; a conf.py may not)
        app.connect("config-inited", lambda app, config: _drop_thebe(app), priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[1]
    changed = write_readme(root)
    print(f"{root / README}: install block {'rewritten' if changed else 'already up to date'}")
    sys.exit(0)
