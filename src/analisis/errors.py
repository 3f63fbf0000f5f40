"""Errors the pipeline reports to a person: one message naming file, row and column."""

from __future__ import annotations

from dataclasses import dataclass


class AnalisisError(Exception):
    """Base class of every error the ``analisis`` command reports without a traceback."""


# Not frozen: Python sets __traceback__ on an exception passing through a context manager.
@dataclass
class InputError(AnalisisError):
    """A problem in an input file, located precisely enough for a person to fix it.

    Parameters
    ----------
    file : str
        Path of the offending file as the user gave it.
    expected : str
        What the pipeline expected, in words ("one of the options A-D").
    row : int or None
        Row number as a spreadsheet shows it (header is row 1), or None for the whole file.
    column : str or None
        Column header (or sheet name for workbooks), or None.
    found : str or None
        What was found instead.

    Examples
    --------
    >>> str(InputError("pre.csv", "a number 0-2", row=5, column="L03", found="3"))
    "pre.csv, row 5, column 'L03': expected a number 0-2, found '3'"
    """

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    found: str | None = None

    def __str__(self) -> str:
        where = [str(self.file)]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        message = f"{', '.join(where)}: expected {self.expected}"
        if self.found is not None:
            message += f", found {self.found!r}"
        return message


class ConfigError(AnalisisError):
    """The configuration file is invalid; the message names the key."""


def internal_error_line(error: BaseException, where: str) -> str:
    """The one line shown for an unexpected exception: a bug, not the user's data.

    ``where`` says where the traceback is (a log file, or how to see it).

    Examples
    --------
    >>> line = internal_error_line(ValueError("math domain error"), "run with --debug")
    >>> line.startswith("analisis: error: internal error (ValueError: math domain error)")
    True
    """
    detail = " ".join(f"{type(error).__name__}: {error}".split())  # one line, always
    return (
        f"analisis: error: internal error ({detail}); this is a bug in analisis, not in "
        f"your data: please report it ({where})"
    )
