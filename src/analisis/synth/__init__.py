"""Generated data: the bundled study, fictitious programmes and a delayed-test study.

``python -m analisis.synth`` (:mod:`analisis.synth.cli`) writes one of three:

* :mod:`analisis.synth.paper`: the bundled single-village study, RECONSTRUCTED from a
  paper's published means (``data/raw/kampung_delima``);
* :mod:`analisis.synth.programme`: a FICTITIOUS programme of ``N`` villages with mixed
  export formats and its ``config.yaml`` (``--villages N``);
* :mod:`analisis.synth.waves`: that programme with a GENERATED delayed test
  (``--follow-up``).

They share :mod:`analisis.synth.common` (seed, spelling, formats, .xlsx, writing) and
:mod:`analisis.synth.instruments` (the knowledge test and the checklist). Imports run
one way only: cli -> waves -> programme -> common -> instruments, and cli -> paper ->
common; ``tests/test_layers.py`` holds them to it.
"""
