"""What the benches measure of a command: its wall and CPU seconds and peak memory.

The command runs under a small wrapper process that runs only it, so the wrapper's
``RUSAGE_CHILDREN`` is the command's own: CPU seconds (user + system) of it and every
process it started, and the largest resident set among them (for a Snakemake run, the
largest job). Imported by the bench scripts, which run from the repository root.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

#: Runs argv; prints its wall and CPU seconds and peak resident set (KiB).
WRAPPER = (
    "import json, resource, subprocess, sys, time; start = time.perf_counter(); "
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "wall = time.perf_counter() - start; use = resource.getrusage(resource.RUSAGE_CHILDREN); "
    "print(json.dumps({'rc': done.returncode, 'err': done.stderr[-2000:], 'wall': wall, "
    "'cpu': use.ru_utime + use.ru_stime, 'maxrss_kib': use.ru_maxrss}))"
)


def measured(argv: list[str], cwd: Path) -> dict[str, float]:
    """``seconds`` (wall), ``cpu`` and ``peak`` (MiB) of ``argv`` run in ``cwd``; exits on
    failure with the command's last error lines.

    Examples
    --------
    >>> m = measured([sys.executable, "-c", "pass"], Path("."))
    >>> sorted(m), m["peak"] > 0
    (['cpu', 'peak', 'seconds'], True)
    """
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *argv], cwd=cwd, capture_output=True, text=True
    )
    result = json.loads(done.stdout)
    if result["rc"]:
        sys.exit(result["err"])
    return {"seconds": result["wall"], "cpu": result["cpu"], "peak": result["maxrss_kib"] / 1024}
