"""Figures: language-specific labels and numbers, determinism to the byte, no leaked state."""

from __future__ import annotations

import dataclasses
import itertools
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zlib

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from report_fixtures import N_ITEMS, POST, PRE, STEP_POINTS, waves_fixture, write_results_files
from scipy import stats

from analisis.figures import companions, diagrams
from analisis.figures.statline import paired_subtitle
from analisis.figures.style import (
    FORMATS,
    OKABE_ITO,
    POST_COLOUR,
    PRE_COLOUR,
    figure_bytes,
    save_figure,
)
from analisis.registry import FIGURE_NAMES
from analisis.report.figureset import FIGURES, draw_figure, figure_alt_text
from analisis.report.sources import load_results

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(figure) -> list[str]:
    """Every text string drawn in the SVG output (text is kept as text, not paths)."""
    root = ET.fromstring(figure_bytes(figure, "svg"))
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def png_text_keys(data: bytes) -> list[bytes]:
    """Keywords of the tEXt/zTXt/iTXt chunks of a PNG."""
    keys, position = [], 8
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keys.append(body.split(b"\0", 1)[0])
        position += 12 + length
    return keys


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    # With the follow-up of report_fixtures.waves_fixture, so that every figure is drawn.
    scores, waves = waves_fixture()
    loaded = load_results(write_results_files(tmp_path_factory.mktemp("figures")))
    return dataclasses.replace(loaded, knowledge_scores=scores, waves=waves)


@pytest.fixture(scope="module")
def paired(results):
    """knowledge_paired.json of the fixture, as the figure functions take it."""
    return results.knowledge_paired.to_dict()


def test_diagram1_reads_back_decimal_comma_in_indonesian_and_point_in_english():
    # 2288 / 23 = 99.4782...: printed 99,48 (id) and 99.48 (en); 76 printed 76,00.
    texts_id = svg_texts(diagrams.diagram1_knowledge_means(76.0, 2288 / 23, "id"))
    texts_en = svg_texts(diagrams.diagram1_knowledge_means(76.0, 2288 / 23, "en"))
    assert "76,00" in texts_id and "99,48" in texts_id
    assert "76.00" in texts_en and "99.48" in texts_en
    assert not any("99.48" in t for t in texts_id)
    assert not any("99,48" in t for t in texts_en)


def test_diagram_titles_are_the_papers_and_their_translations():
    def title(fig):
        return " ".join(fig.axes[0].get_title().split())

    assert title(diagrams.diagram1_knowledge_means(76, 99.48, "id")) == (
        "Rerata Pengetahuan Kader Sebelum dan Setelah Pelatihan"
    )
    assert title(diagrams.diagram1_knowledge_means(76, 99.48, "en")) == (
        "Mean knowledge of cadres before and after training"
    )
    groups = pd.DataFrame({"group": [1, 2], "mean": [86.5, 88.0]})
    assert title(diagrams.diagram2_skill_means(87.26, groups, "id")) == "Rerata Keterampilan Kader"
    assert title(diagrams.diagram2_skill_means(87.26, groups, "en")) == "Mean skill of cadres"


def test_diagram1_has_two_bars_on_a_0_to_100_axis_in_okabe_ito_colours():
    fig = diagrams.diagram1_knowledge_means(76.0, 99.48, "en")
    ax = fig.axes[0]
    heights = [patch.get_height() for patch in ax.patches]
    assert heights == [76.0, 99.48]
    assert ax.get_ylim()[0] == 0
    assert max(ax.get_yticks()) == 100
    colours = [mpl.colors.to_hex(p.get_facecolor()).upper() for p in ax.patches]
    assert colours == [PRE_COLOUR, POST_COLOUR]
    assert set(colours) <= set(OKABE_ITO.values())


def test_diagram2_labels_overall_and_each_group_with_decimal_comma():
    groups = pd.DataFrame({"group": [1, 2, 3, 4], "mean": [86.667, 87.333, 87.0, 88.0]})
    texts = svg_texts(diagrams.diagram2_skill_means(87.26, groups, "id"))
    for expected in ["87,26", "86,67", "87,33", "87,00", "88,00", "Semua kader", "Kelompok 4"]:
        assert expected in texts


def test_tick_labels_follow_the_language(results):
    texts = svg_texts(draw_figure("robustness_d_z", results, "id"))
    ticks = [t for t in texts if re.fullmatch(r"\d+[,.]\d", t)]
    assert ticks and all("," in t for t in ticks)


def test_paired_subtitle_matches_the_ggstatsplot_style_in_both_languages():
    # Values written out: t = 12.3449 -> 12.34, d_z 2.5743 [1.7201, 3.4132] -> 2.57 [1.72, 3.41].
    paired = {
        "n_pairs": 23,
        "primary_test": "t_test",
        "t_test": {"t": 12.3449, "df": 22.0, "p": 2.1e-11},
        "wilcoxon": {"V": 276.0, "p": 2.7e-05},
        "effect_size": {"d_z": 2.5743, "d_z_ci95": [1.7201, 3.4132], "rank_biserial": 1.0,
                        "rank_biserial_ci95": [1.0, 1.0]},
    }  # fmt: skip
    assert paired_subtitle(paired, "en") == (
        "t(22) = 12.34, p < 0.001, d_z = 2.57 [1.72, 3.41], n = 23 (primary test)"
    )
    paired["primary_test"] = "wilcoxon"
    assert paired_subtitle(paired, "id") == (
        "t(22) = 12,34; p < 0,001; d_z = 2,57 [1,72; 3,41]; n = 23\n"
        "V = 276; p < 0,001; r_rb = 1,00 [1,00; 1,00] (uji utama)"
    )


def test_paired_plot_prints_the_result_and_draws_the_ceiling(results):
    fig = draw_figure("knowledge_paired_plot", results, "id")
    ax = fig.axes[0]
    t = stats.ttest_rel(POST, PRE).statistic  # d_z = t / sqrt(23)
    assert f"{t:.2f} {t / np.sqrt(23):.2f}" == "18.94 3.95"
    assert ax.get_title(loc="left").startswith("t(22) = 18,94; p < 0,001; d_z = 3,95 [")
    # Shapiro-Wilk p = 0.31 on the differences: the t-test is primary and marked so.
    assert ax.get_title(loc="left").endswith("n = 23 (uji utama)")
    ceiling = [line for line in ax.lines if list(line.get_ydata()) == [100, 100]]
    assert ceiling, "no horizontal line at the maximum score"
    # One line per cadre joins the two phases.
    cadre_lines = [line for line in ax.lines if len(line.get_xdata()) == 2 and line not in ceiling]
    assert len(cadre_lines) == 23


def test_paired_plot_without_intervals_draws_the_means_alone(paired):
    # The statistics may not provide CIs of the phase means: no error bars, no made-up CI.
    wide = pd.DataFrame({"pre": [60.0, 80.0], "post": [100.0, 96.0]})
    ax = companions.paired_plot(wide, paired, None, "en").axes[0]
    assert not [c for c in ax.containers if c.__class__.__name__ == "ErrorbarContainer"]
    with_ci = companions.paired_plot(wide, paired, {"pre": [60, 80], "post": [96, 100]}, "en")
    bars = [c for c in with_ci.axes[0].containers if c.__class__.__name__ == "ErrorbarContainer"]
    assert len(bars) == 2


def test_paired_plot_of_many_pairs_draws_one_line_per_distinct_pair_of_scores(paired):
    # 300 pairs, 3 distinct (pre, post): (60, 100) x 200, (80, 96) x 75, (60, 96) x 25.
    wide = pd.DataFrame(
        {"pre": [60.0] * 200 + [80.0] * 75 + [60.0] * 25, "post": [100.0] * 200 + [96.0] * 100}
    )
    assert len(wide) > companions.PAIRED_LINES_MAX
    ax = companions.paired_plot(wide, paired, None, "en").axes[0]
    lines = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"]
    assert len(lines) == 1
    segments = {
        tuple(map(tuple, s)): w
        for s, w in zip(lines[0].get_segments(), lines[0].get_linewidths(), strict=True)
    }
    assert set(segments) == {((0, 60), (1, 96)), ((0, 60), (1, 100)), ((0, 80), (1, 96))}
    # Width 0.3 + 3.7 sqrt(count / 200): the most common pair is the widest.
    assert segments[((0, 60), (1, 100))] == pytest.approx(4.0)
    assert segments[((0, 60), (1, 96))] == pytest.approx(0.3 + 3.7 * np.sqrt(25 / 200))
    # One point per distinct score of each phase: pre 60 and 80, post 96 and 100.
    points = [c for c in ax.collections if c.__class__.__name__ == "PathCollection"]
    assert [len(c.get_offsets()) for c in points[:2]] == [2, 2]
    assert any("same two scores" in t.get_text() for t in ax.texts)


def test_jitter_is_seeded_and_leaves_numpy_global_state_alone(paired):
    wide = pd.DataFrame({"pre": [60.0, 80.0, 88.0, 76.0], "post": [100.0, 96.0, 100.0, 100.0]})
    ci = {"pre": [60.0, 92.0], "post": [95.0, 103.0]}

    def positions(seed):
        fig = companions.paired_plot(wide, paired, ci, "en", seed=seed)
        return fig.axes[0].collections[0].get_offsets()[:, 0].copy()

    # The legacy global state is what seaborn's stripplot would consume: it must stay untouched.
    np.random.seed(7)  # noqa: NPY002
    expected_next = np.random.random()  # noqa: NPY002
    np.random.seed(7)  # noqa: NPY002
    first = positions(1)
    assert np.random.random() == expected_next  # noqa: NPY002
    np.testing.assert_array_equal(first, positions(1))
    assert not np.array_equal(first, positions(2))
    assert np.all(np.abs(first) <= companions.JITTER)


def test_drawing_and_saving_do_not_change_global_rcparams(tmp_path, results):
    before = dict(mpl.rcParams)
    save_figure(draw_figure("skill_by_group", results, "en"), tmp_path / "skill", ["svg"])
    after = dict(mpl.rcParams)
    assert {k: v for k, v in after.items() if before[k] != v} == {}


def test_paired_plot_is_byte_identical_when_drawn_again_in_every_format(results):
    # The paired plot has the seeded jitter; PDF embeds a font subset, PNG is rasterised.
    name = "knowledge_paired_plot"
    first, second = draw_figure(name, results, "id"), draw_figure(name, results, "id")
    for fmt in FORMATS:
        assert figure_bytes(first, fmt) == figure_bytes(second, fmt), fmt


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_is_byte_identical_as_svg_when_drawn_again(name, results):
    # SVG carries every coordinate and text as text: any drift in drawing shows here.
    first, second = draw_figure(name, results, "en"), draw_figure(name, results, "en")
    assert figure_bytes(first, "svg") == figure_bytes(second, "svg")


def test_svg_is_identical_in_a_fresh_interpreter():
    code = (
        "import sys;from analisis.figures.diagrams import diagram1_knowledge_means as d;"
        "from analisis.figures.style import figure_bytes as b;"
        "sys.stdout.buffer.write(b(d(76.0, 99.48, 'id'), 'svg'))"
    )
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout
    assert fresh == figure_bytes(diagrams.diagram1_knowledge_means(76.0, 99.48, "id"), "svg")


def test_saved_files_are_300_dpi_png_svg_pdf_without_date_or_software_version(tmp_path):
    paths = save_figure(diagrams.diagram1_knowledge_means(76.0, 99.48, "en"), tmp_path / "d1")
    data, svg, pdf = (p.read_bytes() for p in paths)
    assert [p.name for p in paths] == ["d1.png", "d1.svg", "d1.pdf"]
    assert png_text_keys(data) == []
    assert b"<dc:date>" not in svg and b"Matplotlib v" not in svg
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf and b"Matplotlib" not in pdf
    phys = data.index(b"pHYs")
    pixels_per_metre = int.from_bytes(data[phys + 4 : phys + 8], "big")
    assert round(pixels_per_metre * 0.0254) == 300
    width = int.from_bytes(data[16:20], "big")
    assert width == 5 * 300  # diagram 1 is 5 inches wide
    assert zlib.crc32(data[12:29]) == int.from_bytes(data[29:33], "big")  # intact IHDR


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_figure_has_alt_text_with_numbers_in_the_language(lang, results):
    for name in FIGURE_NAMES:
        text = figure_alt_text(name, results, lang)
        assert len(text) > 40, name
        assert re.search(r"\d,\d" if lang == "id" else r"\d\.\d", text), name
    assert "76,00" in figure_alt_text("diagram1_knowledge_means", results, "id")
    assert "99.48" in figure_alt_text("diagram1_knowledge_means", results, "en")


def test_steps_keep_the_weakest_first_order_and_items_keep_test_order(results):
    steps = draw_figure("checklist_steps", results, "en").axes[0]
    labels = [t.get_text() for t in steps.get_yticklabels()]
    # Cadres with full points (2 of 2) per step, counted from the fixture: L04 15 of 23,
    # L03 and L05 19 (a tie: step order), L02 20, L06 21, L01 23.
    full = (np.array(STEP_POINTS) == 2).sum(axis=0)
    assert full.tolist() == [23, 20, 19, 15, 19, 21]
    assert labels == ["L04", "L03", "L05", "L02", "L06", "L01"]
    widths = [p.get_width() for p in steps.patches]
    assert widths == pytest.approx([100 * k / 23 for k in (15, 19, 19, 20, 21, 23)])
    items = draw_figure("knowledge_items", results, "id").axes[0]
    expected = [f"P{i:02d}" for i in range(1, N_ITEMS + 1)]
    assert [t.get_text() for t in items.get_yticklabels()] == expected


def test_skill_plot_draws_every_cadre_and_the_threshold(results):
    ax = draw_figure("skill_by_group", results, "en").axes[0]
    assert len(ax.collections[0].get_offsets()) == 23
    assert any(list(line.get_ydata()) == [75.0, 75.0] for line in ax.lines)


def test_robustness_histogram_uses_a_log_axis_only_for_a_wide_range():
    from analisis.figures.companions import robustness_d_z

    wide = robustness_d_z([0.54, 0.8, 1.2, 3.0, 28.6], "en")  # max / min = 53
    narrow = robustness_d_z([1.5, 2.0, 2.5, 3.0], "en")  # max / min = 2
    assert wide.axes[0].get_xscale() == "log"
    assert narrow.axes[0].get_xscale() == "linear"


def test_group_labels_use_the_word_of_the_figure_language():
    from analisis.figures.style import group_label

    # Sheets named "Kelompok 1" once gave "Kelompok 1" beside "Group 2" in English.
    assert [group_label(g, "en") for g in ("Kelompok 1", 2, "Group 3")] == [
        "Group 1",
        "Group 2",
        "Group 3",
    ]
    assert group_label("Group 4", "id") == "Kelompok 4"


def test_the_figure_set_draws_exactly_the_registered_figures():
    assert tuple(FIGURES) == FIGURE_NAMES


def _tick_boxes(fig):
    renderer = FigureCanvasAgg(fig).get_renderer()
    return [t.get_window_extent(renderer) for t in fig.axes[0].get_xticklabels()]


def test_long_group_names_wrap_without_overlapping():
    names = [f"Kelompok Posyandu Mawar Merah {i}" for i in range(1, 7)]
    scores = pd.DataFrame({"group": np.repeat(names, 3), "score": np.linspace(60, 95, 18)})
    groups = pd.DataFrame({"group": names, "n": 3, "mean": 80.0, "ci_low": 70.0, "ci_high": 90.0})
    fig = companions.skill_by_group(scores, groups, 75.0, "id")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels[0] == "Kelompok\nPosyandu\nMawar Merah 1"
    boxes = _tick_boxes(fig)
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))


def test_same_named_groups_of_two_villages_take_two_positions():
    scores = pd.DataFrame(
        {"cohort": ["desa_a"] * 3 + ["desa_b"] * 3, "group": ["Kelompok 1"] * 6,
         "score": [70.0, 80, 90, 60, 65, 70]}
    )  # fmt: skip
    groups = pd.DataFrame(
        {"cohort": ["desa_a", "desa_b"], "group": ["Kelompok 1"] * 2, "n": 3,
         "mean": [80.0, 65.0], "ci_low": np.nan, "ci_high": np.nan}
    )  # fmt: skip
    fig = companions.skill_by_group(scores, groups, 75.0, "en")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["desa_a\nGroup 1", "desa_b\nGroup 1"]
    x = np.round(ax.collections[0].get_offsets()[:, 0])
    assert x.tolist() == [0, 0, 0, 1, 1, 1]
    alt = companions.skill_by_group_alt_text(groups, 75.0, "en")
    assert "desa_a · Group 1 80.00 (n = 3), desa_b · Group 1 65.00 (n = 3)" in alt


def test_many_groups_turn_their_labels_upright_on_one_line():
    keys = [(f"desa_{v:02d}", g) for v in range(1, 5) for g in (1, 2, 3, 4)]
    groups = pd.DataFrame(
        {"cohort": [c for c, _ in keys], "group": [g for _, g in keys], "n": 2, "mean": 80.0,
         "ci_low": np.nan, "ci_high": np.nan}
    )  # fmt: skip
    scores = groups.loc[groups.index.repeat(2), ["cohort", "group"]].assign(score=80.0)
    fig = companions.skill_by_group(scores, groups, 75.0, "id")
    ticks = fig.axes[0].get_xticklabels()
    assert ticks[0].get_text() == "desa_01 · Kelompok 1" and ticks[0].get_rotation() == 90
    assert fig.get_figwidth() < 6.0 + 1e-9 or fig.get_figwidth() <= 0.28 * 16 + 1e-9
