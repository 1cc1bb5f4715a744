"""The one theme template the book overrides stays in step with the theme."""

from pathlib import Path

import pydata_sphinx_theme

from wra.record import paths

THEME = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "webpack-macros.html"
OURS = paths.ROOT / "_templates" / "static" / "webpack-macros.html"
DROPPED = "fontawesome.js"


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_override_differs_from_the_theme_only_by_dropping_fontawesome_js():
    theme = [line for line in _lines(THEME) if DROPPED not in line and "custom icons" not in line]
    ours = [
        line for line in _lines(OURS) if not line.strip().startswith(("{#", "CSS draws", "tests/")) and "#}" not in line
    ]
    assert ours == theme, "the theme's webpack-macros.html changed: update _templates/static/webpack-macros.html"
    assert DROPPED not in OURS.read_text(encoding="utf-8").replace("fontawesome.js (1.5 MB", "")


def test_the_theme_css_still_carries_the_icon_font():
    css = (THEME.parent / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert "fa-solid-900.woff2" in css
