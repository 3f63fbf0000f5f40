"""Look and output of every figure: palette, labels, fixed style, deterministic files.

Labels are the ``figure.*`` entries of the text catalogue (:mod:`analisis.text`).

Every figure is drawn inside :func:`style_context` (a :func:`matplotlib.rc_context`, so no
setting leaks into the caller's session) and written by :func:`save_figure`, which removes
everything that would change between two runs: dates and software versions in the metadata,
the random salt of SVG ids.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from analisis.fmt import LANGUAGES, format_number
from analisis.outputs import atomic_path
from analisis.text import say

#: Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
PRE_COLOUR = OKABE_ITO["orange"]
POST_COLOUR = OKABE_ITO["blue"]
ACCENT_COLOUR = OKABE_ITO["vermillion"]
NEUTRAL_COLOUR = "#7F7F7F"
GROUP_COLOURS = (
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["green"],
    OKABE_ITO["purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["vermillion"],
)

FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300

#: Fixed style: one font that ships with matplotlib, text kept as text in SVG (readable,
#: searchable) and as embedded TrueType in PDF, a constant SVG id salt.
RC_PARAMS = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.labelsize": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
    "figure.figsize": (6.4, 4.2),
    "figure.constrained_layout.use": True,
    "svg.fonttype": "none",
    "svg.hashsalt": "analisis",
    "pdf.fonttype": 42,
    "savefig.dpi": PNG_DPI,
    "path.simplify": True,
}

#: Metadata per format with every date and software version removed (matplotlib 3.11
#: accepts ``Software`` for PNG, ``Creator``/``Producer``/``CreationDate`` for PDF and
#: ``Date``/``Creator`` for SVG; a value of None drops the entry).
METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Date": None, "Creator": None},
}


def check_language(lang: str) -> None:
    """Raise ValueError unless ``lang`` is ``"id"`` or ``"en"``.

    Examples
    --------
    >>> check_language("id")
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")


def label(key: str, lang: str) -> str:
    """The text of label ``key`` in language ``lang`` (catalogue entry ``figure.<key>``).

    Examples
    --------
    >>> label("diagram2_title", "id"), label("diagram2_title", "en")
    ('Rerata Keterampilan Kader', 'Mean skill of cadres')
    """
    check_language(lang)
    return say(f"figure.{key}", lang)


def number_formatter(decimals: int, lang: str) -> FuncFormatter:
    """A tick formatter writing numbers with the decimal mark of ``lang``.

    Examples
    --------
    >>> number_formatter(1, "id")(2.5, 0)
    '2,5'
    """
    check_language(lang)
    return FuncFormatter(lambda value, _pos: format_number(value, decimals, lang))


def group_label(group: object, lang: str) -> str:
    """Axis label of a mentoring group in ``lang``: ``"Kelompok 2"`` / ``"Group 2"``.

    A group named with the word of either language (a sheet called "Kelompok 1") is
    relabelled with the word of ``lang``, so an English figure never mixes "Kelompok 1"
    with "Group 2".

    Examples
    --------
    >>> group_label(2, "id"), group_label("B", "en"), group_label("Kelompok 1", "en")
    ('Kelompok 2', 'Group B', 'Group 1')
    """
    text = str(group).strip()
    for word in (label("group", other) for other in LANGUAGES):
        if text.lower().startswith(word.lower() + " "):
            text = text[len(word) :].strip()
            break
    return f"{label('group', lang)} {text}"


@contextmanager
def style_context() -> Iterator[None]:
    """Apply :data:`RC_PARAMS` inside the block only (figures must be built and saved in it).

    Examples
    --------
    >>> with style_context():
    ...     mpl.rcParams["svg.hashsalt"]
    'analisis'
    """
    with mpl.rc_context(RC_PARAMS):
        yield


def new_figure(figsize: Sequence[float] | None = None) -> Figure:
    """A figure not registered with pyplot (nothing global to close or leak).

    Call inside :func:`style_context`.

    Examples
    --------
    >>> with style_context():
    ...     new_figure((3, 2)).get_size_inches().tolist()
    [3.0, 2.0]
    """
    size = tuple(figsize) if figsize is not None else tuple(mpl.rcParams["figure.figsize"])
    return Figure(figsize=size, layout="constrained")


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """Render ``figure`` as ``fmt`` (png, svg or pdf) bytes, without dates or versions.

    Examples
    --------
    >>> with style_context():
    ...     fig = new_figure((2, 2))
    >>> png = figure_bytes(fig, "png")
    >>> png[:4] == b"\\x89PNG", png == figure_bytes(fig, "png")
    (True, True)
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    buffer = io.BytesIO()
    with style_context():
        figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=METADATA[fmt])
    return buffer.getvalue()


def save_figure(
    figure: Figure, stem: str | os.PathLike, formats: Sequence[str] = FORMATS
) -> list[Path]:
    """Write ``figure`` to ``<stem>.png`` (300 dpi), ``.svg`` and ``.pdf``; return the paths.

    Each file is written atomically and is byte-identical for the same figure.

    Examples
    --------
    >>> import tempfile
    >>> with style_context():
    ...     fig = new_figure((2, 2))
    >>> [p.suffix for p in save_figure(fig, Path(tempfile.mkdtemp()) / "f")]
    ['.png', '.svg', '.pdf']
    """
    stem = Path(stem)
    paths = []
    for fmt in formats:
        path = stem.with_name(f"{stem.name}.{fmt}")
        data = figure_bytes(figure, fmt)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        paths.append(path)
    return paths
