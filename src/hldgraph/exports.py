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
from typing import TYPE_CHECKING, Any

import icalendar
import pycountry
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from hldgraph.catalog import DOWNLOADS_BY_FILE, NAME, content_graph, metadata
from hldgraph.urls import SCHEMA, Iris

if TYPE_CHECKING:
    from hldgraph.build import Built
    from hldgraph.settings import Settings

ICS = f"{NAME}-calendar.ics"
CSV = f"{NAME}-calendar.csv"

#: Export file name -> media type it is served with.
FILES = {name: DOWNLOADS_BY_FILE[name].media_type for name in (ICS, CSV)}

CSV_COLUMNS = ("id", "row", "start", "end", "title", "title_fr", "venue", "country",
               "organisers", "sponsors", "themes", "category", "iri")

#: Label properties, most preferred first.
_LABELS = (SKOS.prefLabel, SCHEMA.name, RDFS.label, SKOS.altLabel)


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


def label(g: Graph, thing: URIRef, lang: str = "en") -> str:
    """The best label of ``thing`` in ``lang`` (or any language), else the end of its IRI."""
    for p in _LABELS:
        if text := _text(g, thing, p, lang):
            return text
    anything = sorted(str(v) for p in _LABELS for v in g.objects(thing, p))
    return anything[0] if anything else str(thing).rstrip("/").rsplit("/", 1)[-1]


def _text(g: Graph, s: URIRef, p: URIRef, lang: str) -> str:
    return next((str(v) for v in sorted(g.objects(s, p), key=str)
                 if isinstance(v, Literal) and v.language == lang), "")


def _labels(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    return tuple(sorted(label(g, o) for o in g.objects(s, p)))


def _country(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code
    return getattr(country, "common_name", country.name)


def _number(value: Any) -> float | None:
    return float(value) if value is not None else None


def calendar_events(g: Graph, iris: Iris) -> list[CalendarEvent]:
    """Every event of the graph, by start date, then calendar row, then id."""
    rows = []
    for e in set(g.subjects(RDF.type, SCHEMA.Event)):
        start = g.value(e, SCHEMA.startDate)
        if start is None or not iris.is_local(e):
            continue
        venue = g.value(e, SCHEMA.location)
        category = g.value(e, iris.hld.category)
        row = g.value(e, iris.hld.calendarRow)
        rows.append(CalendarEvent(
            iri=str(e), id=str(e).rsplit("/", 1)[-1], row=int(row) if row is not None else None,
            start=start.toPython(), end=(g.value(e, SCHEMA.endDate) or start).toPython(),
            title=_text(g, e, SCHEMA.name, "en"), title_fr=_text(g, e, SCHEMA.name, "fr"),
            venue=label(g, venue) if venue is not None else "",
            country=_country(str(g.value(venue, SCHEMA.addressCountry) or "")),
            latitude=_number(g.value(venue, SCHEMA.latitude)),
            longitude=_number(g.value(venue, SCHEMA.longitude)),
            organisers=_labels(g, e, SCHEMA.organizer), sponsors=_labels(g, e, SCHEMA.sponsor),
            themes=_labels(g, e, SCHEMA.about),
            category=label(g, category) if category is not None else ""))
    return sorted(rows, key=lambda r: (r.start, r.row or 0, r.id.zfill(4)))


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


def render(built: Built, settings: Settings) -> dict[str, bytes]:
    """The calendar files, keyed by file name (written beside the dumps)."""
    events = calendar_events(content_graph(built), built.iris)
    meta = metadata(settings)["dataset"]
    name = "Calendar of events preparing the 2006 High-Level Dialogue on International " \
           "Migration and Development"
    return {ICS: to_ics(events, meta["modified"], name), CSV: to_csv(events)}
