"""The calendar of events for people's tools: iCalendar (RFC 5545) and CSV (RFC 4180).

Both are read from the built graph (the source, editorial and ontology graphs merged), written
with the dumps by :func:`hldgraph.dump.publish` so that they get checksums and .gz twins too, and
served by the web layer from the build folder. Labels, not only IRIs: a person reads them.
Nothing depends on the clock (DTSTAMP is the dataset's fixed ``modified`` date): two builds of the
same data give byte-identical files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import icalendar
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from hldgraph import framing, tables
from hldgraph.calendar import events_query, read_events, select
from hldgraph.catalog import metadata
from hldgraph.dataset import Built, content_graph
from hldgraph.distributions import CSV, EVENTS_JSONLD, ICS, Record
from hldgraph.labels import LABELS, country, pick, read_labels
from hldgraph.settings import Settings
from hldgraph.urls import SCHEMA, Iris

CSV_COLUMNS = ("id", "row", "start", "end", "title", "title_fr", "venue", "country",
               "organisers", "sponsors", "themes", "category", "iri")

@dataclass(frozen=True)
class CalendarEvent:
    """One event as a row of the calendar: labels ready to print."""

    iri: str
    id: str
    row: int | None
    start: dt.date
    end: dt.date
    title: str
    title_fr: str
    venue: str
    country: str
    latitude: float | None
    longitude: float | None
    organisers: tuple[str, ...]
    sponsors: tuple[str, ...]
    themes: tuple[str, ...]
    category: str

    @property
    def location(self) -> str:
        return ", ".join(v for v in (self.venue, self.country) if v)


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def calendar_events(g: Graph, iris: Iris) -> list[CalendarEvent]:
    """Every event of the graph, in the calendar's order (:func:`hldgraph.calendar.order`),
    with English labels picked by the one rule (:func:`hldgraph.labels.pick`)."""
    labels = read_labels(select(g, LABELS))

    def label(iri: str, lang: str = "en") -> str:
        return pick(labels, iri, lang) if iri else ""

    def place(venue: str, p: URIRef) -> Any:
        return g.value(URIRef(venue), p) if venue else None

    return [CalendarEvent(
        iri=e.iri, id=e.id, row=e.row, start=e.start, end=e.end,
        title=label(e.iri), title_fr=label(e.iri, "fr"), venue=label(e.venue),
        country=country(str(place(e.venue, SCHEMA.addressCountry) or ""), "en"),
        latitude=_number(place(e.venue, SCHEMA.latitude)),
        longitude=_number(place(e.venue, SCHEMA.longitude)),
        organisers=tuple(sorted(map(label, e.organizers))),
        sponsors=tuple(sorted(map(label, e.sponsors))),
        themes=tuple(sorted(map(label, e.themes))), category=label(e.category_iri))
        for e in read_events(select(g, events_query(iris)))]


def to_ics(events: list[CalendarEvent], stamp: dt.date, name: str) -> bytes:
    """An RFC 5545 calendar: CRLF lines folded at 75 octets (the icalendar package does both)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//hldgraph//HLD 2006 calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    dtstamp = dt.datetime.combine(stamp, dt.time(), tzinfo=dt.UTC)
    for e in events:
        ev = icalendar.Event()
        ev.add("uid", e.iri)
        ev.add("dtstamp", dtstamp)
        ev.add("dtstart", e.start)  # a date: VALUE=DATE
        ev.add("dtend", e.end + dt.timedelta(days=1))  # DTEND of a date is exclusive
        ev.add("summary", e.title)
        if e.location:
            ev.add("location", e.location)
        if e.latitude is not None and e.longitude is not None:
            ev.add("geo", (e.latitude, e.longitude))
        # Organisers go in the description: ORGANIZER would make calendar programs treat the
        # event as a meeting invitation, and it takes one e-mail address, which bodies lack.
        ev.add("description", _description(e))
        ev.add("url", e.iri)  # the IRI answers with the event's page
        categories = [*e.themes, *([e.category] if e.category else [])]
        if categories:
            ev.add("categories", categories)
        cal.add_component(ev)
    return cal.to_ical()


def _description(e: CalendarEvent) -> str:
    lines = [f"Organisers: {'; '.join(e.organisers)}" if e.organisers else ""]
    if e.sponsors:
        lines.append(f"Supported by: {'; '.join(e.sponsors)}")
    if e.themes:
        lines.append(f"Thematic areas: {'; '.join(e.themes)}")
    if e.row is not None:
        lines.append(f"Row {e.row} of the leaflet's draft calendar of events.")
    lines.append(e.iri)
    return "\n".join(line for line in lines if line)


def to_csv(events: list[CalendarEvent]) -> bytes:
    """One row per event; lists in a cell are separated by '; '."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([e.id, e.row if e.row is not None else "", e.start.isoformat(),
                         e.end.isoformat(), e.title, e.title_fr, e.venue, e.country,
                         "; ".join(e.organisers), "; ".join(e.sponsors), "; ".join(e.themes),
                         e.category, e.iri])
    return out.getvalue().encode("utf-8")


def to_framed(events: list[CalendarEvent], g: Graph, settings: Settings,
              ctx: dict[str, Any] | None = None) -> bytes:
    """The calendar as framed JSON-LD: the list of events in the calendar's order, each whole,
    framed by the published event frame (:mod:`hldgraph.framing`) and compacted with ``ctx``
    (by default the context of ontology/)."""
    ctx = ctx or framing.read_context(settings.ontology_dir, settings.base_iri)
    iris = [e.iri for e in events]
    data = framing.expanded(framing.view_triples(g, iris))
    return framing.dumps(framing.frame(data, "event", ctx, iris))


def render(built: Built, settings: Settings, ctx: dict[str, Any] | None = None
           ) -> dict[str, bytes]:
    """The calendar files and the tables, keyed by file name (written beside the dumps); the
    framed JSON-LD compacted with ``ctx`` (a release's own context; by default ontology/'s)."""
    g = content_graph(built)
    events = calendar_events(g, built.iris)
    # the record's date of last change, so that a release's files are made again from its graph
    modified = built.graph("catalog").value(Record(built.iris).dataset, DCTERMS.modified)
    stamp = modified.toPython() if isinstance(modified, Literal) else metadata(settings)[
        "dataset"]["modified"]
    name = "Calendar of events preparing the 2006 High-Level Dialogue on International " \
           "Migration and Development"
    return {ICS: to_ics(events, stamp, name), CSV: to_csv(events),
            EVENTS_JSONLD: to_framed(events, g, settings, ctx), **tables.render(g, built.iris)}
