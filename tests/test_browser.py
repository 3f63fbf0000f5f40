"""Both reports in a real browser: headless Chromium opens them, decodes every image, logs
no console error and finds every section; a screenshot shows the page rendered.

Set ``ANALISIS_SCREENSHOTS=<dir>`` to keep the screenshots for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from report_fixtures import clear_figure_cache, render_all, render_scaled

from analisis.figures.style import POST_COLOUR, PRE_COLOUR
from analisis.report.browser import (
    CHROMIUM,
    check_page,
    chromium_available,
    run_script,
    screenshot,
)
from analisis.report.text import SECTION_IDS, VILLAGE_SECTIONS, WAVE_SECTIONS
from analisis.text import say

#: Sections of a study of one village.
ONE_VILLAGE = [sid for sid in SECTION_IDS if sid not in VILLAGE_SECTIONS + WAVE_SECTIONS]
TOPIC = {"id": "pijat laktasi", "en": "lactation-massage"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not chromium_available(),
        reason=f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does)",
    ),
]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    made = render_all(tmp_path_factory.mktemp("browser"))
    yield made
    clear_figure_cache()


def _has_colour(pixels: np.ndarray, hex_colour: str, tolerance: int = 6) -> bool:
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return bool(np.any(np.all(np.abs(pixels[..., :3].astype(int) - target) <= tolerance, axis=-1)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_opens_cleanly_in_chromium(lang, reports):
    seen = check_page(reports[lang], ONE_VILLAGE)
    assert seen.problems == []
    assert seen.title == say("report.title", lang, topic=TOPIC[lang])
    assert len(seen.images) == 8  # with the planning figure
    assert all(image["width"] > 1000 for image in seen.images)  # 300 dpi PNGs decoded


@pytest.mark.parametrize("lang", ["id", "en"])
def test_screenshot_shows_text_and_figures(lang, reports, tmp_path):
    shot = screenshot(reports[lang], tmp_path / f"{lang}.png", width=1280, height=2600)
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert pixels.shape == (2600, 1280, 3)
    dark = np.mean(pixels.sum(axis=-1) < 200)
    assert dark > 0.002, "no text visible"
    # Diagram 1 (bars in Okabe-Ito orange and blue) is in the first screen of the page.
    assert _has_colour(pixels, PRE_COLOUR) and _has_colour(pixels, POST_COLOUR)
    keep = os.environ.get("ANALISIS_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / f"{reports[lang].stem}.png")


def _keep(shot: Path, name: str) -> None:
    keep = os.environ.get("ANALISIS_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / name)


@pytest.fixture(scope="module")
def ten_villages(tmp_path_factory):
    return render_all(tmp_path_factory.mktemp("villages10"), villages=10)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_two_villages_open_cleanly_with_the_pooled_and_village_sections(lang, tmp_path):
    reports = render_all(tmp_path, villages=2)
    seen = check_page(reports[lang], [sid for sid in SECTION_IDS if sid not in WAVE_SECTIONS])
    assert seen.problems == []
    assert len(seen.images) == 10  # the forest plot, skill by village and planning too
    shot = screenshot(reports[lang], tmp_path / f"{lang}.png", width=1280, height=5200)
    _keep(shot, f"two_villages_{reports[lang].stem}.png")


SORT_AND_FILTER = """
var table = document.getElementById("by-village");
function firsts() {
  return Array.prototype.filter.call(table.tBodies[0].rows, function (r) { return !r.hidden; })
    .map(function (r) { return r.cells[0].textContent; });
}
var gain = table.querySelector('th button[data-column="4"]');
gain.click();
var ascending = firsts();
gain.click();
var descending = firsts();
var filter = document.getElementById("village-filter");
filter.value = "desa_1";
filter.dispatchEvent(new Event("input"));
return {ascending: ascending, descending: descending, filtered: firsts(),
        sort: table.querySelectorAll("th")[4].getAttribute("aria-sort")};
"""


def test_ten_villages_sort_by_a_column_and_filter_by_name(ten_villages, tmp_path):
    seen = run_script(ten_villages["en"], SORT_AND_FILTER)
    # Gains: desa_04 and desa_08 lowest (pre-test highest), desa_03 and desa_07 highest.
    assert seen["ascending"][:2] == ["desa_04", "desa_08"]
    assert seen["descending"][:2] == ["desa_03", "desa_07"]
    assert seen["sort"] == "descending"
    assert seen["filtered"] == ["desa_10"]
    shot = screenshot(ten_villages["id"], tmp_path / "ten.png", width=1280, height=5200)
    _keep(shot, "ten_villages_laporan.png")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """Both reports of a fabricated programme of 10,000 villages, and its by_village.csv."""
    root = tmp_path_factory.mktemp("national")
    reports = render_scaled(root, 10_000)
    return reports, pd.read_csv(root / "reports" / "tables" / "by_village.csv")


SEARCH_AND_PAGE = """
var filter = document.getElementById("village-filter");
function shown() {
  return Array.prototype.map.call(document.getElementById("by-village").tBodies[0].rows,
                                  function (r) { return r.cells[0].textContent; });
}
function type(text) { filter.value = text; filter.dispatchEvent(new Event("input")); }
var first = shown();
type("DESA_0999");
var found = shown(), status = document.getElementById("page-status").textContent;
type("");
document.getElementById("page-next").click();
var second = shown();
var gain = document.querySelector('#by-village th button[data-column="4"]');
gain.click();
gain.click();
return {first: first, found: found, status: status, second: second, top: shown()[0],
        pager: !document.getElementById("by-village-pages").hidden};
"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ten_thousand_villages_search_page_and_sort(national, lang, tmp_path):
    reports, by_village = national
    seen = run_script(reports[lang], SEARCH_AND_PAGE, budget_ms=20000)
    names = list(by_village["cohort"])
    assert seen["first"] == names[:50] and seen["second"] == names[50:100]
    # Searching ignores case and keeps the villages whose name holds the text.
    assert seen["found"] == [name for name in names if "desa_0999" in name]
    assert seen["status"] == say("report.page_status", lang, first=1, last=10, n=10)
    assert seen["pager"]
    # Sorted by gain, largest first: the village with the largest gain in the CSV.
    assert seen["top"] == by_village.loc[by_village["gain_mean"].idxmax(), "cohort"]
    shot = screenshot(reports[lang], tmp_path / f"{lang}.png", width=1280, height=9000)
    _keep(shot, f"national_{reports[lang].stem}.png")


def test_the_check_fails_on_a_broken_image_a_console_error_and_a_missing_section(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title></head><body>"
        '<section id="study"></section>'
        '<img src="data:image/png;base64,AAAA" alt="broken">'
        '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4'
        '2mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==">'
        "<script>console.error('boom')</script></body></html>",
        encoding="utf-8",
    )
    seen = check_page(page, ["study", "tests"])
    assert seen.broken_images == [0]
    assert "image 1 has no alt text" in seen.problems
    assert any("boom" in error for error in seen.errors)
    assert any("boom" in line for line in seen.console)
    assert seen.missing_sections == ["tests"]
