"""The report at any scale: tables that grow with the villages are summarised.

A table of more than :data:`ROWS_SHOWN_MAX` rows (checklist steps or mentoring groups by
village, the raw files' hashes, the data flow per source file) shows only its ends, the
:data:`ENDS_SHOWN` rows with the lowest and the highest value of one column, and names
its whole table: a CSV beside the report, linked relatively (reports/tables/…), so that
the report stays a few megabytes at 10,000 villages and still points to every row.
Nothing here computes a statistic: rows are ordered and cut, never estimated.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any

from analisis.registry import OUTPUTS
from analisis.text import say

#: A table of more rows than this is summarised (the bundled study's tables are far smaller).
ROWS_SHOWN_MAX = 200
#: Rows a summarised table shows at each end.
ENDS_SHOWN = 10


def table_link(name: str) -> str:
    """The relative link from the reports to the registered output ``name``.

    Examples
    --------
    >>> table_link("skill_steps_by_village")
    'tables/skill_steps_by_village.csv'
    """
    report_folder = posixpath.dirname(OUTPUTS["report"].path)
    return posixpath.relpath(OUTPUTS[name].path, report_folder)


def long_table(
    rows: Sequence[Sequence[Any]],
    lang: str,
    *,
    csv: str | None,
    keys: Sequence[float] | None = None,
    by: str = "",
) -> dict[str, Any]:
    """A table as the report prints it: whole, or its ends and a link to its CSV.

    Parameters
    ----------
    rows : sequence of rows
        Formatted cells, in the order of the CSV.
    lang : {"id", "en"}
    csv : str or None
        Registry name of the CSV that holds the whole table; None: the run has no such
        CSV, and the table is shown whole.
    keys : sequence of float, optional
        The value each row is ordered by (``by`` names it); without keys a long table
        shows its first :data:`ENDS_SHOWN` rows.
    by : str
        What ``keys`` are, in words of ``lang`` (for the note).

    Returns
    -------
    dict
        ``rows`` (a row of ``"…"`` cells marks the cut), ``note`` (None when whole) and
        ``href``, the relative link to the CSV (None without one).

    Examples
    --------
    >>> rows = [[f"desa_{i:03d}", str(i % 7)] for i in range(300)]
    >>> table = long_table(rows, "en", csv="skill_groups", keys=[i % 7 for i in range(300)],
    ...                    by="mean")
    >>> len(table["rows"]), table["rows"][0], table["rows"][10], table["rows"][-1]
    (21, ['desa_000', '0'], ['…', '…'], ['desa_293', '6'])
    >>> print(table["note"])  # doctest: +NORMALIZE_WHITESPACE
    300 rows: the 10 with the lowest and the 10 with the highest mean are shown; the whole
    table:
    >>> table["href"], long_table(rows[:3], "en", csv="skill_groups")["note"]
    ('tables/skill_groups.csv', None)
    >>> keys = [float("nan")] * 290 + list(range(10))
    >>> shown = long_table(rows, "en", csv="skill_groups", keys=keys)["rows"]
    >>> len(shown), shown[0][0], shown[-1][0]
    (11, 'desa_290', '…')
    """
    href = None if csv is None else table_link(csv)
    whole = {"rows": list(rows), "note": None, "href": href}
    n = len(rows)
    if n <= ROWS_SHOWN_MAX or href is None:
        return whole
    cut = ["…"] * len(rows[0])
    if keys is None:
        shown = [*rows[:ENDS_SHOWN], cut]
        note = say("report.long_table_first", lang, n=n, k=ENDS_SHOWN)
    else:
        # A row without a value (NaN is not equal to itself) is at neither end.
        order = sorted((i for i in range(n) if keys[i] == keys[i]), key=keys.__getitem__)
        low, high = order[:ENDS_SHOWN], order[ENDS_SHOWN:][-ENDS_SHOWN:]
        shown = [rows[i] for i in low] + [cut] + [rows[i] for i in high]
        note = say("report.long_table_ends", lang, n=n, k=ENDS_SHOWN, by=by)
    return {**whole, "rows": shown, "note": note}


def cut_note(table: dict[str, Any]) -> str | None:
    """The note of a cut :func:`long_table` with its CSV's path, for a document without
    links (None when the table is whole).

    Examples
    --------
    >>> rows = [[str(i)] for i in range(201)]
    >>> cut_note(long_table(rows, "en", csv="skill_groups"))
    '201 rows: the first 10 are shown; the whole table: reports/tables/skill_groups.csv'
    >>> cut_note(long_table(rows[:2], "en", csv="skill_groups")) is None
    True
    """
    if table["note"] is None:
        return None
    report_folder = posixpath.dirname(OUTPUTS["report"].path)
    return f"{table['note']} {posixpath.join(report_folder, table['href'])}"
