"""The record: where the data live, their contract, validation, loading and citation.

Nothing here draws or formats for a page; every other room may import it.
"""
