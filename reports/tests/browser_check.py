#!/usr/bin/python3
"""Opens a generated page in headless Chromium (Debian's chromium and chromium-driver, driven by
python3-selenium) and checks what a reader would see: no console errors, every section present and
shown (the decision box, the status block and the contents first), every chart drawn, tables that
sort, and the page's budgets. Keeps a full-page screenshot as the test's artifact.

usage: browser_check.py [BUDGETS] PAGE.html SCREENSHOT.png
       browser_check.py --selftest [BUDGETS] PAGE.html SCREENSHOT.png

BUDGETS: --max-bytes N (the page file), --max-charts N (figures), --max-load-ms N (navigationStart
to loadEventEnd, from window.performance.timing, in this headless browser).

--selftest breaks a copy of the page (a script error, a removed section, an emptied chart) and
passes only if the check reports all three, and, given budgets, also checks the page against
budgets it cannot meet (a tenth of each) and passes only if each is reported: proof that a green
run means something.

Exit status: 0 passed; 1 a check failed; 77 skipped because the browser is not installed (the
reason is printed; scripts/setup installs it).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

SKIP = 77
# In page order: the decision box, the status block and the contents first, then the numbered sections.
SECTIONS = ["decision", "status", "toc", "provenance", "verdict", "throughput", "wait-path", "allocations", "correctness", "baseline",
            "raw"]
# Flags for a sandboxed, offline, reproducible headless run (no first-run UI, no background fetches).
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--window-size=1280,1000"]


def broken_copy(page, directory):
    html = page.read_text(encoding="utf-8")
    html = html.replace("</body>", "<script>wakerbench_seeded_error();</script></body>", 1)
    html = html.replace('<section id="allocations">', '<section id="allocations-removed">', 1)
    start = html.index('<figure class="chart">') + len('<figure class="chart">')
    html = html[:start] + html[html.index("</figure>", start):]
    copy = Path(directory) / "broken.html"
    copy.write_text(html, encoding="utf-8")
    return copy


def main(argv):
    parser = argparse.ArgumentParser(prog="browser_check.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--selftest", action="store_true")
    parser.add_argument("--max-bytes", type=int, help="the most bytes the page file may have")
    parser.add_argument("--max-charts", type=int, help="the most charts (figure.chart) the page may have")
    parser.add_argument("--max-load-ms", type=int, help="the most milliseconds from navigationStart to loadEventEnd")
    parser.add_argument("page", type=Path)
    parser.add_argument("screenshot", type=Path)
    args = parser.parse_args(argv)
    page, shot = args.page.resolve(), args.screenshot
    budgets = Budgets(args.max_bytes, args.max_charts, args.max_load_ms)
    if args.selftest:
        with tempfile.TemporaryDirectory() as d:
            failures = check(broken_copy(page, d), shot, Budgets())
            if failures is not None and budgets.given():
                failures += check(page, shot, budgets.unmeetable(page))
        if failures is None:
            return SKIP
        expected = ["console error", "section #allocations is missing", "charts were not drawn"]
        expected += [f"over the {what} budget" for what in budgets.given()]
        missed = [e for e in expected if not any(e in f for f in failures)]
        for m in missed:
            print(f"browser_check: FAIL: the seeded breakage '{m}' went unreported")
        if not missed:
            print(f"browser_check: the seeded breakages were all reported ({len(failures)} failures)")
        return 1 if missed else 0
    failures = check(page, shot, budgets)
    if failures is None:
        return SKIP
    for f in failures:
        print(f"browser_check: FAIL: {f}")
    return 1 if failures else 0


class Budgets:
    """The page's limits; None: not checked."""

    def __init__(self, max_bytes=None, max_charts=None, max_load_ms=None):
        self.max_bytes, self.max_charts, self.max_load_ms = max_bytes, max_charts, max_load_ms

    def given(self):
        return [what for what, limit in (("bytes", self.max_bytes), ("charts", self.max_charts), ("load time", self.max_load_ms))
                if limit is not None]

    def unmeetable(self, page):
        """Budgets no page can meet, for the self-test: a tenth of the page's own size and of the charts, and 0 ms
        to load (a tenth of the load budget was not enough: the small fixture page loads in 140-250 ms)."""
        tenth = lambda limit: None if limit is None else limit // 10  # noqa: E731
        return Budgets(None if self.max_bytes is None else page.stat().st_size // 10, tenth(self.max_charts),
                       None if self.max_load_ms is None else 0)

    def failures(self, size, charts, load_ms):
        out = []
        if self.max_bytes is not None and size > self.max_bytes:
            out.append(f"the page is {size} bytes, over the bytes budget of {self.max_bytes}")
        if self.max_charts is not None and charts > self.max_charts:
            out.append(f"the page has {charts} charts, over the charts budget of {self.max_charts}")
        if self.max_load_ms is not None and load_ms > self.max_load_ms:
            out.append(f"the page took {load_ms} ms to load, over the load time budget of {self.max_load_ms} ms")
        return out


def load_time_ms(driver):
    """navigationStart to loadEventEnd of the page just opened, in ms (waits for loadEventEnd to be set)."""
    deadline = time.monotonic() + 30
    while True:
        t = driver.execute_script("var t = window.performance.timing; return [t.navigationStart, t.loadEventEnd];")
        if t[1] or time.monotonic() > deadline:
            return t[1] - t[0] if t[1] else None
        time.sleep(0.05)


def open_details(driver, element):
    """Opens the folded <details> holding element, the way a reader would: a click on its summary."""
    details = driver.execute_script("return arguments[0].closest('details');", element)
    if details is not None and not details.get_attribute("open"):
        details.find_element("css selector", "summary").click()


def sorting_failures(driver, By, selector, column, value):
    """Clicks heading `column` of the first table matching selector twice: ascending, then descending."""
    table = driver.find_element(By.CSS_SELECTOR, selector)
    open_details(driver, table)
    heading = table.find_elements(By.CSS_SELECTOR, "thead tr:last-child th")[column]
    values = lambda: [value(r.find_elements(By.TAG_NAME, "td")[column]) for r in table.find_elements(By.CSS_SELECTOR, "tbody tr")]  # noqa: E731
    heading.click()
    ascending = values()
    heading.click()
    if ascending != sorted(ascending) or values() != sorted(ascending, reverse=True):
        return [f"{selector}: clicking heading {column} did not sort the rows: {ascending}, then {values()}"]
    return []


def check(page, shot, budgets):
    """The failures seen on the page (empty: passed), or None if the browser is not installed."""
    for binary in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not Path(binary).exists():
            print(f"browser_check: SKIPPED: {binary} is not installed (scripts/setup installs chromium and chromium-driver)")
            return None
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
    except ImportError as e:
        print(f"browser_check: SKIPPED: python3-selenium is not installed ({e}); scripts/setup installs it")
        return None

    failures = []
    with tempfile.TemporaryDirectory(prefix="wb-chromium-") as profile:  # a fresh profile every run
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in FLAGS + [f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        try:
            driver.get(page.as_uri())
            load_ms = load_time_ms(driver)
            if load_ms is None:
                failures.append("the page never finished loading (no loadEventEnd)")
            errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            for e in errors:
                failures.append(f"console error: {e.get('message')}")
            for section in SECTIONS:
                found = driver.find_elements(By.ID, section)
                if not found:
                    failures.append(f"section #{section} is missing")
                elif not found[0].is_displayed():
                    failures.append(f"section #{section} is not shown")
            figures = driver.find_elements(By.CSS_SELECTOR, "figure.chart")
            drawn = [f for f in figures if f.find_elements(By.TAG_NAME, "svg") and f.find_element(By.TAG_NAME, "svg").size["height"] > 50]
            if not figures:
                failures.append("no chart on the page")
            if len(drawn) != len(figures):
                failures.append(f"{len(figures) - len(drawn)} of {len(figures)} charts were not drawn")
            failures += budgets.failures(page.stat().st_size, len(figures), load_ms or 0)
            # The sorting script runs: a click on the first heading sorts the rows by name, a second reverses them;
            # under a row of group headings (the wait-list tables) a number column sorts by its values.
            failures += sorting_failures(driver, By, "#throughput table.sortable", 0, lambda td: td.text)
            if driver.find_elements(By.CSS_SELECTOR, "#wait-path table.sortable"):
                failures += sorting_failures(driver, By, "#wait-path table.sortable", 1, lambda td: float(td.get_attribute("data-value")))
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(1280, min(height, 16000))
            driver.execute_script("window.scrollTo(0, 0)")  # the sorting clicks scrolled it
            shot.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(shot))
        finally:
            driver.quit()
    print(f"browser_check: {page.name}: {len(figures)} charts, page {page.stat().st_size} bytes, loaded in {load_ms} ms; "
          f"screenshot {shot} ({shot.stat().st_size} bytes)")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
