"""Glued values, readable when a notebook runs outside the book (JupyterLab, VS Code, a download).

The book's prose takes its numbers from the data with myst-nb's
``{glue:text}`` role, which only the book renders; Jupyter shows the role
itself. :func:`install` (called by ``wra.setup()``) records every value a
notebook glues, and :func:`glued_values` shows them as a small table. Each
notebook ends with a cell calling it, tagged ``remove-cell``: Jupyter shows
the table, the book (which prints the values in the text) does not.

(Finding the data outside the repository is :func:`wra.record.paths.check_data`.)
"""

from __future__ import annotations

import ast
import html

#: key -> text/plain of the value, in the order the notebook glued them
GLUED: dict[str, str] = {}

_GLUE_PREFIX = "application/papermill.record/"


def _record(msg):
    """ipykernel display hook: remember glued values, pass every message on unchanged."""
    try:
        meta = (msg.get("content") or {}).get("metadata") or {}
        name = (meta.get("scrapbook") or {}).get("name")
        if name:
            data = msg["content"].get("data") or {}
            text = data.get(_GLUE_PREFIX + "text/plain", data.get("text/plain"))
            if text is not None:
                GLUED[name] = text
    except Exception:  # a display hook must never break a display
        pass
    return msg


def install() -> bool:
    """Record glued values from now on (in an IPython kernel; elsewhere a no-op). Idempotent."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    publisher = getattr(shell, "display_pub", None)
    register = getattr(publisher, "register_hook", None)
    if register is None:
        return False
    hooks = getattr(publisher, "_hooks", [])
    if _record not in hooks:
        register(_record)
    return True


def _plain(text: str) -> str:
    """A glued value as the book prints it without a format spec (strings unquoted)."""
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, str) else text


class GluedValues:
    """The values a notebook has glued so far: a table in Jupyter, text elsewhere."""

    def __init__(self, values: dict[str, str]):
        self.values = dict(values)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(_plain(v))}</td></tr>"
            for k, v in self.values.items()
        )
        return (
            '<table class="wra-glued"><caption style="caption-side:top;text-align:left">'
            "The numbers in this chapter's text: each <code>{glue:text}`key`</code> in the prose "
            "shows this value in the book (a format after the key, e.g. <code>:,.0f</code>, "
            "rounds it there)</caption><thead><tr><th>key</th><th>value</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def __repr__(self) -> str:
        width = max((len(k) for k in self.values), default=3)
        return "\n".join(f"{k:<{width}}  {_plain(v)}" for k, v in self.values.items())


def glued_values() -> GluedValues:
    """Show the glued values (the last cell of every notebook, removed from the book)."""
    return GluedValues(GLUED)
