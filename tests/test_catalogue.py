"""The text catalogue: both languages complete and parallel, cheap to import."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analisis.clean import REASONS
from analisis.text import LANGUAGES, entries, family, placeholders, say

#: Every code the cleaning log writes.
LOG_REASONS = tuple(REASONS)


def test_both_languages_have_the_same_keys():
    assert set(entries("id")) == set(entries("en"))


@pytest.mark.parametrize("key", sorted(entries("en")))
def test_each_key_has_the_same_placeholders_in_both_languages(key):
    assert placeholders(entries("id")[key]) == placeholders(entries("en")[key]), key


def test_every_template_is_filled_by_its_own_placeholders():
    for lang in LANGUAGES:
        for key, template in entries(lang).items():
            text = say(key, lang, **{name: "X" for name in placeholders(template)})
            assert "{" not in text and "}" not in text, key


def test_every_cleaning_log_code_has_a_reason_in_both_languages():
    for lang in LANGUAGES:
        reasons = family("log_reason", lang)
        assert set(reasons) == set(LOG_REASONS)
        # The log's detail column holds the variable part (rows, patterns, similarity),
        # so a reason is a fixed phrase.
        assert all(not placeholders(text) for text in reasons.values())
    assert say("log_reason.blank_submission", "id") == "semua jawaban kosong"


def test_say_fills_named_placeholders_and_names_a_missing_one():
    assert say("report.kr20_text", "en", pre="0.61", post="0.12") == (
        "KR-20 reliability: before 0.61; after 0.12."
    )
    with pytest.raises(KeyError, match="post"):
        say("report.kr20_text", "en", pre="0.61")
    with pytest.raises(KeyError):
        say("no.such.key", "en")
    with pytest.raises(ValueError, match="language"):
        say("report.title", "fr")


def test_importing_the_catalogue_loads_neither_pandas_nor_matplotlib():
    code = (
        "import sys, analisis.text; "
        "print(any(m in sys.modules for m in ('pandas', 'matplotlib', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_printed_values_take_the_decimal_mark_of_the_language():
    from analisis.fmt import format_printed

    # A paper's "99.50" sat beside a recomputed "99,48" in the Indonesian table.
    assert format_printed("99.50", "id") == "99,50"
    assert format_printed("99,50", "en") == "99.50"
    assert format_printed("23", "id") == "23"
    with pytest.raises(ValueError, match="language"):
        format_printed("1.0", "de")
