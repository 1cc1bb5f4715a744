"""wra: data, validation, analysis and charts for the Western Route Army book.

Notebooks stay thin: they call this package. ``wra.setup()`` applies the house
style (matplotlib and plotly) once per kernel.
"""

from wra.presentation.style import setup

__all__ = ["setup"]
