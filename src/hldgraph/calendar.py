"""The calendar's read model: which events, with what, in which order.

One SELECT (:func:`events_query`) that both an rdflib graph (:func:`select`) and the Store answer,
and one order (:func:`order`), so that the HTML calendar, its charts and the CSV and iCalendar
files list the same events the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from hldgraph.urls import SCHEMA, Iris

_EVENTS = """SELECT ?e ?start ?end ?venue ?row ?category ?p ?o WHERE {
  ?e a <{schema}Event> ; <{schema}startDate> ?start .
  FILTER(STRSTARTS(STR(?e), "{base}"))
  OPTIONAL { ?e <{schema}endDate> ?end } OPTIONAL { ?e <{schema}location> ?venue }
  OPTIONAL { ?e <{hld}calendarRow> ?row } OPTIONAL { ?e <{hld}category> ?category }
  OPTIONAL { VALUES ?p { <{schema}organizer> <{schema}sponsor> <{schema}about> } ?e ?p ?o } }"""

#: Link property -> the Event field that lists its values.
_LINKS = {str(SCHEMA.organizer): "organizers", str(SCHEMA.sponsor): "sponsors",
          str(SCHEMA.about): "themes"}


@dataclass
class Event:
    """One event of the calendar; things it points to are IRIs (labels are picked by language)."""

    iri: str
    id: str
    start: dt.date
    end: dt.date
    venue: str = ""
    row: int | None = None
    category: str = ""  # the category's key: the last step of its IRI
    category_iri: str = ""
    organizers: list[str] = field(default_factory=list)
    sponsors: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


def events_query(iris: Iris) -> str:
    """The SELECT of every event of the base ``iris.base``: one row per event and link."""
    return (_EVENTS.replace("{schema}", str(SCHEMA)).replace("{hld}", str(iris.hld))
            .replace("{base}", iris.base))


def select(g: Graph, text: str) -> list[dict[str, Any]]:
    """Rows of a SELECT on an rdflib graph, as the Store gives them: ``{variable: term}``,
    unbound variables left out."""
    return [{str(k): v for k, v in row.asdict().items()} for row in g.query(text)]  # type: ignore[union-attr]


def order(e: Event) -> tuple[dt.date, int, str]:
    """The calendar's order: by start date, then the leaflet's calendar row, then number."""
    return (e.start, e.row or 0, e.id.zfill(4))


def read_events(rows: Iterable[Mapping[str, Any]]) -> list[Event]:
    """Rows of :func:`events_query` -> the events, in :func:`order`; each event's organisers,
    sponsors and themes in IRI order."""
    events: dict[str, Event] = {}
    for row in rows:
        iri = str(row["e"])
        if iri not in events:
            start = row["start"].toPython()
            category = str(row.get("category", ""))
            events[iri] = Event(iri, iri.rsplit("/", 1)[-1], start,
                                row.get("end", row["start"]).toPython(),
                                str(row.get("venue", "")),
                                int(row["row"]) if "row" in row else None,
                                category.rsplit("/", 1)[-1], category)
        if "p" in row:
            values = getattr(events[iri], _LINKS[str(row["p"])])
            if str(row["o"]) not in values:
                values.append(str(row["o"]))
    for e in events.values():  # the graph holds no order of links: IRI order, the same anywhere
        for name in _LINKS.values():
            getattr(e, name).sort()
    return sorted(events.values(), key=order)
