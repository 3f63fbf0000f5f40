"""What every Snakemake adapter shares: a log file, and one clear message on bad input."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from analisis.errors import AnalisisError


def run_step(step: Callable[[], None], log_path: str) -> None:
    """Run ``step`` with logging to ``log_path``; turn bad input into one message and exit 2.

    Snakemake deletes the outputs of a failed job, so a step that stops here leaves no
    partial output; the message (file, row, column, what was expected) goes to stderr,
    where the user sees it, and to the rule's log.

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
    logging.getLogger("analisis").setLevel(logging.INFO)
    try:
        step()
    except AnalisisError as error:
        logging.getLogger("analisis").error("%s", error)
        print(f"analisis: error: {error}", file=sys.stderr)
        sys.exit(2)
    finally:
        root.removeHandler(handler)
        handler.close()
