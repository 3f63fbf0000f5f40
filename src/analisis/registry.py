"""Every file the pipeline writes: its path, the rule that writes it and what it holds.

The one list of outputs. ``workflow/rules/*.smk`` take each rule's ``output:`` from
:func:`rule_outputs`, the figure and report rules their ``input:`` from
:func:`report_inputs` and :func:`figure_files`, and the manifest lists
:func:`run_outputs`: exactly the files of this run, never what a folder happens to hold
(an earlier study's files in the same checkout stay out of a later study's report).

Paths are relative to the repository root. An output's ``needs`` says when it exists:
``None`` always, ``"published"`` only when some cohort has a ``published:`` block,
``"villages"`` only when the study has two or more villages (cohorts),
``"village_figures"`` only up to ``scale.village_figures_max`` villages,
``"follow_up"`` only when a cohort lists delayed post-tests (``knowledge.follow_up``). A run is
described by :class:`Run`.

Cleaning and scoring run per shard of villages (:mod:`analisis.shards`): every table the
:data:`GATHER_RULES` write under ``data/processed/`` is written in parts under
``data/interim/<shard>/`` by ``clean_score_shard`` (:func:`shard_outputs`, intermediate:
never in the manifest or the report) and concatenated by them (:func:`gather_inputs`).

Importing this module must stay cheap: Snakemake imports it to build the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from analisis import results

PROCESSED = "data/processed"
#: Intermediate tables of each shard of villages: never in the manifest or the report.
INTERIM = "data/interim"
TABLES = "reports/tables"
FIGURES = "reports/figures"
LANGUAGES = ("id", "en")
FIGURE_FORMATS = ("png", "svg", "pdf")
MANIFEST = "reports/MANIFEST.sha256"
#: What an output may need beyond a plain run (None: nothing).
Needs = Literal["published", "villages", "village_figures", "follow_up"] | None


@dataclass(frozen=True)
class Run:
    """The features of one run that decide which outputs exist.

    ``published``: some cohort has a ``published:`` block; ``villages``: the study has
    two or more villages (cohorts); ``village_figures``: figures with a panel or bar per
    village are drawn (off above ``scale.village_figures_max`` villages); ``follow_up``:
    some cohort has delayed post-tests.

    Examples
    --------
    >>> Run(published=True).has("published"), Run().has("villages"), Run().has(None)
    (True, False, True)
    >>> Run(villages=True, village_figures=False).has("village_figures")
    False
    """

    published: bool = False
    villages: bool = False
    village_figures: bool = True
    follow_up: bool = False

    def has(self, needs: Needs) -> bool:
        """Whether an output that ``needs`` this exists in the run."""
        return needs is None or bool(getattr(self, needs))


#: Every feature on: every registered output.
EVERYTHING = Run(published=True, villages=True, follow_up=True)


@dataclass(frozen=True)
class Output:
    """One registered output.

    ``kind`` is the file format (json, csv, html, sha256); ``holds`` is the result type
    of a JSON file, the processed table of a CSV file under data/processed/ (schema in
    :mod:`analisis.tables`) or, in words, what another file holds; ``columns`` are the
    columns of a CSV file its readers rely on.
    """

    path: str
    rule: str
    kind: str
    holds: type[results.Record] | str
    columns: tuple[str, ...] = ()
    needs: Needs = None
    private: bool = False


def _processed(name: str, rule: str, *columns: str, private: bool = False) -> Output:
    folder = f"{PROCESSED}/private" if private else PROCESSED
    return Output(f"{folder}/{name}.csv", rule, "csv", name, columns, private=private)


def _table(file: str, rule: str, holds, *columns: str, needs: Needs = None) -> Output:
    kind = file.rsplit(".", 1)[1]
    return Output(f"{TABLES}/{file}", rule, kind, holds, columns, needs=needs)


#: The rules that concatenate the shards' parts into data/processed/: the two long tables
#: (a row per answer, a row per checklist step) each in a job of its own, so that the
#: analyses that do not read them start without waiting for them.
GATHER_RULES = ("gather", "gather_steps", "gather_responses")

#: name (the rule's named output, and the readers' named input) -> output.
OUTPUTS: dict[str, Output] = {
    "responses": _processed("responses", "gather_responses"),
    "skill_steps": _processed("skill_steps", "gather_steps"),
    "participants": _processed("participants", "gather"),
    "cleaning_log": _processed("cleaning_log", "gather", "source_file",
                               "action", "reason"),
    "linkage": _processed("linkage", "gather", "name", private=True),
    "matches": _processed("matches", "gather", private=True),
    "knowledge_scores": _processed("knowledge_scores", "gather"),
    "knowledge_wide": _processed("knowledge_wide", "gather", "participant_id",
                                 "pre", "post", "paired"),
    "skill_scores": _processed("skill_scores", "gather", "participant_id",
                               "group", "score"),
    "data_dictionary": _processed("data_dictionary", "data_dictionary"),
    "knowledge_paired": _table("knowledge_paired.json", "analyse_knowledge",
                               results.PairedSummary),
    "knowledge_details": _table("knowledge_details.json", "analyse_knowledge",
                                results.PairedDetails),
    "knowledge_descriptives": _table("knowledge_descriptives.csv", "analyse_knowledge",
                                     "descriptives per sample and phase", "sample", "phase"),
    "knowledge_category_shift": _table("knowledge_category_shift.csv", "analyse_knowledge",
                                       "category before x after", "pre_category",
                                       "post_category", "n"),
    "n_gain_categories": _table("n_gain_categories.csv", "analyse_knowledge",
                                "N-gain category counts", "category", "n"),
    "item_analysis": _table("items.csv", "analyse_knowledge", "item analysis", "item_id",
                            "difficulty_pre", "difficulty_post", "discrimination_pre",
                            "discrimination_post", "mcnemar_p", "mcnemar_p_holm"),
    "items_summary": _table("items.json", "analyse_knowledge", results.ItemsSummary),
    "skill": _table("skill.json", "analyse_skill", results.SkillResult),
    "skill_groups": _table("skill_groups.csv", "analyse_skill", "skill per group", "group",
                           "n", "mean", "sd", "ci95_lower", "ci95_upper"),
    "skill_steps_summary": _table("skill_steps_summary.csv", "analyse_skill",
                                  "checklist steps, weakest first", "step_id", "mean_points",
                                  "max_points", "mean_share", "share_full"),
    "by_village": _table("by_village.csv", "analyse_villages",
                         "knowledge gain and skill of each village", "cohort", "n_pairs",
                         "gain_mean", "gain_ci95_lower", "gain_ci95_upper", "skill_n",
                         "skill_mean", "skill_ci95_lower", "skill_ci95_upper"),
    "skill_steps_by_village": _table("skill_steps_by_village.csv", "analyse_villages",
                                     "checklist steps of each village, weakest first",
                                     "cohort", "step_id", "n", "mean_share", "share_full",
                                     "rank"),
    "pooled": _table("pooled.json", "analyse_villages", results.PooledAnalysis,
                     needs="villages"),
    "planning": _table("planning.json", "plan_next_wave", results.PlanningResult),
    "published_check": _table("published_check.csv", "published_check",
                              "printed vs recomputed values", "cohort", needs="published"),
    "published_check_json": _table("published_check.json", "published_check",
                                   results.PublishedCheck, needs="published"),
    "published_robustness": _table("published_robustness.json", "published_robustness",
                                   results.Robustness, needs="published"),
    "waves": _table("waves.json", "analyse_waves", results.WavesAnalysis, needs="follow_up"),
    # The whole of the lists the report of many villages cuts (analisis.report.scale),
    # beside it: the raw files with their SHA-256, the cleaning log's rows per file and
    # the villages with the places their labels name.
    "input_hashes": _table("input_hashes.csv", "report_tables", "the raw files' SHA-256",
                           "file", "sha256", needs="villages"),
    "data_flow_by_file": _table("data_flow_by_file.csv", "report_tables",
                                "cleaning log rows per source file and action",
                                "source_file", "kept", "merged", "dropped", "flagged",
                                needs="villages"),
    "sites": _table("sites.csv", "report_tables", "each village's label and its places",
                    "cohort", "label", "sub_district", "district", needs="villages"),
    "laporan": Output("reports/laporan.html", "report_html", "html", "the report in Indonesian"),
    "report": Output("reports/report.html", "report_html", "html", "the report in English"),
    "naskah": Output("reports/naskah.docx", "manuscript", "docx",
                     "the manuscript kit in Indonesian"),
    "manuscript": Output("reports/manuscript.docx", "manuscript", "docx",
                         "the manuscript kit in English"),
    "manifest": Output(MANIFEST, "manifest", "sha256", "SHA-256 of every other output"),
}  # fmt: skip

#: Outputs written for a reader (the reports, the manuscript kit), as opposed to the
#: data, tables and figures they are written from.
DOCUMENT_KINDS = ("html", "docx")

#: Figures in report order, with what each needs (as :attr:`Output.needs`): the
#: robustness histogram a ``published:`` block, the village figures two or more villages,
#: the skill of every (village, group) few enough villages to read.
FIGURE_NEEDS: dict[str, Needs] = {
    "diagram1_knowledge_means": None,
    "diagram2_skill_means": None,
    "knowledge_paired_plot": None,
    "forest_plot": "villages",
    "skill_by_village": "villages",
    "skill_by_group": "village_figures",
    "checklist_steps": None,
    "knowledge_items": None,
    "robustness_d_z": "published",
    "planning_halfwidth": None,
    "waves_diagram": "follow_up",
    "waves_lines": "follow_up",
}
FIGURE_NAMES = tuple(FIGURE_NEEDS)
#: What the figure and report rules read (named inputs), besides the instruments.
REPORT_INPUTS = (
    "knowledge_paired",
    "knowledge_details",
    "skill",
    "skill_groups",
    "skill_steps_summary",
    "item_analysis",
    "items_summary",
    "n_gain_categories",
    "knowledge_category_shift",
    "knowledge_wide",
    "skill_scores",
    "cleaning_log",
    "published_check_json",
    "published_robustness",
    "by_village",
    "pooled",
    "skill_steps_by_village",
    "planning",
    "knowledge_scores",
    "waves",
)


def rule_outputs(rule: str, run: Run = EVERYTHING) -> dict[str, str]:
    """``{name: path}`` of the files ``rule`` writes in ``run`` (the rule's named ``output:``).

    Examples
    --------
    >>> rule_outputs("analyse_skill")  # doctest: +NORMALIZE_WHITESPACE
    {'skill': 'reports/tables/skill.json', 'skill_groups': 'reports/tables/skill_groups.csv',
     'skill_steps_summary': 'reports/tables/skill_steps_summary.csv'}
    >>> sorted(rule_outputs("analyse_villages", Run(villages=False)))
    ['by_village', 'skill_steps_by_village']
    """
    found = {n: o.path for n, o in OUTPUTS.items() if o.rule == rule and run.has(o.needs)}
    if not found:
        raise KeyError(f"no registered output of rule {rule!r}")
    return found


def shard_outputs(shard: str = "{shard}") -> dict[str, str]:
    """``{name: path}`` of the intermediate tables ``clean_score_shard`` writes for
    ``shard``: a part of each table the :data:`GATHER_RULES` write.

    Private tables go to a ``private/`` folder of the shard's (git-ignored, as every
    ``private/``). ``shard`` defaults to the wildcard pattern of the shard rule.

    Examples
    --------
    >>> shard_outputs("s03")["skill_scores"]
    'data/interim/s03/skill_scores.csv'
    >>> shard_outputs()["linkage"]
    'data/interim/{shard}/private/linkage.csv'
    """
    found = {}
    for name, output in OUTPUTS.items():
        if output.rule in GATHER_RULES:
            folder = f"{INTERIM}/{shard}/private" if output.private else f"{INTERIM}/{shard}"
            found[name] = f"{folder}/{output.path.rsplit('/', 1)[1]}"
    return found


#: What each shard sends the study-wide analyses (:mod:`analisis.stats.shard`): its
#: villages' rows of by_village and skill_steps_by_village, the sufficient statistics of
#: the item analysis and of the checklist steps, its own steps summary (the study's when
#: the study is one shard) and the counts of items forgotten between the waves.
SHARD_SUMMARIES = ("by_village", "skill_steps_by_village", "item_counts", "item_totals",
                   "step_counts", "skill_steps_summary", "forgetting_counts")  # fmt: skip


def shard_summaries(shard: str = "{shard}") -> dict[str, str]:
    """``{name: path}`` of the :data:`SHARD_SUMMARIES` ``clean_score_shard`` writes.

    Examples
    --------
    >>> shard_summaries("s03")["item_counts"]
    'data/interim/s03/summary/item_counts.csv'
    """
    return {name: f"{INTERIM}/{shard}/summary/{name}.csv" for name in SHARD_SUMMARIES}


def summary_inputs(names: Iterable[str], shards: Iterable[str]) -> dict[str, list[str]]:
    """``{name: [the summary file of each shard]}``: what a study-wide analysis reads.

    Examples
    --------
    >>> summary_inputs(["step_counts"], ["s0", "s1"])  # doctest: +NORMALIZE_WHITESPACE
    {'step_counts': ['data/interim/s0/summary/step_counts.csv',
                     'data/interim/s1/summary/step_counts.csv']}
    """
    parts = [shard_summaries(shard) for shard in shards]
    return {name: [part[name] for part in parts] for name in names}


def shard_raw_record(shard: str = "{shard}") -> str:
    """The shard's record of its raw files' sizes and times (:func:`analisis.shards.raw_record`),
    the one input its job takes for them.

    Examples
    --------
    >>> shard_raw_record("s03")
    'data/interim/s03/raw_files.csv'
    """
    return f"{INTERIM}/{shard}/raw_files.csv"


def shard_input_hashes(shard: str = "{shard}") -> str:
    """The shard's record of its raw files and their SHA-256 (``file,sha256``), which the
    report's provenance reads (:func:`analisis.provenance.read_input_hashes`).

    Examples
    --------
    >>> shard_input_hashes("s03")
    'data/interim/s03/input_hashes.csv'
    """
    return f"{INTERIM}/{shard}/input_hashes.csv"


def gather_inputs(rule: str, shards: Iterable[str]) -> dict[str, list[str]]:
    """``{name: [the table's intermediate file of each shard]}``: what gather rule
    ``rule`` reads.

    Examples
    --------
    >>> gather_inputs("gather", ["s0", "s2"])["matches"]
    ['data/interim/s0/private/matches.csv', 'data/interim/s2/private/matches.csv']
    >>> list(gather_inputs("gather_steps", ["s0"]))
    ['skill_steps']
    """
    parts = [shard_outputs(shard) for shard in shards]
    names = [name for name in shard_outputs() if OUTPUTS[name].rule == rule]
    return {name: [part[name] for part in parts] for name in names}


def report_inputs(run: Run) -> dict[str, str]:
    """``{name: path}`` of the result files the figures and the report read in ``run``.

    Examples
    --------
    >>> sorted(set(report_inputs(EVERYTHING)) - set(report_inputs(Run())))
    ['pooled', 'published_check_json', 'published_robustness', 'waves']
    """
    return {n: OUTPUTS[n].path for n in REPORT_INPUTS if run.has(OUTPUTS[n].needs)}


def figure_names(run: Run) -> list[str]:
    """Figures of ``run`` in report order.

    Examples
    --------
    >>> figure_names(Run(villages=True))[2:5]
    ['knowledge_paired_plot', 'forest_plot', 'skill_by_village']
    """
    return [name for name, needs in FIGURE_NEEDS.items() if run.has(needs)]


def figure_path(name: str, lang: str, fmt: str) -> str:
    """Path of figure ``name`` in ``lang`` and format ``fmt``.

    Examples
    --------
    >>> figure_path("skill_by_group", "id", "png")
    'reports/figures/skill_by_group_id.png'
    """
    return f"{FIGURES}/{name}_{lang}.{fmt}"


def figure_files(run: Run, lang: str, formats: Iterable[str] = FIGURE_FORMATS):
    """``{"<name>_<fmt>": path}`` of every figure of ``run`` in ``lang`` (``{lang}``: pattern)."""
    return {
        f"{name}_{fmt}": figure_path(name, lang, fmt)
        for name in figure_names(run)
        for fmt in formats
    }


def run_outputs(run: Run) -> list[str]:
    """Every file of ``run`` the manifest lists: registered, not private, not the manifest.

    Examples
    --------
    >>> files = run_outputs(Run())
    >>> len(files), "reports/tables/published_check.json" in files, MANIFEST in files
    (67, False, False)
    >>> len(run_outputs(EVERYTHING))
    105
    """
    files = [
        o.path
        for o in OUTPUTS.values()
        if run.has(o.needs) and not o.private and o.path != MANIFEST
    ]
    for lang in LANGUAGES:
        files += figure_files(run, lang).values()
    return sorted(files)


def checked_outputs(run: Run) -> list[str]:
    """The outputs of ``run`` that documents are written from: :func:`run_outputs` but
    the :data:`DOCUMENT_KINDS` (data, tables and figures).

    Their lines of the manifest are what the manuscript kit's checksum covers: a
    document cannot list its own hash, and the reports' footers name a commit.

    Examples
    --------
    >>> files = checked_outputs(Run())
    >>> len(run_outputs(Run())) - len(files), "reports/report.html" in files
    (4, False)
    """
    suffixes = tuple(f".{kind}" for kind in DOCUMENT_KINDS)
    return [path for path in run_outputs(run) if not path.endswith(suffixes)]
