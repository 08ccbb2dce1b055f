#!/usr/bin/python3
"""Opens a generated page in headless Chromium (Debian's chromium and chromium-driver, driven by
python3-selenium) and checks what a reader would see: no console errors, every section present and
shown, every chart drawn. Keeps a full-page screenshot as the test's artifact.

usage: browser_check.py PAGE.html SCREENSHOT.png
       browser_check.py --selftest PAGE.html SCREENSHOT.png

--selftest breaks a copy of the page (a script error, a removed section, an emptied chart) and
passes only if the check reports all three: proof that a green run means something.

Exit status: 0 passed; 1 a check failed; 77 skipped because the browser is not installed (the
reason is printed; scripts/setup installs it).
"""

import sys
import tempfile
from pathlib import Path

SKIP = 77
SECTIONS = ["provenance", "verdict", "throughput", "wait-path", "allocations", "correctness", "baseline", "raw"]
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
    selftest = argv[:1] == ["--selftest"]
    argv = argv[1:] if selftest else argv
    if len(argv) != 2:
        sys.exit(__doc__)
    page, shot = Path(argv[0]).resolve(), Path(argv[1])
    if selftest:
        with tempfile.TemporaryDirectory() as d:
            failures = check(broken_copy(page, d), shot)
        if failures is None:
            return SKIP
        expected = ["console error", "section #allocations is missing", "charts were not drawn"]
        missed = [e for e in expected if not any(e in f for f in failures)]
        for m in missed:
            print(f"browser_check: FAIL: the seeded breakage '{m}' went unreported")
        if not missed:
            print(f"browser_check: the seeded breakages were all reported ({len(failures)} failures)")
        return 1 if missed else 0
    failures = check(page, shot)
    if failures is None:
        return SKIP
    for f in failures:
        print(f"browser_check: FAIL: {f}")
    return 1 if failures else 0


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


def check(page, shot):
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
    print(f"browser_check: {page.name}: {len(figures)} charts, page {page.stat().st_size} bytes; screenshot {shot} ({shot.stat().st_size} bytes)")
    return failures


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
