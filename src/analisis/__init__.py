"""analisis: a reproducible statistics pipeline for evaluating health-cadre trainings.

Raw exports (Google Forms CSV, Excel, SPSS) become cleaned, scored, pseudonymised
tables; paired tests with effect sizes; figures; a bilingual report; and a check of
published numbers.  See ``README.md`` and ``docs``.
"""

__version__ = "0.1.0"
