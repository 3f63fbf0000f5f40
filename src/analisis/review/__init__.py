"""Checking published numbers: GRIM, GRIMMER, paper versus recomputed, robustness."""
