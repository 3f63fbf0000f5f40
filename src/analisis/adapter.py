"""What every Snakemake adapter shares: a log file, and one clear message on any failure."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from analisis.errors import AnalisisError, internal_error_line

#: Exit status of a step stopped by bad input (the user can fix it).
EXIT_INPUT = 2
#: Exit status of a step stopped by a bug (the user should report it).
EXIT_BUG = 3


def run_step(step: Callable[[], None], log_path: str) -> None:
    """Run ``step`` with logging to ``log_path``; any failure becomes one message.

    * Bad input (:class:`~analisis.errors.AnalisisError`): the message names the file,
      row and column and what was expected; exit status 2.
    * Anything else is a bug in the package: one line says so and where the full
      traceback was logged; exit status 3. Nobody is shown a bare traceback.

    Snakemake deletes the outputs of a failed job, so a step that stops here leaves no
    partial output; the message goes to stderr, where the user sees it, and to the log.

    Examples
    --------
    >>> import tempfile, os
    >>> log = os.path.join(tempfile.mkdtemp(), "step.log")
    >>> run_step(lambda: logging.getLogger("analisis").info("done"), log)
    >>> open(log).read().strip()
    'INFO analisis: done'
    """
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    # The package's own messages at INFO; libraries (fontTools logs every glyph it
    # subsets) only from WARNING.
    root.setLevel(logging.WARNING)
    logger = logging.getLogger("analisis")
    logger.setLevel(logging.INFO)
    try:
        step()
    except AnalisisError as error:
        logger.error("%s", error)
        _stop(error)
    except Exception as error:
        logger.exception("internal error")
        print(internal_error_line(error, f"with the log {log_path}"), file=sys.stderr)
        sys.exit(EXIT_BUG)
    finally:
        root.removeHandler(handler)
        handler.close()


def _stop(error: AnalisisError) -> None:
    print(f"analisis: error: {error}", file=sys.stderr)
    sys.exit(EXIT_INPUT)


def exit_on_error(function: Callable[..., Any], *args: Any) -> Any:
    """Return ``function(*args)``; on bad input print one message and exit with status 2.

    For checks the Snakefile runs before any job (there is no log yet): the user sees
    ``analisis: error: …`` and nothing else.

    Examples
    --------
    >>> exit_on_error(int, "7")
    7
    >>> from analisis.errors import ConfigError
    >>> def refuse():
    ...     raise ConfigError("c.yaml, key cohorts: expected a list")
    >>> exit_on_error(refuse)
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    try:
        return function(*args)
    except AnalisisError as error:
        _stop(error)


def file_list(named_input: str | Sequence[str]) -> list[str]:
    """A rule's named input of one file per shard as a list, also with one shard (Snakemake
    gives a named input of one file as that file's path).

    Examples
    --------
    >>> file_list("a.csv"), file_list(["a.csv", "b.csv"])
    (['a.csv'], ['a.csv', 'b.csv'])
    """
    return [named_input] if isinstance(named_input, str) else list(named_input)
