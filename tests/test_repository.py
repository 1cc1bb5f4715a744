"""Where the project lives: one setting, its install instructions, the repository button, no thebe.

* The setting is ``repository: url:`` in _config.yml. README's install block,
  CITATION.cff's ``repository-code`` and pyproject.toml's ``[project.urls]``
  agree with it (absent while it is empty).
* On tiny books (sphinx.testing, the book's theme): with an address the
  repository button appears and the install instructions name it; without one
  there is no button and no link. sphinx-thebe's configuration is on no page.
* The built book: no thebe configuration, no other project's repository, no
  repository button while the setting is empty, and the preface says where to
  work instead.
"""

from __future__ import annotations

import html as html_lib
import re
import shutil
import tomllib

import pytest
import yaml

from tests.test_wra_book import built, write_book
from wra.record import paths
from wra_book import repository

ROOT = paths.ROOT
# (the theme infers the button's icon from the host: GitHub, GitLab or Bitbucket, else repository_provider)
URL = "https://gitlab.com/example/western-route-army"
THEBE_MARKS = ("x-thebe-config", "binder-examples", "kernelName", "sphinx-thebe", "THEBE_JS_URL")


def test_the_setting_is_in_config_yml():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    # present, even while empty: without the key Jupyter Book would put its own repository in
    assert "url" in config["repository"]
    assert repository.url_from_config(ROOT) == (config["repository"]["url"] or "")
    assert "use_repository_button" not in config["html"], "the button follows the setting"


def test_readme_install_block_follows_the_setting():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    expected = repository.readme_block(repository.url_from_config(ROOT))
    assert repository.current_readme_block(text) == expected, (
        "README.md's install block is out of date: run `.venv/bin/python -m wra_book.repository`"
    )


def test_citation_and_pyproject_name_the_same_address_or_none():
    url = repository.url_from_config(ROOT)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("urls", {})
    named = [("CITATION.cff repository-code", cff.get("repository-code"))]
    named += [(f"pyproject.toml [project.urls] {k}", v) for k, v in urls.items()]
    for where, value in named:
        assert value in (None, url) if url else value is None, f"{where} is {value!r}; the setting is {url!r}"


def test_install_instructions_with_and_without_an_address():
    empty = repository.install_markdown("")
    assert "no public repository address yet" in empty and "http" not in empty and "wra-data.zip" in empty
    given = repository.install_markdown(URL)
    assert f"<{URL}>" in given and f"git clone {URL} " in given


def test_write_readme_rewrites_only_the_block(tmp_path):
    shutil.copy2(ROOT / "README.md", tmp_path / "README.md")
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    (tmp_path / "_config.yml").write_text(re.sub(r'(?m)^  url: ""$', f"  url: {URL}", config), encoding="utf-8")
    assert repository.url_from_config(tmp_path) == URL
    before = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert repository.write_readme(tmp_path)
    after = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert repository.current_readme_block(after) == repository.readme_block(URL)
    assert after.replace(repository.readme_block(URL), "") == before.replace(repository.readme_block(""), "")
    assert not repository.write_readme(tmp_path)  # a second run changes nothing


# --------------------------------------------------------------------------
# Tiny books in the book's theme
# --------------------------------------------------------------------------

THEMED = """
extensions = ["myst_nb", "sphinx_thebe", "wra_book"]
html_theme = "sphinx_book_theme"
html_theme_options = {"repository_url": "https://github.com/executablebooks/jupyter-book"}
"""
PAGE = "# Install\n\n```{wra-install}\n```\n"


def _tiny(make_app, tmp_path, url: str):
    # (THEMED's extensions replace write_book's; its repository_url is the one Jupyter Book fills in)
    root = write_book(tmp_path / "book", {"book/install.md": PAGE}, conf=THEMED)
    (root / "_config.yml").write_text(f'repository:\n  url: "{url}"\n', encoding="utf-8")
    app, _ = built(make_app, root)
    return app, (app.outdir / "book" / "install.html").read_text(encoding="utf-8")


def test_an_address_turns_on_the_button_and_names_itself(make_app, tmp_path):
    _, page = _tiny(make_app, tmp_path, URL)
    assert re.search(rf'<a href="{re.escape(URL)}"[^>]*title="Source repository"', page), "no repository button"
    assert f"git clone {URL} western-route-army" in html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    assert "executablebooks" not in page
    assert not any(mark in page for mark in THEBE_MARKS)


def test_no_address_no_button_no_link(make_app, tmp_path):
    app, page = _tiny(make_app, tmp_path, "")
    assert 'title="Source repository"' not in page
    assert "no public repository address yet" in page
    assert "github.com" not in page and "executablebooks" not in page
    assert not any(mark in page for mark in THEBE_MARKS)
    assert not list((app.outdir / "_static").glob("sphinx-thebe*"))


# --------------------------------------------------------------------------
# The built book
# --------------------------------------------------------------------------


@pytest.mark.book
def test_no_page_carries_thebe_or_another_projects_repository(html_dir):
    from tests.test_book import NOT_PAGES

    pages = [p for p in html_dir.rglob("*.html") if p.relative_to(html_dir).parts[0] not in NOT_PAGES]
    assert len(pages) > 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        found = [m for m in (*THEBE_MARKS, "executablebooks/jupyter-book") if m in text]
        assert not found, (page.relative_to(html_dir), found)
        if not repository.url_from_config(ROOT):
            assert 'title="Source repository"' not in text, page.relative_to(html_dir)
    assert not list((html_dir / "_static").glob("sphinx-thebe*"))


@pytest.mark.book
def test_the_preface_says_where_to_get_the_project(html_dir):
    page = (html_dir / "book" / "preface.html").read_text(encoding="utf-8")
    section = page[page.index('id="how-to-rerun-it"') :]
    block = re.search(r'<div class="wra-install docutils container">(.*?)</div>', section, re.S)
    assert block, "no install instructions under How to rerun it"
    url = repository.url_from_config(ROOT)
    text = re.sub(r"<[^>]+>", "", block.group(1))
    if url:
        assert url in text and "git clone" in text
    else:
        assert "no public repository address yet" in text and "href" not in block.group(1)
