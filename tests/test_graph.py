"""The built graph against the leaflet itself: its calendar is read here from the source text,
independently of data/, and every row must be in the graph as printed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.conftest import shared_path

MONTHS = {"feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9}
CALENDAR_START = "(as of August 8, 2006)"
CALENDAR_END = "Note: Blue=UN events"


def leaflet_rows() -> dict[int, list[str]]:
    """The calendar's rows as printed: row number -> its non-empty cells, in order."""
    text = shared_path("source", "000_eefde8b6324fe4e8.txt").read_text(encoding="utf-8")
    table = text[text.index(CALENDAR_START):text.index(CALENDAR_END)]
    parts = re.split(r"\n\t(\d+)\. \n", table)[1:]
    return {int(n): [" ".join(c.split()) for c in body.split("\n") if c.strip()]
            for n, body in zip(parts[::2], parts[1::2], strict=True)}


def parse_dates(cell: str) -> tuple[dt.date, dt.date]:
    """'Feb 27-Mar 10', 'April 5', 'Sept. 13-15' -> first and last day, in 2006."""
    m = re.fullmatch(r"([A-Za-z]+)\.? (\d+)(?:-(?:([A-Za-z]+) )?(\d+))?", cell.strip())
    assert m, cell
    month = MONTHS[m[1][:3].lower()]
    start = dt.date(2006, month, int(m[2]))
    end_month = MONTHS[m[3][:3].lower()] if m[3] else month
    end = dt.date(2006, end_month, int(m[4])) if m[4] else start
    return start, end


def query(built, text: str) -> list:
    prefixes = ("PREFIX schema: <http://schema.org/> PREFIX skos: "
                "<http://www.w3.org/2004/02/skos/core#> PREFIX eli: "
                "<http://data.europa.eu/eli/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
                f"PREFIX hld: <{built.iris.hld}> ")
    return list(built.dataset.query(prefixes + text))


@pytest.fixture(scope="module")
def rows():
    return leaflet_rows()


@pytest.fixture(scope="module")
def events(built):
    found = query(built, """
        SELECT ?e ?row ?start ?end ?place ?title ?resp ?date WHERE {
          ?e hld:calendarRow ?row ; schema:startDate ?start ; schema:endDate ?end ;
             schema:location/schema:name ?place ; schema:name ?title ;
             hld:responsibleAsPrinted ?resp ; hld:dateAsPrinted ?date .
          FILTER(lang(?title) = "en" && lang(?place) = "en")
          FILTER NOT EXISTS { ?e schema:superEvent ?p . ?p hld:calendarRow ?row }
        }""")
    by_row: dict[int, dict] = {}
    for r in found:
        by_row.setdefault(int(r.row), {"titles": set(), "places": set()}).update(
            start=r.start.toPython(), end=r.end.toPython(), resp=str(r.resp), date=str(r.date))
        by_row[int(r.row)]["titles"].add(str(r.title))
        by_row[int(r.row)]["places"].add(str(r.place))
    return by_row


def test_the_leaflet_has_fifty_rows_and_so_has_the_graph(rows, events):
    assert sorted(rows) == list(range(1, 51))
    assert sorted(events) == list(range(1, 51))


@pytest.mark.parametrize("n", range(1, 51))
def test_each_row_is_in_the_graph_as_printed(rows, events, n):
    cells, event = rows[n], events[n]
    date, venue, responsible = cells[0], cells[1], cells[-1]
    assert event["date"] == date
    assert (event["start"], event["end"]) == parse_dates(date)
    assert venue in event["places"]
    assert event["resp"] == responsible
    title = " ".join(cells[2:-1])
    if n == 17:  # the cell holds the row's title and then its two side events
        title = cells[2].rstrip(":")
    assert title in event["titles"]


def test_row_17_is_one_event_with_two_side_events(built):
    subs = query(built, """SELECT ?title WHERE { ?e hld:calendarRow 17 ; schema:subEvent ?s .
                            ?s schema:name ?title FILTER(lang(?title) = "en") }""")
    assert {str(r.title) for r in subs} == {
        "Gender and Migration", "Presentation of the HLD to ESCAP Countries"}


def test_row_39_european_commission_is_a_sponsor_not_an_organizer(built):
    rows = query(built, """SELECT ?role ?label WHERE { ?e hld:calendarRow 39 ; ?role ?b .
                 ?b skos:prefLabel ?label FILTER(lang(?label) = "en")
                 FILTER(?role IN (schema:organizer, schema:sponsor)) }""")
    sponsors = {str(r.label) for r in rows if str(r.role).endswith("sponsor")}
    organizers = {str(r.label) for r in rows if str(r.role).endswith("organizer")}
    assert sponsors == {"European Commission"}
    assert len(organizers) == 3 and "European Commission" not in organizers


@pytest.mark.parametrize("row, count", [(27, 2), (31, 5), (37, 7), (43, 4)])
def test_cells_naming_several_bodies_are_split(built, row, count):
    found = query(built, f"SELECT DISTINCT ?b WHERE {{ ?e hld:calendarRow {row} ; "
                         "schema:organizer ?b }")
    assert len(found) == count


def test_every_printed_spelling_names_exactly_one_body(built, rows):
    spellings = query(built, "SELECT ?s (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b a org:Organization ;"
                             " skos:altLabel ?s } GROUP BY ?s")
    assert all(int(r.n) == 1 for r in spellings)
    merged = {str(r.s) for r in spellings}
    for variant in ("DESA", "UNDESA", "Gov Mexico", "Gov of Mexico"):
        assert variant in merged
    same = query(built, """SELECT ?b WHERE { ?b skos:altLabel "DESA", "UNDESA" }""")
    assert len(same) == 1


def test_resolution_paragraphs_initiatives_and_themes(built):
    paragraphs = query(built, "SELECT ?n WHERE { ?p a eli:LegalResourceSubdivision ; "
                              "eli:number ?n ; eli:is_part_of ?r . ?r eli:id_local ?id }")
    assert sorted(int(r.n) for r in paragraphs) == [11, 15, 16, 17, 18, 19, 20, 21, 24]
    initiatives = query(built, "SELECT ?i (GROUP_CONCAT(?n) AS ?ns) WHERE { ?i a hld:Initiative ;"
                               " hld:envisagedBy/eli:number ?n } GROUP BY ?i")
    assert len(initiatives) == 7
    areas = query(built, """SELECT ?a (COUNT(?sub) AS ?n) WHERE { ?s skos:hasTopConcept ?a .
                   ?sub skos:broader ?a } GROUP BY ?a""")
    assert sorted(int(r.n) for r in areas) == [2, 2, 4, 4, 4]


def test_editorial_additions_are_kept_apart_from_source_facts(built):
    source, editorial = built.iris.graph("source"), built.iris.graph("editorial")
    about = "{ ?e hld:calendarRow ?r ; schema:about ?t }"
    about_in_source = query(built, f"ASK {{ GRAPH <{source}> {about} }}")
    about_in_editorial = query(built, f"ASK {{ GRAPH <{editorial}> {{ ?e schema:about ?t }} }}")
    assert about_in_source == [False] and about_in_editorial == [True]
    titles = query(built, f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{source}> {{
                   ?e hld:calendarRow ?r ; schema:name ?t FILTER(lang(?t) = "fr") }} }}""")
    assert int(titles[0].n) == 0


def test_no_blank_nodes(built):
    from rdflib import BNode

    assert not any(isinstance(t, BNode) for q in built.dataset.quads() for t in q[:3])
