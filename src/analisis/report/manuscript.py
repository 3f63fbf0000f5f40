"""The manuscript kit: ``reports/naskah.docx`` (id) and ``reports/manuscript.docx`` (en).

What an author pastes into a journal's Word template: APA-style numbered and captioned
tables, the figures at print resolution with captions, the results paragraph (the
report's own sentences), a methods paragraph (design, matching and exclusions counted
from the cleaning log, the tests and why, the software actually installed and its
references), a data-availability sentence with a checksum, and a reference list.

Nothing here computes a statistic: every number is a cell or a sentence of the report's
context (:func:`analisis.report.context.build_context`), formatted there for the language
(decimal comma in Indonesian). :func:`manuscript_kit` arranges them; :func:`write_docx`
lays them out with python-docx and fixes every date in the file, so two runs give the
same bytes.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analisis.outputs import atomic_path
from analisis.report.context import ACTIONS, Formatter, build_context
from analisis.report.figureset import figure_alt_text
from analisis.report.provenance import build_provenance
from analisis.report.render import PrivacyError, find_names, participant_text
from analisis.report.scale import cut_note, long_table
from analisis.report.sources import Results
from analisis.report.text import TEXT
from analisis.text import say

#: The registry's name of the kit in each language.
MANUSCRIPT_OUTPUTS = {"id": "naskah", "en": "manuscript"}
#: The kit's figures, in order, where the run has them (the report has more).
MANUSCRIPT_FIGURES = (
    "diagram1_knowledge_means",
    "knowledge_paired_plot",
    "diagram2_skill_means",
    "checklist_steps",
    "forest_plot",
)
#: Width of the text on an A4 page with 2.5 cm margins: of a figure (the PNGs are drawn at
#: 300 dpi) and of a table.
FIGURE_WIDTH_CM = 16.0
#: A table of more columns goes on landscape pages (the by-village table), whose text is
#: this wide.
LANDSCAPE_FROM_COLUMNS = 10
LANDSCAPE_WIDTH_CM = 24.7
#: Every date in the file: the zip entries' (the earliest a zip can hold) and the
#: document's core properties, so the bytes depend on the results only.
FIXED_DATE = datetime(1980, 1, 1, tzinfo=UTC)
#: Cleaning-log reason codes counted in the methods paragraph: a match by a similar name
#: (to confirm) and a match set by the study's overrides.
MATCH_CODES = {"fuzzy": "fuzzy_name_match", "override": "override_match"}
#: The works the methods paragraph cites, in APA style (the same in both languages).
REFERENCES = {
    "lakens": (
        "Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative "
        "science: A practical primer for t-tests and ANOVAs. Frontiers in Psychology, 4, 863. "
        "https://doi.org/10.3389/fpsyg.2013.00863"
    ),
    "hake": (
        "Hake, R. R. (1998). Interactive-engagement versus traditional methods: A "
        "six-thousand-student survey of mechanics test data for introductory physics courses. "
        "American Journal of Physics, 66(1), 64–74. https://doi.org/10.1119/1.18809"
    ),
    "mckinney": (
        "McKinney, W. (2010). Data structures for statistical computing in Python. Proceedings "
        "of the 9th Python in Science Conference, 56–61. "
        "https://doi.org/10.25080/Majora-92bf1922-00a"
    ),
    "molder": (
        "Mölder, F., Jablonski, K. P., Letcher, B., Hall, M. B., Tomkins-Tinch, C. H., Sochat, "
        "V., Forster, J., Lee, S., Twardziok, S. O., Kanitz, A., Wilm, A., Holtgrewe, M., "
        "Rahmann, S., Nahnsen, S., & Köster, J. (2021). Sustainable data analysis with "
        "Snakemake. F1000Research, 10, 33. https://doi.org/10.12688/f1000research.29032.2"
    ),
    "seabold": (
        "Seabold, S., & Perktold, J. (2010). Statsmodels: Econometric and statistical modeling "
        "with Python. Proceedings of the 9th Python in Science Conference, 92–96. "
        "https://doi.org/10.25080/Majora-92bf1922-011"
    ),
    "vallat": (
        "Vallat, R. (2018). Pingouin: Statistics in Python. Journal of Open Source Software, "
        "3(31), 1026. https://doi.org/10.21105/joss.01026"
    ),
    "virtanen": (
        "Virtanen, P., Gommers, R., Oliphant, T. E., et al. (2020). SciPy 1.0: Fundamental "
        "algorithms for scientific computing in Python. Nature Methods, 17, 261–272. "
        "https://doi.org/10.1038/s41592-019-0686-2"
    ),
    "waskom": (
        "Waskom, M. L. (2021). seaborn: Statistical data visualization. Journal of Open Source "
        "Software, 6(60), 3021. https://doi.org/10.21105/joss.03021"
    ),
}
#: Cited only with villages (the random-effects meta-analysis follows metafor).
VILLAGE_REFERENCES = {
    "viechtbauer": (
        "Viechtbauer, W. (2010). Conducting meta-analyses in R with the metafor package. "
        "Journal of Statistical Software, 36(3), 1–48. https://doi.org/10.18637/jss.v036.i03"
    ),
}


@dataclass(frozen=True)
class KitTable:
    """One APA table: its caption (title), header, rows of text cells and a note."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    note: str | None = None
    #: Columns of words (left-aligned); the first column always is, numbers are right.
    text_columns: tuple[int, ...] = ()


@dataclass(frozen=True)
class KitFigure:
    """One figure: the figure's name in the registry and its caption."""

    name: str
    caption: str


@dataclass(frozen=True)
class Kit:
    """Everything a manuscript kit prints, in one language, already formatted."""

    lang: str
    title: str
    banner: str | None
    methods: list[str]
    results: list[str]
    tables: list[KitTable]
    figures: list[KitFigure]
    availability: list[str]
    references: list[str] = field(default_factory=list)


def log_counts(log: pd.DataFrame) -> dict[str, int]:
    """Rows of the cleaning log: all, per action, and per match code of :data:`MATCH_CODES`.

    A tally of the log (each raw row is one log row), not an estimate.

    Examples
    --------
    >>> log = pd.DataFrame({"action": ["kept", "kept", "dropped"],
    ...                     "reason": ["used", "fuzzy_name_match;used", "test_submission"]})
    >>> log_counts(log)
    {'rows': 3, 'kept': 2, 'merged': 0, 'dropped': 1, 'flagged': 0, 'fuzzy': 1, 'override': 0}
    """
    codes = log["reason"].fillna("").astype(str).str.split(";")
    actions = log["action"].value_counts()
    return {
        "rows": len(log),
        **{action: int(actions.get(action, 0)) for action in ACTIONS},
        **{
            name: int(codes.map(lambda c, code=code: code in c).sum())
            for name, code in MATCH_CODES.items()
        },
    }


def paired_test_rows(results: Results, lang: str) -> list[list[str]]:
    """Rows of the paired-tests table: test, statistic, p, effect size, its 95% CI.

    The primary test first, marked; the statistic as APA prints it (``t(22) = 14.89``,
    ``V = 276``).
    """
    f, k = Formatter(lang), results.knowledge_paired
    eff, marker = k.effect_size, say("manuscript.primary_marker", lang)
    rows = {
        "t_test": [
            f"t({f.count(k.t_test.df)}) = {f.num(k.t_test.t)}",
            f.p_cell(k.t_test.p),
            f"d_z = {f.num(eff.d_z)}",
            f.ci(eff.d_z_ci95),
        ],
        "wilcoxon": [
            f"V = {f.count(k.wilcoxon.V)}",
            f.p_cell(k.wilcoxon.p),
            f"r_rb = {f.num(eff.rank_biserial)}",
            f.ci(eff.rank_biserial_ci95),
        ],
    }
    primary = "wilcoxon" if k.primary_test == "wilcoxon" else "t_test"
    order = [primary, *(name for name in rows if name != primary)]
    return [
        [
            say(f"manuscript.test.{name}", lang) + (f" {marker}" if name == primary else ""),
            *rows[name],
        ]
        for name in order
    ]


def kit_tables(results: Results, context: Mapping[str, Any], lang: str) -> list[KitTable]:
    """The kit's tables from the report's context: descriptives, paired tests, effect
    sizes, N-gain categories, skill by group and by step, and, with villages, the
    by-village table and the meta-analyses."""
    t, knowledge, skill = TEXT[lang], context["knowledge"], context["skill"]
    ignoring = context["ignoring_villages"]

    def note(key: str, **values: Any) -> str:
        return " ".join(filter(None, [say(f"manuscript.note.{key}", lang, **values), ignoring]))

    def caption(key: str) -> str:
        return say(f"manuscript.caption.{key}", lang)

    tables = [
        KitTable(
            caption("descriptives"),
            [
                t[key]
                for key in (
                    "phase",
                    "n",
                    "mean",
                    "sd",
                    "se",
                    "ci95",
                    "median",
                    "quartiles",
                    "min_max",
                    "share_at_max",
                )
            ],
            [*knowledge["descriptive_rows"], knowledge["difference_row"]],
            note("descriptives", pairs=knowledge["n_pairs"]),
        ),
        KitTable(
            caption("tests"),
            [say(f"manuscript.col.{key}", lang) for key in ("test", "statistic")]
            + [t["p"], say("manuscript.col.effect", lang), t["ci95"]],
            paired_test_rows(results, lang),
            note("tests"),
        ),
        KitTable(caption("effects"), [t["effect"], t["value"]], knowledge["effect_rows"]),
        KitTable(
            caption("n_gain"),
            [t["category"], t["n"]],
            [[category, str(n)] for category, n in context["tables"]["n_gain_rows"]],
            " ".join(filter(None, [say("manuscript.note.n_gain", lang), knowledge["n_gain"]])),
        ),
        KitTable(
            caption("skill_groups"),
            [t[key] for key in ("group", "n", "mean", "sd", "ci95")],
            skill["group_rows"]["rows"],
            " ".join(filter(None, [skill["groups_text"], cut_note(skill["group_rows"])])),
        ),
        KitTable(
            caption("skill_steps"),
            [
                t["step"],
                say("manuscript.col.step_text", lang),
                t["mean_points"],
                t["max_points"],
                t["share_full"],
            ],
            skill["step_rows"],
            say("manuscript.note.skill_steps", lang),
            text_columns=(1,),
        ),
    ]
    villages, pooled = context["villages"], context["pooled"]
    if villages:
        # Thousands of villages are no table for a journal: their ends, and the CSV.
        shown = long_table(
            villages["rows"],
            lang,
            csv="by_village",
            keys=list(results.by_village["gain_mean"]),
            by=t["by_gain"],
        )
        tables.append(
            KitTable(
                caption("villages"),
                villages["header"],
                shown["rows"],
                " ".join(filter(None, [villages["text"], cut_note(shown)])),
                (6,),
            )
        )
    if pooled:
        tables.append(
            KitTable(
                caption("pooled"),
                pooled["meta_header"],
                pooled["meta_rows"],
                pooled["sentences"][lang],
                (len(pooled["meta_header"]) - 1,),
            )
        )
    return tables


def methods_paragraphs(
    results: Results, context: Mapping[str, Any], lang: str, versions: Mapping[str, Any]
) -> list[str]:
    """Design, matching and exclusions; the tests and why; villages; the software.

    The counts come from the cleaning log (:func:`log_counts`), the primary test's reason
    from the results (``primary_test_rule``), the versions from what is installed.
    """
    knowledge, skill = results.knowledge_paired, results.skill
    details = results.knowledge_details
    counts = log_counts(results.cleaning_log)
    f = Formatter(lang)
    design = say(
        "manuscript.methods_data",
        lang,
        **counts,
        pairs=knowledge.n_pairs,
        excluded=knowledge.n_excluded,
    )
    if details.primary_test_rule == "pre-specified":
        test = TEXT[lang]["check"][f"test_{details.primary_test}"]
        why = say("manuscript.primary_prespecified", lang, test=test)
        why = why[0].upper() + why[1:]
    else:
        why = context["checks"]["primary_rule"]
    tests = " ".join(
        [
            say("manuscript.methods_tests", lang, alpha=f.num(details.alpha)),
            why,
            say(
                "manuscript.methods_effects",
                lang,
                steps=len(results.skill_steps_summary),
                groups=len(results.skill_groups),
                threshold=f.num(skill.competence_threshold, 0),
            ),
        ]
    )
    software = say(
        "manuscript.methods_software",
        lang,
        **{key: versions.get(key) or "–" for key in SOFTWARE},
    )
    paragraphs = [f"{context['study_text']} {design}", tests]
    if results.pooled is not None:
        paragraphs.append(say("manuscript.methods_villages", lang))
    paragraphs.append(software)
    if context["banner"]:
        paragraphs.append(context["banner"])
    return paragraphs


#: The software the methods paragraph names with its installed version.
SOFTWARE = (
    "python",
    "analisis",
    "pandas",
    "scipy",
    "statsmodels",
    "pingouin",
    "seaborn",
    "snakemake",
)


def results_paragraphs(context: Mapping[str, Any], lang: str) -> list[str]:
    """The report's own result sentences in ``lang``: pooled (with villages), the paired
    tests (labelled as ignoring villages where they do), skill, N-gain."""
    knowledge, skill, pooled = context["knowledge"], context["skill"], context["pooled"]
    sentence = next(s["text"] for s in knowledge["sentences"] if s["lang"] == lang)
    found = [pooled["sentences"][lang] if pooled else None]
    if context["ignoring_villages"]:
        sentence = f"{sentence} {context['ignoring_villages']}"
    found += [sentence, knowledge["n_gain"], skill["summary"], skill["one_sample"]]
    found += [skill["top_share"], skill["groups_text"]]
    return [text for text in found if text]


def manuscript_kit(
    results: Results,
    lang: str,
    *,
    figures: Sequence[str],
    versions: Mapping[str, Any],
    checksum: str,
    citation: str,
    study: Mapping[str, Any] | None = None,
) -> tuple[Kit, dict[str, Any]]:
    """The kit in ``lang`` and the report context it was taken from.

    Parameters
    ----------
    results : Results
    lang : {"id", "en"}
    figures : sequence of str
        The run's figures (:func:`analisis.registry.figure_names`); the kit keeps those
        of :data:`MANUSCRIPT_FIGURES`.
    versions : Mapping
        Installed versions (:func:`analisis.report.provenance.package_versions`).
    checksum : str
        SHA-256 of the manifest's lines for the data, tables and figures
        (:func:`analisis.report.manifest.lines_checksum` of
        :func:`analisis.registry.checked_outputs`).
    citation : str
        How to cite the software (:func:`analisis.report.citation.citation_text`).
    study : Mapping, optional
        :func:`analisis.report.render.study_from_config`.
    """
    shown = [name for name in MANUSCRIPT_FIGURES if name in figures]
    alt = {name: {"src": "", "alt": figure_alt_text(name, results, lang)} for name in shown}
    context = build_context(
        results,
        lang,
        figures=alt,
        provenance=build_provenance([], versions=versions),
        study=study,
    )
    cited = {**REFERENCES, **(VILLAGE_REFERENCES if results.pooled is not None else {})}
    kit = Kit(
        lang=lang,
        title=context["study"]["title"] or context["title"],
        banner=context["banner"],
        methods=methods_paragraphs(results, context, lang, versions),
        results=results_paragraphs(context, lang),
        tables=kit_tables(results, context, lang),
        figures=[KitFigure(name, alt[name]["alt"]) for name in shown],
        availability=[
            say("manuscript.availability_text", lang, checksum=checksum),
            f"{TEXT[lang]['how_to_cite']}: {citation}",
        ],
        references=sorted([*cited.values(), citation]),
    )
    return kit, context


def _rule(cell: Any, edge: str) -> None:
    """A single black line on one edge of a table cell (APA tables rule rows, not columns)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._tc.get_or_add_tcPr()
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        properties.append(borders)
    line = OxmlElement(f"w:{edge}")
    for key, value in (("val", "single"), ("sz", "8"), ("space", "0"), ("color", "000000")):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)


def column_widths(
    columns: int, text_columns: tuple[int, ...] = (), width: float = FIGURE_WIDTH_CM
) -> list[float]:
    """Widths in cm of a table's columns over the text ``width``: the first column
    (labels) twice a number's, a column of words three times.

    Examples
    --------
    >>> column_widths(3, (1,), width=12.0)
    [4.0, 6.0, 2.0]
    """
    weights = [2 if c == 0 else 3 if c in text_columns else 1 for c in range(columns)]
    return [width * weight / sum(weights) for weight in weights]


def _orientation(document: Any, landscape: bool) -> None:
    """Start a new page in landscape or portrait A4 (for a table too wide to stand)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Cm(29.7), Cm(21.0)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def _apa_table(document: Any, number: int, table: KitTable, lang: str) -> None:
    """``Table n`` in bold, the caption in italics, the table ruled above and below the
    header and below the last row, numbers right-aligned, then the note; a table of more
    than :data:`LANDSCAPE_FROM_COLUMNS` columns on landscape pages of its own."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    wide = len(table.header) > LANDSCAPE_FROM_COLUMNS
    if wide:
        _orientation(document, landscape=True)
    label = document.add_paragraph()
    label.add_run(say("manuscript.table", lang, number=number)).bold = True
    label.paragraph_format.keep_with_next = True
    title = document.add_paragraph()
    title.add_run(table.caption).italic = True
    title.paragraph_format.keep_with_next = True
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.autofit = False
    widths = column_widths(
        len(table.header), table.text_columns, LANDSCAPE_WIDTH_CM if wide else FIGURE_WIDTH_CM
    )
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads; Word reads the cells'
    # Row by row: python-docx's Table.cell(r, c) lists every cell of the table on each call,
    # which made a 1,000-village table take minutes.
    for r, (grid_row, row) in enumerate(zip(grid.rows, [table.header, *table.rows], strict=True)):
        for c, (cell, text) in enumerate(zip(grid_row.cells, row, strict=True)):
            cell.width = Cm(widths[c])
            cell.text = str(text)
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = 0
            for run in paragraph.runs:
                run.font.size = Pt(9)
            if c > 0 and c not in table.text_columns:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0:
                _rule(cell, "top")
                _rule(cell, "bottom")
            if r == len(table.rows):
                _rule(cell, "bottom")
    if table.note:
        note = document.add_paragraph()
        note.add_run(say("manuscript.note", lang)).italic = True
        note.add_run(f" {table.note}")
        note.runs[-1].font.size = note.runs[0].font.size = Pt(10)
    if wide:
        _orientation(document, landscape=False)


def build_document(kit: Kit, figure_files: Mapping[str, str | os.PathLike]) -> Any:
    """The python-docx Document of ``kit``: A4, Times New Roman 12 pt, fixed properties."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(12)
    for level, size in ((1, 14), (2, 12)):
        heading = document.styles[f"Heading {level}"]
        heading.font.name, heading.font.size = "Times New Roman", Pt(size)
        heading.font.color.rgb = RGBColor(0, 0, 0)
        # The template's headings take the theme's font, which overrides the name.
        fonts = heading.element.rPr.rFonts
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    properties = document.core_properties
    properties.title, properties.language = kit.title, kit.lang
    properties.author = properties.last_modified_by = "analisis"
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    properties.comments = say("manuscript.kit_note", kit.lang)

    document.add_heading(kit.title, level=1)
    document.add_paragraph(say("manuscript.kit_note", kit.lang)).runs[0].italic = True
    if kit.banner:
        document.add_paragraph().add_run(kit.banner).bold = True
    for heading, paragraphs in (("methods", kit.methods), ("results", kit.results)):
        document.add_heading(say(f"manuscript.{heading}", kit.lang), level=2)
        for text in paragraphs:
            document.add_paragraph(text)
    document.add_heading(say("manuscript.tables", kit.lang), level=2)
    for number, table in enumerate(kit.tables, start=1):
        _apa_table(document, number, table, kit.lang)
    document.add_heading(say("manuscript.figures", kit.lang), level=2)
    for number, figure in enumerate(kit.figures, start=1):
        label = document.add_paragraph()
        label.add_run(say("manuscript.figure", kit.lang, number=number)).bold = True
        label.paragraph_format.keep_with_next = True
        document.add_picture(str(figure_files[figure.name]), width=Cm(FIGURE_WIDTH_CM))
        document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        document.paragraphs[-1].paragraph_format.keep_with_next = True
        document.add_paragraph().add_run(figure.caption).italic = True
    document.add_heading(say("manuscript.data_availability", kit.lang), level=2)
    for text in kit.availability:
        document.add_paragraph(text)
    document.add_heading(say("manuscript.references", kit.lang), level=2)
    for text in kit.references:
        reference = document.add_paragraph(text)
        reference.paragraph_format.left_indent = Cm(1.27)
        reference.paragraph_format.first_line_indent = Cm(-1.27)
    return document


def fix_zip_dates(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """Copy the zip ``source`` to ``target`` with every entry dated :data:`FIXED_DATE`.

    python-docx stamps each entry with the time of saving; the entries' order, names and
    contents are already fixed.
    """
    stamp = FIXED_DATE.timetuple()[:6]
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as fixed:
        for entry in original.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            fixed.writestr(info, original.read(entry.filename))


def write_manuscript(
    results: Results,
    lang: str,
    out_path: str | os.PathLike,
    *,
    figure_files: Mapping[str, str | os.PathLike],
    versions: Mapping[str, Any],
    checksum: str,
    citation: str,
    study: Mapping[str, Any] | None = None,
    forbidden_names: Sequence[str] = (),
) -> Path:
    """Write the manuscript kit in ``lang`` to ``out_path`` (atomically, fixed bytes).

    ``figure_files`` maps each figure of the run to its PNG in ``lang``; the other
    arguments are :func:`manuscript_kit`'s. Raises :class:`PrivacyError` when a
    participant's name would appear in a table or caption, as the report does.
    """
    kit, context = manuscript_kit(
        results,
        lang,
        figures=list(figure_files),
        versions=versions,
        checksum=checksum,
        citation=citation,
        study=study,
    )
    leaked = find_names(participant_text(context), forbidden_names)
    if leaked:
        raise PrivacyError(
            f"{out_path}: {len(leaked)} participant name(s) would appear in the manuscript kit; "
            "check the result files for names"
        )
    document = build_document(kit, figure_files)
    target = Path(out_path)
    with atomic_path(target) as tmp:
        saved = tmp.with_name(tmp.name + ".docx")
        try:
            document.save(str(saved))
            fix_zip_dates(saved, tmp)
        finally:
            saved.unlink(missing_ok=True)
    return target
