"""The tables of bodies and of venues, and the CSV on the Web metadata of every CSV file.

Each CSV file (the calendar, the bodies, the venues) gets a metadata document (W3C Metadata
Vocabulary for Tabular Data, ``{file}-metadata.json``) that types every column and, with
``aboutUrl``/``propertyUrl``/``valueUrl`` URI templates (RFC 6570), says which triple of the graph
each cell states: the row's thing is the graph's own IRI, the column's property the graph's own
term. Columns that hold labels (the calendar's venue, organisers…) are typed and described but
state nothing (``suppressOutput``): a label is not the IRI it names.

Both tables read the graph's values as they are (no label fallback): an empty cell is a value
the graph does not have. Written with the dumps; nothing depends on the clock.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from hldgraph.distributions import BODIES_CSV, CSV, VENUES_CSV, csvw_metadata
from hldgraph.framing import dumps
from hldgraph.urls import ORG, SCHEMA, WD, Iris

CSVW_CONTEXT = ["http://www.w3.org/ns/csvw", {"@language": "en"}]
GEONAMES = "https://sws.geonames.org/{geonames}/"
SEPARATOR = "; "


def _slug(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _text(g: Graph, s: URIRef, p: URIRef, lang: str | None = None) -> str:
    values = sorted(str(o) for o in g.objects(s, p)
                    if isinstance(o, Literal) and (lang is None or o.language == lang))
    return values[0] if values else ""


def _all(g: Graph, s: URIRef, p: URIRef) -> list[str]:
    return sorted(str(o) for o in g.objects(s, p))


def _things(g: Graph, iris: Iris, type_: URIRef) -> list[URIRef]:
    return sorted((s for s in g.subjects(RDF.type, type_)
                   if isinstance(s, URIRef) and iris.is_local(s)), key=str)


def _write(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


BODY_COLUMNS = ("id", "name_en", "name_fr", "acronyms", "acronyms_fr", "type", "parent",
                "wikidata")
VENUE_COLUMNS = ("id", "name_en", "name_fr", "country", "latitude", "longitude", "wikidata",
                 "geonames")


def bodies_csv(g: Graph, iris: Iris) -> bytes:
    """One row per body; acronyms and parents separated by '; '."""
    rows = []
    for b in _things(g, iris, ORG.Organization):
        wikidata = [_slug(o) for o in _all(g, b, SCHEMA.sameAs) if o.startswith(str(WD))]
        rows.append([_slug(b), _text(g, b, SKOS.prefLabel, "en"), _text(g, b, SKOS.prefLabel, "fr"),
                     SEPARATOR.join(_tagged(g, b, SKOS.altLabel, None)),
                     SEPARATOR.join(_tagged(g, b, SKOS.altLabel, "fr")),
                     SEPARATOR.join(map(_slug, _all(g, b, ORG.classification))),
                     SEPARATOR.join(map(_slug, _all(g, b, ORG.subOrganizationOf))),
                     SEPARATOR.join(wikidata)])
    return _write(BODY_COLUMNS, rows)


def _tagged(g: Graph, s: Any, p: Any, lang: str | None) -> list[str]:
    """The texts of ``p`` in ``lang`` (None: those without a language), sorted."""
    return sorted(str(o) for o in g.objects(s, p) if getattr(o, "language", None) == lang)


def venues_csv(g: Graph, iris: Iris) -> bytes:
    """One row per venue, with its coordinates as the graph holds them."""
    rows = []
    for p in _things(g, iris, SCHEMA.Place):
        same = _all(g, p, SCHEMA.sameAs)
        geonames = [_slug(o) for o in same if o.startswith("https://sws.geonames.org/")]
        rows.append([_slug(p), _text(g, p, SCHEMA.name, "en"), _text(g, p, SCHEMA.name, "fr"),
                     _text(g, p, SCHEMA.addressCountry), _text(g, p, SCHEMA.latitude),
                     _text(g, p, SCHEMA.longitude),
                     SEPARATOR.join(_slug(o) for o in same if o.startswith(str(WD))),
                     SEPARATOR.join(geonames)])
    return _write(VENUE_COLUMNS, rows)


# --- CSVW metadata ----------------------------------------------------------------------------

def _column(name: str, title: str, datatype: str | dict[str, Any] = "string", *,
            property_url: str = "", value_url: str = "", lang: str = "",
            separator: str = "", suppress: bool = False, required: bool = False
            ) -> dict[str, Any]:
    col: dict[str, Any] = {"name": name, "titles": name, "dc:description": title,
                           "datatype": datatype}
    if property_url:
        col["propertyUrl"] = property_url
    if value_url:
        col["valueUrl"] = value_url
    if lang:
        col["lang"] = lang
    if separator:
        col["separator"] = separator
    if suppress:
        col["suppressOutput"] = True
    if required:
        col["required"] = True
    return col


def _table(url: str, title: str, about: str, columns: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": CSVW_CONTEXT, "url": url, "dc:title": title,
            "dc:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
            "dialect": {"header": True, "encoding": "utf-8"},
            "tableSchema": {"aboutUrl": about, "primaryKey": "id", "columns": columns}}


def calendar_metadata(iris: Iris) -> dict[str, Any]:
    """CSVW metadata of the calendar CSV (:data:`hldgraph.exports.CSV_COLUMNS`)."""
    label = "A label (English, by the site's label rule) of the thing the graph links by "
    return _table(CSV, "Calendar of events", iris.base + "id/event/{id}", [
        _column("id", "The event's identifier: its IRI ends with it.", required=True,
                suppress=True),
        _column("row", "The event's row in the leaflet's draft calendar.", "integer",
                property_url=str(iris.hld.calendarRow)),
        _column("start", "First day.", "date", property_url=str(SCHEMA.startDate),
                required=True),
        _column("end", "Last day.", "date", property_url=str(SCHEMA.endDate), required=True),
        _column("title", "The event's name in English.", property_url=str(SCHEMA.name),
                lang="en"),
        _column("title_fr", "The event's name in French.", property_url=str(SCHEMA.name),
                lang="fr"),
        _column("venue", label + "schema:location.", suppress=True),
        _column("country", "The name of the venue's country (the graph holds its ISO 3166-1 "
                           "code, schema:addressCountry).", suppress=True),
        _column("organisers", label + "schema:organizer.", separator=SEPARATOR, suppress=True),
        _column("sponsors", label + "schema:sponsor.", separator=SEPARATOR, suppress=True),
        _column("themes", label + "schema:about.", separator=SEPARATOR, suppress=True),
        _column("category", label + "hld:category.", suppress=True),
        _column("iri", "The event's IRI.", "anyURI", suppress=True, required=True),
    ])


def bodies_metadata(iris: Iris) -> dict[str, Any]:
    return _table(BODIES_CSV, "Bodies", iris.base + "id/org/{id}", [
        _column("id", "The body's identifier: its IRI ends with it.", required=True,
                property_url=str(RDF.type), value_url=str(ORG.Organization)),
        _column("name_en", "Its name in English.", property_url=str(SKOS.prefLabel), lang="en"),
        _column("name_fr", "Its name in French.", property_url=str(SKOS.prefLabel), lang="fr"),
        _column("acronyms", "Acronyms and spellings, as printed.",
                property_url=str(SKOS.altLabel), separator=SEPARATOR),
        _column("acronyms_fr", "Its French acronyms, where the leaflet prints none (editorial).",
                property_url=str(SKOS.altLabel), lang="fr", separator=SEPARATOR),
        _column("type", "Its type: the end of the IRI of a concept of id/body-types.",
                property_url=str(ORG.classification),
                value_url=iris.base + "id/body-type/{type}"),
        _column("parent", "The body it is part of: the end of its IRI.",
                property_url=str(ORG.subOrganizationOf), value_url=iris.base + "id/org/{parent}"),
        _column("wikidata", "Its Wikidata item.", property_url=str(SCHEMA.sameAs),
                value_url=str(WD) + "{wikidata}"),
    ])


def venues_metadata(iris: Iris) -> dict[str, Any]:
    return _table(VENUES_CSV, "Venues", iris.base + "id/place/{id}", [
        _column("id", "The venue's identifier: its IRI ends with it.", required=True,
                property_url=str(RDF.type), value_url=str(SCHEMA.Place)),
        _column("name_en", "Its name in English.", property_url=str(SCHEMA.name), lang="en"),
        _column("name_fr", "Its name in French.", property_url=str(SCHEMA.name), lang="fr"),
        _column("country", "Its country: ISO 3166-1 alpha-2 code.",
                {"base": "string", "format": "[A-Z]{2}"},
                property_url=str(SCHEMA.addressCountry)),
        _column("latitude", "Latitude, WGS 84 decimal degrees.",
                {"base": "decimal", "minimum": -90, "maximum": 90},
                property_url=str(SCHEMA.latitude)),
        _column("longitude", "Longitude, WGS 84 decimal degrees.",
                {"base": "decimal", "minimum": -180, "maximum": 180},
                property_url=str(SCHEMA.longitude)),
        _column("wikidata", "Its Wikidata item.", property_url=str(SCHEMA.sameAs),
                value_url=str(WD) + "{wikidata}"),
        _column("geonames", "Its GeoNames feature.", property_url=str(SCHEMA.sameAs),
                value_url=GEONAMES),
    ])


def render(g: Graph, iris: Iris) -> dict[str, bytes]:
    """The tables of bodies and venues, and the CSVW metadata of every CSV file."""
    return {BODIES_CSV: bodies_csv(g, iris), VENUES_CSV: venues_csv(g, iris),
            csvw_metadata(CSV): dumps(calendar_metadata(iris)),
            csvw_metadata(BODIES_CSV): dumps(bodies_metadata(iris)),
            csvw_metadata(VENUES_CSV): dumps(venues_metadata(iris))}
