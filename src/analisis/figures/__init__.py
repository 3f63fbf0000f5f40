"""Figures: the paper's two diagrams and the honest companions, in Indonesian and English.

Every function takes statistics already computed (DataFrames, dicts, floats) and a language
(``"id"`` or ``"en"``) and returns a :class:`matplotlib.figure.Figure`; none computes a test.
:func:`analisis.figures.style.save_figure` writes PNG (300 dpi), SVG and PDF byte-identically
on rerun. Each figure has an ``*_alt_text`` twin for the report.
"""
