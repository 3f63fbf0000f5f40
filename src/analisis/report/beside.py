"""The whole of the lists a report of many villages cuts, written beside it.

The report shows the ends of its long tables (:mod:`analisis.report.scale`) and links
their CSVs under reports/tables/. Two of those lists have no result file of their own:
the raw files with their SHA-256 (the shards' records, merged) and the cleaning log's
rows per source file and action (a tally of the log, as the report's data-flow table).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

import pandas as pd

from analisis.outputs import write_csv
from analisis.provenance import read_input_hashes
from analisis.report.context import rows_by_file
from analisis.tables import read_table


def write_beside(
    cleaning_log: str | os.PathLike,
    hash_records: Iterable[str | os.PathLike],
    paths: Mapping[str, str | os.PathLike],
) -> None:
    """Write input_hashes.csv and data_flow_by_file.csv (``paths`` by registry name).

    Parameters
    ----------
    cleaning_log : path
        data/processed/cleaning_log.csv.
    hash_records : iterable of paths
        Each shard's data/interim/<shard>/input_hashes.csv.
    paths : Mapping
        ``{"input_hashes": path, "data_flow_by_file": path}``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (root / "s0.csv").write_text("file,sha256\\nb.csv,bb\\na.csv,aa\\n")
    >>> pd.DataFrame({"cohort": ["c"], "source_file": ["a.csv"], "sheet": [""],
    ...               "source_row": [2], "action": ["kept"], "reason": ["used"],
    ...               "detail": [""], "participant_id": ["K01"]}).to_csv(root / "log.csv",
    ...                                                                 index=False)
    >>> out = {"input_hashes": root / "h.csv", "data_flow_by_file": root / "f.csv"}
    >>> write_beside(root / "log.csv", [root / "s0.csv"], out)
    >>> print(out["input_hashes"].read_text(), out["data_flow_by_file"].read_text(), sep="")
    file,sha256
    a.csv,aa
    b.csv,bb
    source_file,kept,merged,dropped,flagged
    a.csv,1,0,0,0
    <BLANKLINE>
    """
    hashes = pd.DataFrame(read_input_hashes(hash_records), columns=["file", "sha256"])
    write_csv(hashes, paths["input_hashes"])
    log = read_table(cleaning_log, "cleaning_log")
    write_csv(rows_by_file(log), paths["data_flow_by_file"])
