"""CSV on the Web: every CSV download has CSVW metadata, found the way CSVW processors find it
(``Link: rel="describedby"``), valid for the ``csvw`` library, listed in the catalogue, and the
triples it says each row states (CSVW's URI templates, as the library expands them) are triples
of the graph, about the graph's own IRIs."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
import requests
from csvw import CSVW
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from hldgraph.distributions import CSV, TABLES, csvw_metadata
from hldgraph.urls import ORG, SCHEMA

# A download's file object is sometimes collected unclosed while the csvw library reads through
# the test's own server; the same requests from requests and from csvw outside pytest leave no
# file open, so this is not taken for a failure here (left open in the project's notes).
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

BASE = "https://w3id.org/hld2006/"
DCAT = "http://www.w3.org/ns/dcat#"


@pytest.fixture(scope="module", params=TABLES)
def table(request, live) -> tuple[str, CSVW]:
    """A CSV download, read by the csvw library from its URL (metadata found by Link)."""
    name = request.param
    return name, CSVW(f"{live}/download/{name}", validate=True)


def test_csv_announces_its_metadata(live):
    for name in TABLES:
        r = requests.get(f"{live}/download/{name}", timeout=30)
        assert r.status_code == 200
        link = r.links["describedby"]
        assert link["url"].endswith(f"/download/{csvw_metadata(name)}")
        assert link["type"] == "application/csvm+json"
        meta = requests.get(live + link["url"] if link["url"].startswith("/") else link["url"],
                            timeout=30)
        assert meta.status_code == 200
        assert meta.headers["Content-Type"].startswith("application/csvm+json")
        assert meta.json()["url"] == name


def test_the_short_calendar_url_names_the_download_the_metadata_describes(live):
    """/calendar.csv is the calendar's CSV at a second URL: a CSVW processor must ignore
    metadata whose url is another (CSVW model §5.1), so it is not announced there; the
    response names the download it is (RFC 9110 §8.7 Content-Location)."""
    r = requests.get(f"{live}/calendar.csv", timeout=30)
    assert r.status_code == 200 and "describedby" not in r.links
    assert r.headers["Content-Location"] == f"/download/{CSV}"
    assert requests.get(live + r.headers["Content-Location"], timeout=30).content == r.content


def test_metadata_is_valid_and_types_every_column(table):
    name, described = table
    assert not described.no_metadata, name  # found through the Link header
    assert described.is_valid, [str(w.message) for w in described.warnings]
    (t,) = described.tables
    header = next(iter(requests.get(str(t.url.resolve(t.base)), timeout=30)
                       .text.splitlines()))
    assert [c.name for c in t.tableSchema.columns] == header.split(",")
    for column in t.tableSchema.columns:
        assert column.datatype is not None and column.datatype.base, column.name
        assert column.common_props.get("dc:description"), column.name


def _literal(value: object, column) -> Literal:
    """A cell's value as CSVW's RDF conversion writes it (CSV2RDF §4.6.8): the column's
    language for strings, else its datatype."""
    if column.lang and column.lang != "und":
        return Literal(str(value), lang=column.lang)
    if isinstance(value, dt.date):
        return Literal(value.isoformat(), datatype=XSD.date)
    if isinstance(value, bool | int) and column.datatype.base == "integer":
        return Literal(int(value), datatype=XSD.integer)
    if isinstance(value, decimal.Decimal | float):
        return Literal(decimal.Decimal(str(value)), datatype=XSD.decimal)
    return Literal(str(value))


def described_triples(described: CSVW) -> set[tuple]:
    """The triples the metadata says the table states (CSV2RDF minimal mode), with the
    library's own typed values and expansion of the URI templates."""
    (t,) = described.tables
    about = t.tableSchema.aboutUrl
    rv = set()
    for n, row in enumerate(t.iterdicts(), start=1):
        subject = URIRef(t.expand(about, row, _row=n))
        for column in t.tableSchema.columns:
            value = row.get(column.name)
            if column.suppressOutput or value in (None, "", []):
                continue
            prop = URIRef(t.expand(column.propertyUrl, row, _row=n, _name=column.name))
            for item in value if isinstance(value, list) else [value]:
                if column.valueUrl is not None:
                    obj = URIRef(t.expand(column.valueUrl, {**row, column.name: item}, _row=n,
                                          _name=column.name))
                else:
                    obj = _literal(item, column)
                rv.add((subject, prop, obj))
    return rv


def _by_value(triples) -> set[tuple]:
    return {(s, p, (o.datatype, o.language, o.toPython()) if isinstance(o, Literal) else o)
            for s, p, o in triples}


def test_described_triples_are_the_graphs(table, union):
    name, described = table
    triples = described_triples(described)
    subjects = {s for s, _, _ in triples}
    assert subjects and all(str(s).startswith(BASE + "id/") for s in subjects)
    assert all((s, None, None) in union for s in subjects), name  # the graph's own IRIs
    missing = _by_value(triples) - _by_value(union)
    assert not missing, (name, sorted(missing)[:5])


def test_each_table_lists_every_thing_of_its_kind(table, union):
    name, described = table
    kinds = {"hld2006-calendar.csv": SCHEMA.Event, "hld2006-bodies.csv": ORG.Organization,
             "hld2006-venues.csv": SCHEMA.Place}
    rows = {s for s, _, _ in described_triples(described)}
    things = {s for s in union.subjects(RDF.type, kinds[name]) if str(s).startswith(BASE)}
    assert rows == things, name


def test_metadata_is_in_the_catalogue(live):
    r = requests.get(f"{live}/catalog", headers={"Accept": "text/turtle"}, timeout=30)
    record = Graph().parse(data=r.text, format="turtle")
    for name in TABLES:
        meta = URIRef(f"{BASE}download/{csvw_metadata(name)}")
        dist = next(record.subjects(URIRef(DCAT + "downloadURL"), meta))
        assert (dist, URIRef("http://purl.org/dc/terms/conformsTo"),
                URIRef("https://www.w3.org/TR/tabular-metadata/")) in record
        assert (dist, URIRef(DCAT + "mediaType"), URIRef(
            "http://www.iana.org/assignments/media-types/application/csvm+json")) in record
