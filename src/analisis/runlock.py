"""One run at a time in a project folder, and a clean resume after a hard kill.

Snakemake's own lock is a file that outlives a process killed by ``kill -9``, the OOM
killer or a power cut, so the next run stops with ``LockException`` and asks for
``--unlock``. The workflow therefore runs with Snakemake's lock off (the default profile
sets ``nolock`` and ``rerun-incomplete``) and takes this lock instead: an advisory
``flock`` on a file under ``.snakemake/``, which the kernel releases the moment its
process dies, however it dies. A second run started while one is going finds the lock
taken and stops with one message; a run after a kill finds it free and resumes.

Outputs are written to temporary names and moved into place (:mod:`analisis.outputs`),
so a killed job leaves at most a stray temporary file; the process that holds the lock
removes those, since no other run can be writing them.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from analisis.errors import AnalisisError

#: Where the lock lives, relative to the project folder (Snakemake's own working folder).
LOCK_FILE = ".snakemake/analisis-run.lock"
#: Temporary names :func:`analisis.atomic.atomic_path` gives files before they are final.
PARTIAL_GLOB = ".*.partial"


class RunInProgress(AnalisisError):
    """Another run holds the project's lock."""


def acquire_run_lock(project: str | os.PathLike) -> IO[str]:
    """Take the project's run lock, or raise :class:`RunInProgress` naming the holder.

    The lock is held for as long as the returned file stays open: keep a reference for
    the life of the run (the kernel releases it when the process ends, even by SIGKILL).

    Examples
    --------
    >>> import tempfile
    >>> project = tempfile.mkdtemp()
    >>> held = acquire_run_lock(project)
    >>> acquire_run_lock(project)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analisis.runlock.RunInProgress: another run is going on in ... (process ...); ...
    >>> held.close()
    >>> acquire_run_lock(project).close()
    """
    path = Path(project) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    # Held open on purpose: closing the file releases the lock.
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "unknown"
        handle.close()
        raise RunInProgress(
            f"another run is going on in {Path(project).resolve()} (process {holder}); "
            "wait for it to finish, or stop it, then start again"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def remove_partial_outputs(*folders: str | os.PathLike) -> list[Path]:
    """Delete temporaries a killed job left in ``folders``; return what was removed.

    Only the holder of the run lock may call this: it is the one process that knows no
    job is writing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / ".skill.json.x1y2.partial").write_text("{")
    >>> _ = (folder / "skill.json").write_text("{}")
    >>> [p.name for p in remove_partial_outputs(folder)]
    ['.skill.json.x1y2.partial']
    >>> sorted(p.name for p in folder.iterdir())
    ['skill.json']
    """
    removed = []
    for folder in folders:
        root = Path(folder)
        if not root.is_dir():
            continue
        for stray in sorted(root.rglob(PARTIAL_GLOB)):
            stray.unlink(missing_ok=True)
            removed.append(stray)
    return removed
