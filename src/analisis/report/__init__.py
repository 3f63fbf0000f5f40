"""The report layer: result files in, figures and two self-contained HTML reports out.

* :mod:`~analisis.report.sources`: the one map of result-file keys; loads the results.
* :mod:`~analisis.report.figureset`: draws every figure from the results, both languages.
* :mod:`~analisis.report.context` and :mod:`~analisis.report.render`: format and render.
* :mod:`~analisis.report.provenance`: input hashes, package versions, commit, config.
* :mod:`~analisis.report.manifest`: ``reports/MANIFEST.sha256`` for ``sha256sum -c``.
* :mod:`~analisis.report.browser`: headless Chromium checks used by the browser test.
"""
