"""The analysis: one module per chapter, from the record's tables to plain data.

Functions take data frames and return data frames, numbers and plain-text
labels. Nothing here imports matplotlib or plotly, builds HTML or picks a
colour (``tests/test_layers.py`` checks it).
"""
