"""Every page type meets WCAG 2.1 AA as axe-core checks it: no serious or critical violation,
in English and in French, YASGUI's editor and result table included.

axe-core (npm, scripts/install --test) is injected into Debian's headless Chromium. Skipped where
Chromium or axe-core is missing, unless HLDGRAPH_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import pytest

from tests.pages import NODE_MODULES, PAGES, require
from tests.test_browser import browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
#: WCAG 2.0 and 2.1, levels A and AA (axe-core's rule tags)
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}}).then(
  r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary).slice(0, 5)}))),
  e => done([{id: "axe-error", impact: "critical", nodes: [String(e)]}]));
"""


@pytest.fixture(scope="module")
def axe() -> str:
    require("axe-core", [] if AXE.exists() else [str(AXE)], "npm install (axe-core)")
    return AXE.read_text(encoding="utf-8")


def violations(browser, axe: str) -> list[str]:  # noqa: F811
    """axe-core's serious and critical WCAG 2.1 AA violations on the page the browser shows."""
    browser.execute_script(axe)
    browser.set_script_timeout(60)
    found = browser.execute_async_script(RUN, WCAG_AA)
    return [f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found
            if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("name, path", PAGES, ids=[n for n, _ in PAGES])
def test_page_has_no_serious_accessibility_violation(browser, live, axe, name, path):  # noqa: F811
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live + path)
    if name.startswith(("sparql", "query")):  # the editor is built by script: wait for it
        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script("return !!document.querySelector('#yasgui .yasqe')"))
    assert violations(browser, axe) == []


def test_query_answer_and_new_tab_are_accessible(browser, live, axe):  # noqa: F811
    """YASGUI's result table and a second tab, which the page's script builds after loading."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live + "/sparql")
    browser.find_element(By.CSS_SELECTOR, "#examples a[data-example='02-events-by-city']").click()
    WebDriverWait(browser, 30).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#yasgui .yasr tbody tr"))
    browser.find_element(By.CSS_SELECTOR, "#yasgui .addTab").click()
    WebDriverWait(browser, 10).until(
        lambda d: len(d.find_elements(By.CSS_SELECTOR, "#yasgui [role=tab]")) == 2)
    browser.find_elements(By.CSS_SELECTOR, "#yasgui [role=tab]")[0].click()
    WebDriverWait(browser, 10).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#yasgui .yasr tbody tr"))
    assert violations(browser, axe) == []
