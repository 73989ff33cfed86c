"""What a person sees: headless Chromium (Debian's) through the landing page, the calendar, an
event, the query page and the venues with their map.

Skipped where Chromium or ChromeDriver is missing, unless HLDGRAPH_REQUIRE_BROWSER=1 (CI), which
makes that a failure. With HLDGRAPH_SCREENSHOTS=1 the pages are saved to docs/screenshots/.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF

from hldgraph.urls import SCHEMA
from tests.test_resources import BASE, site  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        message = f"headless browser not installed: {', '.join(missing)} (Debian: chromium, " \
                  "chromium-driver)"
        if os.environ.get("HLDGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # every request the page makes, for the test that none leaves the server
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                "--lang=en-GB", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shot(driver, name: str) -> None:
    """Saves what the browser shows, for the README (only when asked: CI keeps the tree clean)."""
    if os.environ.get("HLDGRAPH_SCREENSHOTS") != "1":
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(height, 800), 2400))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1280, 1000)


def en(union, iri: URIRef, p: URIRef) -> str:
    return next(str(o) for o in union.objects(iri, p)
                if isinstance(o, Literal) and o.language == "en")


def test_landing_page(browser, site):  # noqa: F811
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    assert "HLD 2006" in browser.title
    links = {a.text for a in browser.find_elements(By.CSS_SELECTOR, "main a")}
    assert {"Calendar", "Bodies", "Thematic areas", "Query (SPARQL)", "Ontology"} <= links
    shot(browser, "landing")
    browser.find_element(By.LINK_TEXT, "Calendar").click()
    loaded(browser, lambda d: d.current_url.endswith("/calendar"))


def loaded(browser, arrived) -> None:
    """Waits for the page a click led to, however loaded the machine is."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 20).until(
        lambda d: arrived(d) and d.execute_script("return document.readyState") == "complete")


def test_calendar_filtered_by_city_with_the_form(browser, site, union):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    events = list(union.subjects(RDF.type, SCHEMA.Event))
    geneva = URIRef(BASE + "id/place/geneva")
    in_geneva = [e for e in events if (e, SCHEMA.location, geneva) in union]
    browser.get(site + "/calendar")
    rows = browser.find_elements(By.CSS_SELECTOR, "table#calendar tbody tr")
    assert len(rows) == len(events)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.timeline a.bar")) == len(events)
    shot(browser, "calendar")
    Select(browser.find_element(By.ID, "filter-city")).select_by_value("geneva")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    loaded(browser, lambda d: "city=geneva" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "table#calendar tbody tr")
    assert len(rows) == len(in_geneva) > 0
    city = en(union, geneva, SCHEMA.name)
    assert all(r.find_element(By.CSS_SELECTOR, "td.venue").text == city for r in rows)
    shown = {r.find_element(By.CSS_SELECTOR, "td.title").text for r in rows}
    assert shown == {en(union, e, SCHEMA.name) for e in in_geneva}


def test_event_page(browser, site, union):  # noqa: F811
    from selenium.webdriver.common.by import By

    event = URIRef(BASE + "id/event/7")
    browser.get(site + "/id/event/7")  # the IRI itself: 303 to the page
    assert browser.current_url.endswith("/doc/event/7.html")
    assert browser.find_element(By.TAG_NAME, "h1").text == en(union, event, SCHEMA.name)
    start = union.value(event, SCHEMA.startDate).toPython()
    dates = browser.find_element(By.CSS_SELECTOR, "td.dates").text
    assert str(start.day) in dates and start.strftime("%B") in dates
    text = browser.find_element(By.TAG_NAME, "main").text
    for body in union.objects(event, SCHEMA.organizer):
        label = next(str(o) for o in union.objects(body, URIRef(
            "http://www.w3.org/2004/02/skos/core#prefLabel")) if o.language == "en")
        assert label in text
    shot(browser, "event")
    browser.find_element(By.LINK_TEXT, "Français").click()
    loaded(browser, lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr")


def test_query_page_runs_an_example(browser, site, union):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    venues = Counter(union.value(e, SCHEMA.location)
                     for e in union.subjects(RDF.type, SCHEMA.Event))
    busiest = en(union, venues.most_common(1)[0][0], SCHEMA.name)
    browser.get(site + "/sparql")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return !!window.hldgraphYasgui"))
    shown = browser.execute_script("return hldgraphYasgui.getTab().getYasqe().getValue()")
    first = browser.find_element(By.CSS_SELECTOR, "#examples a[data-example]")
    assert shown.splitlines()[0] == "# " + first.text  # the example's question, not PREFIX lines
    browser.find_element(By.CSS_SELECTOR, "#examples a[data-example='02-events-by-city']").click()
    # YASGUI shows the answer in its table; without JavaScript the server renders #results
    rows = "#yasgui .yasr tbody tr, table#results tbody tr"
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, rows)))
    first = browser.find_elements(By.CSS_SELECTOR, rows)[0]
    assert busiest in first.text and str(venues.most_common(1)[0][1]) in first.text
    # the row number stands apart from the first value (YASGUI's CSS once missed DataTables 2)
    number = browser.find_element(By.CSS_SELECTOR, "#yasgui .yasr tbody tr td")
    assert number.text == "1"
    padding = browser.execute_script(
        "const s = getComputedStyle(arguments[0]);"
        "return parseFloat(s.paddingLeft) + parseFloat(s.paddingRight)", number)
    assert padding >= 8
    shot(browser, "query")



def test_french_pages_name_the_site_in_french(browser, site):  # noqa: F811
    from selenium.webdriver.common.by import By

    from hldgraph.web.i18n import translate

    browser.get(site + "/calendar?lang=fr")
    assert browser.find_element(By.CSS_SELECTOR, "header.site a.home").text == \
        translate("site", "fr") != translate("site", "en")


def test_venue_map_and_its_table(browser, site, union):  # noqa: F811
    """Every venue of an event is a circle on the map and a row of the table beside it, which a
    screen reader reads; the page's menu is the whole menu."""
    from selenium.webdriver.common.by import By

    venues = Counter(union.value(e, SCHEMA.location)
                     for e in union.subjects(RDF.type, SCHEMA.Event))
    browser.get(site + "/places")
    circles = browser.find_elements(By.CSS_SELECTOR, "svg.map a.venue circle")
    assert sorted(int(c.get_attribute("data-count")) for c in circles) == \
        sorted(venues.values())
    rows = browser.find_elements(By.CSS_SELECTOR, "table#venues tbody tr")
    assert {r.find_element(By.CSS_SELECTOR, "td a").text for r in rows} >= \
        {en(union, v, SCHEMA.name) for v in venues}
    menu = browser.find_elements(By.CSS_SELECTOR, "header.site nav a")
    assert [a.text for a in menu][-1] == "SPARQL" and len(menu) == 6
    shot(browser, "places")


def _requested(browser) -> list[str]:
    """The URL of every request the browser made since the last call (Chrome's network log)."""
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _hints(browser, text: str) -> list[str]:
    """What the query editor offers to complete at the end of ``text``."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_script(
        "const y = hldgraphYasgui.getTab().getYasqe(); y.setValue(arguments[0]); y.focus();"
        "y.setCursor(y.lastLine(), y.getLine(y.lastLine()).length); y.autocomplete();", text)
    WebDriverWait(browser, 20).until(lambda d: d.execute_script(
        "return document.querySelectorAll('.CodeMirror-hints li').length"))
    hints = browser.execute_script(
        "return [...document.querySelectorAll('.CodeMirror-hints li')].map(li => li.textContent)")
    browser.execute_script("hldgraphYasgui.getTab().getYasqe().closeHint && "
                           "hldgraphYasgui.getTab().getYasqe().closeHint()")
    return hints


def test_query_page_completes_from_the_dataset_alone(browser, site):  # noqa: F811
    from selenium.webdriver.support.ui import WebDriverWait

    _requested(browser)
    browser.get(site + "/sparql")
    WebDriverWait(browser, 30).until(
        lambda d: d.execute_script("return !!window.hldgraphYasgui"))
    prologue = "PREFIX schema: <http://schema.org/>\n"
    assert "schema:Event" in _hints(browser, prologue + "SELECT * WHERE { ?e a schema:Ev")
    assert "schema:organizer" in _hints(browser, prologue + "SELECT * WHERE { ?e schema:orga")
    assert any(h.startswith("hld: <") for h in _hints(browser, "PREFIX hl"))
    geneva = _hints(browser, "SELECT * WHERE { ?e ?p <Genè")
    assert geneva[0] == "Geneva · <" + BASE + "id/place/geneva>"
    # an answer's IRIs show their labels when hovered
    browser.execute_script(
        "const y = hldgraphYasgui.getTab().getYasqe(); y.setValue(arguments[0]); y.query();",
        f"SELECT ?venue WHERE {{ <{BASE}id/event/7> <http://schema.org/location> ?venue }}")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "const a = document.querySelector('#yasgui .yasr a.iri[title]'); return a && a.title"))
    assert browser.execute_script(
        "return document.querySelector('#yasgui .yasr a.iri[title]').title") == "Brussels"
    origin = site.rstrip("/")
    outside = [u for u in _requested(browser)
               if not u.startswith((origin + "/", "data:", "blob:", "about:"))]
    assert not outside, outside


def test_search_box_on_every_page(browser, site):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(site + "/calendar?lang=fr")
    box = browser.find_element(By.ID, "site-search")
    box.send_keys("Organisation internationale pour les migrations", Keys.ENTER)
    loaded(browser, lambda d: "/search" in d.current_url)
    first = browser.find_element(By.CSS_SELECTOR, "#search-results li a")
    assert first.text == "Organisation internationale pour les migrations"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    first.click()
    loaded(browser, lambda d: d.current_url.endswith("/doc/org/iom.html?lang=fr"))

