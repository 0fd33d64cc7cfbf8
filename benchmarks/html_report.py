"""Benchmark: how fast the reviewer's HTML report loads and filters in headless Chromium.

Generates synthetic runs (default 5,000 sentences, and 500 as the baseline in the same run),
writes their reports, and opens each several times in a fresh browser context, measuring:

- render: Python time of ``render_html`` (typed run to page text);
- load: navigation start to the page being ready (data parsed, summary, charts and first chunk
  of sentences built), read from ``performance.now()`` inside the page;
- filter: clicking the "none" severity chip (hiding unflagged sentences) until the list is
  rebuilt and the next frame is painted; and clicking it again (all sentences back).

Usage (from the project root; needs the system Chromium and the playwright package):
    python benchmarks/html_report.py [--sentences 5000] [--baseline 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mtaudit.reports.html import render_html, write_html  # noqa: E402
from tests.helpers.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.helpers.run_fixtures import large_run  # noqa: E402

FILTER_JS = """async () => {
    const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const chip = document.querySelector("button.chip[data-severity='none']");
    const list = document.getElementById('list');
    await frame();
    let t = performance.now();
    chip.click();
    const hidden = +list.dataset.visible;
    await frame();
    const hide = performance.now() - t;
    t = performance.now();
    chip.click();
    const all = +list.dataset.visible;
    await frame();
    const show = performance.now() - t;
    return {hide, show, hidden, all};
}"""


def measure(browser: Any, path: Path, repeat: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"load": [], "wall": [], "hide": [], "show": []}
    for _ in range(repeat):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("html[data-ready='1']", timeout=60_000)
        out["wall"].append((time.perf_counter() - started) * 1000)
        out["load"].append(page.evaluate("() => window.__mtauditReadyAt"))
        result = page.evaluate(FILTER_JS)
        if not 0 < result["hidden"] < result["all"]:
            raise SystemExit(f"filter did not change the list: {result}")
        out["hide"].append(result["hide"])
        out["show"].append(result["show"])
        context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("needs the playwright package (pip install playwright)") from None
    if not CHROMIUM.exists():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium)")

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        version = browser.version
        for n in (args.baseline, args.sentences):
            run = large_run(n, n_documents=max(1, n // 200))
            renders = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                render_html(run)
                renders.append((time.perf_counter() - t) * 1000)
            path = write_html(run, Path(tmp) / f"report-{n}.html")
            m = measure(browser, path, args.repeat)
            rows.append(
                {
                    "n": n,
                    "size": path.stat().st_size / 1e6,
                    "render": statistics.median(renders),
                    **{k: statistics.median(v) for k, v in m.items()},
                }
            )
        browser.close()

    print(
        f"HTML report benchmark: {args.repeat} repetitions, medians; Chromium {version}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print()
    print(
        "| sentences | file MB | render (Python) ms | load ms | load (wall) ms "
        "| filter: hide 'none' ms | filter: show all ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['size']:.1f} | {r['render']:.0f} | {r['load']:.0f} "
            f"| {r['wall']:.0f} | {r['hide']:.1f} | {r['show']:.1f} |"
        )
    base, big = rows[0], rows[-1]
    print()
    print(
        f"{big['n']:,} vs {base['n']:,} sentences: load x{big['load'] / base['load']:.2f}, "
        f"filter (hide) x{big['hide'] / base['hide']:.2f}; "
        f"filter takes {100 * big['hide'] / big['load']:.1f}% of the load time."
    )


if __name__ == "__main__":
    main()
