"""The presentation: house style, charts, tables and the plotly renderer.

Turns the analysis's plain data into matplotlib and plotly figures and HTML
tables. May import the record and the analysis; nothing imports it back
except notebooks and ``wra.setup()``.
"""
