"""Statistics: paired pre/post analysis, effect sizes, N-gain, skill scores, item analysis.

Every function here is pure (arrays or DataFrames in, numbers or DataFrames out); none
reads a file or draws. Sign convention: difference = post - pre, so a gain is positive.
"""
