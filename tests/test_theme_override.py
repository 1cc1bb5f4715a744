"""The book's template overrides keep in step with the theme they cut from."""

from pathlib import Path

import pydata_sphinx_theme
import pytest

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
DROPPED = "fontawesome.js"


def test_the_theme_still_loads_fontawesome_the_way_the_override_cuts_it():
    """_templates/layout.html cuts '<script defer src="…/fontawesome.js…"></script>' from the
    theme's css block: if the theme loads it another way, the cut finds nothing."""
    macros = (THEME / "static" / "webpack-macros.html").read_text(encoding="utf-8")
    assert "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}" in macros
    assert "_webpack.head_js_preload()" in (THEME / "layout.html").read_text(encoding="utf-8")


def test_the_theme_css_still_carries_the_icon_font():
    css = (THEME / "static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert "fa-solid-900.woff2" in css


@pytest.mark.book
def test_no_page_loads_fontawesome_and_every_page_keeps_the_themes_scripts(html_dir):
    pages = sorted(html_dir.rglob("*.html"))
    assert pages
    for page in pages:
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in text:  # the root's redirect to the front page
            continue
        assert DROPPED not in text, page
        assert "scripts/bootstrap.js?digest=" in text and "styles/pydata-sphinx-theme.css?digest=" in text, page


OVERRIDES = {
    # our file: the theme's component it renames for assistive technology (same markup otherwise)
    "search-button-field.html": THEME / "components" / "search-button-field.html",
    "toggle-primary-sidebar.html": Path(__import__("sphinx_book_theme").__file__).parent
    / "theme"
    / "sphinx_book_theme"
    / "components"
    / "toggle-primary-sidebar.html",
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_an_overridden_component_keeps_the_themes_classes_and_content(name):
    """The theme's scripts bind to the button's classes: the override keeps them, its icon
    and its visible text; only the names for assistive technology differ."""
    import re

    ours = (Path(__file__).parent.parent / "_templates" / name).read_text(encoding="utf-8")
    theirs = OVERRIDES[name].read_text(encoding="utf-8")

    def shape(text):
        button = re.search(r"<button [^>]*>", text).group(0)
        return (
            re.search(r'class="([^"]+)"', button).group(1),
            re.findall(r'class="(fa-[^"]+)"', text),
            re.findall(r"<(?:span|kbd)[^>]*>([^<]*)<", text),
        )

    assert shape(ours) == shape(theirs), f"the theme's {name} changed: update _templates/{name}"
