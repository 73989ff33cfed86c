"""The calendar as iCalendar and CSV: parsed by real parsers, compared with what SPARQL says."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html.parser import HTMLParser

import icalendar
import pytest
import requests
from conftest import select

from hldgraph import calendar, exports
from hldgraph.catalog import metadata
from hldgraph.dataset import content_graph
from hldgraph.labels import LABELS, pick, read_labels

EVENTS = """PREFIX schema: <http://schema.org/>
SELECT ?e ?start ?end ?name WHERE {
  ?e a schema:Event ; schema:startDate ?start ; schema:endDate ?end ; schema:name ?name
  FILTER(LANG(?name) = "en") }"""
ORGANISERS = """PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?label WHERE { ?e schema:organizer ?o . ?o skos:prefLabel ?label
  FILTER(LANG(?label) = "en") }"""


@pytest.fixture(scope="module")
def graph_events(live) -> dict[str, dict[str, str]]:
    return {r["e"]: r for r in select(live, EVENTS)}


@pytest.fixture(scope="module")
def ics(live) -> bytes:
    r = requests.get(f"{live}/calendar.ics", timeout=30)
    assert r.status_code == 200
    return r.content


@pytest.fixture(scope="module")
def csv_rows(live) -> list[dict[str, str]]:
    r = requests.get(f"{live}/calendar.csv", timeout=30)
    assert r.status_code == 200
    return list(csv.DictReader(io.StringIO(r.content.decode("utf-8"), newline="")))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_one_vevent_per_event_with_its_dates(ics, graph_events):
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"])
    vevents = cal.walk("VEVENT")
    assert len(vevents) == len(graph_events) == 52  # 50 calendar rows and 2 sub-events
    assert {str(v["UID"]) for v in vevents} == set(graph_events)
    for v in vevents:
        e = graph_events[str(v["UID"])]
        assert v.decoded("DTSTART") == _date(e["start"])
        assert v["DTSTART"].params["VALUE"] == "DATE"
        assert v.decoded("DTEND") == _date(e["end"]) + dt.timedelta(days=1)  # exclusive
        assert str(v["SUMMARY"]) == e["name"]
        assert str(v["URL"]) == str(v["UID"])
        assert ", " in str(v["LOCATION"])  # city, country


def test_the_dialogue_itself(ics):
    hld = next(v for v in icalendar.Calendar.from_ical(ics).walk("VEVENT")
               if str(v["UID"]).endswith("/id/event/50"))
    assert hld.decoded("DTSTART") == dt.date(2006, 9, 14)
    assert hld.decoded("DTEND") == dt.date(2006, 9, 16)
    assert str(hld["LOCATION"]) == "New York, United States"


def test_organisers_are_listed_by_label(ics, live):
    organisers: dict[str, set[str]] = {}
    for r in select(live, ORGANISERS):
        organisers.setdefault(r["e"], set()).add(r["label"])
    vevents = {str(v["UID"]): v for v in icalendar.Calendar.from_ical(ics).walk("VEVENT")}
    for event, labels in organisers.items():
        description = str(vevents[event]["DESCRIPTION"])
        assert all(label in description for label in labels), event


def test_ics_is_rfc5545_text(ics, settings):
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    assert ics.endswith(b"END:VCALENDAR\r\n")
    lines = ics.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    assert any(line.startswith(b" ") for line in lines)  # long lines were folded
    stamps = {line for line in lines if line.startswith(b"DTSTAMP:")}
    modified = metadata(settings)["dataset"]["modified"]
    assert stamps == {f"DTSTAMP:{modified:%Y%m%d}T000000Z".encode()}  # fixed, not the clock


def test_csv_has_one_row_per_event_with_labels(csv_rows, graph_events):
    assert len(csv_rows) == len(graph_events)
    assert list(csv_rows[0]) == list(exports.CSV_COLUMNS)
    assert {r["iri"] for r in csv_rows} == set(graph_events)
    for r in csv_rows:
        e = graph_events[r["iri"]]
        assert (r["start"], r["end"], r["title"]) == (e["start"], e["end"], e["name"])
        assert r["organisers"] and "http" not in r["organisers"]
        assert r["venue"] and r["country"]
    starts = [r["start"] for r in csv_rows]
    assert starts == sorted(starts)


def test_csv_keeps_commas_in_cells(csv_rows, live):
    """A label with a comma stays in its cell: the CSV is quoted as RFC 4180 says."""
    assert all(None not in r and None not in r.values() for r in csv_rows)  # no ragged row
    with_comma = {r["label"] for r in select(live, ORGANISERS) if "," in r["label"]}
    assert with_comma
    cells = {o for r in csv_rows for o in r["organisers"].split("; ")}
    assert with_comma <= cells


def test_exports_are_deterministic(built, settings):
    assert exports.render(built, settings) == exports.render(built, settings)


def test_events_sort_by_date_then_row(built):
    events = exports.calendar_events(content_graph(built), built.iris)
    keys = [(e.start, e.row) for e in events]
    assert keys == sorted(keys)
    sub = [e for e in events if e.id in ("17a", "17b")]
    assert len(sub) == 2 and all(e.row == 17 for e in sub)


class _CalendarRows(HTMLParser):
    """The ``data-event`` of each row of the page's table ``#calendar``, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.inside, self.ids = False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.inside = a.get("id") == "calendar"
        elif tag == "tr" and self.inside and a.get("data-event"):
            self.ids.append(a["data-event"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_csv_ics_and_html_calendar_list_the_events_in_one_order(live, ics, csv_rows, lang):
    r = requests.get(f"{live}/calendar", params={"lang": lang},
                     headers={"Accept": "text/html"}, timeout=30)
    assert r.status_code == 200
    page = _CalendarRows()
    page.feed(r.text)
    from_ics = [str(v["UID"]).rsplit("/", 1)[-1]
                for v in icalendar.Calendar.from_ical(ics).walk("VEVENT")]
    from_csv = [row["id"] for row in csv_rows]
    assert len(from_csv) > 40
    assert page.ids == from_csv == from_ics
    # the one order: by start date, then the leaflet's calendar row, then number
    keys = [(row["start"], int(row["row"] or 0), row["id"].zfill(4)) for row in csv_rows]
    assert keys == sorted(keys)


def test_graph_and_store_read_the_same_calendar_and_labels(built, settings, dist):
    """One query, one rule: an rdflib graph and the Store give the same events and labels."""
    from hldgraph.store import open_store

    g = content_graph(built)
    with open_store(settings.with_(dist_dir=dist), dist / "hld2006.nq") as store:
        from_store = calendar.read_events(store.query(calendar.events_query(built.iris)).rows)
        store_labels = read_labels(store.query(LABELS).rows)
    assert calendar.read_events(calendar.select(g, calendar.events_query(built.iris))) == from_store
    graph_labels = read_labels(calendar.select(g, LABELS))
    things = {t for e in from_store for t in (e.iri, e.venue, *e.organizers, *e.themes)}
    for lang in ("en", "fr"):
        assert {t: pick(graph_labels, t, lang) for t in things} == \
            {t: pick(store_labels, t, lang) for t in things}
