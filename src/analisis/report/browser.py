"""Open a report in headless Chromium: screenshots, broken images, console errors, sections.

Chromium (Debian's ``chromium`` package) runs without network access to anything but the
file itself. To see what the browser saw, a copy of the page gets a small probe script at
the top of ``<head>``: it records every error event and ``console.error`` call and, once the
page has loaded, writes the state of every ``<img>`` and of each expected section id into
the DOM, which ``--dump-dom`` prints. Console lines Chromium logs on stderr are collected
too. The report itself contains no script.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
BASE_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
PROBE_ID = "__analisis_probe"
PROBE = """<script>
window.__probeErrors = [];
window.addEventListener("error", function (e) {
  var target = e.target && e.target.src ? "resource failed: " + e.target.src.slice(0, 60) : "";
  window.__probeErrors.push(String(e.message || target));
}, true);
(function () {
  var original = console.error;
  console.error = function () {
    window.__probeErrors.push(Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
})();
window.addEventListener("load", function () {
  var images = Array.prototype.map.call(document.images, function (img) {
    return {ok: img.complete && img.naturalWidth > 0, width: img.naturalWidth,
            alt: img.getAttribute("alt") || "", inline: img.src.indexOf("data:") === 0};
  });
  var ids = JSON.parse(document.getElementById("__probe_ids").textContent);
  var missing = ids.filter(function (id) { return !document.getElementById(id); });
  var out = document.createElement("pre");
  out.id = "__PROBE_ID__";
  out.textContent = JSON.stringify({images: images, errors: window.__probeErrors,
                                    missing_sections: missing, title: document.title});
  document.body.appendChild(out);
});
</script>""".replace("__PROBE_ID__", PROBE_ID)


@dataclass(frozen=True)
class PageCheck:
    """What Chromium saw when it opened a page."""

    images: list[dict]
    errors: list[str]
    console: list[str]
    missing_sections: list[str]
    title: str

    @property
    def broken_images(self) -> list[int]:
        """Indexes of images that did not decode."""
        return [i for i, image in enumerate(self.images) if not image["ok"]]

    @property
    def problems(self) -> list[str]:
        """Everything that should fail a test, in words (empty when the page is clean)."""
        found = [f"image {i} did not decode" for i in self.broken_images]
        found += [f"image {i} has no alt text" for i, im in enumerate(self.images) if not im["alt"]]
        found += [
            f"image {i} is not inlined" for i, im in enumerate(self.images) if not im["inline"]
        ]
        found += [f"error: {e}" for e in self.errors]
        found += [f"console: {line}" for line in self.console]
        found += [f"missing section: {s}" for s in self.missing_sections]
        return found


def chromium_available(path: str = CHROMIUM) -> bool:
    """True when the Chromium binary exists and is executable."""
    return os.access(path, os.X_OK)


def _run(args: Sequence[str], timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="analisis-chromium-") as profile:
        return subprocess.run(
            [CHROMIUM, *BASE_ARGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def with_probe(page: str, section_ids: Sequence[str]) -> str:
    """The page with the probe script and the expected section ids inserted after ``<head>``.

    Examples
    --------
    >>> out = with_probe("<html><head><title>x</title></head><body></body></html>", ["a"])
    >>> out.index("__probe_ids") < out.index("<title>")
    True
    """
    ids = (
        f'<script type="application/json" id="__probe_ids">{json.dumps(list(section_ids))}</script>'
    )
    match = re.search(r"<head[^>]*>", page, flags=re.IGNORECASE)
    if match is None:
        raise ValueError("the page has no <head> element")
    return page[: match.end()] + ids + PROBE + page[match.end() :]


def check_page(
    html_path: str | os.PathLike,
    section_ids: Sequence[str],
    *,
    timeout: float = 90.0,
    budget_ms: int = 5000,
) -> PageCheck:
    """Open a probed copy of ``html_path`` in headless Chromium and report what it saw."""
    source = Path(html_path).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="analisis-page-") as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(with_probe(source, section_ids), encoding="utf-8")
        done = _run(
            [
                "--enable-logging=stderr",
                "--v=0",
                f"--virtual-time-budget={budget_ms}",
                "--dump-dom",
                copy.as_uri(),
            ],
            timeout,
        )
    match = re.search(rf'<pre id="{PROBE_ID}">(.*?)</pre>', done.stdout, flags=re.DOTALL)
    if match is None:
        raise RuntimeError(
            f"Chromium did not report on {html_path} (exit {done.returncode}): "
            f"{done.stderr[-2000:]}"
        )
    probe = json.loads(html.unescape(match.group(1)))
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return PageCheck(
        images=probe["images"],
        errors=probe["errors"],
        console=console,
        missing_sections=probe["missing_sections"],
        title=probe["title"],
    )


def screenshot(
    html_path: str | os.PathLike,
    png_path: str | os.PathLike,
    *,
    width: int = 1280,
    height: int = 2400,
    timeout: float = 90.0,
    budget_ms: int = 5000,
) -> Path:
    """Screenshot of the top ``height`` pixels of ``html_path`` as a PNG.

    Headless Chromium ignores a ``#fragment`` when taking the screenshot, so a tall window
    is the way to capture the whole page.
    """
    target = Path(png_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    url = Path(html_path).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="analisis-shot-") as folder:
        shot = Path(folder) / "shot.png"
        done = _run(
            [
                f"--virtual-time-budget={budget_ms}",
                f"--screenshot={shot}",
                f"--window-size={width},{height}",
                url,
            ],
            timeout,
        )
        if not shot.exists():
            raise RuntimeError(f"Chromium wrote no screenshot (exit {done.returncode})")
        shutil.move(shot, target)
    return target


#: Where :func:`run_script` finds what the script returned.
RESULT_ID = "__script_result"


def run_script(
    html_path: str | os.PathLike,
    script: str,
    *,
    timeout: float = 90.0,
    budget_ms: int = 5000,
    window: tuple[int, int] | None = None,
) -> Any:
    """Open ``html_path`` in headless Chromium, run ``script`` after the page's own
    scripts and return what it returns (a JSON value).

    ``window`` is the window's (width, height) in pixels (default Chromium's own), for
    scripts that measure the layout.

    ``script`` is the body of a function: ``return [...]``. Used to click and type in a
    page as a reader would (sort a table, filter it) and read what the page then shows.
    """
    source = Path(html_path).read_text(encoding="utf-8")
    runner = (
        "<script>(function () { var out = document.createElement('pre');"
        f" out.id = '{RESULT_ID}';"
        f" out.textContent = JSON.stringify((function () {{ {script} }})());"
        " document.body.appendChild(out); })();</script>"
    )
    at = source.rfind("</body>")
    if at < 0:
        raise ValueError(f"{html_path} has no </body>")
    with tempfile.TemporaryDirectory(prefix="analisis-page-") as folder:
        copy = Path(folder) / "page.html"
        copy.write_text(source[:at] + runner + source[at:], encoding="utf-8")
        size = [f"--window-size={window[0]},{window[1]}"] if window else []
        args = [f"--virtual-time-budget={budget_ms}", *size, "--dump-dom", copy.as_uri()]
        done = _run(args, timeout)
    match = re.search(rf'<pre id="{RESULT_ID}">(.*?)</pre>', done.stdout, flags=re.DOTALL)
    if match is None:
        raise RuntimeError(f"the script gave no result (exit {done.returncode})")
    return json.loads(html.unescape(match.group(1)))
