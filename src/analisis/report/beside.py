"""The whole of the lists a report of many villages cuts, written beside it.

The report shows the ends of its long tables (:mod:`analisis.report.scale`) and links
their CSVs under reports/tables/. Three of those lists have no result file of their own:
the raw files with their SHA-256 (the shards' records, merged), the cleaning log's rows
per source file and action (a tally of the log, as the report's data-flow table) and the
villages with the places their labels name (:func:`analisis.report.study.sites_table`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from analisis.outputs import write_csv
from analisis.provenance import read_input_hashes
from analisis.report.context import rows_by_file
from analisis.report.study import sites_table
from analisis.tables import read_table


def write_beside(
    cleaning_log: str | os.PathLike,
    hash_records: Iterable[str | os.PathLike],
    paths: Mapping[str, str | os.PathLike],
    cohorts: Sequence[Mapping[str, Any]],
) -> None:
    """Write input_hashes.csv, data_flow_by_file.csv and sites.csv (``paths`` by registry
    name).

    Parameters
    ----------
    cleaning_log : path
        data/processed/cleaning_log.csv.
    hash_records : iterable of paths
        Each shard's data/interim/<shard>/input_hashes.csv.
    paths : Mapping
        ``{"input_hashes": path, "data_flow_by_file": path, "sites": path}``.
    cohorts : sequence of mapping
        The config's ``cohorts:`` (``id`` and ``label``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "s0.csv").write_text("file,sha256\\nb.csv,bb\\na.csv,aa\\n")
    >>> pd.DataFrame({"cohort": ["c"], "source_file": ["a.csv"], "sheet": [""],
    ...               "source_row": [2], "action": ["kept"], "reason": ["used"],
    ...               "detail": [""], "participant_id": ["K01"]}).to_csv(root / "log.csv",
    ...                                                                 index=False)
    >>> out = {name: root / f"{name}.csv" for name in ("input_hashes", "data_flow_by_file",
    ...                                                  "sites")}
    >>> write_beside(root / "log.csv", [root / "s0.csv"], out,
    ...              [{"id": "c", "label": "Desa C, Kec D, Kab E"}])
    >>> print(*(out[name].read_text() for name in out), sep="")
    file,sha256
    a.csv,aa
    b.csv,bb
    source_file,kept,merged,dropped,flagged
    a.csv,1,0,0,0
    cohort,label,sub_district,district
    c,"Desa C, Kec D, Kab E",Kec D,Kab E
    <BLANKLINE>
    """
    hashes = pd.DataFrame(read_input_hashes(hash_records), columns=["file", "sha256"])
    write_csv(hashes, paths["input_hashes"])
    log = read_table(cleaning_log, "cleaning_log")
    write_csv(rows_by_file(log), paths["data_flow_by_file"])
    write_csv(sites_table(cohorts), paths["sites"])
