"""Village figures: forest up to 30 villages, caterpillar above, both languages, same bytes."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb

from analisis.figures.diagrams import (
    DIAGRAM2_NAMED_MAX,
    diagram2_village_alt_text,
    diagram2_village_means,
)
from analisis.figures.style import ACCENT_COLOUR, figure_bytes, save_figure
from analisis.figures.villages import (
    CATERPILLAR_HEIGHT,
    FOREST_MAX,
    MAX_HEIGHT,
    forest_plot,
    forest_plot_alt_text,
    skill_by_village,
    skill_by_village_alt_text,
)
from analisis.text import say

POOLED = {"estimate": 11.4, "ci95": [9.0, 13.8], "prediction_interval95": [2.5, 20.3]}


def word(key: str, lang: str) -> str:
    """A word of the village figures from the text catalogue."""
    return say(f"figure.village.{key}", lang)


def villages(n: int) -> pd.DataFrame:
    """A by_village table of ``n`` made-up villages (only the columns the figures draw)."""
    rng = np.random.default_rng(n)
    gain, skill = rng.normal(12, 4, n), rng.normal(80, 6, n)
    return pd.DataFrame(
        {
            "cohort": [f"desa_{i:04d}" for i in range(n)],
            "n_pairs": rng.integers(2, 40, n),
            "gain_mean": gain,
            "gain_ci95_lower": gain - 4,
            "gain_ci95_upper": gain + 4,
            "skill_n": rng.integers(2, 40, n),
            "skill_mean": skill,
            "skill_ci95_lower": skill - 5,
            "skill_ci95_upper": np.minimum(skill + 5, 100),
        }
    )


def tick_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.axes[0].get_yticklabels()]


@pytest.mark.parametrize("n", [1, 2, 31])
def test_both_figures_build(n):
    table = villages(n)
    for figure in (forest_plot(table, POOLED, "id"), skill_by_village(table, 75.0, "en")):
        assert figure_bytes(figure, "png")[:4] == b"\x89PNG"


def test_forest_names_every_village_up_to_30_then_ranks():
    forest = forest_plot(villages(FOREST_MAX), POOLED, "en")
    assert tick_texts(forest) == [f"desa_{i:04d}" for i in range(30)] + [word("pooled", "en")]
    caterpillar = forest_plot(villages(FOREST_MAX + 1), POOLED, "en")
    assert not any(text.startswith("desa_") for text in tick_texts(caterpillar))
    assert caterpillar.axes[0].get_ylabel() == word("rank_axis", "en")
    # Sorted by estimate: the drawn points rise with the rank.
    points = caterpillar.axes[0].collections[1].get_offsets()
    assert np.all(np.diff(np.asarray(points)[:, 0]) >= 0)


def test_thousand_villages_render_quickly_in_a_bounded_figure():
    table = villages(1000)
    start = time.perf_counter()
    for figure in (forest_plot(table, POOLED, "id"), skill_by_village(table, 75.0, "id")):
        assert figure.get_size_inches()[1] <= MAX_HEIGHT
        figure_bytes(figure, "png")
    assert time.perf_counter() - start < 30


def test_axis_labels_in_each_language():
    table = villages(3)
    for lang in ("id", "en"):
        assert forest_plot(table, POOLED, lang).axes[0].get_xlabel() == say(
            "figure.village.gain_axis", lang
        )
        assert skill_by_village(table, 75.0, lang).axes[0].get_xlabel() == (
            word("skill_axis", lang)
        )
    assert forest_plot(table, None, "id")._suptitle.get_text() == say(
        "figure.village.forest_title", "id"
    )


def test_long_village_names_wrap_onto_two_lines():
    table = villages(2).assign(cohort=["Desa Sukamaju Kecamatan Cibeber Timur Laut", "B"])
    first = tick_texts(forest_plot(table, None, "en"))[0]
    assert first.count("\n") == 1 and all(len(line) <= 26 for line in first.split("\n"))


def test_alt_texts_use_the_decimal_comma_in_indonesian():
    table = villages(2).assign(gain_mean=[14.25, 9.5], skill_mean=[82.5, 74.0])
    text = forest_plot_alt_text(table, POOLED, "id")
    assert "9,50 (desa_0001) sampai 14,25 (desa_0000)" in text
    assert "11,40 [9,00; 13,80]" in text and "[2,50; 20,30]" in text
    skill = skill_by_village_alt_text(table, 75.0, "en")
    assert "from 74.00 (desa_0001) to 82.50 (desa_0000)" in skill and "1 of 2" in skill
    assert "Caterpillar" in forest_plot_alt_text(villages(31), None, "en")


def test_saved_twice_byte_identical(tmp_path):
    table = villages(12)
    for name, figure in (
        ("forest", forest_plot(table, POOLED, "id")),
        ("skill", skill_by_village(table, 75.0, "en")),
    ):
        first = save_figure(figure, tmp_path / f"{name}_1", ["png", "svg"])
        second = save_figure(figure, tmp_path / f"{name}_2", ["png", "svg"])
        for a, b in zip(first, second, strict=True):
            assert a.read_bytes() == b.read_bytes()
        rebuilt = forest_plot(table, POOLED, "id") if name == "forest" else None
        if rebuilt is not None:
            assert figure_bytes(rebuilt, "png") == first[0].read_bytes()


def test_diagram2_of_villages_keeps_same_named_groups_of_villages_apart():
    """Two villages, each with a "group 1": one bar per village, never one stacked bar."""
    table = pd.DataFrame({"cohort": ["desa_a", "desa_b"], "skill_mean": [70.0, 90.0]})
    figure = diagram2_village_means(80.0, table, "en")
    bars = figure.axes[0].patches
    assert [b.get_height() for b in bars] == [80.0, 70.0, 90.0]
    assert [b.get_x() + b.get_width() / 2 for b in bars] == [0.0, 1.0, 2.0]
    names = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert names == ["All cadres", "desa_a", "desa_b"]


def test_diagram2_of_many_villages_ranks_them_and_draws_all_cadres_as_a_line():
    table = villages(DIAGRAM2_NAMED_MAX + 1)
    figure = diagram2_village_means(81.5, table, "id")
    heights = [b.get_height() for b in figure.axes[0].patches]
    assert heights == sorted(table["skill_mean"])
    assert [line.get_ydata()[0] for line in figure.axes[0].lines] == [81.5]
    low = table.loc[table["skill_mean"].idxmin()]
    alt = diagram2_village_alt_text(81.5, table, "en")
    assert f"{DIAGRAM2_NAMED_MAX + 1} villages" in alt
    assert f"from {low['skill_mean']:.2f} ({low['cohort']})" in alt


def test_diagram2_of_ten_thousand_villages_is_one_stepped_area_of_the_ranked_means():
    table = villages(10_000)
    figure = diagram2_village_means(81.5, table, "en")
    (area,) = figure.axes[0].patches
    heights, edges, _ = area.get_data()
    assert list(heights) == sorted(table["skill_mean"])
    assert (edges[0], edges[-1]) == (0.5, 10_000.5)


def test_ten_thousand_villages_make_a_band_of_fixed_size_with_the_flagged_counted():
    table = villages(10_000)
    # The flags are given (pooled.json's mixed model): here the 100 villages whose whole
    # interval lies below a target just above the 100th lowest upper limit.
    target = float(np.sort(table["gain_ci95_upper"])[100])
    flagged = list(table.loc[table["gain_ci95_upper"] < target, "cohort"])
    assert len(flagged) == 100
    figure = forest_plot(table, POOLED, "en", (flagged, target))
    assert tuple(figure.get_size_inches()) == (6.4, CATERPILLAR_HEIGHT)
    ax = figure.axes[0]
    assert not any(text.startswith("desa_") for text in tick_texts(figure))
    # The band is one raster in the vector formats, the flagged drawn over it and counted.
    band = [
        c for c in ax.collections if len(c.get_offsets()) == 10_000 or len(c.get_paths()) == 10_000
    ]
    assert band and all(c.get_rasterized() for c in band)
    accent = [c for c in ax.collections if len(c.get_paths()) == 100]
    assert np.allclose(accent[0].get_colors()[0][:3], to_rgb(ACCENT_COLOUR))
    assert "100 of 10000 villages" in ax.get_title(loc="left").replace("\n", " ")
    png = figure_bytes(figure, "png")
    assert len(png) < 600_000
    assert len(figure_bytes(figure, "svg")) < 600_000
    assert figure_bytes(figure, "png") == png
