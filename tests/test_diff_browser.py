"""The HTML diff report in a real headless browser (Debian's chromium + chromedriver).

The page must load from disk with no console errors, show tables with the expected
numbers of rows, and render to a screenshot that is not blank.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from test_diff import NEW, OLD

from pipeline import diff, report

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="needs Debian's chromium and chromium-driver (make apt)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1800",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def rows(driver, table_id: str) -> int:
    from selenium.webdriver.common.by import By

    return len(driver.find_elements(By.CSS_SELECTOR, f"table#{table_id} tbody tr"))


def test_html_report_in_a_real_browser(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    data = diff.diff_documents(OLD, NEW)
    page = tmp_path / "diff.html"
    page.write_text(report.render(data, "html"), encoding="utf-8")
    browser.get(page.as_uri())

    assert browser.title == "Diff 2022 → 2023"
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []

    actions = data["actions"]
    assert rows(browser, "added-actions") == len(actions["added"]) == 1
    assert rows(browser, "removed-actions") == len(actions["removed"]) == 1
    assert rows(browser, "changed-actions") == len(actions["changed"]) == 4
    assert rows(browser, "budget") == len(data["budget"]["difference"]["by_area"]) == 3
    assert browser.find_element(By.ID, "count-unchanged").text == "1"
    assert browser.find_element(By.ID, "count-budget").text == "+15 000"

    # the changed values, and only they, are highlighted
    highlighted = browser.find_elements(By.CSS_SELECTOR, "table#changed-actions td.changed")
    assert sorted(td.get_attribute("data-field") for td in highlighted) == sorted(
        f for change in actions["changed"] for f in change["fields"]
    )
    rescheduled = browser.find_element(By.CSS_SELECTOR, "td.changed[data-field='when']")
    assert rescheduled.find_element(By.TAG_NAME, "del").text == "December"
    assert rescheduled.find_element(By.TAG_NAME, "ins").text == "Juni"

    screenshot = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("L")
    assert screenshot.width > 1000
    assert ImageStat.Stat(screenshot).var[0] > 200  # a blank page has variance ~0


def test_clause_diff_in_a_real_browser(browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from pipeline.model import Clause, Document, SourceInfo

    def agreement(year: int, clauses: list[Clause]) -> Document:
        return Document(
            SourceInfo(f"avtal-{year}.pdf", "0" * 64, 1),
            kind="agreement",
            year=year,
            clauses=clauses,
        )

    old = agreement(
        2019,
        [
            Clause("1", "Syfte", "Kommunerna samverkar.", 1),
            Clause("2", "Parter", "Åtta kommuner.", 1),
        ],
    )
    new = agreement(
        2023,
        [
            Clause("1", "Syfte", "Kommunerna samverkar nära.", 1),
            Clause("3", "Ekonomi", "Kostnaden delas.", 1),
        ],
    )
    page = tmp_path / "avtal.html"
    page.write_text(report.render(diff.diff_documents(old, new), "html"), encoding="utf-8")
    browser.get(page.as_uri())
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert rows(browser, "added-clauses") == 1
    assert rows(browser, "removed-clauses") == 1
    section = browser.find_element(By.CSS_SELECTOR, "#changed-clauses section")
    assert section.find_element(By.TAG_NAME, "ins").text == "samverkar nära."
    assert section.find_element(By.TAG_NAME, "del").text == "samverkar."
